"""Work handed to a forked copy of this process, for the machine's other core.

``with in_fork(fn, *args) as work:`` forks; the copy calls ``fn(*args)``, writes its result (or
the exception it raised) pickled into a file in memory that both share (``memfd_create``; an
unnamed temporary file where there is none: a pipe moved 164 MiB of frames at 0.5 s, twice as
slow) and leaves at once, by ``os._exit``: it runs
no exit handler, flushes none of this process's streams, and the run's signal handlers (which
clean the audit folder up) are reset in it first. :meth:`Forked.result` waits for it and returns
the result or raises the exception; leaving the block before that (an error, a stop) kills it.
What the copy prints goes nowhere: it writes to streams of its own, never to the run's.
The copy inherits everything in memory, so arguments are never pickled, only the result.

Only where ``os.fork`` exists (:data:`CAN_FORK`); elsewhere callers do the work themselves.
:func:`beside` decides for them: a copy on Linux when the process has a second core (:func:`cores`),
else the call in this process, and the copy's progress events replayed here either way.

A copy can also be made ahead (:func:`prepare`): it does the slow start of some work (importing
its libraries, loading a dictionary) on the idle core while this process does something else,
then waits; the next ``beside(fn, *args, prepared=...)`` hands it the call, its arguments pickled.

Example:
    >>> with in_fork(sum, [1, 2, 3]) as work:    # doctest: +SKIP
    ...     mine = sum([4, 5])
    ...     total = mine + work.result()
    >>> with beside(sum, [1, 2, 3]) as later:
    ...     mine = sum([4, 5])
    ...     mine + later()
    15
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import signal
import struct
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, NoReturn, TypeVar, cast

from audit.progress import Event, emit, listening

__all__ = ["CAN_FORK", "CORES_ENV", "ForkFailed", "Forked", "beside", "cores", "in_fork", "prepare"]

#: the platform can fork (Linux, macOS; not Windows)
CAN_FORK = hasattr(os, "fork")
#: in a process's environment, the most cores its run may use (``run --jobs`` sets 1 in its workers,
#: and their notebook kernels inherit it)
CORES_ENV = "CSAT_AUDIT_CORES"
T = TypeVar("T")
_UNPICKLABLE = 3  # the exit code of a copy whose outcome does not pickle


def cores() -> int:
    """The cores this process may use: those it may run on, at most :data:`CORES_ENV` when set."""
    have = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    limit = os.environ.get(CORES_ENV, "").strip()
    return min(have, int(limit)) if limit.isdigit() and int(limit) > 0 else have


class ForkFailed(RuntimeError):
    """The forked copy ended without sending a result (killed, out of memory)."""


class Forked:
    """A forked copy working on one call, writing its outcome into ``result``; see :func:`in_fork`."""

    def __init__(self, pid: int, result: BinaryIO) -> None:
        self.pid = pid
        self._result = result
        self._reaped = False

    @classmethod
    def start(cls, fn: Callable[..., Any], args: tuple[Any, ...]) -> Forked:
        """Fork a copy that calls ``fn(*args)``."""
        result = _shared_file()
        pid = os.fork()
        if pid == 0:
            _copy(result, fn, args)
        return cls(pid, result)

    def result(self) -> Any:
        """Wait for the copy: its function's result, or the exception it raised, raised here."""
        code = self._reap()
        with self._result:
            self._result.seek(0)
            try:
                outcome: tuple[bool, Any] | None = _read_outcome(self._result)
            except Exception:  # noqa: BLE001 - none or part of it came: the copy died or could not pickle it
                outcome = None
        if outcome is None:
            if code == _UNPICKLABLE:
                raise ForkFailed("the forked worker's outcome cannot be sent back: it does not pickle")
            raise ForkFailed("the forked worker ended without a result")
        ok, value = outcome
        if ok:
            return value
        raise value

    def stop(self) -> None:
        """Kill the copy unless it was waited for."""
        if self._reaped:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._reap()
        self._result.close()

    def _reap(self) -> int:
        """Wait for the copy to end: its exit code (minus the signal that killed it)."""
        _, status = os.waitpid(self.pid, 0)
        self._reaped = True
        return os.waitstatus_to_exitcode(status)


@contextlib.contextmanager
def in_fork(fn: Callable[..., Any], *args: Any) -> Iterator[Forked]:
    """``fn(*args)`` in a forked copy of this process, while the block does other work.

    Raises:
        OSError: the process cannot fork (no memory, too many processes).
    """
    work = Forked.start(fn, args)
    try:
        yield work
    finally:
        work.stop()


class _Prepared:
    """A copy forked ahead by :func:`prepare`: it has called its ``prepare`` and waits for one call."""

    def __init__(self, prepare: Callable[[], object]) -> None:
        self._request, self._result = _shared_file(), _shared_file()
        wait, self._go = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self._go)
            _waiting(prepare, wait, self._request, self._result)
        os.close(wait)

    def waiting(self) -> bool:
        """The copy is alive, waiting for its call (or still preparing)."""
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def call(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Forked:
        """Hand the copy ``fn(*args)``, pickled; OSError or a pickling error when it cannot be sent."""
        _write_outcome((True, (fn, args)), self._request)
        os.write(self._go, b"\0")  # BrokenPipeError when the copy is gone
        os.close(self._go)
        self._request.close()
        return Forked(self.pid, self._result)

    def discard(self) -> None:
        """Kill the copy, unused."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        for file in (self._request, self._result):
            file.close()
        with contextlib.suppress(OSError):
            os.close(self._go)


#: the copies made ahead by :func:`prepare`, by the function they prepared with
_PREPARED: dict[Callable[[], object], _Prepared] = {}


def _can_fork_beside() -> bool:
    # off Linux, no: macOS's system libraries (its BLAS among them) are not safe to use in a forked
    # copy of a process that used them, as the notebook kernel may have
    return cores() >= 2 and CAN_FORK and sys.platform.startswith("linux")


def prepare(fn: Callable[[], object]) -> None:
    """Fork now a copy that calls ``fn()`` and waits for the next ``beside(..., prepared=fn)``.

    For the slow start of work done later on the other core (imports, a dictionary loaded): the
    copy does it while this process works on something else. Nothing happens where
    :func:`beside` would not fork, or when such a copy is waiting already. An error in ``fn`` is
    ignored (the call does what ``fn`` could not). A copy never called leaves when this process
    does.
    """
    if not _can_fork_beside():
        return
    ready = _PREPARED.pop(fn, None)
    if ready is not None:
        if ready.waiting():
            _PREPARED[fn] = ready
            return
        ready.discard()
    with contextlib.suppress(OSError):  # cannot fork now: the call will, or will be done here
        _PREPARED[fn] = _Prepared(fn)


def _start(fn: Callable[..., Any], args: tuple[Any, ...], prepared: Callable[[], object] | None) -> Forked:
    """The copy :func:`prepare` made for ``prepared``, given the call, else a copy forked now."""
    ready = _PREPARED.pop(prepared, None) if prepared is not None else None
    if ready is not None:
        try:
            if ready.waiting():
                return ready.call(fn, args)
        except Exception:  # noqa: BLE001 - gone, or the arguments do not pickle: a copy forked now does it
            pass
        ready.discard()
    return Forked.start(fn, args)


@contextlib.contextmanager
def beside(fn: Callable[..., T], *args: Any, prepared: Callable[[], object] | None = None) -> Iterator[Callable[[], T]]:
    """``fn(*args)`` on the process's second core while the block works: calling what it yields gives the result.

    With one core, off Linux, or when the copy dies without a result, ``fn`` runs in this process
    when its result is asked for. The progress events the call emits are given to this process's
    sink when the result is taken, in their order, with their own seconds. With ``prepared``,
    the copy :func:`prepare` made ahead with that function does the call, when there is one.
    """
    if not _can_fork_beside():
        yield lambda: fn(*args)
        return
    work = _start(_heard, (fn, *args), prepared)
    try:

        def result() -> T:
            try:
                value, heard = work.result()
            except ForkFailed:  # the copy died (out of memory?): done here after all
                return fn(*args)
            for event in heard:
                emit(event)
            return value  # type: ignore[no-any-return]

        yield result
    finally:
        work.stop()


def _heard(fn: Callable[..., T], *args: Any) -> tuple[T, list[Event]]:
    """In the copy: ``fn``'s result and the progress events it emitted."""
    heard: list[Event] = []
    with listening(heard.append):
        return fn(*args), heard


def _shared_file() -> BinaryIO:
    """An unnamed file, in memory where the system allows, that a forked copy shares with this process."""
    if hasattr(os, "memfd_create"):  # Linux
        return open(os.memfd_create("csat-audit-result", os.MFD_CLOEXEC), "w+b")
    return tempfile.TemporaryFile()


def _write_outcome(outcome: tuple[bool, Any], out: BinaryIO) -> None:
    """The outcome pickled, its large arrays (numpy, Arrow) written after it as they are in memory.

    Pickle's out-of-band buffers (protocol 5): the arrays are not copied into the pickle here, nor
    out of it in :func:`_read_outcome`, where they are read straight into their own memory.
    """
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(outcome, protocol=5, buffer_callback=buffers.append)
    views = [b.raw() for b in buffers]
    out.write(struct.pack(f"<{2 + len(views)}Q", len(head), len(views), *(v.nbytes for v in views)))
    out.write(head)
    for view in views:
        out.write(view)
    out.flush()  # os._exit flushes nothing


def _read_outcome(file: BinaryIO) -> tuple[bool, Any]:
    """What :func:`_write_outcome` wrote; an error when the file is empty or cut short."""
    size, count = struct.unpack("<2Q", _exactly(file, 16))
    lengths = struct.unpack(f"<{count}Q", _exactly(file, 8 * count))
    head = _exactly(file, size)
    buffers = []
    for length in lengths:
        buffer = bytearray(length)
        if cast(io.BufferedIOBase, file).readinto(buffer) != length:
            raise EOFError("the forked worker's outcome is cut short")
        buffers.append(buffer)
    return cast(tuple[bool, Any], pickle.loads(head, buffers=buffers))


def _exactly(file: BinaryIO, n: int) -> bytes:
    data = file.read(n)
    if len(data) != n:
        raise EOFError("the forked worker's outcome is cut short")
    return data


def _alone() -> None:
    """In a copy, first: the run's signal handlers reset, and streams of its own.

    The run's streams may be locked by a thread (a live progress line) that was writing when the
    copy was made, and that thread does not exist in the copy; what the copy prints goes nowhere.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - left by os._exit


def _copy(result: BinaryIO, fn: Callable[..., Any], args: tuple[Any, ...]) -> NoReturn:
    """In the copy: call, write the outcome, leave at once."""
    code = 1
    try:
        _alone()
        try:
            outcome: tuple[bool, Any] = (True, fn(*args))
        except Exception as exc:  # noqa: BLE001 - raised again in the parent
            outcome = (False, exc)
        code = _UNPICKLABLE
        _write_outcome(outcome, result)  # a result or an exception that does not pickle: the parent is told by the code
        code = 0
    finally:
        os._exit(code)


def _waiting(prepare: Callable[[], object], wait: int, request: BinaryIO, result: BinaryIO) -> NoReturn:
    """In a copy made ahead: prepare, wait for the call (leave if none comes), then do it as :func:`_copy`."""
    try:
        _alone()
        with contextlib.suppress(Exception):
            prepare()
        if os.read(wait, 1) != b"\0":  # end of file: this process closed its end, or left
            os._exit(0)
        request.seek(0)
        _, (fn, args) = _read_outcome(request)
    except BaseException:  # noqa: BLE001 - the parent sees a copy ended without a result
        os._exit(1)
    _copy(result, fn, args)
