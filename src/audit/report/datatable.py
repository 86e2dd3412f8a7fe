"""Tables people sort, search, filter and page in JupyterLab: itables offline, or static HTML without it.

The working paper's tables (KPIs, findings, data-quality problems, segments, the register,
themes, the records behind a finding) go through :func:`data_table`. With itables installed
(the project's dependency) a table is a DataTables table that runs from the JavaScript bundled
with itables: the first table of a kernel carries the bundle (about 1 MB, once per notebook),
nothing is fetched from the network. Each table also carries itables' static preview of its
first rows, which is what an untrusted notebook shows until it is trusted. Without itables the
table is plain HTML, every cell escaped, up to :data:`STATIC_ROWS` rows.

Numbers a person reads are formatted by the caller (:mod:`audit.format`); a formatted column
sorts by its value when the value is given in ``sort_by``.

Example:
    >>> html = data_table(pd.DataFrame({"KPI": ["NPS"], "Value": ["+27"]}), sort_by={"Value": [27.0]})
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import pandas as pd

from audit import format as fmt
from audit.i18n import _

__all__ = ["MAX_BYTES", "PAGE_LENGTH", "STATIC_ROWS", "data_table", "interactive", "interactive_tables", "static_table"]

#: rows per page of an interactive table
PAGE_LENGTH = 10
#: most rows of a static table (the rest are counted under it)
STATIC_ROWS = 200
#: most bytes of data one interactive table carries; itables shows a sample of larger tables and says so
MAX_BYTES = 4_000_000
#: suffix of the hidden column a formatted column sorts by
_SORT_SUFFIX = " \u2195"

_state = {"bundle_sent": False}


def interactive() -> bool:
    """Whether tables are interactive here (itables can be imported)."""
    try:
        import itables  # noqa: F401
        from itables.javascript import generate_init_offline_itables_html  # noqa: F401
    except ImportError:
        return False
    return True


def _in_kernel() -> bool:
    """Whether the code runs in a Jupyter kernel (where the bundle has to reach the page)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def interactive_tables() -> bool:
    """Make the working paper's tables interactive: itables' offline mode, its JavaScript bundled in this output.

    Calls ``itables.init_notebook_mode(connected=False)``: the DataTables bundle shipped with
    itables is written into the cell's output (nothing is fetched from the network, the
    executed notebook works offline), and every DataFrame the notebook shows afterwards (the
    records of a drill-down) is an interactive table too. Without itables, or outside a
    kernel, nothing happens and the tables stay static HTML.

    Returns:
        Whether the tables are interactive.
    """
    if not interactive() or not _in_kernel():
        return False
    from itables import init_notebook_mode

    init_notebook_mode(all_interactive=True, connected=False)
    _state["bundle_sent"] = True
    return True


def _bundle() -> str:
    """itables' offline bundle, the first time a table is shown in this kernel, else nothing."""
    if _state["bundle_sent"] or not _in_kernel():
        return ""
    from itables import options
    from itables.javascript import generate_init_offline_itables_html

    _state["bundle_sent"] = True
    return str(generate_init_offline_itables_html(options.dt_bundle))


def _table_id(frame: pd.DataFrame, caption: str) -> str:
    """An id from the table's content: the same table gets the same id in every run."""
    digest = hashlib.sha256(caption.encode())
    digest.update("\x1f".join(map(str, frame.columns)).encode())
    if len(frame):
        digest.update(pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes())
    return f"audit-{digest.hexdigest()[:16]}"


def _text(value: Any) -> str:
    """A cell as text for the static table: dates ISO, absent values an en dash."""
    if value is None or (isinstance(value, float) and not fmt.is_number(value)) or value is pd.NaT:
        return fmt.NA
    try:
        if pd.isna(value):
            return fmt.NA
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return str(value)


def static_table(
    frame: pd.DataFrame, caption: str = "", *, css_class: str = "audit-table", limit: int = STATIC_ROWS
) -> str:
    """The frame as a plain HTML table, every cell escaped, at most ``limit`` rows (the rest counted)."""
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    rows = [
        "<tr>" + "".join(f"<td>{escape(_text(v))}</td>" for v in row) + "</tr>"
        for row in frame.head(limit).itertuples(index=False, name=None)
    ]
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    more = ""
    if len(frame) > limit:
        more = f"<p>{escape(_('… and {n} more rows.', n=fmt.count(len(frame) - limit)))}</p>"
    return (
        f'<table class="{escape(css_class)}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{more}"
    )


def data_table(
    frame: pd.DataFrame,
    caption: str = "",
    *,
    sort_by: Mapping[str, Sequence[Any]] | None = None,
    css_class: str = "audit-table",
    page_length: int = PAGE_LENGTH,
) -> str:
    """The frame as an interactive table (sort, search, per-column filter, pages), or static HTML.

    Args:
        frame: the rows to show, one column per header; values from the data are escaped.
        caption: shown under the table.
        sort_by: for a column of formatted text, the values it sorts by (one per row).
        css_class: class of the static table.
        page_length: rows per page.

    Returns:
        HTML text for a notebook output.
    """
    if not interactive() or frame.empty:
        return static_table(frame, caption, css_class=css_class)
    from itables import to_html_datatable

    shown = frame.reset_index(drop=True)
    column_defs: list[dict[str, Any]] = []
    hidden: list[int] = []
    for name, values in (sort_by or {}).items():
        if name not in shown.columns:
            continue
        key = f"{name}{_SORT_SUFFIX}"
        shown[key] = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").astype("float64").to_numpy()
        hidden.append(shown.columns.get_loc(key))  # type: ignore[arg-type]
        column_defs.append({"targets": int(shown.columns.get_loc(name)), "orderData": [hidden[-1]]})  # type: ignore[arg-type]
    if hidden:
        column_defs.append({"targets": hidden, "visible": False, "searchable": False})
    html = to_html_datatable(
        shown,
        caption=escape(caption) if caption else None,
        table_id=_table_id(shown, caption),
        connected=False,
        showIndex=False,
        column_filters="footer",
        pageLength=page_length,
        lengthMenu=[10, 25, 100, 1000],
        maxBytes=MAX_BYTES,
        columnDefs=column_defs,
        classes="display compact",
        display_logo_when_loading=False,
    )
    return _bundle() + str(html)
