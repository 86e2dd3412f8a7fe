"""Writing files safely: the one atomic writer for text, bytes, JSON and workbooks, and sha256.

Text written into a workbook cell goes through :func:`put_text`, which keeps it text: a
cell Excel would run as a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM``) stays a string.

Every output is written to a temporary file beside its target and renamed into place, so
a reader never sees half a file. Files are created with the mode the user's umask gives
(0644 under the usual 022), like any other program's files, so that colleagues on a shared
drive can open them; a target someone made read-only is refused, never re-permissioned.

Example:
    >>> write_json(Path("results.json"), {"version": 1})    # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from audit.exceptions import OutputError

__all__ = [
    "MAX_CELL",
    "check_writable",
    "put_text",
    "save_workbook",
    "sha256_of",
    "write_bytes",
    "write_json",
    "write_text",
    "write_with",
]

#: Excel's limit on the characters in one cell
MAX_CELL = 32_767


def sha256_of(path: Path) -> str:
    """The sha256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _umask_mode() -> int:
    """The mode a new file gets from the process's umask (0o644 under umask 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def check_writable(path: Path) -> None:
    """Refuse to replace a file that someone made read-only.

    Raises:
        OutputError: ``path`` exists and its owner may not write it.
    """
    if not path.exists():
        return
    nobody_writes = not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    if nobody_writes or not os.access(path, os.W_OK):  # root may write anything: the mode says what was meant
        raise OutputError(f"{path} is read-only, so it was not replaced; make it writable again, then run again", path)


def write_with(path: Path, write: Callable[[Path], None]) -> Path:
    """Write ``path`` atomically: ``write`` fills a temporary file beside it, which is then renamed.

    Args:
        path: the target.
        write: called with the temporary file's path; it writes the whole content.

    Returns:
        ``path``.

    Raises:
        OutputError: the folder cannot be written (read-only, full disk …) or the target is
            read-only; the previous file, if any, is unchanged.
    """
    check_writable(path)
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(handle)
        temporary = Path(name)
        write(temporary)
        os.chmod(temporary, _umask_mode())
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputError(
            f"{path} could not be written ({exc.strerror or exc}); the previous version, if any, is unchanged",
            path,
        ) from None
    finally:
        if temporary is not None and temporary.exists():
            temporary.unlink()
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    """Write bytes atomically (see :func:`write_with`)."""

    def put(temporary: Path) -> None:
        temporary.write_bytes(data)

    return write_with(path, put)


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`write_with`)."""
    return write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, payload: Any) -> Path:
    """Write JSON atomically: UTF-8, indented, keys in the order given, a final newline."""
    return write_text(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def save_workbook(book: Any, path: Path) -> Path:
    """Save an openpyxl workbook atomically (see :func:`write_with`)."""
    return write_with(path, lambda temporary: book.save(temporary))


def put_text(cell: Any, text: str) -> Any:
    """Store ``text`` in an openpyxl cell as text, never as a formula (= + - @ stay text).

    Characters Excel cannot hold are dropped and the text is cut at Excel's cell limit.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL]
    cell.data_type = "s"
    return cell
