"""The working paper's drill-down: one finding, its clause, its figures and the records behind it.

The notebook shows the first :data:`RECORDS_SHOWN` records and says how many more there are and
where every one is (``assessment["F-03"].records``, a DataFrame): at a million orders a finding
can stand on thousands of records, and a notebook output of every one of them weighed a megabyte.

Example:
    >>> html = finding_records_html(assessment["F-01"])     # doctest: +SKIP
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd

from audit import format as fmt
from audit.i18n import _, ngettext
from audit.model.drilldown import FindingRecords
from audit.report.datatable import data_table

__all__ = ["RECORDS_SHOWN", "figure_text", "finding_records_html"]

#: most records of a finding its notebook output shows (all of them are in ``.records``)
RECORDS_SHOWN = 100


def figure_text(value: Any) -> str:
    """An evidence figure as a person reads it: numbers through :mod:`audit.format`, lists joined."""
    if isinstance(value, bool) or value is None:
        return fmt.NA if value is None else str(value)
    if isinstance(value, int):
        return fmt.count(value)
    if isinstance(value, float):
        return fmt.number(value, 2)
    if isinstance(value, list | tuple):
        return ", ".join(figure_text(v) for v in value) or fmt.NA
    return str(value)


def finding_records_html(view: FindingRecords) -> str:
    """A finding for the working paper: grade, clause, title, evidence, gap, figures, then its records as a table."""
    f = view.finding
    head = f"{f.id} · {f.grade_label} · {f.clauses}"
    parts = [
        '<div class="audit-finding">',
        f"<h4>{escape(head)}: {escape(f.title)}</h4>",
        f"<p><strong>{escape(_('Evidence'))}:</strong> {escape(f.evidence)}</p>",
        f"<p><strong>{escape(_('Gap'))}:</strong> {escape(f.gap)}</p>",
    ]
    if f.figures:
        figures = pd.DataFrame({_("Figure"): list(f.figures), _("Value"): [figure_text(v) for v in f.figures.values()]})
        parts.append(data_table(figures, _("Evidence figures")))
    if view.records.empty:
        parts.append(f"<p>{escape(view.note)}</p>")
    else:
        summary = ngettext(
            "{n} record behind the finding ({kind}), with its file and Excel row:",
            "{n} records behind the finding ({kind}), each with its file and Excel row:",
            len(view.records),
            kind=view.kind,
        )
        parts.append(f"<p>{escape(summary)}</p>")
        parts.append(data_table(view.records.head(RECORDS_SHOWN), _("Records behind {id}", id=f.id)))
        if len(view.records) > RECORDS_SHOWN:
            more = _(
                'The first {shown} records are shown, {more} more are not: assessment["{id}"].records has all {n} '
                "(a DataFrame; shown in a cell, an interactive table of every one).",
                shown=fmt.count(RECORDS_SHOWN),
                more=fmt.count(len(view.records) - RECORDS_SHOWN),
                id=f.id,
                n=fmt.count(len(view.records)),
            )
            parts.append(f'<p class="audit-more">{escape(more)}</p>')
    parts.append("</div>")
    return "".join(parts)
