"""Words in catalogues: every sentence a person reads, in the audit's language.

English is the source language: a message's id is its English text, with ``{name}``
placeholders filled in by :func:`_`. The other languages live in gettext catalogues,
``src/audit/locale/<lang>/LC_MESSAGES/csat_audit.po``, read with Babel when first needed
(no compiled ``.mo`` files to keep in step). A message missing from a catalogue falls
back to English; the tests fail on any message that exists in one language only.

The language is set once per audit, from ``audit.language`` in audit.yaml, with
:func:`language`; code that writes text calls :func:`_` (or :func:`ngettext`) and
passes values already formatted by :mod:`audit.format`.

Example:
    >>> with language("en"):
    ...     _("{n} complaints open past the SLA", n="3")
    '3 complaints open past the SLA'
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = ["DOMAIN", "LANGUAGES", "LOCALE_DIR", "N_", "Language", "_", "current", "language", "ngettext"]

Language = Literal["en", "zh-CN"]
#: the languages a report can be written in; the first is the source language
LANGUAGES: tuple[Language, ...] = ("en", "zh-CN")
DOMAIN = "csat_audit"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: ContextVar[Language] = ContextVar("language", default="en")


def current() -> Language:
    """The language text is written in now."""
    return _current.get()


@contextmanager
def language(lang: Language) -> Iterator[None]:
    """Write text in ``lang`` inside the block (nests; the previous language comes back after it).

    Raises:
        ValueError: ``lang`` is not one of :data:`LANGUAGES`.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}")
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def _po_path(lang: Language) -> Path:
    return LOCALE_DIR / lang.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(lang: Language) -> gettext.NullTranslations:
    """The catalogue of ``lang``, compiled in memory from its .po file (English has none)."""
    path = _po_path(lang)
    if lang == LANGUAGES[0] or not path.exists():
        return gettext.NullTranslations()
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang.replace("-", "_"), domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str, /, **values: object) -> str:
    """``message`` in the current language, with its ``{placeholders}`` filled in.

    Example:
        >>> _("Page {page} of {pages}", page=1, pages=3)
        'Page 1 of 3'
    """
    text = _translations(current()).gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The singular or plural form for ``n`` in the current language; ``{n}`` is filled in too.

    Example:
        >>> ngettext("{n} finding", "{n} findings", 1)
        '1 finding'
    """
    text = _translations(current()).ngettext(singular, plural, n)
    return text.format(n=values.pop("n", f"{n:,}"), **values)


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it now (labels kept in tables)."""
    return message
