"""The report as a PDF: WeasyPrint over the report HTML, fetching nothing from outside.

The URL fetcher serves only ``file:`` URLs inside the audit folder (``base_dir``) or the
report template folder; anything else (http, https, ftp, data, files elsewhere) is
refused. A refusal is logged on this module's logger and the resource is left out: it
never stops the rendering. WeasyPrint's and fontTools' own log messages are silenced
while rendering.

Example:
    >>> write_pdf(html, Path("report.pdf"), base_dir=Path("audits/demo/2026-Q3"))  # doctest: +SKIP
"""

from __future__ import annotations

import gc
import io
import logging
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from audit.paths import REPORT_TEMPLATE_DIR
from audit.progress import Stage, is_listened, started

__all__ = ["ARCHIVAL_VARIANT", "RefusedURL", "make_url_fetcher", "quiet", "write_pdf"]

log = logging.getLogger(__name__)

#: loggers whose messages are noise in a notebook or on the command line
_NOISY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")


class RefusedURL(ValueError):
    """The report asked for a resource outside the allowed folders."""


def _inside(path: Path, folders: tuple[Path, ...]) -> bool:
    return any(path == folder or path.is_relative_to(folder) for folder in folders)


def make_url_fetcher(base_dir: Path) -> Any:
    """A WeasyPrint URL fetcher that serves only local files under allowed folders.

    Args:
        base_dir: the audit folder; files under it and under the report template
            folder may be read.

    Returns:
        A :class:`weasyprint.urls.URLFetcher`. Calling it with any other URL raises
        :class:`RefusedURL`, which WeasyPrint catches and turns into a missing resource.
    """
    from weasyprint.urls import URLFetcher

    allowed = (Path(base_dir).resolve(), REPORT_TEMPLATE_DIR.resolve())

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
        """Serves ``file:`` URLs inside the allowed folders; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in {"", "localhost"}:
                log.info("report refused a non-local resource: %.200s", url)
                raise RefusedURL(f"refused non-local URL {url[:200]!r}")
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if not _inside(path, allowed):
                log.info("report refused a file outside the audit folder: %s", path)
                raise RefusedURL(f"refused file outside the audit folder: {path}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(timeout=5, allowed_protocols=("file",), allow_redirects=False)


#: WeasyPrint's steps ("Step 5 - Creating layout - Page 3"), of which the last is 7
_STEPS = 7


class _Pages(logging.Handler):
    """Turns WeasyPrint's progress messages into updates of the PDF stage: its step and page."""

    def __init__(self, stage: Stage) -> None:
        super().__init__(logging.INFO)
        self.stage = stage
        self.pages = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = str(record.msg)
        if not message.startswith("Step "):
            return
        step = int(message[5]) if message[5:6].isdigit() else 0
        if step == 5 and "Page" in message and record.args:
            self.pages = max(self.pages, int(record.args[0]))  # type: ignore[index,call-overload]  # WeasyPrint's "%d"
        # the layout (step 5) is most of the time: its pages move the bar from 4/7 to 6/7, as if ~16 pages
        share = (4 + min(self.pages, 16) / 8) / _STEPS if step == 5 else step / _STEPS
        self.stage.update(step=min(share, 1.0), n=self.pages or None)


@contextmanager
def quiet(pages: _Pages | None = None) -> Iterator[None]:
    """Silence WeasyPrint's and fontTools' logging for the duration of a rendering (``pages`` hears its steps)."""
    saved = {}
    for name in _NOISY_LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = logger.level, logger.propagate
        logger.setLevel(logging.CRITICAL)
    progress = logging.getLogger("weasyprint.progress")
    if pages is not None:
        progress.setLevel(logging.INFO)
        progress.propagate = False  # to the stage only, never to the root logger
        progress.addHandler(pages)
    try:
        yield
    finally:
        if pages is not None:
            progress.removeHandler(pages)
        for name, (level, propagate) in saved.items():
            logging.getLogger(name).setLevel(level)
            logging.getLogger(name).propagate = propagate


#: the PDF variant of an issued report: PDF/A-3b, the archival PDF that may carry attachments
ARCHIVAL_VARIANT = "pdf/a-3b"


def write_pdf(html: str, pdf_path: Path, *, base_dir: Path, attachments: Sequence[Path] = ()) -> None:
    """Render report HTML to an A4 PDF; with ``attachments``, an archival PDF/A-3b that embeds them.

    The title, author, subject, keywords and language of the PDF come from the HTML's
    ``<title>``, ``<meta>`` and ``lang`` (see ``templates/report/index.html.j2``).

    Args:
        html: a complete HTML document (see :func:`audit.report.html.export_html`).
        pdf_path: where to write the PDF; its folder must exist.
        base_dir: the audit folder; relative URLs resolve against it, and only files
            inside it (or inside the report template folder) may be read.
        attachments: files embedded byte for byte (results.json and manifest.json of an
            issued report); the PDF is then written as PDF/A-3b (:data:`ARCHIVAL_VARIANT`),
            each file an associated file with the relationship ``Data``.

    Raises:
        OSError: the PDF cannot be written.
    """
    began = time.perf_counter()
    base = Path(base_dir).resolve()
    rendering = started("pdf", Path(pdf_path).name)
    pages = _Pages(rendering) if is_listened() else None
    try:
        _render(html, pdf_path, base, attachments, pages)
    except BaseException:
        rendering.end()
        raise
    rendering.done(pages.pages if pages is not None else None)
    log.info("wrote %s in %.2f s", pdf_path, time.perf_counter() - began)


def _render(html: str, pdf_path: Path, base: Path, attachments: Sequence[Path], pages: _Pages | None) -> None:
    with quiet(pages):
        from weasyprint import HTML  # parses its own stylesheets on first import: keep quiet

        document = HTML(
            string=html,
            base_url=base.as_uri() + "/",
            url_fetcher=make_url_fetcher(base),
            media_type="print",
        )
        options: dict[str, Any] = {}
        if attachments:
            from weasyprint import Attachment

            options["pdf_variant"] = ARCHIVAL_VARIANT
            options["attachments"] = [
                Attachment(
                    file_obj=io.BytesIO(Path(path).read_bytes()),
                    name=Path(path).name,
                    description=Path(path).name,
                    relationship="Data",
                )
                for path in attachments
            ]
        with warnings.catch_warnings():
            # WeasyPrint leaves its sRGB profile (the PDF/A output intent) open: not ours to report
            warnings.simplefilter("ignore", ResourceWarning)
            document.write_pdf(str(pdf_path), **options)
            if attachments:
                gc.collect()
