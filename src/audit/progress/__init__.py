"""Progress of a run: stage events (reading a file, the KPIs, the PDF …) and whoever listens to them.

The code doing the work announces each stage with :func:`started` (or :func:`stage`) and
finishes it with its counts; nothing is printed here. A *sink* receives the events: the
terminal view of ``csat-audit run`` (:mod:`audit.progress.terminal`), the queue of a
``--jobs`` worker, or the file a notebook kernel writes to. Without a sink (a notebook run
by hand in JupyterLab, a library call) an event costs a function call and goes nowhere.

A run executes its notebook in another process (the kernel). The runner names a file in
the kernel's environment (:data:`PROGRESS_ENV`); the kernel appends one JSON line per event
to it, and the runner follows the file (:func:`follow`) and passes each event on to its own
sink as it arrives. Progress never goes into the notebook's outputs, so the working paper
holds none of it, and a failure to report (a closed pipe, a full disk) never stops a run.

Example:
    >>> with listening(print):                       # doctest: +SKIP
    ...     reading = started("read", "orders.csv")
    ...     reading.done(1_000_000)
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "PROGRESS_ENV",
    "Event",
    "Sink",
    "Stage",
    "emit",
    "follow",
    "is_listened",
    "listening",
    "stage",
    "started",
]

#: set by ``csat-audit run`` in the notebook kernel's environment: the file the kernel appends its events to
PROGRESS_ENV = "CSAT_AUDIT_PROGRESS"

Kind = Literal["start", "update", "done", "end"]


@dataclass(frozen=True)
class Event:
    """One step of a stage.

    Attributes:
        kind: ``start``; ``update`` (a part done: ``step``, ``n``); ``done`` (finished, with
            its counts and seconds); ``end`` (left unfinished: the run failed).
        stage: what is being done: ``audit``, ``kernel``, ``notebook``, ``read``, ``kpis``,
            ``checks``, ``findings``, ``write``, ``html``, ``pdf``, ``publish``.
        label: the file or folder the stage is about (``orders.csv``).
        n: the stage's count (rows read, KPIs, pages …).
        m: a second count (findings that need action; bytes of a file being read).
        step: the share done, 0 to 1, when known (a bar shows it).
        seconds: how long the stage took (``done``).
        lang: the audit's language (``audit`` start): the language of the lines.
    """

    kind: Kind
    stage: str
    label: str = ""
    n: int | None = None
    m: int | None = None
    step: float | None = None
    seconds: float | None = None
    lang: str = ""

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v not in (None, "")}, ensure_ascii=False)

    @staticmethod
    def from_json(line: str) -> Event | None:
        """The event of one JSON line; None for a line that is not one (cut short, garbled)."""
        try:
            fields = json.loads(line)
            return Event(**fields) if isinstance(fields, dict) else None
        except (ValueError, TypeError):
            return None


Sink = Callable[[Event], None]

_sinks: list[Sink] = []
_lock = threading.Lock()
_from_env: dict[str, Sink] = {}  # the kernel's file sink, by the file's name


def _current() -> Sink | None:
    if _sinks:
        return _sinks[-1]
    path = os.environ.get(PROGRESS_ENV)
    if not path:
        return None
    if path not in _from_env:
        _from_env[path] = _FileSink(Path(path))
    return _from_env[path]


def emit(event: Event) -> None:
    """Give ``event`` to the sink listening now, if any; a sink that fails is ignored."""
    sink = _current()
    if sink is None:
        return
    with suppress(Exception):  # progress never stops a run
        sink(event)


@contextmanager
def listening(sink: Sink) -> Iterator[Sink]:
    """Send every event emitted in this process to ``sink`` inside the block (nests)."""
    with _lock:
        _sinks.append(sink)
    try:
        yield sink
    finally:
        with _lock:
            _sinks.remove(sink)


def is_listened() -> bool:
    """Whether an event emitted now would reach a sink (to skip work only progress needs)."""
    return _current() is not None


class Stage:
    """A stage that has started; :meth:`done` finishes it with its counts and seconds."""

    def __init__(self, stage: str, label: str = "", *, m: int | None = None, lang: str = "") -> None:
        self.event = Event("start", stage, label, m=m, lang=lang)
        self.began = time.perf_counter()
        self.finished = False
        emit(self.event)

    def update(self, *, step: float | None = None, n: int | None = None, m: int | None = None) -> None:
        """Report a part done: ``step`` the share (0 to 1), ``n`` a count so far (``m`` of how many)."""
        emit(replace(self.event, kind="update", step=step, n=n, m=self.event.m if m is None else m))

    def done(self, n: int | None = None, m: int | None = None) -> float:
        """Finish the stage with its counts; returns its seconds."""
        seconds = time.perf_counter() - self.began
        if not self.finished:
            self.finished = True
            emit(replace(self.event, kind="done", n=n, m=m, seconds=seconds))
        return seconds

    def end(self) -> None:
        """Leave the stage unfinished (the run failed in it); nothing when already done."""
        if not self.finished:
            self.finished = True
            emit(replace(self.event, kind="end"))


def started(stage: str, label: str = "", *, m: int | None = None, lang: str = "") -> Stage:
    """Announce that ``stage`` (about ``label``) starts now; call ``.done(n)`` when it ends.

    Args:
        stage: the stage's name (see :class:`Event`).
        label: the file or folder it is about.
        m: a second count known at the start (the size of a file to read).
        lang: the audit's language, given with the ``audit`` stage.

    Example:
        >>> reading = started("read", "orders.csv")
        >>> seconds = reading.done(1_000)
    """
    return Stage(stage, label, m=m, lang=lang)


@contextmanager
def stage(name: str, label: str = "") -> Iterator[Stage]:
    """:func:`started` as a block: done (without counts, unless the block calls ``done``) at its end."""
    s = Stage(name, label)
    try:
        yield s
    except BaseException:
        s.end()
        raise
    s.done()


class _FileSink:
    """Appends each event as a JSON line to a file (the kernel's side of :func:`follow`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.broken = False

    def __call__(self, event: Event) -> None:
        if self.broken:
            return
        try:
            with self.path.open("a", encoding="utf-8") as handle:  # one write per line: never half a line read
                handle.write(event.to_json() + "\n")
        except OSError:
            self.broken = True


#: how often :func:`follow` looks for new lines, in seconds
POLL_SECONDS = 0.05


@contextmanager
def follow(path: Path, into: Sink, *, poll: float = POLL_SECONDS) -> Iterator[None]:
    """Pass on every event another process appends to ``path`` (see :data:`PROGRESS_ENV`) while the block runs.

    A thread reads the new lines as they arrive; at the end of the block the lines still
    unread are passed on too. Lines that are not events are skipped.
    """
    stop = threading.Event()

    def read(handle: Any, pending: str) -> str:
        pending += handle.read()
        *lines, pending = pending.split("\n")
        for line in lines:
            event = Event.from_json(line)
            if event is not None:
                with suppress(Exception):  # progress never stops a run
                    into(event)
        return str(pending)

    def loop() -> None:
        try:
            with path.open("a+", encoding="utf-8", errors="replace") as handle:
                handle.seek(0)
                pending = ""
                while not stop.wait(poll):
                    pending = read(handle, pending)
                read(handle, pending)
        except OSError:
            pass

    thread = threading.Thread(target=loop, name="csat-audit-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
