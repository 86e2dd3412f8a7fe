"""Outputs built in a staging folder and published together."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from audit.cycle.lock import _signals_held
from audit.cycle.revisions import issues
from audit.exceptions import RunError
from audit.paths import OUTPUTS, AuditFolder

# ---------------------------------------------------------------- staging


def fresh_staging(target: AuditFolder) -> AuditFolder:
    """An empty ``.audit.staging/`` for a run writing ``target``'s revision (a leftover is removed)."""
    staging = target.staging
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return AuditFolder(staging, target.revision)


def discard(staging: AuditFolder) -> None:
    """Remove the staging folder and whatever a failed run left in it."""
    shutil.rmtree(staging.root, ignore_errors=True)


def publish(
    staging: AuditFolder,
    target: AuditFolder,
    *,
    extra: Sequence[tuple[Path, Path]] = (),
    names: Sequence[str] = OUTPUTS,
) -> None:
    """Move the staged outputs into the audit folder together, then remove the staging folder.

    Args:
        staging: the staging folder holding the run's outputs.
        target: the audit folder (and revision) they belong to.
        extra: more (staged file, destination) pairs published in the same step, such as the
            site's action register.
        names: the outputs to publish, by attribute of :class:`~audit.paths.AuditFolder`.

    Raises:
        RunError: an output is missing from the staging folder, or its name belongs to an
            issued revision (which is never overwritten).
    """
    staged = [getattr(staging, name) for name in names]
    missing = [p.name for p in (*staged, *(source for source, _ in extra)) if not p.exists()]
    if missing:
        raise RunError(f"{target.root}: the run did not write {', '.join(missing)}; the previous outputs are unchanged")
    issued = {name for i in issues(target.root) for name in i.files}
    clash = [getattr(target, name).name for name in names if getattr(target, name).name in issued]
    if clash:
        raise RunError(f"{target.root}: refusing to overwrite the issued {', '.join(clash)}")
    with _signals_held():
        for name in names:
            os.replace(getattr(staging, name), getattr(target, name))
        for source, destination in extra:
            os.replace(source, destination)
        discard(staging)
