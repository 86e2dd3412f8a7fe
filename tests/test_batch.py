"""run DIR DIR … --jobs N: several folders, one failure does not stop the others."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audit.batch import Outcome, failures_exit_code, run_many
from conftest import TINY, replace_in

CLI = [sys.executable, "-m", "audit.cli"]


def test_failures_do_not_stop_the_others_and_come_back_in_order(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    broken = tmp_path / "broken"
    shutil.copytree(TINY, broken)
    replace_in(broken / "audit.yaml", "site:", "sight:")
    seen: list[tuple[int, int]] = []
    outcomes = run_many([missing, broken], jobs=2, on_done=lambda o, n, total: seen.append((n, total)))
    assert [o.folder for o in outcomes] == [missing, broken]
    assert [o.exit_code for o in outcomes] == [2, 2]
    assert "no audit configuration found" in outcomes[0].error and "unknown key 'audit.sight'" in outcomes[1].error
    assert sorted(seen) == [(1, 2), (2, 2)]
    assert failures_exit_code(outcomes) == 2


def test_exit_code_counts_failures_up_to_100() -> None:
    assert failures_exit_code([Outcome(Path("a")), Outcome(Path("b"), exit_code=3)]) == 1
    assert failures_exit_code([Outcome(Path(str(i)), exit_code=2) for i in range(150)]) == 100


def test_cli_runs_several_sites_in_parallel(tmp_path: Path) -> None:
    good = tmp_path / "plant-1" / "2026-Q3"
    shutil.copytree(TINY, good)
    bad = tmp_path / "plant-2" / "2026-Q3"
    shutil.copytree(TINY, bad)
    replace_in(bad / "surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,9,")
    done = subprocess.run(
        [*CLI, "run", str(good), str(bad), str(tmp_path / "nowhere"), "--jobs", "2"], capture_output=True, text=True
    )
    assert done.returncode == 2, done.stderr
    out = done.stdout.strip().splitlines()
    assert len(out) == 1 and out[0].endswith(f"done   {good / 'report.pdf'}" + out[0][out[0].rindex(" (") :])
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 3 and errors[-1] == "1 of 3 audits done, 2 failed"
    assert any(f"failed {bad}: " in e and "row 5, column 'Overall satisfaction'" in e for e in errors)
    assert (good / "report.pdf").is_file() and not (bad / "report.pdf").exists()
    assert not (good / ".audit.lock").exists() and not (bad / ".audit.lock").exists()
    status = subprocess.run(
        [*CLI, "status", str(tmp_path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert [line.split()[:2] for line in status[1:]] == [["plant-1", "2026-Q3"], ["plant-2", "2026-Q3"]]
    assert status[1].endswith("draft rev 1") and status[2].endswith("not run")


def test_folders_run_one_after_another_have_the_cores_to_themselves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit import batch

    seen: list[tuple[str, bool]] = []

    def recorded(folder: str, *, progress: bool = True, alone: bool = True) -> None:
        seen.append((Path(folder).name, alone))
        raise batch.AuditError("stop here")

    monkeypatch.setattr(batch, "run_audit", recorded)
    run_many([tmp_path / "a", tmp_path / "b"], jobs=1)
    assert seen == [("a", True), ("b", True)]  # so their charts are drawn on two cores
    batch._run_one(str(tmp_path / "c"), False, 0, False)  # a --jobs worker: the other workers use the cores
    assert seen[-1] == ("c", False)


def test_a_command_leaves_its_objects_to_the_system_when_it_ends() -> None:
    # audit.cli (and each --jobs worker) freezes the heap in its last exit handler: the interpreter's
    # final garbage collections then skip the run's objects (a second after a run)
    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: sys.stdout.write(str(gc.get_freeze_count() > 0)))\n"  # runs after cli's
        "import audit.cli\n"
        "from audit import batch\n"
        "batch._worker(None)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == "True"
