"""Declared schemas per kind (pandera) and the rules a row must pass.

Column types are converted in :mod:`audit.data.convert` first; the schemas here check
what the values mean: required values present, scores on the declared scale, ids
unique, quantities not negative. Rules that span two columns (a complaint resolved
before it was received) are vectorised masks in :func:`cross_column_problems`.
Each failure becomes a :class:`Rule` id with a message saying what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from audit.config import Scale, SurveySource
from audit.data.contract import ID_COLUMN, REQUIRED_VALUES
from audit.data.convert import brief, excel_value

__all__ = ["SCORE_PREFIXES", "Failure", "cross_column_problems", "failures", "schema_for"]

#: internal column prefixes of survey dimensions: perception, expectation, importance
SCORE_PREFIXES = ("dim_", "exp_", "imp_")

NON_NEGATIVE = ("quantity_delivered", "value", "unit_price")
#: quantities that cannot be zero or negative: nobody orders or returns nothing
POSITIVE = ("quantity", "quantity_ordered")

#: (later column, earlier column): the later date must not precede the earlier one
DATE_ORDER = {
    "complaints": (("acknowledged_on", "received_on"), ("resolved_on", "received_on")),
    "orders": (("delivered_on", "ordered_on"),),
}


@dataclass(frozen=True)
class Failure:
    """A rule failed by one cell: index into the frame, our column, rule id, message.

    ``quarantine`` is False for problems that are reported but leave the row in use.
    """

    index: int
    column: str
    rule: str
    message: str
    quarantine: bool = True


def _scale_of(source: object, column: str) -> tuple[Scale, str] | None:
    """The declared scale of a survey score column and its audit.yaml key; None for other columns."""
    if not isinstance(source, SurveySource):
        return None
    if column not in ("overall", "recommend") and not column.startswith(SCORE_PREFIXES):
        return None
    name = column.split("_", 1)[1] if column.startswith(SCORE_PREFIXES) else column
    if name in source.scales:
        return source.scales[name], f"data.surveys.scales.{name}"
    return source.scale_of(column), "data.surveys.recommend_scale" if column == "recommend" else "data.surveys.scale"


def _on_scale(scale: Scale) -> pa.Check:
    """Scores within the scale, or equal to its not-applicable code."""
    return pa.Check(
        lambda s: s.between(scale.min, scale.max) | (s == scale.na if scale.na is not None else False),
        name="out_of_scale",
    )


def schema_for(kind: str, columns: list[str], source: object, *, unique: bool = True) -> pa.DataFrameSchema:
    """The pandera schema of one kind, restricted to the columns present.

    Args:
        kind: surveys, complaints, returns or orders.
        columns: our names of the columns present after mapping.
        source: the kind's configuration (scales come from a SurveySource).
        unique: whether ids must be unique (not for files with one row per order line).
    """
    spec: dict[str, pa.Column] = {}
    for name in columns:
        checks: list[pa.Check] = []
        if name == ID_COLUMN[kind] and unique:
            checks.append(pa.Check(lambda s: ~s.duplicated(keep="first"), name="duplicate_id"))
        declared = _scale_of(source, name)
        if declared is not None:
            checks.append(_on_scale(declared[0]))
        if name in NON_NEGATIVE:
            checks.append(pa.Check.ge(0, name="negative"))
        if name in POSITIVE:
            checks.append(pa.Check.gt(0, name="impossible_quantity"))
        spec[name] = pa.Column(None, checks=checks, nullable=name not in REQUIRED_VALUES[kind], required=True)
    return pa.DataFrameSchema(spec, strict=False)


#: pandera's names of its built-in checks → our rule ids
_RULES = {
    "not_nullable": "missing_value",
    "greater_than_or_equal_to": "negative",
    "greater_than": "impossible_quantity",
}


def _message(rule: str, column: str, value: object, declared: tuple[Scale, str] | None) -> str:
    if rule == "missing_value":
        return f"'{column}' is empty but required; fill it in or remove the row"
    if rule == "out_of_scale" and declared is not None:
        scale, key = declared
        return (
            f"score {value} is outside the declared scale {scale.min}–{scale.max}; correct the score, "
            f"or declare the scale used under {key} in audit.yaml"
        )
    if rule == "duplicate_id":
        return f"id {value} appears more than once; keep one row per id"
    if rule == "negative":
        return f"{value} is negative; correct the value or remove the row"
    if rule == "impossible_quantity":
        return f"a quantity of {value} is not possible; correct the quantity or remove the row"
    return f"{value} fails {rule}"


def failures(
    kind: str, frame: pd.DataFrame, source: object, headers: dict[str, str], *, unique: bool = True
) -> list[Failure]:
    """Validate a converted frame lazily and return every failure.

    Args:
        kind: the data kind.
        frame: converted values, our column names.
        source: the kind's configuration.
        headers: our column name → the file's header, for messages.
    """
    schema = schema_for(kind, [c for c in frame.columns if c in headers], source, unique=unique)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    found: list[Failure] = []
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue
        check = str(case.check)
        rule = _RULES.get(check.split("(")[0], check)
        column = str(case.column)
        message = _message(
            rule, headers.get(column, column), brief(excel_value(case.failure_case)), _scale_of(source, column)
        )
        found.append(Failure(int(case.index), column, rule, message))
    return found


def cross_column_problems(kind: str, frame: pd.DataFrame, headers: dict[str, str]) -> list[Failure]:
    """Rules that compare two columns of a row, vectorised."""
    found: list[Failure] = []
    for later, earlier in DATE_ORDER.get(kind, ()):
        if later not in frame or earlier not in frame:
            continue
        bad = frame.loc[(frame[later] < frame[earlier]).to_numpy(), [later, earlier]]
        found += [
            Failure(
                int(index),
                later,
                "date_order",
                f"{headers[later]} {then:%Y-%m-%d} is before {headers[earlier]} {before:%Y-%m-%d}; correct the dates",
            )
            for index, then, before in zip(bad.index, bad[later], bad[earlier])
        ]
    return found
