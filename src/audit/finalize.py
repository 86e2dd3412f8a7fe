"""Issue an audit's report: render it without the DRAFT mark, record it, make it read-only.

The issued PDF is an archival record: PDF/A-3b with results.json and manifest.json attached
byte for byte, an issue stamp on the cover (revision, date, issuer, the inputs' sha256) and
the sign-off names from audit.yaml.

``finalize`` reads the newest revision's results.json (the snapshot), renders the issued
report from it in the staging folder, and publishes report.html, report.pdf and issue.json
in one step; stopped half-way (SIGTERM, Ctrl-C) it leaves the draft and issue.json as they
were.

Example:
    >>> finalize("audits/plant-1/2026-Q3", by="Li Na").report     # doctest: +SKIP
    'report.pdf'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import json
import os
import stat
from pathlib import Path

from audit import cycle
from audit.cycle.changes import changes_since_issue
from audit.cycle.revisions import Issue, Revision, issues, working_folder
from audit.exceptions import ConfigError
from audit.io import sha256_of, write_text
from audit.model import AuditSnapshot
from audit.report.sections import ReportInput
from audit.report.sections.base import IssueStamp, inputs_sha256
from audit.runner import render_report

__all__ = ["READ_ONLY", "finalize"]

READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


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
        ConfigError: there is no report to issue (run first), the newest revision is
            already issued, or its results cannot be read.
        FolderLocked: a run is working on the folder.
        RunInterrupted: stopped by a signal; nothing was issued.
    """
    folder = Path(root).resolve()
    stopped = "finalize of {root} was stopped ({signal}); nothing was issued and the draft is unchanged"
    with cycle.folder_lock(folder, "finalize"), cycle.stop_on_signals(folder, stopped):
        target = working_folder(folder)
        if not target.report_pdf.exists():
            if target.revision > 1:
                raise ConfigError(
                    f"{folder}: revision {target.revision - 1} is already issued and no later revision was run; "
                    f"'csat-audit run {root}' writes revision {target.revision}"
                )
            raise ConfigError(f"{folder}: no report to issue yet; run 'csat-audit run {root}' first")
        missing = [p.name for p in target.outputs if not p.exists()]
        if missing:
            raise ConfigError(
                f"{folder}: {', '.join(missing)} of revision {target.revision} "
                f"{'is' if len(missing) == 1 else 'are'} missing; run 'csat-audit run {root}' again before issuing"
            )
        snapshot = AuditSnapshot.load(target.results)
        done = issues(folder)
        issuer = by or snapshot.config.audit.lead_auditor or getpass.getuser()
        issued_on = today or dt.date.today()
        revision = Revision(target.revision, done[-1] if done else None, True, changes_since_issue(folder, snapshot))
        stamp = IssueStamp(issued_on, issuer, inputs_sha256(snapshot.sources))
        staging = cycle.fresh_staging(target)
        try:
            # PDF/A-3b with results.json and manifest.json embedded byte for byte: the record archives itself
            render_report(
                ReportInput(snapshot, revision, stamp),
                staging,
                draft=False,
                attachments=(target.results, target.manifest),
            )
            rendered = {target.report_html.name: staging.report_html, target.report_pdf.name: staging.report_pdf}
            files = {p.name: sha256_of(rendered.get(p.name, p)) for p in target.outputs}
            issue = Issue(
                revision=target.revision,
                report=target.report_pdf.name,
                sha256=files[target.report_pdf.name],
                issued_on=issued_on.isoformat(),
                by=issuer,
                files=files,
            )
            record = staging.root / target.issue_record.name
            payload = {"issues": [dataclasses.asdict(i) for i in (*done, issue)]}
            write_text(record, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
            os.chmod(record, READ_ONLY)
            cycle.publish(staging, target, names=("report_html", "report_pdf"), extra=((record, target.issue_record),))
        finally:
            cycle.discard(staging)
        for name in files:
            os.chmod(folder / name, READ_ONLY)
    return issue
