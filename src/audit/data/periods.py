"""The quarters an audit reads: the audited period and up to seven quarters of history."""

from __future__ import annotations

import pandas as pd

from audit.config import AuditConfig, parse_period

__all__ = ["HISTORY_QUARTERS", "history_periods", "window"]

#: quarters of history (the audited one included) kept for trends
HISTORY_QUARTERS = 8


def history_periods(config: AuditConfig) -> tuple[str, ...]:
    """The quarters kept for trends, oldest first; only the period itself when it is not a quarter."""
    if config.audit.period is None:
        return (config.audit.period_label,)
    start = pd.Period(config.audit.period, freq="Q")
    return tuple(str(start - i).replace("Q", "-Q") for i in reversed(range(HISTORY_QUARTERS)))


def window(config: AuditConfig) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the rows used: the history window's start to the period's end."""
    periods = history_periods(config)
    start = parse_period(periods[0])[0] if len(periods) > 1 else config.audit.period_start
    return pd.Timestamp(start), pd.Timestamp(config.audit.period_end)
