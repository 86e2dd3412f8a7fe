"""The results section's charts that need more than one KPI: data, chart and reading.

Each ``*_block`` function returns ``(svg or None, reading)``: the chart as SVG text and
one sentence written from the same numbers, or None and a sentence saying why there is
no chart. ``audit.report.sections`` places them under their headings. Only
:func:`nps_composition` and :func:`csat_band` compute from rows (the KPI table does not
carry the promoter split or earlier periods' intervals); both follow docs/metrics.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from audit.model import Kpi, KpiTable, SegmentCell
from audit.report import charts
from audit.report.charts.heatmap import MAX_ROWS
from audit.report.tables import format_p, format_value, is_number

if TYPE_CHECKING:
    from audit.data.dataset import AuditData

__all__ = [
    "csat_band",
    "ipa_block",
    "nps_composition",
    "nps_composition_block",
    "p_chart_block",
    "radar_block",
    "resolution_block",
    "segments_block",
]

Block = tuple[str | None, str]

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


def _minus(text: str) -> str:
    return text.replace("-", "−")


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _period_frames(data: AuditData, kind: str) -> list[tuple[str, pd.DataFrame]]:
    """(period, rows) of one kind for each period of the history, the audited one last.

    Earlier periods come from ``data.history`` (by its ``_period`` column); the audited
    one is ``data.frames``, as for the KPIs.
    """
    period = data.config.audit.period_label
    current = data.frames.get(kind)
    if current is None:
        return []
    history = data.history.get(kind)
    out: list[tuple[str, pd.DataFrame]] = []
    if history is not None and "_period" in history:
        groups = dict(tuple(history.groupby("_period", sort=False)))
        out = [(p, groups.get(p, history.iloc[0:0])) for p in data.periods if p != period]
    return [*out, (period, current)]


# --------------------------------------------------------------------------- CSAT band


def csat_band(
    data: AuditData, kpi: Kpi, series: Sequence[tuple[str, float | None]]
) -> list[tuple[float | None, float | None]]:
    """The 95% interval of the CSAT mean for each point of ``series``.

    The audited period's comes from the KPI; an earlier period's is the Student t
    interval of its survey rows (audit.kpi.stats.mean, as for the KPI), kept only when
    its mean is the one in the KPI's history.
    """
    from audit.kpi.stats import mean

    period = data.config.audit.period_label
    known: dict[str, tuple[float | None, float | None]] = {period: (kpi.ci_low, kpi.ci_high)}
    for label, rows in _period_frames(data, "surveys")[:-1]:
        if "overall" not in rows or not len(rows):
            continue
        estimate = mean(rows["overall"].to_numpy(dtype="float64", na_value=np.nan))
        value = dict(series).get(label)
        if estimate.value is not None and value is not None and abs(estimate.value - value) < 1e-9:
            known[label] = (estimate.ci_low, estimate.ci_high)
    return [known.get(label, (None, None)) for label, _ in series]


# --------------------------------------------------------------------------- NPS composition


def nps_composition(data: AuditData) -> list[tuple[str, float, float, float, int]]:
    """(period, promoters %, passives %, detractors %, answers) per period of the history.

    Promoters answer 9–10, passives 7–8, detractors 0–6 on the 0–10 recommend question
    (docs/metrics.md). Leading periods before the survey file starts (no answers) are
    left out; the audited period is always last.
    """
    rows: list[tuple[str, float, float, float, int]] = []
    for label, frame in _period_frames(data, "surveys"):
        answers = (
            frame["recommend"].to_numpy(dtype="float64", na_value=np.nan) if "recommend" in frame else np.array([])
        )
        answers = answers[~np.isnan(answers)]
        n = len(answers)
        if n == 0:
            if rows or label == data.config.audit.period_label:
                rows.append((label, 0.0, 0.0, 0.0, 0))
            continue
        promoters = 100 * float(np.sum(answers >= 9)) / n
        detractors = 100 * float(np.sum(answers <= 6)) / n
        rows.append((label, promoters, 100 - promoters - detractors, detractors, n))
    return rows


def nps_composition_block(data: AuditData, kpis: KpiTable) -> Block:
    """Stacked promoters / passives / detractors per period, and how the audited period's moved."""
    kpi = kpis.get("nps")
    if kpi is None or not is_number(kpi.value):
        why = f" ({kpi.note})" if kpi is not None and kpi.note else ""
        return None, f"No NPS composition can be shown{why}."
    rows = nps_composition(data)
    if not rows or rows[-1][4] == 0:
        return None, "No likelihood-to-recommend answers were recorded in the period."
    period, pro, _, det, n = rows[-1]
    reading = (
        f"In {period}, {pro:.0f}% of the {n:,} answers were promoters and {det:.0f}% detractors "
        f"(NPS {_minus(f'{pro - det:+.0f}')})"
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


def radar_block(data: AuditData, kpis: KpiTable) -> Block | None:
    """Dimension means this period, the previous period and the target; None without dimensions."""
    source = data.config.data.surveys
    if source is None or not source.dimensions or not data.has("surveys"):
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
    period = data.config.audit.period_label
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
    svg = charts.radar_svg([n for n, _ in dims], series, (scale.min, scale.max))
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
        f"{n.replace('_', ' ')} {'fell' if ch < 0 else 'rose'} {abs(ch):.2f} points ({format_p(p)})"
        for n, ch, _, p in sorted(moves, key=lambda m: m[1])
    ]
    if len(moves) == 1:
        kind = "decline" if moves[0][1] < 0 else "improvement"
        text = f"{parts[0]} since {before}, the only significant {kind}"
    else:
        text = f"Since {before}, {_join(parts)}, the significant changes"
    return text[0].upper() + text[1:] + f"{target}."


def ipa_block(data: AuditData, kpis: KpiTable) -> Block | None:
    """Importance–performance quadrants; None when the survey has no dimensions."""
    source = data.config.data.surveys
    if source is None or not source.dimensions or not data.has("surveys"):
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
    if unit == "points":
        return _minus(f"{value:+.0f}")
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "per 1000":
        return f"{value:.1f}"
    return f"{value:.2f}"


def segments_block(data: AuditData, kpis: KpiTable) -> Block | None:
    """Segments × main KPIs, small samples marked; None when no segment could be formed."""
    cells = [c for c in kpis.analyses.segments if c.kpi_id in {k for k, *_ in SEGMENT_KPIS}]
    if not cells:
        return None
    small_n = data.config.analysis.small_n
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


def p_chart_block(data: AuditData, kpis: KpiTable) -> Block | None:
    """The monthly complaint rate with its control limits; None without a complaint log."""
    if not data.has("complaints"):
        return None
    chart = kpis.analyses.complaint_chart
    if chart is None:
        reason = kpis.analyses.notes.get("complaint_chart", "needs complaints and orders covering the same months")
        return None, f"No control chart of the complaint rate: it {reason}."
    info = data.config.audit
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


def resolution_block(data: AuditData, kpis: KpiTable) -> Block | None:
    """Resolution days of the period's complaints against the SLA; None without a complaint log."""
    frame = data.frames.get("complaints")
    if frame is None:
        return None
    sla = data.config.sla.complaint_resolve_days
    if not len(frame):
        return None, f"No complaints were received in {data.config.audit.period_label}."
    if "resolved_on" not in frame or "received_on" not in frame:
        return None, "The complaint log has no resolution dates, so resolution time cannot be shown."
    from audit.kpi.complaints import resolution_flags

    days, _, _ = resolution_flags(frame, data.config.sla, pd.Timestamp(data.config.audit.period_end))
    resolved = [float(d) for d in days.to_numpy(dtype="float64", na_value=np.nan) if math.isfinite(d)]
    still_open = len(frame) - len(resolved)
    if not resolved:
        return None, f"None of the {len(frame):,} complaints of the period was resolved by its end."
    within = sum(d <= sla for d in resolved)
    ordered = sorted(resolved)
    n = len(ordered)
    median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    opened = (
        f"; {still_open:,} {'was' if still_open == 1 else 'were'} still open at the period's end" if still_open else ""
    )
    reading = (
        f"{within:,} of the {n:,} complaints received and resolved in the period ({100 * within / n:.0f}%) took "
        f"{sla:g} days or less (median {format_value(median, 'days', decimals=1)}, longest "
        f"{format_value(ordered[-1], 'days', decimals=0)}){opened}."
    )
    return charts.resolution_svg(resolved, sla), reading
