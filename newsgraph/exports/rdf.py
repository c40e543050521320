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

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from newsgraph.errors import ExportError
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
    """The JSON-LD @context: newsgraph's prefixes, so keys read as ng:label, not full IRIs."""
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
                text = ds.serialize(format="json-ld", context=jsonld_context(ds), auto_compact=True)
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
        written[fmt] = write_graph_file(ds, out / EXPORT_FILES[fmt], fmt)
    return written
