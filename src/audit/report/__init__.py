"""Rendering: the report (HTML and PDF), its charts, the workbooks and the portfolio.

Everything here is built from an :class:`~audit.model.AuditSnapshot` and the revision
being written; nothing computes, nothing reads the audit folder.

Example:
    >>> html = render_html(ReportInput(snapshot, revision))       # doctest: +SKIP
    >>> write_pdf(html, Path("report.pdf"), base_dir=folder)      # doctest: +SKIP
"""

from audit.report.html import render_html, standalone_html
from audit.report.pdf import write_pdf
from audit.report.sections import SECTIONS, ReportInput, render_section, render_sections

__all__ = [
    "SECTIONS",
    "ReportInput",
    "render_html",
    "render_section",
    "render_sections",
    "standalone_html",
    "write_pdf",
]
