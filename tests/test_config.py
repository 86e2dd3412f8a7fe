import datetime as dt
import shutil
import time
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


def test_audit_yaml_over_one_megabyte_is_refused_before_parsing(tiny: Path) -> None:
    text = (tiny / "audit.yaml").read_text(encoding="utf-8")
    (tiny / "audit.yaml").write_text(text + "#" * (1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"audit.yaml: the file is larger than 1 MB"):
        load_config(tiny)


#: billion laughs in one flow sequence: ten anchors, each nine aliases of the one before (9**9 items)
BOMB = (
    "[&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol], "
    + ", ".join(f"&l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10))
    + "]"
)


def test_a_billion_laughs_under_where_fails_fast(tiny: Path) -> None:
    replace_in(
        tiny / "audit.yaml",
        "    path: complaints.csv",
        f"    path: complaints.csv\n    where:\n      Category:\n        in: {BOMB}",
    )
    started = time.perf_counter()
    with pytest.raises(ConfigError, match=r"audit.yaml line 21: aliases \(\*l\d and others\) repeat more than 10,000"):
        load_config(tiny)
    assert time.perf_counter() - started < 1.0


def test_a_recursive_alias_is_refused(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "  lead_auditor: A. Auditor", "  team: &t [a, *t]")
    with pytest.raises(ConfigError, match=r"line 8: the alias \*t is used inside the value it names"):
        load_config(tiny)


def test_nesting_too_deep_is_refused(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "  lead_auditor: A. Auditor", "  team: " + "[" * 5000 + "]" * 5000)
    with pytest.raises(ConfigError, match="line 8: values are nested more than 50 levels deep"):
        load_config(tiny)


@pytest.mark.parametrize(
    ("old", "new", "key", "lines"),
    [
        ("  lead_auditor: A. Auditor", "  lead_auditor: A. Auditor\n  id: OTHER", "audit.id", (3, 9)),
        ("sla:", "audit: {id: X}\nsla:", "audit", (2, 24)),
        ("    sent: 40", "    sent: 40\n    sent: 400", "data.surveys.sent", (16, 17)),
        ("{min: 1, max: 5}", "{min: 1, max: 5, min: 0}", "data.surveys.scale.min", (12, 12)),
    ],
)
def test_duplicate_keys_are_refused_naming_key_and_both_lines(
    tiny: Path, old: str, new: str, key: str, lines: tuple[int, int]
) -> None:
    replace_in(tiny / "audit.yaml", old, new)
    with pytest.raises(ConfigError) as err:
        load_config(tiny)
    assert f"duplicate key '{key}'" in str(err.value)
    assert f"lines {lines[0]} and {lines[1]}" in str(err.value)


def test_a_merge_key_is_not_a_duplicate(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "sla: {", "base: &sla {complaint_acknowledge_days: 3}\nsla: {<<: *sla, ")
    replace_in(tiny / "audit.yaml", "base: &sla", "x-base: &sla")
    with pytest.raises(ConfigError, match="unknown key 'x-base'"):  # the merge is fine; the extra key is not
        load_config(tiny)


@pytest.mark.parametrize("date", ["2026-13-01", "2026-02-30", "2026-00-10"])
def test_an_impossible_date_names_key_and_value(tiny: Path, date: str) -> None:
    replace_in(tiny / "audit.yaml", "date: 2026-10-10", f"date: {date}")
    with pytest.raises(ConfigError) as err:
        load_config(tiny)
    assert "'audit.date' (line 7): Input should be a valid date" in str(err.value)
    assert f"it is '{date}'" in str(err.value)


@pytest.mark.parametrize("period", ['"2026-Q3 "', '"2026-Q3\\n"', "' 2026-Q3\t'"])
def test_period_with_surrounding_whitespace_is_cleaned_at_the_door(tiny: Path, period: str) -> None:
    from audit.data.dataset import history_periods

    replace_in(tiny / "audit.yaml", "period: 2026-Q3", f"period: {period}")
    config = load_config(tiny)
    assert config.audit.period == "2026-Q3"
    assert history_periods(config)[-1] == "2026-Q3"


def test_audit_yaml_not_in_utf8_says_so(tiny: Path) -> None:
    text = (tiny / "audit.yaml").read_text(encoding="utf-8").replace("Tiny Valves Ltd", "小阀门有限公司")
    (tiny / "audit.yaml").write_bytes(text.encode("gb18030"))
    with pytest.raises(ConfigError) as err:
        load_config(tiny)
    message = str(err.value)
    assert "not UTF-8" in message and "save it as UTF-8" in message and "line 4" in message
    assert "quotes" not in message


def test_audit_yaml_in_utf16_says_so(tiny: Path) -> None:
    text = (tiny / "audit.yaml").read_text(encoding="utf-8")
    (tiny / "audit.yaml").write_bytes(text.encode("utf-16"))
    with pytest.raises(ConfigError, match=r"saved as UTF-16, not UTF-8; open it in a text editor and save it as UTF-8"):
        load_config(tiny)


# --- the bounds sit where they say -----------------------------------------------------------------


@pytest.mark.parametrize(("repeats", "refused"), [(100, False), (101, True)])
def test_aliases_may_repeat_exactly_max_aliased_values(tiny: Path, repeats: int, refused: bool) -> None:
    from audit.config import MAX_ALIASED_VALUES

    items = ", ".join(f"v{i}" for i in range(99))  # the anchored list is 100 values: itself and 99 items
    aliases = ", ".join(["*a"] * repeats)
    assert MAX_ALIASED_VALUES == 100 * 100
    replace_in(tiny / "audit.yaml", "owners:", f"x-pad: {{a: &a [{items}], b: [{aliases}]}}\nowners:")
    with pytest.raises(ConfigError) as err:
        load_config(tiny)
    assert ("repeat more than 10,000 values" in str(err.value)) is refused
    assert ("unknown key 'x-pad'" in str(err.value)) is not refused  # parsed: refused for its key only


@pytest.mark.parametrize(("lists", "refused"), [(49, False), (50, True)])
def test_nesting_may_reach_max_depth_levels(tiny: Path, lists: int, refused: bool) -> None:
    # the top-level mapping is the first level, each list one more
    replace_in(tiny / "audit.yaml", "owners:", "x-deep: " + "[" * lists + "]" * lists + "\nowners:")
    with pytest.raises(ConfigError) as err:
        load_config(tiny)
    assert ("nested more than 50 levels" in str(err.value)) is refused


@pytest.mark.parametrize(("extra", "refused"), [(0, False), (1, True)])
def test_audit_yaml_may_be_exactly_one_megabyte(tiny: Path, extra: int, refused: bool) -> None:
    from audit.config import MAX_CONFIG_BYTES

    text = (tiny / "audit.yaml").read_bytes()
    pad = MAX_CONFIG_BYTES - len(text) + extra - 2
    (tiny / "audit.yaml").write_bytes(text + b"#" + b"x" * pad + b"\n")
    assert len((tiny / "audit.yaml").read_bytes()) == MAX_CONFIG_BYTES + extra
    if refused:
        with pytest.raises(ConfigError, match="larger than 1 MB"):
            load_config(tiny)
    else:
        assert load_config(tiny).audit.id == "TINY-2026-Q3"


@pytest.mark.parametrize(
    ("old", "new", "refused"),
    [
        ("date: 2026-10-10", "date: 2200-12-31", False),
        ("date: 2026-10-10", "date: 2201-01-01", True),
        ("date: 2026-10-10", "date: 1900-01-01", False),
        ("date: 2026-10-10", "date: 1899-12-31", True),
        ("period: 2026-Q3", "period: 2200-Q4", False),
        ("period: 2026-Q3", "period: 2201-Q1", True),
        ("owners:", "due_days: {major: 3650}\nowners:", False),
        ("owners:", "due_days: {major: 3651}\nowners:", True),
        ("owners:", "due_days: {ofi: 0}\nowners:", False),
        ("owners:", "due_days: {ofi: -1}\nowners:", True),
    ],
)
def test_years_and_due_days_bounds(tiny: Path, old: str, new: str, refused: bool) -> None:
    replace_in(tiny / "audit.yaml", old, new)
    if refused:
        with pytest.raises(ConfigError):
            load_config(tiny)
    else:
        load_config(tiny)


def test_huge_due_days_no_longer_crash_the_assessment(tiny: Path) -> None:
    """Before: due_days.major: 1000000000 loaded, and assess() died in OverflowError (exit 3 in a run)."""
    replace_in(tiny / "audit.yaml", "owners:", "due_days: {major: 1000000000}\nowners:")
    with pytest.raises(ConfigError, match=r"'due_days\.major' \(line 25\): Input should be less than or equal to 3650"):
        load_config(tiny)


def test_unreadable_audit_yaml_says_so(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)  # as root, chmod 000 would not stop the read
    with pytest.raises(ConfigError, match=r"audit\.yaml: cannot be read \(permission denied\)"):
        load_config(tiny)
