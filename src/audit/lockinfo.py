"""Which lock file of exact versions this environment was installed from, for manifest.json.

``make`` installs the venv from ``requirements.lock`` and then runs
``python src/audit/lockinfo.py requirements.lock`` (as a script: no need to import the whole
package), which records the lock's file name and sha256 in
the environment itself (``<sys.prefix>/csat-audit-lock.json``). Every run's manifest then says
which lock its packages came from (:func:`lock_fingerprint`); an environment installed some other
way (``pip install .``) records nothing, and the manifest says so with an empty object.

Example:
    >>> lock_fingerprint()                         # doctest: +SKIP
    {'file': 'requirements.lock', 'sha256': '3f5a…'}
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

__all__ = ["RECORD_NAME", "lock_fingerprint", "record_lock"]

#: the record's file name, in the environment's prefix (the venv folder)
RECORD_NAME = "csat-audit-lock.json"


def _record_path(prefix: Path | None) -> Path:
    return Path(sys.prefix if prefix is None else prefix) / RECORD_NAME


def lock_fingerprint(prefix: Path | None = None) -> dict[str, str]:
    """The lock this environment was installed from.

    Args:
        prefix: the environment's folder; defaults to ``sys.prefix``.

    Returns:
        ``{"file": name, "sha256": hex digest}`` of the lock as installed, or ``{}`` when the
        environment was not installed from a lock (or its record is unreadable).
    """
    try:
        record = json.loads(_record_path(prefix).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict) or not all(isinstance(record.get(k), str) for k in ("file", "sha256")):
        return {}
    return {"file": record["file"], "sha256": record["sha256"]}


def record_lock(lock: Path, prefix: Path | None = None) -> Path:
    """Record ``lock`` as the lock this environment was installed from.

    Args:
        lock: the lock file just installed.
        prefix: the environment's folder; defaults to ``sys.prefix``.

    Returns:
        The record's path.

    Raises:
        OSError: the lock cannot be read or the record written.
    """
    digest = hashlib.sha256(Path(lock).read_bytes()).hexdigest()
    path = _record_path(prefix)
    path.write_text(json.dumps({"file": Path(lock).name, "sha256": digest}) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """``python src/audit/lockinfo.py LOCK``: record LOCK for this environment (run by ``make``)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python src/audit/lockinfo.py LOCK_FILE", file=sys.stderr)
        return 2
    try:
        record_lock(Path(args[0]))
    except OSError as exc:
        print(f"audit.lockinfo: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
