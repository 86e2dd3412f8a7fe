"""csat-audit status: sites × quarters from results.json, issue.json and the register (nothing is run)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from audit.cycle.register import update_register
from audit.cycle.status import audit_status, status_table
from audit.model import Entry, Grade
from conftest import write_results

CLI = [sys.executable, "-m", "audit.cli"]


def _audit(
    folder: Path, audit_id: str, period: str, grades: list[Grade] | None, *, issued: bool = False, revision: int = 1
) -> None:
    folder.mkdir(parents=True)
    (folder / "audit.yaml").write_text("audit: {}\n", encoding="utf-8")  # status never reads it
    if grades is None:
        return
    write_results(folder, audit_id, period, grades, revision=revision)
    if issued:
        record = {
            "issues": [
                {
                    "revision": 1,
                    "report": "report.pdf",
                    "sha256": "0" * 64,
                    "issued_on": "2026-10-20",
                    "by": "X",
                    "files": {},
                }
            ]
        }
        (folder / "issue.json").write_text(json.dumps(record), encoding="utf-8")


def test_status_counts_grades_actions_and_states(tmp_path: Path) -> None:
    root = tmp_path / "audits"
    _audit(
        root / "plant-1" / "2026-Q2",
        "P1-2026-Q2",
        "2026-Q2",
        ["major", "minor", "minor", "ofi", "conforming"],
        issued=True,
    )
    _audit(
        root / "plant-1" / "2026-Q3", "P1-2026-Q3", "2026-Q3", ["observation", "ofi", "ofi"], issued=True, revision=2
    )
    _audit(root / "plant-2" / "2026-Q3", "P2-2026-Q3", "2026-Q3", None)
    _audit(root / "plant-1" / ".audit.staging", "junk", "2026-Q1", ["major"])  # hidden: never listed
    day = dt.date(2026, 10, 20)
    entries = [
        Entry(id="A-1", raised_in="P1-2026-Q2", due=dt.date(2026, 8, 1)),  # open, overdue
        Entry(id="A-2", raised_in="P1-2026-Q2", due=dt.date(2026, 12, 1)),  # open
        Entry(id="A-3", raised_in="P1-2026-Q2", due=dt.date(2026, 8, 1), status="closed"),
        Entry(id="A-4", raised_in="P1-2026-Q3", due=dt.date(2026, 9, 1), status="in progress"),  # overdue
    ]
    update_register(root / "plant-1" / "actions.xlsx", "P1-2026-Q3", entries, {}, day)
    rows = audit_status(root, today=day)
    assert [(r.site, r.period, r.state) for r in rows] == [
        ("plant-1", "2026-Q2", "issued rev 1"),
        ("plant-1", "2026-Q3", "draft rev 2"),
        ("plant-2", "2026-Q3", "not run"),
    ]
    q2, q3, p2 = rows
    assert q2.grades == {"major": 1, "minor": 2, "observation": 0, "ofi": 1}
    assert (q2.open_actions, q2.overdue_actions) == (2, 1)
    assert q3.grades == {"major": 0, "minor": 0, "observation": 1, "ofi": 2}
    assert (q3.open_actions, q3.overdue_actions) == (1, 1)
    assert p2.conclusion is None
    table = status_table(rows).splitlines()
    assert table[0].split() == [
        "site",
        "quarter",
        "conclusion",
        "major",
        "minor",
        "obs",
        "ofi",
        "open",
        "overdue",
        "state",
    ]
    assert table[1].split() == [
        "plant-1",
        "2026-Q2",
        "partially",
        "effective",
        "1",
        "2",
        "0",
        "1",
        "2",
        "1",
        "issued",
        "rev",
        "1",
    ]
    assert table[3].split()[:3] == ["plant-2", "2026-Q3", "–"] and table[3].endswith("not run")


def test_cli_status_missing_root_exits_2(tmp_path: Path) -> None:
    done = subprocess.run([*CLI, "status", str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "no such folder" in done.stderr
