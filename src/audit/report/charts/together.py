"""A report's charts drawn together once its text is written, on two cores where there are two.

While the sections are rendered inside :func:`drawn_together`, each chart is built (cheap) but
not drawn: the chart functions return a placeholder (``<!--chart N-->``). Drawing (matplotlib's
layout and its SVG writer) is about three quarters of the report's HTML stage; here the figures
are drawn at the end, every other one by a forked process when two workers are asked for and
the platform forks (``os.fork``; the worker inherits the figures and sends back SVG text), and
each SVG takes its placeholder's place. The report's text is the same
as when each chart is drawn where it is made.

Example:
    >>> html = drawn_together(lambda: render_sections(r), workers=2)   # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, NoReturn

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
    if workers < 2 or len(figures) < 2 or not hasattr(os, "fork"):
        return [svg_of(figure) for figure in figures]
    theirs = range(1, len(figures), 2)
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        _worker(writable, readable, [figures[i] for i in theirs])
    os.close(writable)
    svgs: dict[int, str] = {}
    received = False
    with os.fdopen(readable, "rb") as sent:
        try:
            svgs |= {i: svg_of(figures[i]) for i in range(0, len(figures), 2)}
            with contextlib.suppress(EOFError, pickle.UnpicklingError):  # else the worker failed
                svgs |= dict(zip(theirs, pickle.load(sent)))
            received = True
        finally:
            if not received:  # this process is leaving early (a stop, an error): so is the worker
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    return [svgs[i] if i in svgs else svg_of(figures[i]) for i in range(len(figures))]  # what failed, drawn here


def _worker(writable: int, readable: int, figures: list[Any]) -> NoReturn:
    """Draw ``figures``, send their SVG text down the pipe, and leave at once.

    A copy of the run: the run's signal handlers (which clean its folder up) are reset, and it
    leaves by ``os._exit``, running no exit handler and flushing none of the run's streams.
    """
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.close(readable)
        with os.fdopen(writable, "wb") as out:
            pickle.dump([svg_of(figure) for figure in figures], out)
        code = 0
    finally:
        os._exit(code)
