"""The KPIs of the site's earlier audits, for the trends of quarters the data no longer covers."""

from __future__ import annotations

from pathlib import Path

from audit.cycle.revisions import latest_folder
from audit.exceptions import AuditError
from audit.model import AuditSnapshot, EarlierKpis

__all__ = ["earlier_results"]


def earlier_results(root: Path) -> EarlierKpis:
    """KPIs of the site's earlier audits, by period label: each sibling folder's newest results.

    The site folder is the audit folder's parent (``audits/<site>/<period>/``). A folder
    whose results cannot be read is skipped: history is a help, not a requirement.

    Returns:
        ``{"2026-Q2": {"csat_mean": {"value": …, "n": …, "ci_low": …, "ci_high": …}, …}, …}``
        (each KPI as results.json holds it), without the audit's own period.
    """
    root = Path(root).resolve()
    found: EarlierKpis = {}
    for sibling in sorted(p for p in root.parent.iterdir() if p.is_dir() and p != root):
        latest = latest_folder(sibling)
        if latest is None:
            continue
        try:
            snapshot = AuditSnapshot.load(latest.results)
        except AuditError:
            continue
        found.setdefault(snapshot.period, snapshot.kpis.to_dict())
    return found
