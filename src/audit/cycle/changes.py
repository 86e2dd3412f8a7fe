"""What changed between an issued revision and a later run of the same audit (the cover lists it)."""

from __future__ import annotations

from pathlib import Path

from audit import format as fmt
from audit.cycle.revisions import issues
from audit.exceptions import ConfigError
from audit.model import AuditSnapshot, Finding, Kpi
from audit.paths import AuditFolder

__all__ = ["changes_between", "changes_since_issue"]


def _shown(kpi: Kpi) -> str:
    return fmt.value(kpi.value, kpi.unit, kpi_id=kpi.id)


def changes_between(before: AuditSnapshot, after: AuditSnapshot) -> list[str]:
    """What changed from an issued revision to this run, one sentence per change.

    KPIs are compared by id as the report shows them; findings by check and title (their
    ids are renumbered on each run).
    """
    lines = []
    old = {k.id: k for k in before.kpis}
    new = {k.id: k for k in after.kpis}
    for kpi_id, now in new.items():
        then = old.get(kpi_id)
        if then is None:
            lines.append(f"{now.label}: new, {_shown(now)}")
        elif _shown(then) != _shown(now):
            lines.append(f"{now.label}: {_shown(then)} → {_shown(now)}")
    lines += [f"{old[kpi_id].label}: no longer reported" for kpi_id in old.keys() - new.keys()]

    def key(f: Finding) -> tuple[str, str]:
        return f.check, f.title

    was = {key(f): f for f in before.assessment.findings}
    now_found = {key(f): f for f in after.assessment.findings}
    lines += [f"Finding added: {f.title} ({f.grade_label})" for k, f in now_found.items() if k not in was]
    lines += [f"Finding removed: {f.title} ({f.grade_label})" for k, f in was.items() if k not in now_found]
    for k in now_found.keys() & was.keys():
        if now_found[k].grade != was[k].grade:
            lines.append(f"Finding regraded: {now_found[k].title}: {was[k].grade_label} → {now_found[k].grade_label}")
    if before.assessment.conclusion != after.assessment.conclusion:
        lines.insert(0, f"Conclusion: {before.assessment.conclusion_label} → {after.assessment.conclusion_label}")
    return lines


def changes_since_issue(root: Path, after: AuditSnapshot) -> tuple[str, ...]:
    """:func:`changes_between` the last issued revision of ``root`` and this run; empty if never issued."""
    done = issues(root)
    if not done:
        return ()
    path = AuditFolder(Path(root), done[-1].revision).results
    try:
        before = AuditSnapshot.load(path)
    except ConfigError:
        return (f"The issued revision's {path.name} cannot be read; changes are not listed.",)
    return tuple(changes_between(before, after))
