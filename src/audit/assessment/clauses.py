"""A verdict per clause of the criteria: 9.1.2 first, then 9.1.3, 8.2.1 c and 10.2.

A reader must be able to tell, before anything else, whether 9.1.2 is met; a minor
nonconformity against 8.2.1 c does not say. Each clause is judged on the findings against
it (10.2 gathers 10.2.1, 10.2.1 b and 10.2.1 d):

- a major nonconformity → **not met**;
- otherwise a minor → **partly met**;
- otherwise an observation or an opportunity for improvement → **met with observations**;
- otherwise (good practice or conforming findings only) → **met**;
- no finding at all (nothing in the data to judge it by) → **not assessed**.

With ISO 9001:2008 as the criteria the 2008 clause is named first (8.2.1, 8.4, 7.2.3 c, 8.5.2).

Example:
    >>> [c.verdict for c in clause_verdicts(findings, "ISO 9001:2015")]   # doctest: +SKIP
    ['met_with_observations', 'met_with_observations', 'partly_met', 'met']
"""

from __future__ import annotations

from collections import Counter

from audit.assessment.checks.base import count_of
from audit.i18n import N_, _
from audit.model import ClauseVerdict, Finding, Verdict

__all__ = ["CRITERIA", "clause_verdicts", "lead_sentence"]

#: the clauses judged, in report order: 2015 clause → (2008 equivalent, title, the finding clauses it gathers)
CRITERIA: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "9.1.2": ("8.2.1", N_("monitoring customer satisfaction"), ("9.1.2",)),
    "9.1.3": ("8.4", N_("analysis and evaluation"), ("9.1.3",)),
    "8.2.1 c": ("7.2.3 c", N_("customer feedback and complaints"), ("8.2.1 c",)),
    "10.2": ("8.5.2", N_("nonconformity and corrective action"), ("10.2.1", "10.2.1 b", "10.2.1 d")),
}

_SEVERITY = ("major", "minor", "observation", "ofi", "good_practice", "conforming")


def _cite(clause: str, criteria: str) -> str:
    old = CRITERIA[clause][0]
    if criteria == "ISO 9001:2008":
        return _("ISO 9001:2008 {old} (ISO 9001:2015 {new})", old=old, new=clause)
    return _("ISO 9001:2015 {new} (ISO 9001:2008 {old})", old=old, new=clause)


def _counted(count: Counter[str]) -> str:
    parts = []
    for grade, singular, plural in (
        ("major", "{n} major nonconformity", "{n} major nonconformities"),
        ("minor", "{n} minor nonconformity", "{n} minor nonconformities"),
        ("observation", "{n} observation", "{n} observations"),
        ("ofi", "{n} opportunity for improvement", "{n} opportunities for improvement"),
    ):
        if count[grade]:
            parts.append(count_of(count[grade], singular, plural))
    return ", ".join(parts)


def _verdict(count: Counter[str]) -> Verdict:
    if not count:
        return "not_assessed"
    if count["major"]:
        return "not_met"
    if count["minor"]:
        return "partly_met"
    if count["observation"] or count["ofi"]:
        return "met_with_observations"
    return "met"


def _reason(verdict: Verdict, against: list[Finding], count: Counter[str]) -> str:
    if verdict == "not_assessed":
        return _("the data supplied holds nothing to judge it by")
    if verdict == "met":
        return count_of(len(against), "{n} finding records it met", "{n} findings record it met")
    ids = ", ".join(f.id for f in against if f.needs_action)
    if verdict == "met_with_observations":
        return _("{named} ({ids}), no nonconformity", named=_counted(count), ids=ids)
    return _("{named} ({ids})", named=_counted(count), ids=ids)


#: a verdict as a sentence says it
_SAID = {
    "met": N_("met"),
    "met_with_observations": N_("met with observations"),
    "partly_met": N_("partly met"),
    "not_met": N_("not met"),
    "not_assessed": N_("not assessed"),
}


def clause_verdicts(findings: tuple[Finding, ...], criteria: str) -> tuple[ClauseVerdict, ...]:
    """The verdict on 9.1.2, 9.1.3, 8.2.1 c and 10.2 from the findings (rule in the module docstring)."""
    out = []
    for clause, (old, title, gathered) in CRITERIA.items():
        against = sorted(
            (f for f in findings if f.clause_2015 in gathered), key=lambda f: (_SEVERITY.index(f.grade), f.id)
        )
        count: Counter[str] = Counter(f.grade for f in against)
        verdict = _verdict(count)
        reason = _reason(verdict, against, count)
        sentence = _(
            "{clause}, {title}: {verdict}; {reason}.",
            clause=_cite(clause, criteria),
            title=_(title),
            verdict=_(_SAID[verdict]),
            reason=reason,
        )
        out.append(ClauseVerdict(clause, old, _(title), verdict, sentence, tuple(f.id for f in against), reason))
    return tuple(out)


def lead_sentence(verdicts: tuple[ClauseVerdict, ...], criteria: str) -> str:
    """The report's first sentence: whether 9.1.2 (2008: 8.2.1) is met, and on what."""
    first = next((v for v in verdicts if v.clause == "9.1.2"), None)
    if first is None:
        return ""
    words = {
        "met": _("is met"),
        "met_with_observations": _("is met, with observations"),
        "partly_met": _("is partly met"),
        "not_met": _("is not met"),
        "not_assessed": _("could not be assessed"),
    }
    return _(
        "The requirement to monitor customer satisfaction, {clause}, {verdict}: {reason}.",
        clause=_cite("9.1.2", criteria),
        verdict=words[first.verdict],
        reason=first.reason,
    )
