"""The data contract: our column names per kind, which are required, and their types.

The organisation's headers are mapped to these names in audit.yaml (``columns:``); see
docs/data-contract.md.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CATEGORIES",
    "COLUMNS",
    "DATE_COLUMN",
    "ID_COLUMN",
    "KINDS",
    "REQUIRED",
    "REQUIRED_VALUES",
    "SURVEY_SCORES",
    "ColumnType",
]

KINDS = ("surveys", "complaints", "returns", "orders")

ColumnType = Literal["id", "date", "number", "text", "bool"]

#: every known column per kind and its type; the first entries are required
COLUMNS: dict[str, dict[str, ColumnType]] = {
    "surveys": {
        "response_id": "id",
        "responded_on": "date",
        "overall": "number",
        "customer_id": "id",
        "recommend": "number",
        "comment": "text",
        "channel": "text",
        "region": "text",
        "product": "text",
        "followed_up": "bool",
        "sent_on": "date",
        "responded": "bool",
    },
    "complaints": {
        "complaint_id": "id",
        "received_on": "date",
        "category": "text",
        "customer_id": "id",
        "order_id": "id",
        "product": "text",
        "severity": "text",
        "channel": "text",
        "acknowledged_on": "date",
        "resolved_on": "date",
        "status": "text",
        "root_cause": "text",
        "corrective_action_ref": "text",
        "description": "text",
        "resolution_accepted": "bool",
    },
    "returns": {
        "return_id": "id",
        "returned_on": "date",
        "order_id": "id",
        "customer_id": "id",
        "product": "text",
        "quantity": "number",
        "reason": "text",
        "value": "number",
        "unit_price": "number",
        "warranty": "bool",
    },
    "orders": {
        "order_id": "id",
        "ordered_on": "date",
        "customer_id": "id",
        "promised_on": "date",
        "delivered_on": "date",
        "quantity_ordered": "number",
        "quantity_delivered": "number",
        "value": "number",
        "unit_price": "number",
        "product": "text",
        "region": "text",
    },
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "surveys": ("response_id", "responded_on"),
    "complaints": ("complaint_id", "received_on", "category"),
    "returns": ("return_id", "returned_on"),
    "orders": ("order_id", "ordered_on"),
}

#: columns that must be filled in on every row when the file has them: the required ones, and a
#: survey's overall score (an NPS-only survey has no such column)
REQUIRED_VALUES: dict[str, tuple[str, ...]] = {**REQUIRED, "surveys": (*REQUIRED["surveys"], "overall")}

ID_COLUMN = {kind: REQUIRED[kind][0] for kind in KINDS}
#: the date that places a row in a period
DATE_COLUMN = {kind: REQUIRED[kind][1] for kind in KINDS}

#: a survey file needs at least one of these score columns
SURVEY_SCORES = ("overall", "recommend")

#: allowed values of categorical columns, each with the spellings understood without a
#: mapping (compared case-insensitively); other spellings are mapped under ``values:``
CATEGORIES: dict[str, dict[str, tuple[str, ...]]] = {
    "severity": {
        "low": ("low", "minor", "低", "轻微"),
        "medium": ("medium", "med", "moderate", "normal", "中", "一般"),
        "high": ("high", "major", "critical", "高", "严重", "重大"),
    },
    "status": {
        "open": ("open", "new", "in progress", "pending", "on hold", "escalated", "reopened",
                 "处理中", "待处理", "未关闭", "未解决", "进行中", "新建"),
        "closed": ("closed", "resolved", "done", "complete", "completed", "closed with explanation",
                   "closed with monetary relief", "closed with non-monetary relief", "closed with relief",
                   "closed without relief", "已关闭", "关闭", "已解决", "已处理", "结案", "已结案", "完成"),
    },
}  # fmt: skip
