"""Time writing findings.xlsx for an audit folder, optionally against another version of the sheet writer; not part of the test run.

Usage:
    python benchmarks/findings_xlsx.py AUDIT_DIR                        # -n 3 writes, median
    python benchmarks/findings_xlsx.py AUDIT_DIR --against OLD_XLSX_PY  # alternate with OLD's write_sheet

Reads, validates and assesses the folder once (not timed), then writes findings.xlsx into a
temporary folder ``-n`` times. To compare two branches whose ``write_sheet`` take different
arguments, run it once with each branch's ``src`` on PYTHONPATH instead of ``--against``. With ``--against`` (a copy of an earlier ``audit/report/xlsx.py``,
for example ``git show main:src/audit/report/xlsx.py > /tmp/xlsx_main.py``) each write with the
current ``write_sheet`` alternates with one using that file's ``write_sheet``, on the same data in
the same process, and both medians are printed, of wall-clock and of this process's CPU time
(less disturbed by other work on a shared machine).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _load_writer(path: Path) -> Callable[..., Any]:
    spec = importlib.util.spec_from_file_location("xlsx_against", path)
    if spec is None or spec.loader is None:
        sys.exit(f"findings_xlsx.py: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_sheet  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, metavar="AUDIT_DIR")
    parser.add_argument("-n", type=int, default=3, help="writes per version (default %(default)s)")
    parser.add_argument("--against", type=Path, help="another xlsx.py whose write_sheet to alternate with")
    args = parser.parse_args(argv)

    import audit
    from audit.report import findings_xlsx

    run = audit.open_audit(args.folder)
    data = audit.load_audit(run.config)
    kpis = audit.compute_kpis(data, earlier=run.earlier)
    result = audit.snapshot(data, kpis, audit.assess(data, kpis, register=run.register))
    versions: dict[str, Callable[..., Any]] = {"current": getattr(findings_xlsx, "write_sheet")}  # noqa: B009
    if args.against:
        versions["against"] = _load_writer(args.against)
    seconds: dict[str, list[float]] = {name: [] for name in versions}
    cpu: dict[str, list[float]] = {name: [] for name in versions}
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.n):
            for name, writer in versions.items():
                setattr(findings_xlsx, "write_sheet", writer)  # noqa: B010  (the module imported it by name)
                load = os.getloadavg()[0]
                started, started_cpu = time.perf_counter(), time.process_time()
                findings_xlsx.write_findings(result, Path(out) / f"{name}.xlsx")
                seconds[name].append(time.perf_counter() - started)
                cpu[name].append(time.process_time() - started_cpu)
                print(f"  {name:<8} {seconds[name][-1]:6.2f} s  (CPU {cpu[name][-1]:6.2f} s)  load {load:.2f}")
    for name in versions:
        print(
            f"{name:<8} median {statistics.median(seconds[name]):6.2f} s, CPU {statistics.median(cpu[name]):6.2f} s"
            f" over {len(seconds[name])} writes"
        )
    if args.against:
        for label, values in (("wall", seconds), ("CPU", cpu)):
            ratio = statistics.median(values["current"]) / statistics.median(values["against"])
            print(f"current / against ({label}): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
