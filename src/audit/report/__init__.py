"""Rendering: report sections, the report HTML, the PDF, and the notebook tables.

``section`` is what the audit notebook calls in its cells tagged ``report``;
``export_html`` and ``write_pdf`` turn the executed notebook into report.html and
report.pdf. Nothing here computes: it only reads :mod:`audit.results` objects.

Example:
    >>> from audit.report import section                   # doctest: +SKIP
    >>> section("cover", data, kpis, assessment)            # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from audit.report.sections import SECTIONS, render_section, render_sections, section

__all__ = ["SECTIONS", "export_html", "render_section", "render_sections", "section", "write_pdf"]


def export_html(notebook: Path) -> str:
    """The report HTML of an executed notebook; see :func:`audit.report.html.export_html`."""
    from audit.report.html import export_html as _export

    return _export(notebook)


def write_pdf(html: str, pdf_path: Path, *, base_dir: Path) -> None:
    """Render report HTML to PDF; see :func:`audit.report.pdf.write_pdf`."""
    from audit.report.pdf import write_pdf as _write

    _write(html, pdf_path, base_dir=base_dir)
