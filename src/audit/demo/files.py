"""Writing the demo's files: the client-style CSV and Excel exports, and audit.yaml."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd

from audit.demo.generate import Table
from audit.demo.organisation import EXPECTATION, FILES, HEADERS, ORGANISATION, PERCEPTION, SHEETS


# --- writing -------------------------------------------------------------------------------
def write_csv(path: Path, table: Table, encoding: str) -> None:
    """A CSV file; text columns stay plain object arrays (much faster to write than ``str``)."""
    frame = pd.DataFrame(
        {name: pd.Series(values, dtype=object) if values.dtype == object else values for name, values in table.items()}
    )
    frame.to_csv(path, index=False, encoding=encoding, float_format="%.2f", lineterminator="\n")


def write_xlsx(path: Path, sheet: str, table: Table) -> None:
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


#: the demo's objectives and scope in Chinese (``write_demo(language="zh-CN")``)
_OBJECTIVES_ZH = [
    "确定组织是否监视顾客对其需求和期望已得到满足的程度的感受（GB/T 19001-2016 9.1.2）",
    "评价获取、监视和评审这些信息的方法：顾客调查、投诉、退货和交付绩效",
    "评估结果是否经过分析与评价（9.1.3）并据此采取措施（10.2）",
    "识别改进机会",
]


def audit_yaml(period: str, site: str, audit_date: dt.date, sent: int, first: str, language: str = "en") -> str:
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
    if language == "zh-CN":
        objectives = _OBJECTIVES_ZH
        scope = (
            f"{ORGANISATION} {site} 的顾客满意监视：{period} 的顾客调查、投诉处理、退货（RMA）和订单交付绩效，"
            f"以 {first} 起的各季度作为趋势历史。"
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
  language: {language}
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
    path: data/{FILES["surveys"]}   # CRM export, UTF-8 with a byte-order mark
    scale: {{min: 1, max: 5}}
    recommend_scale: {{min: 0, max: 10}}
    sent: {sent}                 # questionnaires sent in {period}
    columns:
{_mapping(HEADERS["surveys"])}
    dimensions:                  # SERVQUAL perception scores
{_mapping(PERCEPTION)}
    expectations:                # gap = perception - expectation (negative = shortfall)
{_mapping(EXPECTATION)}
  complaints:
    path: data/{FILES["complaints"]}
    sheet: {SHEETS["complaints"]}
    columns:
{_mapping(HEADERS["complaints"])}
  returns:
    path: data/{FILES["returns"]}
    sheet: {SHEETS["returns"]}
    columns:
{_mapping(HEADERS["returns"])}
  orders:
    path: data/{FILES["orders"]}
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
