"""Issued revisions of an audit folder (issue.json) and the revision a run writes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from audit.exceptions import ConfigError
from audit.paths import AuditFolder

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
        is_final: whether this rendering is the issued one (``finalize``), without the DRAFT mark.
        changes: what changed since ``issued`` (see :func:`audit.cycle.changes.changes_since_issue`).
    """

    number: int
    issued: Issue | None = None
    is_final: bool = False
    changes: tuple[str, ...] = ()


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
