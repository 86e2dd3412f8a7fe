"""Run an audit end to end: the only orchestrator.

One run of an audit folder, in order: parse audit.yaml once; take the folder's lock;
read the site's action register and earlier results (:func:`audit.cycle.context`); execute
the notebook with papermill, which computes and hands back an
:class:`~audit.model.AuditSnapshot` (it writes nothing); write every output from the
snapshot into the staging folder (the working paper, results.json, findings.xlsx,
data_quality.xlsx, the updated register, report.html, report.pdf, manifest.json); publish
them together. An interrupted or failed run leaves every previous output as it was.

Example:
    >>> run = run_audit("audits/demo/2026-Q3")   # doctest: +SKIP
    >>> run.pdf                                  # doctest: +SKIP
    PosixPath('.../audits/demo/2026-Q3/report.pdf')
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit import cycle, exceptions, forked
from audit.assessment.actions import register_entries
from audit.assessment.snapshot import HANDOFF_MIME
from audit.config import AuditConfig, load_config
from audit.cycle.changes import changes_since_issue
from audit.cycle.context import AuditContext, context_for
from audit.cycle.manifest import write_manifest
from audit.cycle.register import update_register
from audit.cycle.revisions import Revision, issues
from audit.data.contract import KINDS
from audit.exceptions import ERROR_MIME, HANDOFF_ENV, AuditError, FileInUse, OutputError, RunError
from audit.io import write_text
from audit.kernel import KERNEL_NAME, engine, launched
from audit.model import AuditSnapshot
from audit.paths import NOTEBOOK, AuditFolder
from audit.progress import PROGRESS_ENV, Event, Stage, emit, follow, is_listened, listening, stage, started
from audit.progress.terminal import Lines
from audit.report.findings_xlsx import write_findings
from audit.report.html import render_html
from audit.report.pdf import write_pdf
from audit.report.sections import ReportInput
from audit.report.warm import warm_up
from audit.report.xlsx import write_data_quality

__all__ = ["RunResult", "execute_notebook", "render_report", "run_audit", "update_site_register"]


@dataclass(frozen=True)
class RunResult:
    """What a run produced, and how long each stage took."""

    folder: AuditFolder
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def pdf(self) -> Path:
        return self.folder.report_pdf


@contextmanager
def _setting(name: str, value: str | None) -> Iterator[None]:
    """``os.environ[name]`` is ``value`` inside the block (unset when None); the notebook's kernel inherits it."""
    before = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


@contextmanager
def _kernel_progress() -> Iterator[None]:
    """Pass on the stages the kernel reports (see :mod:`audit.progress`) while it runs, when someone listens."""
    if not is_listened():
        with _setting(PROGRESS_ENV, None):
            yield
        return
    handle, name = tempfile.mkstemp(prefix="csat-audit-progress-", suffix=".jsonl")
    os.close(handle)
    path = Path(name)
    try:
        with follow(path, emit), _setting(PROGRESS_ENV, str(path)):
            yield
    finally:
        path.unlink(missing_ok=True)


@contextmanager
def _handing_over() -> Iterator[None]:
    """Ask the notebook's kernel (which inherits this environment) to hand its results and errors back, quietly."""
    # papermill's logger carries the notebook client's own messages ("Kernel died while waiting
    # for execute reply" when SIGTERM stops the kernel): the run says what happened in one line
    client_log = logging.getLogger("papermill")
    level = client_log.level
    client_log.setLevel(logging.CRITICAL)
    try:
        with _setting(HANDOFF_ENV, "1"), _kernel_progress():
            yield
    except exceptions.RunInterrupted:
        # the stop abandons the notebook client's pending asyncio tasks; asyncio would print each one
        # ("Task exception was never retrieved" and its traceback) when it is collected, after the
        # run's one line
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        raise
    finally:
        client_log.setLevel(level)


def _take(nb: Any, mime: str) -> Any:
    """The first output carrying ``mime``, removed from the notebook (None when there is none)."""
    for cell in nb.cells:
        for output in list(cell.get("outputs", ())):
            data = output.get("data", {})
            if mime in data:
                cell.outputs.remove(output)
                return data[mime]
    return None


def _user_error(ename: str) -> bool:
    cls = getattr(exceptions, ename, None)
    return isinstance(cls, type) and issubclass(cls, AuditError) and cls.exit_code == 2


@dataclass
class _Kernel:
    """The notebook's kernel, started ahead of the notebook (:mod:`audit.kernel`), and its stages."""

    manager: Any  # jupyter_client's AsyncKernelManager
    began: float
    executing: Stage  # the notebook's stage, from the kernel's start to the last cell
    starting: Stage  # the kernel's, done when the first cell starts


@contextmanager
def _kernel(root: Path) -> Iterator[_Kernel]:
    """The notebook's kernel for the block, started now in ``root``; killed when the block fails before the notebook."""
    began = time.perf_counter()
    executing, starting = started("notebook"), started("kernel")
    with _handing_over(), launched(root) as manager:  # the kernel inherits what _handing_over sets
        yield _Kernel(manager, began, executing, starting)


def execute_notebook(
    context: AuditContext, staging: AuditFolder, *, kernel: _Kernel | None = None
) -> tuple[AuditSnapshot, float]:
    """Execute the audit notebook for ``context`` and take back the snapshot it computed.

    The working paper (the executed notebook, without the hand-over) is written to
    ``staging.notebook``; its parameters are the audit folder as ``"."`` and the context,
    so that Run All in JupyterLab reproduces the run from the folder it sits in. When the
    notebook fails for a reason other than bad input, the partly executed notebook is kept
    as the audit folder's ``.audit.partial.ipynb`` for the auditor to read. The stages
    (the kernel's start, each cell, what the kernel reads and computes) are reported to
    the progress sink listening (:mod:`audit.progress`), never into the notebook.

    Args:
        context: the run's configuration, register and earlier results.
        staging: the folder that receives the working paper.
        kernel: the kernel :func:`_kernel` started for this notebook (:func:`run_audit` starts it
            before reading the context); None starts one now.

    Returns:
        The snapshot and the seconds taken, from the kernel's start.

    Raises:
        AuditError: the notebook stopped on bad input; the error keeps its type and
            attributes (path, kind …).
        RunError: the notebook failed for another reason.
    """
    if kernel is None:
        with _kernel(context.config.folder) as started_now:
            return execute_notebook(context, staging, kernel=started_now)
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    root = context.config.folder
    partial = staging.root / ".audit.partial.ipynb"
    executing, starting = kernel.executing, kernel.starting
    cells = (
        len(nbformat.read(str(NOTEBOOK), as_version=4).cells) + 1 if is_listened() else None
    )  # + papermill's parameters

    def cell_started(cell_index: int, **_: Any) -> None:
        starting.done()
        executing.update(n=cell_index + 1, m=cells, step=cell_index / cells if cells else None)

    warming = warm_up()  # the report's renderers load on the idle core while the kernel computes
    try:
        nb = papermill.execute_notebook(
            str(NOTEBOOK),
            str(partial),
            parameters={"audit_dir": ".", "context": context.to_parameters()},
            engine_name=engine(),
            km=kernel.manager,
            kernel_name=KERNEL_NAME,
            progress_bar=False,  # the run reports its own stages (audit.progress)
            # written once, at the end or at the failing cell: not at every cell's start and end
            # (40 writes of a growing notebook, 1.3 s at the demo's size, 2 s at 1M orders)
            request_save_on_cell_execute=False,
            cwd=str(root),
            on_cell_start=cell_started,  # an nbclient hook, passed on by papermill
            shutdown_kernel="immediate",
        )
    except PapermillExecutionError as exc:  # the stages still open end with the run's (see run_audit)
        failed = nbformat.read(str(partial), as_version=4) if partial.exists() else None
        payload = _take(failed, ERROR_MIME) if failed is not None else None
        if payload is not None:
            partial.unlink(missing_ok=True)
            raise AuditError.from_payload(payload) from None
        if _user_error(exc.ename):
            partial.unlink(missing_ok=True)  # nothing ran that is worth keeping
            raise AuditError(exc.evalue) from None
        kept = AuditFolder(root).failed_notebook
        if partial.exists():
            os.replace(partial, kept)
        raise RunError(
            f"the audit notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}; "
            f"the partly executed notebook is {kept}"
        ) from None
    payload = _take(nb, HANDOFF_MIME)
    partial.unlink(missing_ok=True)
    if payload is None:
        raise RunError(
            f"{root}: the audit notebook did not hand over its results (its last cell must call audit.hand_over)"
        )
    meta = nb.metadata.get("papermill", {})
    meta["input_path"], meta["output_path"] = NOTEBOOK.name, staging.notebook.name  # no machine paths in the paper
    write_text(staging.notebook, nbformat.writes(nb))
    warming.join()
    executing.done(len(nb.cells))
    return AuditSnapshot.from_dict(payload, root), time.perf_counter() - kernel.began


def render_report(
    r: ReportInput, out: AuditFolder, *, draft: bool = True, attachments: Sequence[Path] = (), workers: int = 1
) -> dict[str, float]:
    """Write ``out.report_html`` and ``out.report_pdf`` from the snapshot and revision in ``r``.

    Args:
        r: the snapshot and the revision being rendered.
        out: the (staging) folder that receives the files.
        draft: mark every page DRAFT; ``finalize`` renders the issued report without it.
        attachments: files to embed (``finalize``: results.json and manifest.json); the PDF is
            then PDF/A-3b.
        workers: processes drawing the charts (see :func:`audit.report.html.render_html`).

    Returns:
        Seconds taken by the HTML and the PDF.
    """
    began = time.perf_counter()
    with stage("html", out.report_html.name):
        html = render_html(r, draft=draft, workers=workers)
        write_text(out.report_html, html)
    rendered = time.perf_counter()
    write_pdf(html, out.report_pdf, base_dir=r.snapshot.config.folder, attachments=attachments)
    return {"html": rendered - began, "pdf": time.perf_counter() - rendered}


@contextmanager
def _outputs_written(snapshot: AuditSnapshot, staging: AuditFolder, *, beside: bool) -> Iterator[None]:
    """results.json and the workbooks written into ``staging`` by the end of the block.

    With ``beside`` (the run has two cores to itself), a forked copy of the run writes them
    while the block renders the report, and their stage lines follow the block's; else they
    are written here, before the block.
    """
    if not (beside and forked.CAN_FORK):
        _write_outputs(snapshot, staging)
        yield
        return
    with forked.in_fork(_outputs_heard, snapshot, staging) as writing:
        yield
        try:
            heard = writing.result()
        except forked.ForkFailed:  # the copy died (out of memory?): written here after all
            heard = _outputs_heard(snapshot, staging)
    for event in heard:
        emit(event)


def _outputs_heard(snapshot: AuditSnapshot, staging: AuditFolder) -> list[Event]:
    """In the forked copy: the outputs written, and the stage events that were heard meanwhile."""
    heard: list[Event] = []
    with listening(heard.append):
        _write_outputs(snapshot, staging)
    return heard


def _write_outputs(snapshot: AuditSnapshot, staging: AuditFolder) -> None:
    """results.json, findings.xlsx and data_quality.xlsx into ``staging``."""
    with stage("write", staging.results.name):
        snapshot.dump(staging.results)
    with stage("write", staging.findings_xlsx.name):
        write_findings(snapshot, staging.findings_xlsx)
    with stage("write", staging.data_quality_xlsx.name):
        write_data_quality(
            snapshot.sources,
            snapshot.problems,
            snapshot.quarantine,
            staging.data_quality_xlsx,
            lang=snapshot.config.audit.language,
        )


def _publish_with_register(snapshot: AuditSnapshot, staging: AuditFolder, target: AuditFolder) -> None:
    """Merge the register as it is now and publish it with every other output, under the site's lock.

    Two runs of one site take turns here, so neither loses the other's actions. A register
    open in Excel is not replaced: Excel would overwrite the merge when its user saves.
    """
    register = AuditFolder(snapshot.config.folder).action_register
    with cycle.site_lock(register.parent):
        owner = cycle.excel_owner(register)
        if owner is not None:
            raise FileInUse(
                f"{register.name} is open in Excel by {owner}; close it and run again "
                f"(nothing was published: the previous outputs and the register are unchanged)",
                register,
            )
        with stage("register", register.name):
            staged = update_site_register(snapshot, dt.date.today(), out=staging.root / register.name)
        with stage("publish"):
            cycle.publish(staging, target, extra=((staged, register),))


def update_site_register(snapshot: AuditSnapshot, today: dt.date, *, out: Path | None = None) -> Path:
    """Merge this audit's actions and verdicts into the site's register (``audits/<site>/actions.xlsx``).

    Args:
        snapshot: the audit's results.
        today: the date of the register's History rows.
        out: where to write the merged register; the register itself when None (a run stages it).
    """
    return update_register(
        AuditFolder(snapshot.config.folder).action_register,
        snapshot.config.audit.id,
        register_entries(snapshot.assessment, snapshot.kpis, snapshot.config, today),
        {v.action_id: v for v in snapshot.assessment.follow_up.verifications},
        today,
        out=out,
        organisation=snapshot.config.audit.organisation,
        site=snapshot.config.audit.site,
        lang=snapshot.config.audit.language,
    )


def run_audit(folder: Path | str, *, progress: bool = True, alone: bool = True) -> RunResult:
    """Run the whole audit of one folder: notebook, results, workbooks, register, report and manifest.

    Every output is built in the folder's staging folder and moved into place only when all
    are written, under the folder's lock (see :mod:`audit.cycle`): an interrupted or failed
    run leaves the previous outputs, the register included, as they were. Once the audit has
    been issued (``csat-audit finalize``) the run writes the next revision (``report-r2.pdf`` …).

    Args:
        folder: the audit folder holding audit.yaml.
        progress: print a line per stage on stderr, in the audit's language, with a live bar
            when stderr is a terminal (:class:`audit.progress.terminal.Lines`); when a sink
            already listens (a ``--jobs`` worker), the stages go to it instead.
        alone: no other run shares the machine's cores (False in a ``--jobs`` worker): where
            there are two, a forked copy of the run writes results.json and the workbooks while
            the report renders, and the report's charts are drawn half by each.

    Returns:
        The folder's outputs (for the revision written) and the time taken by each stage.

    Raises:
        AuditError: bad configuration or input (exit code 2 on the command line).
        FolderLocked: another run or finalize is working on the folder (exit code 2).
        RunError: the run itself failed (exit code 3); RunInterrupted when stopped by SIGTERM.
    """
    root = Path(folder).resolve()
    config = load_config(root)  # once, and before starting a kernel
    for kind in (*KINDS, "customers"):  # a data path outside the site folder stops the run here, not in the kernel
        source = getattr(config.data, kind)
        if source is not None:
            config.resolve(source.path, key=f"data.{kind}.path")
    with ExitStack() as showing:
        if progress and not is_listened():
            showing.enter_context(listening(showing.enter_context(Lines())))
        auditing = started("audit", str(folder), lang=config.audit.language)
        try:
            result = _run(root, config, cores=min(2, forked.cores()) if alone else 1)
        except BaseException:
            auditing.end()
            raise
        auditing.done()
    return result


def _run(root: Path, config: AuditConfig, *, cores: int) -> RunResult:
    """:func:`run_audit` once audit.yaml is read and its data paths are checked."""
    with cycle.folder_lock(root), cycle.stop_on_signals(root), _writable(root):
        target = cycle.working_folder(root)
        staging = cycle.fresh_staging(target)
        try:
            # the kernel boots on the other core while the register and earlier results are read
            with cycle.kill_new_children(), _kernel(root) as started_kernel:
                context = context_for(config)
                snapshot, seconds = execute_notebook(context, staging, kernel=started_kernel)
            timings = {"notebook": seconds}
            with _outputs_written(snapshot, staging, beside=cores > 1):
                done = issues(root)
                revision = Revision(
                    target.revision, done[-1] if done else None, False, changes_since_issue(root, snapshot)
                )
                timings |= render_report(ReportInput(snapshot, revision), staging, workers=cores)
            timings |= {f"load_{kind}": s for kind, s in snapshot.load_seconds.items()}
            with stage("write", staging.manifest.name):
                write_manifest(staging, snapshot, config.parameters(), timings)
            _publish_with_register(snapshot, staging, target)
        finally:
            cycle.discard(staging)
    return RunResult(target, timings)


#: errors that mean a file or folder cannot be written, whatever the run did right
_CANNOT_WRITE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT}


@contextmanager
def _writable(root: Path) -> Iterator[None]:
    """Turn a failure to write (read-only folder or mount, full disk) into one line naming the path."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise
        where = exc.filename or root
        raise OutputError(
            f"{where} could not be written ({exc.strerror or exc}); nothing was published, "
            "the previous outputs are intact",
            Path(where),
        ) from None
