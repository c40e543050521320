"""CLI commands for stores: `remove`, `serve`, `analyze`, `export`, and `build --store`.

Registered by importing this module at the end of `newsgraph/cli.py`.  Like cli.py, only
this module turns newsgraph errors into messages and exit codes.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from newsgraph.cli import EXIT_INVALID_GRAPH, EXIT_NOTHING_READ, EXIT_SKIPPED, EXIT_USAGE, _fail, main
from newsgraph.errors import NewsgraphError

STORE_HELP = "a store directory, a SPARQL server URL, a build folder or an RDF file"


def build_store(paths: Sequence[Any], store: str, *, n_process: int, batch_size: int, check_shapes: bool,
                kb_files: Sequence[Any], commit_every: int, on_read: Callable[[int], None],
                on_problem: Callable[[Exception], None], on_article: Callable[[str], None],
                close: Callable[[], None], limits: Any = None) -> None:
    """`newsgraph build --store`: add to a store, print what changed."""
    from newsgraph.graph.incremental import build_into_store

    try:
        stats = build_into_store(paths, store, n_process=n_process, batch_size=batch_size,
                                 commit_every=commit_every, check_shapes=check_shapes, kb_files=kb_files,
                                 on_problem=on_problem, on_articles_read=on_read, on_article=on_article,
                                 **({"limits": limits} if limits is not None else {}))
    except NewsgraphError as exc:
        close()
        _fail(str(exc))
    except KeyboardInterrupt:
        close()
        _fail("interrupted: the store keeps every article committed before the one in flight; "
              "run the same build again to continue (finished extractions are reused)", 130)
    close()
    if stats.added + stats.replaced + stats.skipped == 0:
        _fail(f"nothing could be read from {', '.join(map(str, paths))} "
              f"({len(stats.problems)} unreadable input(s))", EXIT_NOTHING_READ)
    click.echo(f"Store {store}: {stats.added} article(s) added, {stats.replaced} replaced, "
               f"{stats.skipped} unchanged (skipped) in {stats.seconds:.1f} s"
               + (f" ({len(stats.problems)} input(s) unreadable)" if stats.problems else ""))
    click.echo(f"  entities: {stats.entities:,}   statements added: {stats.quads:,}   "
               f"older articles rewritten for resolution: {stats.rewritten}")
    if stats.validation is not None:
        click.echo(f"  SHACL (new articles): {stats.validation.summary()}")
        if not stats.validation.conforms:
            sys.exit(EXIT_INVALID_GRAPH)
    if stats.problems:
        sys.exit(EXIT_SKIPPED)


def print_query_list(named: Mapping[str, str]) -> None:
    """Each shipped query with its first comment line and the parameters it takes."""
    import re

    for name, text in named.items():
        comment = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), "")
        params = re.findall(r"(?m)^#\s*@param\s+(\w+)", text)
        click.echo(f"{name:22s} {comment}")
        if params:
            click.echo(f"{'':22s} parameters: {', '.join('-p ' + p + '=...' for p in params)}")


@main.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--store", "store", required=True, metavar="DIR|URL", help="The store to remove from.")
@click.option("--state-dir", default=None, help="Where a SPARQL server store keeps its build state.")
def remove(articles: tuple[str, ...], store: str, state_dir: str | None) -> None:
    """Take ARTICLES out of a store; entities only they supported go with them.

    An article is named by its id, its IRI, or the file path / URL it was built from.

    \b
    Example:
      newsgraph remove news/2020-03-01.txt --store graph-store
    """
    from newsgraph.graph.incremental import remove_from_store

    try:
        stats = remove_from_store(store, list(articles), state_dir=state_dir)
    except NewsgraphError as exc:
        _fail(str(exc))
    click.echo(f"Removed {stats.removed} article(s) from {store}; {stats.entities:,} entities remain; "
               f"{stats.rewritten} other article(s) rewritten for resolution")


@main.command()
@click.argument("store", default="newsgraph-store")
@click.option("--store", "store_option", default=None, metavar="DIR|URL",
              help="Serve this store (same as STORE, as build, query and remove take it).")
@click.option("--port", type=click.IntRange(0, 65535), default=7879, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (keep it local).")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds before a query is stopped.")
@click.option("--max-rows", type=click.IntRange(1, 10_000_000), default=10_000, show_default=True,
              help="Rows (or triples) per answer; longer answers are cut and flagged.")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True, help="Query processes.")
@click.option("--allow-remote", is_flag=True,
              help="Allow SERVICE, and FROM of graphs the store lacks (refused by default).")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="Engine for graph files and build folders (store directories are Oxigraph).")
def serve(store: str, store_option: str | None, port: int, host: str, timeout: float, max_rows: int,
          workers: int, allow_remote: bool, engine: str = "oxigraph") -> None:
    """Serve STORE as a read-only SPARQL 1.1 endpoint (YASGUI, SPARQLWrapper, curl).

    STORE (or --store) is a store directory, a SPARQL server URL, a build folder or an RDF file.

    \b
    Example:
      newsgraph serve --store graph-store --port 7879
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 5' \\
           http://127.0.0.1:7879/sparql
    """
    store = served_location(store, store_option)
    from newsgraph.server import serve as run_server

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"newsgraph: warning: listening on {host}: the endpoint has no authentication", err=True)

    def ready(url: str) -> None:
        click.echo(f"SPARQL endpoint on {url} (read-only; timeout {timeout:g} s; at most {max_rows:,} rows). "
                   "Ctrl-C stops it.", err=True)

    try:
        run_server(store, host=host, port=port, workers=workers, timeout=timeout, max_rows=max_rows,
                   allow_remote=allow_remote, engine=engine, ready=ready)
    except NewsgraphError as exc:
        _fail(str(exc))


def served_location(argument: str, option: str | None) -> str:
    """STORE or --store (the README's `serve --store DIR`); naming two different stores is an error."""
    if option is None:
        return argument
    if argument not in ("newsgraph-store", option):
        _fail(f"serve: two stores named ({argument} and --store {option}); give one", EXIT_USAGE)
    return option


@main.command()
@click.argument("store", default="newsgraph-store")
@click.option("--top", type=click.IntRange(1, 10_000), default=15, show_default=True, help="Central entities shown.")
@click.option("--centrality", type=click.Choice(["pagerank", "degree", "betweenness"]), default="pagerank",
              show_default=True)
@click.option("--communities", "show_communities", type=click.IntRange(0, 1000), default=5, show_default=True,
              help="Largest communities shown (0: none).")
@click.option("--path", "path", nargs=2, metavar="FROM TO", default=None,
              help="Shortest connection between two entities (label or IRI), with the evidence of each hop.")
@click.option("--edges", default="relations,events,sentences", show_default=True,
              help="What links two entities: relations, events, sentences (co-mention).")
@click.option("--graphml", type=click.Path(path_type=Path), default=None, help="Write the projection as GraphML.")
@click.option("--gexf", type=click.Path(path_type=Path), default=None, help="Write it as GEXF (Gephi).")
@click.option("--csv", "csv_dir", type=click.Path(path_type=Path), default=None,
              help="Write nodes.csv and edges.csv into this folder.")
def analyze(store: str, top: int, centrality: str, show_communities: int, path: tuple[str, str] | None,
            edges: str, graphml: Path | None, gexf: Path | None, csv_dir: Path | None) -> None:
    """Network analysis of the entity graph of STORE: central entities, communities, paths.

    STORE is a store directory, a SPARQL server URL, a build folder or an RDF file.

    \b
    Examples:
      newsgraph analyze graph-store
      newsgraph analyze graph-store --path Greenland Zaporizhzhia
      newsgraph analyze out --gexf entities.gexf --csv tables/
    """
    from newsgraph.graph import analytics
    from newsgraph.graph.store import open_store

    try:
        graph = analytics.project(open_store(store), [k.strip() for k in edges.split(",") if k.strip()])
        click.echo(f"{graph.number_of_nodes():,} entities, {graph.number_of_edges():,} links")
        if path:
            a, b = analytics.find_entity(graph, path[0]), analytics.find_entity(graph, path[1])
            hops = analytics.connection(graph, a, b)
            label = graph.nodes
            if not hops:
                click.echo(f"\n{label[a]['label']} and {label[b]['label']} are not connected")
            else:
                click.echo(f"\nHow {label[a]['label']} is connected to {label[b]['label']} ({len(hops)} hop(s)):")
                for hop in hops:
                    click.echo(f"  {label[hop.source]['label']} -- {label[hop.target]['label']}  "
                               f"[{hop.kinds}; {hop.weight} source(s)]")
                    if hop.sentence:
                        click.echo(f"      \u201c{' '.join(hop.sentence.split())[:300]}\u201d")
        if top and not path:
            click.echo(f"\nMost central entities ({centrality}):")
            for r in analytics.central(graph, top, centrality):
                click.echo(f"  {r.score:10.4f}  {r.label}")
        if show_communities and not path:
            groups = analytics.communities(graph)[:show_communities]
            click.echo(f"\nLargest communities ({len(groups)} shown):")
            for i, group in enumerate(groups, 1):
                names = analytics.labels(graph, group)
                more = f" ... (+{len(names) - 12})" if len(names) > 12 else ""
                click.echo(f"  {i}. [{len(group)}] " + ", ".join(names[:12]) + more)
        if graphml:
            click.echo(f"  graphml  {analytics.write_graphml(graph, graphml)}")
        if gexf:
            click.echo(f"  gexf     {analytics.write_gexf(graph, gexf)}")
        if csv_dir:
            nodes, edge_file = analytics.write_csv(graph, csv_dir)
            click.echo(f"  csv      {nodes}, {edge_file}")
    except NewsgraphError as exc:
        _fail(str(exc))


@main.command()
@click.argument("store", default="newsgraph-store")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Folder for graph.trig / graph.nq / graph.ttl / graph.nt.")
@click.option("--format", "formats", default="trig,nquads", show_default=True,
              help="Comma-separated: trig, nquads, turtle (union), ntriples (union).")
def export(store: str, out_dir: Path, formats: str) -> None:
    """Write the graph of STORE (a store directory) to files with Oxigraph's fast serializers.

    The export path for large graphs: a million statements take seconds, where rdflib
    takes minutes.  Each file is checked by reading it back and replaced atomically.

    \b
    Example:
      newsgraph export graph-store -o out --format trig,turtle
    """
    from newsgraph.graph.store import StoreDir, export_store, is_store_dir

    if not is_store_dir(store):
        _fail(f"{store}: not a newsgraph store directory (build files are already exports)")
    try:
        with StoreDir.open(store, write=False) as sd:
            written = export_store(sd.store, out_dir, [f.strip() for f in formats.split(",") if f.strip()])
    except NewsgraphError as exc:
        _fail(str(exc))
    for name, p in written.items():
        click.echo(f"  {name:8s} {p}")
