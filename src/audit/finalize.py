"""Issue an audit's report: render it without the DRAFT mark, record it, make it read-only."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import stat
from dataclasses import asdict
from pathlib import Path

from audit.cycle.lock import folder_lock
from audit.cycle.revisions import Issue, issues, working_folder
from audit.exceptions import ConfigError
from audit.io import sha256_of

READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


# ---------------------------------------------------------------- finalize


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
        files = {p.name: sha256_of(p) for p in target.outputs if p.exists()}
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
