"""Read plain-text and Markdown articles, taking a headline-like first line as title."""
from __future__ import annotations

import re
from collections.abc import Iterator

from newsgraph.errors import InputError
from newsgraph.ingest.article import Article
from newsgraph.ingest.clean import clean_text, decode_bytes, require_text
from newsgraph.ingest.language import guess_language

MAX_HEADLINE_CHARS = 150
MAX_HEADLINE_WORDS = 25

_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
# "...continue. Video": a lower-case word ends a sentence inside the line: a lede, no headline.
_INNER_SENTENCE_END = re.compile(r"\b(?!vs\.)[a-z]{2,}[.!?]\s+[A-Z]")


def read_plain(path: str, data: bytes, markdown: bool = False) -> Iterator[Article | InputError]:
    """Yield the one article of a text file; a headline stays in the text and is also the title."""
    raw = decode_bytes(data, path)
    if not raw.strip():
        raise InputError(path, "empty file (only whitespace)")
    if markdown:
        raw = _MD_HEADING.sub(r"\1", raw)
    text = require_text(clean_text(raw, path), path)
    yield Article.create(text, identifier=path, title=headline(text), language=guess_language(text))


def headline(text: str) -> str | None:
    """Return the first line of clean text when it reads like a headline, else None.

    A headline is short (<= 150 characters, 2..25 words), does not end like a
    sentence (. , ; :) nor contain a sentence break, and more text follows it.

    >>> headline("Trump, Putin agree halt to Ukraine energy attacks\\n\\nDonald Trump said...")
    'Trump, Putin agree halt to Ukraine energy attacks'
    >>> headline("Putin agreed to a halt on Tuesday.\\nThe deal...") is None
    True
    """
    first, sep, rest = text.partition("\n")
    words = first.split()
    if not sep or not rest.strip():
        return None
    if len(first) > MAX_HEADLINE_CHARS or not 2 <= len(words) <= MAX_HEADLINE_WORDS:
        return None
    if first.endswith((".", ",", ";", ":")) or _INNER_SENTENCE_END.search(first):
        return None
    if not any(ch.isalpha() for ch in first):
        return None
    return first
