"""Generate the Demo Pumps Ltd audit folder at any scale, for benchmarks.

Counts are totals over all quarters; each quarter gets ``total / quarters`` (the audited
quarter also carries the planted packaging-damage spike on top of its complaints).

Example:
    python benchmarks/generate.py /tmp/bench --orders 1000000 --responses 200000 \\
        --complaints 50000 --returns 30000
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from audit.demo import write_demo


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Write a synthetic audit folder OUT_DIR/<period>/ (audit.yaml and data/).",
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder to write into")
    for name, default, what in (
        ("orders", 160_000, "orders"),
        ("responses", 24_000, "survey responses"),
        ("complaints", 4_800, "complaints, before the planted spike,"),
        ("returns", 3_200, "RMA returns"),
    ):
        parser.add_argument(f"--{name}", type=int, default=default, help=f"{what} in total (default %(default)s)")
    parser.add_argument(
        "--quarters", type=int, default=8, help="quarters of data, ending with --period (default %(default)s)"
    )
    parser.add_argument("--period", default="2026-Q3", help="audited quarter (default %(default)s)")
    parser.add_argument("--site", default="Plant 1", help="site name (default %(default)s)")
    parser.add_argument("--seed", type=int, default=20260930, help="random seed (default %(default)s)")
    parser.add_argument(
        "--audit-date",
        type=dt.date.fromisoformat,
        default=dt.date(2026, 10, 15),
        help="date of the audit, YYYY-MM-DD (default %(default)s)",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="write the files even when the folder already holds them"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, write the folder and print where it is and how long it took.

    Args:
        argv: command-line arguments without the program name; ``sys.argv[1:]`` if None.

    Returns:
        The exit code: 0 when written, 2 when an argument is invalid.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.quarters < 1:
        parser.error("--quarters must be at least 1")
    start = time.perf_counter()
    try:
        folder = write_demo(
            args.out_dir,
            seed=args.seed,
            orders_per_quarter=round(args.orders / args.quarters),
            responses_per_quarter=round(args.responses / args.quarters),
            complaints_per_quarter=round(args.complaints / args.quarters),
            returns_per_quarter=round(args.returns / args.quarters),
            quarters=args.quarters,
            period=args.period,
            site=args.site,
            audit_date=args.audit_date,
            reuse=not args.regenerate,
        )
    except ValueError as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    print(folder)
    print(f"written in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
