"""Time each stage of an audit and report peak memory; not part of the test run.

Usage:
    python benchmarks/run.py                       # the demo organisation (generated if absent)
    python benchmarks/run.py AUDIT_DIR             # an existing audit folder
    python benchmarks/run.py --orders 1000000 --responses 200000 --complaints 50000 --returns 30000

Stages: read + validate, KPIs, assessment (in this process), then the whole notebook
execution through papermill (a kernel process: it reads and computes again) and the
report rendering (HTML export, PDF). Peak memory is the resident set size sampled
every 5 ms during the stage (the kernel's own peak for the notebook stage).
"""

from __future__ import annotations

import argparse
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
T = TypeVar("T")


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 1e6


class _Peak:
    """Samples this process's resident memory in a thread while a stage runs."""

    def __enter__(self) -> _Peak:
        self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


def stage(rows: list[tuple[str, float, float]], name: str, work: Callable[[], T]) -> T:
    """Run one stage, append (name, seconds, peak MB) to ``rows`` and return its result."""
    with _Peak() as peak:
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    rows.append((name, seconds, peak.peak))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, help="an audit folder; default: generate one")
    parser.add_argument("--orders", type=int, default=160_000, help="orders over the 8 quarters")
    parser.add_argument("--responses", type=int, default=24_000)
    parser.add_argument("--complaints", type=int, default=4_800)
    parser.add_argument("--returns", type=int, default=3_200)
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where generated data goes")
    parser.add_argument("--no-notebook", action="store_true", help="time the in-process stages only")
    args = parser.parse_args()

    import audit
    from audit.demo import write_demo
    from audit.runner import run_audit

    rows: list[tuple[str, float, float]] = []
    folder = args.folder
    if folder is None:
        quarters = 8
        target = args.out / f"o{args.orders}-r{args.responses}-c{args.complaints}-n{args.returns}"
        folder = stage(
            rows,
            "generate data",
            lambda: write_demo(
                target,
                orders_per_quarter=args.orders // quarters,
                responses_per_quarter=args.responses // quarters,
                complaints_per_quarter=args.complaints // quarters,
                returns_per_quarter=args.returns // quarters,
            ),
        )
    data = stage(rows, "read + validate", lambda: audit.load_audit(folder))
    kpis = stage(rows, "KPIs", lambda: audit.compute_kpis(data))
    stage(rows, "assess", lambda: audit.assess(data, kpis))
    if not args.no_notebook:
        result = stage(rows, "whole run (kernel, outputs, PDF)", lambda: run_audit(folder, progress=False))
        kernel_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3
        rows[-1] = (rows[-1][0], rows[-1][1], kernel_peak)
        rows += [(f"  of which {name}", seconds, float("nan")) for name, seconds in result.timings.items()]

    counts = {s.kind: s.rows_read for s in data.sources}
    print(f"audit folder: {folder}")
    print("rows read: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"{'stage':<26}{'seconds':>10}{'peak MB':>10}")
    for name, seconds, peak in rows:
        print(f"{name:<26}{seconds:>10.2f}{peak:>10.0f}" if peak == peak else f"{name:<26}{seconds:>10.2f}{'':>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
