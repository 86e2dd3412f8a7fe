"""Reading, mapping and validating the input data: four dated kinds, customers and order lines.

Layout, from the file up: ``table`` (raw cells and headers), ``csv_reader`` /
``excel_reader`` / ``readers`` (files to raw tables), ``platforms`` (survey platforms'
layouts), ``mapping`` and ``filters`` (audit.yaml's columns, values and where),
``convert`` (typed columns), ``rules`` and ``schemas`` (every column and row rule, one
class per kind; ``contract`` is derived from them), ``lines`` (order lines to orders),
``intake`` (one kind, file to valid rows), ``joins`` (customers, order lines) and
``dataset`` (the audit's data, split by period).
"""

from audit.data.dataset import AuditData, load_audit

__all__ = ["AuditData", "load_audit"]
