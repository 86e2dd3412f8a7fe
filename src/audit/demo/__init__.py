"""A synthetic organisation, Demo Pumps Ltd, whose exports hide problems an audit must find.

:func:`write_demo` writes one audit folder: ``audit.yaml`` and four client-style exports in
``data/`` (orders CSV, survey CSV with a BOM, complaint log and RMA register in Excel). The
files cover several calendar quarters ending with the audited one, so the earlier quarters
serve as history. Everything is drawn from ``numpy.random.default_rng(seed)``: the same
arguments give byte-identical CSV files. Once written, the files are reused as long as the
generator, its arguments and the files themselves are unchanged (:mod:`audit.demo.fingerprint`).

The package: :mod:`~audit.demo.organisation` (headers, products, vocabularies, the planted
problems), :mod:`~audit.demo.generate` (drawing the data), :mod:`~audit.demo.files` (writing the
exports and audit.yaml), :mod:`~audit.demo.fingerprint` (when to reuse them).

The earlier quarters are stable. In the audited (last) quarter these problems are planted
(see :data:`PLANTED`):

1. complaint resolution slips past its SLA (median ~8 → ~15 days, within 14 days ~92% → under
   50%), with complaints still open and older than the SLA at period end;
2. the responsiveness perception falls by ~0.4 points; the other dimensions stay put;
3. the largest-revenue customer (:data:`LOST_CUSTOMER_ID`) orders every earlier quarter and
   not at all in the last one;
4. "Packaging damage" complaints about triple, most of the extra in the quarter's second month;

plus a few invalid rows (well under 5% per kind): survey overall scores of 6 or 9 on the
1–5 scale, blank survey dates, complaints resolved before they were received, duplicate RMA
numbers, non-numeric and negative order quantities.

Example:
    >>> folder = write_demo(Path("audits/demo"))      # doctest: +SKIP
    >>> load_config(folder).audit.id                   # doctest: +SKIP
    'DEMO-P1-2026-Q3'
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from audit.config import CONFIG_FILE, parse_period
from audit.demo import fingerprint
from audit.demo.files import audit_yaml, write_csv, write_xlsx
from audit.demo.generate import draw
from audit.demo.organisation import (
    DEFAULT_PERIOD,
    FILES,
    HEADERS,
    LOST_CUSTOMER_ID,
    ORGANISATION,
    PLANTED,
    SHEETS,
    SURVEY_DIMENSIONS,
    Planted,
    planted,
)

__all__ = [
    "DEFAULT_PERIOD",
    "HEADERS",
    "LOST_CUSTOMER_ID",
    "ORGANISATION",
    "PLANTED",
    "SURVEY_DIMENSIONS",
    "Planted",
    "planted",
    "write_demo",
    "write_demo_sites",
]


def write_demo(
    root: Path,
    *,
    seed: int = 20260930,
    orders_per_quarter: int = 20_000,
    responses_per_quarter: int = 3_000,
    complaints_per_quarter: int = 600,
    returns_per_quarter: int = 400,
    quarters: int = 8,
    period: str = DEFAULT_PERIOD,
    site: str = "Plant 1",
    audit_date: dt.date = dt.date(2026, 10, 15),
    reuse: bool = True,
    language: str = "en",
) -> Path:
    """Write the Demo Pumps Ltd audit folder ``root/<period>/`` with audit.yaml and data/.

    Args:
        root: folder that receives the ``<period>`` audit folder (created if needed).
        seed: seed of ``numpy.random.default_rng``; same arguments, identical CSV files.
        orders_per_quarter: orders placed per quarter (about 400 customers at 20,000).
        responses_per_quarter: survey responses per quarter (a quarter of those sent).
        complaints_per_quarter: complaints per quarter before the planted spike.
        returns_per_quarter: RMA returns per quarter.
        quarters: number of calendar quarters written, ending with ``period`` (at least 2).
        period: the audited quarter, such as ``2026-Q3``; the data end on its last day.
        site: site name, used in audit.yaml and the audit id.
        audit_date: date of the audit written to audit.yaml.
        language: ``audit.language`` of the demo (``zh-CN``: a Chinese report, objectives and scope).
        reuse: keep the files already in the folder when they are what these arguments and this
            generator write, unedited (see :mod:`audit.demo.fingerprint`); False writes them anyway.

    Returns:
        The audit folder, ready for ``audit.config.load_config``.

    Raises:
        ValueError: ``period`` is not a quarter, or a count is too small to plant the problems.

    Example:
        >>> folder = write_demo(tmp_path, orders_per_quarter=2_000)   # doctest: +SKIP
        >>> sorted(p.name for p in (folder / "data").iterdir())       # doctest: +SKIP
        ['complaint_log.xlsx', 'orders.csv', 'rma_returns.xlsx', 'survey_responses.csv']
    """
    minimum = {
        "quarters": (quarters, 2),
        "orders_per_quarter": (orders_per_quarter, 500),
        "responses_per_quarter": (responses_per_quarter, 100),
        "complaints_per_quarter": (complaints_per_quarter, 30),
        "returns_per_quarter": (returns_per_quarter, 20),
    }
    for name, (value, least) in minimum.items():
        if value < least:
            raise ValueError(f"{name} is {value}; the demo needs at least {least}")
    arguments = {
        "seed": seed,
        "orders_per_quarter": orders_per_quarter,
        "responses_per_quarter": responses_per_quarter,
        "complaints_per_quarter": complaints_per_quarter,
        "returns_per_quarter": returns_per_quarter,
        "quarters": quarters,
        "period": period,
        "site": site,
        "audit_date": audit_date.isoformat(),
    }
    if language != "en":  # the English demo's fingerprint stays what it was
        arguments["language"] = language
    parse_period(period)  # a bad period is an error even when an earlier folder exists
    folder = Path(root) / period
    if reuse and fingerprint.is_current(folder, arguments):
        return folder
    drawing = draw(
        seed,
        orders_per_quarter=orders_per_quarter,
        responses_per_quarter=responses_per_quarter,
        complaints_per_quarter=complaints_per_quarter,
        returns_per_quarter=returns_per_quarter,
        quarters=quarters,
        period=period,
    )
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    (folder / fingerprint.FINGERPRINT).unlink(missing_ok=True)  # incomplete until recorded again
    tables = drawing.tables
    write_csv(data / FILES["orders"], tables["orders"], encoding="utf-8")
    write_csv(data / FILES["surveys"], tables["surveys"], encoding="utf-8-sig")  # a CRM export with a BOM
    write_xlsx(data / FILES["complaints"], SHEETS["complaints"], tables["complaints"])
    write_xlsx(data / FILES["returns"], SHEETS["returns"], tables["returns"])
    text = audit_yaml(period, site, audit_date, sent=drawing.sent, first=drawing.first_quarter, language=language)
    (folder / CONFIG_FILE).write_text(text, encoding="utf-8")
    fingerprint.record(folder, arguments, [CONFIG_FILE, *(f"data/{FILES[kind]}" for kind in FILES)])
    return folder


def write_demo_sites(root: Path, sites: int, *, seed: int = 20260930, **sizes: Any) -> list[Path]:
    """Write ``sites`` demo sites, ``root/plant-1/<period>`` …, each drawn from its own seed.

    Args:
        root: folder that receives the site folders.
        sites: number of sites (Plant 1, Plant 2, …).
        seed: seed of the first site; site k uses ``seed + k - 1``.
        sizes: passed to :func:`write_demo` (``orders_per_quarter`` …).

    Returns:
        The audit folders, one per site.
    """
    return [
        write_demo(Path(root) / f"plant-{k}", seed=seed + k - 1, site=f"Plant {k}", **sizes)
        for k in range(1, sites + 1)
    ]
