"""audit.cycle and audit.finalize: the run lock, staged outputs, SIGTERM, finalize and revisions."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit import cycle
from audit.exceptions import ConfigError, FolderLocked, RunError
from audit.finalize import finalize
from audit.model import Assessment, AuditSnapshot, Finding, Grade, Kpi, KpiTable
from audit.paths import AuditFolder
from audit.runner import RunResult, run_audit
from conftest import TINY, audit_in_process

CLI = [sys.executable, "-m", "audit.cli"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _hashes(folder: AuditFolder) -> dict[str, str]:
    return {p.name: _sha(p) for p in folder.outputs}


# ---------------------------------------------------------------- lock (no papermill)


def test_second_lock_on_a_folder_stops_with_a_clear_message(tmp_path: Path) -> None:
    with cycle.folder_lock(tmp_path):
        held = json.loads((tmp_path / ".audit.lock").read_text(encoding="utf-8"))
        assert held["pid"] == os.getpid() and held["host"] == socket.gethostname()
        with (
            pytest.raises(FolderLocked, match=rf"pid {os.getpid()} on this host.*wait for it to finish"),
            cycle.folder_lock(tmp_path),
        ):
            pass
    assert not (tmp_path / ".audit.lock").exists()


def test_lock_is_released_when_the_block_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), cycle.folder_lock(tmp_path):
        raise RuntimeError("boom")
    assert not (tmp_path / ".audit.lock").exists()


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    stale = {
        "pid": int(dead.stdout),
        "host": socket.gethostname(),
        "command": "run",
        "started": "2026-01-01T00:00:00+00:00",
    }
    (tmp_path / ".audit.lock").write_text(json.dumps(stale), encoding="utf-8")
    with cycle.folder_lock(tmp_path):
        assert json.loads((tmp_path / ".audit.lock").read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert "taking over a stale lock" in caplog.text and str(stale["pid"]) in caplog.text
    assert not (tmp_path / ".audit.lock").exists()


def test_lock_from_another_host_is_not_taken_over(tmp_path: Path) -> None:
    other = {"pid": 1, "host": "elsewhere.example", "command": "run", "started": "2026-01-01T00:00:00+00:00"}
    (tmp_path / ".audit.lock").write_text(json.dumps(other), encoding="utf-8")
    with pytest.raises(FolderLocked, match=r"host elsewhere\.example"), cycle.folder_lock(tmp_path):
        pass
    assert (tmp_path / ".audit.lock").exists()


def test_revision_file_names() -> None:
    folder = AuditFolder(Path("x"))
    assert folder.report_pdf.name == "report.pdf" and folder.results.name == "results.json"
    assert [p.name for p in folder.at(2).outputs] == [
        "audit-r2.ipynb", "report-r2.html", "report-r2.pdf", "results-r2.json",
        "manifest-r2.json", "data_quality-r2.xlsx", "findings-r2.xlsx",
    ]  # fmt: skip
    assert folder.at(2).action_register == folder.action_register


def _snap(conclusion: str, kpis: dict[str, tuple[str, float]], findings: list[tuple[str, str, Grade]]) -> AuditSnapshot:
    base = audit_in_process(TINY)
    table = KpiTable(tuple(Kpi(k, label, v, "points", 10) for k, (label, v) in kpis.items()))
    drafted = tuple(Finding(f"F-{i}", c, "9.1.2", "8.2.1", g, t, "", "", "") for i, (c, t, g) in enumerate(findings))
    return dataclasses.replace(base, kpis=table, assessment=Assessment(drafted, (), conclusion, ""))  # type: ignore[arg-type]


def test_changes_between_lists_kpis_findings_and_conclusion() -> None:
    before = _snap(
        "effective_with_ofi",
        {"nps": ("NPS", 30.0), "otif_pct": ("OTIF", 85.0), "gone": ("Gone", 1.0)},
        [("a", "Old one", "ofi"), ("b", "Kept", "minor")],
    )
    after = _snap(
        "partially_effective",
        {"nps": ("NPS", 25.0), "otif_pct": ("OTIF", 85.001)},
        [("b", "Kept", "major"), ("c", "New one", "minor")],
    )
    lines = cycle.changes_between(before, after)
    assert lines[0] == "Conclusion: Effective, with opportunities for improvement → Partially effective"
    assert "NPS: +30 → +25" in lines and not any(line.startswith("OTIF") for line in lines)  # as the report shows them
    assert "Gone: no longer reported" in lines
    assert "Finding added: New one (Minor nonconformity)" in lines
    assert "Finding removed: Old one (Opportunity for improvement)" in lines
    assert "Finding regraded: Kept: Minor nonconformity → Major nonconformity" in lines
    assert cycle.changes_between(before, before) == []


def test_finalize_refuses_without_a_report(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no report to issue yet"):
        finalize(tmp_path)


# ---------------------------------------------------------------- runs (papermill)


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    folder = tmp_path_factory.mktemp("cycle") / "site" / "2026-Q3"
    shutil.copytree(TINY, folder)
    return run_audit(folder, progress=False)


def test_run_leaves_no_staging_lock_or_partial_files(first: RunResult) -> None:
    root = first.folder.root
    assert first.folder.revision == 1 and first.pdf == root / "report.pdf"
    assert all(p.stat().st_size > 0 for p in first.folder.outputs)
    assert sorted(p.name for p in root.glob(".*")) == []


def test_sigterm_after_the_notebook_started_keeps_previous_outputs(first: RunResult) -> None:
    import psutil

    root = first.folder.root
    before = _hashes(first.folder)
    process = subprocess.Popen([*CLI, "run", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reading = threading.Event()

    def follow() -> None:  # the progress lines: "reading …" once the kernel has read a file
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line.rstrip("\n"))
            if line.startswith("reading "):
                reading.set()

    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    try:
        assert reading.wait(60), f"the notebook did not start: {lines}"
        kernels = psutil.Process(process.pid).children(recursive=True)
        assert kernels
        process.send_signal(signal.SIGTERM)  # the kernel is executing cells
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        follower.join(10)
        assert process.stderr is not None
        process.stderr.close()
    assert process.returncode == 3, lines
    assert lines[-1] == f"error: the run of {root} was stopped (SIGTERM); its previous outputs are unchanged"
    assert not any("Traceback" in line or "Task exception" in line for line in lines), lines
    assert _hashes(first.folder) == before
    assert not (root / ".audit.lock").exists() and not (root / ".audit.staging").exists()
    _gone, alive = psutil.wait_procs(kernels, timeout=10)
    assert not alive, "the kernel was left running"


def test_run_of_a_locked_folder_exits_2_with_one_line(first: RunResult) -> None:
    root = first.folder.root
    with cycle.folder_lock(root):
        done = subprocess.run([*CLI, "run", "--quiet", str(root)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "is locked" in done.stderr and "Traceback" not in done.stderr


def test_same_inputs_give_the_same_results_apart_from_timestamps(first: RunResult) -> None:
    before = json.loads(first.folder.results.read_text(encoding="utf-8"))
    again = run_audit(first.folder.root, progress=False)
    after = json.loads(again.folder.results.read_text(encoding="utf-8"))
    for results in (before, after):
        results.pop("run")  # generated_at and load timings
    assert after == before
    assert [f["title"] for f in after["findings"]] and after["findings"] == before["findings"]


@pytest.fixture(scope="module")
def issued(first: RunResult) -> dict[str, object]:
    """Q3 issued as revision 1, then re-run with one survey score changed: revision 2."""
    root = first.folder.root
    issue = finalize(root, by="Q. Manager")
    hashes = _hashes(first.folder)
    surveys = root / "surveys.csv"
    os.chmod(surveys, 0o644)
    text = surveys.read_text(encoding="utf-8")
    assert "S04,K4,2026-08-01,3," in text
    surveys.write_text(text.replace("S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,5,", 1), encoding="utf-8")
    second = run_audit(root, progress=False)
    return {"issue": issue, "hashes": hashes, "second": second}


def test_finalize_records_the_issue_and_makes_outputs_read_only(first: RunResult, issued: dict[str, object]) -> None:
    issue = issued["issue"]
    assert isinstance(issue, cycle.Issue)
    record = json.loads((first.folder.root / "issue.json").read_text(encoding="utf-8"))
    assert record["issues"][0]["revision"] == 1 and record["issues"][0]["by"] == "Q. Manager"
    assert record["issues"][0]["sha256"] == issued["hashes"]["report.pdf"]  # type: ignore[index]
    assert set(record["issues"][0]["files"]) == {p.name for p in first.folder.outputs}
    for path in first.folder.outputs:
        assert not os.access(path, os.W_OK) or os.geteuid() == 0
        assert path.stat().st_mode & 0o222 == 0, path.name
    # the issued report is rendered again without the DRAFT mark
    assert 'class="watermark"' not in first.folder.report_html.read_text(encoding="utf-8")


def test_rerun_after_finalize_writes_revision_2_and_keeps_revision_1(
    first: RunResult, issued: dict[str, object]
) -> None:
    second = issued["second"]
    assert isinstance(second, RunResult)
    assert second.folder.revision == 2 and second.pdf.name == "report-r2.pdf"
    assert all(p.stat().st_size > 0 for p in second.folder.outputs)
    assert _hashes(first.folder) == issued["hashes"]
    manifest = json.loads(second.folder.manifest.read_text(encoding="utf-8"))
    assert manifest["outputs"]["report_pdf"] == "report-r2.pdf"
    html = second.folder.report_html.read_text(encoding="utf-8")
    assert 'data-rev="2"' in html and "Changes since revision 1" in html and "issued" in html and "Q. Manager" in html
    results_1 = json.loads(first.folder.results.read_text(encoding="utf-8"))
    results_2 = json.loads(second.folder.results.read_text(encoding="utf-8"))
    label = results_2["kpis"]["csat_mean"]["label"]
    assert results_1["kpis"]["csat_mean"]["value"] != results_2["kpis"]["csat_mean"]["value"]
    assert f"{label}: " in html
    assert "Report revision 2" in html
    assert 'class="watermark"' in html  # revision 2 is a draft until it is issued
    assert b"pdfaid" not in b"\n".join(_pdf_streams(second.pdf.read_bytes()))  # a draft is a plain PDF


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed (apt-get install poppler-utils)")
def test_revision_2_pdf_shows_rev_2_in_the_running_header(issued: dict[str, object]) -> None:
    second = issued["second"]
    assert isinstance(second, RunResult)
    text = subprocess.run(
        ["pdftotext", "-layout", str(second.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count("Rev. 2") >= 3 and "Rev. 1" not in text


def test_finalize_twice_and_a_second_revision(first: RunResult, issued: dict[str, object]) -> None:
    root = first.folder.root
    done = subprocess.run([*CLI, "finalize", str(root), "--by", "Q. Manager"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "issued revision 2" in done.stdout
    again = subprocess.run([*CLI, "finalize", str(root)], capture_output=True, text=True)
    assert again.returncode == 2 and again.stderr.count("\n") == 1
    assert "revision 2 is already issued" in again.stderr
    assert [i.revision for i in cycle.issues(root)] == [1, 2]


def _next_quarter_data(q3: Path, q4: Path) -> None:
    """Q4's exports: Q3's rows again, plus each row moved on by one quarter (92 days) with new ids."""
    import pandas as pd

    dates = {
        "Date",
        "received_on",
        "acknowledged_on",
        "resolved_on",
        "returned_on",
        "ordered_on",
        "promised_on",
        "delivered_on",
    }
    ids = {"ID", "complaint_id", "return_id", "order_id"}
    for name in ("surveys.csv", "complaints.csv", "returns.csv", "orders.csv"):
        frame = pd.read_csv(q3 / name, dtype=str, keep_default_na=False)
        moved = frame.copy()
        for column in frame.columns:
            if column in dates:
                shifted = pd.to_datetime(frame[column], errors="coerce") + pd.Timedelta(days=92)
                moved[column] = shifted.dt.strftime("%Y-%m-%d").fillna("")
            elif column in ids:
                moved[column] = "N" + frame[column]
        pd.concat([frame, moved]).to_csv(q4 / name, index=False)


def test_next_quarter_compares_with_q3_and_follows_up_its_actions(first: RunResult, issued: dict[str, object]) -> None:
    from audit.cycle.carry import new_audit

    q3 = first.folder.root
    made = new_audit("2026-Q4", q3)
    assert {p.name for p in made.to_supply} == {"surveys.csv", "complaints.csv", "returns.csv", "orders.csv"}
    _next_quarter_data(q3, made.folder)
    q4 = run_audit(made.folder, progress=False)
    results = json.loads(q4.folder.results.read_text(encoding="utf-8"))
    assert results["audit"]["id"] == "TINY-2026-Q4" and results["audit"]["period"] == "2026-Q4"
    assert "2026-Q3" in results["periods_compared"]
    html = q4.folder.report_html.read_text(encoding="utf-8")
    assert (
        "Trends compare 2026-Q4 with the earlier quarters " in html and ", 2026-Q3; a quarter without records" in html
    )
    assert results["kpis"]["csat_mean"]["previous"] is not None
    q3_actions = [a["id"] for a in json.loads(AuditFolder(q3, 2).results.read_text(encoding="utf-8"))["actions"]]
    overdue = [f for f in results["findings"] if f["check"] == "actions_overdue"]
    assert overdue and q3_actions
    assert any(
        action_id in overdue[0]["evidence"] or action_id in overdue[0]["evidence_ids"] for action_id in q3_actions
    )
    assert _hashes(first.folder) == issued["hashes"]  # revision 1 of Q3 still byte-identical


def _pdf_streams(pdf: bytes) -> list[bytes]:
    """Every stream of a PDF, inflated when Flate-compressed (enough to read XMP and output intents)."""
    import zlib

    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        data = match.group(1)
        try:
            out.append(zlib.decompress(data))
        except zlib.error:
            out.append(data)
    return out


@pytest.mark.skipif(shutil.which("pdfdetach") is None, reason="pdfdetach not installed (apt-get install poppler-utils)")
def test_the_issued_pdf_is_pdf_a_3b_with_its_records_attached(
    first: RunResult, issued: dict[str, object], tmp_path: Path
) -> None:  # issued: revision 1 is finalized
    # veraPDF is not installable here: the PDF/A-3b markers are checked instead (XMP pdfaid,
    # the output intent, the embedded files and their relationship)
    raw = first.folder.report_pdf.read_bytes()
    streams = b"\n".join(_pdf_streams(raw))
    pdf = raw + streams  # objects may sit in compressed object streams
    assert re.search(rb"pdfaid:part(>|=\")3", streams) and re.search(rb"pdfaid:conformance(>|=\")B", streams)
    assert b"/OutputIntent" in pdf and b"/GTS_PDFA1" in pdf and b"/DestOutputProfile" in pdf
    assert b"/AFRelationship /Data" in pdf or b"/AFRelationship/Data" in pdf
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path), str(first.folder.report_pdf)], check=True)
    for original in (first.folder.results, first.folder.manifest):
        assert (tmp_path / original.name).read_bytes() == original.read_bytes(), original.name
    info = subprocess.run(["pdfinfo", str(first.folder.report_pdf)], capture_output=True, text=True, check=True)
    assert "Customer satisfaction monitoring audit" in info.stdout and "Author:" in info.stdout
    html = first.folder.report_html.read_text(encoding="utf-8")
    assert "issue-stamp" in html and "Q. Manager" in html and "Inputs SHA-256" in html


def test_a_notebook_failing_in_a_cell_is_kept_partly_executed_for_the_auditor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "site" / "2026-Q3"
    shutil.copytree(TINY, folder)
    broken = tmp_path / "broken"
    broken.mkdir()  # the kernel (which inherits the environment) gets KPIs that fail unexpectedly
    (broken / "sitecustomize.py").write_text(
        "import audit\n\ndef _fails(*args, **kwargs):\n    raise ZeroDivisionError('planted')\n\naudit.compute_kpis = _fails\n"
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(broken), os.environ.get("PYTHONPATH")])))
    with pytest.raises(RunError, match=r"failed in cell \d+: ZeroDivisionError: planted") as raised:
        run_audit(folder, progress=False)
    kept = folder / ".audit.partial.ipynb"
    assert str(kept) in str(raised.value)
    cells = json.loads(kept.read_text(encoding="utf-8"))["cells"]
    failed = [c for c in cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert len(failed) == 1 and "compute_kpis" in "".join(failed[0]["source"])
    assert any(
        c.get("outputs") for c in cells[: cells.index(failed[0])]
    )  # the cells before it ran and show their output
    assert not (folder / "report.pdf").exists() and not (folder / ".audit.staging").exists()


@pytest.mark.parametrize("copy", ["works", "dies"])
def test_the_workbooks_written_beside_the_report_are_there_when_it_ends(
    first: RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copy: str
) -> None:
    from contextlib import contextmanager

    from audit import forked, runner
    from audit.progress import listening

    snapshot = AuditSnapshot.load(first.folder.results)
    if copy == "dies":

        class Died:
            def result(self) -> None:
                raise forked.ForkFailed("killed")

        @contextmanager
        def dying(*args: object) -> Iterator[Died]:
            yield Died()

        monkeypatch.setattr(runner.forked, "in_fork", dying)
    out = AuditFolder(tmp_path)
    heard: list[str] = []
    with listening(lambda e: heard.append(f"{e.kind} {e.label}")), runner._outputs_written(snapshot, out, beside=True):
        heard.append("the report renders")
        if copy == "dies":
            assert not out.results.exists()  # the run writes them itself, after the block
    names = ("results.json", "findings.xlsx", "data_quality.xlsx")
    assert all((tmp_path / name).stat().st_size > 0 for name in names)
    assert heard[0] == "the report renders" and [h for h in heard if h.startswith("done")] == [
        f"done {n}" for n in names
    ]
    assert (
        json.loads(out.results.read_text(encoding="utf-8"))["findings"]
        == json.loads(first.folder.results.read_text(encoding="utf-8"))["findings"]
    )
