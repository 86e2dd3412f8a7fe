"""A report's charts drawn together once its text is written, on two cores where there are two.

While the sections are rendered inside :func:`drawn_together`, each chart is built (cheap) but
not drawn: the chart functions return a placeholder (``<!--chart N-->``). Drawing (matplotlib's
layout and its SVG writer) is about three quarters of the report's HTML stage; here the figures
are drawn at the end, every other one by a forked process when two workers are asked for and
the platform forks (:mod:`audit.forked`: the worker inherits the figures and sends back SVG
text), and each SVG takes its placeholder's place. The report's text is the same
as when each chart is drawn where it is made.

Example:
    >>> html = drawn_together(lambda: render_sections(r), workers=2)   # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from audit.forked import CAN_FORK, ForkFailed, in_fork
from audit.report.charts._base import PLACEHOLDER, _put_off, inline_svg, svg_of

__all__ = ["drawn_together"]


def drawn_together(make: Callable[[], str], workers: int = 1) -> str:
    """``make()``'s text with the charts made inside drawn together, by up to ``workers`` processes.

    Args:
        make: renders text in which chart functions are called (their SVG goes into the text).
        workers: 2 draws every other chart in a forked process (where ``fork`` exists); 1 draws
            them all in this one.
    """
    figures: list[Any] = []
    token = _put_off.set(figures)
    try:
        text = make()
    finally:
        _put_off.reset(token)
    svgs = _draw(figures, workers)

    def put(found: Any) -> str:
        svg = svgs[int(found[1])]
        return inline_svg(svg, found[2]) if found[2] else svg

    return PLACEHOLDER.sub(put, text)


def _draw(figures: list[Any], workers: int) -> list[str]:
    if workers < 2 or len(figures) < 2 or not CAN_FORK:
        return [svg_of(figure) for figure in figures]
    theirs = range(1, len(figures), 2)
    with in_fork(_svgs, [figures[i] for i in theirs]) as work:
        svgs = {i: svg_of(figures[i]) for i in range(0, len(figures), 2)}
        with contextlib.suppress(ForkFailed):  # else the worker died: its share is drawn here
            svgs |= dict(zip(theirs, work.result()))
    return [svgs[i] if i in svgs else svg_of(figures[i]) for i in range(len(figures))]


def _svgs(figures: list[Any]) -> list[str]:
    return [svg_of(figure) for figure in figures]
