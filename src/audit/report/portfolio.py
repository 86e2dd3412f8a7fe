"""The portfolio PDF for the quality manager: a cross-site scorecard, then one page per site.

Built from each site's newest audit (results.json, issue.json, the site's action register) as
:mod:`audit.status` reads them; nothing is run. The template is
``templates/portfolio/portfolio.html.j2``.

Example:
    >>> write_portfolio(Path("audits"), Path("audits/portfolio.pdf"))     # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit import cycle
from audit.cycle.status import COUNTED, AuditStatus, audit_status
from audit.exceptions import ConfigError
from audit.io import write_with
from audit.paths import TEMPLATES_DIR

__all__ = ["PORTFOLIO_KPIS", "portfolio_html", "write_portfolio"]

#: KPIs in the cross-site scorecard, with their column headings
PORTFOLIO_KPIS = {
    "csat_mean": "CSAT",
    "nps": "NPS",
    "complaints_resolved_within_sla_pct": "Compl. in SLA %",
    "otif_pct": "OTIF %",
    "return_rate_pct": "Return rate %",
}


def _fmt(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float) and value.is_integer() and abs(value) >= 100:
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"
    return str(value)


@dataclass(frozen=True)
class _Site:
    status: AuditStatus
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def kpis(self) -> dict[str, Any]:
        return dict(self.results.get("kpis", {}))

    @property
    def conclusion(self) -> str:
        return str(self.results.get("conclusion", "–")).replace("_", " ")

    @property
    def reason(self) -> str:
        return str(self.results.get("conclusion_reason", ""))

    @property
    def audit_id(self) -> str:
        return str(self.results["audit"]["id"])

    @property
    def organisation(self) -> str:
        return str(self.results["audit"].get("organisation", ""))

    @property
    def site_name(self) -> str:
        return str(self.results["audit"].get("site", ""))

    @property
    def scorecard(self) -> list[dict[str, Any]]:
        from audit.report.sections import HEADLINE_KPIS

        return [k for i, k in self.kpis.items() if k.get("target") is not None or i in HEADLINE_KPIS]

    @property
    def findings(self) -> list[dict[str, Any]]:
        return [f for f in self.results.get("findings", []) if f.get("grade") in COUNTED]

    def value(self, kpi_id: str) -> str:
        return _fmt(self.kpis.get(kpi_id, {}).get("value"))

    @staticmethod
    def fmt(value: Any) -> str:
        return _fmt(value)


def _newest_per_site(rows: list[AuditStatus]) -> list[_Site]:
    newest: dict[str, AuditStatus] = {}
    for row in rows:
        if row.conclusion is not None:
            newest[row.site] = row  # rows come by site, then quarter
    sites = []
    for row in newest.values():
        latest = cycle.latest_folder(row.folder)
        if latest is not None:
            sites.append(_Site(row, json.loads(latest.results.read_text(encoding="utf-8"))))
    return sites


def portfolio_html(root: Path | str, *, today: dt.date | None = None) -> str:
    """The portfolio as an HTML document (every value from the files is escaped).

    Raises:
        ConfigError: no audit under ``root`` has been run.
    """
    import jinja2

    day = today or dt.date.today()
    sites = _newest_per_site(audit_status(root, today=day))
    if not sites:
        raise ConfigError(f"{root}: no audit has been run yet (no results.json under it); run the sites first")
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "portfolio"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return environment.get_template("portfolio.html.j2").render(
        sites=sites,
        grades=list(COUNTED),
        columns=list(PORTFOLIO_KPIS.items()),
        root_name=Path(root).resolve().name,
        today=day.isoformat(),
    )


def write_portfolio(root: Path | str, pdf: Path | str, *, today: dt.date | None = None) -> Path:
    """Write the portfolio PDF of every site under ``root`` (atomically: temporary file, then rename).

    Returns:
        The PDF's path.

    Raises:
        ConfigError: no audit under ``root`` has been run.
    """
    from audit.report.pdf import write_pdf

    target = Path(pdf)
    html = portfolio_html(root, today=today)
    write_with(target, lambda temporary: write_pdf(html, temporary, base_dir=target.parent))
    return target
