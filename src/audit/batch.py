"""Run the audits of several folders (sites), one after another or in parallel processes.

One folder's failure never stops the others; each finished folder is reported as it ends.

Example:
    >>> outcomes = run_many(["audits/plant-1/2026-Q3", "audits/plant-2/2026-Q3"], jobs=2)  # doctest: +SKIP
    >>> [o.ok for o in outcomes]                                                           # doctest: +SKIP
    [True, True]
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from audit.cycle import stop_on_signals
from audit.exceptions import AuditError
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


def _run_one(folder: str, progress: bool = False) -> Outcome:

    started = time.perf_counter()
    try:
        result = run_audit(folder, progress=progress)
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
) -> list[Outcome]:
    """Run every folder's audit; with ``jobs`` > 1 in that many processes at once.

    Args:
        folders: audit folders.
        jobs: processes running at once (1: one after another, in this process).
        progress: papermill's progress bar (only with ``jobs`` = 1).
        on_done: called with (outcome, number finished, total) as each folder ends.

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
            done(index, _run_one(str(folder), progress))
        return [outcomes[i] for i in range(total)]

    stopped = "the runs were stopped ({signal}); folders not finished keep their previous outputs"
    # spawn, not fork: the parent may hold threads (a forked copy could deadlock on their locks)
    pool = ProcessPoolExecutor(max_workers=min(jobs, total), mp_context=multiprocessing.get_context("spawn"))
    try:
        with stop_on_signals("", stopped):
            futures: dict[Future[Outcome], int] = {pool.submit(_run_one, str(f)): i for i, f in enumerate(folders)}
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


def failures_exit_code(outcomes: Sequence[Outcome]) -> int:
    """The exit code of a run over several folders: how many failed (at most 100)."""
    return min(sum(not o.ok for o in outcomes), MAX_FAILURES_EXIT)
