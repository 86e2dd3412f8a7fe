"""The snapshot of an audit, taken at the end of the notebook: what the runner writes every output from."""

from __future__ import annotations

import datetime as dt
import os

from audit.assessment.evidence import evidence_of
from audit.data.dataset import AuditData
from audit.data.quality import quarantine_tables
from audit.exceptions import HANDOFF_ENV
from audit.model import Assessment, AuditSnapshot, KpiTable

__all__ = ["HANDOFF_MIME", "hand_over", "snapshot"]

#: the MIME type of the hand-over output (removed from the working paper before it is saved)
HANDOFF_MIME = "application/vnd.csat-audit.snapshot+json"


def snapshot(data: AuditData, kpis: KpiTable, assessment: Assessment) -> AuditSnapshot:
    """Everything the audit computed, as one object (results.json is its :meth:`~AuditSnapshot.dump`).

    Example (the notebook's last cell):
        >>> audit.snapshot(data, kpis, assessment)     # doctest: +SKIP
    """
    return AuditSnapshot(
        config=data.config,
        kpis=kpis,
        assessment=assessment,
        sources=data.sources,
        problems=data.problems,
        evidence=evidence_of(data, assessment, data.config.outputs.evidence_rows),
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        load_seconds=dict(data.timings),
        quarantine=quarantine_tables(data),
    )


def hand_over(snapshot: AuditSnapshot) -> AuditSnapshot:
    """Give the snapshot to ``csat-audit run`` (as an output of the notebook's last cell), and return it.

    Outside a run (the working paper opened in JupyterLab) nothing is handed over: the
    snapshot is only shown. Nothing is written either way.
    """
    if os.environ.get(HANDOFF_ENV) == "1":
        from IPython.display import publish_display_data

        publish_display_data({HANDOFF_MIME: snapshot.to_dict(with_quarantine=True), "text/plain": ""})
    return snapshot
