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

from audit.forked import CAN_FORK, ForkFailed, in_fork

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
