"""A synthetic organisation, Demo Pumps Ltd, whose exports hide problems an audit must find.

:func:`write_demo` writes one audit folder: ``audit.yaml`` and four client-style exports in
``data/`` (orders CSV, survey CSV with a BOM, complaint log and RMA register in Excel). The
files cover several calendar quarters ending with the audited one, so the earlier quarters
serve as history. Everything is drawn from ``numpy.random.default_rng(seed)``: the same
arguments give byte-identical CSV files.

The earlier quarters are stable. In the audited (last) quarter these problems are planted
(see :data:`PLANTED`):

1. complaint resolution slips past its SLA (median ~8 → ~15 days, within 14 days ~92% → under
   50%), with complaints still open and older than the SLA at period end;
2. the responsiveness perception falls by ~0.4 points; the other dimensions stay put;
3. the largest-revenue customer (:data:`LOST_CUSTOMER_ID`) orders every earlier quarter and
   not at all in the last one;
4. "Packaging damage" complaints about triple, most of the extra in the quarter's second month;

plus a few invalid rows (well under 5% per kind): survey overall scores of 6 or 9 on the
1–5 scale, blank survey dates, complaints resolved before they were received, duplicate RMA
numbers, non-numeric and negative order quantities.

Example:
    >>> folder = write_demo(Path("audits/demo"))      # doctest: +SKIP
    >>> load_config(folder).audit.id                   # doctest: +SKIP
    'DEMO-P1-2026-Q3'
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt
import pandas as pd

from audit.config import CONFIG_FILE, parse_period

__all__ = [
    "HEADERS",
    "LOST_CUSTOMER_ID",
    "ORGANISATION",
    "PLANTED",
    "SURVEY_DIMENSIONS",
    "Planted",
    "planted",
    "write_demo",
]

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
_PERCEPTION = {d: f"{d.title()} - Perception" for d in SURVEY_DIMENSIONS}
_EXPECTATION = {d: f"{d.title()} - Expectation" for d in SURVEY_DIMENSIONS}
_FILES = {
    "orders": "orders.csv",
    "surveys": "survey_responses.csv",
    "complaints": "complaint_log.xlsx",
    "returns": "rma_returns.xlsx",
}
_SHEETS = {"complaints": "Complaints", "returns": "Returns"}


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
_REGIONS = np.array(["North", "South", "East", "West", "Export"], dtype=object)
_REGION_P = np.array([0.24, 0.22, 0.2, 0.18, 0.16])
# name, list price EUR, typical quantity per order, lead time days, share of order lines
_PRODUCTS = [
    ("CP-50 Centrifugal Pump", 850.0, 3, 21, 0.22),
    ("CP-80 Centrifugal Pump", 1450.0, 2, 21, 0.18),
    ("SP-100 Submersible Pump", 2300.0, 2, 28, 0.12),
    ("MS-200 Multistage Pump", 4800.0, 1, 35, 0.06),
    ("DP-25 Dosing Pump", 620.0, 3, 14, 0.14),
    ("GP-40 Gear Pump", 1100.0, 2, 21, 0.10),
    ("SK-01 Seal & Bearing Kit", 95.0, 10, 7, 0.18),
]
_PRODUCT_NAMES = np.array([p[0] for p in _PRODUCTS], dtype=object)
_PRICE = np.array([p[1] for p in _PRODUCTS])
_QBASE = np.array([p[2] for p in _PRODUCTS], dtype=float)
_LEAD = np.array([p[3] for p in _PRODUCTS], dtype=np.int64)
_PRODUCT_P = np.array([p[4] for p in _PRODUCTS])
# order intake by month (Jan..Dec): irrigation season high, August and December low
_SEASON = np.array([0.85, 0.9, 1.05, 1.1, 1.15, 1.1, 1.0, 0.8, 1.05, 1.05, 1.0, 0.75])
_WEEKDAY = np.array([1.0, 1.0, 1.0, 1.0, 0.95, 0.08, 0.02])  # Monday..Sunday

_CATEGORIES = [
    "Late delivery",
    "Product defect",
    "Packaging damage",
    "Wrong item",
    "Documentation",
    "Invoice error",
    "Service attitude",
]
_CATEGORY_P = np.array([0.27, 0.25, 0.10, 0.10, 0.09, 0.11, 0.08])
_SPIKE = _CATEGORIES.index("Packaging damage")
# per category: English descriptions, Chinese descriptions, root causes. The sentences of one
# category share their content words (and no other category's), so that the themes of the free
# text (audit.kpi.themes) find one theme per category; the pool sizes keep the draws of the rng.
_COMPLAINT_TEXT: list[tuple[list[str], list[str], list[str]]] = [
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
_COMMENTS: list[tuple[list[str], list[str]]] = [
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
_DIM_MEANS = np.array([[4.25, 3.9], [4.1, 4.6], [4.0, 4.4], [4.25, 4.3], [4.0, 3.9]])
_DIM_WEIGHTS = np.array([0.12, 0.30, 0.22, 0.18, 0.18])
_RESPONSIVENESS_DROP = 0.45
_RESPONSE_RATE = 0.25  # responses per questionnaire sent
_RETURN_REASONS = [  # reason, share, probability of a warranty claim
    ("Defective on arrival", 0.20, 0.9),
    ("Leaking seal", 0.18, 0.95),
    ("Motor failure", 0.10, 0.9),
    ("Damaged in transit", 0.15, 0.3),
    ("Wrong item supplied", 0.14, 0.0),
    ("Ordered in error", 0.13, 0.0),
    ("Performance below specification", 0.10, 0.7),
]

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Objects = npt.NDArray[np.object_]
Table = dict[str, npt.NDArray[Any]]  # header → column, in file order
Quarters = list[tuple[np.datetime64, np.datetime64]]  # first and last day of each quarter


# --- helpers -------------------------------------------------------------------------------
def _quarters(period: str, n: int) -> Quarters:
    """First and last day of the ``n`` quarters ending with ``period``, oldest first."""
    start, _ = parse_period(period)
    last = start.year * 4 + (start.month - 1) // 3
    bounds = (parse_period(f"{k // 4}-Q{k % 4 + 1}") for k in range(last - n + 1, last + 1))
    return [(np.datetime64(a, "D"), np.datetime64(b, "D")) for a, b in bounds]


def _days(rng: np.random.Generator, start: np.datetime64, end: np.datetime64, n: int) -> Days:
    """``n`` sorted dates in [start, end], weighted by month seasonality and weekday."""
    days = np.arange(start, end + np.timedelta64(1, "D"), dtype="datetime64[D]")
    month = days.astype("datetime64[M]").astype(np.int64) % 12
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    weight = _SEASON[month] * _WEEKDAY[weekday]
    return np.sort(rng.choice(days, size=n, p=weight / weight.sum()))


def _td(days: npt.NDArray[Any]) -> npt.NDArray[np.timedelta64]:
    """Whole numbers of days as timedeltas, to add to dates."""
    return np.asarray(days, dtype=np.int64).astype("timedelta64[D]")


def _pick(rng: np.random.Generator, pool: list[str], n: int) -> Objects:
    """``n`` texts drawn uniformly from ``pool``."""
    return np.array(pool, dtype=object)[rng.integers(0, len(pool), n)]


def _choose(rng: np.random.Generator, p: npt.NDArray[Any], n: int) -> Ints:
    """``n`` indices drawn with probabilities proportional to the weights ``p``."""
    return rng.choice(len(p), size=n, p=np.asarray(p) / np.sum(p))


def _draw(rng: np.random.Generator, labels: list[str], p: list[float], n: int) -> Objects:
    """``n`` labels drawn with probabilities ``p``."""
    return np.array(labels, dtype=object)[_choose(rng, np.array(p), n)]


def _some(rng: np.random.Generator, rows: Ints, k: int) -> Ints:
    """``k`` distinct rows picked at random from ``rows`` (all of them if fewer)."""
    return rows[rng.choice(len(rows), size=min(k, len(rows)), replace=False)]


def _exact(rng: np.random.Generator, p: Floats, n: int) -> Ints:
    """``n`` category codes in shuffled order with counts as close to ``n * p`` as possible."""
    raw = n * p / p.sum()
    counts = np.floor(raw).astype(np.int64)
    counts[np.argsort(counts - raw)[: n - counts.sum()]] += 1
    return rng.permutation(np.repeat(np.arange(len(p)), counts))


def _bad(n_quarter: int) -> int:
    """How many invalid rows of one sort to plant: 1–8, about 1% of a quarter."""
    return int(np.clip(n_quarter // 100, 1, 8))


def _ids(prefix: str, first: int, n: int) -> Objects:
    """Identifiers ``prefix`` + consecutive numbers from ``first``."""
    return (prefix + pd.Series(np.arange(first, first + n)).astype(str)).to_numpy(dtype=object)


def _iso(days: Days) -> Objects:
    """ISO dates as text, blank for NaT (each distinct day formatted once, then looked up)."""
    blank = np.isnat(days)
    if blank.all():
        return np.full(len(days), "", dtype=object)
    first, last = days[~blank].min(), days[~blank].max()
    table = np.datetime_as_string(np.arange(first, last + np.timedelta64(1, "D")), unit="D")
    text = np.append(table.astype(object), "")
    return text[np.where(blank, len(table), (days - first).astype(np.int64))]


def _text(numbers: Ints) -> Objects:
    """Integers as text, formatted once per distinct value."""
    distinct, where = np.unique(numbers, return_inverse=True)
    return distinct.astype(str).astype(object)[where]


# --- the four kinds ------------------------------------------------------------------------
class _Customers:
    """Customers with Pareto-like revenue (top 20% ≈ 80%), regions and the lost key account."""

    def __init__(self, rng: np.random.Generator, n: int) -> None:
        self.freq = rng.lognormal(0.0, 1.4, n)
        self.size = rng.lognormal(0.0, 1.05, n)
        self.discount = np.clip(0.03 * np.log1p(self.size * self.freq * 10), 0.0, 0.15)
        self.region = _REGIONS[_choose(rng, _REGION_P, n)]
        revenue = self.freq * self.size
        top, second = np.argsort(-revenue)[:2]
        self.freq[top] *= max(1.0, 1.5 * revenue[second] / revenue[top])  # clearly the largest
        self.ids = _ids("CUST-", 1001, n)[rng.permutation(n)]
        self.lost = -1

    def lose(self, index: int) -> None:
        """Make customer ``index`` the lost key account, known as :data:`LOST_CUSTOMER_ID`."""
        holder = int(np.flatnonzero(self.ids == LOST_CUSTOMER_ID)[0])  # n >= 60, so it exists
        self.ids[[holder, index]] = self.ids[[index, holder]]
        self.lost = index

    def weights(self, last: bool, power: float = 1.0) -> Floats:
        """How often each customer orders (or answers, with ``power`` < 1) in a quarter."""
        weight = self.freq**power
        if last and self.lost >= 0:
            weight = weight.copy()
            weight[self.lost] = 0.0
        return weight


def _orders(
    rng: np.random.Generator, cust: _Customers, quarters: Quarters, per_quarter: int
) -> tuple[Table, dict[str, Any]]:
    """Orders; also returns arrays the complaints and returns link to."""
    ordered: Days = np.concatenate([_days(rng, start, end, per_quarter) for start, end in quarters])
    customer = _choose(rng, cust.weights(last=False), len(ordered))
    n, last = len(ordered), ordered >= quarters[-1][0]
    product = _choose(rng, _PRODUCT_P, n)
    size = rng.lognormal(-0.3, 0.6, n) * _QBASE[product]
    price = _PRICE[product] * rng.uniform(0.97, 1.03, n)

    def values(who: Ints) -> tuple[Ints, Floats]:
        qty = np.maximum(1, np.rint(cust.size[who] * size)).astype(np.int64)
        return qty, np.round(qty * price * (1 - cust.discount[who]), 2)

    # the largest account of the earlier quarters is lost: its last-quarter orders go elsewhere
    _, value = values(customer)
    cust.lose(int(np.bincount(customer[~last], weights=value[~last]).argmax()))
    moved = last & (customer == cust.lost)
    customer[moved] = _choose(rng, cust.weights(last=True), int(moved.sum()))
    qty, value = values(customer)
    promised = ordered + _td(_LEAD[product] + rng.integers(0, 8, n))
    late = rng.random(n) < 0.03
    delivered = promised + _td(np.where(late, 1 + rng.geometric(0.25, n), -rng.integers(0, 4, n)))
    short = (rng.random(n) < 0.016) & (qty >= 2)
    qty_delivered = np.where(short, np.floor(qty * rng.uniform(0.5, 0.95, n)), qty).astype(np.int64)
    pending = delivered > quarters[-1][1]
    delivered[pending] = np.datetime64("NaT")
    qty_text = _text(qty)
    n_bad = _bad(per_quarter)
    bad = _some(rng, np.flatnonzero(last), 2 * n_bad)
    qty_text[bad[:n_bad]] = _pick(rng, ["twelve", "ten", "twenty"], n_bad)
    qty_text[bad[n_bad:]] = _text(-rng.integers(1, 20, n_bad))
    delivered_text = _text(qty_delivered)
    delivered_text[pending] = ""
    order_id = _ids("SO-", 240001, n)
    h = HEADERS["orders"]
    table: Table = {
        h["order_id"]: order_id,
        h["customer_id"]: cust.ids[customer],
        h["ordered_on"]: _iso(ordered),
        h["promised_on"]: _iso(promised),
        h["delivered_on"]: _iso(delivered),
        h["quantity_ordered"]: qty_text,
        h["quantity_delivered"]: delivered_text,
        h["value"]: value,
        h["product"]: _PRODUCT_NAMES[product],
        h["region"]: cust.region[customer],
    }
    links = {
        "ordered": ordered,
        "delivered": delivered,
        "customer": customer,
        "product": product,
        "qty": qty_delivered,
        "unit": value / qty,
        "id": order_id,
    }
    return table, links


def _surveys(rng: np.random.Generator, cust: _Customers, quarters: Quarters, per_quarter: int) -> Table:
    """Survey responses: overall, recommend and five SERVQUAL perceptions and expectations."""
    dates, who = [], []
    for k, (start, end) in enumerate(quarters):
        dates.append(_days(rng, start, end, per_quarter))
        who.append(_choose(rng, cust.weights(last=k == len(quarters) - 1, power=0.5), per_quarter))
    responded, customer = np.concatenate(dates), np.concatenate(who)
    n, last = len(responded), responded >= quarters[-1][0]
    latent = rng.normal(0.0, 1.0, n)
    mean = np.broadcast_to(_DIM_MEANS[:, 0], (n, 5)).copy()
    mean[last, SURVEY_DIMENSIONS.index("responsiveness")] -= _RESPONSIVENESS_DROP
    x = mean + 0.55 * latent[:, None] + 0.6 * rng.normal(0.0, 1.0, (n, 5))
    perception = np.clip(np.rint(x), 1, 5).astype(np.int64)
    expectation = np.clip(
        np.rint(_DIM_MEANS[:, 1] + 0.35 * rng.normal(0.0, 1.0, (n, 1)) + 0.45 * rng.normal(0.0, 1.0, (n, 5))), 1, 5
    ).astype(np.int64)
    overall_c = 0.12 + x @ _DIM_WEIGHTS + 0.35 * rng.normal(0.0, 1.0, n)
    overall = np.clip(np.rint(overall_c), 1, 5).astype(np.int64)
    recommend = np.clip(np.rint(2.2 * overall_c - 0.8 + 1.1 * rng.normal(0.0, 1.0, n)), 0, 10)
    sentiment = np.where(overall <= 2, 0, np.where(overall == 3, 1, 2))
    slow = (perception[:, 2] <= 2) & (sentiment < 2) & (rng.random(n) < 0.6)
    sentiment[slow] = 3
    has_comment = rng.random(n) < np.where(sentiment == 2, 0.45, 0.8)
    chinese = rng.random(n) < 0.10
    comment = np.full(n, "", dtype=object)
    for s, (english, zh) in enumerate(_COMMENTS):
        for pool, lang in ((english, ~chinese), (zh, chinese)):
            mask = has_comment & lang & (sentiment == s)
            comment[mask] = _pick(rng, pool, int(mask.sum()))
    follow = rng.random(n) < np.where(overall <= 2, 0.85, np.where(overall == 3, 0.3, 0.05))
    overall_out = overall.astype(object)
    n_bad = _bad(per_quarter)
    bad = _some(rng, np.flatnonzero(last), 2 * n_bad)
    overall_out[bad[:n_bad]] = rng.choice([6, 9], n_bad)
    date_text = _iso(responded)
    date_text[bad[n_bad:]] = ""
    h = HEADERS["surveys"]
    columns: Table = {
        h["response_id"]: _ids("R-", 700001, n),
        h["customer_id"]: cust.ids[customer],
        h["responded_on"]: date_text,
        h["overall"]: overall_out,
        h["recommend"]: recommend.astype(np.int64),
    }
    for d, dim in enumerate(SURVEY_DIMENSIONS):
        columns[_PERCEPTION[dim]] = perception[:, d]
        columns[_EXPECTATION[dim]] = expectation[:, d]
    columns |= {
        h["channel"]: _draw(rng, ["email", "phone", "web"], [0.55, 0.15, 0.3], n),
        h["region"]: cust.region[customer],
        h["product"]: _PRODUCT_NAMES[_choose(rng, _PRODUCT_P, n)],
        h["comment"]: comment,
        h["followed_up"]: np.where(follow, "yes", "no").astype(object),
    }
    return columns


def _link(rng: np.random.Generator, links: dict[str, Any], when: Days, lo: int, hi: int) -> Ints:
    """For each date, an order placed ``lo``–``hi`` days before it (or the earliest order)."""
    target = when - _td(rng.integers(lo, hi + 1, len(when)))
    return np.clip(np.searchsorted(links["ordered"], target), 0, len(links["ordered"]) - 1)


def _complaints(
    rng: np.random.Generator, cust: _Customers, links: dict[str, Any], quarters: Quarters, per_quarter: int
) -> Table:
    """The complaint log, with slow resolution and a packaging-damage spike in the last quarter."""
    dates, cats = [], []
    for start, end in quarters:
        dates.append(_days(rng, start, end, per_quarter))
        cats.append(_exact(rng, _CATEGORY_P, per_quarter))
    start, end = quarters[-1]
    extra = round(2.2 * per_quarter * _CATEGORY_P[_SPIKE] / _CATEGORY_P.sum())
    month = start.astype("datetime64[M]")
    month2 = (month + np.timedelta64(1, "M")).astype("datetime64[D]")
    month3 = (month + np.timedelta64(2, "M")).astype("datetime64[D]")
    in_month2 = rng.random(extra) < 0.85
    spike = np.where(
        in_month2, _days(rng, month2, month3 - np.timedelta64(1, "D"), extra), _days(rng, start, end, extra)
    )
    dates.append(spike)
    cats.append(np.full(extra, _SPIKE))
    received, category = np.concatenate(dates), np.concatenate(cats)
    order = np.argsort(received, kind="stable")
    received, category = received[order], category[order]
    n, last = len(received), received >= start
    linked = _link(rng, links, received, 5, 45)
    ack = received + _td(_choose(rng, np.array([0.35, 0.4, 0.17, 0.05, 0.03]), n))
    days = np.where(last, rng.lognormal(np.log(14.5), 0.45, n), rng.lognormal(np.log(8.0), 0.40, n))
    resolved = received + _td(np.maximum(1, np.rint(days)))
    ack = np.minimum(ack, resolved)
    open_ = resolved > end
    # a few of the quarter's early complaints wait on a supplier: still open, long past the SLA
    early = np.flatnonzero(last & ~open_ & (received < end - np.timedelta64(45, "D")))
    open_[_some(rng, early, max(3, per_quarter // 100))] = True
    resolved[open_] = np.datetime64("NaT")
    n_bad = _bad(per_quarter)
    bad = _some(rng, np.flatnonzero(last & ~open_), n_bad)
    resolved[bad] = received[bad] - _td(rng.integers(1, 7, len(bad)))
    chinese = rng.random(n) < 0.15
    description, root = np.full(n, "", dtype=object), np.full(n, "", dtype=object)
    has_root = ~open_ & (rng.random(n) < 0.92)
    for c, (english, zh, causes) in enumerate(_COMPLAINT_TEXT):
        mine = category == c
        for target, pool, mask in (
            (description, english, mine & ~chinese),
            (description, zh, mine & chinese),
            (root, causes, mine & has_root),
        ):
            target[mask] = _pick(rng, pool, int(mask.sum()))
    h = HEADERS["complaints"]
    return {
        h["complaint_id"]: _ids("CMP-", 10001, n),
        h["customer_id"]: cust.ids[links["customer"][linked]],
        h["order_id"]: links["id"][linked],
        h["received_on"]: received,
        h["acknowledged_on"]: ack,
        h["resolved_on"]: resolved,
        h["status"]: np.where(open_, "open", "closed").astype(object),
        h["category"]: np.array(_CATEGORIES, dtype=object)[category],
        h["severity"]: _draw(rng, ["high", "medium", "low"], [0.15, 0.45, 0.4], n),
        h["root_cause"]: root,
        h["description"]: description,
        h["channel"]: _draw(rng, ["email", "phone", "web portal", "sales rep"], [0.45, 0.3, 0.15, 0.1], n),
    }


def _returns(
    rng: np.random.Generator, cust: _Customers, links: dict[str, Any], quarters: Quarters, per_quarter: int
) -> Table:
    """The RMA register: each return follows its order's delivery by 3–90 days."""
    delivered = links["delivered"]
    picked, dates = [], []
    for start, end in quarters:
        lo = np.maximum(delivered + np.timedelta64(3, "D"), start)
        hi = np.minimum(delivered + np.timedelta64(90, "D"), end)
        window = np.where(np.isnat(delivered), 0, (hi - lo).astype(np.int64) + 1).clip(0)
        idx = _choose(rng, window.astype(float), per_quarter)
        picked.append(idx)
        dates.append(lo[idx] + _td(np.floor(rng.random(per_quarter) * window[idx])))
    linked, returned = np.concatenate(picked), np.concatenate(dates)
    order = np.argsort(returned, kind="stable")
    linked, returned = linked[order], returned[order]
    n = len(returned)
    reason = _choose(rng, np.array([r[1] for r in _RETURN_REASONS]), n)
    warranty = rng.random(n) < np.array([r[2] for r in _RETURN_REASONS])[reason]
    qty = np.minimum(links["qty"][linked], rng.geometric(0.55, n))
    rma = _ids("RMA-", 50001, n)
    n_bad = _bad(per_quarter)
    pairs = _some(rng, np.flatnonzero(returned >= quarters[-1][0]), 2 * n_bad)
    rma[pairs[n_bad:]] = rma[pairs[:n_bad]]
    h = HEADERS["returns"]
    return {
        h["return_id"]: rma,
        h["order_id"]: links["id"][linked],
        h["customer_id"]: cust.ids[links["customer"][linked]],
        h["returned_on"]: returned,
        h["product"]: _PRODUCT_NAMES[links["product"][linked]],
        h["quantity"]: qty,
        h["reason"]: np.array([r[0] for r in _RETURN_REASONS], dtype=object)[reason],
        h["value"]: np.round(qty * links["unit"][linked], 2),
        h["warranty"]: np.where(warranty, "Y", "N").astype(object),
    }


# --- writing -------------------------------------------------------------------------------
def _write_csv(path: Path, table: Table, encoding: str) -> None:
    """A CSV file; text columns stay plain object arrays (much faster to write than ``str``)."""
    frame = pd.DataFrame(
        {name: pd.Series(values, dtype=object) if values.dtype == object else values for name, values in table.items()}
    )
    frame.to_csv(path, index=False, encoding=encoding, float_format="%.2f", lineterminator="\n")


def _write_xlsx(path: Path, sheet: str, table: Table) -> None:
    """One sheet in openpyxl write-only mode; dates become Excel dates, blanks empty cells."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    book.properties.creator = ORGANISATION
    ws = book.create_sheet(sheet)
    ws.append(list(table))
    columns: list[list[Any]] = []
    for values in table.values():
        if values.dtype.kind == "M":
            columns.append(values.astype("datetime64[D]").tolist())  # date objects, NaT → None
        elif values.dtype == object:
            cells = values.copy()
            cells[cells == ""] = None
            columns.append(cells.tolist())
        else:
            columns.append(values.tolist())
    for row in zip(*columns):  # openpyxl takes one row at a time
        ws.append(row)
    book.save(path)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _mapping(columns: dict[str, str], indent: int = 6) -> str:
    return "\n".join(f"{' ' * indent}{ours}: {_q(theirs)}" for ours, theirs in columns.items())


def _audit_yaml(period: str, site: str, audit_date: dt.date, sent: int, first: str) -> str:
    code = "".join(w if w.isdigit() else w[0] for w in site.split()).upper() or "SITE"
    objectives = [
        "Determine whether the organisation monitors customers' perceptions of the degree to which "
        "their needs and expectations have been fulfilled (ISO 9001:2015 9.1.2)",
        "Evaluate the methods for obtaining, monitoring and reviewing this information: surveys, "
        "complaints, returns and delivery performance",
        "Assess whether the results are analysed and evaluated (9.1.3) and acted upon (10.2)",
        "Identify opportunities for improvement",
    ]
    scope = (
        f"Customer satisfaction monitoring at {ORGANISATION}, {site}: customer surveys, complaint "
        f"handling, returns (RMA) and order delivery performance for {period}, with the quarters "
        f"from {first} onwards as trend history."
    )
    lines = "\n".join(f"    - {_q(o)}" for o in objectives)
    return f"""\
# audit.yaml: customer-satisfaction monitoring audit of {ORGANISATION} (synthetic demo data)
#
# Written by audit.demo.write_demo. The data files in data/ are exports as the client
# produces them; 'columns:' maps our column names to their headers. See docs/configuration.md.

audit:
  id: {_q(f"DEMO-{code}-{period}")}
  organisation: {_q(ORGANISATION)}
  site: {_q(site)}
  period: {period}
  date: {audit_date.isoformat()}
  criteria: ISO 9001:2015
  language: en
  client: Managing Director
  lead_auditor: Li Na
  team: [Wang Wei, Anna Schmidt]
  auditee: Customer Service Department
  distribution: [Managing Director, Quality Manager, Sales Director, Logistics Manager]
  objectives:
{lines}
  scope: {_q(scope)}

data:
  surveys:
    path: data/{_FILES["surveys"]}   # CRM export, UTF-8 with a byte-order mark
    scale: {{min: 1, max: 5}}
    recommend_scale: {{min: 0, max: 10}}
    sent: {sent}                 # questionnaires sent in {period}
    columns:
{_mapping(HEADERS["surveys"])}
    dimensions:                  # SERVQUAL perception scores
{_mapping(_PERCEPTION)}
    expectations:                # gap = perception - expectation (negative = shortfall)
{_mapping(_EXPECTATION)}
  complaints:
    path: data/{_FILES["complaints"]}
    sheet: {_SHEETS["complaints"]}
    columns:
{_mapping(HEADERS["complaints"])}
  returns:
    path: data/{_FILES["returns"]}
    sheet: {_SHEETS["returns"]}
    columns:
{_mapping(HEADERS["returns"])}
  orders:
    path: data/{_FILES["orders"]}
    grain: order
    columns:
{_mapping(HEADERS["orders"])}

targets:
  csat_mean: 4.0
  csat_top2_pct: 75
  nps: 30
  complaint_resolution_days_median: 10
  complaints_resolved_within_sla_pct: 90
  return_rate_pct: 2.5
  otif_pct: 95

sla:
  complaint_acknowledge_days: 2
  complaint_resolve_days: 14

owners:
  customer_service: Sarah Okafor
  logistics: Tomasz Nowak
  quality: Priya Raman
  sales: James Whitfield
"""


def write_demo(
    root: Path,
    *,
    seed: int = 20260930,
    orders_per_quarter: int = 20_000,
    responses_per_quarter: int = 3_000,
    complaints_per_quarter: int = 600,
    returns_per_quarter: int = 400,
    quarters: int = 8,
    period: str = DEFAULT_PERIOD,
    site: str = "Plant 1",
    audit_date: dt.date = dt.date(2026, 10, 15),
) -> Path:
    """Write the Demo Pumps Ltd audit folder ``root/<period>/`` with audit.yaml and data/.

    Args:
        root: folder that receives the ``<period>`` audit folder (created if needed).
        seed: seed of ``numpy.random.default_rng``; same arguments, identical CSV files.
        orders_per_quarter: orders placed per quarter (about 400 customers at 20,000).
        responses_per_quarter: survey responses per quarter (a quarter of those sent).
        complaints_per_quarter: complaints per quarter before the planted spike.
        returns_per_quarter: RMA returns per quarter.
        quarters: number of calendar quarters written, ending with ``period`` (at least 2).
        period: the audited quarter, such as ``2026-Q3``; the data end on its last day.
        site: site name, used in audit.yaml and the audit id.
        audit_date: date of the audit written to audit.yaml.

    Returns:
        The audit folder, ready for ``audit.config.load_config``.

    Raises:
        ValueError: ``period`` is not a quarter, or a count is too small to plant the problems.

    Example:
        >>> folder = write_demo(tmp_path, orders_per_quarter=2_000)   # doctest: +SKIP
        >>> sorted(p.name for p in (folder / "data").iterdir())       # doctest: +SKIP
        ['complaint_log.xlsx', 'orders.csv', 'rma_returns.xlsx', 'survey_responses.csv']
    """
    minimum = {
        "quarters": (quarters, 2),
        "orders_per_quarter": (orders_per_quarter, 500),
        "responses_per_quarter": (responses_per_quarter, 100),
        "complaints_per_quarter": (complaints_per_quarter, 30),
        "returns_per_quarter": (returns_per_quarter, 20),
    }
    for name, (value, least) in minimum.items():
        if value < least:
            raise ValueError(f"{name} is {value}; the demo needs at least {least}")
    bounds = _quarters(period, quarters)
    r_cust, r_orders, r_surveys, r_complaints, r_returns = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)
    )
    cust = _Customers(r_cust, max(60, round(orders_per_quarter / 50)))
    orders, links = _orders(r_orders, cust, bounds, orders_per_quarter)
    folder = Path(root) / period
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    _write_csv(data / _FILES["orders"], orders, encoding="utf-8")
    _write_csv(
        data / _FILES["surveys"], _surveys(r_surveys, cust, bounds, responses_per_quarter), encoding="utf-8-sig"
    )  # a CRM export with a byte-order mark
    _write_xlsx(
        data / _FILES["complaints"],
        _SHEETS["complaints"],
        _complaints(r_complaints, cust, links, bounds, complaints_per_quarter),
    )
    _write_xlsx(
        data / _FILES["returns"], _SHEETS["returns"], _returns(r_returns, cust, links, bounds, returns_per_quarter)
    )
    first: dt.date = bounds[0][0].astype(dt.date)
    text = _audit_yaml(
        period,
        site,
        audit_date,
        sent=round(responses_per_quarter / _RESPONSE_RATE),
        first=f"{first.year}-Q{(first.month + 2) // 3}",
    )
    (folder / CONFIG_FILE).write_text(text, encoding="utf-8")
    return folder


def write_demo_sites(root: Path, sites: int, *, seed: int = 20260930, **sizes: Any) -> list[Path]:
    """Write ``sites`` demo sites, ``root/plant-1/<period>`` …, each drawn from its own seed.

    Args:
        root: folder that receives the site folders.
        sites: number of sites (Plant 1, Plant 2, …).
        seed: seed of the first site; site k uses ``seed + k - 1``.
        sizes: passed to :func:`write_demo` (``orders_per_quarter`` …).

    Returns:
        The audit folders, one per site.
    """
    return [
        write_demo(Path(root) / f"plant-{k}", seed=seed + k - 1, site=f"Plant {k}", **sizes)
        for k in range(1, sites + 1)
    ]
