"""Next quarter in one command: a new audit folder with audit.yaml carried forward.

The new folder is a sibling of the source (``audits/plant-1/2026-Q3`` →
``audits/plant-1/2026-Q4``). audit.yaml is edited as text, so its comments and layout stay:

* ``period:`` becomes the new quarter; explicit ``start:``/``end:`` are dropped; ``date:``
  moves on by the same number of quarters;
* the period is replaced wherever it appears in a recognisable form (``2026-Q3``,
  ``2026Q3``, ``2026_Q3``, ``2026 Q3``, ``Q3-2026``, ``Q3_2026``, ``Q3 2026``, any case): the
  audit id, data paths and sheet names, the scope text;
* ``previous:`` points at the source folder (relative);
* everything else (targets, owners, SLA, mappings) is kept;
* each data file the new audit.yaml names inside the new folder that does not exist yet is
  started from the previous quarter's file (same headers, sheets and layout: replace its rows
  with this quarter's export) or, without one, from the blank input template of its kind
  (``templates/inputs/<kind>.xlsx``, for .xlsx paths); every such file is listed as to supply.

Example:
    >>> made = new_audit("2026-Q4", "audits/plant-1/2026-Q3")     # doctest: +SKIP
    >>> made.folder, [str(p) for p in made.to_supply]            # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from audit.config import load_config, parse_period
from audit.exceptions import ConfigError, OverwriteRefused
from audit.io import write_text
from audit.paths import INPUT_TEMPLATES_DIR, AuditFolder

__all__ = ["NewAudit", "new_audit", "roll_period_text"]

#: the kinds of input in audit.yaml's ``data:`` block
KINDS = ("surveys", "complaints", "returns", "orders")

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class NewAudit:
    """What :func:`new_audit` wrote.

    Attributes:
        folder: the new audit folder.
        config: its audit.yaml.
        to_supply: data files audit.yaml names that do not exist yet.
        rolled: data paths whose period was rolled, as (old, new).
        copied: data files started from the previous quarter's file or a blank input template,
            as (new file, copied from); each is in ``to_supply``: replace it with this quarter's export.
    """

    folder: Path
    config: Path
    to_supply: tuple[Path, ...]
    rolled: tuple[tuple[str, str], ...]
    copied: tuple[tuple[Path, Path], ...] = ()


def _forms(year: int, quarter: int) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![0-9]){year}(?P<s1>[-_ ]?)(?P<q1>[Qq]){quarter}(?![0-9])"
        rf"|(?<![A-Za-z0-9])(?P<q2>[Qq]){quarter}(?P<s2>[-_ ]?){year}(?![0-9])"
    )


def roll_period_text(text: str, old: str, new: str) -> str:
    """Replace quarter ``old`` by ``new`` in every recognisable form, keeping separator and case.

    Example:
        >>> roll_period_text("data/2026Q3.xlsx, sheet Q3_2026", "2026-Q3", "2026-Q4")
        'data/2026Q4.xlsx, sheet Q4_2026'
    """
    (oy, oq), (ny, nq) = (_split(old), _split(new))

    def swap(match: re.Match[str]) -> str:
        if match["q1"] is not None:
            return f"{ny}{match['s1']}{match['q1']}{nq}"
        return f"{match['q2']}{nq}{match['s2']}{ny}"

    return _forms(oy, oq).sub(swap, text)


def _split(period: str) -> tuple[int, int]:
    match = _QUARTER.match(period.strip())
    if not match:
        raise ConfigError(f"period '{period}' is not a calendar quarter such as 2026-Q4")
    return int(match[1]), int(match[2])


def _add_quarters(day: dt.date, quarters: int) -> dt.date:
    months = day.year * 12 + day.month - 1 + 3 * quarters
    year, month = divmod(months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _audit_block(lines: list[str]) -> tuple[int, int]:
    """First and end line index of the top-level ``audit:`` block."""
    start = next(i for i, line in enumerate(lines) if re.match(r"^audit:\s*(#.*)?$", line))
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^[^\s#]", lines[i])), len(lines))
    return start, end


def _carry_text(text: str, old: str, new: str, date: dt.date | None, quarters: int, previous: str) -> str:
    lines = text.splitlines()
    start, end = _audit_block(lines)
    block = []
    has_period = False
    indent = "  "
    for line in lines[start + 1 : end]:
        key = re.match(r"^(\s+)(period|start|end|date|id):", line)
        if key:
            indent = key[1]
        if key and key[2] in {"start", "end"}:
            continue
        if key and key[2] == "period":
            has_period = True
            line = re.sub(r"(period:\s*)([^#\s]+)", rf"\g<1>{new}", line, count=1)
        if key and key[2] == "date" and date is not None:
            line = re.sub(r"(date:\s*)([^#\s]+)", rf"\g<1>{_add_quarters(date, quarters).isoformat()}", line, count=1)
        block.append(line)
    if not has_period:
        block.insert(0, f"{indent}period: {new}")
    rest = [line for line in lines[end:] if not re.match(r"^previous:", line)]
    carried = [*lines[: start + 1], *block]
    rolled = roll_period_text("\n".join([*lines[: start + 1], *block, *rest]), old, new).splitlines()
    head = rolled[: len(carried)]
    return (
        "\n".join([*head, f"previous: {previous}   # carried forward from this audit", *rolled[len(carried) :]]) + "\n"
    )


def new_audit(period: str, source: Path | str, folder: Path | str | None = None) -> NewAudit:
    """Create the next quarter's audit folder with audit.yaml carried forward from ``source``.

    Args:
        period: the new calendar quarter, such as ``2026-Q4``.
        source: the audit folder to carry forward (its audit.yaml must be valid).
        folder: the new folder; defaults to ``<source's parent>/<period>``.

    Returns:
        The new folder, its audit.yaml, the data files still to supply and the rolled paths.

    Raises:
        ConfigError: ``period`` is not a quarter or is the source's; the source's audit.yaml is
            invalid, or the carried-forward one does not load.
        OverwriteRefused: the new folder already holds an audit.yaml.
    """
    src = Path(source).resolve()
    config = load_config(src)
    _split(period)
    if config.audit.period is not None:
        old = config.audit.period
    else:  # explicit dates: the quarter that holds the start date
        old = f"{config.audit.period_start.year}-Q{(config.audit.period_start.month + 2) // 3}"
    if old == period:
        raise ConfigError(
            f"{src} already audits {period}; give the next quarter, such as csat-audit new <YYYY-Qn> --from {source}"
        )
    quarters = (parse_period(period)[0].year - parse_period(old)[0].year) * 4 + (
        parse_period(period)[0].month - parse_period(old)[0].month
    ) // 3
    target = Path(folder).resolve() if folder is not None else src.parent / period
    new_config = AuditFolder(target).config
    if new_config.exists():
        raise OverwriteRefused(
            f"{new_config} exists; earlier audits are never overwritten (remove it first to start again)", (new_config,)
        )
    previous = Path(os.path.relpath(src, target)).as_posix()
    text = _carry_text(
        src.joinpath("audit.yaml").read_text(encoding="utf-8-sig"), old, period, config.audit.date, quarters, previous
    )
    target.mkdir(parents=True, exist_ok=True)
    write_text(new_config, text)
    rolled: list[tuple[str, str]] = []
    paths: list[tuple[str, Path, Path | None]] = []
    try:
        carried = load_config(target)
        for kind in KINDS:
            now, before = getattr(carried.data, kind), getattr(config.data, kind)
            if now is None:
                continue
            if before is not None and before.path != now.path:
                rolled.append((before.path, now.path))
            old_path = config.resolve(before.path, key=f"data.{kind}.path") if before is not None else None
            paths.append(
                (kind, carried.resolve(now.path, key=f"data.{kind}.path"), old_path)
            )  # refused outside the site
    except ConfigError:
        new_config.unlink()
        raise
    missing, copied = [], []
    for kind, path, old_path in paths:
        if path.exists():
            continue
        missing.append(path)
        if not path.is_relative_to(target):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        template = INPUT_TEMPLATES_DIR / f"{kind}.xlsx"
        start = old_path if old_path is not None and old_path.is_file() else None
        if start is None and template.is_file() and path.suffix.lower() == template.suffix:
            start = template
        if start is not None:
            shutil.copyfile(start, path)
            copied.append((path, start))
    return NewAudit(target, new_config, tuple(missing), tuple(rolled), tuple(copied))
