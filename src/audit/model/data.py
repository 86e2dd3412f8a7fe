"""What reading the input files found: data-quality problems and the sources read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit.i18n import _
from audit.model._plain import plain_fields

__all__ = ["Problem", "SourceInfo"]


@dataclass(frozen=True)
class Problem:
    """One data-quality problem, located as the user sees the file in Excel.

    Attributes:
        kind: surveys, complaints, returns or orders.
        file: file name as given in audit.yaml.
        sheet: sheet name for Excel files, else "".
        row: row number as shown in Excel (header row counted), or None for the whole file.
        column: the file's own header for the column.
        value: the offending value, as text.
        rule: short id of the failed rule, such as ``out_of_scale``.
        message: what is wrong and what to do.
        quarantined: whether the row was set aside (not used in KPIs).
    """

    kind: str
    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    rule: str
    message: str
    quarantined: bool = True

    def location(self) -> str:
        """``file, sheet 'S', row R, column 'C'`` as a user would look it up."""
        parts = [self.file]
        if self.sheet:
            parts.append(_("sheet '{sheet}'", sheet=self.sheet))
        if self.row is not None:
            parts.append(_("row {row}", row=self.row))
        if self.column:
            parts.append(_("column '{column}'", column=" ".join(self.column.split())))
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return plain_fields(self)


@dataclass(frozen=True)
class SourceInfo:
    """One input file: where it is, its fingerprint and what was read from it.

    ``sheet`` is the sheet read (the first visible one unless audit.yaml names one) and
    ``encoding`` the encoding a CSV file was read with (detected unless given).
    """

    kind: str
    path: str
    sheet: str
    sha256: str
    rows_read: int
    rows_valid: int
    rows_quarantined: int
    rows_in_period: int
    notes: tuple[str, ...] = ()
    encoding: str = ""

    def to_dict(self) -> dict[str, Any]:
        return plain_fields(self)
