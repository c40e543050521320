"""Normalise article metadata (dates, authors) that readers find in many shapes."""
from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from newsgraph.ingest.clean import clean_inline

_ISO_PREFIX = re.compile(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_AUTHOR_SPLIT = re.compile(r"\s*(?:[;,|]|\band\b|&)\s*")
_BY = re.compile(r"^by\s+", re.IGNORECASE)


def iso_date(value: object) -> str | None:
    """Return the value as YYYY-MM-DD when it is a recognisable date, else None.

    >>> iso_date("2018-01-01T10:00:00Z"), iso_date("Tue, 18 Mar 2025 10:00:00 GMT")
    ('2018-01-01', '2025-03-18')
    >>> iso_date("yesterday") is None and iso_date("2018-13-40") is None
    True
    """
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    if not isinstance(value, str) or not value.strip():
        return None
    match = _ISO_PREFIX.match(value)
    if match:
        try:
            return date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value.strip()).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def split_authors(value: object) -> tuple[str, ...]:
    """Turn "A, B and C", "A; B" or ["A", "B"] into ("A", "B", ...), without duplicates.

    >>> split_authors('By Kanga Kong, Jihye Lee and "Cortney OBrien"')
    ('Kanga Kong', 'Jihye Lee', 'Cortney OBrien')
    >>> split_authors(["Jane Doe", "", "Jane Doe"])
    ('Jane Doe',)
    """
    if isinstance(value, str):
        parts: list[object] = _AUTHOR_SPLIT.split(value)
    elif isinstance(value, (list, tuple)):
        parts = list(value)
    else:
        return ()
    names: dict[str, None] = {}
    for part in parts:
        if isinstance(part, dict):
            part = part.get("name")
        if not isinstance(part, str):
            continue
        name = _BY.sub("", clean_inline(part)).strip(" \"'")
        if name:
            names.setdefault(name)
    return tuple(names)
