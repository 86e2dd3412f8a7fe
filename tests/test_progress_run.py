"""What `csat-audit run` prints while it works: a line per stage, in the audit's language; nothing with --quiet."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit import cli
from audit.forked import CAN_FORK, cores
from conftest import TINY, replace_in

PDFINFO = shutil.which("pdfinfo")


def _copy(root: Path, name: str) -> Path:
    folder = root / name / "2026-Q3"
    shutil.copytree(TINY, folder)
    return folder


def _without_seconds(line: str) -> str:
    return re.sub(r" … [\d.]+ (s|秒)$", "", line)


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], str]:
    folder = _copy(tmp_path_factory.mktemp("progress"), "tiny")
    result = CliRunner().invoke(cli.app, ["run", str(folder)])
    assert result.exit_code == 0, result.output
    return folder, result.stderr.splitlines(), result.stdout


def test_a_run_prints_each_stage_in_order_with_its_counts(english: tuple[Path, list[str], str]) -> None:
    folder, lines, stdout = english
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    rows = {Path(s["path"]).name: s["rows_read"] for s in results["data_quality"]["sources"]}
    findings = results["findings"]
    acting = sum(f["grade"] in ("major", "minor", "observation", "ofi") for f in findings)  # Finding.needs_action
    workbooks = (r"writing results\.json", r"writing findings\.xlsx", r"writing data_quality\.xlsx")
    report = (r"writing report\.html", r"rendering PDF: \d+ pages")
    # with two cores a forked copy of the run writes the workbooks while the report renders: their lines follow
    beside = cores() >= 2 and CAN_FORK
    expected = [
        re.escape(f"auditing {folder}"),
        r"starting the notebook kernel",
        *(
            f"reading {name}: {rows[name]:,} rows"
            for name in ("surveys.csv", "complaints.csv", "returns.csv", "orders.csv")
        ),
        f"KPIs: {len(results['kpis'])}",
        "checks: 18",
        rf"findings: {len(findings)} \({acting} need action\)",
        "executing the notebook: 19 cells",  # 18 cells and papermill's parameters
        *(report if beside else workbooks),
        *(workbooks if beside else report),
        r"writing manifest\.json",
        r"updating actions\.xlsx",
        "publishing the outputs",
        "done",
    ]
    assert len(lines) == len(expected)
    for pattern, line in zip(expected, lines, strict=True):
        assert re.fullmatch(pattern, _without_seconds(line)), (pattern, line)
    assert all(re.search(r" … \d+\.\d s$", line) for line in lines[1:])
    assert stdout == f"{folder / 'report.pdf'}\n"  # stdout keeps only the result


@pytest.mark.skipif(PDFINFO is None, reason="pdfinfo not installed (apt-get install poppler-utils)")
def test_the_pdf_line_counts_the_pages_of_the_report(english: tuple[Path, list[str], str]) -> None:
    folder, lines, _ = english
    info = subprocess.run([str(PDFINFO), str(folder / "report.pdf")], capture_output=True, text=True, check=True)
    pages = re.search(r"Pages:\s+(\d+)", info.stdout)
    pdf = [line for line in lines if line.startswith("rendering PDF")]
    assert pages is not None and len(pdf) == 1 and f"rendering PDF: {pages.group(1)} pages …" in pdf[0]


def test_the_working_paper_holds_no_progress(english: tuple[Path, list[str], str]) -> None:
    folder, _, _ = english
    paper = json.loads((folder / "audit.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in paper["cells"] for o in c.get("outputs", [])]
    assert outputs and not [o for o in outputs if o.get("output_type") == "stream"]
    text = json.dumps(paper, ensure_ascii=False)
    assert "reading surveys.csv" not in text and "CSAT_AUDIT_PROGRESS" not in text


def test_in_chinese_when_the_audit_is(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "tiny")
    replace_in(folder / "audit.yaml", "  lead_auditor:", "  language: zh-CN\n  lead_auditor:")
    result = CliRunner().invoke(cli.app, ["run", str(folder)])
    assert result.exit_code == 0, result.output
    lines = [_without_seconds(line) for line in result.stderr.splitlines()]
    assert lines[0] == f"审核 {folder}"
    assert "读取 surveys.csv：12 行" in lines and "检查：18 项" in lines
    assert [line for line in lines if line.startswith("生成 PDF：") and line.endswith(" 页")]
    assert lines[-1] == "完成" and all(line.endswith(" 秒") for line in result.stderr.splitlines()[1:])
    assert not [line for line in lines if re.search(r"\b(reading|writing|rows|done)\b", line)]


def test_quiet_prints_nothing_but_the_report(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "tiny")
    result = CliRunner().invoke(cli.app, ["run", "--quiet", str(folder)])
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", f"{folder / 'report.pdf'}\n")


def test_jobs_two_sites_live_lines_on_a_terminal_and_a_line_per_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = [_copy(tmp_path, "plant-a"), _copy(tmp_path, "plant-b")]
    monkeypatch.setattr(cli, "is_terminal", lambda stream: True)  # as if stderr were a terminal
    result = CliRunner().invoke(cli.app, ["run", "--jobs", "2", *map(str, folders)])
    assert result.exit_code == 0, result.output
    done = result.stdout.splitlines()
    assert sorted(line.split(" ", 1)[0] for line in done) == ["[1/2]", "[2/2]"]
    assert {line.split()[-3] for line in done} == {str(f / "report.pdf") for f in folders}
    # each site's live line named its stage as the worker reported it (from its notebook's kernel too)
    screen = result.stderr.replace("\x1b[J", "\n").replace("\r", "\n")
    for site in ("plant-a/2026-Q3", "plant-b/2026-Q3"):
        seen = [line for line in screen.splitlines() if line.startswith(site + "  ")]
        assert any("reading orders.csv" in line for line in seen), seen[:5]
        assert any("rendering PDF" in line for line in seen)
    assert result.stderr.rstrip().endswith("2 of 2 audits done, 0 failed")
