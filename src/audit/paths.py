"""Where the project's own files live, and the names of every file an audit writes.

Nothing here depends on the current working directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["PROJECT_ROOT", "TEMPLATES_DIR", "NOTEBOOK", "AuditFolder"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = PROJECT_ROOT / "templates"
REPORT_TEMPLATE_DIR = TEMPLATES_DIR / "report"
NOTEBOOK = PROJECT_ROOT / "notebooks" / "customer_satisfaction_audit.ipynb"


@dataclass(frozen=True)
class AuditFolder:
    """The files of one audit folder (``audits/<site>/<period>/``)."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "audit.yaml"

    @property
    def notebook(self) -> Path:
        """The executed notebook: the auditor's working paper."""
        return self.root / "audit.ipynb"

    @property
    def report_html(self) -> Path:
        return self.root / "report.html"

    @property
    def report_pdf(self) -> Path:
        return self.root / "report.pdf"

    @property
    def results(self) -> Path:
        return self.root / "results.json"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def data_quality_xlsx(self) -> Path:
        """Every data-quality problem and every quarantined row."""
        return self.root / "data_quality.xlsx"

    @property
    def findings_xlsx(self) -> Path:
        return self.root / "findings.xlsx"
