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
from audit.i18n import ngettext
from audit.model import AuditSnapshot, Interval, Kpi, SegmentCell
from audit.report import charts
from audit.report.charts.heatmap import MAX_ROWS

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
    ("csat_mean", "CSAT mean", True, "score"),
    ("nps", "NPS", True, "points"),
    ("dissatisfied_pct", "Dissatisfied %", False, "%"),
    ("complaints_per_1000_orders", "Complaints / 1,000 orders", False, "per 1000"),
    ("complaints_resolved_within_sla_pct", "Resolved within SLA %", True, "%"),
)


def _label(name: str) -> str:
    return str(name).replace("_", " ").strip().capitalize()


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


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
        return None, f"No NPS composition can be shown{why}."
    rows = [(x.period, x.promoters_pct, x.passives_pct, x.detractors_pct, x.n) for x in s.kpis.analyses.nps_split]
    if not rows or rows[-1][4] == 0:
        return None, "No likelihood-to-recommend answers were recorded in the period."
    period, pro, _, det, n = rows[-1]
    reading = (
        f"In {period}, {pro:.0f}% of the {n:,} answers were promoters and {det:.0f}% detractors "
        f"(NPS {fmt.signed(pro - det)})"
    )
    earlier = [r for r in rows[:-1] if r[4] > 0]
    if earlier:
        before, b_pro, _, b_det, _ = earlier[-1]

        def move(now: float, then: float, noun: str) -> str:
            if round(now) == round(then):
                return f"{noun} unchanged"
            return f"{noun} {'up' if now > then else 'down'} {abs(round(now) - round(then)):.0f} points"

        reading += f"; since {before}, {move(pro, b_pro, 'promoters')} and {move(det, b_det, 'detractors')}"
    return charts.nps_composition_svg(rows), reading + "."


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
        return None, (
            f"The survey has {len(dims)} dimension{'s' if len(dims) != 1 else ''}, too few for a radar "
            "(it needs three); the mean per dimension is in the SERVQUAL table and the KPI table."
        )
    if sum(is_number(k.value) for _, k in dims) < 3:
        return None, "Fewer than three dimensions have a mean score in the period, so no radar is drawn."
    period = s.config.audit.period_label
    current = [k.value if is_number(k.value) else None for _, k in dims]
    series: list[tuple[str, Sequence[float | None]]] = [(period, current)]
    previous = [k.comparison("previous_quarter") for _, k in dims]
    before = next((c.period for c in previous if c is not None), None)
    if before is not None:
        series.append((before, [c.value if c is not None else None for c in previous]))
    targets = [k.target for _, k in dims]
    if any(is_number(t) for t in targets):
        series.append(("Target", targets))
    scale = source.scale_of(f"dim_{dims[0][0]}")
    svg = charts.radar_svg([n for n, _ in dims], series, (scale.min, scale.max)) if chart else None
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
    target = f"; {len(short)} of {len(dims)} dimensions are below their target" if short else ""
    if before is None:
        return (
            f"{_label(low[0])} scores lowest ({low[1]:.2f}) and {high[0].replace('_', ' ')} highest "
            f"({high[1]:.2f}); there is no earlier period to compare with{target}."
        )
    if not moves:
        return (
            f"No dimension changed significantly since {before}; {low[0].replace('_', ' ')} scores lowest "
            f"({low[1]:.2f}) and {high[0].replace('_', ' ')} highest ({high[1]:.2f}){target}."
        )
    parts = [
        f"{n.replace('_', ' ')} {'fell' if ch < 0 else 'rose'} {abs(ch):.2f} points ({fmt.p_text(p)})"
        for n, ch, _, p in sorted(moves, key=lambda m: m[1])
    ]
    if len(moves) == 1:
        kind = "decline" if moves[0][1] < 0 else "improvement"
        text = f"{parts[0]} since {before}, the only significant {kind}"
    else:
        text = f"Since {before}, {_join(parts)}, the significant changes"
    return text[0].upper() + text[1:] + f"{target}."


def ipa_block(s: AuditSnapshot) -> Block | None:
    """Importance–performance quadrants; None when the survey has no dimensions."""
    kpis = s.kpis
    source = s.config.data.surveys
    if source is None or not source.dimensions or not s.has("surveys"):
        return None
    analyses = kpis.analyses
    if not analyses.ipa:
        reason = analyses.notes.get("ipa", "no dimension has scores in the period")
        return None, f"No importance–performance analysis: it {reason}."
    derived = analyses.importance_basis == "derived"
    axis = "Importance (correlation with overall)" if derived else "Importance (mean stated score)"
    svg = charts.ipa_svg([(q.dimension, q.importance, q.performance) for q in analyses.ipa], axis)
    focus = [q.dimension.replace("_", " ") for q in analyses.ipa if q.quadrant == "concentrate here"]
    basis = (
        "importance is derived from each dimension's correlation with overall satisfaction"
        if derived
        else "importance is the mean score respondents gave"
    )
    if focus:
        verb = "falls" if len(focus) == 1 else "fall"
        head = f"{_join(focus)} {verb} in “concentrate here” (above-average importance, below-average performance)"
    else:
        head = "No dimension falls in “concentrate here” (above-average importance, below-average performance)"
    text = f"{head}; {basis}."
    return svg, text[0].upper() + text[1:]


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
    labels = [f"{by.capitalize()}: {seg}" for by, seg in rows]
    svg = charts.segment_heatmap_svg(labels, [(label, higher) for _, label, higher, _ in columns], matrix, small_n)
    reading = _segments_reading(cells, columns, small_n)
    if len(rows) > MAX_ROWS:
        reading += (
            f" The chart shows the first {MAX_ROWS} of {len(rows)} segments; every segment is in results.json "
            "(analyses.segments)."
        )
    return svg, reading


def _segments_reading(cells: Sequence[SegmentCell], columns: Sequence[tuple[str, str, bool, str]], small_n: int) -> str:
    shown = [c for c in cells if is_number(c.value) and any(c.kpi_id == k for k, *_ in columns)]
    small = sum(c.small_n for c in shown)
    kpi_id, label, higher, unit = columns[0]
    solid = [c for c in shown if c.kpi_id == kpi_id and not c.small_n]
    caution = (
        f"{small} of {len(shown)} cells {'rests' if small == 1 else 'rest'} on fewer than {small_n} observations "
        f"and {'is' if small == 1 else 'are'} hatched"
        if small
        else f"every cell rests on at least {small_n} observations"
    )
    if len(solid) < 2:
        return f"Too few segments have {small_n} or more observations to compare {label}; {caution}."
    worst = min(solid, key=lambda c: float(c.value or 0.0) if higher else -float(c.value or 0.0))
    best = max(solid, key=lambda c: float(c.value or 0.0) if higher else -float(c.value or 0.0))

    def name(c: SegmentCell) -> str:
        return f"{c.by} {c.segment}"

    return (
        f"{label} ranges from {_cell_text(float(worst.value or 0.0), unit)} ({name(worst)}, n = {worst.n:,}) to "
        f"{_cell_text(float(best.value or 0.0), unit)} ({name(best)}, n = {best.n:,}) among segments with "
        f"{small_n} or more observations; {caution}."
    )


# --------------------------------------------------------------------------- complaints


def p_chart_block(s: AuditSnapshot) -> Block | None:
    """The monthly complaint rate with its control limits; None without a complaint log."""
    kpis = s.kpis
    if not s.has("complaints"):
        return None
    chart = kpis.analyses.complaint_chart
    if chart is None:
        reason = kpis.analyses.notes.get("complaint_chart", "needs complaints and orders covering the same months")
        return None, f"No control chart of the complaint rate: it {reason}."
    info = s.config.audit
    start = f"{info.period_start:%Y-%m}"
    points = [(p.period, p.value, p.lcl, p.ucl, p.signal) for p in chart.points]
    svg = charts.p_chart_svg(points, chart.centre, chart.unit, audited_from=start)
    inside = [p for p in chart.points if p.period >= start]
    earlier = [p for p in chart.points if p.period < start and p.signal]
    centre = f"{chart.centre:.1f} complaints per 1,000 orders"
    flagged = [p for p in inside if p.signal]
    if flagged:
        listed = _join(
            [
                f"{p.period} {p.signal} ({p.value:.1f} against a limit of {(p.ucl if p.signal == 'above' else p.lcl):.1f})"
                for p in flagged[:3]
            ]
        )
        head = (
            f"{len(flagged)} of the {len(inside)} months of {info.period_label} fell beyond the control limits "
            f"around the centre line of {centre}: {listed}"
        )
    elif inside:
        head = f"All {len(inside)} months of {info.period_label} were within the control limits around the centre line of {centre}"
    else:
        head = f"No month of {info.period_label} has orders to chart against the centre line of {centre}"
    tail = f"; {len(earlier)} earlier month{'s were' if len(earlier) != 1 else ' was'} beyond them" if earlier else ""
    return svg, f"{head}{tail}."


def resolution_block(s: AuditSnapshot) -> Block | None:
    """Resolution days of the period's complaints against the SLA, read on the SLA KPI's basis; None without a log."""
    if not s.has("complaints"):
        return None
    times = s.kpis.analyses.resolution
    received = s.rows_in_period("complaints")
    if not received:
        return None, f"No complaints were received in {s.period}."
    if times is None:
        return None, "The complaint log has no resolution dates, so resolution time cannot be shown."
    if not times.resolved:
        return None, f"None of the {fmt.count(received)} complaints of the period was resolved by its end."
    sla = times.sla_days
    kpi = s.kpis.get("complaints_resolved_within_sla_pct")
    share = fmt.percent(kpi.value) if kpi is not None else fmt.percent(100 * times.within / max(times.judged, 1))
    median = s.kpis.get("complaint_resolution_days_median")
    longest = max(d for d, _ in times.days)
    parts = [
        f"{fmt.count(times.within)} of the {fmt.count(times.judged)} complaints whose outcome is known at the "
        f"period's end ({share}) were resolved within {fmt.number(sla)} days"
    ]
    if times.open_past_sla:
        parts.append(
            ngettext("{n} is still open past the limit", "{n} are still open past the limit", times.open_past_sla)
        )
    detail = f"median {fmt.value(median.value, 'days')}, " if median is not None else ""
    reading = "; ".join(parts) + f" ({detail}longest {fmt.value(longest, 'days', decimals=0)})"
    if times.open_within_sla:
        reading += "; " + ngettext(
            "{n} more was open but not yet past the limit",
            "{n} more were open but not yet past the limit",
            times.open_within_sla,
        )
    resolved = [float(d) for d, n in times.days for _ in range(n)]
    return charts.resolution_svg(resolved, sla), reading + "."
