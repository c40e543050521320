"""RDF exports: Turtle (the merged union), TriG and N-Quads (per-article graphs), JSON-LD.

Each file is written to a temporary file, parsed back and compared with the
graph it should hold, and only then renamed into place: a file newsgraph
leaves behind always reads back as exactly the graph that was built.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from newsgraph.errors import ExportError
from newsgraph.exports import jsonld
from newsgraph.exports.atomic import atomic_path

# The file names scripts and the scorer rely on.
EXPORT_FILES = {
    "turtle": "graph.ttl",
    "trig": "graph.trig",
    "nquads": "graph.nq",
    "json-ld": "graph.jsonld",
}
QUAD_FORMATS = ("trig", "nquads", "json-ld")


def union_of(ds: Dataset) -> Graph:
    """The merged graph: every triple of every named graph, once."""
    union = Graph()
    for prefix, ns in ds.namespaces():
        union.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def jsonld_context(ds: Dataset) -> dict[str, str]:
    """newsgraph's prefixes for Turtle and TriG (graph.jsonld's context is exports/jsonld.py)."""
    wanted = {"ng", "ngid", "wd", "schema", "dcterms", "prov", "skos", "owl", "xsd", "rdf", "rdfs"}
    return {prefix: str(ns) for prefix, ns in ds.namespaces() if prefix in wanted}


def _default_graph(ds: Dataset) -> Graph:
    # rdflib >= 7.1 names it default_graph and deprecates default_context
    graph = getattr(ds, "default_graph", None)
    return graph if graph is not None else ds.default_context


def _quads(ds: Dataset) -> set[tuple]:
    quads: set[tuple] = set()
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)  # a Graph or its name, depending on the rdflib version
        if name != DATASET_DEFAULT_GRAPH_ID:
            quads.add((s, p, o, name))
    return quads | {(s, p, o, None) for s, p, o in _default_graph(ds)}


def _read_back(path: Path, fmt: str) -> set[tuple]:
    if fmt in QUAD_FORMATS:
        back = Dataset()
        back.parse(path, format=fmt)
        return _quads(back)
    return set(Graph().parse(path, format=fmt))


OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def _ox_term(term: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))  # raises on an IRI no serializer may write
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise ExportError(f"cannot export the term {term!r}")


def _ox_statements(ds: Dataset, with_graphs: bool) -> set[tuple]:
    out: set[tuple] = set()
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        graph = (ox.DefaultGraph() if name in (None, DATASET_DEFAULT_GRAPH_ID) else _ox_term(name)) \
            if with_graphs else None
        out.add((_ox_term(s), _ox_term(p), _ox_term(o), graph))
    return out


def write_fast(ds: Dataset, target: str | os.PathLike[str], fmt: str) -> Path:
    """Turtle, TriG and N-Quads through Oxigraph's serializer and parser: the same checks as
    write_graph_file (every statement read back, atomic rename), ten times faster on large graphs.
    Literals keep their lexical form, so "0.70" stays "0.70"."""
    target = Path(target)
    quads = fmt != "turtle"
    try:  # a term Oxigraph refuses (an invalid IRI, a lone surrogate) is an export error, not a crash
        expected = _ox_statements(ds, with_graphs=quads)
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(f"{target}: could not write {fmt}: {exc}") from exc
    prefixes = dict(sorted(jsonld_context(ds).items()))
    with atomic_path(target) as tmp:
        try:
            if quads:
                items = [ox.Quad(s, p, o, g) for s, p, o, g in sorted(expected, key=str)]
            else:
                items = [ox.Triple(s, p, o) for s, p, o, _ in sorted(expected, key=str)]
            ox.serialize(items, str(tmp), OX_FORMATS[fmt], prefixes=prefixes if fmt != "nquads" else None)
            actual = {(q.subject, q.predicate, q.object, q.graph_name if quads else None)
                      for q in ox.parse(path=str(tmp), format=OX_FORMATS[fmt])}
        except ExportError:
            raise
        except Exception as exc:
            raise ExportError(f"{target}: could not write {fmt}: {exc}") from exc
        if actual != expected:
            raise ExportError(f"{target}: {fmt} export does not read back as written "
                              f"({len(expected - actual)} statements lost, {len(actual - expected)} added); "
                              "the previous file was kept")
    return target


def write_graph_file(ds: Dataset, target: str | os.PathLike[str], fmt: str) -> Path:
    """Serialize to `target` in `fmt`, verified by reading it back, atomically."""
    target = Path(target)
    union = union_of(ds) if fmt not in QUAD_FORMATS else None  # built once: it costs a Graph.add per triple
    expected = _quads(ds) if union is None else set(union)
    with atomic_path(target) as tmp:
        try:
            if union is not None:
                union.serialize(destination=str(tmp), format=fmt, encoding="utf-8")
            elif fmt == "json-ld":
                text = ds.serialize(format="json-ld", context=jsonld.context(), auto_compact=True)
                json.loads(text)  # malformed JSON is an export bug, caught here
                tmp.write_text(text, encoding="utf-8")
            else:
                ds.serialize(destination=str(tmp), format=fmt, encoding="utf-8")
            actual = _read_back(tmp, fmt)
        except ExportError:
            raise
        except Exception as exc:  # any serializer or parser failure leaves the old file intact
            raise ExportError(f"{target}: could not write {fmt}: {exc}") from exc
        if actual != expected:
            missing, extra = len(expected - actual), len(actual - expected)
            raise ExportError(
                f"{target}: {fmt} export does not read back as written "
                f"({missing} statements lost, {extra} added); the previous file was kept"
            )
    return target


def write_exports(
    ds: Dataset, out_dir: str | os.PathLike[str], formats: Iterable[str] = tuple(EXPORT_FILES)
) -> dict[str, Path]:
    """Write every requested format into `out_dir` under its fixed file name."""
    out = Path(out_dir)
    written: dict[str, Path] = {}
    for fmt in formats:
        if fmt not in EXPORT_FILES:
            raise ExportError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FILES)}")
        write = write_fast if fmt in OX_FORMATS else write_graph_file
        written[fmt] = write(ds, out / EXPORT_FILES[fmt], fmt)
    return written
