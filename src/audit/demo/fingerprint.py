"""Reuse of the demo's data: written again only when the generator, its arguments or the files changed.

:func:`audit.demo.write_demo` records what it wrote in ``data/.demo-fingerprint.json``: a digest
of the generator (the source files of this package, and the versions of numpy, pandas and
openpyxl, which shape the files), the arguments (seed, sizes, quarters, period, site, audit date)
and the sha256 of every file written (audit.yaml and the four exports). A later call with the
same arguments that finds the same generator and every file unchanged writes nothing. Anything
else (another seed or size, an edited generator or a new numpy, a file edited or removed, no
record) writes everything again. The record is written last, so an interrupted generation is
never taken as complete.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["FINGERPRINT", "generator_digest", "is_current", "record"]

#: the record, relative to the audit folder
FINGERPRINT = Path("data") / ".demo-fingerprint.json"
#: libraries whose version can change the files drawn and written from the same seed
_LIBRARIES = ("numpy", "pandas", "openpyxl")


def generator_digest() -> str:
    """sha256 of the generator's source files and of the library versions it depends on."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _expected(arguments: dict[str, Any]) -> dict[str, Any]:
    return {"generator": generator_digest(), "arguments": arguments}


def is_current(folder: Path, arguments: dict[str, Any]) -> bool:
    """True when ``folder`` holds the files the generator would write for ``arguments``, unedited.

    Args:
        folder: the demo's audit folder (``root/<period>``).
        arguments: the arguments of the write, as plain JSON values.
    """
    try:
        recorded = json.loads((folder / FINGERPRINT).read_text(encoding="utf-8"))
        files = recorded.pop("files")
        if recorded != _expected(arguments) or not isinstance(files, dict) or not files:
            return False
        return all(_sha256(folder / name) == digest for name, digest in files.items())
    except (OSError, ValueError, KeyError, AttributeError, TypeError):  # no record, or not one of ours
        return False


def record(folder: Path, arguments: dict[str, Any], names: Iterable[str]) -> Path:
    """Record the files just written (``names``, relative to ``folder``) for ``arguments``.

    Returns:
        The record's path.
    """
    content = _expected(arguments) | {"files": {name: _sha256(folder / name) for name in names}}
    path = folder / FINGERPRINT
    partial = path.with_name(f"{path.name}.partial")  # written whole, then renamed: never half a record
    partial.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path
