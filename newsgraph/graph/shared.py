"""The shared graphs (entities, events, sources) as plain statements, made RDF only where needed.

What the shared graphs say is drawn from every article at once, so a store recomputes it on
every commit.  Rendering all of it would cost more than the commit itself (a 10,000-article
store has ~400,000 shared statements, and an rdflib `Literal` costs ~20 µs), while a commit of
100 articles changes a few thousand.  So the `describe_*` steps write here, as plain values:

* statements are grouped into **descriptions**, one per (graph, subject): everything the
  shared graphs say of one node in one graph;
* a description's **digest** tells a store whether it changed since the last commit, and
  only changed descriptions are rendered and written (`Change.clear` replaces them whole);
* a file build renders every description (`quads`);
* a store commit may skip the descriptions it knows it did not change, marking them `kept`
  (the support counts of facts no added, removed or repointed article backs:
  `sources.Touched`), so that they are not taken for descriptions that are gone.

A literal is kept as (value, datatype) and made only when rendered; nodes are rdflib terms.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

Key = tuple[URIRef, URIRef]  # (graph, subject)
Quad = tuple[Any, Any, Any, Any]


class LazyLiteral(tuple):  # type: ignore[type-arg]
    """(value, datatype) of a literal not made yet."""

    __slots__ = ()

    def make(self) -> Literal:
        return Literal(self[0], datatype=self[1])


class SharedStatements:
    """Statements of the shared graphs, grouped by (graph, subject).

    >>> from rdflib import RDFS, XSD
    >>> out = SharedStatements()
    >>> g, s = URIRef("http://ex/g"), URIRef("http://ex/s")
    >>> out.literal(g, s, RDFS.label, "Kyiv")
    >>> out.literal(g, s, URIRef("http://ex/n"), 3, XSD.integer)
    >>> sorted(str(o) for _, _, o, _ in out.quads())
    ['3', 'Kyiv']
    >>> out.digests()[(g, s)] == SharedStatements.digest_of(reversed(out.descriptions[(g, s)]))
    True
    """

    def __init__(self) -> None:
        self.descriptions: dict[Key, list[tuple[URIRef, Node | LazyLiteral]]] = defaultdict(list)
        self.kept: set[tuple[URIRef, str]] = set()  # descriptions left as the store holds them

    def keep(self, graph: URIRef, subject: str) -> None:
        """A description that exists and did not change (a store commit knows which): neither
        computed nor written, and not one that is gone."""
        self.kept.add((graph, subject))

    def add(self, graph: URIRef, subject: URIRef, predicate: URIRef, obj: Node) -> None:
        """A statement whose object is already an rdflib term (a node, or a literal made elsewhere)."""
        self.descriptions[(graph, subject)].append((predicate, obj))

    def literal(self, graph: URIRef, subject: URIRef, predicate: URIRef, value: object,
                datatype: URIRef | None = None) -> None:
        """A statement whose object is the literal `Literal(value, datatype=datatype)`, made when rendered."""
        self.descriptions[(graph, subject)].append((predicate, LazyLiteral((value, datatype))))

    def quads(self, keys: Iterable[Key] | None = None) -> Iterator[Quad]:
        """The statements of `keys` (default: all) as rdflib quads."""
        for key in self.descriptions if keys is None else keys:
            graph, subject = key
            for predicate, obj in self.descriptions.get(key, ()):
                yield subject, predicate, obj.make() if type(obj) is LazyLiteral else obj, graph

    def digests(self) -> dict[Key, str]:
        """A digest of every description: equal digests, equal statements."""
        return {key: self.digest_of(statements) for key, statements in self.descriptions.items()}

    @staticmethod
    def digest_of(statements: Iterable[tuple[URIRef, Node | LazyLiteral]]) -> str:
        """Order-free: roles gathered in another article order are the same description."""
        text = "\n".join(sorted("\x1f".join(_plain(p, o)) for p, o in statements))
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _plain(predicate: URIRef, obj: Node | LazyLiteral) -> tuple[str, str, str, str]:
    """A statement as strings that differ whenever the RDF differs (value type included)."""
    if type(obj) is LazyLiteral:
        value, datatype = obj
        return str(predicate), "L", f"{type(value).__name__}:{value}", str(datatype or "")
    if isinstance(obj, Literal):
        return str(predicate), "L", f"lex:{obj}", f"{obj.datatype or ''}@{obj.language or ''}"
    return str(predicate), type(obj).__name__, str(obj), ""
