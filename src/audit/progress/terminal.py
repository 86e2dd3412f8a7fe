"""Progress on stderr: one line per finished stage; on a terminal, the running stage live with a bar.

:class:`Lines` shows one run (``csat-audit run DIR``); :class:`Sites` shows several runs at
once (``--jobs N``), one live line per site. Both are sinks (see :mod:`audit.progress`).
Off a terminal (a pipe, a CI log) there are no bars and no control characters: only the
finished lines. Writing never raises: a closed pipe silences the view, a terminal that
cannot show a character gets a replacement.

Example:
    >>> with Lines(sys.stderr) as view, listening(view):   # doctest: +SKIP
    ...     run_the_audit()
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import TextIO

from audit.i18n import LANGUAGES, Language, language
from audit.progress import Event
from audit.progress.text import finished, running, seconds

__all__ = ["Lines", "Sites", "is_terminal"]

#: seconds between two redraws of a live line
REDRAW_SECONDS = 0.2
BAR_WIDTH = 20
#: stages whose live line carries a bar (a moving one while their share is unknown)
LONG_STAGES = {"read", "notebook", "pdf"}


def is_terminal(stream: TextIO | None) -> bool:
    """Whether ``stream`` is a terminal that can redraw a line (not a pipe, a file or TERM=dumb)."""
    if stream is None:
        return False
    try:
        return bool(stream.isatty()) and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError, OSError):
        return False


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, columns: int) -> str:
    """``text`` cut to ``columns`` terminal cells (a Chinese character takes two)."""
    if _width(text) <= columns:
        return text
    out, used = [], 0
    for c in text:
        used += 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if used > columns - 1:
            break
        out.append(c)
    return "".join(out) + "…"


class _Out:
    """A stream that never raises: unknown characters are replaced, a closed stream goes quiet."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.dead = stream is None  # Python without a stderr (its descriptor closed)
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "…█░".encode(self.encoding)
            self.fancy = True
        except (LookupError, UnicodeError):
            self.fancy = False

    def write(self, text: str) -> None:
        if self.dead:
            return
        if not self.fancy:
            text = text.replace("…", "...")
        try:
            assert self.stream is not None
            try:
                self.stream.write(text)
            except UnicodeError:
                self.stream.write(text.encode(self.encoding, "replace").decode(self.encoding, "replace"))
            self.stream.flush()
        except (OSError, ValueError, LookupError, AttributeError):  # a closed pipe or stream
            self.dead = True


@dataclass
class _Run:
    """The running stages of one audit, innermost last."""

    lang: Language = "en"
    stack: list[tuple[Event, float]] = field(default_factory=list)
    began: float | None = None

    def take(self, e: Event) -> Event | None:
        """Follow ``e``; returns the finished event to print, if any."""
        now = time.monotonic()
        if e.stage == "audit" and e.kind == "start" and e.lang in LANGUAGES:
            self.lang = e.lang
        if self.began is None:
            self.began = now
        if e.kind == "start":
            self.stack.append((e, now))
            return None
        at = next((i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i][0].stage == e.stage), None)
        if e.kind == "update":
            if at is not None:
                self.stack[at] = (replace(e, m=e.m if e.m is not None else self.stack[at][0].m), self.stack[at][1])
            return None
        if at is not None:
            del self.stack[at:]  # stages left open inside it ended with it
        return e if e.kind == "done" else None

    def live(self, fancy: bool, *, clock: bool = True) -> str:
        """The innermost running stage, with a bar when it is a long one (and its seconds so far)."""
        if not self.stack:
            return ""
        e, since = self.stack[-1]
        elapsed = time.monotonic() - since
        with language(self.lang):
            if not clock and e.stage == "audit":
                return "…"  # between two stages; a site's line names its folder already
            text = running(e)
            if e.stage in LONG_STAGES:
                text += " " + _bar(e.step, elapsed, fancy)
            return f"{text} {seconds(elapsed)}" if clock else text


def _bar(step: float | None, elapsed: float, fancy: bool) -> str:
    full, empty, left, right = ("█", "░", "▕", "▏") if fancy else ("#", "-", "[", "]")
    if step is None:  # share unknown: a block that moves, to show the work goes on
        at = int(elapsed / REDRAW_SECONDS) % BAR_WIDTH
        cells = [full if at <= i < at + 3 else empty for i in range(BAR_WIDTH)]
        return left + "".join(cells) + right
    filled = max(0, min(BAR_WIDTH, round(step * BAR_WIDTH)))
    return left + full * filled + empty * (BAR_WIDTH - filled) + right


class _View:
    """What both views share: the stream, the lock, the ticker that redraws the live part."""

    def __init__(self, stream: TextIO | None, live: bool | None) -> None:
        stream = stream if stream is not None else sys.stderr  # None when Python has no stderr
        self.out = _Out(stream)
        self.live = is_terminal(stream) if live is None else live
        self.lock = threading.RLock()
        self.stop = threading.Event()
        self.ticker: threading.Thread | None = None
        self.drawn = 0  # live lines on screen

    def __enter__(self) -> _View:
        if self.live:
            self.ticker = threading.Thread(target=self._tick, name="csat-audit-progress-view", daemon=True)
            self.ticker.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop.set()
        if self.ticker is not None:
            self.ticker.join()
        with self.lock:
            self._clear()

    def _tick(self) -> None:
        while not self.stop.wait(REDRAW_SECONDS):
            with self.lock:
                self._draw()

    def _columns(self) -> int:
        return max(20, shutil.get_terminal_size((80, 24)).columns - 1)

    def _clear(self) -> None:
        if self.drawn:
            up = f"\x1b[{self.drawn - 1}F" if self.drawn > 1 else ""
            self.out.write(f"{up}\r\x1b[J")
            self.drawn = 0

    def _show(self, lines: Sequence[str]) -> None:
        """Replace the live lines on screen with ``lines`` (the cursor stays on the last)."""
        self._clear()
        lines = [line for line in lines if line]
        if lines and not self.out.dead:
            columns = self._columns()
            self.out.write("\n".join(_fit(line, columns) for line in lines))
            self.drawn = len(lines)

    def print(self, line: str) -> None:
        """A finished line above the live part."""
        with self.lock:
            self._clear()
            self.out.write(line + "\n")
            self._draw()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Take the live part off the screen while the block writes (to stdout or stderr)."""
        with self.lock:
            self._clear()
            try:
                yield
            finally:
                self._draw()

    def _draw(self) -> None:
        raise NotImplementedError


class Lines(_View):
    """The progress of one audit: a line per finished stage; live, the running stage with its bar.

    Args:
        stream: where to write (default: ``sys.stderr`` when made).
        live: redraw a live line (default: when ``stream`` is a terminal).
    """

    def __init__(self, stream: TextIO | None = None, *, live: bool | None = None) -> None:
        super().__init__(stream, live)
        self.run = _Run()

    def __enter__(self) -> Lines:
        super().__enter__()
        return self

    def __call__(self, e: Event) -> None:
        with self.lock:
            done = self.run.take(e)
            with language(self.run.lang):
                if e.stage == "audit" and e.kind == "start":
                    self.print(running(e))
                elif done is not None:
                    self.print(finished(done))
            self._draw()

    def _draw(self) -> None:
        if self.live:
            self._show([self.run.live(self.out.fancy)])


class Sites(_View):
    """Several audits at once: on a terminal, one live line per running site (its stage and seconds).

    Off a terminal it prints nothing of its own: the caller prints a line as each site ends.

    Args:
        names: each site's name, by its index in the events (``(index, event)``).
        stream: where to write (default: ``sys.stderr`` when made).
        live: redraw the lines (default: when ``stream`` is a terminal).
    """

    def __init__(self, names: Sequence[str], stream: TextIO | None = None, *, live: bool | None = None) -> None:
        super().__init__(stream, live)
        self.names = list(names)
        self.runs = [_Run() for _ in names]
        self.ended: set[int] = set()

    def __enter__(self) -> Sites:
        super().__enter__()
        return self

    def __call__(self, item: tuple[int, Event]) -> None:
        index, e = item
        if not 0 <= index < len(self.runs):
            return
        with self.lock:
            self.runs[index].take(e)
            if e.stage == "audit" and e.kind in ("done", "end"):
                self.ended.add(index)
            self._draw()

    def finish(self, index: int) -> None:
        """Site ``index`` has ended: its live line goes."""
        with self.lock:
            self.ended.add(index)
            self._draw()

    def _draw(self) -> None:
        if not self.live:
            return
        width = max((_width(n) for n in self.names), default=0)
        lines = []
        for i, (name, run) in enumerate(zip(self.names, self.runs, strict=True)):
            if i in self.ended or run.began is None:
                continue
            pad = " " * (width - _width(name))
            with language(run.lang):
                total = seconds(time.monotonic() - run.began)
                lines.append(f"{name}{pad}  {run.live(self.out.fancy, clock=False) or '…'}  {total}")
        self._show(lines)
