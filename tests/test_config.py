import datetime as dt
import shutil
from pathlib import Path

import pytest

from audit.config import load_config, parse_period
from audit.exceptions import ConfigError
from conftest import TINY, replace_in


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


# --- issue 14: hostile audit.yaml and data paths --------------------------------------------------

SECRET = "id,secret\n1,the first line of a file outside the site\n"


def _outside(tmp_path: Path) -> Path:
    """A CSV outside the site folder of ``tiny`` (whose site folder is ``tmp_path``), in a neutrally named folder."""
    elsewhere = tmp_path.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    (elsewhere / "secret.csv").write_text(SECRET, encoding="utf-8")
    return elsewhere / "secret.csv"


def said(err: pytest.ExceptionInfo[BaseException], tmp_path: Path) -> str:
    """The error's message with the test's own folder (named after the test) taken out."""
    return str(err.value).replace(str(tmp_path.resolve()), "<tmp>").replace(str(tmp_path), "<tmp>")


def _refused(tiny: Path, tmp_path: Path) -> str:
    from audit.data.dataset import load_audit

    with pytest.raises(ConfigError) as err:
        load_audit(tiny, strict=False)
    message = said(err, tmp_path)
    assert "'data.surveys.path'" in message and "outside the site folder <tmp>" in message
    assert "data.allow_outside" in message
    assert "first line" not in message and "headers" not in message  # nothing of the file is echoed
    return message


def test_a_data_path_climbing_out_of_the_site_is_refused(tiny: Path, tmp_path: Path) -> None:
    _outside(tmp_path)
    replace_in(tiny / "audit.yaml", "path: surveys.csv", "path: ../../elsewhere/secret.csv")
    message = _refused(tiny, tmp_path)
    assert "'data.surveys.path': ../../elsewhere/secret.csv lies outside" in message


def test_an_absolute_data_path_elsewhere_is_refused(tiny: Path, tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    replace_in(tiny / "audit.yaml", "path: surveys.csv", f"path: {outside}")
    assert f"'data.surveys.path': {outside} lies outside" in _refused(tiny, tmp_path)


def test_a_link_in_the_audit_folder_pointing_out_is_refused(tiny: Path, tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    (tiny / "surveys.csv").unlink()
    (tiny / "surveys.csv").symlink_to(outside)
    assert f"surveys.csv (a link to {outside.resolve()}) lies outside" in _refused(tiny, tmp_path)


def test_a_linked_folder_pointing_out_is_refused(tiny: Path, tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    (tiny / "exports").symlink_to(outside.parent, target_is_directory=True)
    replace_in(tiny / "audit.yaml", "path: surveys.csv", "path: exports/secret.csv")
    assert "exports/secret.csv (a link to" in _refused(tiny, tmp_path)


def test_a_shared_export_of_the_site_and_a_link_inside_it_are_read(tiny: Path, tmp_path: Path) -> None:
    from audit.data.dataset import load_audit

    (tiny / "surveys.csv").rename(tmp_path / "shared-surveys.csv")
    (tiny / "surveys.csv").symlink_to(tmp_path / "shared-surveys.csv")
    replace_in(tiny / "audit.yaml", "path: complaints.csv", "path: ../complaints-export.csv")
    (tiny / "complaints.csv").rename(tmp_path / "complaints-export.csv")
    data = load_audit(tiny, strict=False)
    assert {s.kind: s.rows_read for s in data.sources}["surveys"] == 12
    assert load_config(tiny).resolve("../complaints-export.csv") == tmp_path.resolve() / "complaints-export.csv"


def test_allow_outside_opens_a_folder_and_is_recorded_in_the_parameters(tiny: Path, tmp_path: Path) -> None:
    from audit.data.dataset import load_audit

    outside = _outside(tmp_path)
    (outside.parent / "surveys.csv").write_bytes((tiny / "surveys.csv").read_bytes())
    replace_in(tiny / "audit.yaml", "path: surveys.csv", f"path: {outside.parent / 'surveys.csv'}")
    replace_in(tiny / "audit.yaml", "data:\n", f"data:\n  allow_outside: [{outside.parent}]\n")
    data = load_audit(tiny, strict=False)
    assert {s.kind for s in data.sources} >= {"surveys"}
    assert load_config(tiny).parameters()["data"]["allow_outside"] == [str(outside.parent)]
    assert load_config(TINY).parameters()["data"]["allow_outside"] == []


def test_allow_outside_relative_to_the_audit_folder(tiny: Path, tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    relative = f"../../{outside.parent.name}"
    replace_in(tiny / "audit.yaml", "data:\n", f"data:\n  allow_outside: ['{relative}']\n")
    config = load_config(tiny)
    assert config.resolve(f"{relative}/secret.csv", key="data.surveys.path") == outside.resolve()
    with pytest.raises(ConfigError, match=r"'data\.orders\.path': /etc/hostname lies outside"):
        config.resolve("/etc/hostname", key="data.orders.path")


def test_new_quarter_carries_a_shared_export_and_refuses_a_path_out_of_the_site(tmp_path: Path) -> None:
    from audit.cycle.carry import new_audit

    q3 = tmp_path / "site" / "2026-Q3"
    shutil.copytree(TINY, q3)
    (tmp_path / "site" / "exports").mkdir()
    (q3 / "surveys.csv").rename(tmp_path / "site" / "exports" / "surveys-2026-Q3.csv")
    replace_in(q3 / "audit.yaml", "path: surveys.csv", "path: ../exports/surveys-2026-Q3.csv")
    made = new_audit("2026-Q4", q3)
    assert made.to_supply[0] == (tmp_path / "site" / "exports" / "surveys-2026-Q4.csv").resolve()

    replace_in(q3 / "audit.yaml", "path: complaints.csv", "path: /etc/hostname")
    with pytest.raises(ConfigError, match=r"'data\.complaints\.path': /etc/hostname lies outside the site folder"):
        new_audit("2027-Q1", q3)
    assert not (tmp_path / "site" / "2027-Q1" / "audit.yaml").exists()
