"""The snapshot of one audit: everything the run computed, as results.json holds it.

The notebook computes an :class:`AuditSnapshot` and hands it to the runner, which writes
every output from it (results.json, findings.xlsx, the register, the report); ``finalize``,
``status``, the portfolio and the next quarter read it back with :meth:`AuditSnapshot.load`.
Nothing reads results.json as raw JSON.

Example:
    >>> snapshot = AuditSnapshot.load(Path("audits/plant-1/2026-Q3/results.json"))   # doctest: +SKIP
    >>> snapshot.assessment.conclusion                                               # doctest: +SKIP
    'partially_effective'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.config import AuditConfig, load_config
from audit.exceptions import ConfigError
from audit.io import write_json
from audit.model._plain import from_plain, plain
from audit.model.data import Problem, SourceInfo
from audit.model.findings import Action, Assessment, ClauseVerdict, Finding, FollowUp, Question, Sample
from audit.model.kpis import Analyses, Coverage, Kpi, KpiTable
from audit.model.themes import ThemeSet

__all__ = ["RESULTS_VERSION", "AuditSnapshot", "Records", "Table"]

RESULTS_VERSION = 1


@dataclass(frozen=True)
class Records:
    """The rows of one kind behind a finding, in the order of its evidence ids.

    Attributes:
        kind: surveys, complaints, returns or orders.
        file: the file they come from, as named in audit.yaml.
        header: our column names, the id first.
        rows: the rows as text (dates ISO, blanks empty), at most the evidence limit of them.
        excel_rows: per row, its row number in the file as Excel shows it.
        total: how many evidence ids the finding has (the rows beyond the limit are counted here).
    """

    kind: str
    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    excel_rows: tuple[int, ...] = ()
    total: int = 0


@dataclass(frozen=True)
class Table:
    """Rows as found in a file (the quarantined ones): headers, cells as text, and each row's problems."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    excel_rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class AuditSnapshot:
    """One audit's results: configuration, KPIs, findings, actions, data quality and evidence.

    Attributes:
        config: audit.yaml as checked for the run (its audit date fixed).
        kpis: the KPIs, their analyses and the series behind the charts.
        assessment: findings, actions, the follow-up of earlier actions and the conclusion.
        sources: the input files read (sha256, rows read, valid, quarantined, in the period).
        problems: every data-quality problem found.
        evidence: per finding id, the records behind it (first rows; all ids are on the finding).
        generated_at: when the snapshot was taken (UTC, ISO 8601).
        load_seconds: seconds spent reading and validating each kind.
        quarantine: per kind, the quarantined rows as found (for data_quality.xlsx; not kept in
            results.json, which lists their problems).
    """

    config: AuditConfig
    kpis: KpiTable
    assessment: Assessment
    sources: tuple[SourceInfo, ...] = ()
    problems: tuple[Problem, ...] = ()
    evidence: dict[str, Records] = field(default_factory=dict)
    generated_at: str = ""
    load_seconds: dict[str, float] = field(default_factory=dict)
    quarantine: dict[str, Table] = field(default_factory=dict)

    @property
    def period(self) -> str:
        return self.config.audit.period_label

    @property
    def themes(self) -> dict[str, ThemeSet]:
        """The themes of the free text by source (computed with the KPIs: ``kpis.themes``)."""
        return self.kpis.themes

    def has(self, kind: str) -> bool:
        """Whether the kind was supplied (it may still have no rows in the period)."""
        return any(s.kind == kind for s in self.sources)

    def rows_in_period(self, kind: str) -> int:
        return sum(s.rows_in_period for s in self.sources if s.kind == kind)

    @property
    def quarantined_rows(self) -> int:
        return sum(s.rows_quarantined for s in self.sources)

    def __repr__(self) -> str:
        """A line, not every result and the configuration (which names the machine's folder)."""
        a = self.assessment
        return f"<AuditSnapshot {self.config.audit.id}: {len(a.findings)} findings, {len(a.actions)} actions, {a.conclusion}>"

    def _repr_html_(self) -> str:
        from audit.report.tables import snapshot_html

        return snapshot_html(self)

    def to_dict(self, *, with_quarantine: bool = False) -> dict[str, Any]:
        """results.json's content (with the quarantined rows too when handed from the notebook)."""
        info = self.config.audit
        out: dict[str, Any] = {
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
            "conclusion": self.assessment.conclusion,
            "conclusion_reason": self.assessment.conclusion_reason,
            "clauses": [c.to_dict() for c in self.assessment.clauses],
            "kpis": self.kpis.to_dict(),
            "analyses": self.kpis.analyses.to_dict(),
            "findings": [f.to_dict() for f in self.assessment.findings],
            "actions": [a.to_dict() for a in self.assessment.actions],
            "auditee_questions": [q.to_dict() for q in self.assessment.questions],
            "verification_sample": [s.to_dict() for s in self.assessment.samples],
            "data_quality": {
                "sources": [s.to_dict() for s in self.sources],
                "problems": [p.to_dict() for p in self.problems],
                "quarantined_rows": self.quarantined_rows,
            },
            "periods_compared": list(self.kpis.period_labels),
            "coverage": plain(self.kpis.coverage) if self.kpis.coverage is not None else None,
            "run": {"generated_at": self.generated_at, "load_seconds": self.load_seconds},
            "config": self.config.model_dump(mode="json"),
            "breakdowns": {name: [list(pair) for pair in pairs] for name, pairs in self.kpis.breakdowns.items()},
            "follow_up": plain(self.assessment.follow_up),
            "evidence": {key: plain(records) for key, records in self.evidence.items()},
            "themes": {source: themes.to_dict() for source, themes in self.kpis.themes.items()},
        }
        if with_quarantine:
            out["quarantine"] = {kind: plain(table) for kind, table in self.quarantine.items()}
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], folder: Path) -> AuditSnapshot:
        """The snapshot from :meth:`to_dict` data; ``folder`` is the audit folder it belongs to.

        Raises:
            KeyError, TypeError, ValueError: the data is not a snapshot of this version.
        """
        if "config" in data:
            config = AuditConfig.model_validate({**data["config"], "folder": folder})
        else:  # written before results.json kept its configuration: the folder's audit.yaml
            config = load_config(folder)
        kpis = KpiTable(
            tuple(Kpi.from_dict(k) for k in data["kpis"].values()),
            {name: tuple((str(a), float(b)) for a, b in pairs) for name, pairs in data.get("breakdowns", {}).items()},
            tuple(data.get("periods_compared", ())),
            from_plain(Analyses, data.get("analyses", {})),
            coverage=from_plain(Coverage, data["coverage"]) if data.get("coverage") else None,
            themes={source: ThemeSet.from_dict(t) for source, t in (data.get("themes") or {}).items()},
        )
        assessment = Assessment(
            tuple(from_plain(Finding, f) for f in data["findings"]),
            tuple(from_plain(Action, a) for a in data["actions"]),
            data["conclusion"],
            data["conclusion_reason"],
            from_plain(FollowUp, data.get("follow_up") or {}),
            tuple(from_plain(ClauseVerdict, c) for c in data.get("clauses", ())),
            tuple(from_plain(Question, q) for q in data.get("auditee_questions", ())),
            tuple(from_plain(Sample, s) for s in data.get("verification_sample", ())),
        )
        quality = data.get("data_quality", {})
        run = data.get("run", {})
        return cls(
            config,
            kpis,
            assessment,
            tuple(from_plain(SourceInfo, s) for s in quality.get("sources", ())),
            tuple(from_plain(Problem, p) for p in quality.get("problems", ())),
            {k: from_plain(Records, v) for k, v in data.get("evidence", {}).items()},
            str(run.get("generated_at", "")),
            {k: float(v) for k, v in (run.get("load_seconds") or {}).items()},
            {k: from_plain(Table, v) for k, v in (data.get("quarantine") or {}).items()},
        )

    def dump(self, path: Path) -> Path:
        """Write results.json (atomically)."""
        return write_json(path, self.to_dict())

    @classmethod
    def load(cls, path: Path) -> AuditSnapshot:
        """Read a results.json written by :meth:`dump`.

        Raises:
            ConfigError: the file cannot be read, is not JSON, or is not a snapshot (the
                message names the file and says to run the audit again).
        """
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != RESULTS_VERSION:
                raise ValueError(f"version {data.get('version')!r}, this tool writes {RESULTS_VERSION}")
            return cls.from_dict(data, path.parent.resolve())
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}"
            raise ConfigError(
                f"{path} cannot be read as the results of an audit ({reason}); run the audit again to rewrite it",
                path,
            ) from None
