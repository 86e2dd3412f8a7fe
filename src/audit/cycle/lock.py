"""The audit folder's lock, and signals during a run."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from audit.exceptions import FolderLocked, RunInterrupted
from audit.paths import AuditFolder

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- lock


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process: it exists
        return True
    return True


def _read_lock(path: Path) -> dict[str, Any]:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return payload if isinstance(payload, dict) else {}


def _try_create(path: Path, payload: dict[str, Any]) -> bool:
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(payload, out)
    return True


@contextmanager
def folder_lock(root: Path, command: str = "run") -> Iterator[None]:
    """Hold the audit folder's lock file ``.audit.lock`` while the block runs.

    The lock is released however the block ends (exception, SIGTERM through
    :func:`stop_on_signals`). A lock whose process no longer runs on this host is stale and
    is taken over, with a note on stderr.

    Args:
        root: the audit folder.
        command: what holds the lock (``run``, ``finalize``), written into the file.

    Raises:
        FolderLocked: a live process holds the lock, or a process on another host whose
            state cannot be checked.
    """
    path = AuditFolder(root).lock
    me = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": command,
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    if not _try_create(path, me):
        held = _read_lock(path)
        pid, host = held.get("pid"), held.get("host")
        since = held.get("started", "an unknown time")
        what = held.get("command", "run")
        if isinstance(pid, int) and host == me["host"] and not _alive(pid):
            log.warning(
                "note: %s: taking over a stale lock of %s (pid %s, started %s), which no longer runs",
                root,
                what,
                pid,
                since,
            )
            path.unlink(missing_ok=True)
        elif not held and path.exists():
            log.warning("note: %s: taking over an unreadable lock file %s", root, path.name)
            path.unlink(missing_ok=True)
        else:
            where = "this host" if host == me["host"] else f"host {host}"
            raise FolderLocked(
                f"{root} is locked: a {what} (pid {pid} on {where}) has worked on it since {since}; "
                f"wait for it to finish, or delete {path} if that process is gone",
                path,
            )
        if not _try_create(path, me):
            raise FolderLocked(f"{root} is locked by another process that started at the same moment; try again", path)
    try:
        yield
    finally:
        if _read_lock(path).get("pid") == me["pid"]:
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------- signals


@contextmanager
def stop_on_signals(root: Path | str, message: str | None = None) -> Iterator[None]:
    """Turn SIGTERM and SIGINT into :class:`~audit.exceptions.RunInterrupted` inside the block.

    Args:
        root: the audit folder, named in the exception's message.
        message: another message, with ``{signal}`` for the signal's name.

    The exception unwinds the run so that every ``finally`` runs: the staging folder is
    removed, the notebook's kernel is killed and the lock released. Outside the main thread
    (where Python cannot install handlers) the block runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        name = signal.Signals(signum).name
        text = message or "the run of {root} was stopped ({signal}); its previous outputs are unchanged"
        raise RunInterrupted(text.format(root=root, signal=name))

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGTERM and SIGINT (delivered when the block ends): for the final renames."""
    held = {signal.SIGTERM, signal.SIGINT}
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _children() -> dict[int, Any]:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with jupyter; without it the kernel ends on its own
        return {}
    return {p.pid: p for p in psutil.Process().children(recursive=True)}


@contextmanager
def kill_new_children() -> Iterator[None]:
    """When the block fails, kill the child processes it started (papermill's kernel).

    jupyter_client starts the kernel in a session of its own, so a signal to the run does
    not reach it; without this an interrupted run would leave the kernel behind.
    """
    before = set(_children())
    try:
        yield
    except BaseException:
        started = [p for pid, p in _children().items() if pid not in before]
        for process in started:
            with contextlib.suppress(Exception):  # already gone
                process.kill()
        if started:
            import psutil

            psutil.wait_procs(started, timeout=5)
        raise
