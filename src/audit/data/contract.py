"""The data contract: our column names per kind, which are required, and their types.

The organisation's headers are mapped to these names in audit.yaml (``columns:``); see
docs/data-contract.md.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["KINDS", "ColumnType", "COLUMNS", "REQUIRED", "ID_COLUMN", "DATE_COLUMN"]

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
        "product": "text",
        "region": "text",
    },
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "surveys": ("response_id", "responded_on", "overall"),
    "complaints": ("complaint_id", "received_on", "category"),
    "returns": ("return_id", "returned_on"),
    "orders": ("order_id", "ordered_on"),
}

ID_COLUMN = {kind: REQUIRED[kind][0] for kind in KINDS}
#: the date that places a row in a period
DATE_COLUMN = {kind: REQUIRED[kind][1] for kind in KINDS}
