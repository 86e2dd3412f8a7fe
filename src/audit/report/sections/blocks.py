"""The results section's charts that need more than one KPI: chart and reading from the snapshot.

Each ``*_block`` function returns ``(svg or None, reading)``: the chart as SVG text and
one sentence written from the same numbers, or None and a sentence saying why there is
no chart. Every number comes from the KPIs and their analyses (the NPS split, the CSAT
band and the resolution times are computed with the KPIs, in :mod:`audit.kpi.series`),
so that a chart and the scorecard never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from audit import format as fmt
from audit.catalogue import dimension_name
from audit.i18n import N_, _, ngettext
from audit.kpi.segments import NOT_RECORDED
from audit.model import AuditSnapshot, Interval, Kpi, SegmentCell
from audit.report import charts
from audit.report.charts.heatmap import MAX_ROWS
from audit.report.sections.base import join

__all__ = [
    "csat_band",
    "ipa_block",
    "nps_composition_block",
    "p_chart_block",
    "radar_block",
    "resolution_block",
    "segments_block",
]

Block = tuple[str | None, str]
is_number = fmt.is_number

#: the KPIs of the segment heatmap: (id, column label, higher is better, unit)
SEGMENT_KPIS = (
    ("csat_mean", N_("CSAT mean"), True, "score"),
    ("nps", "NPS", True, "points"),
    ("dissatisfied_pct", N_("Dissatisfied %"), False, "%"),
    ("complaints_per_1000_orders", N_("Complaints / 1,000 orders"), False, "per 1000"),
    ("complaints_resolved_within_sla_pct", N_("Resolved within SLA %"), True, "%"),
)

#: the columns customers are segmented by (audit.kpi.segments), as a reader sees them
SEGMENT_BY = {"tier": N_("Tier"), "region": N_("Region"), "product": N_("Product"), "channel": N_("Channel")}


def _by(by: str) -> str:
    known = SEGMENT_BY.get(by)
    return _(known) if known else str(by).replace("_", " ").capitalize()


def _segment(value: str) -> str:
    """A segment as the report names it: the rows without a value under their translated name."""
    return _(NOT_RECORDED) if value == NOT_RECORDED else value


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def csat_band(
    band: Sequence[Interval], series: Sequence[tuple[str, float | None]]
) -> list[tuple[float | None, float | None]]:
    """The 95% interval of the CSAT mean for each point of ``series``, from the KPI's own estimates."""
    known = {i.period: (i.low, i.high) for i in band}
    return [known.get(label, (None, None)) for label, _ in series]


# --------------------------------------------------------------------------- NPS composition


def nps_composition_block(s: AuditSnapshot) -> Block:
    """Stacked promoters / passives / detractors per period, and how the audited period's moved."""
    kpi = s.kpis.get("nps")
    if kpi is None or not is_number(kpi.value):
        why = f" ({kpi.note})" if kpi is not None and kpi.note else ""
        return None, _("No NPS composition can be shown{why}.", why=why)
    rows = [(x.period, x.promoters_pct, x.passives_pct, x.detractors_pct, x.n) for x in s.kpis.analyses.nps_split]
    if not rows or rows[-1][4] == 0:
        return None, _("No likelihood-to-recommend answers were recorded in the period.")
    period, pro, _passives, det, n = rows[-1]
    reading = _(
        "In {period}, {promoters} of the {n} answers were promoters and {detractors} detractors (NPS {nps})",
        period=period,
        promoters=fmt.percent(pro, 0),
        n=fmt.count(n),
        detractors=fmt.percent(det, 0),
        nps=fmt.signed(pro - det),
    )
    earlier = [r for r in rows[:-1] if r[4] > 0]
    if earlier:
        before, b_pro, _p, b_det, _n = earlier[-1]
        promoters = _move(
            pro,
            b_pro,
            N_("promoters unchanged"),
            N_("promoters up {points} points"),
            N_("promoters down {points} points"),
        )
        detractors = _move(
            det,
            b_det,
            N_("detractors unchanged"),
            N_("detractors up {points} points"),
            N_("detractors down {points} points"),
        )
        reading += _(
            "; since {before}, {promoters} and {detractors}", before=before, promoters=promoters, detractors=detractors
        )
    return charts.nps_composition_svg(rows), reading + _(".")


def _move(now: float, then: float, same: str, up: str, down: str) -> str:
    """A share's move in whole points: ``promoters up 3 points``, in the current language."""
    if round(now) == round(then):
        return _(same)
    return _(up if now > then else down, points=fmt.count(abs(round(now) - round(then))))


# --------------------------------------------------------------------------- dimensions


def radar_block(s: AuditSnapshot, *, chart: bool = True) -> Block | None:
    """Dimension means this period, the previous period and the target; None without dimensions
    (with ``chart`` false only the reading: the means are shown in a table instead)."""
    kpis = s.kpis
    source = s.config.data.surveys
    if source is None or not source.dimensions or not s.has("surveys"):
        return None
    names = list(source.dimensions)
    found = [(n, kpis.get(f"dimension_{n}_mean")) for n in names]
    dims = [(n, k) for n, k in found if k is not None]
    if len(dims) < 3:
        return None, ngettext(
            "The survey has {n} dimension, too few for a radar (it needs three); "
            "the mean per dimension is in the SERVQUAL table and the KPI table.",
            "The survey has {n} dimensions, too few for a radar (it needs three); "
            "the mean per dimension is in the SERVQUAL table and the KPI table.",
            len(dims),
        )
    if sum(is_number(k.value) for _n, k in dims) < 3:
        return None, _("Fewer than three dimensions have a mean score in the period, so no radar is drawn.")
    period = s.config.audit.period_label
    current = [k.value if is_number(k.value) else None for _n, k in dims]
    series: list[tuple[str, Sequence[float | None]]] = [(period, current)]
    previous = [k.comparison("previous_quarter") for _n, k in dims]
    before = next((c.period for c in previous if c is not None), None)
    if before is not None:
        series.append((before, [c.value if c is not None else None for c in previous]))
    targets = [k.target for _n, k in dims]
    if any(is_number(t) for t in targets):
        series.append((_("Target"), targets))
    scale = source.scale_of(f"dim_{dims[0][0]}")
    svg = charts.radar_svg([dimension_name(n) for n, _k in dims], series, (scale.min, scale.max)) if chart else None
    return svg, _radar_reading(dims, before)


def _radar_reading(dims: Sequence[tuple[str, Kpi]], before: str | None) -> str:
    """Which dimensions changed significantly since the previous period, else the lowest and highest."""
    scored = [(n, float(k.value)) for n, k in dims if k.value is not None and is_number(k.value)]
    low, high = min(scored, key=lambda t: t[1]), max(scored, key=lambda t: t[1])
    moves = []
    for name, kpi in dims:
        c = kpi.comparison("previous_quarter")
        if c is not None and c.change is not None and c.verdict in {"significant decline", "significant improvement"}:
            moves.append((name, c.change, c.verdict, c.p_value))
    short = [n for n, k in dims if k.status == "not_met"]
    target = _("; {short} of {n} dimensions are below their target", short=len(short), n=len(dims)) if short else ""
    lowest, highest = dimension_name(low[0]), dimension_name(high[0])
    if before is None:
        return _(
            "{lowest} scores lowest ({low}) and {highest} highest ({high}); "
            "there is no earlier period to compare with{target}.",
            lowest=lowest,
            low=fmt.number(low[1], 2),
            highest=highest,
            high=fmt.number(high[1], 2),
            target=target,
        )
    if not moves:
        return _(
            "No dimension changed significantly since {before}; {lowest} scores lowest ({low}) "
            "and {highest} highest ({high}){target}.",
            before=before,
            lowest=lowest,
            low=fmt.number(low[1], 2),
            highest=highest,
            high=fmt.number(high[1], 2),
            target=target,
        )
    parts = [
        _(
            N_("{dimension} fell {points} points ({p})") if ch < 0 else N_("{dimension} rose {points} points ({p})"),
            dimension=dimension_name(n),
            points=fmt.number(abs(ch), 2),
            p=fmt.p_text(p),
        )
        for n, ch, _v, p in sorted(moves, key=lambda m: m[1])
    ]
    if len(moves) == 1:
        message = (
            N_("{change} since {before}, the only significant decline{target}.")
            if moves[0][1] < 0
            else N_("{change} since {before}, the only significant improvement{target}.")
        )
        text = _(message, change=parts[0], before=before, target=target)
    else:
        text = _(
            "Since {before}, {changes}, the significant changes{target}.",
            before=before,
            changes=join(parts),
            target=target,
        )
    return _upper_first(text)


def ipa_block(s: AuditSnapshot) -> Block | None:
    """Importance–performance quadrants; None when the survey has no dimensions."""
    kpis = s.kpis
    source = s.config.data.surveys
    if source is None or not source.dimensions or not s.has("surveys"):
        return None
    analyses = kpis.analyses
    if not analyses.ipa:
        reason = analyses.notes.get("ipa", _("no dimension has scores in the period"))
        return None, _("No importance–performance analysis: it {reason}.", reason=reason)
    derived = analyses.importance_basis == "derived"
    axis = _("Importance (correlation with overall)") if derived else _("Importance (mean stated score)")
    svg = charts.ipa_svg([(dimension_name(q.dimension), q.importance, q.performance) for q in analyses.ipa], axis)
    focus = [dimension_name(q.dimension) for q in analyses.ipa if q.quadrant == "concentrate here"]
    basis = (
        _("importance is derived from each dimension's correlation with overall satisfaction")
        if derived
        else _("importance is the mean score respondents gave")
    )
    if focus:
        head = ngettext(
            "{dimensions} falls in “concentrate here” (above-average importance, below-average performance)",
            "{dimensions} fall in “concentrate here” (above-average importance, below-average performance)",
            len(focus),
            dimensions=join(focus),
        )
    else:
        head = _("No dimension falls in “concentrate here” (above-average importance, below-average performance)")
    return svg, _upper_first(_("{head}; {basis}.", head=head, basis=basis))


# --------------------------------------------------------------------------- segments


def _cell_text(value: float, unit: str) -> str:
    return fmt.value(value, unit, with_unit=False)


def segments_block(s: AuditSnapshot) -> Block | None:
    """Segments × main KPIs, small samples marked; None when no segment could be formed."""
    kpis = s.kpis
    cells = [c for c in kpis.analyses.segments if c.kpi_id in {k for k, *_ in SEGMENT_KPIS}]
    if not cells:
        return None
    small_n = s.config.analysis.small_n
    rows: list[tuple[str, str]] = []
    by_key: dict[tuple[str, str, str], SegmentCell] = {}
    for c in cells:
        if (c.by, c.segment) not in rows:
            rows.append((c.by, c.segment))
        by_key[(c.by, c.segment, c.kpi_id)] = c
    columns = [(k, label, higher, unit) for k, label, higher, unit in SEGMENT_KPIS if any(c.kpi_id == k for c in cells)]

    def heat(cell: SegmentCell | None, unit: str) -> tuple[float, str, bool] | None:
        if cell is None or cell.value is None or not is_number(cell.value):
            return None
        return float(cell.value), _cell_text(float(cell.value), unit), cell.small_n

    matrix = [[heat(by_key.get((by, seg, k)), unit) for k, _, _, unit in columns] for by, seg in rows]
    labels = [_("{by}: {segment}", by=_by(by), segment=_segment(seg)) for by, seg in rows]
    heads = [(_(label), higher) for _k, label, higher, _u in columns]
    svg = charts.segment_heatmap_svg(labels, heads, matrix, small_n)
    reading = _segments_reading(cells, columns, small_n)
    if len(rows) > MAX_ROWS:
        reading += _(
            " The chart shows the first {shown} of {n} segments; every segment is in results.json (analyses.segments).",
            shown=MAX_ROWS,
            n=fmt.count(len(rows)),
        )
    return svg, reading


def _segments_reading(cells: Sequence[SegmentCell], columns: Sequence[tuple[str, str, bool, str]], small_n: int) -> str:
    shown = [c for c in cells if is_number(c.value) and any(c.kpi_id == k for k, *_ in columns)]
    small = sum(c.small_n for c in shown)
    kpi_id, label, higher, unit = columns[0]
    solid = [c for c in shown if c.kpi_id == kpi_id and not c.small_n]
    caution = (
        ngettext(
            "{small} of {n} cells rests on fewer than {small_n} observations and is hatched",
            "{small} of {n} cells rest on fewer than {small_n} observations and are hatched",
            small,
            small=fmt.count(small),
            n=fmt.count(len(shown)),
            small_n=small_n,
        )
        if small
        else _("every cell rests on at least {small_n} observations", small_n=small_n)
    )
    name_of = _(label)
    if len(solid) < 2:
        return _(
            "Too few segments have {small_n} or more observations to compare {label}; {caution}.",
            small_n=small_n,
            label=name_of,
            caution=caution,
        )
    worst = min(solid, key=lambda c: float(c.value or 0.0) if higher else -float(c.value or 0.0))
    best = max(solid, key=lambda c: float(c.value or 0.0) if higher else -float(c.value or 0.0))

    def name(c: SegmentCell) -> str:
        return _("{by} {segment}", by=_by(c.by).lower(), segment=_segment(c.segment))

    return _upper_first(
        _(
            "{label} ranges from {worst} ({worst_name}, n = {worst_n}) to {best} ({best_name}, n = {best_n}) "
            "among segments with {small_n} or more observations; {caution}.",
            label=name_of,
            worst=_cell_text(float(worst.value or 0.0), unit),
            worst_name=name(worst),
            worst_n=fmt.count(worst.n),
            best=_cell_text(float(best.value or 0.0), unit),
            best_name=name(best),
            best_n=fmt.count(best.n),
            small_n=small_n,
            caution=caution,
        )
    )


# --------------------------------------------------------------------------- complaints


def p_chart_block(s: AuditSnapshot) -> Block | None:
    """The monthly complaint rate with its control limits; None without a complaint log."""
    kpis = s.kpis
    if not s.has("complaints"):
        return None
    chart = kpis.analyses.complaint_chart
    if chart is None:
        reason = kpis.analyses.notes.get("complaint_chart", _("needs complaints and orders covering the same months"))
        return None, _("No control chart of the complaint rate: it {reason}.", reason=reason)
    info = s.config.audit
    start = f"{info.period_start:%Y-%m}"
    points = [(p.period, p.value, p.lcl, p.ucl, p.signal) for p in chart.points]
    svg = charts.p_chart_svg(points, chart.centre, chart.unit, audited_from=start)
    inside = [p for p in chart.points if p.period >= start]
    earlier = [p for p in chart.points if p.period < start and p.signal]
    centre = _("{centre} complaints per 1,000 orders", centre=fmt.number(chart.centre, 1))
    flagged = [p for p in inside if p.signal]
    if flagged:
        listed = join(
            [
                _(
                    N_("{month} above ({value} against a limit of {limit})")
                    if p.signal == "above"
                    else N_("{month} below ({value} against a limit of {limit})"),
                    month=p.period,
                    value=fmt.number(p.value, 1),
                    limit=fmt.number(p.ucl if p.signal == "above" else p.lcl, 1),
                )
                for p in flagged[:3]
            ]
        )
        head = _(
            "{flagged} of the {n} months of {period} fell beyond the control limits "
            "around the centre line of {centre}: {listed}",
            flagged=len(flagged),
            n=len(inside),
            period=info.period_label,
            centre=centre,
            listed=listed,
        )
    elif inside:
        head = _(
            "All {n} months of {period} were within the control limits around the centre line of {centre}",
            n=len(inside),
            period=info.period_label,
            centre=centre,
        )
    else:
        head = _(
            "No month of {period} has orders to chart against the centre line of {centre}",
            period=info.period_label,
            centre=centre,
        )
    tail = (
        ngettext("; {n} earlier month was beyond them", "; {n} earlier months were beyond them", len(earlier))
        if earlier
        else ""
    )
    return svg, _("{head}{tail}.", head=head, tail=tail)


def resolution_block(s: AuditSnapshot) -> Block | None:
    """Resolution days of the period's complaints against the SLA, read on the SLA KPI's basis; None without a log."""
    if not s.has("complaints"):
        return None
    times = s.kpis.analyses.resolution
    received = s.rows_in_period("complaints")
    if not received:
        return None, _("No complaints were received in {period}.", period=s.period)
    if times is None:
        return None, _("The complaint log has no resolution dates, so resolution time cannot be shown.")
    if not times.resolved:
        return None, _("None of the {n} complaints of the period was resolved by its end.", n=fmt.count(received))
    sla = times.sla_days
    kpi = s.kpis.get("complaints_resolved_within_sla_pct")
    share = fmt.percent(kpi.value) if kpi is not None else fmt.percent(100 * times.within / max(times.judged, 1))
    median = s.kpis.get("complaint_resolution_days_median")
    longest = max(d for d, _n in times.days)
    parts = [
        _(
            "{within} of the {judged} complaints whose outcome is known at the period's end ({share}) "
            "were resolved within {sla} days",
            within=fmt.count(times.within),
            judged=fmt.count(times.judged),
            share=share,
            sla=fmt.number(sla),
        )
    ]
    if times.open_past_sla:
        parts.append(
            ngettext("{n} is still open past the limit", "{n} are still open past the limit", times.open_past_sla)
        )
    longest_text = fmt.value(longest, "days", decimals=0)
    detail = (
        _(" (median {median}, longest {longest})", median=fmt.value(median.value, "days"), longest=longest_text)
        if median is not None
        else _(" (longest {longest})", longest=longest_text)
    )
    reading = _("; ").join(parts) + detail
    if times.open_within_sla:
        reading += "; " + ngettext(
            "{n} more was open but not yet past the limit",
            "{n} more were open but not yet past the limit",
            times.open_within_sla,
        )
    resolved = [float(d) for d, n in times.days for _ in range(n)]
    return charts.resolution_svg(resolved, sla), reading + _(".")
