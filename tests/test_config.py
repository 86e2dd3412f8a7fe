import datetime as dt
from pathlib import Path

import pytest

from audit.config import load_config, parse_period
from audit.exceptions import ConfigError
from conftest import replace_in


def test_tiny_config_loads_with_period_dates(tiny: Path) -> None:
    config = load_config(tiny)
    assert config.audit.period_start == dt.date(2026, 7, 1)
    assert config.audit.period_end == dt.date(2026, 9, 30)
    assert config.data.surveys is not None and config.data.surveys.sent == 40
    assert config.resolve("surveys.csv") == tiny.resolve() / "surveys.csv"


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)), ("2025-Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31))],
)
def test_parse_period(period: str, start: dt.date, end: dt.date) -> None:
    assert parse_period(period) == (start, end)


def test_misspelt_key_names_key_and_file(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "lead_auditor:", "lead_auditr:")
    with pytest.raises(ConfigError) as err:
        load_config(tiny)
    assert "unknown key 'audit.lead_auditr'" in str(err.value)
    assert "audit.yaml" in str(err.value)


def test_unknown_target_is_refused(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "csat_mean: 4.0", "csat_mena: 4.0")
    with pytest.raises(ConfigError, match="unknown KPI \\['csat_mena'\\]"):
        load_config(tiny)


def test_bad_period_and_missing_file(tiny: Path, tmp_path: Path) -> None:
    replace_in(tiny / "audit.yaml", "period: 2026-Q3", "period: 2026-Q5")
    with pytest.raises(ConfigError, match="not a calendar quarter"):
        load_config(tiny)
    with pytest.raises(ConfigError, match="no audit configuration found"):
        load_config(tmp_path / "nowhere")


def test_invalid_yaml_names_line(tiny: Path) -> None:
    (tiny / "audit.yaml").write_text("audit:\n  id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(tiny)
