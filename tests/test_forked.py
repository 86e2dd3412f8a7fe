"""audit.forked: work handed to a forked copy comes back, or its failure does; the copy leaves no trace."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit import forked
from audit.forked import CAN_FORK, ForkFailed, beside, in_fork
from audit.progress import Event, listening, stage

pytestmark = pytest.mark.skipif(not CAN_FORK, reason="the platform cannot fork (Windows)")


def _children() -> set[int]:
    import psutil

    return {child.pid for child in psutil.Process().children()}


@pytest.fixture(autouse=True)
def no_child_left() -> Iterator[None]:
    """Every copy a test makes is reaped by the end of it (other children of the test process aside)."""
    before = _children()
    yield
    assert _children() <= before


def _boom(message: str) -> None:
    raise KeyError(message)


def test_the_result_comes_back_and_so_does_an_error_with_its_type() -> None:
    big = list(range(200_000))  # inherited, not pickled; the result is larger than a pipe's buffer
    with in_fork(lambda: [x * 2 for x in big]) as work:
        assert work.result() == [x * 2 for x in big]
    with in_fork(_boom, "no such column") as work, pytest.raises(KeyError, match="no such column"):
        work.result()


def test_arrays_and_frames_come_back_whole_out_of_band() -> None:
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"id": pd.array([f"O{i}" for i in range(50_000)], dtype="str"), "x": np.arange(50_000.0)})
    with in_fork(lambda: (frame.iloc[::2].reset_index(drop=True), np.arange(1_000_000))) as work:
        half, numbers = work.result()
    pd.testing.assert_frame_equal(half, frame.iloc[::2].reset_index(drop=True))
    assert numbers.sum() == 999_999 * 1_000_000 // 2
    numbers[0] = 7  # its own memory, written to like any array


def test_a_copy_that_dies_or_cannot_send_its_result_is_a_fork_failure() -> None:
    with in_fork(os._exit, 7) as work, pytest.raises(ForkFailed, match="without a result"):
        work.result()
    with in_fork(lambda: threading.Lock()) as work, pytest.raises(ForkFailed, match="cannot be sent back"):
        work.result()  # a lock does not pickle


def test_leaving_the_block_early_kills_the_copy() -> None:
    with pytest.raises(RuntimeError, match="stop"), in_fork(signal.pause) as work:
        pid = work.pid
        raise RuntimeError("stop")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone and reaped


def test_the_copy_runs_no_handler_of_the_run_and_flushes_none_of_its_output(tmp_path: Path) -> None:
    marker = tmp_path / "cleaned"
    script = textwrap.dedent(
        f"""
        import atexit, os, signal, sys
        from pathlib import Path
        from audit.forked import ForkFailed, in_fork

        marker = Path({str(marker)!r})
        signal.signal(signal.SIGTERM, lambda *a: marker.write_text("cleaned up by the copy"))
        atexit.register(lambda: os.getpid() != {{parent}} and marker.write_text("atexit in the copy"))
        sys.stdout.write("written once")  # still in the buffer when the copy is made
        parent = os.getpid()
        with in_fork(lambda: os.kill(os.getpid(), signal.SIGTERM)) as work:
            try:
                work.result()
            except ForkFailed:
                pass
        with in_fork(lambda: print("printed by the copy", file=sys.stderr) or print("and here") or 42) as work:
            assert work.result() == 42
        """
    ).replace("{parent}", "parent")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("written once", "")  # what the copy prints goes nowhere
    assert not marker.exists()


def _stage_and_sum(numbers: list[int]) -> int:
    with stage("write", "in the copy"):
        return sum(numbers)


def test_beside_gives_the_result_and_the_copys_stage_lines_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "cores", lambda: 2)
    copies: list[int] = []
    real = forked.Forked.start

    def counted(fn: object, args: tuple[object, ...]) -> forked.Forked:
        work = real(fn, args)  # type: ignore[arg-type]
        copies.append(work.pid)
        return work

    monkeypatch.setattr(forked.Forked, "start", counted)
    heard: list[Event] = []
    with listening(heard.append), beside(_stage_and_sum, [1, 2, 3]) as later:
        with stage("write", "here"):
            pass
        assert later() == 6
    assert len(copies) == 1 and copies[0] != os.getpid()
    assert [(e.kind, e.label) for e in heard] == [
        ("start", "here"),
        ("done", "here"),
        ("start", "in the copy"),
        ("done", "in the copy"),
    ]
    assert heard[-1].seconds is not None  # the copy's own seconds


def test_beside_works_here_with_one_core_or_when_the_copy_dies(monkeypatch: pytest.MonkeyPatch) -> None:
    pid = os.getpid()
    monkeypatch.setattr(forked, "cores", lambda: 1)
    with beside(os.getpid) as later:
        assert later() == pid  # not forked
    monkeypatch.setattr(forked, "cores", lambda: 2)
    with beside(os.getpid) as later:
        assert later() != pid
    # dies in the copy, works when done here after all
    with beside(lambda: "done here" if os.getpid() == pid else os._exit(9)) as later:
        assert later() == "done here"
    with beside(_boom, "bad file") as later, pytest.raises(KeyError, match="bad file"):
        later()  # an error is not a death: raised, not retried


@pytest.mark.parametrize(("setting", "expected"), [("", None), ("1", 1), ("64", None), ("0", None), ("two", None)])
def test_cores_are_capped_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, setting: str, expected: int | None
) -> None:
    monkeypatch.setenv(forked.CORES_ENV, setting)
    have = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert forked.cores() == (expected if expected is not None else have)


def test_an_outcome_cut_short_is_not_read_as_a_result() -> None:
    import io

    import numpy as np

    whole = io.BytesIO()
    forked._write_outcome((True, np.arange(1000)), whole)  # type: ignore[arg-type]
    data = whole.getvalue()
    assert forked._read_outcome(io.BytesIO(data))[1].tolist() == list(range(1000))  # type: ignore[arg-type]
    for cut in (0, 10, len(data) // 2, len(data) - 1):
        with pytest.raises(EOFError):
            forked._read_outcome(io.BytesIO(data[:cut]))  # type: ignore[arg-type]


_READY: dict[str, int] = {}


def _get_ready() -> None:
    _READY["pid"] = os.getpid()  # in the copy made ahead: what its call will see


def _who(numbers: object) -> tuple[int, int | None, object]:
    return os.getpid(), _READY.get("pid"), numbers


def _where(_: object) -> tuple[int, int | None]:
    return os.getpid(), _READY.get("pid")


def test_a_copy_made_ahead_prepares_then_does_the_call_with_its_arguments_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numpy as np

    monkeypatch.setattr(forked, "cores", lambda: 2)
    forked.prepare(_get_ready)
    ahead = forked._PREPARED[_get_ready].pid
    forked.prepare(_get_ready)  # one is waiting already: no second copy
    assert forked._PREPARED[_get_ready].pid == ahead
    with beside(_who, np.arange(5), prepared=_get_ready) as later:
        pid, prepared_in, numbers = later()
    assert pid == prepared_in == ahead != os.getpid()
    assert np.asarray(numbers).tolist() == [0, 1, 2, 3, 4]
    assert _get_ready not in forked._PREPARED and "pid" not in _READY  # used once; this process untouched
    with beside(_who, [1], prepared=_get_ready) as later:  # none made ahead now: a copy forked at the call
        pid, prepared_in, _ = later()
    assert pid != os.getpid() and prepared_in is None


def test_a_copy_made_ahead_that_is_gone_or_cannot_take_the_call_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "cores", lambda: 2)
    forked.prepare(_get_ready)
    dead = forked._PREPARED[_get_ready].pid
    os.kill(dead, signal.SIGKILL)
    os.waitpid(dead, 0)
    with beside(_who, [1], prepared=_get_ready) as later:
        assert later()[0] not in (dead, os.getpid())
    forked.prepare(_get_ready)
    ahead = forked._PREPARED[_get_ready].pid
    with beside(_where, lambda: None, prepared=_get_ready) as later:  # a lambda does not pickle: forked at the call
        pid, prepared_in = later()
    assert pid not in (ahead, os.getpid()) and prepared_in is None


def test_a_copy_made_ahead_and_never_called_leaves_when_this_process_lets_it_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(forked, "cores", lambda: 1)
    forked.prepare(_get_ready)
    assert _get_ready not in forked._PREPARED  # one core: nothing made ahead
    monkeypatch.setattr(forked, "cores", lambda: 2)
    forked.prepare(_get_ready)
    ready = forked._PREPARED.pop(_get_ready)
    os.close(ready._go)  # as when this process ends
    _, status = os.waitpid(ready.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    ready._request.close()
    ready._result.close()
