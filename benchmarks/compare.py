"""Run the project and its floor alternately, N times each, and print both medians and the ratio; not part of the test run.

Usage:
    python benchmarks/compare.py AUDIT_DIR                  # `csat-audit run AUDIT_DIR` against benchmarks/floor.py
    python benchmarks/compare.py AUDIT_DIR --stage read     # read + validate (load_audit) against the pyarrow read
    python benchmarks/compare.py --stage demo               # `make demo` on the installed venv against its floor
    python benchmarks/compare.py --stage sites              # `csat-audit demo --sites 4` with --jobs 2 against --jobs 1
    python benchmarks/compare.py AUDIT_DIR -n 5 --python .venv/bin/python

Stages (each command is a whole process, started afresh every time, the two alternating):

- ``run``: ``python -m audit.cli run -q AUDIT_DIR`` against ``floor.py AUDIT_DIR`` (reads the
  inputs with pyarrow/python_calamine, renders the run's own report.html with WeasyPrint).
  When AUDIT_DIR has no report.html yet, the project's first run comes before the floor's.
- ``read``: a process that imports the project and calls ``audit.load_audit(AUDIT_DIR)`` against
  ``floor.py AUDIT_DIR --read-only``; the ratio compares the seconds of the call and of the read
  inside each process, without interpreter start and imports (both are shown).
- ``demo``: ``make -C REPO demo`` (the venv must be installed: the first, uncounted, run builds it
  otherwise) against ``floor.py REPO/audits/demo/2026-Q3``.
- ``sites``: ``csat-audit demo --sites 4 --jobs 1`` against ``--jobs 2`` (into benchmarks/out/sites-demo).

Peak memory is reported two ways. "tree MiB" is the largest sum of the resident set sizes of the
process and all its descendants (the notebook kernel, --jobs workers), sampled every 20 ms from
/proc; shared pages count once per process. "max proc MiB" is the largest resident set of any
single process of the tree, from ``wait4`` (``ru_maxrss``, what ``/usr/bin/time -f %M`` prints).
"CPU s" is the user + system time of the process and the descendants it waited for (``wait4``):
on a shared machine it moves much less with other work than the wall-clock seconds do, though it
also counts what parallel workers do at once. The load average (1 minute) is printed before and
after every run: compare only runs made under similar load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PAGE = resource.getpagesize()
#: the project's read + validate, timed inside its process (the public API, wherever the reader lives)
LOAD = (
    "import json, sys, time; t0 = time.perf_counter(); import audit; t1 = time.perf_counter(); "
    "data = audit.load_audit(sys.argv[1]); t2 = time.perf_counter(); "
    "print(json.dumps({'import_seconds': t1 - t0, 'read_seconds': t2 - t1, "
    "'rows': {s.kind: s.rows_read for s in data.sources}}))"
)


@dataclass
class Sample:
    """One run of one command."""

    seconds: float
    tree_mib: float
    proc_mib: float
    cpu_seconds: float
    load_before: float
    load_after: float
    report: dict[str, object] = field(default_factory=dict)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def _tree_rss(pid: int) -> int:
    """Bytes resident in ``pid`` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except OSError:
            continue
        todo.extend(_children(p))
    return total


def measure(command: list[str], *, cwd: Path | None = None) -> Sample:
    """Run ``command`` to completion; its wall time, peak memory and JSON report (last stdout line, if any)."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, text=True)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.02):
                peak = max(peak, _tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)  # not proc.wait(): wait4 returns the tree's ru_maxrss
        seconds = time.perf_counter() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        lines, errors = out.read().strip().splitlines(), err.read()
    if code != 0:
        sys.exit(f"compare.py: {' '.join(command)} failed with exit code {code}:\n{errors[-2000:]}")
    report: dict[str, object] = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(seconds, peak / 2**20, usage.ru_maxrss / 1024, cpu, load_before, os.getloadavg()[0], report)


def _print_runs(name: str, samples: list[Sample], key: str | None) -> None:
    for i, s in enumerate(samples, start=1):
        inner = f"  {key} {float(s.report[key]):6.2f} s" if key and key in s.report else ""  # type: ignore[arg-type]
        print(
            f"  {name:<9} run {i}: {s.seconds:7.2f} s  CPU {s.cpu_seconds:7.2f} s  tree {s.tree_mib:7.0f} MiB"
            f"  max proc {s.proc_mib:7.0f} MiB"
            f"  load {s.load_before:.2f}→{s.load_after:.2f}{inner}"
        )


def _median(samples: list[Sample], what: str) -> float:
    if what in ("seconds", "cpu_seconds", "tree_mib", "proc_mib"):
        return float(statistics.median(getattr(s, what) for s in samples))
    return float(statistics.median(float(s.report[what]) for s in samples))  # type: ignore[arg-type]


def alternate(
    name_a: str,
    command_a: list[str],
    name_b: str,
    command_b: list[str],
    n: int,
    *,
    inner: str | None = None,
    first: Sample | None = None,
) -> tuple[list[Sample], list[Sample]]:
    """Run A, B, A, B … ``n`` times each and print every run, both medians and the ratio A / B.

    ``first``, when given, is A's first run, already made.
    """
    a: list[Sample] = [] if first is None else [first]
    b: list[Sample] = []
    for _ in range(n):
        if len(a) == len(b):
            a.append(measure(command_a))
        b.append(measure(command_b))
    _print_runs(name_a, a, inner)
    _print_runs(name_b, b, inner)
    print(f"{'':<12}{'median s':>10}{'CPU s':>10}{'tree MiB':>10}{'proc MiB':>10}" + (f"{inner:>16}" if inner else ""))
    for name, samples in ((name_a, a), (name_b, b)):
        extra = f"{_median(samples, inner):16.2f}" if inner else ""
        print(
            f"{name:<12}{_median(samples, 'seconds'):10.2f}{_median(samples, 'cpu_seconds'):10.2f}"
            f"{_median(samples, 'tree_mib'):10.0f}{_median(samples, 'proc_mib'):10.0f}{extra}"
        )
    ratio = _median(a, "seconds") / _median(b, "seconds")
    print(f"ratio {name_a} / {name_b} (whole processes): {ratio:.2f}×")
    cpu_ratio = _median(a, "cpu_seconds") / _median(b, "cpu_seconds")
    print(f"ratio {name_a} / {name_b} (CPU seconds of the process trees): {cpu_ratio:.2f}×")
    if inner:
        print(
            f"ratio {name_a} / {name_b} ({inner}, inside the processes): {_median(a, inner) / _median(b, inner):.2f}×"
        )
    return a, b


def _input_mib(folder: Path) -> float:
    data = folder / "data"
    return sum(p.stat().st_size for p in data.rglob("*") if p.is_file()) / 2**20 if data.exists() else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", metavar="AUDIT_DIR", help="audit folder (run and read)")
    parser.add_argument("--stage", choices=("run", "read", "demo", "sites"), default="run")
    parser.add_argument("-n", type=int, default=3, help="runs of each command (default %(default)s)")
    parser.add_argument("--python", default=sys.executable, help="the venv's python (default: this one)")
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout with an installed .venv (demo, sites)")
    parser.add_argument("--sites", type=int, default=4, help="sites for --stage sites (default %(default)s)")
    args = parser.parse_args(argv)
    floor = [args.python, str(HERE / "floor.py")]
    print(f"{dt.datetime.now().isoformat(timespec='seconds')}  {os.cpu_count()} CPUs  stage {args.stage}  n={args.n}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.stage in ("run", "read"):
        if args.folder is None:
            parser.error(f"--stage {args.stage} needs AUDIT_DIR")
        folder = args.folder.resolve()
        print(f"audit folder: {folder} (input files {_input_mib(folder):.0f} MiB)")
        if args.stage == "run":
            project = [args.python, "-m", "audit.cli", "run", "-q", str(folder)]
            # the floor renders the run's own report: with none yet, the project's first run comes first
            first = None if (folder / "report.html").exists() else measure(project)
            alternate("project", project, "floor", [*floor, str(folder)], args.n, first=first)
        else:
            project = [args.python, "-c", LOAD, str(folder)]
            alternate("project", project, "floor", [*floor, str(folder), "--read-only"], args.n, inner="read_seconds")
    elif args.stage == "demo":
        repo = args.repo.resolve()
        python = str(repo / ".venv" / "bin" / "python")
        make = ["make", "-s", "-C", str(repo), "demo"]
        if not (repo / "audits" / "demo" / "2026-Q3" / "report.html").exists() or not Path(python).exists():
            measure(make)
        folder = repo / "audits" / "demo" / "2026-Q3"
        alternate("make demo", make, "floor", [python, str(HERE / "floor.py"), str(folder)], args.n)
    else:
        repo = args.repo.resolve()
        cli = str(repo / ".venv" / "bin" / "csat-audit")
        root = HERE / "out" / "sites-demo"
        shutil.rmtree(root, ignore_errors=True)
        command = [cli, "demo", "--root", str(root), "--sites", str(args.sites)]
        measure([*command, "--jobs", "1"])  # warm-up: fonts, matplotlib, bytecode
        alternate("--jobs 2", [*command, "--jobs", "2"], "--jobs 1", [*command, "--jobs", "1"], args.n)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
