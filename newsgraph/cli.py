"""The `newsgraph` command: thin click commands over the library.

Only this module turns exceptions into messages and exit codes.
"""
from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path

import click

from newsgraph import __version__
from newsgraph.extract.limits import DEFAULT_LIMITS as LIMITS  # stdlib only: cheap to import

EXIT_NOTHING_READ = 1
EXIT_USAGE = 2
EXIT_INVALID_GRAPH = 3
EXIT_SKIPPED = 4  # built, but some inputs were skipped (each named on stderr)


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"newsgraph: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="newsgraph")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """Turn news articles into an RDF knowledge graph, with the evidence for every fact.

    \b
    Examples (start with the built-in sample corpus):
      newsgraph build --sample -o newsgraph-out
      newsgraph stats newsgraph-out
      newsgraph query evidence newsgraph-out
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="newsgraph: %(levelname)s: %(message)s")


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("newsgraph-out"),
              show_default=True, help="Folder for graph.ttl, graph.trig, graph.nq, graph.jsonld.")
@click.option("--sample", is_flag=True, help="Build the built-in sample corpus (3 articles).")
@click.option("-j", "--jobs", "n_process", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for spaCy (each loads its own model).")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=16, show_default=True,
              help="Articles per spaCy batch.")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check (faster on very large builds).")
@click.option("--kb", "kb_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra knowledge-base CSV (label,class,wikidata,aliases,country). Repeatable.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--store", "store", default=None, metavar="DIR|URL",
              help="Add to a graph store instead of writing files: a directory (Oxigraph, created if "
                   "needed) or a SPARQL server URL. Unchanged articles are skipped.")
@click.option("--commit-every", type=click.IntRange(1, 1_000_000), default=500, show_default=True,
              help="With --store: articles extracted and resolved per commit.")
@click.option("--max-chars", type=click.IntRange(0), default=LIMITS.max_chars, show_default=True,
              help="Longer article texts are cut (warned); 0: no limit.")
@click.option("--max-sentences", type=click.IntRange(0), default=LIMITS.max_sentences, show_default=True,
              help="Facts are read from this many sentences of an article at most; 0: no limit.")
@click.option("--max-mentions", type=click.IntRange(0), default=LIMITS.max_mentions, show_default=True,
              help="Facts are read up to the sentence of an article's N-th entity mention; 0: no limit.")
@click.option("--article-seconds", type=click.FloatRange(0), default=LIMITS.article_seconds, show_default=True,
              help="Time for newsgraph's extractors on one article; past it, the article is kept "
                   "without facts; 0: no limit.")
def build(inputs: tuple[Path, ...], out_dir: Path, sample: bool, n_process: int, batch_size: int,
          no_validate: bool, kb_files: tuple[Path, ...], quiet: bool, store: str | None = None,
          commit_every: int = 500, max_chars: int = LIMITS.max_chars,
          max_sentences: int = LIMITS.max_sentences, max_mentions: int = LIMITS.max_mentions,
          article_seconds: float = LIMITS.article_seconds) -> None:
    """Build the graph of INPUTS (files or folders) into OUT.

    INPUTS may be .txt/.md, .html, .jsonl (one article per line: text, title, date,
    url, source), .json, folders of them, and .gz of any of these.  Unreadable
    files are reported one per line and skipped; the build fails only when
    nothing could be read.  Exit codes: 0 built, 1 nothing could be read, 2 usage,
    3 the graph breaks the SHACL shapes, 4 built but some inputs were skipped.

    \b
    Examples:
      newsgraph build --sample -o out
      newsgraph build articles/ more.jsonl.gz -o out --jobs 2
      newsgraph build page.html -o out && newsgraph stats out
    """
    from tqdm import tqdm

    import newsgraph

    paths = list(inputs)
    if sample:
        paths.append(newsgraph.sample_corpus_path())
    if not paths:
        _fail("no input: name files or folders to read, or use --sample (see newsgraph build --help)",
              EXIT_USAGE)
    from newsgraph.extract.limits import Limits

    limits = Limits(max_chars=max_chars, max_sentences=max_sentences, max_mentions=max_mentions,
                    article_seconds=article_seconds)
    bar: tqdm | None = None

    def on_read(n: int) -> None:
        nonlocal bar
        bar = tqdm(total=n, unit="article", desc="extracting", disable=quiet or None, file=sys.stderr)

    def on_problem(problem: Exception) -> None:
        click.echo(f"skipped {problem}", err=True)

    if store is not None:
        from newsgraph.cli_store import build_store

        build_store(paths, store, n_process=n_process, batch_size=batch_size, check_shapes=not no_validate,
                    kb_files=kb_files, commit_every=commit_every, on_read=on_read, on_problem=on_problem,
                    limits=limits,
                    on_article=lambda _: bar.update(1) if bar else None, close=lambda: bar.close() if bar else None)
        return
    try:
        result = newsgraph.build(
            paths, out_dir=out_dir, n_process=n_process, batch_size=batch_size,
            check_shapes=not no_validate, on_problem=on_problem, kb_files=kb_files,
            on_articles_read=on_read, on_article=lambda _: bar.update(1) if bar else None,
            limits=limits,
        )
    except newsgraph.errors.NewsgraphError as exc:
        _fail(str(exc))
    finally:
        if bar is not None:
            bar.close()
    s = result.stats
    if s.articles == 0:
        _fail(f"nothing could be read from {', '.join(map(str, paths))} "
              f"({s.problems} unreadable input(s))", EXIT_NOTHING_READ)
    click.echo(f"Built the graph of {s.articles} article(s) in {s.seconds:.1f} s"
               + (f" ({s.problems} input(s) skipped)" if s.problems else ""))
    click.echo(f"  entities: {s.entities:,}   mentions: {s.mentions:,}   statements: {s.triples:,}")
    for fmt, path in result.written.items():
        click.echo(f"  {fmt:8s} {path}")
    if result.validation is not None:
        click.echo(f"  SHACL: {result.validation.summary()}")
        if not result.validation.conforms:
            sys.exit(EXIT_INVALID_GRAPH)
    if s.problems:
        sys.exit(EXIT_SKIPPED)


@main.command()
@click.argument("query", required=False)
@click.argument("graph", default="newsgraph-out")
@click.option("-f", "--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "rdfxml", "jsonld"]),
              help="Output format (turtle, ntriples, rdfxml, jsonld for CONSTRUCT).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to VALUE (an IRI if it looks like one, else a string). Repeatable.")
@click.option("--list", "list_queries", is_flag=True, help="List the shipped named queries and exit.")
@click.option("--allow-remote", is_flag=True,
              help="Allow SERVICE, and FROM of graphs the store lacks (refused by default).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Stop the query after this many s (0: never).")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="Engine for graph files and build folders (store directories are Oxigraph).")
@click.option("--store", "store", default=None, metavar="DIR|URL", help="Query this store (same as GRAPH).")
def query(query: str | None, graph: str, fmt: str, params: tuple[str, ...], list_queries: bool = False,
          allow_remote: bool = False, timeout: float = 60.0, engine: str = "oxigraph",
          store: str | None = None) -> None:
    """Run a SPARQL QUERY against GRAPH (a build folder, an RDF file, a store directory or a SPARQL URL).

    QUERY is a SPARQL string, a .rq file, '-' for standard input, or the name of a
    shipped query (see the list below).  The ng:, rdfs:, skos:, owl:, dcterms:,
    prov:, schema: and xsd: prefixes are predeclared.

    \b
    Examples:
      newsgraph query entities out
      newsgraph query evidence out -p fact=https://w3id.org/newsgraph/id/entity/wikidata/Q7747
      newsgraph query 'SELECT ?l WHERE { ?e a ng:Person ; rdfs:label ?l }' out -f csv
      newsgraph query my-query.rq out.trig -f json
    """
    from newsgraph.errors import NewsgraphError
    from newsgraph.graph.query import named_queries

    named = named_queries()
    if list_queries or query is None:
        from newsgraph.cli_store import print_query_list

        print_query_list(named)
        return
    if query == "-":
        text = sys.stdin.read()
    elif query in named:
        text = named[query]
    elif query.endswith(".rq") or (len(query) < 250 and Path(query).is_file()):
        try:
            text = Path(query).read_text(encoding="utf-8")
        except OSError as exc:
            _fail(f"{query}: cannot read the query file: {exc.strerror}")
    else:
        text = query
    bindings = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.isidentifier():
            _fail(f"--param {item!r}: expected NAME=VALUE", EXIT_USAGE)
        bindings[name] = value
    from newsgraph.graph.store_query import run_with_timeout

    try:
        output = run_with_timeout(store or graph, text, bindings, fmt=fmt, timeout=timeout,
                                  allow_remote=allow_remote, engine=engine)
    except NewsgraphError as exc:
        _fail(str(exc))
    sys.stdout.buffer.write(output)
    sys.stdout.flush()


@main.command()
@click.argument("graph", type=click.Path(path_type=Path), default=Path("newsgraph-out"))
def validate(graph: Path) -> None:
    """Check GRAPH (a build folder or an RDF file) against the newsgraph SHACL shapes.

    Exits 0 when it conforms, 3 when it does not (every violation is listed).

    \b
    Example:
      newsgraph validate out/graph.trig
    """
    from newsgraph.errors import NewsgraphError
    from newsgraph.graph.load import load_dataset
    from newsgraph.graph.validate import validate as run_validate

    try:
        report = run_validate(load_dataset(graph))
    except NewsgraphError as exc:
        _fail(str(exc))
    click.echo(report.summary(limit=200))
    sys.exit(0 if report.conforms else EXIT_INVALID_GRAPH)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path), default=Path("newsgraph-out"))
def stats(graph: Path) -> None:
    """Counts of articles, entities by class, events, quotes and statements in GRAPH.

    \b
    Example:
      newsgraph stats out
    """
    from rdflib import RDF

    from newsgraph.errors import NewsgraphError
    from newsgraph.graph import iris
    from newsgraph.graph.load import load_dataset
    from newsgraph.ontology import NG

    try:
        ds = load_dataset(graph)
    except NewsgraphError as exc:
        _fail(str(exc))
    classes: Counter[str] = Counter()
    for _, _, cls in ds.graph(iris.ENTITIES_GRAPH).triples((None, RDF.type, None)):
        classes[str(cls).rsplit("#", 1)[-1]] += 1
    quads = sum(1 for _ in ds.quads((None, None, None, None)))
    articles = len(set(ds.subjects(RDF.type, NG.Article)))
    click.echo(f"articles:   {articles:,}")
    click.echo(f"entities:   {sum(classes.values()):,}")
    for cls, n in sorted(classes.items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {cls:24s} {n:,}")
    click.echo(f"mentions:   {len(set(ds.subjects(RDF.type, NG.Mention))):,}")
    click.echo(f"statements: {quads:,}")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path), default=Path("newsgraph-out"))
@click.option("--merges", is_flag=True, help="Only entities made of several articles' entities, with why.")
@click.option("--class", "cls", default=None, help="Only this class (Person, Organization, Country, ...).")
def entities(graph: Path, merges: bool, cls: str | None) -> None:
    """List the entities of GRAPH: label, class, Wikidata link, names seen; --merges explains merges.

    \b
    Examples:
      newsgraph entities out
      newsgraph entities out --merges
      newsgraph entities out --class Person
    """
    from newsgraph.errors import NewsgraphError
    from newsgraph.graph.load import load_dataset
    from newsgraph.graph.query import named_queries, run_query

    try:
        rows = list(run_query(load_dataset(graph), named_queries()["entity-merges" if merges else "entity-list"]))
    except NewsgraphError as exc:
        _fail(str(exc))
    shown = 0
    for row in rows:
        klass = str(row.cls).rsplit("#", 1)[-1]
        if cls and klass.lower() != cls.lower():
            continue
        shown += 1
        link = f"  {row.wikidata}" if row.wikidata else ""
        click.echo(f"{row.label}  [{klass}]{link}")
        if row.aliases:
            click.echo(f"    also: {row.aliases}")
        if merges and row.reasons:
            click.echo(f"    merged because: {row.reasons}")
    click.echo(f"({shown} entit{'y' if shown == 1 else 'ies'})")


import newsgraph.cli_store  # noqa: E402,F401
import newsgraph.cli_view  # noqa: E402,F401  (registers "view")
import newsgraph.cli_conflicts  # noqa: E402,F401  (registers "conflicts")

if __name__ == "__main__":
    # `python -m newsgraph.cli` runs this file as __main__, but the commands of the modules
    # imported above registered on newsgraph.cli.main: run that one.
    from newsgraph.cli import main as registered_main

    registered_main()
