"""csat-audit new: next quarter's audit.yaml carried forward (no papermill run)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from audit.config import load_config
from audit.cycle.carry import new_audit, roll_period_text
from audit.exceptions import ConfigError, OverwriteRefused
from audit.paths import INPUT_TEMPLATES_DIR
from conftest import TINY, replace_in

CLI = [sys.executable, "-m", "audit.cli"]


@pytest.mark.parametrize(
    ("text", "rolled"),
    [
        ("data/2026-Q3.csv", "data/2026-Q4.csv"),
        ("exports/2026Q3/crm.xlsx", "exports/2026Q4/crm.xlsx"),
        ("rma_2026_q3.xlsx", "rma_2026_q4.xlsx"),
        ("Q3-2026 complaints.xlsx", "Q4-2026 complaints.xlsx"),
        ("survey Q3 2026.csv", "survey Q4 2026.csv"),
        ("12026-Q3.csv", "12026-Q3.csv"),  # another year
        ("2026-Q31.csv", "2026-Q31.csv"),
        ("2025-Q3.csv", "2025-Q3.csv"),
        ("XQ3-2026.csv", "XQ3-2026.csv"),
    ],
)
def test_roll_period_text_recognises_the_usual_forms(text: str, rolled: str) -> None:
    assert roll_period_text(text, "2026-Q3", "2026-Q4") == rolled


def test_roll_over_the_year_end() -> None:
    assert roll_period_text("orders_2026Q4.csv", "2026-Q4", "2027-Q1") == "orders_2027Q1.csv"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """audits/plant-1/2026-Q3 from the tiny fixture, its survey export named by period."""
    q3 = tmp_path / "audits" / "plant-1" / "2026-Q3"
    shutil.copytree(TINY, q3)
    (q3 / "exports").mkdir()
    (q3 / "surveys.csv").rename(q3 / "exports" / "surveys_2026Q3.csv")
    replace_in(q3 / "audit.yaml", "path: surveys.csv", "path: exports/surveys_2026Q3.csv")
    replace_in(
        q3 / "audit.yaml",
        "  date: 2026-10-10\n",
        "  date: 2026-10-10   # fieldwork\n  start: 2026-07-01\n  end: 2026-09-30\n",
    )
    replace_in(q3 / "audit.yaml", "targets:", "previous: ../2026-Q2\ntargets:")
    return q3


def test_new_carries_audit_yaml_forward(site: Path) -> None:
    made = new_audit("2026-Q4", site)
    q4 = site.parent / "2026-Q4"
    assert made.folder == q4 and made.config == q4 / "audit.yaml"
    raw = yaml.safe_load(made.config.read_text(encoding="utf-8"))
    old = yaml.safe_load((site / "audit.yaml").read_text(encoding="utf-8"))
    assert raw["audit"]["id"] == "TINY-2026-Q4" and raw["audit"]["period"] == "2026-Q4"
    assert "start" not in raw["audit"] and "end" not in raw["audit"]
    assert str(raw["audit"]["date"]) == "2027-01-10"
    assert raw["previous"] == "../2026-Q3"
    assert raw["targets"] == old["targets"] and raw["owners"] == old["owners"] and raw["sla"] == old["sla"]
    assert raw["data"]["surveys"]["path"] == "exports/surveys_2026Q4.csv"
    assert raw["data"]["surveys"]["columns"] == old["data"]["surveys"]["columns"]
    assert "# fieldwork" in made.config.read_text(encoding="utf-8")  # comments stay
    assert made.rolled == (("exports/surveys_2026Q3.csv", "exports/surveys_2026Q4.csv"),)
    assert {p.name for p in made.to_supply} == {"surveys_2026Q4.csv", "complaints.csv", "returns.csv", "orders.csv"}
    config = load_config(q4)
    assert config.audit.period_start.isoformat() == "2026-10-01" and config.previous == "../2026-Q3"


def test_new_refuses_to_overwrite_and_same_period(site: Path) -> None:
    new_audit("2026-Q4", site)
    with pytest.raises(OverwriteRefused, match="never overwritten"):
        new_audit("2026-Q4", site)
    with pytest.raises(ConfigError, match="already audits 2026-Q3"):
        new_audit("2026-Q3", site)
    with pytest.raises(ConfigError, match="not a calendar quarter"):
        new_audit("2026-13", site)


def test_cli_new_lists_files_to_supply_and_exits_2_on_overwrite(site: Path) -> None:
    done = subprocess.run([*CLI, "new", "2026-Q4", "--from", str(site)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "files still to supply for 2026-Q4:" in done.stdout and "surveys_2026Q4.csv" in done.stdout
    assert "rolled exports/surveys_2026Q3.csv → exports/surveys_2026Q4.csv" in done.stdout
    assert "a copy of" in done.stdout and "replace it with the 2026-Q4 export" in done.stdout
    again = subprocess.run([*CLI, "new", "2026-Q4", "--from", str(site)], capture_output=True, text=True)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "exists" in again.stderr


def test_new_starts_each_data_file_from_last_quarters_or_a_blank_template(site: Path) -> None:
    replace_in(site / "audit.yaml", "path: returns.csv", "path: returns_2026Q3.xlsx")  # no such file last quarter
    made = new_audit("2026-Q4", site)
    q4 = made.folder
    started = {new.name: origin for new, origin in made.copied}
    assert started["surveys_2026Q4.csv"] == (site / "exports" / "surveys_2026Q3.csv").resolve()
    assert (q4 / "exports" / "surveys_2026Q4.csv").read_bytes() == (
        site / "exports" / "surveys_2026Q3.csv"
    ).read_bytes()
    assert started["complaints.csv"] == (site / "complaints.csv").resolve()
    assert started["returns_2026Q4.xlsx"] == INPUT_TEMPLATES_DIR / "returns.xlsx"  # a blank template
    assert set(started) <= {p.name for p in made.to_supply}  # each still to be replaced
    assert (site / "exports" / "surveys_2026Q3.csv").exists()  # the source untouched
