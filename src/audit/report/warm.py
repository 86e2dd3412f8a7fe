"""The report's renderers loaded ahead of time, while the notebook kernel computes.

A run spends most of its time waiting for its notebook kernel, one core busy. WeasyPrint's import
and first layout (fontconfig, its own stylesheets) and matplotlib's first chart (its font list
and fonts) take about 2.4 s of CPU that the report would otherwise pay after the notebook; a
thread pays them during it (:func:`warm_up`, started by :func:`audit.runner.execute_notebook`).
Nothing is rendered that the run uses: the first real chart and PDF simply find everything loaded.

Example:
    >>> warming = warm_up()     # doctest: +SKIP
    >>> ...                     # the notebook runs  # doctest: +SKIP
    >>> warming.join()          # doctest: +SKIP
"""

from __future__ import annotations

import logging
import threading

from audit.report.charts import no_data_svg
from audit.report.pdf import quiet

__all__ = ["warm_up"]

log = logging.getLogger(__name__)

#: text in both scripts, so that the Latin and the CJK fonts are both loaded
_SAMPLE = "0 Aa 中文"


def warm_up() -> threading.Thread:
    """Start loading WeasyPrint and matplotlib in a daemon thread; join it before rendering."""
    thread = threading.Thread(target=_load, name="csat-audit-warm-up", daemon=True)
    thread.start()
    return thread


def _load() -> None:
    try:
        with quiet():  # WeasyPrint parses its stylesheets on import: keep quiet
            from weasyprint import HTML

            HTML(string=f"<p>{_SAMPLE}</p>").render()
        no_data_svg(_SAMPLE)
    except Exception:  # the report's own rendering reports what fails, with its file
        log.debug("loading the renderers ahead of time failed", exc_info=True)
