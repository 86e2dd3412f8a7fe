"""The portfolio PDF for the quality manager: a cross-site scorecard, then one page per site.

Built from each site's newest audit (results.json, issue.json, the site's action register) as
:mod:`audit.status` reads them; nothing is run. The template is
``templates/portfolio/portfolio.html.j2``. It is written in the language most of the sites'
audits use (``audit.language``; the first site's on a tie), every number through
:mod:`audit.format`. Each site has one page and no more: its scorecard shows at most
:data:`MAX_KPIS` KPIs and :data:`MAX_FINDINGS` findings, then says how many more its own
report holds; no table row is split across pages.

Example:
    >>> write_portfolio(Path("audits"), Path("audits/portfolio.pdf"))     # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit import format as fmt
from audit.cycle.status import COUNTED, AuditStatus, audit_status
from audit.exceptions import ConfigError
from audit.i18n import LANGUAGES, N_, Language, _, language, ngettext
from audit.io import write_with
from audit.model import AuditSnapshot, Finding, Kpi
from audit.model.findings import grade_label
from audit.paths import TEMPLATES_DIR
from audit.report.pdf import write_pdf
from audit.report.sections.base import HEADLINE_KPIS
from audit.report.tables import format_kpi
from audit.report.words import kpi_name, status_label

__all__ = [
    "GRADE_HEADINGS",
    "MAX_FINDINGS",
    "MAX_KPIS",
    "PORTFOLIO_KPIS",
    "portfolio_html",
    "portfolio_language",
    "write_portfolio",
]

#: KPIs in the cross-site scorecard, with their column headings (English message ids)
PORTFOLIO_KPIS = {
    "csat_mean": N_("CSAT"),
    "nps": N_("NPS"),
    "complaints_resolved_within_sla_pct": N_("Compl. in SLA %"),
    "otif_pct": N_("OTIF %"),
    "return_rate_pct": N_("Return rate %"),
}
#: the cross-site scorecard's headings of the grades it counts
GRADE_HEADINGS = {"major": N_("Major"), "minor": N_("Minor"), "observation": N_("Obs."), "ofi": N_("OFI")}
#: the most KPIs and findings a site's page lists, so that it holds on one A4 landscape page
MAX_KPIS, MAX_FINDINGS = 12, 8


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
    def state(self) -> str:
        """``draft rev 2``, ``issued rev 1`` in the current language."""
        kind, _rev, number = self.status.state.partition(" rev ")
        if kind == "issued":
            return _("issued rev {n}", n=number)
        return _("draft rev {n}", n=number) if kind == "draft" else self.status.state

    @property
    def all_kpis(self) -> list[Kpi]:
        return [k for k in self.snapshot.kpis if k.target is not None or k.id in HEADLINE_KPIS]

    @property
    def scorecard(self) -> list[Kpi]:
        """The KPIs the page shows: those with a target first (missed ones before met ones), then the headline ones."""
        order = {"not_met": 0, "met": 1}
        ranked = sorted(self.all_kpis, key=lambda k: order.get(k.status, 2) if k.target is not None else 3)
        return ranked[:MAX_KPIS]

    @property
    def more_kpis(self) -> str:
        more = len(self.all_kpis) - MAX_KPIS
        return (
            ngettext("{n} more KPI in the site's report.", "{n} more KPIs in the site's report.", more)
            if more > 0
            else ""
        )

    @property
    def all_findings(self) -> list[Finding]:
        return [f for f in self.snapshot.assessment.findings if f.grade in COUNTED]

    @property
    def findings(self) -> list[Finding]:
        return self.all_findings[:MAX_FINDINGS]

    @property
    def more_findings(self) -> str:
        more = len(self.all_findings) - MAX_FINDINGS
        if more <= 0:
            return ""
        return ngettext("{n} more finding in the site's report.", "{n} more findings in the site's report.", more)

    def kpi(self, kpi_id: str) -> Kpi | None:
        return self.snapshot.kpis.get(kpi_id)

    @staticmethod
    def shown(kpi: Kpi | None, field: str = "value") -> str:
        return fmt.NA if kpi is None else format_kpi(kpi, field)

    @property
    def language(self) -> str:
        return str(self.snapshot.config.audit.language)


def _newest_per_site(rows: list[AuditStatus]) -> list[_Site]:
    newest: dict[str, AuditStatus] = {}
    for row in rows:
        if row.snapshot is not None:
            newest[row.site] = row  # rows come by site, then quarter
    return [_Site(row, row.snapshot) for row in newest.values() if row.snapshot is not None]


def portfolio_language(languages: list[str]) -> Language:
    """The language most of the sites' audits use; the first site's on a tie (English when none is known).

    Example:
        >>> portfolio_language(["zh-CN", "en", "zh-CN"]), portfolio_language(["en", "zh-CN"])
        ('zh-CN', 'en')
    """
    known = [lang for given in languages for lang in LANGUAGES if lang == given]
    if not known:
        return LANGUAGES[0]
    counts = Counter(known)
    return next(lang for lang in known if counts[lang] == max(counts.values()))


def portfolio_html(root: Path | str, *, today: dt.date | None = None) -> str:
    """The portfolio as an HTML document (every value from the files is escaped), in the sites' language.

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
    environment.globals.update(
        _=_, ngettext=ngettext, grade_label=grade_label, status_label=status_label, kpi_name=kpi_name
    )
    lang = portfolio_language([s.language for s in sites])
    with language(lang):
        return environment.get_template("portfolio.html.j2").render(
            sites=sites,
            grades=[(grade, _(GRADE_HEADINGS.get(grade, grade))) for grade in COUNTED],
            columns=[(kpi_id, _(label)) for kpi_id, label in PORTFOLIO_KPIS.items()],
            root_name=Path(root).resolve().name,
            today=fmt.date(day),
            lang=lang,
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
