"""The data contract: our column names per kind, which are required, and their types.

Derived from the declared schemas in :mod:`audit.data.schemas` (one class per kind);
the organisation's headers are mapped to these names in audit.yaml (``columns:``), see
docs/data-contract.md.
"""

from __future__ import annotations

from audit.data.rules import ColumnType
from audit.data.schemas import SCHEMAS, SCORES

__all__ = [
    "CATEGORIES",
    "COLUMNS",
    "DATE_COLUMN",
    "ID_COLUMN",
    "KINDS",
    "REFERENCE_KINDS",
    "REQUIRED",
    "REQUIRED_VALUES",
    "SURVEY_SCORES",
    "ColumnType",
]

#: the kinds dated by their rows, split by period
KINDS = ("surveys", "complaints", "returns", "orders")
#: kinds that describe rather than happen (not dated): joined to the others on their id
REFERENCE_KINDS = ("customers", "order_lines")

#: every known column per kind and its type; the first entries are required
COLUMNS: dict[str, dict[str, ColumnType]] = {
    kind: {name: col.type for name, col in schema.columns.items()} for kind, schema in SCHEMAS.items()
}
REQUIRED: dict[str, tuple[str, ...]] = {  # the id first, then (for dated kinds) the date
    kind: tuple(name for name, col in schema.columns.items() if col.required) for kind, schema in SCHEMAS.items()
}
#: columns that must be filled in on every row when the file has them
REQUIRED_VALUES: dict[str, tuple[str, ...]] = {
    kind: tuple(name for name, col in schema.columns.items() if col.filled) for kind, schema in SCHEMAS.items()
}
ID_COLUMN = {kind: REQUIRED[kind][0] for kind in SCHEMAS}
#: the date that places a row in a period
DATE_COLUMN = {kind: REQUIRED[kind][1] for kind in KINDS}

#: a survey file needs at least one of these score columns
SURVEY_SCORES = SCORES[:2]

#: allowed values of the complaints' categorical columns, each with the spellings
#: understood without a mapping (per kind: :class:`audit.data.rules.Col` ``allowed``)
CATEGORIES: dict[str, dict[str, tuple[str, ...]]] = {
    name: dict(col.allowed) for name, col in SCHEMAS["complaints"].columns.items() if col.allowed is not None
}
