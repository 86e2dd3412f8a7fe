"""Values as JSON can hold them."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

__all__ = ["plain", "plain_dict"]


def plain_dict(value: dict[str, Any]) -> dict[str, Any]:
    """A dict as JSON can hold it (see :func:`_plain`)."""
    return {k: plain(v) for k, v in value.items()}


def plain(value: Any) -> Any:
    """A value as JSON can hold it: NaN becomes None, dates become ISO text."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
