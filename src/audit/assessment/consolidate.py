"""One finding per subject: the results of every check about one subject, merged.

Slow complaint resolution used to come out as four findings (open past the SLA, the
median, the share within the SLA, the 90th percentile), each with its own action. Here
every check result names its subject (:mod:`audit.assessment.subjects`), and the results
about one subject become one finding:

- graded by the most severe result (a result that needs action outranks conforming and
  good-practice ones; those are dropped when something about the subject needs action);
- the lead result (the most severe; on a tie, one on a KPI of the subject itself before one
  attributed to it, such as a CSI decline on the dimension that drove it; then the first
  registered) gives the title, the clause, the KPI and the guidance;
- the evidence is every result's evidence, lead first; the gaps of the results needing
  action are kept, each once;
- the figures are the lead's, with each other result's under its KPI id (or check id);
- the records behind it and the auditee questions are all of them, each once.

Example:
    >>> [m.draft.subject for m in consolidate(drafts)]          # doctest: +SKIP
    ['complaint_timeliness', 'dimension:responsiveness', 'lost_business']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from audit.assessment.checks import Ask, Draft
from audit.assessment.subjects import subject_of_kpi

__all__ = ["ORDER", "Merged", "consolidate"]

#: grades from most to least severe
ORDER = {"major": 0, "minor": 1, "observation": 2, "ofi": 3, "good_practice": 4, "conforming": 5}


@dataclass(frozen=True)
class Merged:
    """One subject's finding before it is numbered.

    Attributes:
        draft: the merged draft (the lead result's title, clause and grade; every result's evidence).
        checks: the checks merged, the lead one first.
        kpi_ids: the KPIs the results rest on, the lead one first.
    """

    draft: Draft
    checks: tuple[str, ...]
    kpi_ids: tuple[str, ...]


def _once(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _rank(draft: Draft) -> tuple[int, int]:
    """Most severe first; on a tie, a result on the subject's own KPI before one attributed to it."""
    attributed = bool(draft.kpi_id) and subject_of_kpi(draft.kpi_id or "") != draft.subject
    return ORDER[draft.grade], int(attributed)


def _merge(results: list[Draft]) -> Merged:
    needing = [d for d in results if d.grade not in {"conforming", "good_practice"}]
    keep = sorted(needing or results, key=_rank)  # stable: registration order on a tie
    if needing:  # a good practice on the subject is kept as evidence, not as the grade
        keep += [d for d in results if d.grade == "good_practice"]
    lead = keep[0]
    figures = dict(lead.figures)
    for other in keep[1:]:
        figures.setdefault(other.kpi_id or other.check, other.figures)
    gaps = _once(d.gap for d in keep if d.grade not in {"conforming", "good_practice"}) or [lead.gap]
    questions: dict[str, Ask] = {}
    for d in keep:
        for ask in d.questions:
            questions.setdefault(ask.question, ask)
    draft = dataclasses.replace(
        lead,
        evidence=" ".join(_once(d.evidence for d in keep)),
        gap=" ".join(gaps),
        figures=figures,
        evidence_ids=tuple(dict.fromkeys(i for d in keep for i in d.evidence_ids)),
        questions=tuple(questions.values()),
    )
    return Merged(draft, tuple(_once(d.check for d in keep)), tuple(_once(d.kpi_id or "" for d in keep)))


def consolidate(drafts: Iterable[Draft]) -> list[Merged]:
    """One merged finding per subject, in the order the subjects first appear (see the module docstring).

    A draft without a subject is a subject of its own (its check's id).
    """
    groups: dict[str, list[Draft]] = {}
    for draft in drafts:
        subject = draft.subject or draft.check
        groups.setdefault(subject, []).append(dataclasses.replace(draft, subject=subject))
    return [_merge(results) for results in groups.values()]
