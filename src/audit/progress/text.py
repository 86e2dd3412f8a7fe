"""The words of the progress lines, in the audit's language.

Example:
    >>> from audit.progress import Event
    >>> finished(Event("done", "read", "orders.csv", n=1_000_000, seconds=9.81))
    'reading orders.csv: 1,000,000 rows … 9.8 s'
"""

from __future__ import annotations

from audit import format as fmt
from audit.i18n import _, ngettext
from audit.progress import Event

__all__ = ["finished", "running", "seconds", "size"]


def size(n: int) -> str:
    """A file's size for a person: ``84 MB``, ``312 KB``."""
    if n >= 1_000_000:
        return f"{fmt.number(n / 1_000_000, 0 if n >= 10_000_000 else 1)} MB"
    return f"{fmt.number(max(n, 1_000) / 1_000, 0)} KB"


def seconds(s: float) -> str:
    """``9.8 s``."""
    return _("{seconds} s", seconds=fmt.number(s, 1))


def running(e: Event) -> str:
    """What a stage that has started (or advanced: ``update``) is doing."""
    label = e.label
    if e.stage == "audit":
        return _("auditing {folder}", folder=label)
    if e.stage == "kernel":
        return _("starting the notebook kernel")
    if e.stage == "notebook":
        if e.kind == "update" and e.n is not None and e.m is not None:
            return _("executing the notebook: cell {cell} of {cells}", cell=fmt.count(e.n), cells=fmt.count(e.m))
        return _("executing the notebook")
    if e.stage == "read":
        if e.m:
            return _("reading {file} ({size})", file=label, size=size(e.m))
        return _("reading {file}", file=label)
    if e.stage == "kpis":
        return _("computing the KPIs")
    if e.stage == "checks":
        return _("running the checks")
    if e.stage == "findings":
        return _("grading the findings and raising actions")
    if e.stage == "pdf":
        if e.n is not None:
            return _("rendering PDF: page {page}", page=fmt.count(e.n))
        return _("rendering PDF")
    if e.stage == "register":
        return _("updating {file}", file=label)
    if e.stage == "publish":
        return _("publishing the outputs")
    return _("writing {file}", file=label) if label else e.stage


def _counted(e: Event) -> str:
    n = e.n or 0
    if e.stage == "audit":
        return _("done")
    if e.stage == "notebook" and e.n is not None:
        return ngettext("executing the notebook: {n} cell", "executing the notebook: {n} cells", n)
    if e.stage == "read" and e.n is not None:
        return ngettext("reading {file}: {n} row", "reading {file}: {n} rows", n, file=e.label)
    if e.stage == "kpis" and e.n is not None:
        return _("KPIs: {n}", n=fmt.count(n))
    if e.stage == "checks" and e.n is not None:
        return _("checks: {n}", n=fmt.count(n))
    if e.stage == "findings" and e.n is not None:
        act = e.m or 0
        return ngettext(
            "findings: {total} ({n} needs action)", "findings: {total} ({n} need action)", act, total=fmt.count(n)
        )
    if e.stage == "pdf" and e.n is not None:
        return ngettext("rendering PDF: {n} page", "rendering PDF: {n} pages", n)
    return running(Event("start", e.stage, e.label, m=None))


def finished(e: Event) -> str:
    """The line of a finished stage: what it did, its counts and its seconds."""
    text = _counted(e)
    return text if e.seconds is None else f"{text} … {seconds(e.seconds)}"
