"""Quarters the data files no longer cover take their KPIs from the site's earlier audits."""

from __future__ import annotations

import json
from pathlib import Path

from audit import compute_kpis, load_audit, open_audit


def test_earlier_audits_fill_history_the_data_does_not_cover(tiny: Path) -> None:
    earlier = tiny.parent / "2026-Q2"
    earlier.mkdir()
    kpis_q2 = {
        "complaints": {"value": 9, "n": 9},  # the tiny complaint log starts in 2026-Q3
        "nps": {"value": -100.0, "n": 2},  # the survey file covers 2026-Q2: the data wins
    }
    (earlier / "results.json").write_text(
        json.dumps({"audit": {"period": "2026-Q2"}, "kpis": kpis_q2}), encoding="utf-8"
    )
    (tiny.parent / "2026-Q1").mkdir()  # a folder without results is skipped
    run = open_audit(tiny)
    assert set(run.earlier) == {"2026-Q2"}
    kpis = compute_kpis(load_audit(run.config), earlier=run.earlier)
    complaints = kpis["complaints"]
    assert complaints.previous == 9 and dict(complaints.history)["2026-Q2"] == 9
    assert complaints.p_value is None  # shown, not tested: results.json keeps no counts
    assert kpis["nps"].previous != -100.0
