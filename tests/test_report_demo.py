"""The demo organisation's report, read back as a manager sees it (ISO 19011:2018 6.5.1)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from audit.demo import write_demo
from audit.runner import RunResult, run_audit

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext not installed (apt-get install poppler-utils)")

#: what ISO 19011:2018 6.5.1 asks a report to contain, as our report words it
REPORT_ITEMS = (
    "Objectives", "Scope", "Audit criteria", "Audit client", "Audit team", "Parties and dates", "Findings in full",
    "Evidence", "Audit conclusion", "Degree of fulfilment of the audit criteria", "Diverging opinions", "Sign-off",
    "An audit is based on a sample of the available information", "Follow-up of previous actions",
    "Data quality", "Methodology and formulas", "Confidentiality", "Distribution", "Lead auditor",
)  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunResult, str]:
    folder = write_demo(tmp_path_factory.mktemp("demo"))
    result = run_audit(folder, progress=False)
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(result.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return result, text


def test_report_has_every_iso_19011_item(demo: tuple[RunResult, str]) -> None:
    _, text = demo
    flat = " ".join(text.split())
    missing = [item for item in REPORT_ITEMS if item not in flat]
    assert missing == []
    assert "Page 1 of" in text


def test_every_finding_and_action_is_in_the_report(demo: tuple[RunResult, str]) -> None:
    result, text = demo
    results = json.loads(result.folder.results.read_text(encoding="utf-8"))
    assert results["findings"] and results["actions"]
    for item in results["findings"] + results["actions"]:
        assert re.search(rf"\b{re.escape(item['id'])}\b", text), item["id"]


def test_no_code_or_noise_in_the_report(demo: tuple[RunResult, str]) -> None:
    _, text = demo
    for leaked in ("import ", "def ", "Traceback", "Warning", "section(", "DataFrame"):
        assert leaked not in text, leaked


def test_the_outputs_sit_beside_the_report(demo: tuple[RunResult, str]) -> None:
    result, _ = demo
    root: Path = result.folder.root
    for name in (
        "report.pdf",
        "report.html",
        "audit.ipynb",
        "results.json",
        "manifest.json",
        "findings.xlsx",
        "data_quality.xlsx",
    ):
        assert (root / name).is_file(), name
    assert (root.parent / "actions.xlsx").is_file()
