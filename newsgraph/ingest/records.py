"""Turn one decoded JSON object into an Article: shared by the .json and .jsonl readers.

Field names follow the AllSides dump (text, title, date, url, source, authors, id)
plus the few aliases other news dumps use.
"""
from __future__ import annotations

import json
from typing import Any

from newsgraph.errors import InputError
from newsgraph.ingest.article import Article
from newsgraph.ingest.clean import clean_inline, clean_text, require_text
from newsgraph.ingest.language import guess_language, normalise_language
from newsgraph.ingest.meta import iso_date, split_authors

TEXT_KEYS = ("text", "content", "body")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "published", "publish_date", "published_at", "date_publish")
_URL_KEYS = ("url", "link")
_SOURCE_KEYS = ("source", "sitename", "site", "publisher", "outlet")
_AUTHOR_KEYS = ("authors", "author", "byline")
_LANGUAGE_KEYS = ("language", "lang")


def record_to_article(record: Any, path: str, fallback_id: str, line: int | None = None,
                      item: str = "") -> Article:
    """Build an Article from a JSON value, or raise InputError saying what is missing.

    The identifier is the record's url when it has one, else `fallback_id` (FILE#LINE).

    >>> a = record_to_article({"text": "Putin spoke.", "authors": "A, B"}, "f.jsonl", "f.jsonl#3")
    >>> a.identifier, a.authors
    ('f.jsonl#3', ('A', 'B'))
    """
    if not isinstance(record, dict):
        kind = type(record).__name__
        raise InputError(path, f"{item}expected a JSON object, got {kind}", line=line)
    body = _first(record, TEXT_KEYS)
    if isinstance(body, list) and all(isinstance(p, str) for p in body):
        body = "\n\n".join(body)  # a list of paragraphs
    if body is None:
        raise InputError(path, f"{item}no article text (expected one of the fields "
                               f"{', '.join(TEXT_KEYS)})", line=line)
    if not isinstance(body, str):
        kind = type(body).__name__
        raise InputError(path, f"{item}article text is a {kind}, not a string", line=line)
    if not body.strip():
        raise InputError(path, f"{item}empty article text", line=line)
    where = f"{path}:{line}" if line is not None else path
    text = require_text(clean_text(body, where), path, line)
    url = _string(record, _URL_KEYS)
    source = _first(record, _SOURCE_KEYS)
    if isinstance(source, dict):  # NewsAPI style {"id": ..., "name": "Reuters"}
        source = source.get("name")
    return Article.create(
        text,
        identifier=url or fallback_id,
        title=_string(record, _TITLE_KEYS),
        date=iso_date(_first(record, _DATE_KEYS)),
        source=clean_inline(source) if isinstance(source, str) else None,
        url=url,
        authors=split_authors(_first(record, _AUTHOR_KEYS)),
        language=normalise_language(_first(record, _LANGUAGE_KEYS)) or guess_language(text),
    )


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """The first of `keys` that is present and not null/empty."""
    for key in keys:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _string(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    value = _first(record, keys)
    return clean_inline(value) or None if isinstance(value, str) else None


def json_problem(exc: json.JSONDecodeError) -> str:
    """One-line reason for a JSON syntax error.

    >>> try:
    ...     json.loads('{"a": 1 "b": 2}')
    ... except json.JSONDecodeError as exc:
    ...     json_problem(exc)
    "malformed JSON: Expecting ',' delimiter at column 9"
    """
    where = f"column {exc.colno}" if exc.msg.endswith(" at") else f"at column {exc.colno}"
    return f"malformed JSON: {exc.msg} {where}"
