"""`newsgraph view`: write the interactive HTML viewer of a built graph, or of a part of it.

Kept out of cli.py so the viewer's options live beside nothing else; cli.py
imports this module once, at its end, to register the command.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from newsgraph.cli import EXIT_USAGE, _fail, main


def read_graph(path: Path):
    """The graph to draw, read with Oxigraph's parser when it is a file (a build folder's graph.trig).

    rdflib's own TriG parser took 20-38 s of each `view --focus` run on a build of 300 articles;
    Oxigraph parses the same file in about 2 s, and handing its quads to rdflib's store costs
    less than parsing them again.  A store directory is read as `newsgraph query` reads it.
    """
    from rdflib import BNode, Dataset, Literal, URIRef
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from newsgraph.errors import NewsgraphError
    from newsgraph.graph.load import graph_file, load_dataset
    from newsgraph.graph.store import is_store_dir

    if path.is_dir() and is_store_dir(path):
        return load_dataset(path)
    file, fmt = graph_file(path)
    try:
        import pyoxigraph as ox
    except ImportError:
        return load_dataset(path)
    formats = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE,
               "nt": ox.RdfFormat.N_TRIPLES}
    if fmt not in formats:
        return load_dataset(path)
    terms: dict = {}

    def term(value):
        found = terms.get(value)
        if found is None:
            if isinstance(value, ox.NamedNode):
                found = URIRef(value.value)
            elif isinstance(value, ox.BlankNode):
                found = BNode(value.value)
            elif value.language:
                found = Literal(value.value, lang=value.language)
            else:
                found = Literal(value.value, datatype=URIRef(value.datatype.value))
            terms[value] = found
        return found

    ds = Dataset(default_union=True)
    contexts: dict = {}
    try:
        for quad in ox.parse(path=str(file), format=formats[fmt]):
            name = quad.graph_name
            key = DATASET_DEFAULT_GRAPH_ID if isinstance(name, ox.DefaultGraph) else term(name)
            context = contexts.get(key)
            if context is None:
                context = contexts[key] = ds.graph(key)
            ds.store.add((term(quad.subject), term(quad.predicate), term(quad.object)), context)
    except (SyntaxError, ValueError) as exc:
        raise NewsgraphError(f"{file}: not a readable {fmt} graph: {exc}") from exc
    return ds


@main.command()
@click.argument("graph", type=click.Path(path_type=Path), default=Path("newsgraph-out"))
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("view.html"), show_default=True, help="The HTML file to write.")
@click.option("--focus", metavar="ENTITY",
              help="Draw only what lies around ENTITY: a label, an alias or an IRI.")
@click.option("--depth", type=click.IntRange(0, 10), default=2, show_default=True,
              help="With --focus: how many edges away from ENTITY to go.")
@click.option("--query", "query_file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Draw only what a SPARQL CONSTRUCT in this .rq file returns.")
@click.option("--max-nodes", type=click.IntRange(1, 1_000_000), default=None,
              help="Draw at most this many nodes, the most central (default 10,000); "
                   "the page says what was left out.")
@click.option("--title", help="Heading of the page (default: what it shows).")
def view(graph: Path, out_file: Path, focus: str | None, depth: int, query_file: Path | None,
         max_nodes: int | None, title: str | None) -> None:
    """Write a self-contained, offline HTML page to explore GRAPH (a build folder or an RDF file).

    Click a node or an edge to see its class, Wikidata link, aliases and every
    sentence that supports it, with article, outlet, date and confidence.
    Search by name or alias; filter by class, property, article and date.
    `newsgraph build` already writes the whole graph to OUT/graph.html.

    \b
    Examples:
      newsgraph view out                                  # whole graph -> view.html
      newsgraph view out --focus "Zaporizhzhia" -o znpp.html
      newsgraph view out --focus Putin --depth 1
      newsgraph view out/graph.trig --query leaders.rq -o leaders.html
      newsgraph view big-out --max-nodes 2000

    \b
    A query file holds a CONSTRUCT; the nodes and triples it returns are drawn:
      CONSTRUCT { ?p ng:leaderOf ?c } WHERE { ?p ng:leaderOf ?c }
    """
    from newsgraph.errors import NewsgraphError
    from newsgraph.exports.html import DEFAULT_MAX_NODES, write_html
    from newsgraph.graph.query import run_query

    try:
        ds = read_graph(graph)
        construct = None
        if query_file is not None:
            text = query_file.read_text(encoding="utf-8")
            result = run_query(ds, text)
            if result.type != "CONSTRUCT" or result.graph is None:
                _fail(f"{query_file}: --query needs a CONSTRUCT query (this one is a {result.type})",
                      EXIT_USAGE)
            construct = result.graph
        path = write_html(ds, out_file, title=title, focus=focus, depth=depth, construct=construct,
                          max_nodes=max_nodes or DEFAULT_MAX_NODES)
    except NewsgraphError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or query_file}: {exc.strerror}")
    click.echo(f"Wrote {path} (open it in a browser; it needs no network)", err=False)
    sys.stdout.flush()
