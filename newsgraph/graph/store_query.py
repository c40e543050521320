"""SPARQL against any store: checked, bound, timed out, and written in the standard formats.

`run_store_query` is what the CLI and the endpoint call: it declares newsgraph's prefixes,
parses the query and refuses updates and remote access (see `safety.py`), gives the engine
the text that was checked (escapes expanded), and turns `NAME=VALUE` parameters into RDF
terms bound by the engine (initBindings / substitutions), never pasted into the text.

`run_with_timeout` runs a query in a forked child process and kills it at the deadline:
neither rdflib nor pyoxigraph can interrupt a running query, and a cartesian product or
an unbounded property path on a large graph must not hang the CLI.

>>> from newsgraph.graph.store import MemoryStore, Change
>>> from rdflib import RDFS, Literal, URIRef
>>> store = MemoryStore()
>>> store.apply(Change(insert=[(URIRef("http://ex/a"), RDFS.label, Literal("Kyiv"), URIRef("http://ex/g"))]))
>>> print(serialize_result(run_store_query(store, "SELECT ?l WHERE { ?e rdfs:label ?l }"), "csv").decode())
l
Kyiv
<BLANKLINE>
"""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from newsgraph.errors import NewsgraphError, QueryError
from newsgraph.graph.build import PREFIXES
from newsgraph.graph.query import binding_term, text_table
from newsgraph.graph.safety import CheckedQuery, inspect_query, refuse_remote, scan
from newsgraph.graph.store import QueryResult, Store, open_store

ALL_PREFIXES = dict(PREFIXES, rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                    rdfs="http://www.w3.org/2000/01/rdf-schema#")

# output format -> media type (what the endpoint negotiates and the CLI's --format offers)
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "table": "text/plain",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}


def declared_prefixes(query: str) -> set[str]:
    return {p.rstrip(":") for p, _ in scan(query).prefixes}


def run_store_query(
    store: Store,
    query: str,
    bindings: Mapping[str, str | Identifier] | None = None,
    *,
    allow_remote: bool = False,
    limit: int | None = None,
    checked: CheckedQuery | None = None,
) -> QueryResult:
    """Check, bind and run `query` on `store` (newsgraph prefixes predeclared).

    Every user query reaches an engine through here (CLI, endpoint workers, library), so
    this is where it is parsed and refused; the store runs the checked text, not `query`.
    `checked` is `inspect_query(query, ALL_PREFIXES)` when the caller has it already (the
    endpoint parses once in the server, not once per worker); the refusals are made here.
    """
    if checked is None:
        checked = inspect_query(query, ALL_PREFIXES)
    graphs = store.graph_names() if checked.datasets and not allow_remote else set()
    refuse_remote(checked, allow_remote=allow_remote, known_graphs=graphs)
    terms = {name: v if isinstance(v, Identifier) else binding_term(v) for name, v in (bindings or {}).items()}
    return store.query(checked.text, terms, prefixes=_undeclared(checked.text), limit=limit)


@lru_cache(maxsize=512)
def _undeclared(query: str) -> dict[str, str]:
    """newsgraph's prefixes the query does not declare itself (callers copy, never mutate)."""
    declared = declared_prefixes(query)
    return {p: ns for p, ns in ALL_PREFIXES.items() if p not in declared}


# ---------------------------------------------------------------------------- serializers


def _text(term: Identifier | None) -> str:
    return "" if term is None else str(term)


def _csv_cell(term: Identifier | None) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    return _text(term)


def _tsv_cell(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, (URIRef, BNode, Literal)):
        return term.n3()
    return str(term)


def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
    return out


def _xml_term(term: Identifier) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attrs = ""
    if isinstance(term, Literal):
        if term.language:
            attrs = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype is not None:
            attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def table(result: QueryResult) -> str:
    """A plain text table, cells cut at 60 characters."""
    rows = [[_text(v) for v in row] for row in result.rows]
    return text_table(list(result.variables), rows, " (truncated)" if result.truncated else "") + "\n"


def serialize_result(result: QueryResult, fmt: str = "table", link: str | None = None) -> bytes:
    """Results in a SPARQL 1.1 results format, a text table, or (CONSTRUCT) an RDF syntax.

    `link` goes into the results' head (`"link"` in JSON, `<link href>` in XML), the place
    the SPARQL results formats keep for metadata about the answer: the endpoint puts the
    IRI of its note on truncation there when an answer was cut at --max-rows.
    """
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return serialize_graph(result, fmt)
    if fmt in GRAPH_TYPES:
        raise QueryError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries; "
                         "use table, csv, tsv, json or xml")
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        if fmt == "json":
            return json.dumps({"head": {"link": [link]} if link else {}, "boolean": answer}).encode()
        if fmt == "xml":
            return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    f"<head/><boolean>{'true' if answer else 'false'}</boolean></sparql>\n").encode()
        return b"true\n" if answer else b"false\n"
    names = result.variables
    if fmt == "json":
        head: dict[str, Any] = {"vars": names}
        if link:
            head["link"] = [link]
        doc = {"head": head, "results": {"bindings": [
            {n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in result.rows]}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        for row in result.rows:
            writer.writerow([_csv_cell(t) for t in row])
        return buf.getvalue().replace("\r\n", "\n").encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + n for n in names)]
        lines += ["\t".join(_tsv_cell(t) for t in row) for row in result.rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(n)}/>" for n in names]
        if link:
            out.append(f"<link href={quoteattr(link)}/>")
        out.append("</head><results>")
        for row in result.rows:
            out.append("<result>" + "".join(
                f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                for n, t in zip(names, row) if t is not None) + "</result>")
        out.append("</results></sparql>")
        return ("\n".join(out) + "\n").encode("utf-8")
    if fmt == "table":
        return table(result).encode("utf-8")
    raise QueryError(f"unknown output format {fmt!r}; choose from {', '.join([*RESULT_TYPES, *GRAPH_TYPES])}")


def serialize_graph(result: QueryResult, fmt: str) -> bytes:
    """CONSTRUCT/DESCRIBE triples in Turtle, N-Triples, N-Quads, TriG, RDF/XML or JSON-LD.

    The quad formats hold the triples in their default graph (a CONSTRUCT makes one graph).
    """
    fmt = {"table": "turtle", "csv": "turtle", "tsv": "turtle", "json": "jsonld", "xml": "rdfxml"}.get(fmt, fmt)
    native = result.native_triples
    if native is not None and fmt in ("turtle", "ntriples", "nquads", "trig", "rdfxml"):
        import pyoxigraph as ox

        rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                      "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
                      "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
        prefixes = ALL_PREFIXES if fmt in ("turtle", "trig", "rdfxml") else None
        return bytes(ox.serialize(native, format=rdf_format, prefixes=prefixes) or b"")
    graph = result.graph or Graph()
    for prefix, ns in ALL_PREFIXES.items():
        graph.bind(prefix, ns)
    # a plain Graph: rdflib writes TriG with a blank graph name and no N-Quads at all, so the
    # default graph is written as what it is in those syntaxes, Turtle and N-Triples lines
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "nquads": "nt", "trig": "turtle",
                     "rdfxml": "xml", "jsonld": "json-ld"}.get(fmt)
    if rdflib_format is None:
        raise QueryError(f"unknown RDF format {fmt!r}; choose from {', '.join(GRAPH_TYPES)}")
    return graph.serialize(format=rdflib_format, encoding="utf-8")  # type: ignore[return-value]


# ---------------------------------------------------------------------------- timeouts


def _child(conn: Any, opener: Callable[[], Store], query: str, bindings: Mapping[str, str],
           fmt: str, allow_remote: bool, limit: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        store = opener()
        conn.send_bytes(b"rd")
        result = run_store_query(store, query, bindings, allow_remote=allow_remote, limit=limit)
        conn.send_bytes(b"ok" + serialize_result(result, fmt))
    except NewsgraphError as exc:
        conn.send_bytes(b"er" + str(exc).encode("utf-8"))
    except Exception as exc:  # noqa: BLE001 - an engine bug must still end with a message
        conn.send_bytes(b"er" + f"the query failed: {type(exc).__name__}: {exc}".encode())
    finally:
        conn.close()


def run_with_timeout(
    location: str | os.PathLike[str],
    query: str,
    bindings: Mapping[str, str] | None = None,
    *,
    fmt: str = "table",
    timeout: float | None = 60.0,
    allow_remote: bool = False,
    limit: int | None = None,
    engine: str = "oxigraph",
) -> bytes:
    """Open `location`, run `query` and return the formatted output, killed after `timeout` s.

    Opening (and, for files, parsing) the graph is not counted: the clock starts when the
    child says the store is ready.
    """
    def opener() -> Store:
        return open_store(location, engine=engine)

    if timeout is None or timeout <= 0 or "fork" not in multiprocessing.get_all_start_methods():
        result = run_store_query(opener(), query, bindings or {}, allow_remote=allow_remote, limit=limit)
        return serialize_result(result, fmt)
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, opener, query, dict(bindings or {}), fmt, allow_remote, limit),
                       daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(None):
            raise QueryError("the query process ended without an answer")
        first = parent.recv_bytes()
        if first.startswith(b"er"):
            raise QueryError(first[2:].decode("utf-8", "replace"))
        deadline = time.monotonic() + timeout
        if not parent.poll(max(0.0, deadline - time.monotonic())):
            raise QueryError(
                f"the query ran past the timeout of {timeout:g} s and was stopped; "
                "narrow it (LIMIT, a bound variable, a bounded path) or raise --timeout"
            )
        try:
            data = parent.recv_bytes()
        except EOFError as exc:
            raise QueryError(f"the query process died (exit code {proc.exitcode})") from exc
    except EOFError as exc:
        raise QueryError(f"the query process died while opening the store (exit code {proc.exitcode})") from exc
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if data.startswith(b"er"):
        raise QueryError(data[2:].decode("utf-8", "replace"))
    return data[2:]
