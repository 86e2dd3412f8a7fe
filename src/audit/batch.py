"""Run the audits of several folders (sites), one after another or in parallel processes.

One folder's failure never stops the others; each finished folder is reported as it ends.

Example:
    >>> outcomes = run_many(["audits/plant-1/2026-Q3", "audits/plant-2/2026-Q3"], jobs=2)  # doctest: +SKIP
    >>> [o.ok for o in outcomes]                                                           # doctest: +SKIP
    [True, True]
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit.cycle import stop_on_signals
from audit.exceptions import AuditError
from audit.forked import CORES_ENV
from audit.progress import Event, listening
from audit.runner import run_audit

__all__ = ["Outcome", "failures_exit_code", "run_many"]

#: the highest exit code ``run`` gives for failed folders (codes above 125 mean signals)
MAX_FAILURES_EXIT = 100


@dataclass(frozen=True)
class Outcome:
    """How one folder's run ended.

    Attributes:
        folder: the audit folder.
        pdf: the report written, None when the run failed.
        error: the one-line message of the failure ("" when done).
        exit_code: 0 done, 2 bad input or configuration, 3 the run failed.
        seconds: wall time of the run.
    """

    folder: Path
    pdf: Path | None = None
    error: str = ""
    exit_code: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


#: in a worker process: the queue its stage events go to, as (folder's index, event)
_events: Any = None


def _worker(events: Any) -> None:
    """A worker process starts: its runs report their stages to ``events``."""
    global _events  # one queue per worker process, set once when it starts
    _events = events
    os.environ[CORES_ENV] = "1"  # its runs, and their notebook kernels, share the machine: no forked copies
    atexit.register(gc.freeze)  # as in audit.cli: no last garbage collections when the worker ends


def _run_one(folder: str, progress: bool = False, index: int = 0, alone: bool = False) -> Outcome:

    started = time.perf_counter()
    try:
        with ExitStack() as reporting:
            if _events is not None:
                queue = _events
                reporting.enter_context(listening(lambda event: queue.put((index, event))))
            result = run_audit(folder, progress=progress, alone=alone)
    except AuditError as exc:
        return Outcome(Path(folder), None, str(exc), exc.exit_code, time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - one folder's failure never stops the others
        message = f"the run failed unexpectedly ({exc.__class__.__name__}: {exc})"
        return Outcome(Path(folder), None, message, 3, time.perf_counter() - started)
    return Outcome(Path(folder), result.pdf, "", 0, time.perf_counter() - started)


def run_many(
    folders: Sequence[Path | str],
    *,
    jobs: int = 1,
    progress: bool = False,
    on_done: Callable[[Outcome, int, int], None] | None = None,
    on_event: Callable[[tuple[int, Event]], None] | None = None,
) -> list[Outcome]:
    """Run every folder's audit; with ``jobs`` > 1 in that many processes at once.

    Args:
        folders: audit folders.
        jobs: processes running at once (1: one after another, in this process).
        progress: a line per stage on stderr (only with ``jobs`` = 1; see :func:`run_audit`).
        on_done: called with (outcome, number finished, total) as each folder ends.
        on_event: with ``jobs`` > 1, called in this process with (folder's index, event)
            for every stage a worker reports (see :mod:`audit.progress`), as it happens.

    Returns:
        One outcome per folder, in the order given.
    """
    total = len(folders)
    outcomes: dict[int, Outcome] = {}

    def done(index: int, outcome: Outcome) -> None:
        outcomes[index] = outcome
        if on_done is not None:
            on_done(outcome, len(outcomes), total)

    if jobs <= 1 or total <= 1:
        for index, folder in enumerate(folders):
            done(index, _run_one(str(folder), progress, alone=True))
        return [outcomes[i] for i in range(total)]

    stopped = "the runs were stopped ({signal}); folders not finished keep their previous outputs"
    # spawn, not fork: the parent may hold threads (a forked copy could deadlock on their locks)
    spawn = multiprocessing.get_context("spawn")
    events = spawn.Queue() if on_event is not None else None
    pool = ProcessPoolExecutor(max_workers=min(jobs, total), mp_context=spawn, initializer=_worker, initargs=(events,))
    try:
        with stop_on_signals("", stopped), _passing_on(events, on_event):
            futures: dict[Future[Outcome], int] = {
                pool.submit(_run_one, str(f), index=i, alone=False): i for i, f in enumerate(folders)
            }
            for future in as_completed(futures):
                index = futures[future]
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - the worker process itself died
                    message = f"the worker process failed ({exc.__class__.__name__}: {exc})"
                    outcome = Outcome(Path(folders[index]), None, message, 3)
                done(index, outcome)
    except BaseException:
        # stopped (SIGTERM, Ctrl-C): each worker's own handler cleans up its folder and lock
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [outcomes[i] for i in range(total)]


@contextmanager
def _passing_on(events: Any, on_event: Callable[[tuple[int, Event]], None] | None) -> Iterator[None]:
    """A thread hands each (index, event) the workers put on ``events`` to ``on_event`` while the block runs."""
    if events is None or on_event is None:
        yield
        return
    handler = on_event

    def loop() -> None:
        while (item := events.get()) is not None:
            with suppress(Exception):  # progress never stops a run
                handler(item)

    thread = threading.Thread(target=loop, name="csat-audit-sites", daemon=True)
    thread.start()
    try:
        yield
    finally:
        events.put(None)
        thread.join(timeout=5)


def failures_exit_code(outcomes: Sequence[Outcome]) -> int:
    """The exit code of a run over several folders: how many failed (at most 100)."""
    return min(sum(not o.ok for o in outcomes), MAX_FAILURES_EXIT)
