"""The portfolio PDF: cross-site scorecard, then a page per site (from results.json; nothing is run)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audit.exceptions import ConfigError
from audit.model import Grade
from audit.report.portfolio import portfolio_html, write_portfolio
from conftest import write_results

CLI = [sys.executable, "-m", "audit.cli"]


def _results(folder: Path, audit_id: str, period: str, csat: float, grades: list[Grade]) -> None:
    write_results(folder, audit_id, period, grades, csat=csat, site=audit_id[:2])


@pytest.fixture
def root(tmp_path: Path) -> Path:
    audits = tmp_path / "audits"
    _results(audits / "plant-1" / "2026-Q2", "P1-2026-Q2", "2026-Q2", 4.5, [])
    _results(audits / "plant-1" / "2026-Q3", "P1-2026-Q3", "2026-Q3", 3.8, ["major", "ofi", "conforming"])
    _results(audits / "plant-2" / "2026-Q3", "P2-2026-Q3", "2026-Q3", 4.2, ["minor"])
    (audits / "plant-3" / "2026-Q3").mkdir(parents=True)
    (audits / "plant-3" / "2026-Q3" / "audit.yaml").write_text("audit: {}\n", encoding="utf-8")  # not run
    return audits


def test_scorecard_has_each_sites_newest_audit_then_a_page_each(root: Path) -> None:
    html = portfolio_html(root)
    assert html.count('<section class="site">') == 2
    assert (
        "plant-1 · 2026-Q3" in html and "plant-2 · 2026-Q3" in html and "2026-Q2" not in html and "plant-3" not in html
    )
    assert '<td class="num not_met">3.80</td>' in html and '<td class="num met">4.20</td>' in html
    assert "&lt;b&gt;major finding&lt;/b&gt;" in html and "<b>major finding" not in html  # escaped
    assert "conforming finding" not in html  # only findings with a grade that counts


def test_portfolio_pdf_and_cli(root: Path) -> None:
    written = write_portfolio(root, root / "portfolio.pdf")
    assert written.read_bytes().startswith(b"%PDF") and not list(root.glob(".*partial"))
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(written), "-"], capture_output=True, text=True, check=True).stdout
        assert "Page 3 of 3" in text and "P2-2026-Q3" in text
    done = subprocess.run([*CLI, "portfolio", str(root), "-o", str(root / "p.pdf")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(root / "p.pdf")


def test_portfolio_without_any_run_stops(tmp_path: Path) -> None:
    (tmp_path / "a" / "2026-Q3").mkdir(parents=True)
    (tmp_path / "a" / "2026-Q3" / "audit.yaml").write_text("audit: {}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no audit has been run yet"):
        portfolio_html(tmp_path)
