"""Read a saved web page: trafilatura finds the main text and the metadata.

Before parsing, any DOCTYPE internal subset is cut out, so entity declarations
(billion laughs, external entities) never reach a parser, whatever it does with them.
"""
from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from newsgraph.errors import InputError
from newsgraph.ingest.article import Article
from newsgraph.ingest.clean import clean_inline, clean_text, decode_bytes, require_text
from newsgraph.ingest.language import guess_language, normalise_language
from newsgraph.ingest.meta import iso_date, split_authors

logger = logging.getLogger("newsgraph.ingest")

_META_CHARSET = re.compile(rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""",
                           re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,500}\?>")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_SUBSET_END = re.compile(r"\]\s*>")
_ENTITY_NAME = re.compile(r"<!ENTITY\s+(?:%\s+)?([\w.:-]+)")
_ENTITY_REF = re.compile(r"[&%]([\w.:-]+);")
_HTML_LANG = re.compile(r"""<html[^>]{0,1000}?\blang\s*=\s*["']?([A-Za-z_-]{2,20})""",
                        re.IGNORECASE)
# Browsers read these labels as windows-1252 (WHATWG encoding standard).
_AS_CP1252 = {"ascii", "latin_1", "iso8859_1"}


def read_html(path: str, data: bytes) -> Iterator[Article | InputError]:
    """Yield the one article of an HTML page, or raise InputError when it has no article text."""
    markup = neutralise_doctype(_XML_DECLARATION.sub("", decode_html(data, path), count=1))
    try:
        import trafilatura
    except ImportError as exc:  # e.g. lxml without lxml_html_clean
        raise InputError(path, f"cannot read HTML: trafilatura is not usable ({exc})") from None
    doc = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False)
    fields: dict[str, Any] = {}
    if doc is not None:
        fields = doc if isinstance(doc, dict) else doc.as_dict()
    body = fields.get("text")
    if not isinstance(body, str) or not body.strip():
        body = paragraphs_of(markup)
        if not body:
            raise InputError(path, "no article text in HTML")
        logger.warning("%s: the main-text extractor found nothing (a page nested too deeply for it?); "
                       "read the page's paragraphs instead", path)
    text = require_text(clean_text(body, path), path)
    author = fields.get("author")
    lang = _HTML_LANG.search(markup[:10_000])
    yield Article.create(
        text,
        identifier=path,
        title=_inline(fields.get("title")),
        date=iso_date(fields.get("date")),
        source=_inline(fields.get("sitename")),
        url=_inline(fields.get("url")),
        authors=split_authors(author.split(";")) if isinstance(author, str) else (),
        language=(normalise_language(lang.group(1)) if lang else None) or guess_language(text),
    )


class _Paragraphs(HTMLParser):
    """Text of the page's paragraphs, headings, list items and quotes, by a flat tag scanner.

    html.parser keeps no tree and never recurses, so a page nested 100,000 levels deep costs
    what a flat one does (lxml stops at 255 levels, and trafilatura with it).  Text inside
    script, style, navigation, headers, footers, asides and forms is page furniture.
    """

    _BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td"})
    _SKIP = frozenset({"script", "style", "nav", "header", "footer", "aside", "form", "noscript",
                       "template", "svg", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] | None = None
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self._close()
            self._current = []
        elif tag == "br" and self._current is not None:
            self._current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCKS:
            self._close()

    def handle_data(self, data: str) -> None:
        if self._current is not None and not self._skipping:
            self._current.append(data)

    def _close(self) -> None:
        if self._current is not None:
            text = " ".join("".join(self._current).split())
            if text:
                self.blocks.append(text)
        self._current = None


def paragraphs_of(markup: str) -> str:
    """The page's block texts, one paragraph each: the fallback when trafilatura finds nothing.

    >>> paragraphs_of("<div><div><p>Talks resumed.</p><script>x()</script><p>On Monday.</p></div>")
    'Talks resumed.\\n\\nOn Monday.'
    """
    parser = _Paragraphs()
    parser.feed(markup)
    parser.close()
    parser._close()
    return "\n\n".join(parser.blocks)


def _inline(value: object) -> str | None:
    """A metadata string as one clean line; None for missing or non-string values."""
    return (clean_inline(value) or None) if isinstance(value, str) else None


def decode_html(data: bytes, path: str) -> str:
    """Decode with the charset the page declares, else guess like any text file."""
    has_bom = data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    encoding = _declared_encoding(data) if not has_bom else None
    if encoding:
        try:
            return _decode_declared(data, path, encoding)
        except UnicodeDecodeError:
            logger.info("%s: page says charset %s but is not; guessing", path, encoding)
    return decode_bytes(data, path)


def _declared_encoding(data: bytes) -> str | None:
    """The single-byte or UTF-8 charset a page declares in a <meta> tag, if Python knows it."""
    declared = _META_CHARSET.search(data[:4096])
    if not declared:
        return None
    try:
        encoding = codecs.lookup(declared.group(1).decode("ascii")).name.replace("-", "_")
    except LookupError:
        return None
    if encoding in _AS_CP1252:
        return "cp1252"
    # A page that is really UTF-16 cannot declare it in ASCII-readable markup: ignore the claim.
    return None if encoding.startswith(("utf_16", "utf_32")) else encoding


def _decode_declared(data: bytes, path: str, encoding: str) -> str:
    """Decode strictly with the declared charset, after the same binary check as any file."""
    if encoding == "utf_8":
        return decode_bytes(data, path)  # lenient with stray bad bytes, like any UTF-8 file
    decode_bytes(data[:65_536], path, warn=False)
    return data.decode(encoding)


def neutralise_doctype(markup: str) -> str:
    """Cut DOCTYPE internal subsets (where entities are declared) out of the markup.

    References to the entities they declared are removed too, so neither an expansion
    (billion laughs, external files) nor the bare `&name;` reaches the text.

    >>> neutralise_doctype('<!DOCTYPE x [<!ENTITY a "aaaa">]><p>&a; &amp; &b;</p>')
    '<!DOCTYPE html><p> &amp; &b;</p>'
    """
    pieces: list[str] = []
    declared: set[str] = set()
    pos = 0
    for match in _DOCTYPE.finditer(markup):
        start = match.start()
        if start < pos:
            continue  # inside a subset already cut
        close = markup.find(">", start)
        if close == -1:
            break  # no tag follows at all: nothing a parser could expand
        bracket = markup.find("[", start, close)
        if bracket == -1:
            continue  # a plain <!DOCTYPE html>
        end = _SUBSET_END.search(markup, bracket)
        pieces.append(markup[pos:start])
        pieces.append("<!DOCTYPE html>")
        pos = end.end() if end else len(markup)
        declared.update(_ENTITY_NAME.findall(markup, bracket, pos))
    pieces.append(markup[pos:])
    cleaned = "".join(pieces)
    if declared:
        cleaned = _ENTITY_REF.sub(lambda m: "" if m.group(1) in declared else m.group(), cleaned)
    return cleaned
