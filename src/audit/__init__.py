"""csat-audit: audit customer-satisfaction monitoring against ISO 9001:2015 9.1.2.

The names a notebook or a user needs::

    run = open_audit("audits/plant-1/2026-Q3")    # audit.yaml, the site's register, earlier results
    data = load_audit(run.config)
    kpis = compute_kpis(data, earlier=run.earlier)
    assessment = assess(data, kpis, register=run.register)
    hand_over(snapshot(data, kpis, assessment))   # what ``csat-audit run`` writes every output from
    run_audit("audits/plant-1/2026-Q3")           # the whole run: notebook, results, register, report
"""

from audit.assessment import assess
from audit.assessment.snapshot import hand_over, snapshot
from audit.cycle.context import open_audit
from audit.data.dataset import load_audit
from audit.exceptions import AuditError
from audit.kpi import compute_kpis
from audit.model import AuditSnapshot
from audit.runner import run_audit

__version__ = "0.1.0"

__all__ = [
    "AuditError",
    "AuditSnapshot",
    "__version__",
    "assess",
    "compute_kpis",
    "hand_over",
    "load_audit",
    "open_audit",
    "run_audit",
    "snapshot",
]
