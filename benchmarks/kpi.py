"""Time the KPI stage alone (every KPI, comparison and analysis) at a given scale.

Usage:
    python benchmarks/kpi.py                           # 1,000,000 orders, 200,000 responses,
                                                       # 50,000 complaints, 30,000 returns
    python benchmarks/kpi.py AUDIT_DIR                 # an existing audit folder
    python benchmarks/kpi.py --orders 160000 --responses 24000 --complaints 4800 --returns 3200

The data are generated once under benchmarks/out/ (like run.py) and read outside the
timing. The first call to ``compute_kpis`` in the process is timed separately: it pays
for importing scipy and warming pandas. The budget applies to that first call, which is
what one audit run pays. Exit code 1 when it is over ``--budget`` seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, help="an audit folder; default: generate one")
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders over the 8 quarters")
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--complaints", type=int, default=50_000)
    parser.add_argument("--returns", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed calls after the first")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds allowed for the first call")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where generated data goes")
    args = parser.parse_args()

    from audit.data.dataset import load_audit
    from audit.demo import write_demo

    folder = args.folder
    if folder is None:
        quarters = 8
        target = args.out / f"o{args.orders}-r{args.responses}-c{args.complaints}-n{args.returns}"
        folder = target / "2026-Q3"
        if not (folder / "audit.yaml").is_file():
            print(f"generating {target} …", flush=True)
            write_demo(
                target,
                orders_per_quarter=args.orders // quarters,
                responses_per_quarter=args.responses // quarters,
                complaints_per_quarter=args.complaints // quarters,
                returns_per_quarter=args.returns // quarters,
            )
    started = time.perf_counter()
    data = load_audit(folder)
    print(f"read + validate (not part of the KPI figure): {time.perf_counter() - started:.1f} s")
    rows = {kind: len(frame) for kind, frame in data.history.items()}
    print("rows in the 8-quarter history: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))

    from audit.kpi import compute_kpis

    started = time.perf_counter()
    kpis = compute_kpis(data)
    first = time.perf_counter() - started
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        compute_kpis(data)
        times.append(time.perf_counter() - started)
    chart = kpis.analyses.complaint_chart
    print(
        f"KPIs: {len(kpis)}, segment cells: {len(kpis.analyses.segments)}, "
        f"p-chart points: {len(chart.points) if chart else 0}"
    )
    print(f"compute_kpis, first call in the process: {first:.2f} s (budget {args.budget:g} s)")
    if times:
        print(f"compute_kpis, later calls: median {statistics.median(times):.2f} s, best {min(times):.2f} s")
    return 0 if first <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
