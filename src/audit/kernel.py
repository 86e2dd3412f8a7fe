"""The notebook's kernel, started as soon as audit.yaml is read, and papermill's engine that uses it.

A kernel takes about a second to start: a new Python process importing ipykernel. papermill
starts one when asked to execute the notebook, once the run has imported and read everything
else, and the run waits for it on one core. Started by :func:`launched` instead, right after the
folder's lock is taken, it boots on the other core while the run reads the site's register and
earlier results and imports papermill; the engine :data:`ENGINE` then executes the notebook on
it, and shuts it down at the end as papermill does with a kernel of its own.

Example:
    >>> with launched(folder) as manager:                              # doctest: +SKIP
    ...     papermill.execute_notebook(..., engine_name=engine(), km=manager)
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jupyter_client.manager import AsyncKernelManager

__all__ = ["ENGINE", "KERNEL_NAME", "engine", "launched"]

#: the kernel the notebook runs on (Jupyter's name for the Python kernel of the environment)
KERNEL_NAME = "python3"
#: the name under which :func:`engine` registers papermill's engine
ENGINE = "csat-audit"
#: the kernel's options: its own chatter (start-up, "KeyboardInterrupt caught" at shutdown) is not
#: the user's business, and the run's cells are not added to IPython's history database (what
#: nbclient does for a kernel it starts itself)
ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.hist_file=:memory:"]


@contextmanager
def launched(cwd: Path) -> Iterator[AsyncKernelManager]:
    """A kernel started in ``cwd`` for the block, killed at its end unless papermill already shut it down.

    The kernel inherits the environment as it is now: set what the notebook reads from it
    (:data:`audit.exceptions.HANDOFF_ENV`, :data:`audit.progress.PROGRESS_ENV`) before.
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    manager = AsyncKernelManager(kernel_name=KERNEL_NAME)
    run_sync(manager.start_kernel)(extra_arguments=ARGUMENTS, cwd=str(cwd))
    try:
        yield manager
    finally:
        if manager.has_kernel:  # the block failed before papermill's client took it over
            with suppress(Exception):  # already gone; kill_new_children is the last resort
                run_sync(manager.shutdown_kernel)(now=True)


@functools.cache
def engine() -> str:
    """Register papermill's engine for a kernel started by :func:`launched` (once) and return its name.

    Call it as ``papermill.execute_notebook(..., engine_name=engine(), km=manager)``: it is
    papermill's own nbclient engine, except that the client takes over the kernel ``km`` rather
    than starting one, and shuts it down and closes its connections at the end (papermill's
    client leaves a kernel it was given running).
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class StartedKernelEngine(NBClientEngine):  # type: ignore[misc]  # papermill has no type hints
        @classmethod
        def execute_managed_notebook(
            cls, nb_man: Any, kernel_name: str, *, km: AsyncKernelManager, start_timeout: int = 60, **kwargs: Any
        ) -> Any:
            kwargs.pop("input_path", None)
            client = PapermillNotebookClient(
                nb_man, km=km, kernel_name=kernel_name, startup_timeout=start_timeout, log=logger, **kwargs
            )
            client.owns_km = True  # so that its clean-up shuts the kernel down and closes the channels
            return client.execute()

    papermill_engines.register(ENGINE, StartedKernelEngine)
    return ENGINE
