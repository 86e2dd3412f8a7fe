"""Progress: stage events, the file a kernel reports through, and the lines a person reads."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from audit.i18n import language
from audit.progress import PROGRESS_ENV, Event, emit, follow, listening, stage, started
from audit.progress.terminal import Lines, Sites, is_terminal
from audit.progress.text import finished, running, size

SRC = Path(__file__).parents[1] / "src"


def _run(view: Lines | Sites, events: list[Event], index: int | None = None) -> None:
    for e in events:
        view(e if index is None else (index, e))  # type: ignore[arg-type]


#: one small audit, as the runner and the kernel report it
AUDIT = [
    Event("start", "audit", "audits/tiny", lang="en"),
    Event("start", "notebook"),
    Event("start", "kernel"),
    Event("done", "kernel", seconds=1.94),
    Event("update", "notebook", n=3, m=19, step=2 / 19),
    Event("start", "read", "orders.csv", m=84_000_000),
    Event("done", "read", "orders.csv", n=1_000_000, seconds=9.81),
    Event("start", "kpis"),
    Event("done", "kpis", n=45, seconds=1.2),
    Event("start", "checks"),
    Event("done", "checks", n=18, seconds=0.2),
    Event("start", "findings"),
    Event("done", "findings", n=16, m=8, seconds=0.3),
    Event("done", "notebook", n=19, seconds=14.0),
    Event("start", "write", "findings.xlsx"),
    Event("done", "write", "findings.xlsx", seconds=0.4),
    Event("start", "pdf", "report.pdf"),
    Event("update", "pdf", "report.pdf", n=3, step=0.6),
    Event("done", "pdf", "report.pdf", n=14, seconds=6.1),
    Event("done", "audit", "audits/tiny", seconds=31.0),
]

LINES_EN = [
    "auditing audits/tiny",
    "starting the notebook kernel … 1.9 s",
    "reading orders.csv: 1,000,000 rows … 9.8 s",
    "KPIs: 45 … 1.2 s",
    "checks: 18 … 0.2 s",
    "findings: 16 (8 need action) … 0.3 s",
    "executing the notebook: 19 cells … 14.0 s",
    "writing findings.xlsx … 0.4 s",
    "rendering PDF: 14 pages … 6.1 s",
    "done … 31.0 s",
]


def test_an_event_survives_its_json_line_and_a_garbled_line_is_none() -> None:
    e = Event("done", "read", "订单.csv", n=3, seconds=0.5)
    assert Event.from_json(e.to_json()) == e
    assert "订单" in e.to_json()  # one line a person can read in the file, not \\u escapes
    assert [Event.from_json(x) for x in ('{"kind": "done", "sta', "[1]", '{"nope": 1}')] == [None, None, None]


def test_without_a_sink_a_stage_goes_nowhere_and_with_one_it_arrives_with_counts_and_seconds() -> None:
    os.environ.pop(PROGRESS_ENV, None)
    started("read", "a.csv").done(3)  # nobody listens: nothing happens, nothing fails
    heard: list[Event] = []
    with listening(heard.append):
        reading = started("read", "a.csv", m=10)
        reading.update(step=0.5)
        assert reading.done(3) >= 0
        reading.done(4)  # done once only
        with pytest.raises(KeyError), stage("write", "b.xlsx"):
            raise KeyError("x")
    assert [(e.kind, e.stage, e.label, e.n, e.m) for e in heard] == [
        ("start", "read", "a.csv", None, 10),
        ("update", "read", "a.csv", None, 10),
        ("done", "read", "a.csv", 3, None),
        ("start", "write", "b.xlsx", None, None),
        ("end", "write", "b.xlsx", None, None),
    ]
    assert heard[2].seconds is not None and heard[2].seconds >= 0


def test_a_failing_sink_never_stops_the_work() -> None:
    def broken(event: Event) -> None:
        raise OSError("the pipe is closed")

    with listening(broken):
        emit(Event("start", "kpis"))
        assert started("kpis").done(1) >= 0


def test_events_another_process_writes_to_the_named_file_arrive_in_order(tmp_path: Path) -> None:
    """The kernel's side: PROGRESS_ENV names the file; the runner follows it while the kernel works."""
    path = tmp_path / "progress.jsonl"
    path.touch()
    heard: list[Event] = []
    code = (
        "from audit.progress import started\n"
        "for name in ('surveys.csv', 'orders.csv'):\n"
        "    started('read', name).done(7)\n"
        "started('kpis').done(45)\n"
    )
    env = {**os.environ, PROGRESS_ENV: str(path), "PYTHONPATH": str(SRC)}
    with follow(path, heard.append, poll=0.01):
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert [(e.kind, e.stage, e.label, e.n) for e in heard] == [
        ("start", "read", "surveys.csv", None),
        ("done", "read", "surveys.csv", 7),
        ("start", "read", "orders.csv", None),
        ("done", "read", "orders.csv", 7),
        ("start", "kpis", "", None),
        ("done", "kpis", "", 45),
    ]


def test_off_a_terminal_one_plain_line_per_finished_stage_in_order() -> None:
    out = io.StringIO()
    with Lines(out) as view:
        _run(view, AUDIT)
    assert out.getvalue().splitlines() == LINES_EN
    assert "\x1b" not in out.getvalue() and "\r" not in out.getvalue() and not is_terminal(out)


def test_the_lines_are_in_chinese_when_the_audit_is() -> None:
    out = io.StringIO()
    with Lines(out) as view:
        _run(view, [Event("start", "audit", "audits/tiny", lang="zh-CN"), *AUDIT[1:]])
    lines = out.getvalue().splitlines()
    assert lines[2] == "读取 orders.csv：1,000,000 行 … 9.8 秒"
    assert lines[5] == "审核发现：16 项（8 项需采取措施） … 0.3 秒"
    assert lines[8] == "生成 PDF：14 页 … 6.1 秒"
    assert not [line for line in lines if "reading" in line or " s" in line]


def test_singular_counts_and_sizes() -> None:
    with language("en"):
        assert finished(Event("done", "read", "a.csv", n=1, seconds=0.04)) == "reading a.csv: 1 row … 0.0 s"
        assert finished(Event("done", "findings", n=1, m=1)) == "findings: 1 (1 needs action)"
        assert running(Event("start", "read", "a.csv", m=84_000_000)) == "reading a.csv (84 MB)"
    assert (size(1_500_000), size(312_000), size(12)) == ("1.5 MB", "312 KB", "1 KB")


def test_on_a_terminal_the_running_stage_is_redrawn_with_a_bar_and_finished_lines_stay() -> None:
    out = io.StringIO()
    with Lines(out, live=True) as view:
        _run(view, AUDIT[:6])  # reading orders.csv, still running
        shown = out.getvalue()
        assert shown.endswith("s") and "reading orders.csv (84 MB) ▕" in shown.rsplit("\x1b[J", 1)[-1]
        view(Event("update", "pdf"))  # an update of a stage not running changes nothing
        _run(view, AUDIT[6:])
    text = out.getvalue()
    assert text.endswith("\r\x1b[Jdone … 31.0 s\n")  # the live line gave way to the last line
    finals = [line.rsplit("\x1b[J", 1)[-1] for line in text.split("\n")[:-1]]
    assert finals == LINES_EN


def test_a_terminal_that_cannot_show_the_bar_gets_ascii_and_a_closed_one_is_ignored() -> None:
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii")
    with Lines(ascii_out, live=True) as view:
        _run(view, [Event("start", "audit", "审核", lang="zh-CN"), Event("start", "read", "订单.csv")])
        _run(view, [Event("done", "read", "订单.csv", n=3, seconds=1.0)])
    ascii_out.flush()
    text = raw.getvalue().decode("ascii")
    assert "#" in text and "[" in text and "..." in text  # the bar and the ellipsis in ASCII
    assert "??.csv" in text  # Chinese replaced, not raised
    closed = io.StringIO()
    closed.close()
    with Lines(closed, live=True) as view:
        _run(view, AUDIT)  # no ValueError from the closed stream


def test_several_sites_one_live_line_each_until_each_ends() -> None:
    out = io.StringIO()
    with Sites(["plant-1/2026-Q3", "plant-2/2026-Q3"], out, live=True) as view:
        view((0, Event("start", "audit", "a", lang="en")))
        view((0, Event("start", "read", "orders.csv")))
        view((1, Event("start", "audit", "b", lang="zh-CN")))
        view((1, Event("start", "kpis")))
        block = out.getvalue().rsplit("\x1b[J", 1)[-1].split("\n")
        assert len(block) == 2
        assert block[0].startswith("plant-1/2026-Q3  reading orders.csv ▕") and block[0].endswith(" s")
        assert block[1].startswith("plant-2/2026-Q3  计算 KPI") and block[1].endswith(" 秒")
        view.finish(0)
        with view.paused():
            out.write("[1/2] done plant-1\n")
        before, after = out.getvalue().rsplit("[1/2] done plant-1\n", 1)
        assert before.endswith("\r\x1b[J")  # the live lines went first, then came back below the line
        assert "\n" not in after and after.startswith("plant-2/2026-Q3  计算 KPI")
    quiet = io.StringIO()
    with Sites(["a", "b"], quiet) as view:  # off a terminal: nothing of its own
        view((0, Event("start", "audit", "a")))
        view((5, Event("start", "audit", "x")))  # an index it does not know is ignored
    assert quiet.getvalue() == ""


def test_python_without_a_stderr_shows_nothing_and_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)  # as under pythonw, or with descriptor 2 closed
    with Lines(live=True) as view, listening(view):
        assert not is_terminal(sys.stderr)
        started("read", "a.csv").done(1)
        assert view.out.dead
