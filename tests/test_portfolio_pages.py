"""The portfolio's pages: a summary and one page per site, however many findings and KPIs a site has, in the sites' language."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from audit.model import Assessment, Finding
from audit.report.portfolio import MAX_FINDINGS, portfolio_html, portfolio_language, write_portfolio
from conftest import _tiny_results

PDFTOTEXT = shutil.which("pdftotext")
LONG = (
    "投诉解决超出 14 天服务水平：服务水平内解决率 45.3%，目标 90.0%；25 项超过服务水平仍未关闭，最久的已未关闭 78 天，"
    * 2
)


def _site(root: Path, name: str, lang: str, findings: int, *, complaints: float = 57.0, nps: float = -1.55) -> None:
    """A site's results.json from the tiny audit: ``findings`` findings with long titles, every KPI with a target."""
    base = _tiny_results()
    info = base.config.audit.model_copy(update={"id": f"{name.upper()}-2026-Q3", "language": lang, "site": name})
    folder = root / name / "2026-Q3"
    config = base.config.model_copy(update={"audit": info, "folder": folder})
    grades = ("major", "minor", "observation", "ofi")
    found = tuple(
        Finding(f"F-{i:02d}", "objective_met", "9.1.2", "8.2.1", grades[i % 4], f"{LONG} ({i})", "r", "e", "g")
        for i in range(1, findings + 1)
    )
    kpis = tuple(
        dataclasses.replace(k, value=complaints if k.id == "complaints" else nps if k.id == "nps" else k.value,
                            target=k.target if k.target is not None else (k.value or 1.0))
        for k in base.kpis
    )  # fmt: skip
    snapshot = dataclasses.replace(
        base,
        config=config,
        kpis=dataclasses.replace(base.kpis, kpis=kpis),
        assessment=Assessment(found, (), "partially_effective", "一项一般不符合。"),
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "audit.yaml").write_text("audit: {}\n", encoding="utf-8")
    snapshot.dump(folder / "results.json")


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext not installed (apt-get install poppler-utils)")
def test_one_page_per_site_and_a_summary_however_long_a_site_is(tmp_path: Path) -> None:
    root = tmp_path / "audits"
    for name, findings in (("plant-1", 40), ("plant-2", 3), ("plant-3", 0)):
        _site(root, name, "zh-CN", findings)
    pdf = write_portfolio(root, tmp_path / "portfolio.pdf")
    pages = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages_text = pages.split("\f")[:-1]
    assert len(pages_text) == 3 + 1  # a summary, then one page per site: no site runs onto a second page
    assert "第 4 页，共 4 页" in pages_text[-1]
    for page, name in zip(pages_text[1:], ("plant-1", "plant-2", "plant-3"), strict=True):
        assert f"{name} · 2026-Q3" in page
    first = pages_text[1]
    assert f"F-{MAX_FINDINGS:02d}" in first and f"F-{MAX_FINDINGS + 1:02d}" not in first
    assert f"另有 {40 - MAX_FINDINGS} 项审核发现见该场所的报告。" in first
    assert "另有" in first and "项指标见该场所的报告。" in first  # more KPIs with a target than the page lists
    assert "没有需要采取措施的审核发现。" in pages_text[3]
    # numbers through the one formatter: complaints as a count, the NPS whole and signed
    summary = pages_text[0]
    assert "顾客满意审核汇总" in summary and "场所" in summary and "严重" in summary and "−2" in summary
    assert "57.0" not in pages and "-1.55" not in pages and "−1.55" not in pages
    assert "草稿 第 1 版" in first and "Page" not in pages and "Finding" not in pages


def test_the_portfolio_speaks_the_language_most_sites_use(tmp_path: Path) -> None:
    root = tmp_path / "audits"
    _site(root, "plant-1", "en", 2)
    _site(root, "plant-2", "en", 2)
    _site(root, "plant-3", "zh-CN", 2)
    html = portfolio_html(root)
    assert '<html lang="en">' in html and "Customer satisfaction audits: portfolio" in html
    assert '<td class="nowrap">Minor nonconformity</td>' in html and "<th>Finding</th>" in html
    assert (
        "审核发现" not in html and "草稿" not in html
    )  # the Chinese site's titles stay as written, the words are English
    assert portfolio_language(["zh-CN", "en"]) == "zh-CN" and portfolio_language([]) == "en"
    assert portfolio_language(["en", "zh-CN", "zh-CN"]) == "zh-CN"
