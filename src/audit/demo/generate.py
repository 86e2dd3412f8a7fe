"""Drawing the synthetic data: customers, orders, survey responses, complaints and returns.

Everything comes from ``numpy.random.default_rng`` streams spawned from one seed (one stream
per kind), so the same arguments give the same tables. The earlier quarters are stable; the
problems of :data:`audit.demo.PLANTED` are planted in the last one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from audit.config import parse_period
from audit.demo.organisation import (
    CATEGORIES,
    CATEGORY_P,
    COMMENTS,
    COMPLAINT_TEXT,
    DIM_MEANS,
    DIM_WEIGHTS,
    EXPECTATION,
    HEADERS,
    LEAD,
    LOST_CUSTOMER_ID,
    PERCEPTION,
    PRICE,
    PRODUCT_NAMES,
    PRODUCT_P,
    QBASE,
    REGION_P,
    REGIONS,
    RESPONSE_RATE,
    RESPONSIVENESS_DROP,
    RETURN_REASONS,
    SEASON,
    SPIKE,
    SURVEY_DIMENSIONS,
    WEEKDAY,
)

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
    weight = SEASON[month] * WEEKDAY[weekday]
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
        self.region = REGIONS[_choose(rng, REGION_P, n)]
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
    product = _choose(rng, PRODUCT_P, n)
    size = rng.lognormal(-0.3, 0.6, n) * QBASE[product]
    price = PRICE[product] * rng.uniform(0.97, 1.03, n)

    def values(who: Ints) -> tuple[Ints, Floats]:
        qty = np.maximum(1, np.rint(cust.size[who] * size)).astype(np.int64)
        return qty, np.round(qty * price * (1 - cust.discount[who]), 2)

    # the largest account of the earlier quarters is lost: its last-quarter orders go elsewhere
    _, value = values(customer)
    cust.lose(int(np.bincount(customer[~last], weights=value[~last]).argmax()))
    moved = last & (customer == cust.lost)
    customer[moved] = _choose(rng, cust.weights(last=True), int(moved.sum()))
    qty, value = values(customer)
    promised = ordered + _td(LEAD[product] + rng.integers(0, 8, n))
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
        h["product"]: PRODUCT_NAMES[product],
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
    mean = np.broadcast_to(DIM_MEANS[:, 0], (n, 5)).copy()
    mean[last, SURVEY_DIMENSIONS.index("responsiveness")] -= RESPONSIVENESS_DROP
    x = mean + 0.55 * latent[:, None] + 0.6 * rng.normal(0.0, 1.0, (n, 5))
    perception = np.clip(np.rint(x), 1, 5).astype(np.int64)
    expectation = np.clip(
        np.rint(DIM_MEANS[:, 1] + 0.35 * rng.normal(0.0, 1.0, (n, 1)) + 0.45 * rng.normal(0.0, 1.0, (n, 5))), 1, 5
    ).astype(np.int64)
    overall_c = 0.12 + x @ DIM_WEIGHTS + 0.35 * rng.normal(0.0, 1.0, n)
    overall = np.clip(np.rint(overall_c), 1, 5).astype(np.int64)
    recommend = np.clip(np.rint(2.2 * overall_c - 0.8 + 1.1 * rng.normal(0.0, 1.0, n)), 0, 10)
    sentiment = np.where(overall <= 2, 0, np.where(overall == 3, 1, 2))
    slow = (perception[:, 2] <= 2) & (sentiment < 2) & (rng.random(n) < 0.6)
    sentiment[slow] = 3
    has_comment = rng.random(n) < np.where(sentiment == 2, 0.45, 0.8)
    chinese = rng.random(n) < 0.10
    comment = np.full(n, "", dtype=object)
    for s, (english, zh) in enumerate(COMMENTS):
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
        columns[PERCEPTION[dim]] = perception[:, d]
        columns[EXPECTATION[dim]] = expectation[:, d]
    columns |= {
        h["channel"]: _draw(rng, ["email", "phone", "web"], [0.55, 0.15, 0.3], n),
        h["region"]: cust.region[customer],
        h["product"]: PRODUCT_NAMES[_choose(rng, PRODUCT_P, n)],
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
        cats.append(_exact(rng, CATEGORY_P, per_quarter))
    start, end = quarters[-1]
    extra = round(2.2 * per_quarter * CATEGORY_P[SPIKE] / CATEGORY_P.sum())
    month = start.astype("datetime64[M]")
    month2 = (month + np.timedelta64(1, "M")).astype("datetime64[D]")
    month3 = (month + np.timedelta64(2, "M")).astype("datetime64[D]")
    in_month2 = rng.random(extra) < 0.85
    spike = np.where(
        in_month2, _days(rng, month2, month3 - np.timedelta64(1, "D"), extra), _days(rng, start, end, extra)
    )
    dates.append(spike)
    cats.append(np.full(extra, SPIKE))
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
    for c, (english, zh, causes) in enumerate(COMPLAINT_TEXT):
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
        h["category"]: np.array(CATEGORIES, dtype=object)[category],
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
    reason = _choose(rng, np.array([r[1] for r in RETURN_REASONS]), n)
    warranty = rng.random(n) < np.array([r[2] for r in RETURN_REASONS])[reason]
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
        h["product"]: PRODUCT_NAMES[links["product"][linked]],
        h["quantity"]: qty,
        h["reason"]: np.array([r[0] for r in RETURN_REASONS], dtype=object)[reason],
        h["value"]: np.round(qty * links["unit"][linked], 2),
        h["warranty"]: np.where(warranty, "Y", "N").astype(object),
    }


@dataclass(frozen=True)
class Drawing:
    """The four exports as tables (header → column, in file order) and what audit.yaml needs."""

    tables: dict[str, Table]
    first_quarter: str  # the oldest quarter written, such as 2024-Q4
    sent: int  # questionnaires sent in the audited quarter


def draw(
    seed: int,
    *,
    orders_per_quarter: int,
    responses_per_quarter: int,
    complaints_per_quarter: int,
    returns_per_quarter: int,
    quarters: int,
    period: str,
) -> Drawing:
    """Draw the four exports of ``quarters`` quarters ending with ``period`` (see :func:`audit.demo.write_demo`)."""
    bounds = _quarters(period, quarters)
    r_cust, r_orders, r_surveys, r_complaints, r_returns = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)
    )
    cust = _Customers(r_cust, max(60, round(orders_per_quarter / 50)))
    orders, links = _orders(r_orders, cust, bounds, orders_per_quarter)
    tables = {
        "orders": orders,
        "surveys": _surveys(r_surveys, cust, bounds, responses_per_quarter),
        "complaints": _complaints(r_complaints, cust, links, bounds, complaints_per_quarter),
        "returns": _returns(r_returns, cust, links, bounds, returns_per_quarter),
    }
    first = bounds[0][0].astype(dt.date)
    return Drawing(tables, f"{first.year}-Q{(first.month + 2) // 3}", round(responses_per_quarter / RESPONSE_RATE))
