"""Quarters the data files no longer cover take their KPIs from the site's earlier audits."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from audit import compute_kpis, load_audit, open_audit
from conftest import write_results


def test_earlier_audits_fill_history_the_data_does_not_cover(tiny: Path) -> None:
    earlier = tiny.parent / "2026-Q2"
    q2 = write_results(earlier, "TINY-2026-Q2", "2026-Q2", [])
    recorded = {
        "complaints": (9.0, 9),  # the tiny complaint log starts in 2026-Q3
        "nps": (-100.0, 2),  # the survey file covers 2026-Q2: the data wins
    }
    kpis_q2 = tuple(
        dataclasses.replace(k, value=recorded[k.id][0], n=recorded[k.id][1]) if k.id in recorded else k for k in q2.kpis
    )
    dataclasses.replace(q2, kpis=dataclasses.replace(q2.kpis, kpis=kpis_q2)).dump(earlier / "results.json")
    (tiny.parent / "2026-Q1").mkdir()  # a folder without results is skipped
    (tiny.parent / "2026-Q0-broken").mkdir()
    (tiny.parent / "2026-Q0-broken" / "results.json").write_text("{not json", encoding="utf-8")  # skipped too
    run = open_audit(tiny)
    assert set(run.earlier) == {"2026-Q2"}
    kpis = compute_kpis(load_audit(run.config), earlier=run.earlier)
    complaints = kpis["complaints"]
    assert complaints.previous == 9 and dict(complaints.history)["2026-Q2"] == 9
    assert complaints.p_value is None  # shown, not tested: results.json keeps no counts
    assert kpis["nps"].previous != -100.0
