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
import time
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


def _me(command: str) -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": command,
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _holder(path: Path, root: Path, me: dict[str, Any]) -> str:
    """Who holds the lock at ``path`` (empty when it was stale or unreadable and has been removed)."""
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
        return ""
    if not held and path.exists():
        log.warning("note: %s: taking over an unreadable lock file %s", root, path.name)
        path.unlink(missing_ok=True)
        return ""
    if not path.exists():
        return ""  # released meanwhile
    where = "this host" if host == me["host"] else f"host {host}"
    return f"a {what} (pid {pid} on {where}) has worked on it since {since}"


@contextmanager
def _locked(path: Path, root: Path, command: str, wait: float) -> Iterator[None]:
    me = _me(command)
    deadline = time.monotonic() + wait
    while not _try_create(path, me):
        holder = _holder(path, root, me)
        if holder and time.monotonic() >= deadline:
            raise FolderLocked(
                f"{root} is locked: {holder}; wait for it to finish, or delete {path} if that process is gone", path
            )
        if holder:
            time.sleep(0.2)
    try:
        yield
    finally:
        if _read_lock(path).get("pid") == me["pid"]:
            path.unlink(missing_ok=True)


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
    with _locked(AuditFolder(root).lock, root, command, wait=0.0):
        yield


#: seconds a run waits for another run of the same site to finish merging the register
SITE_LOCK_WAIT = 600.0


@contextmanager
def site_lock(site: Path, command: str = "run", wait: float = SITE_LOCK_WAIT) -> Iterator[None]:
    """Hold the site's register lock, ``audits/<site>/.actions.lock``, for the read–merge–publish of actions.xlsx.

    Two runs of one site (two quarters at once, or ``--jobs``) take turns: the second waits
    for the first to publish, then merges into the register as the first left it.

    Raises:
        FolderLocked: another process held it for longer than ``wait`` seconds (or one on
            another host, which cannot be checked).
    """
    with _locked(Path(site) / SITE_LOCK_NAME, Path(site), command, wait):
        yield


#: the register's lock file in the site folder
SITE_LOCK_NAME = ".actions.lock"


def excel_owner(path: Path) -> str | None:
    """Who has ``path`` open in Excel (its ``~$`` owner file beside it), or None when nobody has.

    Excel's owner file starts with a length byte and the user's name in the Windows code page;
    newer versions repeat the name in UTF-16 from byte 55 (its length in byte 54).
    """
    owner = path.with_name(f"~${path.name}")
    if not owner.exists():
        return None
    try:
        raw = owner.read_bytes()[:165]
    except OSError:
        return "another user"
    names = []
    if len(raw) > 55 and 0 < raw[54] <= 54:
        names.append(raw[55 : 55 + 2 * raw[54]].decode("utf-16-le", errors="replace"))
    for codec in ("utf-8", "gbk", "cp1252"):
        try:
            names.append(raw[1 : 1 + raw[0]].decode(codec))
            break
        except (UnicodeDecodeError, IndexError):
            continue
    clean = ["".join(c for c in n if c.isprintable()).strip() for n in names if "\ufffd" not in n]
    return next((n for n in clean if n), "another user")


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
