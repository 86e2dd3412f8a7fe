"""The site's action register as the tool knows it: entries, and verdicts on closed actions.

Read and written by :mod:`audit.cycle.register`; the follow-up checks read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["NOT_YET", "STATUSES", "Entry", "Register", "Verification"]

STATUSES = ("open", "in progress", "closed", "cancelled")
NOT_YET = "not yet verified"


@dataclass(frozen=True)
class Entry:
    """One row of the register: an action, as raised and as people have kept it since."""

    id: str
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
    last_changed: dt.date | None = None

    @property
    def is_open(self) -> bool:
        """Open or in progress: still to be done."""
        return self.status in {"open", "in progress"}

    def overdue_on(self, day: dt.date) -> bool:
        """Still to be done after its due date (an action due on ``day`` itself is not yet overdue)."""
        return self.is_open and self.due is not None and self.due < day


@dataclass(frozen=True)
class Register:
    """The register as read at the start of an audit."""

    path: Path
    entries: tuple[Entry, ...]

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
