"""Stable action identity: one action per subject, kept by its id across re-runs, revisions and quarters.

The register (``audits/<site>/actions.xlsx``) is the memory. For each subject this audit
raises an action on, the action's id is, in this order:

1. the id of the action **this audit** raised on the subject before (an earlier run of the
   same draft, or a revision after finalize): the re-run updates it;
2. the id of an action an **earlier audit** raised on the subject that is still open or in
   progress: the problem is the same, so is the action (the later quarter updates it);
3. the id of a row people **deleted** that this audit had raised on the subject, so that it
   is not added back;
4. otherwise a new id, ``A-<n>``, the next number in the site's register.

A subject's action raised by this audit that no finding of this run calls for any more is
withdrawn by the register update (:mod:`audit.cycle.register`), never deleted.

Example:
    >>> ids = action_ids(["complaint_timeliness"], register, "ACME-P1-2026-Q4")   # doctest: +SKIP
    >>> ids["complaint_timeliness"].id                                            # doctest: +SKIP
    'A-03'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from audit.model import Entry, Register

__all__ = ["NUMBERED", "Identity", "action_ids"]

#: an action id the tool numbered: ``A-07``, or an older register's ``ACME-P1-2026-Q3/A-07``
NUMBERED = re.compile(r"(?:^|/)A-(\d+)$")


@dataclass(frozen=True)
class Identity:
    """An action's id, the register row it continues (None for a new action), and the earlier audit it comes from.

    ``carried_from`` is the audit that first raised it when that is an earlier audit ("" when
    this audit raised it, in this run or an earlier one).
    """

    id: str
    entry: Entry | None = None
    carried_from: str = ""


def action_ids(subjects: Sequence[str], register: Register | None, audit_id: str) -> dict[str, Identity]:
    """Each subject's action id (rules in the module docstring), new ones numbered in ``subjects`` order."""
    entries = register.entries if register is not None else ()
    deleted = register.deleted if register is not None else ()
    taken = {e.id for e in (*entries, *deleted)}
    numbers = [int(m[1]) for i in taken if (m := NUMBERED.search(i))]
    following = max(numbers, default=0) + 1
    out: dict[str, Identity] = {}
    for subject in subjects:
        same = [e for e in entries if e.subject == subject]
        mine = [e for e in same if e.raised_by(audit_id)]
        carried = [e for e in same if e.is_open and not e.raised_by(audit_id)]
        gone = [e for e in deleted if e.subject == subject and e.raised_by(audit_id)]
        candidates = mine or carried or gone
        match = candidates[-1] if candidates else None
        if match is not None:
            earlier = match.raised_in if match.raised_in != audit_id else ""
            out[subject] = Identity(match.id, match if match in entries else None, earlier)
            continue
        while f"A-{following:02d}" in taken:
            following += 1
        out[subject] = Identity(f"A-{following:02d}")
        taken.add(out[subject].id)
        following += 1
    return out
