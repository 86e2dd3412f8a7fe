"""results.json and manifest.json: the machine-readable record of an audit run."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import platform
import tempfile
from pathlib import Path
from typing import Any

from audit.data.dataset import AuditData
from audit.lockinfo import lock_fingerprint
from audit.paths import AuditFolder
from audit.results import Assessment, KpiTable

__all__ = ["results_dict", "save_results", "write_json", "write_manifest"]

RESULTS_VERSION = 1
PACKAGES = (
    "csat-audit",
    "pandas",
    "numpy",
    "pandera",
    "pydantic",
    "scipy",
    "matplotlib",
    "papermill",
    "nbconvert",
    "weasyprint",
    "python-calamine",
    "openpyxl",
)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    """Write JSON atomically: to a temporary file beside ``path``, then rename."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(payload, out, ensure_ascii=False, indent=2, sort_keys=False)
        out.write("\n")
    os.replace(temporary, path)


def results_dict(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    """Everything a later audit or another tool needs, as plain data."""
    info = data.config.audit
    return {
        "version": RESULTS_VERSION,
        "audit": {
            "id": info.id,
            "organisation": info.organisation,
            "site": info.site,
            "period": info.period_label,
            "start": info.period_start.isoformat(),
            "end": info.period_end.isoformat(),
            "date": info.audit_date.isoformat(),
            "criteria": info.criteria,
        },
        "conclusion": assessment.conclusion,
        "conclusion_reason": assessment.conclusion_reason,
        "kpis": kpis.to_dict(),
        "analyses": kpis.analyses.to_dict(),
        "findings": [f.to_dict() for f in assessment.findings],
        "actions": [a.to_dict() for a in assessment.actions],
        "data_quality": {
            "sources": [s.to_dict() for s in data.sources],
            "problems": [p.to_dict() for p in data.problems],
            "quarantined_rows": sum(s.rows_quarantined for s in data.sources),
        },
        "periods_compared": list(kpis.period_labels),
        "run": {"generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "load_seconds": data.timings},
    }


def save_results(
    data: AuditData,
    kpis: KpiTable,
    assessment: Assessment,
    *,
    today: dt.date | None = None,
    out: Path | str | None = None,
) -> Path:
    """Write results.json, findings.xlsx and data_quality.xlsx, then update the site's action register.

    The files are named for the revision being written (``results-r2.json`` once revision 1
    was issued; see :mod:`audit.audits`). The register (``audits/<site>/actions.xlsx``)
    gets this audit's new actions and the verdicts on earlier closed actions (see
    docs/assessment.md, "Action register").

    Args:
        today: the date of the register's History rows; defaults to today.
        out: the folder that receives the files; defaults to the audit folder
            (``csat-audit run`` passes its staging folder).

    Returns:
        results.json's path.
    """
    from audit.assessment.actions import register_entries
    from audit.assessment.followup import verify
    from audit.assessment.register import update_register
    from audit.audits import working_folder
    from audit.report.findings_xlsx import write_findings
    from audit.report.xlsx import write_data_quality

    folder = working_folder(data.config.folder)
    if out is not None:
        folder = AuditFolder(Path(out), folder.revision)
    write_json(folder.results, results_dict(data, kpis, assessment))
    write_findings(data, kpis, assessment, folder.findings_xlsx)
    write_data_quality(data, folder.data_quality_xlsx)
    day = today or dt.date.today()
    update_register(
        AuditFolder(data.config.folder).action_register,
        data.config.audit.id,
        register_entries(assessment, kpis, data.config, day),
        verify(data.register, kpis, data.config),
        day,
    )
    return folder.results


def _versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def write_manifest(
    folder: AuditFolder, results: dict[str, Any], parameters: dict[str, Any], timings: dict[str, float]
) -> Path:
    """Write manifest.json: inputs with sha256 and rows, parameters, versions, timings per stage."""
    manifest = {
        "audit_id": results["audit"]["id"],
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs": results["data_quality"]["sources"],
        "outputs": {
            name: path.name
            for name, path in (
                ("notebook", folder.notebook),
                ("report_pdf", folder.report_pdf),
                ("report_html", folder.report_html),
                ("results", folder.results),
            )
            if path.exists()
        },
        "parameters": parameters,
        "versions": {"python": platform.python_version(), **_versions()},
        "lock": lock_fingerprint(),
        "timings_seconds": {k: round(v, 3) for k, v in timings.items()},
    }
    write_json(folder.manifest, manifest)
    return folder.manifest
