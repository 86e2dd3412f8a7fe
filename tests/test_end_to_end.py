"""The whole run through papermill and the report, read back as a manager would see it."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from audit.runner import RunResult, run_audit
from conftest import TINY, local_listener, replace_in

PDFTOTEXT = shutil.which("pdftotext")
CLI = [sys.executable, "-m", "audit.cli"]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    folder = tmp_path_factory.mktemp("e2e") / "tiny"
    shutil.copytree(TINY, folder)
    before = os.umask(0o022)
    try:
        return run_audit(folder, progress=False)
    finally:
        os.umask(before)


def test_outputs_are_created_with_the_users_umask(run: RunResult) -> None:
    made = [*run.folder.outputs, run.folder.action_register]
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in made} == {p.name: 0o644 for p in made}


def test_outputs_and_results_json(run: RunResult) -> None:
    root = run.folder.root
    for name in (
        "audit.ipynb",
        "report.html",
        "report.pdf",
        "results.json",
        "manifest.json",
        "data_quality.xlsx",
        "findings.xlsx",
    ):
        assert (root / name).stat().st_size > 0, name
    assert not list(root.glob(".*partial*"))
    # the site's action register, beside the audit folder, holds this audit's actions
    from audit.cycle.register import read_register

    register = read_register(root.parent / "actions.xlsx")
    assert register is not None and {e.raised_in for e in register.entries} == {"TINY-2026-Q3"}
    assert not list(root.parent.glob(".actions.*"))  # no temporary file left behind
    results = json.loads((root / "results.json").read_text(encoding="utf-8"))
    for kpi_id in ("csat_mean", "csat_top2_pct", "nps", "complaint_resolution_days_median",
                   "complaints_resolved_within_sla_pct", "return_rate_pct", "otif_pct"):  # fmt: skip
        kpi = results["kpis"][kpi_id]
        assert {"value", "unit", "n", "target", "status", "ci_low", "ci_high", "previous", "p_value"} <= set(kpi)
    assert results["kpis"]["otif_pct"]["value"] == pytest.approx(85.0)
    assert results["kpis"]["otif_pct"]["status"] == "not_met"
    assert all(f["clause_2015"] and f["clause_2008"] and f["grade"] for f in results["findings"])
    assert results["conclusion"] == "partially_effective"
    # the report's data-quality appendix points here for the full list of problems
    assert results["data_quality"]["problems"] == []


def test_manifest_hashes_every_input(run: RunResult) -> None:
    manifest = json.loads(run.folder.manifest.read_text(encoding="utf-8"))
    import hashlib

    inputs = {i["path"]: i for i in manifest["inputs"]}
    assert set(inputs) == {"surveys.csv", "complaints.csv", "returns.csv", "orders.csv"}
    surveys = inputs["surveys.csv"]
    assert surveys["sha256"] == hashlib.sha256((run.folder.root / "surveys.csv").read_bytes()).hexdigest()
    assert surveys["rows_read"] == 12
    assert {"notebook", "html", "pdf"} <= set(manifest["timings_seconds"])
    assert manifest["parameters"]["audit"]["id"] == "TINY-2026-Q3"
    assert "pandas" in manifest["versions"]


def test_report_html_has_charts_and_no_code(run: RunResult) -> None:
    html = run.folder.report_html.read_text(encoding="utf-8")
    assert html.count("<svg") >= 3
    for leaked in ("audit.load_audit", "import audit", "section(", "Traceback"):
        assert leaked not in html


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext not installed (apt-get install poppler-utils)")
def test_pdf_text_reads_as_a_report(run: RunResult) -> None:
    text = subprocess.run([PDFTOTEXT, "-layout", str(run.pdf), "-"], capture_output=True, text=True, check=True).stdout
    results = json.loads(run.folder.results.read_text(encoding="utf-8"))
    assert "Page 1 of" in text or "Page 2 of" in text
    assert "TINY-2026-Q3" in text
    for finding in results["findings"]:
        assert finding["id"] in text
    for action in results["actions"]:
        assert action["id"] in text
    for leaked in ("import ", "def ", "Traceback", "Warning"):
        assert leaked not in text, leaked
    assert not re.search(r"\baudit\.\w+\(", text), "a call into the audit package leaked"
    # the report only points readers to workbooks the run actually writes
    for workbook in set(re.findall(r"[\w.-]+\.xlsx", text)):
        assert (run.folder.root / workbook).is_file() or (run.folder.root.parent / workbook).is_file(), workbook
    pages = subprocess.run(["pdfinfo", str(run.pdf)], capture_output=True, text=True, check=True).stdout
    assert int(next(line for line in pages.splitlines() if line.startswith("Pages:")).split()[1]) >= 6


def test_cli_stops_with_exit_2_on_score_off_scale(tiny: Path) -> None:
    replace_in(tiny / "surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,9,")
    done = subprocess.run([*CLI, "run", "--quiet", str(tiny)], capture_output=True, text=True)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "surveys.csv, row 5, column 'Overall satisfaction'" in lines[0]
    assert "Traceback" not in done.stderr and not (tiny / "report.pdf").exists()


def test_cli_config_error_exit_2(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "site:", "sight:")
    done = subprocess.run([*CLI, "run", "--quiet", str(tiny)], capture_output=True, text=True)
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "unknown key 'audit.sight'" in done.stderr


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext not installed (apt-get install poppler-utils)")
def test_hostile_complaint_text_is_literal_text_everywhere(tiny: Path) -> None:
    import openpyxl

    with local_listener() as (port, hits):
        hostile = f'<img src="http://127.0.0.1:{port}/x.png"> <b>bold</b> =HYPERLINK("http://x","y")'
        # C5 is the overdue complaint, so its record is evidence in the report and in findings.xlsx
        replace_in(tiny / "complaints.csv", "Motor noise", '"' + hostile.replace('"', '""') + '"')
        result = run_audit(tiny, progress=False)
    assert hits == []
    # compared without white space: the PDF may wrap the long text anywhere
    text = "".join(
        subprocess.run([PDFTOTEXT, str(result.pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "".join(hostile.split()) in text
    book = openpyxl.load_workbook(result.folder.findings_xlsx)
    cells = [c for row in book["Evidence"].iter_rows() for c in row if c.value == hostile]
    assert cells and all(c.data_type == "s" for c in cells)
