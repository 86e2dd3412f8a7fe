"""Reading, mapping and validating the four kinds of input data."""

from audit.data.dataset import AuditData, load_audit

__all__ = ["AuditData", "load_audit"]
