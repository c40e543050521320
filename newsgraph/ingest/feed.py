"""Read RSS 2.0 and Atom feeds (.xml, .rss, .atom): one article per item or entry.

XML is parsed by defusedxml with DTDs forbidden: a document that declares a DTD (where entities
are declared: billion laughs, external files, network fetches) is refused, named, before
anything is expanded.  A feed item's text is its full content (content:encoded, Atom content)
or else its description, which may be HTML: tags are dropped, paragraphs kept.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from newsgraph.errors import InputError
from newsgraph.ingest.article import Article
from newsgraph.ingest.clean import clean_inline, clean_text, decode_bytes, require_text
from newsgraph.ingest.language import guess_language
from newsgraph.ingest.meta import iso_date

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC = "{http://purl.org/dc/elements/1.1/}"
_BLOCK = re.compile(r"(?i)</?(?:p|div|br|li|h[1-6]|blockquote|tr)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>")


def read_feed(path: str, data: bytes) -> Iterator[Article | InputError]:
    """Yield the articles of an RSS or Atom feed; refuse DTDs, entities and other XML."""
    if not data.strip():
        raise InputError(path, "empty file")
    try:  # bytes: the parser reads the encoding the document declares
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(path, f"XML with a DTD or entity declarations refused ({type(exc).__name__}: "
                               "entity expansion and external entities are never read)") from None
    except ParseError as exc:
        decode_bytes(data[:65_536], path, warn=False)  # binary data gets that reason instead
        raise InputError(path, f"malformed XML: {exc}") from None
    items = _items(root)
    if items is None:
        raise InputError(path, f"XML but not an RSS or Atom feed (root element {_local(root.tag)!r})")
    if not items:
        raise InputError(path, "feed without items")
    for number, item in enumerate(items, start=1):
        try:
            yield _article(path, number, item)
        except InputError as exc:
            yield exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _items(root: Element) -> list[Element] | None:
    if _local(root.tag) == "rss" or _local(root.tag) == "RDF":
        return [e for e in root.iter() if _local(e.tag) == "item"]
    if root.tag == f"{_ATOM}feed":
        return root.findall(f"{_ATOM}entry")
    return None


def _child_text(item: Element, *tags: str) -> str | None:
    for tag in tags:
        found = item.find(tag)
        if found is not None:
            value = "".join(found.itertext()).strip()
            if value:
                return value
    return None


def _link(item: Element) -> str | None:
    link = _child_text(item, "link")
    if link:
        return link
    atom = item.find(f"{_ATOM}link")
    return atom.get("href") if atom is not None else None


def _html_to_text(markup: str) -> str:
    """Feed descriptions carry escaped HTML: paragraphs become blank lines, tags go."""
    markup = _SCRIPT.sub(" ", markup)
    markup = _BLOCK.sub("\n\n", markup)
    return html.unescape(_TAG.sub("", markup))


def _article(path: str, number: int, item: Element) -> Article:
    body = _child_text(item, _CONTENT, f"{_ATOM}content", "description", f"{_ATOM}summary")
    if not body:
        raise InputError(path, f"item {number}: no text (content, description or summary)")
    where = f"{path}#{number}"
    text = require_text(clean_text(_html_to_text(body), where), path)
    title = _child_text(item, "title", f"{_ATOM}title")
    url = _link(item)
    return Article.create(
        text,
        identifier=url or where,
        title=clean_inline(_html_to_text(title)) if title else None,
        date=iso_date(_child_text(item, "pubDate", f"{_DC}date", f"{_ATOM}published", f"{_ATOM}updated")),
        url=url,
        language=guess_language(text),
    )
