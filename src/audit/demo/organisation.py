"""Demo Pumps Ltd itself: its export headers and files, products, vocabularies and the problems planted.

The generator (:mod:`audit.demo.generate`) draws from these tables; the files module
(:mod:`audit.demo.files`) names the exports and maps their headers in audit.yaml.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np

from audit.config import parse_period

ORGANISATION = "Demo Pumps Ltd"
DEFAULT_PERIOD = "2026-Q3"
#: the key account that stops ordering in the audited quarter (whatever the seed)
LOST_CUSTOMER_ID = "CUST-1027"
SURVEY_DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")

#: per kind, our column name (audit.data.contract) → the header in the demo's export
HEADERS: dict[str, dict[str, str]] = {
    "orders": {
        "order_id": "Order No",
        "customer_id": "Customer No",
        "ordered_on": "Order Date",
        "promised_on": "Promised Date",
        "delivered_on": "Delivery Date",
        "quantity_ordered": "Qty Ordered",
        "quantity_delivered": "Qty Delivered",
        "value": "Net Value (EUR)",
        "product": "Product",
        "region": "Sales Region",
    },
    "surveys": {
        "response_id": "Response ID",
        "customer_id": "Account Number",
        "responded_on": "Submitted On",
        "overall": "Overall Satisfaction (1-5)",
        "recommend": "Likelihood to Recommend (0-10)",
        "channel": "Channel",
        "region": "Region",
        "product": "Product",
        "comment": "Comments",
        "followed_up": "Followed Up",
    },
    "complaints": {
        "complaint_id": "Ticket ID",
        "customer_id": "Customer No",
        "order_id": "Order No",
        "received_on": "Received",
        "acknowledged_on": "Acknowledged",
        "resolved_on": "Resolved",
        "status": "Status",
        "category": "Category",
        "severity": "Severity",
        "root_cause": "Root Cause",
        "description": "Description",
        "channel": "Channel",
    },
    "returns": {
        "return_id": "RMA Number",
        "order_id": "Order No",
        "customer_id": "Customer No",
        "returned_on": "Return Date",
        "product": "Product",
        "quantity": "Qty Returned",
        "reason": "Return Reason",
        "value": "Credit Value (EUR)",
        "warranty": "Warranty (Y/N)",
    },
}
PERCEPTION = {d: f"{d.title()} - Perception" for d in SURVEY_DIMENSIONS}
EXPECTATION = {d: f"{d.title()} - Expectation" for d in SURVEY_DIMENSIONS}
FILES = {
    "orders": "orders.csv",
    "surveys": "survey_responses.csv",
    "complaints": "complaint_log.xlsx",
    "returns": "rma_returns.xlsx",
}
SHEETS = {"complaints": "Complaints", "returns": "Returns"}


class Planted(TypedDict):
    """What :func:`write_demo` plants in the audited quarter, for tests to look for."""

    period: str
    lost_customer_id: str
    declining_dimension: str
    spike_category: str
    spike_month: str
    slipping_kpis: tuple[str, ...]
    invalid: dict[str, tuple[str, ...]]


def planted(period: str = DEFAULT_PERIOD) -> Planted:
    """Describe the problems planted when the audited quarter is ``period``.

    Args:
        period: the audited quarter, such as ``2026-Q3``.

    Returns:
        The planted problems; ``spike_month`` is the quarter's second month (``YYYY-MM``).

    Example:
        >>> planted("2026-Q3")["spike_month"]
        '2026-08'
    """
    start, _ = parse_period(period)
    return Planted(
        period=period,
        lost_customer_id=LOST_CUSTOMER_ID,
        declining_dimension="responsiveness",
        spike_category="Packaging damage",
        spike_month=f"{start.year}-{start.month + 1:02d}",
        slipping_kpis=(
            "complaint_resolution_days_median",
            "complaints_resolved_within_sla_pct",
            "complaints_open_overdue",
        ),
        invalid={
            "surveys": ("overall outside the 1-5 scale", "blank response date"),
            "complaints": ("resolved before received",),
            "returns": ("duplicate RMA number",),
            "orders": ("non-numeric quantity", "negative quantity"),
        },
    )


#: the planted problems for the default period (2026-Q3)
PLANTED: Planted = planted(DEFAULT_PERIOD)

# --- the organisation ---------------------------------------------------------------------
REGIONS = np.array(["North", "South", "East", "West", "Export"], dtype=object)
REGION_P = np.array([0.24, 0.22, 0.2, 0.18, 0.16])
# name, list price EUR, typical quantity per order, lead time days, share of order lines
PRODUCTS = [
    ("CP-50 Centrifugal Pump", 850.0, 3, 21, 0.22),
    ("CP-80 Centrifugal Pump", 1450.0, 2, 21, 0.18),
    ("SP-100 Submersible Pump", 2300.0, 2, 28, 0.12),
    ("MS-200 Multistage Pump", 4800.0, 1, 35, 0.06),
    ("DP-25 Dosing Pump", 620.0, 3, 14, 0.14),
    ("GP-40 Gear Pump", 1100.0, 2, 21, 0.10),
    ("SK-01 Seal & Bearing Kit", 95.0, 10, 7, 0.18),
]
PRODUCT_NAMES = np.array([p[0] for p in PRODUCTS], dtype=object)
PRICE = np.array([p[1] for p in PRODUCTS])
QBASE = np.array([p[2] for p in PRODUCTS], dtype=float)
LEAD = np.array([p[3] for p in PRODUCTS], dtype=np.int64)
PRODUCT_P = np.array([p[4] for p in PRODUCTS])
# order intake by month (Jan..Dec): irrigation season high, August and December low
SEASON = np.array([0.85, 0.9, 1.05, 1.1, 1.15, 1.1, 1.0, 0.8, 1.05, 1.05, 1.0, 0.75])
WEEKDAY = np.array([1.0, 1.0, 1.0, 1.0, 0.95, 0.08, 0.02])  # Monday..Sunday

CATEGORIES = [
    "Late delivery",
    "Product defect",
    "Packaging damage",
    "Wrong item",
    "Documentation",
    "Invoice error",
    "Service attitude",
]
CATEGORY_P = np.array([0.27, 0.25, 0.10, 0.10, 0.09, 0.11, 0.08])
SPIKE = CATEGORIES.index("Packaging damage")
# per category: English descriptions, Chinese descriptions, root causes. The sentences of one
# category share their content words (and no other category's), so that the themes of the free
# text (audit.kpi.themes) find one theme per category; the pool sizes keep the draws of the rng.
COMPLAINT_TEXT: list[tuple[list[str], list[str], list[str]]] = [
    (
        [
            "Late delivery: the pumps arrived after the promised date.",
            "Delivery late, pumps arrived well after the promised date.",
            "The pumps arrived late, after the promised delivery date.",
            "Promised delivery date: the pumps arrived late, well after it.",
        ],
        ["交货延迟，超过承诺的交货日期", "延迟交货，超过承诺日期"],
        ["Production planning backlog", "Carrier capacity shortfall", "Component shortage (castings)"],
    ),
    (
        [
            "Defective pump: the mechanical seal is leaking.",
            "Pump defective, mechanical seal leaking.",
            "The mechanical seal of the pump is defective and leaking.",
            "Leaking mechanical seal: defective pump.",
        ],
        ["泵质量缺陷，机械密封泄漏", "机械密封泄漏，泵有质量缺陷"],
        ["Seal batch nonconforming", "Assembly torque not to specification", "Machining tolerance out of limits"],
    ),
    (
        [
            "Packaging damaged in transit: the crate was broken and the casing scratched.",
            "Damaged packaging: broken crate, casing scratched in transit.",
            "The crate was broken in transit, packaging damaged and the casing scratched.",
            "Casing scratched: packaging damaged and crate broken in transit.",
        ],
        ["运输中包装破损，泵体外壳划伤", "包装破损，运输中泵体外壳被划伤"],
        ["New packaging supplier, weaker crates", "Pallet strapping inadequate", "Forklift handling in dispatch"],
    ),
    (
        [
            "Wrong item: the model supplied is not the one on the order.",
            "Wrong model supplied, the item is not the one on our order.",
            "The item supplied is the wrong model, not the one on the order.",
        ],
        ["发错型号，与订单不符", "型号发错，与订单不符"],
        ["Picking error in warehouse", "Label mix-up at packing"],
    ),
    (
        [
            "Documentation missing from the shipment: test certificate.",
            "Test certificate missing from the shipment documentation.",
            "The shipment documentation is missing its test certificate.",
        ],
        ["随货文件缺失，检验证书不全", "检验证书缺失，随货文件不全"],
        ["Certificate not printed before shipping", "Handbook version control"],
    ),
    (
        [
            "Invoice error: the invoiced price is incorrect.",
            "Incorrect price invoiced, invoice error.",
            "The invoice has an error: incorrect price invoiced.",
        ],
        ["发票错误，开票价格不对", "开票价格错误，发票不对"],
        ["Price list not updated in ERP", "Manual invoice entry"],
    ),
    (
        [
            "Service attitude poor: staff were rude on the phone.",
            "Rude staff on the phone, poor service attitude.",
            "Poor attitude of the service staff on the phone: rude.",
        ],
        ["客服态度差，电话里很不礼貌", "电话里客服态度差，不礼貌"],
        ["Call centre understaffed", "Staff training gap"],
    ),
]
# survey comments by sentiment (negative, neutral, positive, slow response): English, Chinese;
# as for the complaints, the comments of one sentiment share their content words
COMMENTS: list[tuple[list[str], list[str]]] = [
    (
        [
            "Very disappointed: late deliveries and quality problems.",
            "Late deliveries and quality problems, very disappointed.",
            "Disappointed with the late deliveries and the quality problems.",
            "Quality problems and late deliveries: disappointed.",
        ],
        ["交货延迟，质量问题多，很不满意", "很不满意，交货延迟，质量问题多", "质量问题多，交货延迟，不满意"],
    ),
    (
        [
            "Prices are high; products are acceptable.",
            "Products acceptable, but prices are high.",
            "Acceptable products, high prices.",
            "High prices for acceptable products.",
        ],
        ["价格偏高，服务一般", "服务一般，价格偏高", "价格偏高，服务也一般"],
    ),
    (
        [
            "Reliable pumps and good service.",
            "Good service, reliable pumps.",
            "The pumps are reliable and the service is good.",
            "Reliable pumps, good service.",
            "Good service and reliable pumps.",
        ],
        ["产品可靠，技术支持专业", "技术支持专业，产品可靠", "产品很可靠，技术支持很专业"],
    ),
    (
        [
            "We waited for a reply to our enquiries: slow.",
            "Enquiries get a slow reply; we waited.",
            "Slow reply: we waited on our enquiries.",
            "Our enquiries waited for a slow reply.",
        ],
        ["客服响应太慢，回复不及时", "客服回复太慢，响应不及时", "响应太慢，客服回复不及时"],
    ),
]
# (perception mean, expectation mean) per SERVQUAL dimension; responsiveness drops last quarter
DIM_MEANS = np.array([[4.25, 3.9], [4.1, 4.6], [4.0, 4.4], [4.25, 4.3], [4.0, 3.9]])
DIM_WEIGHTS = np.array([0.12, 0.30, 0.22, 0.18, 0.18])
RESPONSIVENESS_DROP = 0.45
RESPONSE_RATE = 0.25  # responses per questionnaire sent
RETURN_REASONS = [  # reason, share, probability of a warranty claim
    ("Defective on arrival", 0.20, 0.9),
    ("Leaking seal", 0.18, 0.95),
    ("Motor failure", 0.10, 0.9),
    ("Damaged in transit", 0.15, 0.3),
    ("Wrong item supplied", 0.14, 0.0),
    ("Ordered in error", 0.13, 0.0),
    ("Performance below specification", 0.10, 0.7),
]
