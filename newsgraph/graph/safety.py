"""Refuse SPARQL that would reach outside the store: SERVICE, LOAD, FROM <remote>, updates.

Both rdflib and pyoxigraph follow `SERVICE <http://...>` by default, and rdflib
also fetches any `FROM <iri>` it does not hold as a graph (`file:` included), so
a query typed into `newsgraph query` or sent to `newsgraph serve` could read
local files or make the machine call other hosts.  This module looks at the
query's *tokens* (strings, IRIs and comments are skipped, so the word SERVICE
inside a literal is harmless) and refuses those forms unless the caller passes
`allow_remote=True`.  It is a lexical check on purpose: it must agree with both
engines' parsers and never be fooled by a keyword hidden in a string.

>>> check_query('SELECT * WHERE { ?s ?p "SERVICE <http://x>" }')
>>> check_query('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
Traceback (most recent call last):
...
newsgraph.errors.QueryError: the query uses SERVICE, which makes the engine call another server; refused (pass --allow-remote to allow it)
"""
from __future__ import annotations

import re
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from newsgraph.errors import QueryError

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})

_TOKEN = re.compile(
    r'''(?P<comment>\#[^\n]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                   |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)
      | (?P<word>[A-Za-z_\u00c0-\uffff][A-Za-z0-9_.\-\u00b7-\uffff]*(?::[^\s{}()\[\],;<>"'#]*)?
               |:[^\s{}()\[\],;<>"'#]*)
      | (?P<space>\s+)
      | (?P<other>.)''',
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(query: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL text (no comments, no whitespace)."""
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind not in ("comment", "space"):
            yield Token(kind, m.group(), m.start())


@dataclass(frozen=True)
class Scan:
    """What the checks need from a query, found in one pass and cached per query text."""

    toks: tuple[Token, ...]
    words: frozenset[str]
    prefixes: tuple[tuple[str, str], ...]
    has_from: bool


@lru_cache(maxsize=512)
def scan(query: str) -> Scan:
    toks = tuple(tokens(query))
    words = frozenset(t.text.upper() for t in toks if t.kind == "word")
    return Scan(toks, words, tuple(_prefixes(list(toks)).items()), "FROM" in words)


def _prefixes(toks: list[Token]) -> dict[str, str]:
    declared: dict[str, str] = {}
    for i, tok in enumerate(toks[:-2]):
        if tok.kind == "word" and tok.text.upper() == "PREFIX" and toks[i + 2].kind == "iri":
            declared[toks[i + 1].text.rstrip(":")] = toks[i + 2].text[1:-1]
    return declared


def _expand(tok: Token, prefixes: Mapping[str, str]) -> str | None:
    if tok.kind == "iri":
        return tok.text[1:-1]
    if tok.kind == "word" and ":" in tok.text:
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


def is_update(query: str) -> bool:
    """True for SPARQL Update requests (INSERT, DELETE, LOAD, DROP, ...).

    >>> is_update("DELETE WHERE { ?s ?p ?o }"), is_update("SELECT ?delete WHERE { ?delete ?p ?o }")
    (True, False)
    """
    return any(t.kind == "word" and t.text.upper() in UPDATE_KEYWORDS for t in tokens(query))


def check_query(
    query: str,
    *,
    allow_remote: bool = False,
    known_graphs: Container[str] | None = None,
    default_prefixes: Mapping[str, str] | None = None,
) -> None:
    """Raise QueryError if `query` is an update, or reaches out (unless `allow_remote`).

    `FROM <g>` / `FROM NAMED <g>` are fine when `g` is one of `known_graphs`
    (the store's own named graphs); any other IRI would be fetched by rdflib.

    >>> check_query("SELECT * FROM <https://w3id.org/newsgraph/id/graph/entities> WHERE { ?s ?p ?o }",
    ...             known_graphs={"https://w3id.org/newsgraph/id/graph/entities"})
    >>> check_query("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    newsgraph.errors.QueryError: the query reads FROM <file:///etc/passwd>, which is not a graph of this store and would be fetched from outside; refused (pass --allow-remote to allow it)
    """
    info = scan(query)
    toks, words = list(info.toks), info.words
    updates = sorted(UPDATE_KEYWORDS.intersection(words))
    if updates:
        raise QueryError(
            f"this is a SPARQL Update ({', '.join(updates)}); newsgraph runs queries only "
            "(SELECT, ASK, CONSTRUCT, DESCRIBE) and never changes a store through SPARQL"
        )
    if allow_remote:
        return
    if "SERVICE" in words:
        raise QueryError(
            "the query uses SERVICE, which makes the engine call another server; "
            "refused (pass --allow-remote to allow it)"
        )
    if not info.has_from:
        return
    prefixes = dict(default_prefixes or {})
    prefixes.update(dict(info.prefixes))
    for i, tok in enumerate(toks):
        if tok.kind != "word" or tok.text.upper() != "FROM":
            continue
        j = i + 1
        if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "NAMED":
            j += 1
        target = _expand(toks[j], prefixes) if j < len(toks) else None
        if target is None or known_graphs is None or target not in known_graphs:
            shown = target if target is not None else (toks[j].text if j < len(toks) else "")
            raise QueryError(
                f"the query reads FROM <{shown}>, which is not a graph of this store and would be "
                "fetched from outside; refused (pass --allow-remote to allow it)"
            )
