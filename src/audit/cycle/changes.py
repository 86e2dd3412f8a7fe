"""What changed between an issued revision and a later run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from audit.cycle.revisions import issues
from audit.paths import AuditFolder

# ---------------------------------------------------------------- changes


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return "–" if value is None else str(value)


def changes_between(
    before: dict[str, Any],
    kpis: dict[str, dict[str, Any]],
    findings: list[dict[str, Any]],
    conclusion: str | None = None,
) -> list[str]:
    """What changed from an issued results.json to this run, one sentence per change.

    KPIs are compared by id at two decimals; findings by check and title (their ids are
    renumbered on each run).

    Args:
        before: the issued revision's results.json.
        kpis: this run's KPIs as in results.json (``id → {"label", "value", …}``).
        findings: this run's findings as in results.json.
        conclusion: this run's overall conclusion.
    """
    lines = []
    old_kpis: dict[str, dict[str, Any]] = before.get("kpis", {})
    for kpi_id, now in kpis.items():
        then = old_kpis.get(kpi_id)
        label = now.get("label") or kpi_id
        if then is None:
            lines.append(f"{label}: new, {_fmt(now.get('value'))}")
        elif _fmt(then.get("value")) != _fmt(now.get("value")):
            lines.append(f"{label}: {_fmt(then.get('value'))} → {_fmt(now.get('value'))}")
    for kpi_id in old_kpis.keys() - kpis.keys():
        lines.append(f"{old_kpis[kpi_id].get('label') or kpi_id}: no longer reported")

    def key(f: dict[str, Any]) -> tuple[Any, Any]:
        return f.get("check"), f.get("title")

    old = {key(f): f for f in before.get("findings", [])}
    new = {key(f): f for f in findings}
    lines += [
        f"Finding added: {f.get('title')} ({f.get('grade_label') or f.get('grade')})"
        for k, f in new.items()
        if k not in old
    ]
    lines += [
        f"Finding removed: {f.get('title')} ({f.get('grade_label') or f.get('grade')})"
        for k, f in old.items()
        if k not in new
    ]
    for k in new.keys() & old.keys():
        if new[k].get("grade") != old[k].get("grade"):
            lines.append(f"Finding regraded: {new[k].get('title')}: {old[k].get('grade')} → {new[k].get('grade')}")
    if conclusion is not None and before.get("conclusion") not in (None, conclusion):
        lines.insert(0, f"Conclusion: {before['conclusion']} → {conclusion}".replace("_", " "))
    return lines


def changes_since_issue(
    root: Path, kpis: dict[str, dict[str, Any]], findings: list[dict[str, Any]], conclusion: str | None = None
) -> list[str] | None:
    """:func:`changes_between` the last issued revision of ``root`` and this run; None if never issued."""
    done = issues(root)
    if not done:
        return None
    path = AuditFolder(Path(root), done[-1].revision).results
    try:
        before = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [f"The issued revision's {path.name} cannot be read; changes are not listed."]
    return changes_between(before, kpis, findings, conclusion)
