"""What customers say: the themes of complaint descriptions and survey comments, with a chart and a reading.

One result block per source that has themes (``complaint_descriptions``, ``survey_comments``;
root causes are the organisation's words, not the customers', and stay in the working paper
and findings.xlsx). Each block is a chart of the largest themes, now against the previous
quarter, one short reading written from the same numbers, and a table of the themes with an
example text each; for survey comments, the table and the reading say which themes the
dissatisfied respondents (bottom box) talk about. Every value comes from the snapshot's theme
sets (:mod:`audit.kpi.themes`); nothing is recomputed.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from audit import format as fmt
from audit.i18n import N_, _, ngettext
from audit.model import AuditSnapshot, Theme, ThemeSet
from audit.report import charts
from audit.report.charts.themes import ThemeBar, themes_svg
from audit.report.sections.base import clip

__all__ = ["SHOWN_THEMES", "VOICE_SOURCES", "voice_blocks"]

#: the sources of the customers' own words, in report order, with the heading of their block
VOICE_SOURCES = {
    "complaint_descriptions": N_("What customers say: complaints"),
    "survey_comments": N_("What customers say: survey comments"),
}
#: most themes on a chart; the table below it lists the largest few with an example each (all of
#: them, with three examples, are in findings.xlsx's Themes sheet and results.json)
SHOWN_THEMES = 8
TABLED_THEMES = 5


def voice_blocks(s: AuditSnapshot) -> list[dict[str, Any]]:
    """The result blocks of the customers' own words (none when the audit has no free text)."""
    blocks = []
    for source, heading in VOICE_SOURCES.items():
        themes = s.kpis.themes.get(source)
        if themes is None or not themes.texts:
            continue
        shown = themes.themes[:SHOWN_THEMES]
        block: dict[str, Any] = {"heading": _(heading), "svg": None, "reading": _reading(themes)}
        if shown:
            bars = [ThemeBar(t.label, t.share_pct, t.previous_share_pct, t.growing) for t in shown]
            svg = themes_svg(bars, _(heading), themes.period, themes.previous or _("previous quarter"))
            block["svg"] = Markup(charts.inline_svg(svg))
            block["themes"] = [_row(t, themes) for t in shown[:TABLED_THEMES]]
            block["scored"] = themes.dissatisfied_n is not None
        blocks.append(block)
    return blocks


def _row(t: Theme, themes: ThemeSet) -> dict[str, str]:
    example = t.examples[0] if t.examples else None
    return {
        "label": t.label,
        "count": fmt.count(t.count),
        "share": fmt.percent(t.share_pct, 0),
        "change": fmt.change(t.change, "%") if themes.previous else fmt.NA,
        "growing": "▲" if t.growing else "",
        "dissatisfied": fmt.percent(t.dissatisfied_pct, 0),
        "example": f"{example.record_id}: {clip(example.text, 80)}" if example else "",
    }


def _reading(themes: ThemeSet) -> str:
    """One or two sentences: the largest theme, the themes that grew, and where the dissatisfied are."""
    if not themes.themes:
        return _(
            "{texts} texts, too few or too varied to form themes.",
            texts=fmt.count(themes.texts),
        )
    top = themes.themes[0]
    text = ngettext(
        "The {n} texts of {period} form one theme: “{label}”.",
        "The {n} texts of {period} form {k} themes; the largest is “{label}” ({share} of the texts).",
        len(themes.themes),
        n=fmt.count(themes.texts),
        period=themes.period,
        k=fmt.count(len(themes.themes)),
        label=top.label,
        share=fmt.percent(top.share_pct, 0),
    )
    growing = themes.growing
    if growing:
        listed = "; ".join(
            _(
                "“{label}” from {before} to {now}",
                label=t.label,
                before=fmt.percent(t.previous_share_pct, 0),
                now=fmt.percent(t.share_pct, 0),
            )
            for t in growing[:3]
        )
        text += " " + ngettext(
            "One theme grew significantly since {previous}: {listed}.",
            "{n} themes grew significantly since {previous}: {listed}.",
            len(growing),
            previous=themes.previous or "",
            listed=listed,
        )
    elif themes.previous:
        text += " " + _("No theme grew significantly since {previous}.", previous=themes.previous)
    scored = [t for t in themes.themes if t.dissatisfied_pct is not None and t.dissatisfied_n]
    if scored and themes.dissatisfied_pct is not None:
        worst = max(scored, key=lambda t: (t.dissatisfied_pct or 0.0, t.count))
        if (worst.dissatisfied_pct or 0.0) > 0:
            text += " " + _(
                "Dissatisfied respondents talk most about “{label}”: {pct} of its respondents gave a bottom-box "
                "score, against {overall} of all who commented.",
                label=worst.label,
                pct=fmt.percent(worst.dissatisfied_pct, 0),
                overall=fmt.percent(themes.dissatisfied_pct, 0),
            )
    return text
