"""Audit folders over time: lock, staging, revisions, the action register, earlier audits.

An audit folder (``audits/<site>/<period>/``) is re-run until its report is issued with
``csat-audit finalize``; the site folder (``audits/<site>/``) holds the action register
that its audits share. This package keeps that safe:

* **Lock** (:mod:`.lock`). A run (or finalize) holds ``.audit.lock`` (pid, host, time) while
  it works; a second one stops with :class:`~audit.exceptions.FolderLocked`. A lock left
  by a process that no longer runs on this host is taken over, with a note on stderr.
* **Staging** (:mod:`.staging`). A run builds every output in ``.audit.staging/`` and moves
  the files into the folder only when all of them are written, with SIGTERM and SIGINT
  held back for those few renames. An interrupted run leaves the previous outputs as
  they were.
* **Revisions** (:mod:`.revisions`). ``finalize`` records the issued revision in
  ``issue.json`` and makes its files read-only. A later run writes the next revision
  (``report-r2.pdf`` …, named by :class:`audit.paths.AuditFolder`), never over an issued one.
* **Register** (:mod:`.register`), **earlier results** (:mod:`.earlier`), **changes since
  the issued revision** (:mod:`.changes`), **next quarter** (:mod:`.carry`) and the
  **status** of every audit under a root (:mod:`.status`).

Example:
    >>> with folder_lock(root), stop_on_signals(root):         # doctest: +SKIP
    ...     target = working_folder(root)
    ...     staging = fresh_staging(target)
    ...     ...                                                # write staging's outputs
    ...     publish(staging, target)
"""

from audit.cycle.changes import changes_between, changes_since_issue
from audit.cycle.earlier import earlier_results
from audit.cycle.lock import excel_owner, folder_lock, kill_new_children, site_lock, stop_on_signals
from audit.cycle.revisions import Issue, Revision, issued_revision, issues, latest_folder, revision_of, working_folder
from audit.cycle.staging import discard, fresh_staging, publish

__all__ = [
    "Issue",
    "Revision",
    "changes_between",
    "changes_since_issue",
    "discard",
    "earlier_results",
    "excel_owner",
    "folder_lock",
    "fresh_staging",
    "issued_revision",
    "issues",
    "kill_new_children",
    "latest_folder",
    "publish",
    "revision_of",
    "site_lock",
    "stop_on_signals",
    "working_folder",
]
