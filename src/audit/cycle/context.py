"""What a run of one audit needs besides its data files: the configuration, the register, earlier results.

The runner reads these once, under the folder's lock, and hands them to the notebook as
one JSON parameter (``context``); the executed notebook keeps it, so that Run All in
JupyterLab reproduces the run from the audit folder it sits in. Opened without a
context (a notebook started by hand), :func:`open_audit` reads them from the folder.

Example:
    >>> context = open_audit("audits/plant-1/2026-Q3")                 # doctest: +SKIP
    >>> same = AuditContext.from_parameters(".", context.to_parameters())  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit import forked
from audit.config import AuditConfig, load_config
from audit.cycle.earlier import earlier_results
from audit.cycle.register import read_register
from audit.cycle.revisions import working_folder
from audit.kpi.themes import prepare as prepare_themes
from audit.model import EarlierKpis, Entry, Register
from audit.paths import AuditFolder

__all__ = ["AuditContext", "context_for", "open_audit"]


@dataclass(frozen=True)
class AuditContext:
    """One run's inputs other than the data files.

    Attributes:
        config: audit.yaml, checked; its audit date is fixed (today when audit.yaml gives none),
            so that a re-run of the working paper dates its actions alike.
        register: the site's action register before this run, None for a site's first audit.
        earlier: the KPIs of the site's earlier audits, by period label.
        revision: the revision this run writes (1, or the one after the last issued).
    """

    config: AuditConfig
    register: Register | None = None
    earlier: EarlierKpis = field(default_factory=dict)
    revision: int = 1

    def to_parameters(self) -> dict[str, Any]:
        """The context as plain JSON data (paths relative to the audit folder)."""
        register = None
        if self.register is not None:
            register = {
                "entries": [_plain_entry(e) for e in self.register.entries],
                "organisation": self.register.organisation,
                "site": self.register.site,
                "deleted": [_plain_entry(e) for e in self.register.deleted],
            }
        return {
            "config": self.config.model_dump(mode="json", exclude_defaults=True),
            "register": register,
            "earlier": self.earlier,
            "revision": self.revision,
        }

    @classmethod
    def from_parameters(cls, audit_dir: Path | str, payload: dict[str, Any]) -> AuditContext:
        """The context a run handed to the notebook, for the audit folder ``audit_dir``."""
        folder = Path(audit_dir).resolve()
        config = AuditConfig.model_validate({**payload["config"], "folder": folder})
        found = payload.get("register")
        register = None
        if isinstance(found, list):  # a working paper from before the register recorded its owner
            found = {"entries": found}
        if found is not None:
            register = Register(
                AuditFolder(folder).action_register,
                tuple(_entry(e) for e in found.get("entries", ())),
                str(found.get("organisation", "")),
                str(found.get("site", "")),
                tuple(_entry(e) for e in found.get("deleted", ())),
            )
        return cls(config, register, dict(payload.get("earlier") or {}), int(payload.get("revision") or 1))


_DATES = {f.name for f in dataclasses.fields(Entry) if "date" in str(f.type)}


def _plain_entry(entry: Entry) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in dataclasses.asdict(entry).items()}


def _entry(values: dict[str, Any]) -> Entry:
    converted: dict[str, Any] = {k: dt.date.fromisoformat(v) if k in _DATES and v else v for k, v in values.items()}
    return Entry(**converted)


def open_audit(audit_dir: Path | str, context: dict[str, Any] | None = None) -> AuditContext:
    """The context of a run of ``audit_dir``: the one handed over by the runner, else read from the folder.

    Args:
        audit_dir: the audit folder (holding audit.yaml).
        context: :meth:`AuditContext.to_parameters` of the run, or None to read audit.yaml,
            the site's register and earlier results now.

    When the audit has free text (complaints or surveys), a copy of this process starts on the
    machine's other core to get the themes' libraries ready while the data are read
    (:func:`audit.kpi.themes.prepare`).

    Raises:
        ConfigError: audit.yaml is missing or invalid.
        InputFileError: the action register cannot be read.
    """
    run = (
        AuditContext.from_parameters(audit_dir, context) if context is not None else context_for(load_config(audit_dir))
    )
    if run.config.data.complaints is not None or run.config.data.surveys is not None:
        forked.prepare(prepare_themes)
    return run


def context_for(config: AuditConfig) -> AuditContext:
    """The context of a run of the audit ``config`` describes: its register, earlier results, revision.

    The audit date is fixed here (today, when audit.yaml gives none).

    Raises:
        InputFileError: the action register cannot be read, or belongs to another organisation or site.
    """
    if config.audit.date is None:
        config = config.model_copy(update={"audit": config.audit.model_copy(update={"date": dt.date.today()})})
    info = config.audit
    return AuditContext(
        config,
        read_register(AuditFolder(config.folder).action_register, organisation=info.organisation, site=info.site),
        earlier_results(config.folder),
        working_folder(config.folder).revision,
    )
