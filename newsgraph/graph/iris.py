"""Deterministic IRIs for everything newsgraph writes.

The same input always gives the same IRIs, so builds are reproducible and
incremental builds meet the nodes of earlier ones.  Names go into IRIs
percent-encoded (RFC 3987 safe whatever they contain: quotes, angle brackets,
newlines, emoji, right-to-left text), and every minted IRI is checked.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from rdflib import URIRef

from newsgraph.errors import NewsgraphError

BASE = "https://w3id.org/newsgraph/id/"
WIKIDATA = "http://www.wikidata.org/entity/"
ENTITIES_GRAPH = URIRef(BASE + "graph/entities")
BUILD_GRAPH = URIRef(BASE + "graph/build")
EVENTS_GRAPH = URIRef(BASE + "graph/events")
SOURCES_GRAPH = URIRef(BASE + "graph/sources")  # corroboration counts and conflicts, across articles
ONTOLOGY_GRAPH = URIRef("https://w3id.org/newsgraph/ontology")

# Characters that may never appear in an IRI (RFC 3987 excludes them; N-Triples and Turtle reject them).
_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')


def check_iri(iri: str) -> URIRef:
    """Return the IRI as a URIRef, or raise if a serializer would choke on it.

    >>> check_iri("https://w3id.org/newsgraph/id/x")
    rdflib.term.URIRef('https://w3id.org/newsgraph/id/x')
    """
    if _FORBIDDEN.search(iri) or not iri.startswith(("http://", "https://")):
        raise NewsgraphError(f"refusing to mint an invalid IRI: {iri!r}")
    return URIRef(iri)


def slug(name: str, max_length: int = 80) -> str:
    """A readable, percent-encoded IRI segment for a name.

    >>> slug('Vladimir  Putin')
    'vladimir-putin'
    >>> slug('<script>"x"</script>')
    '%3Cscript%3E%22x%22%3C%2Fscript%3E'
    >>> slug('Vladimir\\tPutin'), slug('Zelen\\u00adskyy'), slug('Walt Disney Co.')
    ('vladimir-putin', 'zelenskyy-3f6c1c4c', 'walt-disney-co')

    Whitespace (tabs and newlines too) becomes '-' before invisible characters
    (controls, zero-width, soft hyphens) are dropped; when any was dropped, a hash of
    the full name is appended, because resolution (`name_key`) tells those names apart
    and two entities must never share an IRI.
    """
    text = unicodedata.normalize("NFC", name).casefold()
    text = re.sub(r"\s+", "-", text.strip())
    readable = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    if readable != text or len(readable) > max_length:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        readable = f"{readable[:max_length]}-{digest}"
    # no final dot ("walt-disney-co."): Oxigraph writes it as the prefixed name `…co\\.`, valid
    # Turtle that rdflib's parser rejects, so `newsgraph validate` could not read the build back
    return quote(readable.rstrip("."), safe="-._~") or "_"


def digest(*parts: object) -> str:
    """A short stable hash of the parts, for nodes that have no name of their own."""
    data = "\x1f".join(str(p) for p in parts).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


def article_iri(article_id: str) -> URIRef:
    return check_iri(f"{BASE}article/{article_id}")


def sentence_iri(article_id: str, start: int, end: int) -> URIRef:
    return check_iri(f"{BASE}article/{article_id}/sentence/{start}-{end}")


def mention_iri(article_id: str, start: int, end: int) -> URIRef:
    return check_iri(f"{BASE}article/{article_id}/mention/{start}-{end}")


def evidence_iri(article_id: str, *parts: object) -> URIRef:
    return check_iri(f"{BASE}article/{article_id}/evidence/{digest(*parts)}")


def entity_iri(entity_class: str, name: str, wikidata: str | None = None) -> URIRef:
    """From the Wikidata id when linked, else from class and folded name."""
    if wikidata:
        return check_iri(f"{BASE}entity/wikidata/{quote(wikidata, safe='')}")
    return check_iri(f"{BASE}entity/{entity_class.lower()}/{slug(name)}")


def event_iri(event_class: str, article_id: str, local_key: str) -> URIRef:
    return check_iri(f"{BASE}event/{event_class.lower()}/{digest(article_id, local_key)}")


def quote_iri(article_id: str, start: int, end: int) -> URIRef:
    return check_iri(f"{BASE}article/{article_id}/quote/{start}-{end}")


def claim_iri(article_id: str, start: int, end: int, *parts: object) -> URIRef:
    return check_iri(f"{BASE}article/{article_id}/claim/{start}-{end}/{digest(*parts)}")


def claimed_value_iri(*parts: object) -> URIRef:
    return check_iri(f"{BASE}value/{digest(*parts)}")


def conflict_iri(subject: str, attribute: str, qualifier: str | None) -> URIRef:
    return check_iri(f"{BASE}conflict/{digest(subject, attribute, qualifier or '')}")


def assertion_iri(subject: str, predicate: str, obj: str) -> URIRef:
    return check_iri(f"{BASE}assertion/{digest(subject, predicate, obj)}")


def build_iri(*parts: object) -> URIRef:
    return check_iri(f"{BASE}build/{digest(*parts)}")


def wikidata_iri(qid: str) -> URIRef:
    if not re.fullmatch(r"Q[0-9]+", qid):
        raise NewsgraphError(f"not a Wikidata item id: {qid!r}")
    return URIRef(WIKIDATA + qid)
