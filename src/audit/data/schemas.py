"""The declared schema of each kind: its columns and every row rule, in one class per kind.

The rules every kind shares are on :class:`audit.data.rules.KindSchema`; each class
here adds its columns and its own rules. The data contract (:mod:`audit.data.contract`)
is derived from these classes. Each failure has a rule id and a message saying what to
do; docs/data-contract.md lists them.
"""

from __future__ import annotations

from typing import ClassVar

import pandas as pd

from audit.config import Scale, SurveySource
from audit.data.rules import Cells, Col, ColumnType, Failure, KindSchema, rule
from audit.data.table import ROW, brief
from audit.i18n import _

__all__ = [
    "SCHEMAS",
    "SCORE_PREFIXES",
    "Complaints",
    "Customers",
    "OrderLines",
    "Orders",
    "Returns",
    "Surveys",
    "declared_scale",
    "schema_for",
]

#: internal column prefixes of survey dimensions: perception, expectation, importance
SCORE_PREFIXES = ("dim_", "exp_", "imp_")
#: survey scores with their own column (a survey needs overall or recommend)
SCORES = ("overall", "recommend", "repurchase")

_STATUS_COMPLAINT = {
    "open": ("open", "new", "in progress", "pending", "on hold", "escalated", "reopened",
             "处理中", "待处理", "未关闭", "未解决", "进行中", "新建"),
    "closed": ("closed", "resolved", "done", "complete", "completed", "closed with explanation",
               "closed with monetary relief", "closed with non-monetary relief", "closed with relief",
               "closed without relief", "已关闭", "关闭", "已解决", "已处理", "结案", "已结案", "完成"),
}  # fmt: skip
_SEVERITY = {
    "low": ("low", "minor", "低", "轻微"),
    "medium": ("medium", "med", "moderate", "normal", "中", "一般"),
    "high": ("high", "major", "critical", "高", "严重", "重大"),
}
_STATUS_ORDER = {
    "open": ("open", "new", "created", "approved", "processing", "in progress", "pending", "invoiced", "shipped",
             "in transit", "backorder", "backordered", "on hold", "未发货", "待发货", "处理中", "已发货", "运输中"),
    "delivered": ("delivered", "complete", "completed", "closed", "fulfilled", "received", "已送达", "已签收",
                  "已完成", "完成"),
    "cancelled": ("cancelled", "canceled", "void", "voided", "unavailable", "rejected", "取消", "已取消",
                  "作废", "无货"),
}  # fmt: skip
_TIER = {
    "A": ("a", "key", "key account", "strategic", "重点", "重点客户", "大客户", "战略客户"),
    "B": ("b",),
    "C": ("c",),
}


class Surveys(KindSchema):
    """One row per questionnaire returned (or sent, with ``responded``)."""

    kind = "surveys"
    columns: ClassVar[dict[str, Col]] = {
        "response_id": Col("id", required=True, filled=True, unique=True),
        "responded_on": Col("date", required=True, filled=True),
        "overall": Col("number"),
        "customer_id": Col("id"),
        "recommend": Col("number"),
        "repurchase": Col("number"),
        "comment": Col("text"),
        "channel": Col("text"),
        "region": Col("text"),
        "product": Col("text"),
        "followed_up": Col("bool"),
        "sent_on": Col("date"),
        "responded": Col("bool"),
    }

    def types(self) -> dict[str, ColumnType]:
        """Our columns, and a score column per declared dimension (``dim_``, ``exp_``, ``imp_`` + name)."""
        types = super().types()
        source = self.source
        if isinstance(source, SurveySource):
            for prefix, block in (
                ("dim_", source.dimensions),
                ("exp_", source.expectations),
                ("imp_", source.importance),
            ):
                types.update({prefix + name: "number" for name in block})
        return types

    def exempt(self, frame: pd.DataFrame) -> pd.Series:
        """Questionnaires sent and not answered need no response date or score."""
        if "responded" not in frame:
            return super().exempt(frame)
        return frame["responded"].eq(False).fillna(False).astype(bool)

    @rule("out_of_scale")
    def on_the_scale(self, cells: Cells) -> list[Failure]:
        """A score outside its declared scale (and not the scale's not-applicable code)."""
        found: list[Failure] = []
        for name in cells.frame.columns:
            declared = declared_scale(self.source, name)
            if declared is None:
                continue
            scale, key = declared
            values = cells.frame[name]
            off = values.notna() & ~values.between(scale.min, scale.max)
            if scale.na is not None:
                off &= values != scale.na
            found += cells.failures(
                off,
                name,
                "out_of_scale",
                lambda i, n=name, s=scale, k=key: _(
                    "score {value} is outside the declared scale {low}–{high}; correct the score, "
                    "or declare the scale used under {key} in audit.yaml",
                    value=cells.cell(i, n),
                    low=s.min,
                    high=s.max,
                    key=k,
                ),
            )
        return found


def declared_scale(source: object, column: str) -> tuple[Scale, str] | None:
    """The declared scale of a survey score column and its audit.yaml key; None for other columns."""
    if not isinstance(source, SurveySource):
        return None
    if column not in SCORES and not column.startswith(SCORE_PREFIXES):
        return None
    name = column.split("_", 1)[1] if column.startswith(SCORE_PREFIXES) else column
    if name in source.scales:
        return source.scales[name], f"data.surveys.scales.{name}"
    key = {"recommend": "data.surveys.recommend_scale"}.get(column, "data.surveys.scale")
    return source.scale_of(column), key


class Complaints(KindSchema):
    """One row per complaint."""

    kind = "complaints"
    columns: ClassVar[dict[str, Col]] = {
        "complaint_id": Col("id", required=True, filled=True, unique=True),
        "received_on": Col("date", required=True, filled=True),
        "category": Col("text", required=True, filled=True),
        "customer_id": Col("id"),
        "order_id": Col("id"),
        "product": Col("text"),
        "severity": Col("text", allowed=_SEVERITY),
        "channel": Col("text"),
        "acknowledged_on": Col("date"),
        "resolved_on": Col("date"),
        "status": Col("text", allowed=_STATUS_COMPLAINT),
        "root_cause": Col("text"),
        "corrective_action_ref": Col("text"),
        "description": Col("text"),
        "resolution_accepted": Col("bool"),
    }
    date_order: ClassVar[tuple[tuple[str, str], ...]] = (
        ("acknowledged_on", "received_on"),
        ("resolved_on", "received_on"),
    )

    @rule("open_but_resolved")
    def open_with_a_resolved_date(self, cells: Cells) -> list[Failure]:
        """Status open but a resolved date given: counted as open, the date left out (reported only)."""
        frame = cells.frame
        if "status" not in frame or "resolved_on" not in frame:
            return []
        return cells.failures(
            (frame["status"] == "open") & frame["resolved_on"].notna(),
            "resolved_on",
            "open_but_resolved",
            lambda i: _(
                "the status is '{status}' (open) but a resolved date is given; "
                "counted as open and the date left out; correct the status or the date",
                status=cells.cell(i, "status"),
            ),
            quarantine=False,
        )

    def adjust(self, frame: pd.DataFrame) -> pd.DataFrame:
        """An open complaint's resolved date is left out (see :meth:`open_with_a_resolved_date`)."""
        if "status" in frame and "resolved_on" in frame:
            frame = frame.copy()
            frame.loc[(frame["status"] == "open").fillna(False).to_numpy(dtype=bool), "resolved_on"] = pd.NaT
        return frame


class _Lines(KindSchema):
    """Rules of files with one row per order line (``grain: line``)."""

    @rule("inconsistent_lines", stage="lines")
    def lines_agree(self, cells: Cells) -> list[Failure]:
        """The lines of one order (return) disagree on its date or its customer."""
        frame, key = cells.frame, self.id_column
        failed = cells.failed if cells.failed is not None else pd.Series(False, index=frame.index)
        clean = frame.loc[~failed.to_numpy() & frame[key].notna().to_numpy()]
        found: list[Failure] = []
        for column in (self.date_column, "customer_id"):
            if column not in clean:
                continue
            disagree = clean.groupby(key, sort=False)[column].transform("nunique").to_numpy() > 1
            found += [
                Failure(int(i), column, "inconsistent_lines",
                        _("the lines of {key} {value} disagree on {column}; give every line of one order the same {column}",
                          key=key, value=brief(str(ident)), column=column))
                for i, ident in zip(clean.index[disagree], clean.loc[disagree, key])
            ]  # fmt: skip
        return found

    @rule("order_set_aside", stage="lines")
    def whole_orders(self, cells: Cells) -> list[Failure]:
        """One bad line sets its whole order aside: the other lines are reported with it."""
        frame, key = cells.frame, self.id_column
        failed = cells.failed if cells.failed is not None else pd.Series(False, index=frame.index)
        failed = failed | frame.index.isin([f.index for f in self.lines_agree(cells)])
        first_row = frame.loc[failed.to_numpy(), [key, ROW]].dropna(subset=[key]).groupby(key)[ROW].min()
        sibling = frame[key].isin(first_row.index).to_numpy() & ~failed.to_numpy()
        return [
            Failure(int(i), key, "order_set_aside",
                    _("another line of {key} {value} (row {row}) has a problem; "
                      "the whole order is left out until that line is corrected",
                      key=key, value=brief(str(ident)), row=first_row[ident]))
            for i, ident in zip(frame.index[sibling], frame.loc[sibling, key])
        ]  # fmt: skip


class Returns(_Lines):
    """One row per return (or per returned line with ``grain: line``)."""

    kind = "returns"
    columns: ClassVar[dict[str, Col]] = {
        "return_id": Col("id", required=True, filled=True, unique=True),
        "returned_on": Col("date", required=True, filled=True),
        "order_id": Col("id"),
        "customer_id": Col("id"),
        "product": Col("text"),
        "quantity": Col("number", positive=True, signed=True),
        "reason": Col("text"),
        "value": Col("number", minimum=0, signed=True),
        "unit_price": Col("number", minimum=0),
        "warranty": Col("bool"),
    }


class Orders(_Lines):
    """One row per order (or per order line with ``grain: line``)."""

    kind = "orders"
    columns: ClassVar[dict[str, Col]] = {
        "order_id": Col("id", required=True, filled=True, unique=True),
        "ordered_on": Col("date", required=True, filled=True),
        "customer_id": Col("id"),
        "promised_on": Col("date"),
        "delivered_on": Col("date"),
        "quantity_ordered": Col("number", positive=True, signed=True),
        "quantity_delivered": Col("number", minimum=0, signed=True),
        "value": Col("number", minimum=0, signed=True),
        "unit_price": Col("number", minimum=0),
        "product": Col("text"),
        "region": Col("text"),
        "status": Col("text", allowed=_STATUS_ORDER),
    }
    date_order: ClassVar[tuple[tuple[str, str], ...]] = (("delivered_on", "ordered_on"),)


class OrderLines(_Lines):
    """Order lines in a file of their own (``data.orders.lines``), joined to the orders on order_id."""

    kind = "order_lines"
    columns: ClassVar[dict[str, Col]] = {
        "order_id": Col("id", required=True, filled=True),
        "quantity_ordered": Col("number", positive=True, signed=True),
        "quantity_delivered": Col("number", minimum=0, signed=True),
        "value": Col("number", minimum=0, signed=True),
        "unit_price": Col("number", minimum=0),
        "product": Col("text"),
        "promised_on": Col("date"),
        "delivered_on": Col("date"),
    }

    @rule("outside_period", stage="period")
    def in_window(self, cells: Cells) -> list[Failure]:
        """Lines are dated by their order: every line is in use."""
        return []


class Customers(KindSchema):
    """One row per customer id: who is behind it (``account_id``), its tier, region and segment."""

    kind = "customers"
    columns: ClassVar[dict[str, Col]] = {
        "customer_id": Col("id", required=True, filled=True, unique=True),
        "account_id": Col("id"),
        "name": Col("text"),
        "tier": Col("text", allowed=_TIER),
        "region": Col("text"),
        "segment": Col("text"),
    }

    @rule("outside_period", stage="period")
    def in_window(self, cells: Cells) -> list[Failure]:
        """Customers are not dated: every row is in use."""
        return []


#: the schema of each kind, in the order they are read
SCHEMAS: dict[str, type[KindSchema]] = {
    s.kind: s for s in (Surveys, Complaints, Returns, Orders, OrderLines, Customers)
}


def schema_for(kind: str, source: object, *, lines: bool = False) -> KindSchema:
    """The schema of one kind for one source (scales and dimensions come from a SurveySource)."""
    return SCHEMAS[kind](source, lines=lines)  # type: ignore[arg-type]
