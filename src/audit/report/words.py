"""The names a reader sees for the codes in the snapshot, in the audit's language.

A snapshot holds codes (``not_met``, ``significant decline``, ``missing_value``,
``corrective``, ``customer service``); the report, the workbooks and the portfolio show
the words here instead, through :func:`audit.i18n._`. Every table is keyed by the code and
holds the English message id, so that a code never reaches a page: an unknown one is
shown as words (``some_rule`` → ``Some rule``), never as an id.

Example:
    >>> status_label("not_met"), verdict_label("significant decline")
    ('Not met', 'Significant decline')
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from audit.catalogue import CATALOGUE, spec_for
from audit.catalogue import label as kpi_label
from audit.i18n import N_, _
from audit.model import Kpi

__all__ = [
    "ACTION_TYPES",
    "CLAUSE_TITLES",
    "CLAUSE_VERDICTS",
    "COLUMNS",
    "KIND_LABELS",
    "MODES",
    "RESULTS",
    "RULES",
    "STATUSES",
    "VERDICTS",
    "action_type",
    "clause_title",
    "column_label",
    "kind_label",
    "kpi_name",
    "readable",
    "result_label",
    "role_label",
    "rule_label",
    "status_label",
    "verdict_label",
    "words",
]

#: a KPI's status against its target
STATUSES = {
    "met": N_("Met"),
    "not_met": N_("Not met"),
    "no_target": N_("No target"),
    "not_available": N_("Not available"),
}

#: the verdict on a change from an earlier period (audit.kpi.stats.verdict)
VERDICTS = {
    "significant improvement": N_("Significant improvement"),
    "significant decline": N_("Significant decline"),
    "no significant change": N_("No significant change"),
    "not tested": N_("Not tested"),
}

#: the clauses of the clause table, with their title in GB/T 19001-2016 / ISO 9001:2015 words,
#: and the ISO 9001:2008 clause each corresponds to
CLAUSE_TITLES = {
    "9.1.2": (N_("Customer satisfaction"), "8.2.1"),
    "8.2.1 c": (N_("Customer feedback, including complaints"), "7.2.3 c"),
    "9.1.3": (N_("Analysis and evaluation"), "8.4"),
    "10.2": (N_("Nonconformity and corrective action"), "8.5.2"),
}

#: a clause's verdict (the clause table; results.json ``clauses`` once the assessment writes them)
CLAUSE_VERDICTS = {
    "met": N_("Met"),
    "met_with_observations": N_("Met, with observations"),
    "partly_met": N_("Partly met"),
    "not_met": N_("Not met"),
    "not_evaluated": N_("Not evaluated"),
    "not_assessed": N_("Not assessed"),
}

#: kinds of input data, as a table row or a sentence names them
KIND_LABELS = {
    "surveys": N_("Survey responses"),
    "complaints": N_("Complaints"),
    "returns": N_("Returns"),
    "orders": N_("Orders"),
    "customers": N_("Customers"),
}

#: the type of an improvement action
ACTION_TYPES = {
    "correction": N_("Correction"),
    "corrective": N_("Corrective action"),
    "improvement": N_("Improvement"),
}

#: the roles that own actions (audit.yaml ``owners:``), as the report names them
ROLES = {
    "customer service": N_("Customer service"),
    "logistics": N_("Logistics"),
    "quality": N_("Quality"),
    "sales": N_("Sales"),
}

#: what an earlier action's follow-up found, and the register's own statuses
RESULTS = {
    "effective": N_("Effective"),
    "not effective": N_("Not effective"),
    "not yet verified": N_("Not yet verified"),
    "overdue": N_("Overdue"),
    "open": N_("Open"),
    "in progress": N_("In progress"),
    "closed": N_("Closed"),
    "cancelled": N_("Cancelled"),
}

#: how the audit was conducted (audit.yaml ``audit.mode``)
MODES = {
    "records": N_("from the organisation's records (a desk audit of its exports)"),
    "on_site": N_("on site"),
    "remote": N_("remotely"),
    "blended": N_("on site and remotely"),
}

#: data-quality rules (audit.data), as Appendix A and data_quality.xlsx name them
RULES = {
    "missing_value": N_("Required value missing"),
    "out_of_scale": N_("Score outside the scale"),
    "not_a_date": N_("Not a date"),
    "not_a_number": N_("Not a number"),
    "not_yes_no": N_("Not yes or no"),
    "duplicate_id": N_("Id used more than once"),
    "duplicate_row": N_("Row copied"),
    "date_order": N_("Dates in the wrong order"),
    "impossible_quantity": N_("Impossible quantity"),
    "outside_period": N_("Dated outside the audited quarters"),
    "unknown_value": N_("Value not in the list"),
    "open_but_resolved": N_("Open but resolved"),
    "inconsistent_lines": N_("Order lines that disagree"),
    "order_set_aside": N_("Order set aside"),
    "text_cell": N_("Text where a number or date belongs"),
    "excel_error": N_("Excel error value"),
    "unknown_customer": N_("Unknown customer"),
    "unknown_order": N_("Unknown order"),
    "no_lines": N_("Order without lines"),
    "malformed_record": N_("Malformed record"),
}


#: columns of the data contract, as the evidence tables head them
COLUMNS = {
    "complaint_id": N_("Complaint"),
    "customer_id": N_("Customer"),
    "order_id": N_("Order"),
    "return_id": N_("Return"),
    "response_id": N_("Response"),
    "received_on": N_("Received on"),
    "acknowledged_on": N_("Acknowledged on"),
    "resolved_on": N_("Resolved on"),
    "responded_on": N_("Responded on"),
    "ordered_on": N_("Ordered on"),
    "promised_on": N_("Promised on"),
    "delivered_on": N_("Delivered on"),
    "returned_on": N_("Returned on"),
    "status": N_("Status"),
    "category": N_("Category"),
    "reason": N_("Reason"),
    "description": N_("Description"),
    "root_cause": N_("Root cause"),
    "quantity": N_("Quantity"),
    "value": N_("Value"),
    "product": N_("Product"),
    "overall": N_("Overall score"),
    "recommend": N_("Likelihood to recommend"),
    "comment": N_("Comment"),
    "days": N_("Days"),
}


def column_label(column: str) -> str:
    """A data column as a table heads it: ``received_on`` → ``Received on`` (``受理日期``)."""
    return _lookup(COLUMNS, column)


def words(code: str) -> str:
    """A code as words, for codes no table knows: ``late_delivery`` → ``Late delivery``."""
    return str(code).replace("_", " ").strip().capitalize()


def _lookup(table: dict[str, str], code: str | None) -> str:
    if not code:
        return "–"
    found = table.get(str(code))
    return _(found) if found is not None else words(code)


def status_label(status: str) -> str:
    """``Met``, ``Not met``, ``No target`` or ``Not available``."""
    return _lookup(STATUSES, status)


def verdict_label(verdict: str | None) -> str:
    """The verdict on a change, such as ``Significant decline``; an en dash when there is none."""
    return _lookup(VERDICTS, verdict)


def kind_label(kind: str) -> str:
    return _lookup(KIND_LABELS, kind)


def action_type(kind: str) -> str:
    return _lookup(ACTION_TYPES, kind)


def role_label(role: str) -> str:
    return _lookup(ROLES, role.replace("_", " "))


def result_label(result: str) -> str:
    return _lookup(RESULTS, result)


def rule_label(rule: str) -> str:
    return _lookup(RULES, rule)


def clause_title(clause: str) -> str:
    """The clause's title (``Customer satisfaction``); empty for a clause the table does not name."""
    found = CLAUSE_TITLES.get(clause)
    return _(found[0]) if found else ""


def kpi_name(kpi: Kpi) -> str:
    """The KPI's name in the current language, from the catalogue (the snapshot's label when it is not there)."""
    try:
        return kpi_label(kpi.id)
    except KeyError:
        return kpi.label


#: KPI ids as they may appear inside a text written by an earlier version of the assessment
#: (only ids with an underscore: "complaints" or "returns" in a sentence are words, not ids)
_KPI_ID = re.compile(
    r"\b("
    + "|".join(sorted((re.escape(i) for i in CATALOGUE if "_" in i), key=len, reverse=True))
    + r"|(?:dimension_\w+_mean)|(?:gap_\w+))\b"
)


def readable(text: str, ids: Iterable[str] = ()) -> str:
    """``text`` with any KPI id in it replaced by the KPI's name (a safety net: no id reaches a reader).

    Args:
        text: a sentence from the snapshot (a finding's or an action's text).
        ids: further codes to write as words (check ids …).

    Example:
        >>> readable("recompute repeat_complaint_pct and compare it with the target")
        'recompute Repeat complaints (same customer and category) and compare it with the target'
    """

    def name(match: re.Match[str]) -> str:
        try:
            spec_for(match.group(1))
        except KeyError:
            return match.group(1)
        return kpi_label(match.group(1))

    out = _KPI_ID.sub(name, str(text))
    for code in ids:
        if "_" in code:
            out = re.sub(rf"\b{re.escape(code)}\b", words(code).lower(), out)
    return out
