"""The Themes sheet of findings.xlsx: every theme of every source, with its trend and three example texts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from audit.format import EXCEL_COUNT, EXCEL_P, EXCEL_PERCENT
from audit.i18n import N_, _
from audit.model import THEME_SOURCES, AuditSnapshot
from audit.report.xlsx import WRAP, code_word

__all__ = ["THEME_FORMATS", "THEME_HEADER", "THEME_SOURCE_LABELS", "THEME_WIDTHS", "theme_header", "theme_rows"]

#: the sheet's columns (English message ids; :func:`theme_header` gives them in the audit's language)
THEME_HEADER = (
    N_("Source"), N_("Column"), N_("Theme"), N_("Language"), N_("Top terms"), N_("Texts"), N_("Share %"),
    N_("Previous share %"), N_("Change (pts)"), N_("p-value"), N_("Verdict"), N_("Growing"),
    N_("Commenters with a score"), N_("Dissatisfied %"),
    N_("Example 1 id"), N_("Example 1"), N_("Example 2 id"), N_("Example 2"), N_("Example 3 id"), N_("Example 3"),
)  # fmt: skip
THEME_WIDTHS = (22, 22, 8, 9, 40, 8, 9, 10, 10, 9, 22, 9, 12, 12, 14, 50, 14, 50, 14, 50)
_CHANGE = "+0.0;-0.0;0.0"
THEME_FORMATS = (
    None, None, None, None, WRAP, EXCEL_COUNT, EXCEL_PERCENT, EXCEL_PERCENT, _CHANGE, EXCEL_P, None, None,
    EXCEL_COUNT, EXCEL_PERCENT, None, WRAP, None, WRAP, None, WRAP,
)  # fmt: skip
#: a theme source as the sheet names it in another language than English (English keeps the source's id)
THEME_SOURCE_LABELS = {
    "complaint_descriptions": N_("Complaint descriptions"),
    "complaint_root_causes": N_("Complaint root causes"),
    "survey_comments": N_("Survey comments"),
}
#: a theme's verdict, in another language than English
_VERDICTS = {
    "significant increase": N_("Significant increase"),
    "significant decrease": N_("Significant decrease"),
    "no significant change": N_("No significant change"),
    "not tested": N_("Not tested"),
}


def theme_header() -> list[str]:
    """The sheet's column titles in the current language."""
    return [_(title) for title in THEME_HEADER]


def _word(table: dict[str, str]) -> Callable[[str], str]:
    return lambda code: _(table[code]) if code in table else code


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def theme_rows(snapshot: AuditSnapshot) -> list[tuple[Any, ...]]:
    """One row per theme, sources in results.json order, each source's themes largest first."""
    rows, yes = [], _("yes")
    for source, themes in snapshot.kpis.themes.items():
        for t in themes.themes:
            examples: list[Any] = []
            for e in t.examples[:3]:
                examples += [e.record_id, e.text]
            examples += [""] * (6 - len(examples))
            rows.append(
                (code_word(source, _word(THEME_SOURCE_LABELS)), THEME_SOURCES.get(source, ""), t.id, t.language,
                 ", ".join(term for term, _w in t.terms), t.count, _round(t.share_pct), _round(t.previous_share_pct),
                 _round(t.change), _round(t.p_value), code_word(t.verdict, _word(_VERDICTS)), yes if t.growing else "",
                 t.dissatisfied_n, _round(t.dissatisfied_pct), *examples)
            )  # fmt: skip
    return rows
