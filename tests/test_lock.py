"""The lock of exact versions: what it pins, what it leaves out, and the record the manifest reads."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from audit.cycle.manifest import write_manifest
from audit.lockinfo import RECORD_NAME, lock_fingerprint, record_lock
from audit.paths import AuditFolder
from conftest import TINY, audit_in_process

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
#: left out of the lock on purpose (see the Makefile): importing rfc3987-syntax builds Lark grammars
NOT_LOCKED = ("rfc3987-syntax", "lark")


def _pins() -> dict[str, str]:
    text = LOCK.read_text(encoding="utf-8")
    return {canonicalize_name(m[1]): m[2] for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.MULTILINE)}


def test_lock_pins_every_requirement_of_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    wanted += tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    pins = _pins()
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is in pyproject.toml but not in requirements.lock: run 'make lock'"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside {requirement}: run 'make lock'"
        )


def test_every_pin_has_hashes_and_the_lock_names_no_local_path() -> None:
    text = LOCK.read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert len(blocks) == len(_pins()) > 50
    for block in blocks:
        assert "--hash=sha256:" in block, block.splitlines()[0]
    assert not re.search(r"file:|/opt/|/work/|/tmp/|--index-url|--find-links", text)


def test_the_grammar_packages_are_left_out() -> None:
    pins = _pins()
    assert "jupyterlab" in pins  # the auditor's working-paper tool stays installed
    for name in NOT_LOCKED:
        assert name not in pins


def test_import_papermill_builds_no_grammar() -> None:
    code = (
        "import sys, papermill; print(sorted(m for m in sys.modules if m.split('.')[0] in ('rfc3987_syntax', 'lark')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_fingerprint_is_the_recorded_lock(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("six==1.16.0 \\\n    --hash=sha256:00\n", encoding="utf-8")
    record = record_lock(lock, prefix=tmp_path)
    assert record == tmp_path / RECORD_NAME
    assert lock_fingerprint(tmp_path) == {
        "file": "requirements.lock",
        "sha256": hashlib.sha256(lock.read_bytes()).hexdigest(),
    }


@pytest.mark.parametrize("content", [None, "not json", "[]", '{"file": "x"}', '{"file": 1, "sha256": "ab"}'])
def test_no_fingerprint_without_a_readable_record(tmp_path: Path, content: str | None) -> None:
    if content is not None:
        (tmp_path / RECORD_NAME).write_text(content, encoding="utf-8")
    assert lock_fingerprint(tmp_path) == {}


def test_manifest_says_which_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("pinned\n", encoding="utf-8")
    record_lock(lock, prefix=tmp_path)
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    path = write_manifest(AuditFolder(tmp_path), audit_in_process(TINY), {}, {})
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert manifest["lock"] == {"file": "requirements.lock", "sha256": hashlib.sha256(b"pinned\n").hexdigest()}
