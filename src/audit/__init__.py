"""csat-audit: audit customer-satisfaction monitoring against ISO 9001:2015 9.1.2.

The names a notebook or a user needs::

    run = open_audit("audits/plant-1/2026-Q3")    # audit.yaml, the site's register, earlier results
    data = load_audit(run.config)
    kpis = compute_kpis(data, earlier=run.earlier)
    assessment = assess(data, kpis, register=run.register)
    hand_over(snapshot(data, kpis, assessment))   # what ``csat-audit run`` writes every output from
    run_audit("audits/plant-1/2026-Q3")           # the whole run: notebook, results, register, report

Each name is imported when first used (PEP 562), so that ``import audit.config`` or the
command line's start does not pay for pandas, the KPIs and the report.
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from audit.assessment import assess as assess
    from audit.assessment.snapshot import hand_over as hand_over
    from audit.assessment.snapshot import snapshot as snapshot
    from audit.cycle.context import open_audit as open_audit
    from audit.data.dataset import load_audit as load_audit
    from audit.exceptions import AuditError as AuditError
    from audit.kpi import compute_kpis as compute_kpis
    from audit.model import AuditSnapshot as AuditSnapshot
    from audit.runner import run_audit as run_audit

__version__ = "0.1.0"

#: each public name and the module it comes from
_WHERE = {
    "AuditError": "audit.exceptions",
    "AuditSnapshot": "audit.model",
    "assess": "audit.assessment",
    "compute_kpis": "audit.kpi",
    "hand_over": "audit.assessment.snapshot",
    "load_audit": "audit.data.dataset",
    "open_audit": "audit.cycle.context",
    "run_audit": "audit.runner",
    "snapshot": "audit.assessment.snapshot",
}

__all__ = ["__version__", *sorted(_WHERE)]


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module 'audit' has no attribute {name!r}")
    value = getattr(_importlib.import_module(_WHERE[name]), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
