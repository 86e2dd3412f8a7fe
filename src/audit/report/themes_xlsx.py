"""The Themes sheet of findings.xlsx: every theme of every source, with its trend and three example texts."""

from __future__ import annotations

from typing import Any

from audit.model import THEME_SOURCES, AuditSnapshot

__all__ = ["THEME_HEADER", "THEME_WIDTHS", "theme_rows"]

THEME_HEADER = (
    "Source", "Column", "Theme", "Language", "Top terms", "Texts", "Share %", "Previous share %", "Change (pts)",
    "p-value", "Verdict", "Growing", "Commenters with a score", "Dissatisfied %",
    "Example 1 id", "Example 1", "Example 2 id", "Example 2", "Example 3 id", "Example 3",
)  # fmt: skip
THEME_WIDTHS = (22, 22, 8, 9, 40, 8, 9, 10, 10, 9, 22, 9, 12, 12, 14, 50, 14, 50, 14, 50)


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def theme_rows(snapshot: AuditSnapshot) -> list[tuple[Any, ...]]:
    """One row per theme, sources in results.json order, each source's themes largest first."""
    rows = []
    for source, themes in snapshot.kpis.themes.items():
        for t in themes.themes:
            examples: list[Any] = []
            for e in t.examples[:3]:
                examples += [e.record_id, e.text]
            examples += [""] * (6 - len(examples))
            rows.append(
                (source, THEME_SOURCES.get(source, ""), t.id, t.language, ", ".join(term for term, _w in t.terms),
                 t.count, _round(t.share_pct), _round(t.previous_share_pct), _round(t.change), _round(t.p_value),
                 t.verdict, "yes" if t.growing else "", t.dissatisfied_n, _round(t.dissatisfied_pct), *examples)
            )  # fmt: skip
    return rows
