"""The floor of an audit run: read its input files and render its report, nothing else; not part of the test run.

Usage:
    python benchmarks/floor.py AUDIT_DIR               # read the inputs, render AUDIT_DIR/report.html to PDF
    python benchmarks/floor.py AUDIT_DIR --read-only   # read the inputs only

What a run cannot do without: each input file named in AUDIT_DIR/audit.yaml (``data.<kind>.path``,
``sheet``, ``header_row``, ``encoding``) is read into an Arrow table, CSV with ``pyarrow.csv``
(every column as text, quoted line breaks allowed) and Excel with ``python_calamine`` (cells
into Arrow arrays column by column). Then the run's own ``report.html`` (written by an earlier
``csat-audit run``) is rendered to PDF with WeasyPrint, into a temporary file. No validation,
no KPIs, no notebook, no audit package: this script imports pyarrow, python_calamine, yaml and
weasyprint only. ``benchmarks/compare.py`` runs it against the project; see benchmarks/README.md.

Prints one JSON object on stdout: seconds for the imports, the read (per file and in all) and the
render, and the rows read per kind.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()

import pyarrow as pa  # noqa: E402  (the imports are part of what the floor times)
import pyarrow.csv as pacsv  # noqa: E402
import yaml  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

KINDS = ("surveys", "complaints", "returns", "orders")


def _sources(folder: Path) -> dict[str, dict[str, Any]]:
    """``data.<kind>`` of audit.yaml for each kind present."""
    config = yaml.safe_load((folder / "audit.yaml").read_text(encoding="utf-8"))
    data = config.get("data") or {}
    return {kind: data[kind] for kind in KINDS if data.get(kind)}


def read_csv(path: Path, header_row: int, encoding: str | None) -> pa.Table:
    """The CSV file as an Arrow table of text columns (the header on Excel row ``header_row``)."""
    encoding = encoding or "utf-8-sig"
    with path.open(encoding=encoding, newline="") as handle:
        lines = [handle.readline() for _ in range(header_row)]
    header = next(csv.reader([lines[-1]]))
    read = pacsv.ReadOptions(
        skip_rows=header_row, column_names=header, encoding="utf8" if encoding.startswith("utf") else encoding
    )
    parse = pacsv.ParseOptions(newlines_in_values=True)
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False)
    return pacsv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)


def _column(values: tuple[Any, ...]) -> pa.Array:
    """Excel cells of one column as an Arrow array: typed where the cells agree, else text."""
    cells = [None if v == "" else v for v in values]
    try:
        return pa.array(cells)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in cells], type=pa.string())


def read_excel(path: Path, sheet: str | int | None, header_row: int) -> pa.Table:
    """One sheet as an Arrow table, through python_calamine."""
    book = CalamineWorkbook.from_path(str(path))
    if isinstance(sheet, int):
        rows = book.get_sheet_by_index(sheet).to_python()
    else:
        rows = book.get_sheet_by_name(sheet or book.sheet_names[0]).to_python()
    header = [str(h) for h in rows[header_row - 1]]
    columns = list(zip(*rows[header_row:])) or [() for _ in header]
    return pa.table({f"{i}:{h}": _column(c) for i, (h, c) in enumerate(zip(header, columns))})


def read_inputs(folder: Path) -> tuple[dict[str, int], dict[str, float]]:
    """Read every input file of the audit folder; rows per kind and seconds per kind."""
    rows, seconds = {}, {}
    for kind, source in _sources(folder).items():
        started = time.perf_counter()
        path = folder / source["path"]
        header_row = int(source.get("header_row") or 1)
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
            table = read_excel(path, source.get("sheet"), header_row)
        else:
            table = read_csv(path, header_row, source.get("encoding"))
        rows[kind] = table.num_rows
        seconds[kind] = time.perf_counter() - started
    return rows, seconds


def render(folder: Path, html: Path) -> float:
    """Render ``html`` to a temporary PDF with WeasyPrint; seconds taken (its import included).

    Like the project's renderer, only ``file:`` URLs are fetched: on a machine without a
    network, a fetch of anything else would wait for its time-out.
    """
    started = time.perf_counter()
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("file:"):
                raise ValueError(f"not fetched: {url[:80]}")
            return super().fetch(url, headers)

    local_only = LocalOnly(timeout=5, allowed_protocols=("file",), allow_redirects=False)
    with tempfile.TemporaryDirectory() as out:
        document = HTML(
            filename=str(html), base_url=folder.resolve().as_uri() + "/", media_type="print", url_fetcher=local_only
        )
        document.write_pdf(str(Path(out) / "floor.pdf"))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, metavar="AUDIT_DIR")
    parser.add_argument("--read-only", action="store_true", help="read the inputs, render nothing")
    parser.add_argument("--html", type=Path, help="the report to render (default AUDIT_DIR/report.html)")
    args = parser.parse_args(argv)
    imported = time.perf_counter() - STARTED
    started = time.perf_counter()
    rows, per_kind = read_inputs(args.folder)
    result: dict[str, Any] = {
        "import_seconds": round(imported, 3),
        "read_seconds": round(time.perf_counter() - started, 3),
        "read_seconds_per_kind": {k: round(v, 3) for k, v in per_kind.items()},
        "rows": rows,
    }
    if not args.read_only:
        html = args.html or args.folder / "report.html"
        if not html.exists():
            print(f"floor.py: {html} does not exist; run 'csat-audit run {args.folder}' first", file=sys.stderr)
            return 2
        result["render_seconds"] = round(render(args.folder, html), 3)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
