"""The report as one self-contained HTML file, rendered from the audit's snapshot.

``templates/report/index.html.j2`` puts the sections (:mod:`audit.report.sections`) in
report order and inlines ``report.css``: the file needs nothing from the network, and
nothing but the snapshot and the revision goes into it.

Example:
    >>> html = render_html(ReportInput(snapshot, revision))    # doctest: +SKIP
"""

from __future__ import annotations

from html import escape

import jinja2
from markupsafe import Markup

from audit.i18n import LANGUAGES, _, language
from audit.paths import REPORT_TEMPLATE_DIR
from audit.report.charts.together import drawn_together
from audit.report.sections import ReportInput, render_sections

__all__ = ["render_html", "report_css", "standalone_html"]


def report_css() -> str:
    """The report's stylesheet (``templates/report/report.css``)."""
    return (REPORT_TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css() -> str:
    """The running header and the page numbers in the current language (CSS margin boxes)."""
    before, _page_mark, rest = _("Page {page} of {pages}").partition("{page}")
    between, _pages_mark, after = rest.partition("{pages}")
    numbers = f"{_css_string(before)} counter(page) {_css_string(between)} counter(pages) {_css_string(after)}"
    head, _mark, tail = _("Customer satisfaction audit · Rev. {revision}").partition("{revision}")
    running = f"{_css_string(head)} string(doc-rev) {_css_string(tail)}"
    return f"@page {{ @top-right {{ content: {running}; }} @bottom-right {{ content: {numbers}; }} }}"


def _page(body: str, title: str, *, draft: bool, lang: str = "en", meta: tuple[tuple[str, str], ...] = ()) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(REPORT_TEMPLATE_DIR), autoescape=True)
    mark = (REPORT_TEMPLATE_DIR / "draft-mark.svg").read_text(encoding="utf-8") if draft else ""
    with language(lang if lang in LANGUAGES else "en"):  # type: ignore[arg-type,unused-ignore]
        css = report_css() + "\n" + page_css()
    return env.get_template("index.html.j2").render(
        lang=lang, title=title, css=Markup(css), draft=draft, draft_mark=Markup(mark), body=Markup(body), meta=meta
    )


def render_html(r: ReportInput, *, draft: bool = True, workers: int = 1) -> str:
    """The whole report as an HTML document.

    Args:
        r: the snapshot and the revision being rendered.
        draft: mark every page "DRAFT" (until the audit is finalised and issued).
        workers: processes drawing the charts (2: every other chart in a forked process; the
            text is the same, see :mod:`audit.report.charts.together`).
    """
    info = r.snapshot.config.audit
    clause = "8.2.1" if info.criteria == "ISO 9001:2008" else "9.1.2"
    with language(info.language):
        title = _("Customer satisfaction monitoring audit") + f" · {info.organisation} · {info.id}"
        meta = (
            ("author", info.lead_auditor or info.organisation),
            (
                "description",
                _("Internal audit report · {criteria} clause {clause}", criteria=info.criteria, clause="9.1.2"),
            ),
            ("keywords", ", ".join([info.criteria, clause, _("Customer satisfaction"), info.organisation, info.id])),
            ("generator", "csat-audit"),
        )
    body = drawn_together(lambda: render_sections(r), workers)
    return _page(body, title, draft=draft, lang=info.language, meta=meta)


def standalone_html(fragment: str, title: str = "Audit report") -> str:
    """A complete HTML document around section HTML, styled like the report (tests, previews)."""
    return _page(fragment, escape(title), draft=False)
