"""Scaffolding for new audits.

``python -m audit.scaffold`` regenerates the committed input workbooks in templates/inputs/
from audit.input_templates (``--check``: exit code 1 when one is out of date).
"""

from __future__ import annotations

import argparse
import sys

from audit.input_templates import write_templates

__all__: list[str] = []


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
