"""SPARQL over a built graph, with variables bound, never pasted into the query text."""
from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources

from rdflib import Dataset, Literal, URIRef
from rdflib.query import Result

from newsgraph.errors import QueryError
from newsgraph.graph.build import PREFIXES

OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "turtle")


def named_queries() -> dict[str, str]:
    """The .rq files shipped in newsgraph/graph/queries, by name (file name without .rq)."""
    folder = resources.files("newsgraph.graph").joinpath("queries")
    return {
        entry.name[:-3]: entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".rq")
    }


QUERY_PREFIXES = dict(PREFIXES, rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                      rdfs="http://www.w3.org/2000/01/rdf-schema#")


def with_prefixes(query: str) -> str:
    """Prepend newsgraph's PREFIX declarations the query does not declare itself."""
    declared = {m.group(1) for m in re.finditer(r"(?im)^\s*PREFIX\s+([\w-]*):", query)}
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(QUERY_PREFIXES.items()) if p not in declared)
    return head + query


def _graph_names(ds: Dataset) -> set[str]:
    """The named graphs of `ds`: the only IRIs a FROM / FROM NAMED may name."""
    graphs = getattr(ds, "graphs", None) or getattr(ds, "contexts", None)
    if graphs is None:  # a plain Graph: no named graphs
        return set()
    return {str(g.identifier) for g in graphs() if isinstance(g.identifier, URIRef) and len(g)}


def binding_term(value: str) -> URIRef | Literal:
    """A command-line parameter as an RDF term: <iri> or http(s)://... is an IRI, anything else a literal."""
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if re.match(r"^https?://\S+$", value):
        return URIRef(value)
    return Literal(value)


def run_query(ds: Dataset, query: str, bindings: Mapping[str, str] | None = None) -> Result:
    """Run a SPARQL query on rdflib with `bindings` passed as initBindings (safe from injection).

    `newsgraph view --query FILE` brings user text here, so it is checked like every other
    query (`safety.check_query`: no update, SERVICE or FROM elsewhere) and rdflib runs the
    checked text with graph loading off.
    """
    from newsgraph.graph.safety import inspect_query, rdflib_loading_off, refuse_remote

    init = {name: binding_term(v) for name, v in (bindings or {}).items()}
    if isinstance(ds, Dataset) and not ds.default_union:
        ds = Dataset(store=ds.store, default_union=True)  # queries see every named graph
    checked = inspect_query(query, QUERY_PREFIXES)
    refuse_remote(checked, known_graphs=_graph_names(ds) if checked.datasets else set())
    rdflib_loading_off()
    try:
        return ds.query(with_prefixes(checked.text), initBindings=init)
    except Exception as exc:
        raise QueryError(f"SPARQL error: {exc}") from exc


def format_result(result: Result, fmt: str = "table") -> str:
    """Render a query result as a text table, CSV, TSV, SPARQL JSON or (CONSTRUCT) Turtle."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        assert graph is not None
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        return graph.serialize(format="turtle")
    if result.type == "ASK":
        return "true" if result.askAnswer else "false"
    if fmt in ("csv", "json", "tsv"):
        return result.serialize(format=fmt).decode("utf-8")  # type: ignore[union-attr]
    if fmt == "turtle":
        raise QueryError("--format turtle is for CONSTRUCT and DESCRIBE queries; use table, csv, tsv or json")
    names = [str(v) for v in result.vars or []]
    rows = [["" if row[i] is None else str(row[i]) for i in range(len(names))] for row in result]
    return text_table(names, rows)


def text_table(names: list[str], rows: list[list[str]], note: str = "") -> str:
    """A plain text table for the terminal, cells cut at 60 characters.

    >>> print(text_table(["x"], [["a"]]))
    x
    -
    a
    (1 row)
    """
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]

    def cell(text: str, width: int) -> str:
        text = text.replace("\n", " ")
        return (text[: width - 1] + "\u2026") if len(text) > width else text.ljust(width)

    lines = [" | ".join(cell(n, w) for n, w in zip(names, widths)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(cell(v, w) for v, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{note})")
    return "\n".join(lines)
