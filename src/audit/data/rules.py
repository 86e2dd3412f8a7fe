"""How a kind's schema is declared: its columns, and its row rules as decorated methods.

In the spirit of pandera's ``DataFrameModel``: each kind is one class in
:mod:`audit.data.schemas` that lists its columns (type, required, filled in, unique,
bounds, allowed values) and carries every rule a row must pass as a method marked with
:func:`rule`. A rule looks at the whole converted frame at once (vectorised masks) and
returns a :class:`Failure` per failing cell, with a message saying what to do. The
rules common to every kind (unreadable cells, Excel errors, required values, allowed
values, duplicates, bounds, date order, the period) are declared here, on
:class:`KindSchema`; a kind adds its own and may override one by defining a method of
the same name.

Rules run in stages: ``row`` on the converted rows, ``lines`` on the lines of a
``grain: line`` file before they become orders, ``period`` on the valid rows to report
those dated outside the audit's window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar, cast

import numpy as np
import pandas as pd

from audit.data.table import ROW, brief, excel_value
from audit.i18n import N_, _

if TYPE_CHECKING:
    from audit.config import Source

__all__ = ["Cells", "Col", "ColumnType", "Failure", "KindSchema", "Stage", "rule"]

ColumnType = Literal["id", "date", "number", "text", "bool"]
Stage = Literal["row", "lines", "period"]


@dataclass(frozen=True)
class Col:
    """One column of a kind's schema.

    Attributes:
        type: how cells are converted (see :mod:`audit.data.convert`).
        required: the file must have the column (or audit.yaml a default for it).
        filled: every row must have a value (``missing_value`` otherwise).
        unique: an id that names one record (``duplicate_id`` / ``duplicate_row``).
        minimum: values below it are ``negative``.
        positive: values of 0 or less are ``impossible_quantity``.
        allowed: our values, each with the spellings understood without a mapping.
        signed: written negative in the file when the kind declares ``sign: negative``.
    """

    type: ColumnType
    required: bool = False
    filled: bool = False
    unique: bool = False
    minimum: float | None = None
    positive: bool = False
    allowed: Mapping[str, tuple[str, ...]] | None = None
    signed: bool = False


@dataclass(frozen=True)
class Failure:
    """A rule failed by one cell: index into the frame, our column, rule id, message.

    ``quarantine`` is False for problems that are reported but leave the row in use.
    ``row`` and ``value`` override the row number and the cell quoted (for rows that no
    longer sit at their index, such as combined order lines).
    """

    index: int
    column: str
    rule: str
    message: str
    quarantine: bool = True
    row: int | None = None
    value: str | None = None


@dataclass
class Cells:
    """What a rule sees of one file.

    Attributes:
        kind: the data kind.
        source: its configuration.
        frame: converted values under our names, plus ``_row``.
        table: the cells as read, under the file's headers (same index as ``frame``).
        headers: our column → the file's header, for the columns in the file.
        unreadable: per column, the cells that held something that could not be
            converted, and why (a reason, for the cells that have one).
        errors: per column, the text of Excel error cells ("" elsewhere).
        window: first and last day of the rows the audit uses.
        failed: the rows already failing (for the ``lines`` stage).
    """

    kind: str
    source: Source | None
    frame: pd.DataFrame
    table: pd.DataFrame
    headers: dict[str, str]
    unreadable: dict[str, tuple[pd.Series, pd.Series]] = field(default_factory=dict)
    errors: dict[str, pd.Series] = field(default_factory=dict)
    window: tuple[pd.Timestamp, pd.Timestamp] = (pd.Timestamp.min, pd.Timestamp.max)
    failed: pd.Series | None = None

    def header(self, name: str) -> str:
        """The file's header of one of our columns (our name when it came from ``defaults:``)."""
        return self.headers.get(name, name)

    def cell(self, index: int, name: str) -> str:
        """A cell as quoted in a message: as in the file, or the value from ``defaults:``."""
        value = self.table.at[index, self.headers[name]] if name in self.headers else self.frame.at[index, name]
        return brief(excel_value(value))

    def row(self, index: int) -> int:
        """The row number, as Excel shows it, of a row of ``frame``."""
        return int(cast(int, self.frame.at[index, ROW]))

    def day(self, index: int, name: str) -> str:
        """A converted date of ``frame`` as yyyy-mm-dd."""
        return f"{pd.Timestamp(cast(str, self.frame.at[index, name])):%Y-%m-%d}"

    def failures(
        self,
        mask: pd.Series | np.ndarray,
        column: str,
        rule_id: str,
        message: Callable[..., str],
        *,
        quarantine: bool = True,
    ) -> list[Failure]:
        """One failure per row where ``mask`` holds, with its message."""
        where = np.asarray(mask, dtype=bool)
        return [Failure(int(i), column, rule_id, message(int(i)), quarantine) for i in self.frame.index[where]]


_Method = TypeVar("_Method", bound=Callable[..., list[Failure]])


@dataclass(frozen=True)
class _Rule:
    ids: tuple[str, ...]
    stage: Stage


def rule(*ids: str, stage: Stage = "row") -> Callable[[_Method], _Method]:
    """Mark a schema method as a row rule that reports the given rule ids.

    Example:
        >>> class Orders(KindSchema):
        ...     @rule("date_order")
        ...     def delivered_after_ordered(self, cells: Cells) -> list[Failure]:
        ...         return []
    """

    def mark(method: _Method) -> _Method:
        method._rule = _Rule(ids, stage)  # type: ignore[attr-defined]
        return method

    return mark


#: per type: the rule of a cell that cannot be read, and what to do
UNREADABLE = {
    "date": ("not_a_date", N_("use a date such as 2026-07-31")),
    "number": ("not_a_number", N_("use a plain number")),
    "bool": ("not_yes_no", N_("use yes or no, or map the value under 'values:' in audit.yaml")),
}


class KindSchema:
    """The declared schema of one kind: its columns and its row rules.

    Subclasses set ``kind`` and ``columns`` (required ones first: the id, then the date
    that places a row in a period) and add rules with :func:`rule`.
    """

    kind: ClassVar[str] = ""
    columns: ClassVar[dict[str, Col]] = {}
    #: (later column, earlier column): the later date must not precede the earlier one
    date_order: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init__(self, source: Source, *, lines: bool = False) -> None:
        self.source = source
        self.lines = lines

    # ---- the declaration -------------------------------------------------------------

    def types(self) -> dict[str, ColumnType]:
        """Every column this source may have, with its type."""
        return {name: col.type for name, col in self.columns.items()}

    def spec(self, name: str) -> Col:
        """The declaration of a column (a plain column of its type for dynamic ones)."""
        return self.columns.get(name) or Col(self.types()[name])

    @classmethod
    def rules(cls, stage: Stage) -> list[tuple[tuple[str, ...], str]]:
        """The rules of a stage as (rule ids, method name), base class first, in declaration order."""
        seen: dict[str, tuple[str, ...]] = {}
        for klass in reversed(cls.__mro__):
            for name, member in vars(klass).items():
                marked = getattr(member, "_rule", None)
                if isinstance(marked, _Rule) and marked.stage == stage:
                    seen[name] = marked.ids
        return [(ids, name) for name, ids in seen.items()]

    def check(self, cells: Cells, stage: Stage = "row") -> list[Failure]:
        """Run every rule of a stage; a cell already failed keeps its first failure only."""
        found: list[Failure] = []
        taken: set[tuple[int, str]] = set()
        for _ids, name in self.rules(stage):
            for failure in getattr(self, name)(cells):
                key = (failure.index, failure.column)
                if stage == "period" or key not in taken:
                    found.append(failure)
                    taken.add(key)
        return found

    def adjust(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Repairs that follow reported-only rules (such as a date left out); none by default."""
        return frame

    def exempt(self, frame: pd.DataFrame) -> pd.Series:
        """Rows whose empty required cells are expected (none by default)."""
        return pd.Series(False, index=frame.index)

    # ---- rules of every kind ---------------------------------------------------------

    @rule("not_a_date", "not_a_number", "not_yes_no")
    def unreadable_cells(self, cells: Cells) -> list[Failure]:
        """A cell that holds something its column's type cannot read."""
        found: list[Failure] = []
        for name, (failed, why) in cells.unreadable.items():
            if not failed.any():
                continue
            rule_id, todo = UNREADABLE[self.types()[name]]
            what = _(todo)
            if rule_id == "not_a_number" and (name in SCORE_LIKE or name.startswith(("dim_", "exp_", "imp_"))):
                what = _(
                    "use a number on the scale, map the answer under {key} (such as {example}), "
                    "or list it under na_values if it means no answer",
                    key=f"data.{self.kind}.values.{_values_key(name)}",
                    example="{Very satisfied: 5}",
                )
            found += cells.failures(
                failed,
                name,
                rule_id,
                lambda i, n=name, w=what, y=why: (
                    f"'{cells.cell(i, n)}' {y[i]}"
                    if y.get(i)
                    else _("'{value}' is not understood; {todo}", value=cells.cell(i, n), todo=w)
                ),
            )
        return found

    @rule("excel_error")
    def excel_errors(self, cells: Cells) -> list[Failure]:
        """A cell Excel marks as an error, or a formula whose result was never saved."""
        found: list[Failure] = []
        for name, text in cells.errors.items():
            found += cells.failures(
                text != "",
                name,
                "excel_error",
                lambda i, t=text: (
                    _("the cell holds {error}, not a value; correct the formula in the workbook", error=t[i])
                    if t[i].startswith("#")
                    else _(
                        "the cell holds {error}; open the workbook in Excel and save it so that results are stored",
                        error=t[i],
                    )
                ),
            )
        return found

    @rule("missing_value")
    def required_values(self, cells: Cells) -> list[Failure]:
        """A cell that must be filled in on every row is empty."""
        found: list[Failure] = []
        exempt = self.exempt(cells.frame)
        for name, col in self.columns.items():
            if col.filled and name in cells.frame:
                empty = cells.frame[name].isna() & ~exempt
                found += cells.failures(
                    empty,
                    name,
                    "missing_value",
                    lambda i, n=name: _(
                        "'{column}' is empty but required; fill it in or remove the row", column=cells.header(n)
                    ),
                )
        return found

    @rule("unknown_value")
    def allowed_values(self, cells: Cells) -> list[Failure]:
        """A categorical value that is not one of ours after the mapping."""
        found: list[Failure] = []
        for name, col in self.columns.items():
            if col.allowed is None or name not in cells.frame:
                continue
            values = cells.frame[name]
            unknown = values.notna() & ~values.isin(list(col.allowed))
            found += cells.failures(
                unknown,
                name,
                "unknown_value",
                lambda i, n=name, a=col.allowed: _(
                    "'{value}' is not a known {column}; map it to one of {allowed} under {key} in audit.yaml",
                    value=cells.cell(i, n),
                    column=n,
                    allowed=", ".join(a),
                    key=f"data.{self.kind}.values.{n}",
                ),
            )
        return found

    @rule("duplicate_row", "duplicate_id")
    def one_record_per_id(self, cells: Cells) -> list[Failure]:
        """An id seen on an earlier row of the audit's window: the same record twice, or another record."""
        if self.lines:
            return []
        frame = cells.frame
        date = frame.get(self.date_column)
        in_window = pd.Series(True, index=frame.index)
        if date is not None:
            first, last = cells.window
            in_window = date.isna() | ((date >= first) & (date <= last))
        found: list[Failure] = []
        for name, col in self.columns.items():
            if not col.unique or name not in frame:
                continue
            # an id repeated among the rows looked at is repeated in the column: one pass over the
            # column as it is (no copy of it), then the few candidates again, among themselves
            considered = (in_window & frame[name].notna()).to_numpy(dtype=bool)
            candidates = frame[name].duplicated(keep=False).to_numpy(dtype=bool) & considered
            if not candidates.any():
                continue
            ids = frame[name][candidates]
            shared = ids.duplicated(keep=False).to_numpy(dtype=bool)
            if not shared.any():
                continue
            # only the rows of a repeated id can repeat one another: the rest of the frame is not copied
            rows = frame.loc[ids.index[shared]]
            repeated = rows[name].duplicated(keep="first")
            content = [c for c in rows.columns if c != ROW]
            copy = rows.duplicated(subset=content, keep="first")
            first_row = rows.groupby(name, sort=False)[ROW].transform("first")
            same = repeated & copy
            other = repeated & ~copy
            found += cells.failures(
                frame.index.isin(rows.index[same.to_numpy()]),
                name,
                "duplicate_row",
                lambda i, n=name, f=first_row: _(
                    "row {row} repeats row {first} (same {column} {value}, same content): "
                    "entered twice; delete the copy",
                    row=cells.row(i),
                    first=f[i],
                    column=n,
                    value=cells.cell(i, n),
                ),
            )
            found += cells.failures(
                frame.index.isin(rows.index[other.to_numpy()]),
                name,
                "duplicate_id",
                lambda i, n=name, f=first_row: _(
                    "{column} {value} is also used by row {first} for a different record; give each record its own id",
                    column=n,
                    value=cells.cell(i, n),
                    first=f[i],
                ),
            )
        return found

    @rule("negative", "impossible_quantity")
    def bounds(self, cells: Cells) -> list[Failure]:
        """Values, prices and delivered quantities below 0; ordered or returned quantities of 0 or less."""
        found: list[Failure] = []
        negative_file = getattr(self.source, "sign", "positive") == "negative"
        for name, col in self.columns.items():
            if name not in cells.frame or (col.minimum is None and not col.positive):
                continue
            values = cells.frame[name]
            hint = (
                _(
                    "; {key} is negative, so the file's values should be written negative",
                    key=f"data.{self.kind}.sign",
                )
                if negative_file and col.signed
                else (
                    _(
                        ", or set sign: negative under {key} when the file writes them negative",
                        key=f"data.{self.kind}",
                    )
                    if col.signed
                    else ""
                )
            )
            if col.positive:
                found += cells.failures(
                    values <= 0,
                    name,
                    "impossible_quantity",
                    lambda i, n=name, h=hint: _(
                        "a quantity of {value} is not possible; correct the quantity or remove the row{hint}",
                        value=cells.cell(i, n),
                        hint=h,
                    ),
                )
            elif col.minimum is not None:
                found += cells.failures(
                    values < col.minimum,
                    name,
                    "negative",
                    lambda i, n=name, h=hint: _(
                        "{value} is negative; correct the value or remove the row{hint}", value=cells.cell(i, n), hint=h
                    ),
                )
        return found

    @rule("date_order")
    def dates_in_order(self, cells: Cells) -> list[Failure]:
        """A later date (resolved, delivered) before the earlier one (received, ordered)."""
        found: list[Failure] = []
        frame = cells.frame
        for later, earlier in self.date_order:
            if later not in frame or earlier not in frame:
                continue
            found += cells.failures(
                frame[later] < frame[earlier],
                later,
                "date_order",
                lambda i, a=later, b=earlier: _(
                    "{later} {later_day} is before {earlier} {earlier_day}; correct the dates",
                    later=cells.header(a),
                    later_day=cells.day(i, a),
                    earlier=cells.header(b),
                    earlier_day=cells.day(i, b),
                ),
            )
        return found

    @rule("outside_period", stage="period")
    def in_window(self, cells: Cells) -> list[Failure]:
        """A valid row dated after the period or before the history window: reported, not used."""
        first, last = cells.window
        date = cells.frame[self.date_column]
        outside = ((date < first) | (date > last)).to_numpy()
        return [
            Failure(
                int(i), self.date_column, "outside_period",
                _("dated outside the audited period and its history ({first} to {last}); "
                  "left out of this audit, no action needed if expected", first=f"{first:%Y-%m-%d}", last=f"{last:%Y-%m-%d}"),
                quarantine=False, row=cells.row(i), value=cells.day(i, self.date_column),
            )
            for i in cells.frame.index[outside]
        ]  # fmt: skip

    # ---- derived names ---------------------------------------------------------------

    @property
    def id_column(self) -> str:
        """The column that identifies a record."""
        return next(iter(self.columns))

    @property
    def date_column(self) -> str:
        """The date that places a row in a period (none for reference kinds such as customers)."""
        dates = [n for n, c in self.columns.items() if c.required and c.type == "date"]
        return dates[0] if dates else ""


#: score columns of a survey (and the dimension prefixes), whose answers may be mapped under values:
SCORE_LIKE = frozenset({"overall", "recommend", "repurchase"})


def _values_key(name: str) -> str:
    return name.split("_", 1)[1] if name.startswith(("dim_", "exp_", "imp_")) else name


def iter_ids(schemas: Iterable[type[KindSchema]]) -> list[str]:
    """Every rule id the schemas can report, in order."""
    ids: list[str] = []
    for schema in schemas:
        stages: tuple[Stage, ...] = ("row", "lines", "period")
        for stage in stages:
            for rule_ids, _method in schema.rules(stage):
                ids += [i for i in rule_ids if i not in ids]
    return ids
