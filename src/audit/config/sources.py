"""The ``data:`` block of audit.yaml: where each kind of input comes from and how to read it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from pydantic import Field, field_validator, model_validator
from typing_extensions import TypeAliasType

from audit.config.base import Model as _Model

__all__ = ["DataSources", "FilterOp", "LineFile", "LineSource", "OrderSource", "Scale", "Source", "SurveySource"]


class Scale(_Model):
    """A rating scale such as 1–5 or 0–10, with an optional not-applicable code.

    A cell holding ``na`` (such as 0 on a 1–5 scale) means "not applicable": it is left
    blank, never averaged and never reported as off the scale.
    """

    min: int
    max: int
    na: int | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"scale max ({self.max}) must be above min ({self.min})")
        if self.na is not None and self.min <= self.na <= self.max:
            raise ValueError(f"the not-applicable code {self.na} is on the scale {self.min}–{self.max}")
        return self


#: an operator of a row filter (``where:``) and the value it compares with
FilterOp = Literal[
    "equals", "not_equals", "in", "not_in", "starts_with", "not_starts_with", "contains", "not_contains",
    "blank", "not_blank", "gt", "ge", "lt", "le",
]  # fmt: skip
#: a value a filter compares with
Scalar = str | int | float | bool | dt.date
#: the conditions on one column: every one must hold
Condition = dict[FilterOp, Scalar | list[Scalar]]
#: ``where:``: per column (our name or the file's header) its conditions; ``any:`` and
#: ``all:`` hold lists of such blocks, of which one (all) must hold
Where = TypeAliasType("Where", "dict[str, Condition | list[Where]]")

_COMPARISONS = ("gt", "ge", "lt", "le")


def _check_where(where: dict[str, Any], at: str = "where") -> None:
    """Each operator with the value it needs; ``any``/``all`` with a list of blocks."""
    for column, conditions in where.items():
        if column in ("any", "all"):
            if not isinstance(conditions, list) or not conditions:
                raise ValueError(f"{at}.{column} needs a list of conditions, such as [{{Type: {{equals: RMA}}}}]")
            for i, block in enumerate(conditions):
                if not isinstance(block, dict):
                    raise ValueError(
                        f"{at}.{column}[{i}] needs conditions per column, such as {{Type: {{equals: RMA}}}}"
                    )
                _check_where(block, f"{at}.{column}[{i}]")
            continue
        if not isinstance(conditions, dict):
            raise ValueError(f"{at}.{column} needs conditions, such as {{equals: X}}; any/all hold lists")
        for op, value in conditions.items():
            if op not in get_args(FilterOp):
                raise ValueError(f"{at}.{column}: unknown operator '{op}'; use one of {', '.join(get_args(FilterOp))}")
            if op in ("in", "not_in") and not isinstance(value, list):
                raise ValueError(f"{at}.{column}.{op} needs a list, such as [A, B]")
            if op not in ("in", "not_in") and isinstance(value, list):
                raise ValueError(f"{at}.{column}.{op} needs one value, not a list")
            if op in ("blank", "not_blank") and value is not True:
                raise ValueError(f"write {at}.{column}.{op}: true")
            if op in _COMPARISONS and (isinstance(value, bool) or not isinstance(value, (int, float, dt.date))):
                raise ValueError(f"{at}.{column}.{op} compares with a number or a date, not {value!r}")


class Source(_Model):
    """Where one kind of data comes from and how its headers map to ours.

    ``columns`` maps our column name to the header in the file; a column that is not
    mapped is looked up under its own name (case and surrounding spaces ignored).
    """

    path: str
    sheet: str | int | None = None
    header_row: int | None = Field(
        None, ge=1, description="row of the header as numbered in Excel; found automatically when None"
    )
    columns: dict[str, str | int | None] = Field(
        default_factory=dict,
        description="our column → the file's header (a survey question also by its number); null: not in the file",
    )
    values: dict[str, dict[str, str | int | float | bool]] = Field(
        default_factory=dict, description="per column: the file's value → ours (case and spaces ignored)"
    )
    where: Where = Field(default_factory=dict, description="keep only the rows that pass every condition")
    defaults: dict[str, str | int | float | bool | dt.date] = Field(
        default_factory=dict, description="per column the file lacks: the value every row gets"
    )
    dayfirst: bool | None = Field(None, description="None: inferred from the column's values")
    encoding: str | None = Field(None, description="CSV encoding; None: detected (UTF-8, GB18030, Windows-1252)")
    na_values: list[str] | None = Field(
        None, description="cell texts that mean 'no value' (replaces the built-in list; [] for none)"
    )
    decimal: Literal[".", ","] | None = Field(None, description="decimal separator of numbers; None: per column")
    sign: Literal["positive", "negative"] = Field(
        "positive", description="negative: quantities and values are written negative (credit notes)"
    )

    @field_validator("where", mode="before")
    @classmethod
    def _filter_values(cls, where: Any) -> Any:
        if isinstance(where, dict):
            _check_where(where)
        return where


class LineFile(Source):
    """Order lines kept apart from the order headers: one row per line, joined to the orders on order_id.

    The lines' quantities and values are summed per order (as with ``grain: line``) and
    fill the order columns the header file does not have.
    """


class LineSource(Source):
    """Orders or returns; ``grain: line`` when the file has one row per order line."""

    grain: Literal["order", "line"] = "order"


class OrderSource(LineSource):
    """Orders: which orders delivery is judged over, and order lines kept in a file of their own."""

    basis: Literal["due", "ordered"] = Field(
        "due", description="judge delivery over the orders due in the period, or those placed in it"
    )
    lines: LineFile | None = Field(None, description="order lines in a second file, joined on order_id")


class SurveySource(Source):
    """Survey responses: scales, dimensions and the number of questionnaires sent."""

    scale: Scale = Scale(min=1, max=5)
    recommend_scale: Scale = Scale(min=0, max=10)
    scales: dict[str, Scale] = Field(
        default_factory=dict, description="per column (overall or a dimension name): its own scale"
    )
    dimensions: dict[str, str | int] = Field(
        default_factory=dict, description="dimension name → its header (a survey question also by its number)"
    )
    expectations: dict[str, str | int] = Field(default_factory=dict)
    importance: dict[str, str | int] = Field(default_factory=dict)
    sent: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _known_dimensions(self) -> SurveySource:
        for block in ("expectations", "importance"):
            extra = set(getattr(self, block)) - set(self.dimensions)
            if extra:
                raise ValueError(f"{block} names {sorted(extra)}, which are not under 'dimensions'")
        unknown = set(self.scales) - set(self.dimensions) - {"overall", "recommend", "repurchase"}
        if unknown:
            raise ValueError(
                f"scales names {sorted(unknown)}; use overall, recommend, repurchase or a name under 'dimensions'"
            )
        return self

    def scale_of(self, column: str) -> Scale:
        """The declared scale of a score column, by our internal name.

        ``overall``, ``recommend``, and ``dim_<name>`` / ``exp_<name>`` / ``imp_<name>`` for
        a dimension's perception, expectation and importance.

        Example:
            >>> SurveySource(path="s.csv", scales={"overall": {"min": 1, "max": 7}}).scale_of("overall").max
            7
        """
        name = column.split("_", 1)[1] if column.startswith(("dim_", "exp_", "imp_")) else column
        if name in self.scales:
            return self.scales[name]
        return self.recommend_scale if column == "recommend" else self.scale


class DataSources(_Model):
    """The ``data:`` block: one entry per kind of input, and the folders outside the site it may read."""

    surveys: SurveySource | None = None
    complaints: Source | None = None
    returns: LineSource | None = None
    orders: OrderSource | None = None
    customers: Source | None = Field(None, description="one row per customer id: tier, region, segment")
    allow_outside: list[str] = Field(
        default_factory=list,
        description="folders outside the site folder that data paths may point into (relative to the audit folder)",
    )
