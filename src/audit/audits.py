"""Audit folders over time: the run lock, staged outputs, issued revisions.

An audit folder (``audits/<site>/<period>/``) is re-run until its report is issued with
``csat-audit finalize``. This module keeps that safe:

* **Lock.** A run (or finalize) holds ``.audit.lock`` (pid, host, time) while it works; a
  second one stops with :class:`~audit.exceptions.FolderLocked`. A lock left by a process
  that no longer runs on this host is taken over, with a note on stderr.
* **Staging.** A run builds every output in ``.audit.staging/`` and moves the files into
  the folder only when all of them are written, with SIGTERM and SIGINT held back for those
  few renames. An interrupted run leaves the previous outputs as they were.
* **Revisions.** ``finalize`` records the issued revision in ``issue.json`` (sha256 of every
  output, date, who) and makes its files read-only. A later run writes the next revision
  (``report-r2.pdf``, ``results-r2.json`` …, named by :class:`audit.paths.AuditFolder`),
  never over an issued one.

Example:
    >>> with folder_lock(root), stop_on_signals(root):         # doctest: +SKIP
    ...     target = working_folder(root)
    ...     staging = fresh_staging(target)
    ...     ...                                                # write staging's outputs
    ...     publish(staging, target)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import logging
import os
import shutil
import signal
import socket
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from audit.exceptions import ConfigError, FolderLocked, RunError, RunInterrupted
from audit.paths import OUTPUTS, AuditFolder

__all__ = [
    "Issue",
    "Revision",
    "changes_between",
    "changes_since_issue",
    "discard",
    "finalize",
    "folder_lock",
    "fresh_staging",
    "issued_revision",
    "issues",
    "kill_new_children",
    "latest_folder",
    "publish",
    "revision_of",
    "stop_on_signals",
    "working_folder",
]

log = logging.getLogger(__name__)

READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


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


# ---------------------------------------------------------------- revisions


@dataclass(frozen=True)
class Issue:
    """One issued revision, as recorded in ``issue.json``.

    Attributes:
        revision: 1, 2, …
        report: the issued PDF's file name.
        sha256: the issued PDF's sha256.
        issued_on: the date of issue (ISO).
        by: who issued it.
        files: sha256 of every output of the revision, by file name.
    """

    revision: int
    report: str
    sha256: str
    issued_on: str
    by: str
    files: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Revision:
    """The revision a run of a folder writes, for the report's cover.

    Attributes:
        number: this revision (1 for the first).
        issued: the last issued revision, which this one replaces; None for revision 1.
        is_final: whether this revision has been issued (never true while it is rendered).
    """

    number: int
    issued: Issue | None = None
    is_final: bool = False


def issues(root: Path) -> tuple[Issue, ...]:
    """The issued revisions of an audit folder, oldest first (empty when none was issued).

    Raises:
        ConfigError: issue.json exists but cannot be read.
    """
    path = AuditFolder(root).issue_record
    if not path.exists():
        return ()
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        return tuple(Issue(**item) for item in payload["issues"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{path}: cannot read the record of issued revisions ({exc}); restore it from a backup", path
        ) from None


def issued_revision(root: Path) -> int:
    """The highest issued revision, 0 when the audit was never issued."""
    return max((i.revision for i in issues(root)), default=0)


def working_folder(root: Path) -> AuditFolder:
    """The files the next run of ``root`` writes: the revision after the last issued one."""
    return AuditFolder(Path(root), issued_revision(root) + 1)


def latest_folder(root: Path) -> AuditFolder | None:
    """The newest revision of ``root`` that has results.json: the draft if run, else the issued one."""
    work = working_folder(root)
    for revision in range(work.revision, 0, -1):
        if work.at(revision).results.exists():
            return work.at(revision)
    return None


def revision_of(root: Path) -> Revision:
    """The revision that a run of ``root`` produces now, with the issue it replaces."""
    done = issues(root)
    return Revision(issued_revision(root) + 1, done[-1] if done else None)


# ---------------------------------------------------------------- staging


def fresh_staging(target: AuditFolder) -> AuditFolder:
    """An empty ``.audit.staging/`` for a run writing ``target``'s revision (a leftover is removed)."""
    staging = target.staging
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return AuditFolder(staging, target.revision)


def discard(staging: AuditFolder) -> None:
    """Remove the staging folder and whatever a failed run left in it."""
    shutil.rmtree(staging.root, ignore_errors=True)


def publish(staging: AuditFolder, target: AuditFolder) -> None:
    """Move the staged outputs into the audit folder, then remove the staging folder.

    Raises:
        RunError: an output is missing from the staging folder, or its name belongs to an
            issued revision (which is never overwritten).
    """
    missing = [p.name for p in staging.outputs if not p.exists()]
    if missing:
        raise RunError(f"{target.root}: the run did not write {', '.join(missing)}; the previous outputs are unchanged")
    issued = {name for i in issues(target.root) for name in i.files}
    clash = [p.name for p in target.outputs if p.name in issued]
    if clash:
        raise RunError(f"{target.root}: refusing to overwrite the issued {', '.join(clash)}")
    with _signals_held():
        for name in OUTPUTS:
            os.replace(getattr(staging, name), getattr(target, name))
        discard(staging)


# ---------------------------------------------------------------- finalize


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_record(path: Path, done: tuple[Issue, ...]) -> None:
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_text(
        json.dumps({"issues": [asdict(i) for i in done]}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    os.chmod(temporary, READ_ONLY)
    os.replace(temporary, path)


def finalize(root: Path | str, *, by: str | None = None, today: dt.date | None = None) -> Issue:
    """Issue the audit's newest revision: render its report without the DRAFT mark, record it
    in issue.json and make its files read-only.

    Args:
        root: the audit folder.
        by: who issues the report; defaults to the lead auditor in audit.yaml, else the
            login name.
        today: the date of issue; defaults to today.

    Returns:
        The record written.

    Raises:
        ConfigError: there is no report to issue (run first), or the newest revision is
            already issued.
        FolderLocked: a run is working on the folder.

    Example:
        >>> finalize("audits/plant-1/2026-Q3", by="Li Na").report     # doctest: +SKIP
        'report.pdf'
    """
    folder = Path(root).resolve()
    with folder_lock(folder, "finalize"):
        target = working_folder(folder)
        if not target.report_pdf.exists():
            if target.revision > 1:
                raise ConfigError(
                    f"{folder}: revision {target.revision - 1} is already issued and no later revision was run; "
                    f"'csat-audit run {root}' writes revision {target.revision}"
                )
            raise ConfigError(f"{folder}: no report to issue yet; run 'csat-audit run {root}' first")
        if by is None:
            from audit.config import load_config

            by = load_config(folder).audit.lead_auditor or getpass.getuser()
        from audit.runner import render_report  # here: the runner imports this module

        render_report(target, draft=False)  # the issued report carries no DRAFT mark
        files = {p.name: _sha256(p) for p in target.outputs if p.exists()}
        issue = Issue(
            revision=target.revision,
            report=target.report_pdf.name,
            sha256=files[target.report_pdf.name],
            issued_on=(today or dt.date.today()).isoformat(),
            by=by,
            files=files,
        )
        for name in files:
            os.chmod(folder / name, READ_ONLY)
        _write_record(target.issue_record, (*issues(folder), issue))
    return issue


# ---------------------------------------------------------------- changes


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return "–" if value is None else str(value)


def changes_between(
    before: dict[str, Any],
    kpis: dict[str, dict[str, Any]],
    findings: list[dict[str, Any]],
    conclusion: str | None = None,
) -> list[str]:
    """What changed from an issued results.json to this run, one sentence per change.

    KPIs are compared by id at two decimals; findings by check and title (their ids are
    renumbered on each run).

    Args:
        before: the issued revision's results.json.
        kpis: this run's KPIs as in results.json (``id → {"label", "value", …}``).
        findings: this run's findings as in results.json.
        conclusion: this run's overall conclusion.
    """
    lines = []
    old_kpis: dict[str, dict[str, Any]] = before.get("kpis", {})
    for kpi_id, now in kpis.items():
        then = old_kpis.get(kpi_id)
        label = now.get("label") or kpi_id
        if then is None:
            lines.append(f"{label}: new, {_fmt(now.get('value'))}")
        elif _fmt(then.get("value")) != _fmt(now.get("value")):
            lines.append(f"{label}: {_fmt(then.get('value'))} → {_fmt(now.get('value'))}")
    for kpi_id in old_kpis.keys() - kpis.keys():
        lines.append(f"{old_kpis[kpi_id].get('label') or kpi_id}: no longer reported")

    def key(f: dict[str, Any]) -> tuple[Any, Any]:
        return f.get("check"), f.get("title")

    old = {key(f): f for f in before.get("findings", [])}
    new = {key(f): f for f in findings}
    lines += [
        f"Finding added: {f.get('title')} ({f.get('grade_label') or f.get('grade')})"
        for k, f in new.items()
        if k not in old
    ]
    lines += [
        f"Finding removed: {f.get('title')} ({f.get('grade_label') or f.get('grade')})"
        for k, f in old.items()
        if k not in new
    ]
    for k in new.keys() & old.keys():
        if new[k].get("grade") != old[k].get("grade"):
            lines.append(f"Finding regraded: {new[k].get('title')}: {old[k].get('grade')} → {new[k].get('grade')}")
    if conclusion is not None and before.get("conclusion") not in (None, conclusion):
        lines.insert(0, f"Conclusion: {before['conclusion']} → {conclusion}".replace("_", " "))
    return lines


def changes_since_issue(
    root: Path, kpis: dict[str, dict[str, Any]], findings: list[dict[str, Any]], conclusion: str | None = None
) -> list[str] | None:
    """:func:`changes_between` the last issued revision of ``root`` and this run; None if never issued."""
    done = issues(root)
    if not done:
        return None
    path = AuditFolder(Path(root), done[-1].revision).results
    try:
        before = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [f"The issued revision's {path.name} cannot be read; changes are not listed."]
    return changes_between(before, kpis, findings, conclusion)


# ---------------------------------------------------------------- earlier audits


def earlier_results(root: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """KPIs of the site's earlier audits, by period label: each sibling folder's newest results.

    The site folder is the audit folder's parent (``audits/<site>/<period>/``). A folder
    whose results cannot be read is skipped: history is a help, not a requirement.

    Returns:
        ``{"2026-Q2": {"csat_mean": {"value": …, "n": …, "ci_low": …, "ci_high": …}, …}, …}``,
        without the audit's own period.
    """
    root = Path(root).resolve()
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for sibling in sorted(p for p in root.parent.iterdir() if p.is_dir() and p != root):
        latest = latest_folder(sibling)
        if latest is None:
            continue
        try:
            payload = json.loads(latest.results.read_text(encoding="utf-8"))
            found.setdefault(str(payload["audit"]["period"]), dict(payload["kpis"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found
