"""Key performance indicators: every KPI of the audited period, with its history and analyses.

Example:
    >>> data = audit.load_audit("audits/demo/2026-Q3")     # doctest: +SKIP
    >>> kpis = compute_kpis(data)                            # doctest: +SKIP
    >>> kpis["nps"].value, kpis["nps"].status, kpis["nps"].verdict   # doctest: +SKIP
    (31.4, 'met', 'no significant change')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pandas as pd

from audit.catalogue import CATALOGUE, KpiSpec, kind_word, ordered, spec_for
from audit.config import AuditConfig, parse_period
from audit.data.contract import DATE_COLUMN, KINDS
from audit.data.dataset import AuditData
from audit.forked import beside
from audit.i18n import _, language
from audit.kpi.complaints import complaint_estimates, overdue_complaints, repeat_flags
from audit.kpi.control import pareto, u_chart
from audit.kpi.coverage import coverage
from audit.kpi.customers import UNTIERED, current_tiers, customer_estimates, customer_history
from audit.kpi.delivery import order_estimates
from audit.kpi.records import KpiRecords
from audit.kpi.returns import delivered_units, return_estimates, returns_by_product
from audit.kpi.satisfaction import importance, importance_problem, ipa, survey_estimates
from audit.kpi.segments import segment_cells
from audit.kpi.series import csat_band, nps_split, resolution_times
from audit.kpi.stats import Estimate, absent
from audit.kpi.themes import audit_themes
from audit.kpi.themes import prepare as prepare_themes
from audit.kpi.trend import build_kpi
from audit.model import Analyses, Coverage, EarlierKpis, KpiTable, ThemeSet, TierRow
from audit.progress import started

__all__ = ["CATALOGUE", "KpiSpec", "compute_kpis", "spec_for"]


def _fill_from_earlier_audits(
    estimates: dict[str, dict[str, Estimate]], periods: tuple[str, ...], earlier: EarlierKpis
) -> None:
    """Earlier quarters the data no longer covers take their KPIs from that quarter's audit.

    Only values the data could not give are filled; a change against such a value is shown
    but not tested (results.json keeps no counts to test it with).
    """
    for label in periods[:-1]:
        for kpi_id, recorded in earlier.get(label, {}).items():
            known = estimates.setdefault(label, {}).get(kpi_id)
            if (
                (known is None or known.value is None)
                and isinstance(recorded, dict)
                and recorded.get("value") is not None
            ):
                estimates[label][kpi_id] = Estimate(
                    float(recorded["value"]), int(recorded.get("n") or 0), recorded.get("ci_low"), recorded.get("ci_high"),
                    note=_("from the {period} audit's results", period=label),
                )  # fmt: skip


def _period_estimates(
    config: AuditConfig,
    frames: dict[str, pd.DataFrame],
    history: dict[str, pd.DataFrame],
    period: tuple[pd.Timestamp, pd.Timestamp],
    current: bool,
    repeats: pd.Series | None,
    sent: int | None = None,
    reach: Coverage | None = None,
) -> dict[str, Estimate]:
    """Every estimate for one period; ``sent``: questionnaires sent in it, when known.

    ``reach`` (the audited period's coverage) moves the day time-since-event KPIs are
    judged at to the export's last date when it ends early (:mod:`audit.kpi.coverage`).
    """
    out: dict[str, Estimate] = {}
    period_start, period_end = period
    as_of = {k: pd.Timestamp(reach.as_of(k)) if reach else period_end for k in ("complaints", "orders")}
    orders = frames.get("orders")
    surveys = config.data.surveys
    if surveys is not None and "surveys" in frames:
        out |= survey_estimates(frames["surveys"], surveys, config.analysis, sent=sent)
    if "complaints" in frames:
        population = config.analysis.customer_base
        if population is None and orders is not None and "customer_id" in orders:
            population = int(orders["customer_id"].nunique())
        out |= complaint_estimates(
            frames["complaints"], history["complaints"], config.sla, config.analysis, as_of["complaints"],
            len(orders) if orders is not None else None, repeats, population=population,
        )  # fmt: skip
    if "returns" in frames:
        units = None
        if orders is not None:
            units = delivered_units(history["orders"] if "delivered_on" in orders else orders, period_start, period_end)
        out |= return_estimates(frames["returns"], orders, units)
    if orders is not None:
        basis = config.data.orders.basis if config.data.orders is not None else "due"
        out |= order_estimates(
            orders,
            period_end,
            history=history.get("orders"),
            period_start=period_start,
            basis=basis,
            as_of=as_of["orders"],
        )
    return out


def _unavailable(config: AuditConfig, data: AuditData) -> dict[str, Estimate]:
    """Each catalogue KPI of a kind that was not supplied, absent with the reason."""
    out: dict[str, Estimate] = {}
    for kind in KINDS:
        if not data.has(kind):
            reason = _("no {kind} data was supplied (data.{key} in audit.yaml)", kind=kind_word(kind), key=kind)
            out |= {kpi_id: absent(reason) for kpi_id, spec in CATALOGUE.items() if spec.source == kind}
    return out


def _counts(series: pd.Series) -> pd.Series:
    """Value counts, largest first, ties by label (row order never matters)."""
    return series.value_counts().sort_index(kind="stable").sort_values(ascending=False, kind="stable")


def _pairs(series: pd.Series) -> tuple[tuple[str, float], ...]:
    return tuple((str(k), float(v)) for k, v in series.items())


def _breakdowns(
    data: AuditData, frames: dict[str, pd.DataFrame], current: dict[str, Estimate], period_end: pd.Timestamp
) -> dict[str, tuple[tuple[str, float], ...]]:
    """Series behind the charts and the evidence lists of findings (``period_end``: the complaints' as-of day)."""
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    complaints = frames.get("complaints")
    if complaints is not None:
        out["complaints_by_category"] = _pairs(_counts(complaints["category"]))
        overdue = overdue_complaints(data.history["complaints"], data.config.sla, period_end)
        if len(overdue) or "resolved_on" in complaints:
            age = (period_end - overdue["received_on"]).dt.days.set_axis(overdue["complaint_id"].to_numpy())
            out["overdue_complaints"] = _pairs(
                age.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
            )
    source = data.config.data.surveys
    if "surveys" in frames and source is not None and source.dimensions:
        out["dimension_means"] = tuple((n, _value(current, f"dimension_{n}_mean")) for n in source.dimensions)
        out["dimension_gaps"] = tuple(
            (n, _value(current, f"gap_{n}")) for n in source.dimensions if n in source.expectations
        )
    returns = frames.get("returns")
    if returns is not None and "reason" in returns:
        out["returns_by_reason"] = _pairs(_counts(returns["reason"]))
    return out


def _value(estimates: dict[str, Estimate], kpi_id: str) -> float:
    est = estimates.get(kpi_id)
    return float("nan") if est is None or est.value is None else est.value


def _analyses(
    data: AuditData,
    frames: dict[str, pd.DataFrame],
    history: dict[str, pd.DataFrame],
    tiers: pd.Series | None,
    tier_rows: tuple[TierRow, ...],
    as_of: pd.Timestamp,
) -> Analyses:
    """Paretos, the complaint p-chart, IPA, segments and returns by product for the audited period."""
    config = data.config
    notes: dict[str, str] = {}
    complaints, orders, returns, surveys = (frames.get(k) for k in ("complaints", "orders", "returns", "surveys"))
    chart = None
    if complaints is not None and orders is not None:
        chart = u_chart(
            history["complaints"]["received_on"], history["orders"]["ordered_on"],
            pd.Timestamp(config.audit.period_start), title=_("Complaints per 1,000 orders, by month"),
        )  # fmt: skip
    if chart is None:
        notes["complaint_chart"] = _("needs complaints and orders covering the same months")
    quadrants, basis = ipa(surveys, config.data.surveys) if surveys is not None and config.data.surveys else ((), "")
    if not quadrants:
        notes["ipa"] = _("needs survey dimensions with scores in the period")
        if surveys is not None and config.data.surveys is not None and len(surveys):
            notes["ipa"] = importance_problem(*importance(surveys, config.data.surveys)) or notes["ipa"]
    if returns is not None and "reason" not in returns:
        notes["return_reasons"] = _("the returns have no reason column")
    if tiers is None:
        no_ids = orders is None or "customer_id" not in orders
        notes["tiers"] = _("needs orders with customer_id") if no_ids else _(UNTIERED)
    return Analyses(
        complaint_pareto=pareto(complaints["category"].value_counts()) if complaints is not None else (),
        return_reasons=pareto(returns["reason"].value_counts()) if returns is not None and "reason" in returns else (),
        complaint_chart=chart,
        ipa=quadrants,
        importance_basis=basis,
        segments=segment_cells(
            surveys,
            config.data.surveys,
            complaints,
            orders,
            tiers,
            config.sla,
            as_of,
            config.analysis.small_n,
        ),
        tiers=tier_rows,
        returns_by_product=returns_by_product(returns, orders) if returns is not None else (),
        notes=notes,
    )


def compute_kpis(data: AuditData, earlier: EarlierKpis | None = None) -> KpiTable:
    """Compute every KPI for the audited period, with targets, history, comparisons and analyses.

    The audited period and up to seven quarters before it are computed alike from the
    history in the data; each KPI is compared with the quarter before and the same
    quarter a year before. A KPI whose inputs are absent is in the table with no value and
    the reason in its note. The themes of the free text (complaint descriptions and root
    causes, survey comments) come with them (:func:`audit.kpi.themes.audit_themes`).
    Labels and notes are written in the audit's language (``audit.language``).

    Args:
        data: the loaded audit data.
        earlier: the KPIs of the site's earlier audits by period label (see
            :func:`audit.cycle.earlier.earlier_results`), for quarters the data no longer covers.

    Returns:
        The KPI table.
    """
    computing = started("kpis")
    # the themes (about half of the KPIs' time, most of it importing scikit-learn) on the other core
    # (in the copy :func:`audit.cycle.open_audit` made ahead, when there is one)
    with (
        language(data.config.audit.language),
        beside(_themes, data.only("complaints", "surveys"), prepared=prepare_themes) as themes,
    ):
        table = _compute(data, earlier, themes)
    computing.done(len(table.kpis))
    return table


def _themes(data: AuditData) -> dict[str, ThemeSet]:
    """:func:`audit_themes` in the audit's language (a copy made ahead does not share the caller's)."""
    with language(data.config.audit.language):
        return audit_themes(data)


def _compute(data: AuditData, earlier: EarlierKpis | None, themes: Callable[[], dict[str, ThemeSet]]) -> KpiTable:
    config = data.config
    periods = data.periods
    frames, history = data.frames, data.history
    groups = {kind: dict(tuple(frame.groupby("_period", sort=False))) for kind, frame in history.items()}
    first = {kind: h[DATE_COLUMN[kind]].min() for kind, h in history.items()}
    bounds = [
        tuple(pd.Timestamp(d) for d in parse_period(label))
        if len(periods) > 1
        else (pd.Timestamp(config.audit.period_start), pd.Timestamp(config.audit.period_end))
        for label in periods
    ]
    ends = [end for _start, end in bounds]
    complaints = history.get("complaints")
    repeats = None
    if complaints is not None and "customer_id" in complaints:
        repeats = repeat_flags(complaints, config.analysis.repeat_window_days)
    estimates: dict[str, dict[str, Estimate]] = {}
    survey_frames: list[tuple[str, pd.DataFrame | None]] = []
    surveys_sent = config.data.surveys.sent if config.data.surveys is not None else None
    reach = coverage(data)
    for label, (start, end) in zip(periods, bounds):
        last = label == periods[-1]
        # a file that starts after this period does not cover it: its KPIs are unknown, not zero
        covered = [kind for kind in groups if last or first[kind] <= end]
        period_frames = frames if last else {kind: groups[kind].get(label, history[kind].iloc[0:0]) for kind in covered}
        # questionnaires sent: counted per quarter from a responded column, else audit.yaml's sent (this quarter)
        sent = data.surveys_sent.get(label) if data.surveys_sent else (surveys_sent if last else None)
        estimates[label] = _period_estimates(
            config, period_frames, history, (start, end), last, repeats, sent, reach if last else None
        )
        survey_frames.append((label, period_frames.get("surveys")))
    current = estimates[periods[-1]]
    tiers: pd.Series | None = None
    tier_rows: tuple[TierRow, ...] = ()
    lost = None
    if "orders" in history:
        table = customer_history(history["orders"], periods)
        if table is not None:
            orders_cover = [i == len(periods) - 1 or first["orders"] <= end for i, end in enumerate(ends)]
            by_period, lost = customer_estimates(table, periods, orders_cover)
            for label, found in by_period.items():
                estimates[label] |= found
            if table.tiered:
                tiers, tier_rows = current_tiers(table, orders_cover)
        else:
            reason = _("the orders have no customer_id column")
            current |= {
                k: absent(reason)
                for k in (
                    "active_customers",
                    "lost_customers",
                    "key_accounts_lost",
                    "revenue_at_risk",
                    "repeat_purchase_pct",
                )
            }
    current |= {k: v for k, v in _unavailable(config, data).items() if k not in current}
    _fill_from_earlier_audits(estimates, periods, earlier or {})
    kpis = tuple(build_kpi(kpi_id, estimates, periods, config) for kpi_id in ordered(set(current)))
    period_end = pd.Timestamp(reach.as_of("complaints"))  # open complaints are judged as of the data's end
    breakdowns = _breakdowns(data, frames, current, period_end)
    if lost is not None and len(lost) and tiers is not None:
        key = lost.loc[lost["tier"] == "A"]
        breakdowns["key_accounts_lost"] = _pairs(key.set_index("customer_id")["revenue"])
    analyses = _analyses(data, frames, history, tiers, tier_rows, period_end)
    analyses = dataclasses.replace(
        analyses,
        nps_split=nps_split(survey_frames) if "surveys" in frames else (),
        csat_band=csat_band(estimates, periods),
        resolution=resolution_times(frames["complaints"], config.sla, period_end) if "complaints" in frames else None,
    )
    return KpiTable(
        kpis,
        breakdowns,
        periods,
        analyses,
        coverage=reach,
        themes=themes(),
        records=KpiRecords(data),
    )
