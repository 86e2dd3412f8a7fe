"""The ``csat-audit`` command line. Each command parses, calls one library function, reports.

Exit codes: 0 done (findings are not failures), 2 bad input or configuration,
3 the run itself failed.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from audit import format as fmt
from audit.batch import Outcome, failures_exit_code, run_many
from audit.catalogue import kind_word
from audit.cycle import working_folder
from audit.cycle.carry import new_audit
from audit.cycle.context import open_audit
from audit.cycle.status import audit_status, status_table
from audit.data.dataset import load_audit, over_threshold
from audit.data.quality import quarantine_tables
from audit.demo import write_demo, write_demo_sites
from audit.exceptions import AuditError, ConfigError
from audit.finalize import finalize as issue_report
from audit.i18n import LANGUAGES, _, language
from audit.model import Problem, SourceInfo
from audit.paths import INPUT_TEMPLATES_DIR
from audit.progress.terminal import Sites, is_terminal
from audit.report.portfolio import write_portfolio
from audit.report.words import rule_label
from audit.report.xlsx import write_data_quality
from audit.runner import run_audit
from audit.scaffold import init_audit

# A command's process ends when the command does: its objects are left to the operating system,
# not to the interpreter's last garbage collections (a second after a run, over its millions of
# objects). Registered first, so it runs after every other exit handler.
atexit.register(gc.freeze)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Audit how an organisation monitors customer satisfaction (ISO 9001:2015 9.1.2).",
)


def _fail(exc: BaseException) -> NoReturn:
    """Print one line on stderr and exit with the error's code (CSAT_AUDIT_DEBUG=1 shows the traceback)."""
    if os.environ.get("CSAT_AUDIT_DEBUG"):
        raise exc
    if isinstance(exc, AuditError):
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code)
    typer.echo(f"error: the run failed unexpectedly ({exc.__class__.__name__}: {exc})", err=True)
    raise typer.Exit(3)


@app.command()
def run(
    folders: Annotated[list[Path], typer.Argument(help="audit folders, each holding audit.yaml")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress lines on stderr")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="folders run at once, in separate processes")] = 1,
) -> None:
    """Run the audit of one or more folders and print the path of each report.

    Each stage of a run (reading a file, the KPIs, the checks, each workbook, the PDF) prints
    one line on stderr with its counts and seconds, in the audit's language; on a terminal the
    running stage shows live, with a bar for the long ones. With --jobs on a terminal, one
    live line per site shows its stage. --quiet prints none of it.

    With one folder the exit code is 0, 2 (bad input) or 3 (the run failed). With several,
    one folder's failure does not stop the others, a line is printed as each finishes, and
    the exit code is the number of folders that failed (0 when all are done; at most 100).

    Example: csat-audit run audits/plant-1/2026-Q3 audits/plant-2/2026-Q3 --jobs 2
    """

    if len(folders) == 1:
        try:
            result = run_audit(folders[0], progress=not quiet)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one line and an exit code
            _fail(exc)
        typer.echo(str(result.pdf))
        return

    live = jobs > 1 and not quiet and is_terminal(sys.stderr)
    sites = Sites([_site_name(f) for f in folders], live=live)

    def report(outcome: Outcome, finished: int, total: int) -> None:
        if outcome.folder in folders:
            sites.finish(folders.index(outcome.folder))
        with sites.paused():
            if outcome.ok:
                typer.echo(f"[{finished}/{total}] done   {outcome.pdf} ({outcome.seconds:.1f} s)")
            else:
                typer.echo(f"[{finished}/{total}] failed {outcome.folder}: {outcome.error}", err=True)

    try:
        with sites:
            outcomes = run_many(
                folders, jobs=jobs, progress=not quiet, on_done=report, on_event=sites if live else None
            )
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    failed = sum(not o.ok for o in outcomes)
    typer.echo(f"{len(outcomes) - failed} of {len(outcomes)} audits done, {failed} failed", err=True)
    raise typer.Exit(failures_exit_code(outcomes))


def _site_name(folder: Path) -> str:
    """``plant-1/2026-Q3``: the site and quarter of an audit folder."""
    return "/".join(folder.resolve().parts[-2:])


@app.command()
def validate(
    folder: Annotated[Path, typer.Argument(help="the audit folder")],
    show: Annotated[int, typer.Option(help="row numbers to print per rule")] = 5,
) -> None:
    """Load and validate every input file, print a summary per kind, write data_quality.xlsx.

    Per file it says which sheet (Excel) or which encoding (CSV) was read. Every problem is
    listed even when a kind has more invalid rows than a run allows; the exit code is then
    2. Example: csat-audit validate audits/plant-1/2026-Q3
    """

    try:
        run = open_audit(folder)  # the register too: a run would stop on it
        data = load_audit(run.config, strict=False)
        written = write_data_quality(
            data.sources, data.problems, quarantine_tables(data), working_folder(data.config.folder).data_quality_xlsx,
            lang=data.config.audit.language,
        )  # fmt: skip
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    lang = data.config.audit.language
    with language(lang):
        for source in data.sources:
            _validated(source, [p for p in data.problems if p.kind == source.kind], show, lang)
        typer.echo(_("Every problem and quarantined row: {path}", path=written))
    stops = over_threshold(data)
    for line in stops:
        typer.echo(f"error: {line}", err=True)
    if stops:
        raise typer.Exit(2)


def _validated(source: SourceInfo, problems: list[Problem], show: int, lang: str) -> None:
    """``validate``'s lines for one file, in the audit's language (English keeps each rule's id)."""
    rules = Counter(p.rule for p in problems)
    where = source.path + (_(" (sheet '{sheet}')", sheet=source.sheet) if source.sheet else "")
    typer.echo(
        _(
            "{kind}: {where}: {read} rows read, {valid} valid, {quarantined} quarantined, {in_period} in the period",
            kind=kind_word(source.kind),
            where=where,
            read=fmt.count(source.rows_read),
            valid=fmt.count(source.rows_valid),
            quarantined=fmt.count(source.rows_quarantined),
            in_period=fmt.count(source.rows_in_period),
        )
    )
    if source.sheet:
        typer.echo(_("  read: {how}", how=_("sheet '{sheet}'", sheet=source.sheet)))
    elif source.encoding:
        typer.echo(_("  read: {how}", how=_("encoding {encoding}", encoding=source.encoding)))
    for note in source.notes:
        typer.echo(_("  note: {note}", note=note))
    for rule, count in rules.most_common():
        same = [p for p in problems if p.rule == rule]
        rows = ", ".join(str(p.row) for p in same[:show] if p.row is not None) + (", …" if count > show else "")
        first = same[0]
        kept = "" if first.quarantined else _(", reported only")
        counted = _(" × {count}{kept} (rows {rows}); first", count=fmt.count(count), kept=kept, rows=rows)
        at = ", ".join([_("row {row}", row=first.row), _("column '{column}'", column=first.column)])
        name = rule if lang == "en" else rule_label(rule)  # the id in English, which scripts look for
        typer.echo(
            _(
                "  {rule}{counted}: {at}: {message}",
                rule=name,
                counted=counted if count > 1 else kept,
                at=at,
                message=first.message,
            )
        )


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        typer.echo(f"error: unknown language '{language}'; use one of {', '.join(LANGUAGES)}", err=True)
        raise typer.Exit(2)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="the new audit folder, such as audits/plant-1/2026-Q4")],
    organisation: Annotated[str | None, typer.Option(help="the audited organisation")] = None,
    period: Annotated[
        str | None, typer.Option(help="the audited calendar quarter, such as 2026-Q4 (default: the current one)")
    ] = None,
    language: Annotated[str, typer.Option(help="audit.language of the new audit: en or zh-CN")] = "en",
) -> None:
    """Create an audit folder: a commented audit.yaml and Excel input templates in data/.

    Never overwrites: when audit.yaml or a template already exists it stops with exit code 2.

    Example: csat-audit init audits/plant-1/2026-Q4 --organisation "ACME Pumps Ltd"
    """

    _check_language(language)
    try:
        written = init_audit(folder, organisation=organisation, period=period, language=language)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    for path in written:
        typer.echo(str(path))
    typer.echo(f"next: fill in the workbooks in {folder / 'data'}, then run 'csat-audit validate {folder}'", err=True)


@app.command()
def new(
    period: Annotated[str, typer.Argument(help="the new calendar quarter, such as 2026-Q4")],
    source: Annotated[
        Path, typer.Option("--from", help="the audit folder to carry forward, such as audits/plant-1/2026-Q3")
    ],
    folder: Annotated[Path | None, typer.Option(help="the new folder (default: beside --from, named PERIOD)")] = None,
) -> None:
    """Create next quarter's audit folder with audit.yaml carried forward, and list the files to supply.

    Period, id, dates and data paths that contain the period are rolled; previous: points at
    the source; targets, owners and mappings are kept. Never overwrites (exit code 2).

    Example: csat-audit new 2026-Q4 --from audits/plant-1/2026-Q3
    """

    try:
        made = new_audit(period, source, folder)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    typer.echo(str(made.config))
    for old, rolled in made.rolled:
        typer.echo(f"  rolled {old} → {rolled}")
    if made.to_supply:
        typer.echo(f"files still to supply for {period}:")
        started = dict(made.copied)
        for path in made.to_supply:
            origin = started.get(path)
            if origin is None:
                typer.echo(f"  {path}")
            elif origin.is_relative_to(INPUT_TEMPLATES_DIR):
                typer.echo(f"  {path}  (a blank template: fill it in or replace it with the {period} export)")
            else:
                typer.echo(f"  {path}  (a copy of {origin}: replace it with the {period} export)")
    typer.echo(
        f"next: check audit.yaml (such as data.surveys.sent), then run 'csat-audit validate {made.folder}'", err=True
    )


@app.command()
def status(
    root: Annotated[Path, typer.Argument(help="the folder holding the sites' audit folders")] = Path("audits"),
) -> None:
    """Print every audit under ROOT: site, quarter, conclusion, findings by grade, open and overdue actions, draft or issued.

    Reads results.json, issue.json and each site's actions.xlsx; runs nothing.
    Example: csat-audit status audits
    """

    try:
        if not root.is_dir():
            raise ConfigError(f"{root}: no such folder; give the folder that holds the audits, such as audits")
        rows = audit_status(root)
        if not rows:
            raise ConfigError(f"{root}: no audit folders (folders holding audit.yaml) found")
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    typer.echo(status_table(rows))


@app.command()
def portfolio(
    root: Annotated[Path, typer.Argument(help="the folder holding the sites' audit folders")] = Path("audits"),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="the PDF to write (default: ROOT/portfolio.pdf)")
    ] = None,
) -> None:
    """Write the portfolio PDF: a cross-site scorecard, then one page per site (each site's newest audit).

    Reads results.json files only. Example: csat-audit portfolio audits -o portfolio.pdf
    """

    try:
        written = write_portfolio(root, out or root / "portfolio.pdf")
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    typer.echo(str(written))


@app.command()
def finalize(
    folder: Annotated[Path, typer.Argument(help="the audit folder whose newest revision is issued")],
    by: Annotated[
        str | None, typer.Option(help="who issues the report (default: the lead auditor in audit.yaml)")
    ] = None,
) -> None:
    """Issue the audit's report: record its sha256, date and issuer in issue.json, make its files read-only.

    A later run of the folder writes the next revision (report-r2.pdf …) and never touches
    this one. Example: csat-audit finalize audits/plant-1/2026-Q3 --by "Li Na"
    """

    try:
        issue = issue_report(folder, by=by)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    typer.echo(
        f"issued revision {issue.revision}: {folder / issue.report} (sha256 {issue.sha256[:12]}…) by {issue.by} on {issue.issued_on}"
    )


@app.command()
def demo(
    root: Annotated[Path, typer.Option(help="where to write the demo organisation")] = Path("audits/demo"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress lines on stderr")] = False,
    sites: Annotated[
        int, typer.Option(min=1, help="sites to write (plant-1, plant-2 … under ROOT), each with its own data")
    ] = 1,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="sites run at once, in separate processes")] = 1,
    language: Annotated[str, typer.Option(help="the report's language: en or zh-CN")] = "en",
) -> None:
    """Write the demo organisation's data and audit.yaml, run its audit, print the PDF's path.

    With --sites N, writes ROOT/plant-1/2026-Q3 … ROOT/plant-N/2026-Q3 (each site drawn from
    its own seed) and runs them like 'run --jobs'. Example: csat-audit demo --sites 4 --jobs 2
    """

    _check_language(language)
    if sites > 1:
        try:
            folders = write_demo_sites(root, sites)
        except Exception as exc:  # noqa: BLE001
            _fail(exc)
        run(list(folders), quiet=quiet, jobs=jobs)
        return
    try:
        folder = write_demo(root, language=language)
        result = run_audit(folder, progress=not quiet)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    typer.echo(str(result.pdf))


def main() -> None:
    """Entry point for ``python -m audit``."""
    sys.exit(app())


if __name__ == "__main__":  # pragma: no cover
    main()
