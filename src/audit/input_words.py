"""The words of the Excel input templates (audit.input_templates): titles, column notes and names.

English message ids, translated by :func:`audit.i18n._` when a template is built in another
language (``csat-audit init --language zh-CN``). ``{low}``/``{high}`` are the template's score
scale, ``{rmin}``/``{rmax}`` its recommend scale.
"""

from __future__ import annotations

from audit.i18n import N_

__all__ = ["COLUMN_NAMES", "DIMENSIONS", "NOTES", "ROW_NOUN", "TITLE", "WHAT"]

#: the survey dimensions of the template (a manufacturing set) and what each rates
DIMENSIONS = {
    "quality": N_("the quality of the products"),
    "delivery": N_("delivery: on time, complete, undamaged"),
    "service": N_("service and technical support"),
    "cooperation": N_("cooperation: communication, responsiveness, flexibility"),
}

#: what one row of a kind is
ROW_NOUN = {
    "surveys": N_("survey response"),
    "complaints": N_("complaint"),
    "returns": N_("return"),
    "orders": N_("order"),
}

#: each template's title
TITLE = {
    "surveys": N_("Customer satisfaction survey responses"),
    "complaints": N_("Customer complaints"),
    "returns": N_("Returns (RMA, credit notes)"),
    "orders": N_("Orders and deliveries"),
}

#: what each template holds
WHAT = {
    "surveys": N_("The questionnaires customers returned: one row per response, with the scores they gave."),
    "complaints": N_("The complaint log: one row per complaint received, with how and when it was handled."),
    "returns": N_("Goods returned by customers: one row per return (RMA or credit note)."),
    "orders": N_("Customer orders and their delivery: one row per order, with promised and actual dates."),
}

#: per kind, per column: what it holds (the header note and the Instructions sheet)
NOTES: dict[str, dict[str, str]] = {
    "surveys": {
        "response_id": N_("The questionnaire's number or the survey tool's response id. Each id once."),
        "responded_on": N_("The date the customer answered. It places the response in a quarter."),
        "overall": N_(
            "Overall satisfaction, {low} (very dissatisfied) to {high} (very satisfied). Blank when the customer "
            "did not answer it: the response still counts for the questions answered."
        ),
        "customer_id": N_("The customer's account number, as in the orders workbook."),
        "recommend": N_(
            "How likely the customer is to recommend us, {rmin} (not at all) to {rmax} (extremely likely); gives "
            "the Net Promoter Score. Blank when not asked."
        ),
        "comment": N_("The customer's own words."),
        "channel": N_("How the survey was answered: email, web, phone, visit…"),
        "region": N_("The customer's sales region."),
        "product": N_("The product or product line the response is about."),
        "followed_up": N_(
            "Whether the organisation followed this response up (yes or no), e.g. called back a dissatisfied customer."
        ),
    },
    "complaints": {
        "complaint_id": N_("The complaint's number in the complaint log. Each number once."),
        "received_on": N_("The date the complaint was received. It places the complaint in a quarter."),
        "category": N_(
            "What the complaint is about, in the organisation's own categories (Late delivery, Product defect, …). "
            "Used for the Pareto analysis."
        ),
        "customer_id": N_("The customer's account number, as in the orders workbook."),
        "order_id": N_("The order the complaint is about, as in the orders workbook."),
        "product": N_("The product concerned."),
        "severity": N_("How serious the complaint is: low, medium or high."),
        "channel": N_("How the complaint came in: email, phone, visit, sales representative…"),
        "acknowledged_on": N_(
            "The date the receipt was acknowledged to the customer; compared with the acknowledgement time in "
            "audit.yaml (sla)."
        ),
        "resolved_on": N_("The date the complaint was resolved; blank while it is open. Not before received_on."),
        "status": N_("open or closed, as at the date of the export."),
        "root_cause": N_("The cause the investigation found; blank when none was recorded."),
        "corrective_action_ref": N_(
            "The reference of the corrective action raised (ISO 9001 10.2), such as CAR-2026-014."
        ),
        "description": N_("What the customer complained about."),
        "resolution_accepted": N_("Whether the customer accepted the resolution (yes or no)."),
    },
    "returns": {
        "return_id": N_("The return's number (RMA or credit note). Each number once."),
        "returned_on": N_("The date of the return. It places the return in a quarter."),
        "order_id": N_("The order the goods came from, as in the orders workbook."),
        "customer_id": N_("The customer's account number, as in the orders workbook."),
        "product": N_("The product returned."),
        "quantity": N_("Units returned: a plain number, 0 or more."),
        "reason": N_("Why the goods came back, in the organisation's own words or codes."),
        "value": N_("The credit value: a plain number, 0 or more, without a currency sign."),
        "warranty": N_("Whether the return is a warranty claim (yes or no)."),
    },
    "orders": {
        "order_id": N_("The order number. Each number once."),
        "ordered_on": N_("The date the order was placed. It places the order in a quarter."),
        "customer_id": N_("The customer's account number; needed for active, lost and key-account customers."),
        "promised_on": N_("The delivery date promised to the customer; needed for on-time delivery."),
        "delivered_on": N_(
            "The date the order was delivered (or shipped: the same event for every order); blank while "
            "undelivered. Not before ordered_on."
        ),
        "quantity_ordered": N_("Units ordered: a plain number, 0 or more; needed for in-full delivery."),
        "quantity_delivered": N_("Units delivered: a plain number, 0 or more."),
        "value": N_(
            "The order's net value: a plain number, 0 or more, without a currency sign; weighs customers for the "
            "key-account analysis."
        ),
        "product": N_("The product ordered."),
        "region": N_("The sales region."),
    },
}

#: each column's name, for the note of a template in another language (the header stays our column name)
COLUMN_NAMES = {
    "response_id": N_("Response id"),
    "responded_on": N_("Responded on"),
    "overall": N_("Overall satisfaction"),
    "customer_id": N_("Customer id"),
    "recommend": N_("Likelihood to recommend"),
    "comment": N_("Comment"),
    "channel": N_("Channel"),
    "region": N_("Region"),
    "product": N_("Product"),
    "followed_up": N_("Followed up"),
    "complaint_id": N_("Complaint id"),
    "received_on": N_("Received on"),
    "category": N_("Category"),
    "order_id": N_("Order id"),
    "severity": N_("Severity"),
    "acknowledged_on": N_("Acknowledged on"),
    "resolved_on": N_("Resolved on"),
    "status": N_("Status"),
    "root_cause": N_("Root cause"),
    "corrective_action_ref": N_("Corrective action ref"),
    "description": N_("Description"),
    "resolution_accepted": N_("Resolution accepted"),
    "return_id": N_("Return id"),
    "returned_on": N_("Returned on"),
    "quantity": N_("Quantity"),
    "reason": N_("Reason"),
    "value": N_("Value"),
    "warranty": N_("Warranty"),
    "ordered_on": N_("Ordered on"),
    "promised_on": N_("Promised on"),
    "delivered_on": N_("Delivered on"),
    "quantity_ordered": N_("Quantity ordered"),
    "quantity_delivered": N_("Quantity delivered"),
    "quality": N_("Quality"),
    "delivery": N_("Delivery"),
    "service": N_("Service"),
    "cooperation": N_("Cooperation"),
}
