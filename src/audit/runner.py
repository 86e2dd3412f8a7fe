"""Run an audit end to end: execute the notebook with papermill, then render the report.

Example:
    >>> run = run_audit("audits/demo/2026-Q3")   # doctest: +SKIP
    >>> run.pdf                                  # doctest: +SKIP
    PosixPath('.../audits/demo/2026-Q3/report.pdf')
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from audit import exceptions
from audit.config import load_config
from audit.exceptions import AuditError, RunError
from audit.paths import NOTEBOOK, AuditFolder

__all__ = ["RunResult", "execute_notebook", "render_report", "run_audit"]


@dataclass(frozen=True)
class RunResult:
    """What a run produced, and how long each stage took."""

    folder: AuditFolder
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def pdf(self) -> Path:
        return self.folder.report_pdf


def _user_error(ename: str) -> bool:
    cls = getattr(exceptions, ename, None)
    return isinstance(cls, type) and issubclass(cls, AuditError) and cls.exit_code == 2


def execute_notebook(folder: AuditFolder, *, progress: bool = True, out: AuditFolder | None = None) -> float:
    """Execute the audit notebook for ``folder`` into ``out.notebook`` (default ``folder``'s).

    The run writes its outputs (results.json, findings.xlsx, data_quality.xlsx) into
    ``out.root``; :func:`run_audit` points it at a staging folder. When the notebook fails
    for a reason other than bad input, the partly executed notebook is kept as
    ``folder.failed_notebook`` for the auditor to read.

    Returns:
        Seconds taken.

    Raises:
        AuditError: the notebook stopped on bad input (the message says where).
        RunError: the notebook failed for another reason.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    out = out or folder
    started = time.perf_counter()
    partial = out.root / ".audit.partial.ipynb"
    try:
        papermill.execute_notebook(
            str(NOTEBOOK),
            str(partial),
            parameters={"audit_dir": str(folder.root), "output_dir": str(out.root)},
            kernel_name="python3",
            progress_bar=progress,
            cwd=str(folder.root),
            # the kernel's own chatter (start-up, "KeyboardInterrupt caught" at shutdown) is not the user's business
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    except PapermillExecutionError as exc:
        if _user_error(exc.ename):
            partial.unlink(missing_ok=True)  # nothing ran that is worth keeping
            raise AuditError(exc.evalue) from None
        if partial != folder.failed_notebook:
            os.replace(partial, folder.failed_notebook)
        raise RunError(
            f"the audit notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}; "
            f"the partly executed notebook is {folder.failed_notebook}"
        ) from None
    os.replace(partial, out.notebook)
    return time.perf_counter() - started


def render_report(folder: AuditFolder, *, draft: bool = True) -> dict[str, float]:
    """Export ``folder.notebook`` to ``folder.report_html`` and ``folder.report_pdf``.

    Args:
        folder: the audit folder (or its staging folder) and revision.
        draft: mark every page DRAFT; ``finalize`` renders the issued report without it.

    Returns:
        Seconds taken by the HTML export and the PDF rendering.
    """
    from audit.report.html import export_html
    from audit.report.pdf import write_pdf

    started = time.perf_counter()
    html = export_html(folder.notebook, draft=draft)
    partial_html = folder.root / ".report.html.partial"
    partial_html.write_text(html, encoding="utf-8")
    os.replace(partial_html, folder.report_html)
    exported = time.perf_counter()
    partial_pdf = folder.root / ".report.pdf.partial"
    write_pdf(html, partial_pdf, base_dir=folder.root)
    os.replace(partial_pdf, folder.report_pdf)
    return {"html": exported - started, "pdf": time.perf_counter() - exported}


def run_audit(folder: Path | str, *, progress: bool = True) -> RunResult:
    """Run the whole audit of one folder: notebook, report, results, workbooks and manifest.

    Every output is built in the folder's staging folder and moved into place only when all
    are written, under the folder's lock (see :mod:`audit.audits`): an interrupted or failed
    run leaves the previous outputs as they were. Once the audit has been issued
    (``csat-audit finalize``) the run writes the next revision (``report-r2.pdf`` …).

    Args:
        folder: the audit folder holding audit.yaml.
        progress: show papermill's progress bar.

    Returns:
        The folder's outputs (for the revision written) and the time taken by each stage.

    Raises:
        AuditError: bad configuration or input (exit code 2 on the command line).
        FolderLocked: another run or finalize is working on the folder (exit code 2).
        RunError: the run itself failed (exit code 3); RunInterrupted when stopped by SIGTERM.
    """
    from audit import cycle
    from audit.outputs import write_manifest

    root = Path(folder).resolve()
    config = load_config(root)  # fail fast on configuration, before starting a kernel
    with cycle.folder_lock(root), cycle.stop_on_signals(root):
        target = cycle.working_folder(root)
        staging = cycle.fresh_staging(target)
        try:
            with cycle.kill_new_children():
                timings = {"notebook": execute_notebook(AuditFolder(root), progress=progress, out=staging)}
            timings |= render_report(staging)
            try:
                results = json.loads(staging.results.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise RunError(f"{target.results}: not written by the notebook ({exc})") from None
            for kind, seconds in results["run"]["load_seconds"].items():
                timings[f"load_{kind}"] = seconds
            write_manifest(staging, results, config.parameters(), timings)
            cycle.publish(staging, target)
        finally:
            cycle.discard(staging)
    return RunResult(target, timings)
