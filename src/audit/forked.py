"""Work handed to a forked copy of this process, for the machine's other core.

``with in_fork(fn, *args) as work:`` forks; the copy calls ``fn(*args)``, sends its result (or
the exception it raised) back pickled down a pipe and leaves at once, by ``os._exit``: it runs
no exit handler, flushes none of this process's streams, and the run's signal handlers (which
clean the audit folder up) are reset in it first. :meth:`Forked.result` waits for it and returns
the result or raises the exception; leaving the block before that (an error, a stop) kills it.
What the copy prints goes nowhere: it writes to streams of its own, never to the run's.
The copy inherits everything in memory, so arguments are never pickled, only the result.

Only where ``os.fork`` exists (:data:`CAN_FORK`); elsewhere callers do the work themselves.

Example:
    >>> with in_fork(sum, [1, 2, 3]) as work:    # doctest: +SKIP
    ...     mine = sum([4, 5])
    ...     total = mine + work.result()
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

__all__ = ["CAN_FORK", "ForkFailed", "Forked", "in_fork"]

#: the platform can fork (Linux, macOS; not Windows)
CAN_FORK = hasattr(os, "fork")


class ForkFailed(RuntimeError):
    """The forked copy ended without sending a result (killed, out of memory)."""


class Forked:
    """A forked copy working on one call; see :func:`in_fork`."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        readable, writable = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            _copy(readable, writable, fn, args)
        os.close(writable)
        self._sent = os.fdopen(readable, "rb")
        self._reaped = False

    def result(self) -> Any:
        """Wait for the copy: its function's result, or the exception it raised, raised here."""
        with self._sent:
            data = self._sent.read()
        self._reap()
        if not data:
            raise ForkFailed("the forked worker ended without a result")
        ok, value = pickle.loads(data)
        if ok:
            return value
        raise value

    def stop(self) -> None:
        """Kill the copy unless it was waited for."""
        if self._reaped:
            return
        self._sent.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> None:
        os.waitpid(self.pid, 0)
        self._reaped = True


@contextlib.contextmanager
def in_fork(fn: Callable[..., Any], *args: Any) -> Iterator[Forked]:
    """``fn(*args)`` in a forked copy of this process, while the block does other work.

    Raises:
        OSError: the process cannot fork (no memory, too many processes).
    """
    work = Forked(fn, args)
    try:
        yield work
    finally:
        work.stop()


def _copy(readable: int, writable: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> NoReturn:
    """In the copy: call, send the outcome, leave at once."""
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        # streams of its own: the run's may be locked by a thread (a live progress line) that was
        # writing when the copy was made, and that thread does not exist in the copy
        sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - left by os._exit
        os.close(readable)
        try:
            outcome: tuple[bool, Any] = (True, fn(*args))
        except Exception as exc:  # noqa: BLE001 - raised again in the parent
            outcome = (False, exc)
        try:
            data = pickle.dumps(outcome)
        except Exception as exc:  # noqa: BLE001 - a result or an exception that does not pickle
            data = pickle.dumps((False, ForkFailed(f"the forked worker's outcome cannot be sent back: {exc}")))
        with os.fdopen(writable, "wb") as out:
            out.write(data)
        code = 0
    finally:
        os._exit(code)
