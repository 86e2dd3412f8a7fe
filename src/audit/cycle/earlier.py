"""The KPIs of the site's earlier audits, for trends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from audit.cycle.revisions import latest_folder

# ---------------------------------------------------------------- earlier audits


def earlier_results(root: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """KPIs of the site's earlier audits, by period label: each sibling folder's newest results.

    The site folder is the audit folder's parent (``audits/<site>/<period>/``). A folder
    whose results cannot be read is skipped: history is a help, not a requirement.

    Returns:
        ``{"2026-Q2": {"csat_mean": {"value": …, "n": …, "ci_low": …, "ci_high": …}, …}, …}``,
        without the audit's own period.
    """
    root = Path(root).resolve()
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for sibling in sorted(p for p in root.parent.iterdir() if p.is_dir() and p != root):
        latest = latest_folder(sibling)
        if latest is None:
            continue
        try:
            payload = json.loads(latest.results.read_text(encoding="utf-8"))
            found.setdefault(str(payload["audit"]["period"]), dict(payload["kpis"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found
