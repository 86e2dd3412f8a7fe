"""``csat-audit status``: every audit under a root, site by site and quarter by quarter.

Reads results.json (the newest revision of each folder), issue.json and each site's action
register; never runs anything.

Example:
    >>> print(status_table(audit_status(Path("audits"))))     # doctest: +SKIP
    site     quarter  conclusion           major minor obs ofi  open overdue  state
    plant-1  2026-Q3  partially effective      1     3   2   1     7       0  issued rev 1
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from audit.cycle.register import read_register
from audit.cycle.revisions import issues, latest_folder
from audit.exceptions import AuditError
from audit.model import AuditSnapshot

__all__ = ["AuditStatus", "audit_status", "status_table"]

#: grades counted in the table, in its column order, with their headings
COUNTED = {"major": "major", "minor": "minor", "observation": "obs", "ofi": "ofi"}


@dataclass(frozen=True)
class AuditStatus:
    """One audit folder's state.

    Attributes:
        site: the site folder, relative to the root.
        period: the audited quarter (from results.json, else the folder name).
        folder: the audit folder.
        conclusion: the overall conclusion, None when not run.
        grades: number of findings by grade.
        open_actions: actions raised by this audit still open (register status open or in progress).
        overdue_actions: those of them past their due date.
        state: ``not run``, ``draft rev N`` or ``issued rev N``.
        problem: why the folder's results or register could not be read, if so.
        snapshot: the newest revision's results, when they could be read.
    """

    site: str
    period: str
    folder: Path
    conclusion: str | None = None
    grades: dict[str, int] = field(default_factory=dict)
    open_actions: int = 0
    overdue_actions: int = 0
    state: str = "not run"
    problem: str = ""
    snapshot: AuditSnapshot | None = None


def _audit_folders(root: Path) -> list[Path]:
    return sorted(
        p.parent
        for p in root.rglob("audit.yaml")
        if not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def _one(root: Path, folder: Path, today: dt.date) -> AuditStatus:
    site = folder.parent.relative_to(root).as_posix() if folder != root else "."
    site = root.name if site == "." else site
    latest = latest_folder(folder)
    if latest is None:
        return AuditStatus(site, folder.name, folder)
    try:
        snapshot = AuditSnapshot.load(latest.results)
        issued = {i.revision for i in issues(folder)}
    except AuditError as exc:
        return AuditStatus(site, folder.name, folder, state="unreadable", problem=str(exc))
    grades = {g: snapshot.assessment.count(g) for g in COUNTED}
    state = f"{'issued' if latest.revision in issued else 'draft'} rev {latest.revision}"
    open_actions = overdue = 0
    problem = ""
    try:
        register = read_register(latest.action_register)
    except AuditError as exc:
        register, problem = None, str(exc)
    info = snapshot.config.audit
    if register is not None:
        mine = [e for e in register.entries if e.raised_by(info.id) and e.is_open]
        open_actions = len(mine)
        overdue = sum(e.overdue_on(today) for e in mine)
    return AuditStatus(
        site,
        info.period_label or folder.name,
        folder,
        snapshot.assessment.conclusion,
        grades,
        open_actions,
        overdue,
        state,
        problem,
        snapshot,
    )


def audit_status(root: Path | str, *, today: dt.date | None = None) -> list[AuditStatus]:
    """The state of every audit folder (a folder holding audit.yaml) under ``root``.

    Args:
        root: such as ``audits/``; sites are its sub-folders, quarters theirs.
        today: the date that decides whether an open action is overdue.

    Returns:
        One row per audit folder, by site then quarter.
    """
    top = Path(root).resolve()
    day = today or dt.date.today()
    rows = [_one(top, folder, day) for folder in _audit_folders(top)]
    return sorted(rows, key=lambda r: (r.site, r.period))


def status_table(rows: list[AuditStatus]) -> str:
    """The rows as an aligned text table (a line per audit, then notes on unreadable files)."""
    head = ["site", "quarter", "conclusion", *COUNTED.values(), "open", "overdue", "state"]
    body = [
        [
            r.site,
            r.period,
            (r.conclusion or "–").replace("_", " "),
            *(str(r.grades.get(g, 0)) if r.conclusion else "–" for g in COUNTED),
            *(str(n) if r.conclusion else "–" for n in (r.open_actions, r.overdue_actions)),
            r.state,
        ]
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    numeric = set(range(3, 3 + len(COUNTED) + 2))

    def fmt(line: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(line, widths))
        ).rstrip()

    notes = [f"note: {r.folder}: {r.problem}" for r in rows if r.problem]
    return "\n".join([fmt(head), *map(fmt, body), *notes])
