"""csat-audit: audit customer-satisfaction monitoring against ISO 9001:2015 9.1.2."""
__version__ = "0.1.0"
