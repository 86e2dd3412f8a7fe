"""Nothing lost: the site register under concurrent runs and Excel, interrupted runs and finalize, full disks.

Issue 14, items 4–7, 9 and 10. Most runs here replace the notebook with the same computation
in process (``audit_in_process``): what is tested is what the runner does around it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from audit import runner
from audit.cycle.register import read_register
from audit.exceptions import ConfigError, FileInUse, OutputError, RunInterrupted
from audit.finalize import finalize
from audit.model import AuditSnapshot
from audit.paths import AuditFolder
from audit.report.portfolio import portfolio_html
from audit.runner import run_audit
from conftest import TINY, audit_in_process

CLI = [sys.executable, "-m", "audit.cli"]


def _fake_notebook(context: object, staging: AuditFolder, *, kernel: object = None) -> tuple[AuditSnapshot, float]:
    staging.notebook.write_text("{}", encoding="utf-8")
    return audit_in_process(staging.root.parent), 0.0


def _fake_pdf(html: str, pdf_path: Path, *, base_dir: Path, attachments: object = ()) -> None:
    pdf_path.write_bytes(b"%PDF-1.7\n% the report's HTML, not rendered: these tests are about files, not pages\n")


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs compute in process instead of starting a kernel, and skip the PDF's typesetting."""
    monkeypatch.setattr(runner, "_kernel", contextlib.nullcontext)
    monkeypatch.setattr(runner, "execute_notebook", _fake_notebook)
    monkeypatch.setattr(runner, "write_pdf", _fake_pdf)


def _site(tmp_path: Path, period: str = "2026-Q3") -> Path:
    folder = tmp_path / "site" / period
    shutil.copytree(TINY, folder)
    return folder


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def test_a_register_open_in_excel_is_not_replaced(tmp_path: Path, quick: None) -> None:
    folder = _site(tmp_path)
    run_audit(folder, progress=False)
    site = folder.parent
    name = "Li Na".encode("cp1252")
    (site / "~$actions.xlsx").write_bytes(bytes([len(name)]) + name + b" " * (54 - len(name) - 1) + b"\x00" * 111)
    before = _hashes(site)
    with pytest.raises(FileInUse, match=r"^actions\.xlsx is open in Excel by Li Na; close it and run again"):
        run_audit(folder, progress=False)
    assert _hashes(site) == before  # no output published, the register untouched
    assert not (folder / ".audit.staging").exists() and not (site / ".actions.lock").exists()


def test_an_interrupted_run_leaves_the_register_and_outputs_as_they_were(
    tmp_path: Path, quick: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _site(tmp_path)
    run_audit(folder, progress=False)
    register = AuditFolder(folder).action_register
    book = openpyxl.load_workbook(register)
    sheet = book["Actions"]
    notes = next(c.column for c in sheet[1] if c.value == "Notes")
    sheet.cell(2, notes).value = "a note someone typed"  # an edit in Excel, which a merge would log
    book.save(register)
    before = _hashes(folder.parent)

    def stopped(*args: object, **kwargs: object) -> None:
        raise RunInterrupted("the run was stopped (SIGTERM)")

    monkeypatch.setattr(runner, "write_manifest", stopped)
    with pytest.raises(RunInterrupted):
        run_audit(folder, progress=False)
    assert _hashes(folder.parent) == before


def test_a_full_disk_is_one_line_naming_the_path(tmp_path: Path, quick: None, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _site(tmp_path)
    run_audit(folder, progress=False)
    before = _hashes(folder.parent)

    def full(staging: AuditFolder, *args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(staging.manifest))

    monkeypatch.setattr(runner, "write_manifest", full)
    with pytest.raises(OutputError) as caught:
        run_audit(folder, progress=False)
    message = str(caught.value)
    assert "manifest.json could not be written (No space left on device)" in message
    assert "the previous outputs are intact" in message and "\n" not in message
    assert caught.value.exit_code == 2 and _hashes(folder.parent) == before


def test_finalize_stopped_while_rendering_issues_nothing(
    tmp_path: Path, quick: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _site(tmp_path)
    run_audit(folder, progress=False)
    before = _hashes(folder)

    def stopped(*args: object, **kwargs: object) -> None:
        raise RunInterrupted("finalize was stopped (SIGTERM)")

    monkeypatch.setattr(runner, "write_pdf", stopped)
    with pytest.raises(RunInterrupted):
        finalize(folder, by="Q. Manager")
    assert _hashes(folder) == before  # report.html not replaced, no issue.json, nothing partial
    assert not (folder / "issue.json").exists() and not (folder / ".audit.lock").exists()


def test_finalize_without_the_working_paper_says_so(tmp_path: Path, quick: None) -> None:
    folder = _site(tmp_path)
    run_audit(folder, progress=False)
    (folder / "audit.ipynb").unlink()
    with pytest.raises(ConfigError, match=r"audit\.ipynb of revision 1 is missing; run 'csat-audit run .*' again"):
        finalize(folder)


def test_portfolio_names_a_corrupt_results_file(tmp_path: Path) -> None:
    folder = tmp_path / "audits" / "plant-1" / "2026-Q3"
    folder.mkdir(parents=True)
    (folder / "audit.yaml").write_text("audit: {}\n", encoding="utf-8")
    (folder / "results.json").write_text('{"version": 1, "audit": ', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"results\.json cannot be read as the results of an audit"):
        portfolio_html(tmp_path / "audits")


def test_two_quarters_of_one_site_at_once_keep_both_sets_of_actions(tmp_path: Path) -> None:
    q3 = _site(tmp_path, "2026-Q3")
    q4 = _site(tmp_path, "2026-Q4")
    yaml = q4 / "audit.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace("TINY-2026-Q3", "TINY-2026-Q4").replace("2026-Q3", "2026-Q4"),
        encoding="utf-8",
    )
    done = subprocess.run([*CLI, "run", "--quiet", "--jobs", "2", str(q3), str(q4)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    register = read_register(AuditFolder(q3).action_register)
    assert register is not None
    assert {e.raised_in for e in register.entries} == {"TINY-2026-Q3", "TINY-2026-Q4"}
    history = openpyxl.load_workbook(AuditFolder(q3).action_register)["History"]
    raised_by = {row[5].value for row in history.iter_rows(min_row=2) if row[4].value == "raised"}
    assert raised_by == {"TINY-2026-Q3", "TINY-2026-Q4"}
    assert not (q3.parent / ".actions.lock").exists()
