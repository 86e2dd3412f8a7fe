"""The audit's data: every kind read, mapped, validated and split by period."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from audit.config import AuditConfig, load_config
from audit.results import Problem, SourceInfo

__all__ = ["AuditData", "load_audit"]


@dataclass(frozen=True)
class AuditData:
    """Everything loaded for one audit.

    Attributes:
        config: the checked audit.yaml.
        frames: per kind, the valid rows of the audited period, with our column names
            (see audit.data.contract) plus ``_row`` (the row number as shown in Excel).
        history: per kind, the valid rows of every period up to the end of the audited
            one (used for trends and for lost customers).
        problems: every data-quality problem found.
        sources: one entry per input file.
    """

    config: AuditConfig
    frames: dict[str, pd.DataFrame]
    history: dict[str, pd.DataFrame]
    problems: tuple[Problem, ...] = ()
    sources: tuple[SourceInfo, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)

    def has(self, kind: str) -> bool:
        """Whether the kind was supplied (it may still have no rows in the period)."""
        return kind in self.frames


def load_audit(folder: Path | str) -> AuditData:
    """Read audit.yaml and every data file it names, validating as it goes.

    Raises:
        ConfigError: audit.yaml is missing or invalid.
        InputFileError: a file is missing, unreadable, empty or lacks a mapped column.
        TooManyInvalidRows: a kind has more invalid rows than ``validation.max_invalid_pct``.
    """
    raise NotImplementedError
