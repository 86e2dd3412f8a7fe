"""Section 3, results: each chart with the one sentence that reads it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup

from audit import format as fmt
from audit.catalogue import dimension_name as dimension_label
from audit.i18n import _, ngettext
from audit.model import AuditSnapshot, Comparison, Kpi
from audit.report import charts
from audit.report.sections import blocks as made
from audit.report.sections.base import ReportInput, clip, join
from audit.report.sections.voice import voice_blocks
from audit.report.words import kind_label

__all__ = ["appendix_kpis", "results"]

is_number = fmt.is_number


def results(r: ReportInput) -> dict[str, Any]:
    """The results: trends, NPS, dimensions, gaps, IPA, segments, complaints, returns, delivery."""
    s, kpis = r.snapshot, r.snapshot.kpis
    period = s.config.audit.period_label
    blocks: list[dict[str, Any]] = []

    def trend(
        kpi_id: str, heading: str, name: str, draw: Callable[[Kpi, list[tuple[str, float | None]]], str]
    ) -> dict[str, Any]:
        kpi = kpis.get(kpi_id)
        series = _series(kpi, period) if kpi is not None else []
        if kpi is None or not any(is_number(v) for _, v in series):
            why = f" ({kpi.note})" if kpi is not None and kpi.note else ""
            return _block(
                heading,
                None,
                _("No {name} figures are available for {period}{why}.", name=name, period=period, why=why),
            )
        return _block(heading, draw(kpi, series), _trend_reading(kpi, name, period))

    def add(heading: str, built: tuple[str | None, str] | None) -> None:
        if built is not None:
            blocks.append(_block(heading, *built))

    def csat() -> dict[str, Any]:
        band = kpis.analyses.csat_band
        return trend(
            "csat_mean",
            _("Customer satisfaction"),
            "CSAT",
            lambda k, series: charts.csat_trend_svg(series, k.target, made.csat_band(band, series)),
        )

    if kpis.get("nps") is None:
        blocks.append(csat())
    else:
        with charts.beside():  # the two headline trends side by side, each drawn for half the width
            headline = [csat(), trend("nps", _("Net Promoter Score"), "NPS", _nps_trend)]
        blocks.append({"pair": headline})
        add(_("NPS composition"), made.nps_composition_block(s))
    blocks += _dimension_blocks(s)

    add(_("Importance and performance (IPA)"), made.ipa_block(s))
    add(_("Satisfaction and complaints by segment"), made.segments_block(s))

    complaints = kpis.breakdowns.get("complaints_by_category", ())
    if _positive(complaints):
        blocks.append(
            _block(
                _("Complaints by category"),
                charts.pareto_svg(complaints, _("Complaints by category (Pareto)")),
                _pareto_reading(complaints, _("complaints")),
            )
        )
    else:
        blocks.append(
            _block(
                _("Complaints by category"),
                None,
                _("No complaints are recorded for {period}.", period=period)
                if s.has("complaints")
                else _("No complaint log was supplied."),
            )
        )

    add(_("Complaint rate (control chart)"), made.p_chart_block(s))
    add(_("Complaint resolution time"), made.resolution_block(s))
    blocks += voice_blocks(s)

    returns = kpis.breakdowns.get("returns_by_reason", ())
    if _positive(returns):
        blocks.append(
            _block(
                _("Returns by reason"),
                charts.pareto_svg(returns, _("Returns by reason (Pareto)")),
                _pareto_reading(returns, _("returns")),
            )
        )

    on_time = _("On time in full")
    blocks.append(
        trend(
            "otif_pct",
            _("Delivery performance (OTIF)"),
            "OTIF",
            lambda k, v: charts.kpi_trend_svg(v, k.target, on_time, "%"),
        )
    )

    return {"blocks": blocks, "period": period}


def appendix_kpis(r: ReportInput) -> dict[str, Any]:
    """Appendix A: every KPI, by source, with its interval, n, target, previous value and p."""
    groups: dict[str, list[Kpi]] = {}
    for kpi in r.snapshot.kpis:
        groups.setdefault(kind_label(kpi.source or "other"), []).append(kpi)
    return {"kpi_groups": list(groups.items())}


def _nps_trend(kpi: Kpi, series: list[tuple[str, float | None]]) -> str:
    return charts.kpi_trend_svg(series, kpi.target, "NPS", kpi.unit)


def _dimension_blocks(s: AuditSnapshot) -> list[dict[str, Any]]:
    """Satisfaction by dimension: with expectation scores one block, the SERVQUAL gaps chart and a table
    of each dimension's mean now and in the previous quarter (what a radar would show) with its gap,
    read in two sentences; without them the radar, and a sentence saying why there is no gap."""
    kpis = s.kpis
    gaps = kpis.breakdowns.get("dimension_gaps", ())
    means = dict(kpis.breakdowns.get("dimension_means", ()))
    if gaps and any(is_number(g) for _, g in gaps):
        scored = sum(is_number(m) for m in means.values())
        radar = made.radar_block(s, chart=False) if scored >= 3 else None  # its reading: what moved
        reading = f"{radar[1]} {_gap_reading(gaps)}" if radar is not None else _gap_reading(gaps)
        block = _block(_("Satisfaction and service quality gaps by dimension"), charts.gap_bars_svg(gaps), reading)
        block["dimensions"] = [(d, means.get(d), _previous_mean(s, d), g) for d, g in gaps]
        block["previous"] = next((c.period for d, _g in gaps if (c := _previous_comparison(s, d))), None)
        return [block]
    out = []
    radar = made.radar_block(s)
    if radar is not None:
        out.append(_block(_("Satisfaction by dimension"), *radar))
    if means:
        why = _(
            "No expectation scores were supplied, so the gap between perception and expectation "
            "could not be computed; the mean perception per dimension is in the KPI table."
        )
        out.append(_block(_("Service quality gaps (SERVQUAL)"), None, why))
    elif s.has("surveys"):
        why = _("The survey has no dimension or expectation scores, so no SERVQUAL gap could be computed.")
        out.append(_block(_("Service quality gaps (SERVQUAL)"), None, why))
    return out


def _previous_comparison(s: AuditSnapshot, dimension: str) -> Comparison | None:
    kpi = s.kpis.get(f"dimension_{dimension}_mean")
    return kpi.comparison("previous_quarter") if kpi is not None else None


def _previous_mean(s: AuditSnapshot, dimension: str) -> float | None:
    c = _previous_comparison(s, dimension)
    return c.value if c is not None and is_number(c.value) else None


def _block(heading: str, svg: str | None, reading: str) -> dict[str, Any]:
    return {"heading": heading, "svg": Markup(charts.inline_svg(svg)) if svg else None, "reading": reading}


def _positive(pairs: Sequence[tuple[str, float]]) -> bool:
    return any(is_number(v) and v > 0 for _, v in pairs)


def _series(kpi: Kpi, period: str) -> list[tuple[str, float | None]]:
    """The KPI's history with the audited period added as the last point, trimmed to the quarters with data
    (leading quarters without a value are left out, so a chart does not span empty quarters)."""
    points: list[tuple[str, float | None]] = [(str(p), v if is_number(v) else None) for p, v in kpi.history]
    if not points and is_number(kpi.previous):
        points.append((_("Previous"), kpi.previous))
    if not points or points[-1][0] != period:
        points.append((period, kpi.value if is_number(kpi.value) else None))
    while len(points) > 1 and points[0][1] is None:
        points.pop(0)
    return points


def _trend_reading(kpi: Kpi, name: str, period: str) -> str:
    """One sentence on a KPI: its move from the previous period and its target."""

    def show(x: float | None) -> str:
        return fmt.value(x, kpi.unit, kpi_id=kpi.id)

    if not is_number(kpi.value):
        if kpi.note:
            return _("{name} could not be computed for {period}: {note}.", name=name, period=period, note=kpi.note)
        return _("{name} could not be computed for {period}.", name=name, period=period)
    value = float(kpi.value or 0.0)
    previous = kpi.previous if is_number(kpi.previous) else None
    if previous is None:
        earlier = [v for p, v in kpi.history if p != period and is_number(v)]
        previous = earlier[-1] if earlier else None
    if previous is None:
        move = _("{name} was {value} in {period}", name=name, value=show(value), period=period)
    elif show(value) == show(previous):
        move = _("{name} was unchanged at {value}", name=name, value=show(value))
    elif value > previous:
        move = _("{name} rose from {before} to {now}", name=name, before=show(previous), now=show(value))
    else:
        move = _("{name} fell from {before} to {now}", name=name, before=show(previous), now=show(value))
    if is_number(kpi.target):
        target = show(float(kpi.target or 0.0))
        if kpi.status == "met":
            against = _("meeting the {target} target", target=target)
        elif kpi.higher_is_better:
            against = _("below the {target} target", target=target)
        else:
            against = _("above the {target} target", target=target)
    else:
        against = _("with no target set")
    significance = ""
    p_value = kpi.p_value
    if previous is not None and p_value is not None and is_number(p_value) and show(value) != show(previous):
        if p_value >= 0.05:
            significance = _(" (the change is not statistically significant, {p})", p=fmt.p_text(p_value))
        else:
            significance = _(" (a statistically significant change, {p})", p=fmt.p_text(p_value))
    return _("{move}, {against}{significance}.", move=move, against=against, significance=significance)


def _pareto_reading(pairs: Sequence[tuple[str, float]], noun: str) -> str:
    """One sentence on a Pareto naming the vital few: the categories that make up 80% of the total."""
    items = sorted(((str(c), float(v)) for c, v in pairs if is_number(v) and v > 0), key=lambda i: -i[1])
    total = sum(v for _c, v in items)
    count = fmt.count(total)
    if len(items) == 1:
        return _("All {count} {noun} fall in one category: {name}.", count=count, noun=noun, name=items[0][0])
    running, k = 0.0, 0
    for k, (_c, v) in enumerate(items, start=1):  # noqa: B007 - k is read after the loop
        running += v
        if running >= 0.8 * total - 1e-9:
            break
    share = fmt.percent(100 * running / total, 0)
    names = [f"{clip(c)} ({fmt.count(v)})" for c, v in items[:k]]
    if k == 1:
        return _(
            "One of {n} categories, {name}, accounts for {share} of the {count} {noun}.",
            n=len(items),
            name=names[0],
            share=share,
            count=count,
            noun=noun,
        )
    return _(
        "The vital few: {listed} — {k} of {n} categories — account for {share} of the {count} {noun}.",
        listed=join(names),
        k=k,
        n=len(items),
        share=share,
        count=count,
        noun=noun,
    )


def _gap_reading(gaps: Sequence[tuple[str, float]]) -> str:
    """One sentence on SERVQUAL gaps: how many dimensions fall short, and the worst."""
    items = [(dimension_label(d), float(g)) for d, g in gaps if is_number(g)]
    short = [(d, g) for d, g in items if g < 0]
    if not short:
        d, g = min(items, key=lambda i: i[1])
        return _(
            "Perception meets or exceeds expectation on all {n} dimensions; the smallest margin is {dimension} ({gap}).",
            n=len(items),
            dimension=d,
            gap=fmt.signed(g, 2),
        )
    d, g = min(short, key=lambda i: i[1])
    return ngettext(
        "{short} of {n} dimensions falls short of expectation; the largest shortfall is in {dimension} ({gap}).",
        "{short} of {n} dimensions fall short of expectation; the largest shortfall is in {dimension} ({gap}).",
        len(short),
        short=len(short),
        n=len(items),
        dimension=d,
        gap=fmt.signed(g, 2),
    )
