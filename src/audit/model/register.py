"""The site's action register as the tool knows it: entries, and verdicts on closed actions.

Read and written by :mod:`audit.cycle.register`; the follow-up checks read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from audit.i18n import N_, _

__all__ = [
    "NOT_YET",
    "STATUSES",
    "STATUS_WORDS",
    "VERIFICATION_WORDS",
    "Entry",
    "Register",
    "Verification",
    "status_word",
]

#: an action's status: people set the first four; the tool sets ``withdrawn`` when the finding it was raised
#: for is no longer raised by a later run of the same audit (it never deletes a row)
STATUSES = ("open", "in progress", "closed", "cancelled", "withdrawn")
NOT_YET = "not yet verified"
#: each status as a sentence names it (English message ids)
_STATUS_WORDS = {
    "open": N_("open"),
    "in progress": N_("in progress"),
    "closed": N_("closed"),
    "cancelled": N_("cancelled"),
    "withdrawn": N_("withdrawn"),
}

STATUS_WORDS = _STATUS_WORDS
#: each verdict on a closed action, as the register names it (English message ids)
VERIFICATION_WORDS = {
    "effective": N_("effective"),
    "not effective": N_("not effective"),
    NOT_YET: N_("not yet verified"),
}


def status_word(status: str) -> str:
    """An action's status inside a sentence, in the current language (``open``, ``未关闭``)."""
    return _(_STATUS_WORDS[status]) if status in _STATUS_WORDS else status


@dataclass(frozen=True)
class Entry:
    """One row of the register: an action, as raised and as people have kept it since.

    ``subject`` is what the action is about (:mod:`audit.assessment.subjects`): the key that
    keeps one action per subject across re-runs, revisions and quarters. ``last_raised_in``
    is the audit that last raised it, and ``withdrawn_reason`` why the tool withdrew it.
    """

    id: str
    subject: str = ""
    raised_in: str = ""
    period: str = ""
    raised_on: dt.date | None = None
    finding_id: str = ""
    check: str = ""
    clause: str = ""
    grade: str = ""
    description: str = ""
    type: str = ""
    owner_role: str = ""
    owner: str = ""
    due: dt.date | None = None
    success_measure: str = ""
    kpi_id: str = ""
    target: float | None = None
    baseline: float | None = None
    status: str = "open"
    closed_on: dt.date | None = None
    notes: str = ""
    verification: str = NOT_YET
    verified_value: float | None = None
    verified_in: str = ""
    last_raised_in: str = ""
    withdrawn_reason: str = ""
    last_changed: dt.date | None = None

    @property
    def is_open(self) -> bool:
        """Open or in progress: still to be done."""
        return self.status in {"open", "in progress"}

    def raised_by(self, audit_id: str) -> bool:
        """Whether the audit raised it, first or last (a later quarter may raise an earlier action again)."""
        return audit_id in {self.raised_in, self.last_raised_in}

    def overdue_on(self, day: dt.date) -> bool:
        """Still to be done after its due date (an action due on ``day`` itself is not yet overdue)."""
        return self.is_open and self.due is not None and self.due < day


@dataclass(frozen=True)
class Register:
    """The register as read at the start of an audit.

    Attributes:
        path: the workbook.
        entries: its rows.
        organisation, site: whose register it is (empty in a register written before it recorded them).
        deleted: rows people deleted, as the tool last saved them (their ids are not used again).
    """

    path: Path
    entries: tuple[Entry, ...]
    organisation: str = ""
    site: str = ""
    deleted: tuple[Entry, ...] = ()

    def get(self, action_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == action_id), None)

    def __repr__(self) -> str:
        """A line without the folder (the working paper names no machine path)."""
        return f"<Register {Path(self.path).name}: {len(self.entries)} actions>"

    def _repr_html_(self) -> str:
        from audit.report.tables import register_html

        return register_html(self)


@dataclass(frozen=True)
class Verification:
    """What this audit concluded about a closed action's success measure.

    Attributes:
        action_id: the register id.
        verdict: ``effective``, ``not effective`` or ``not yet verified``.
        value: the KPI value in this audit that decided it.
        reason: one sentence for the finding's evidence.
    """

    action_id: str
    verdict: Literal["effective", "not effective", "not yet verified"]
    value: float | None
    reason: str
