"""Shared fixtures: the tiny hand-checked audit and copies of it to break."""

from __future__ import annotations

import dataclasses
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pytest

from audit import AuditSnapshot, assess, compute_kpis, load_audit, open_audit, snapshot
from audit.model import Assessment, Finding, Grade

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A writable copy of the tiny audit folder."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    return target


def folder_with(tmp_path: Path, data_block: str, *, max_invalid_pct: int = 50) -> Path:
    """An audit folder whose audit.yaml has the given ``data:`` entries (indented by two)."""
    header = (
        "audit: {id: T-2026-Q3, organisation: Test Ltd, period: 2026-Q3}\n"
        f"validation: {{max_invalid_pct: {max_invalid_pct}}}\ndata:\n"
    )
    (tmp_path / "audit.yaml").write_text(header + data_block, encoding="utf-8")
    return tmp_path


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a fixture file in place; fails loudly when ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@contextmanager
def local_listener() -> Iterator[tuple[int, list[object]]]:
    """A TCP listener on a free local port, recording every connection made to it.

    Yields:
        (port, connections): ``connections`` stays empty if nothing reached the port.
    """
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.2)
    hits: list[object] = []
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            hits.append(conn)
            conn.close()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], hits
    finally:
        stop.set()
        thread.join(2)
        server.close()


def audit_in_process(folder: Path) -> AuditSnapshot:
    """What the notebook computes for ``folder``, without papermill: the snapshot of its audit."""
    run = open_audit(folder)
    data = load_audit(run.config)
    kpis = compute_kpis(data, earlier=run.earlier)
    return snapshot(data, kpis, assess(data, kpis, register=run.register))


@lru_cache(maxsize=1)
def _tiny_results() -> AuditSnapshot:
    return audit_in_process(TINY)


def write_results(
    folder: Path,
    audit_id: str,
    period: str,
    grades: list[Grade],
    *,
    csat: float | None = None,
    organisation: str = "Tiny Valves Ltd",
    site: str = "",
    revision: int = 1,
) -> AuditSnapshot:
    """A results.json for an audit folder (and its audit.yaml), from the tiny audit with another id, period and findings."""
    base = _tiny_results()
    info = base.config.audit.model_copy(
        update={"id": audit_id, "period": period, "organisation": organisation, "site": site}
    )
    config = base.config.model_copy(update={"audit": info, "folder": folder})
    findings = tuple(
        Finding(f"F-{i:02d}", "objective_met", "9.1.2", "8.2.1", g, f"<b>{g} finding</b>", "req", "ev", "gap")
        for i, g in enumerate(grades, 1)
    )
    kpis = base.kpis
    if csat is not None:
        kpis = dataclasses.replace(
            kpis, kpis=tuple(dataclasses.replace(k, value=csat) if k.id == "csat_mean" else k for k in kpis)
        )
    result = dataclasses.replace(
        base, config=config, kpis=kpis, assessment=Assessment(findings, (), "partially_effective", "Because.")
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "audit.yaml").write_text("audit: {}\n", encoding="utf-8")  # status and the portfolio never read it
    result.dump(folder / ("results.json" if revision == 1 else f"results-r{revision}.json"))
    return result


@pytest.fixture(scope="session")
def demo_zh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo audit run once in Chinese (``demo --language zh-CN``), shared by every zh-CN test:
    the audit folder and the report's text (pdftotext -layout; pages split by form feeds)."""
    import subprocess

    from audit.demo import write_demo
    from audit.runner import run_audit

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext not installed (apt-get install poppler-utils)")
    folder = write_demo(tmp_path_factory.mktemp("demo-zh"), language="zh-CN")
    result = run_audit(folder, progress=False)
    text = subprocess.run([pdftotext, "-layout", str(result.pdf), "-"], capture_output=True, text=True, check=True)
    return folder, text.stdout
