"""manifest.json: what a run read (inputs with sha256 and row counts), with what, and how long it took."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import platform
from pathlib import Path
from typing import Any

from audit.io import write_json
from audit.lockinfo import lock_fingerprint
from audit.model import AuditSnapshot
from audit.paths import AuditFolder

__all__ = ["PACKAGES", "write_manifest"]

#: packages whose versions the manifest records
PACKAGES = (
    "csat-audit",
    "pandas",
    "numpy",
    "pyarrow",
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


def _versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def write_manifest(
    folder: AuditFolder, snapshot: AuditSnapshot, parameters: dict[str, Any], timings: dict[str, float]
) -> Path:
    """Write manifest.json: inputs with sha256 and rows, parameters, versions, timings per stage."""
    manifest = {
        "audit_id": snapshot.config.audit.id,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs": [s.to_dict() for s in snapshot.sources],
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
    return write_json(folder.manifest, manifest)
