"""Errors raised by csat-audit.

Every error a user can cause derives from :class:`AuditError`; the command line maps
it to exit code 2 and prints its message on one line. Anything else is a bug or an
environment failure and maps to exit code 3.

    AuditError
    ├── ConfigError          audit.yaml missing, unreadable or invalid
    ├── DataError            an input file cannot be used
    │   ├── InputFileError   missing, unreadable, empty, wrong sheet, mapped column absent
    │   └── TooManyInvalidRows  more invalid rows than the configured threshold
    ├── OverwriteRefused     a file the command would write exists (earlier audits are kept)
    ├── OutputError          an output cannot be written (read-only folder or file, full disk)
    ├── FolderLocked         another run or finalize is working on the audit folder
    ├── FileInUse            a file the run must replace is open in Excel (its ~$ owner file is there)
    └── RunError             the notebook run or the report rendering failed
        └── RunInterrupted   the run was stopped by a signal (SIGTERM, Ctrl-C)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "ERROR_MIME",
    "HANDOFF_ENV",
    "AuditError",
    "ConfigError",
    "DataError",
    "FileInUse",
    "FolderLocked",
    "InputFileError",
    "OutputError",
    "OverwriteRefused",
    "RunError",
    "RunInterrupted",
    "TooManyInvalidRows",
]


#: set by ``csat-audit run`` in the notebook kernel's environment: results and errors go back to it as data
HANDOFF_ENV = "CSAT_AUDIT_HANDOFF"
#: the MIME type under which an error raised in the notebook's kernel reaches the runner
ERROR_MIME = "application/vnd.csat-audit.error+json"


class AuditError(Exception):
    """Base of every error a user can cause or fix; exit code 2 on the command line."""

    exit_code = 2

    def _render_traceback_(self) -> list[str]:
        """What IPython shows instead of a traceback: the one line that says what to do.

        Under ``csat-audit run`` the error also goes to the runner as data (type, message,
        attributes), so that it keeps its type, path and kind across the kernel boundary.
        """
        if os.environ.get(HANDOFF_ENV) == "1":
            from IPython.display import publish_display_data

            publish_display_data({ERROR_MIME: self.to_payload(), "text/plain": ""})
        return [f"{self.__class__.__name__}: {self}"]

    def to_payload(self) -> dict[str, Any]:
        """The error as JSON data: its class name, message and attributes."""
        return {"type": type(self).__name__, "message": str(self), "attributes": _plain(vars(self))}

    @staticmethod
    def from_payload(payload: dict[str, Any]) -> AuditError:
        """The error :meth:`to_payload` described, with its class and attributes (paths as paths)."""
        cls = globals().get(str(payload.get("type")))
        if not (isinstance(cls, type) and issubclass(cls, AuditError)):
            cls = AuditError
        error = cls.__new__(cls)
        Exception.__init__(error, str(payload.get("message", "")))
        for name, value in dict(payload.get("attributes") or {}).items():
            if name == "path" and isinstance(value, str):
                value = Path(value)
            elif name == "paths" and isinstance(value, list):
                value = tuple(Path(v) for v in value)
            setattr(error, name, value)
        return error


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "to_dict"):
        return _plain(value.to_dict())
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class ConfigError(AuditError):
    """audit.yaml is missing, unreadable or does not match the expected shape.

    Args:
        message: what failed and what to do.
        path: the configuration file.
    """

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class DataError(AuditError):
    """An input file cannot be used for the audit."""

    def __init__(self, message: str, path: Path | None = None, kind: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.kind = kind


class InputFileError(DataError):
    """The file is missing, unreadable, empty, lacks a sheet or a mapped column."""


class _Located(Protocol):
    """What a data-quality problem tells (:class:`audit.model.Problem` is one)."""

    @property
    def row(self) -> int | None: ...
    @property
    def column(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def message(self) -> str: ...
    def location(self) -> str: ...


class TooManyInvalidRows(DataError):
    """More rows of a kind failed validation than the configured share allows.

    Args:
        message: the first problem, the share of invalid rows and what to do.
        path: the data file.
        kind: the data kind.
        problems: every problem found in the file (first rows first), each with its
            row, column, rule and message.

    Example:
        >>> try:                                                    # doctest: +SKIP
        ...     load_audit("audits/plant-1/2026-Q3")
        ... except TooManyInvalidRows as exc:
        ...     print(exc.problems[0].rule, exc.problems[0].row)
        out_of_scale 5
    """

    def __init__(
        self, message: str, path: Path | None = None, kind: str | None = None, *, problems: tuple[_Located, ...] = ()
    ) -> None:
        super().__init__(message, path, kind)
        self.problems = problems


class OverwriteRefused(AuditError):
    """A file the command would write already exists; earlier audits are never overwritten.

    Args:
        message: which files exist and what to do.
        paths: the existing files.
    """

    def __init__(self, message: str, paths: tuple[Path, ...] = ()) -> None:
        super().__init__(message)
        self.paths = paths


class OutputError(AuditError):
    """An output file cannot be written; what was there before is unchanged.

    Args:
        message: which path, why, and what to do.
        path: the file or folder that could not be written.
    """

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class FolderLocked(AuditError):
    """Another process holds the audit folder's lock file (``.audit.lock``).

    Args:
        message: who holds the lock and what to do.
        path: the lock file.
    """

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class FileInUse(AuditError):
    """A file the run must replace is open in Excel; replacing it would lose that person's edits.

    Args:
        message: who has it open and what to do.
        path: the file.
    """

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class RunError(AuditError):
    """Executing the audit notebook or rendering its report failed."""

    exit_code = 3


class RunInterrupted(RunError):
    """The run was stopped by a signal; the previous outputs are unchanged."""
