"""Time `csat-audit run` over several demo sites: one after another, then with --jobs; not part of the test run.

Usage:
    python benchmarks/sites.py                    # 4 sites, --jobs 2
    python benchmarks/sites.py --sites 4 --jobs 2 --orders 20000

Writes the sites into benchmarks/out/sites/ (plant-1 … plant-N), runs them once to warm the
caches (fonts, matplotlib, bytecode), then times `run --jobs 1` and `run --jobs N` over the same
folders and prints the ratio. The machine's load average is printed too: other work on the
machine takes cores from the parallel run and distorts the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _timed(folders: list[Path], jobs: int) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "audit.cli", "run", *map(str, folders), "--jobs", str(jobs)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--orders", type=int, default=20_000, help="orders per quarter per site")
    args = parser.parse_args()
    from audit.demo import write_demo_sites

    root = HERE / "out" / "sites"
    shutil.rmtree(root, ignore_errors=True)
    folders = write_demo_sites(root, args.sites, orders_per_quarter=args.orders)
    print(f"{args.sites} sites, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    _timed(folders[:1], 1)  # warm-up
    one_by_one = _timed(folders, 1)
    parallel = _timed(folders, args.jobs)
    print(
        f"one after another: {one_by_one:.1f} s; --jobs {args.jobs}: {parallel:.1f} s; "
        f"ratio {parallel / one_by_one:.2f}; load average {os.getloadavg()[0]:.2f} at end"
    )


if __name__ == "__main__":
    main()
