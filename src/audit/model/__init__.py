"""Frozen result types passed from computation to rendering, and the snapshot of an audit.

Computation (``audit.data``, ``audit.kpi``, ``audit.assessment``) produces these; the
cycle (``audit.cycle``) and rendering (``audit.report``) only read them. Each has
``to_dict()`` giving the shape written to results.json.
"""

from audit.model.data import Problem, SourceInfo
from audit.model.findings import (
    CONCLUSIONS,
    GRADES,
    Action,
    Assessment,
    Conclusion,
    Finding,
    FollowUp,
    FollowUpRow,
    Grade,
    conclusion_label,
    grade_label,
)
from audit.model.kpis import (
    Analyses,
    Comparison,
    ControlChart,
    ControlPoint,
    EarlierKpis,
    Interval,
    Kpi,
    KpiTable,
    NpsSplit,
    ParetoItem,
    ProductReturns,
    Quadrant,
    ResolutionTimes,
    SegmentCell,
    TierRow,
)
from audit.model.register import NOT_YET, STATUSES, Entry, Register, Verification
from audit.model.snapshot import AuditSnapshot, Records, Table
from audit.model.themes import THEME_SOURCES, THEME_VERDICTS, Theme, ThemeExample, ThemeModel, ThemeSet, ThemeSets

__all__ = [
    "CONCLUSIONS",
    "GRADES",
    "NOT_YET",
    "STATUSES",
    "THEME_SOURCES",
    "THEME_VERDICTS",
    "Action",
    "Analyses",
    "Assessment",
    "AuditSnapshot",
    "Comparison",
    "Conclusion",
    "ControlChart",
    "ControlPoint",
    "EarlierKpis",
    "Entry",
    "Finding",
    "FollowUp",
    "FollowUpRow",
    "Grade",
    "Interval",
    "Kpi",
    "KpiTable",
    "NpsSplit",
    "ParetoItem",
    "Problem",
    "ProductReturns",
    "Quadrant",
    "Records",
    "Register",
    "ResolutionTimes",
    "SegmentCell",
    "SourceInfo",
    "Table",
    "Theme",
    "ThemeExample",
    "ThemeModel",
    "ThemeSet",
    "ThemeSets",
    "TierRow",
    "Verification",
    "conclusion_label",
    "grade_label",
]
