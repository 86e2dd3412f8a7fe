"""Start a new audit: ``csat-audit init DIR``.

:func:`init_audit` writes ``DIR/audit.yaml`` from ``templates/audit.yaml`` (every key
explained in a comment; the audit's organisation, period and id filled in) and copies one
input workbook per kind from ``templates/inputs/`` into ``DIR/data/`` (see
audit.input_templates). It never overwrites: when one of those files exists, it refuses
and writes nothing.

``python -m audit.scaffold`` regenerates the committed workbooks in templates/inputs/
(``--check``: exit code 1 when one is out of date).

Example:
    >>> init_audit(Path("audits/plant-1/2026-Q4"), organisation="ACME Pumps Ltd")  # doctest: +SKIP
    [PosixPath('audits/plant-1/2026-Q4/audit.yaml'), PosixPath('audits/plant-1/2026-Q4/data/surveys.xlsx'), ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import string
import sys
from pathlib import Path

from audit.config import CONFIG_FILE, parse_period
from audit.data.contract import KINDS
from audit.exceptions import ConfigError, OverwriteRefused
from audit.i18n import LANGUAGES
from audit.input_templates import WORKBOOKS, build_workbook, write_templates
from audit.paths import CONFIG_TEMPLATE, INPUT_TEMPLATES_DIR, TEMPLATES_DIR

__all__ = ["DATA_DIR", "current_quarter", "init_audit", "render_config"]

#: the folder of an audit that receives the input workbooks
DATA_DIR = "data"


def current_quarter(today: dt.date | None = None) -> str:
    """The calendar quarter of ``today`` (default: the current date), such as ``2026-Q4``.

    Example:
        >>> current_quarter(dt.date(2026, 11, 5))
        '2026-Q4'
    """
    today = today or dt.date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def _audit_id(organisation: str | None, period: str) -> str:
    """Initials of the organisation and the period, such as ``APL-2026-Q4``; ``AUDIT-…`` without them."""
    initials = "".join(w[0] for w in re.findall(r"\w+", organisation or "") if w[0].isascii())
    return f"{initials.upper()[:8] or 'AUDIT'}-{period}"


def config_template(lang: str = "en") -> Path:
    """The audit.yaml template of ``lang``: templates/audit.yaml, or its translation templates/audit.<lang>.yaml.

    A translation has the same keys and values (``audit.language`` aside); only its comments
    differ (a test keeps the two in step).
    """
    return CONFIG_TEMPLATE if lang == LANGUAGES[0] else TEMPLATES_DIR / f"audit.{lang}.yaml"


def render_config(
    organisation: str | None = None,
    period: str | None = None,
    *,
    today: dt.date | None = None,
    language: str = "en",
) -> str:
    """The text of a new audit.yaml: templates/audit.yaml (or its translation) with the audit's details filled in.

    Args:
        organisation: the audited organisation; a placeholder to complete when None.
        period: the audited quarter, such as ``2026-Q4``; the current quarter when None.
        today: the date that decides the current quarter (default: today).
        language: ``audit.language`` written to audit.yaml (``en`` or ``zh-CN``), with comments in it.

    Raises:
        ConfigError: ``period`` is not a calendar quarter.
    """
    period = (period or current_quarter(today)).strip()
    try:
        start, end = parse_period(period)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    name = (organisation or "").strip()
    placeholder = "组织名称（待填写）" if language == "zh-CN" else "Organisation name (to be completed)"
    return string.Template(config_template(language).read_text(encoding="utf-8")).substitute(
        id=_audit_id(name, period),
        organisation=json.dumps(name or placeholder, ensure_ascii=False),
        period=period,
        start=start.isoformat(),
        end=end.isoformat(),
        audit_date=(end + dt.timedelta(days=15)).isoformat(),
        previous=current_quarter(start - dt.timedelta(days=1)),
        **{f"{kind}_path": f"{DATA_DIR}/{WORKBOOKS[kind]}" for kind in KINDS},
    )


def init_audit(
    folder: Path,
    *,
    organisation: str | None = None,
    period: str | None = None,
    today: dt.date | None = None,
    language: str = "en",
) -> list[Path]:
    """Create an audit folder: a commented audit.yaml and one input workbook per kind in data/.

    Args:
        folder: the new audit folder, such as ``audits/plant-1/2026-Q4`` (created if needed).
        organisation: the audited organisation.
        period: the audited quarter (default: the current quarter).
        today: the date that decides the current quarter (default: today).
        language: ``audit.language``; in zh-CN audit.yaml's comments and the workbooks'
            instructions, notes and drop-downs are Chinese (the headers stay our column names).

    Returns:
        The files written: audit.yaml first, then the workbooks.

    Raises:
        OverwriteRefused: audit.yaml or one of the workbooks already exists; nothing is written.
        ConfigError: ``period`` is not a calendar quarter.
    """
    folder = Path(folder)
    config = folder / CONFIG_FILE
    workbooks = [folder / DATA_DIR / name for name in WORKBOOKS.values()]
    if folder.exists() and not folder.is_dir():
        raise OverwriteRefused(f"{folder} is a file, not a folder; choose another folder for the audit", (folder,))
    existing = tuple(p for p in (config, *workbooks) if p.exists())
    if existing:
        names = ", ".join(p.relative_to(folder).as_posix() for p in existing)
        raise OverwriteRefused(
            f"{folder}: {names} already exist{'s' if len(existing) == 1 else ''}; init never overwrites "
            "an earlier audit: choose a new folder, such as one for the next period",
            existing,
        )
    if language not in LANGUAGES:
        raise ConfigError(f"unknown language '{language}'; use one of {', '.join(LANGUAGES)}")
    text = render_config(organisation, period, today=today, language=language)
    (folder / DATA_DIR).mkdir(parents=True, exist_ok=True)
    for kind, target in zip(WORKBOOKS, workbooks, strict=True):
        if language == LANGUAGES[0]:
            shutil.copyfile(INPUT_TEMPLATES_DIR / target.name, target)
        else:  # built when asked for: the committed templates are the English ones
            lang = next(known for known in LANGUAGES if known == language)
            build_workbook(kind, lang).save(target)
    with config.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return [config, *workbooks]


def main(argv: list[str] | None = None) -> int:
    """``python -m audit.scaffold [--check]``: regenerate templates/inputs/ from audit.input_templates."""
    parser = argparse.ArgumentParser(prog="python -m audit.scaffold", description=main.__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a template is out of date")
    args = parser.parse_args(argv)
    stale = write_templates(check=args.check)
    for path in stale:
        print(f"{path.name}: {'out of date' if args.check else 'written'}")
    if not stale:
        print("input templates are up to date")
    return 1 if args.check and stale else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
