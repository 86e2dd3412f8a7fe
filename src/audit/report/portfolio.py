"""The portfolio PDF for the quality manager: a cross-site scorecard, then one page per site.

Built from each site's newest audit (results.json, issue.json, the site's action register) as
:mod:`audit.status` reads them; nothing is run. The template is
``templates/portfolio/portfolio.html.j2``.

Example:
    >>> write_portfolio(Path("audits"), Path("audits/portfolio.pdf"))     # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit import format as fmt
from audit.cycle.status import COUNTED, AuditStatus, audit_status
from audit.exceptions import ConfigError
from audit.io import write_with
from audit.model import AuditSnapshot, Finding, Kpi
from audit.paths import TEMPLATES_DIR
from audit.report.pdf import write_pdf
from audit.report.sections.base import HEADLINE_KPIS
from audit.report.tables import format_kpi

__all__ = ["PORTFOLIO_KPIS", "portfolio_html", "write_portfolio"]

#: KPIs in the cross-site scorecard, with their column headings
PORTFOLIO_KPIS = {
    "csat_mean": "CSAT",
    "nps": "NPS",
    "complaints_resolved_within_sla_pct": "Compl. in SLA %",
    "otif_pct": "OTIF %",
    "return_rate_pct": "Return rate %",
}


@dataclass(frozen=True)
class _Site:
    """One site's newest audit, as the portfolio shows it."""

    status: AuditStatus
    snapshot: AuditSnapshot

    @property
    def conclusion(self) -> str:
        return self.snapshot.assessment.conclusion_label

    @property
    def reason(self) -> str:
        return self.snapshot.assessment.conclusion_reason

    @property
    def info(self) -> Any:
        return self.snapshot.config.audit

    @property
    def scorecard(self) -> list[Kpi]:
        return [k for k in self.snapshot.kpis if k.target is not None or k.id in HEADLINE_KPIS]

    @property
    def findings(self) -> list[Finding]:
        return [f for f in self.snapshot.assessment.findings if f.grade in COUNTED]

    def kpi(self, kpi_id: str) -> Kpi | None:
        return self.snapshot.kpis.get(kpi_id)

    @staticmethod
    def shown(kpi: Kpi | None, field: str = "value") -> str:
        return fmt.NA if kpi is None else format_kpi(kpi, field)


def _newest_per_site(rows: list[AuditStatus]) -> list[_Site]:
    newest: dict[str, AuditStatus] = {}
    for row in rows:
        if row.snapshot is not None:
            newest[row.site] = row  # rows come by site, then quarter
    return [_Site(row, row.snapshot) for row in newest.values() if row.snapshot is not None]


def portfolio_html(root: Path | str, *, today: dt.date | None = None) -> str:
    """The portfolio as an HTML document (every value from the files is escaped).

    Raises:
        ConfigError: no audit under ``root`` has been run.
    """
    import jinja2

    day = today or dt.date.today()
    rows = audit_status(root, today=day)
    sites = _newest_per_site(rows)
    if not sites:
        unreadable = [r for r in rows if r.problem and r.snapshot is None]
        if unreadable:
            raise ConfigError(unreadable[0].problem)
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

    target = Path(pdf)
    html = portfolio_html(root, today=today)
    write_with(target, lambda temporary: write_pdf(html, temporary, base_dir=target.parent))
    return target
