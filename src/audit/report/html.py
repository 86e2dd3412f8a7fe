"""The report as one self-contained HTML file, made from the executed notebook.

nbconvert's :class:`~nbconvert.exporters.HTMLExporter` runs our template
(``templates/report/``: conf.json + index.html.j2), which keeps only the outputs of
cells tagged ``report`` and inlines ``report.css``: no code, prompts, streams or errors
reach the report, and the file needs nothing from the network.

Example:
    >>> html = export_html(Path("audits/demo/2026-Q3/audit.ipynb"))   # doctest: +SKIP
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from audit.paths import REPORT_TEMPLATE_DIR

__all__ = ["export_html", "report_css", "standalone_html"]

TEMPLATE_NAME = REPORT_TEMPLATE_DIR.name


def export_html(notebook: Path, *, draft: bool = True) -> str:
    """The report HTML of an executed audit notebook.

    Args:
        notebook: the executed notebook (``audit.ipynb``).
        draft: mark every page "DRAFT" (until the audit is finalised and issued).

    Returns:
        A complete HTML document with the CSS inlined.

    Raises:
        FileNotFoundError: the notebook does not exist.
        nbformat.reader.NotJSONError: the file is not a notebook.
    """
    import nbformat
    from nbconvert import HTMLExporter

    node = nbformat.read(str(notebook), as_version=4)
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(REPORT_TEMPLATE_DIR.parent)],
    )
    resources = {"metadata": {"name": Path(notebook).stem}, "draft": draft}
    body, _ = exporter.from_notebook_node(node, resources=resources)
    return str(body)


def report_css() -> str:
    """The report's stylesheet (``templates/report/report.css``)."""
    return (REPORT_TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")


def standalone_html(fragment: str, title: str = "Audit report") -> str:
    """A complete HTML document around section HTML, styled like the exported report.

    Useful to render a report without a notebook (tests, previews).

    Args:
        fragment: HTML from :func:`audit.report.sections.render_sections`.
        title: the document title.

    Returns:
        HTML text with the CSS inlined.
    """
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>\n{report_css()}\n</style>\n</head>\n"
        f'<body>\n<main class="report">\n{fragment}\n</main>\n</body>\n</html>\n'
    )
