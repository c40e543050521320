"""Benchmark the stores: load, five typical queries and memory, on rdflib, pyoxigraph used directly
and newsgraph's default store (Oxigraph on disk, through `run_store_query`); then the cost of
adding 100 real articles to a large store against adding them to an empty one.

    python benchmarks/bench_store.py                      # ~1,000,000 triples, 10,000-article store
    python benchmarks/bench_store.py --triples 200000 --store-articles 2000   # quicker

Part 1 uses a synthetic graph with the shape of newsgraph's (one named graph per article with
mentions, sentences and relation triples; an entities graph; a connected entity network of
~20k entities for the property path).  Part 2 extracts real articles of the AllSides corpus
with spaCy (../shared/data/allsides-news-2018-2020), seeds a store with copies of some of
them (distinct article ids, the same entity distribution), then adds 100 others.
Ratios are printed against pyoxigraph used directly, measured in the same run.
"""
from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

NG = "https://w3id.org/newsgraph/ontology#"
BASE = "https://w3id.org/newsgraph/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = f"PREFIX ng: <{NG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
E = BASE + "entity/person/"

QUERIES = {
    "lookup by label": 'SELECT ?e WHERE { ?e rdfs:label "Entity 1234" }',
    "two-hop join": f"SELECT ?article ?other WHERE {{ ?m ng:attests <{E}e42> ; ng:inArticle ?article . "
                    "?m2 ng:inArticle ?article ; ng:attests ?other }",
    "GROUP BY count": "SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { ?m ng:attests ?e ; ng:inArticle ?a } "
                      "GROUP BY ?e ORDER BY DESC(?n) LIMIT 20",
    "regex on labels": 'SELECT ?e ?l WHERE { ?e rdfs:label ?l FILTER(REGEX(?l, "^Entity 12[0-9]{2}$")) }',
    "property path": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ <{E}e0> (ng:supports|ng:opposes)+ ?x }}",
}


# ---------------------------------------------------------------------------- synthetic graph


def synthetic_nquads(path: Path, triples: int, seed: int = 7) -> int:
    """Write a newsgraph-shaped graph of about `triples` quads as N-Quads; return the count."""
    rng = random.Random(seed)
    per_article = 120
    n_articles = max(1, triples // per_article)
    n_entities = max(100, min(20_000, triples // 50))
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_entities)]  # a few famous entities, a long tail
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        def q(s: str, p: str, o: str, g: str) -> None:
            nonlocal count
            out.write(f"{s} {p} {o} {g} .\n")
            count += 1

        eg = f"<{BASE}graph/entities>"
        for i in range(n_entities):
            q(f"<{E}e{i}>", f"<{RDF_TYPE}>", f"<{NG}Person>", eg)
            q(f"<{E}e{i}>", f"<{LABEL}>", f'"Entity {i}"', eg)
        for a in range(n_articles):
            art = f"{BASE}article/{a:016x}"
            g = f"<{art}>"
            q(g, f"<{RDF_TYPE}>", f"<{NG}Article>", g)
            q(g, "<http://purl.org/dc/terms/title>", f'"Story number {a}"', g)
            q(g, "<http://purl.org/dc/terms/date>", f'"2019-{1 + a % 12:02d}-{1 + a % 28:02d}"^^<{XSD}date>', g)
            q(g, f"<{NG}contentHash>", f'"sha256:{a:064x}"', g)
            ents = rng.choices(range(n_entities), weights=weights, k=8)
            for s in range(4):
                sent = f"<{art}/sentence/{s * 100}-{s * 100 + 90}>"
                q(sent, f"<{RDF_TYPE}>", f"<{NG}Sentence>", g)
                q(sent, f"<{NG}sentenceText>", f'"Sentence {s} of story {a} names Entity {ents[s]}."', g)
                q(sent, f"<{NG}inArticle>", g, g)
            for k, e in enumerate(ents):
                m = f"<{art}/mention/{k * 10}-{k * 10 + 8}>"
                q(m, f"<{RDF_TYPE}>", f"<{NG}Mention>", g)
                q(m, f"<{NG}attests>", f"<{E}e{e}>", g)
                q(m, f"<{NG}inArticle>", g, g)
                q(m, f"<{NG}inSentence>", f"<{art}/sentence/{(k % 4) * 100}-{(k % 4) * 100 + 90}>", g)
                q(m, f"<{NG}startChar>", f'"{k * 10}"^^<{XSD}nonNegativeInteger>', g)
                q(m, f"<{NG}endChar>", f'"{k * 10 + 8}"^^<{XSD}nonNegativeInteger>', g)
                q(m, f"<{NG}anchorText>", f'"Entity {e}"', g)
                q(m, f"<{NG}confidence>", f'"0.70"^^<{XSD}decimal>', g)
                q(m, f"<{NG}extractor>", '"spacy-ner"', g)
            for _ in range(3):  # a connected entity network for the property path
                s, o = rng.randrange(n_entities), rng.randrange(n_entities)
                q(f"<{E}e{s}>", f"<{NG}{rng.choice(['supports', 'opposes'])}>", f"<{E}e{o}>", g)
            while count < (a + 1) * per_article:
                q(g, f"<{NG}outlet>", f'"Outlet {count % 50}"', g)
        for i in range(n_entities - 1):  # ensure one component: a chain through every entity
            if i % 4 == 0:
                q(f"<{E}e{i}>", f"<{NG}supports>", f"<{E}e{i + 1}>", eg)
            else:
                q(f"<{E}e{i}>", f"<{NG}opposes>", f"<{E}e{i + 1}>", eg)
    return count


# ---------------------------------------------------------------------------- engines (children)


def _rss_mb() -> float:
    """Resident memory now (not the peak: imports would hide a small store)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


class _Alarm(Exception):
    pass


def _rdflib_child(path: str, timeout: int, out: Any) -> None:
    sys.setrecursionlimit(10_000)
    from rdflib import Dataset

    base = _rss_mb()
    t = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(path, format="nquads")
    result: dict[str, Any] = {"load": time.perf_counter() - t, "rss": _rss_mb() - base, "queries": {}}

    def alarm(*_: Any) -> None:
        raise _Alarm

    signal.signal(signal.SIGALRM, alarm)
    for name, text in QUERIES.items():
        signal.alarm(timeout)
        t = time.perf_counter()
        try:
            rows = len(list(ds.query(PREFIXES + text)))
            result["queries"][name] = (time.perf_counter() - t, rows)
        except _Alarm:
            result["queries"][name] = (None, f"> {timeout} s")
        except RecursionError:
            result["queries"][name] = (None, "RecursionError")
        finally:
            signal.alarm(0)
    out.send(result)


def _oxigraph_memory_child(path: str, out: Any) -> None:
    import pyoxigraph as ox

    base = _rss_mb()
    t = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    out.send({"load": time.perf_counter() - t, "rss": _rss_mb() - base})


def _child(target: Any, *args: Any) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, child))
    proc.start()
    child.close()
    result = parent.recv()
    proc.join()
    return result  # type: ignore[no-any-return]


def best_of(fn: Any, repeat: int) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t)
    return best, value


def part1(triples: int, work: Path, rdflib_timeout: int, repeat: int) -> None:
    import pyoxigraph as ox

    from newsgraph.graph.store import StoreDir
    from newsgraph.graph.store_query import run_store_query

    nq = work / "synthetic.nq"
    t = time.perf_counter()
    n = synthetic_nquads(nq, triples)
    print(f"\n== Part 1: synthetic graph of {n:,} quads ({nq.stat().st_size / 1e6:.0f} MB N-Quads, "
          f"written in {time.perf_counter() - t:.1f} s)")

    store_dir = work / "store"
    t = time.perf_counter()
    with StoreDir.open(store_dir, write=True) as sd:
        sd.store.load_file(nq, ox.RdfFormat.N_QUADS)
    default_load = time.perf_counter() - t
    mem = _child(_oxigraph_memory_child, str(nq))
    print("   running the rdflib side in a child process (this is the slow part) ...", flush=True)
    rdf = _child(_rdflib_child, str(nq), rdflib_timeout)

    # pyoxigraph used directly, and newsgraph's default store, on the same on-disk database
    direct = ox.Store.read_only(str(store_dir / "oxigraph"))
    sd = StoreDir.open(store_dir, write=False)
    rows_direct: dict[str, tuple[float, int]] = {}
    rows_store: dict[str, tuple[float, int]] = {}
    for name, text in QUERIES.items():
        sec, rows = best_of(lambda text=text: [tuple(s) for s in direct.query(
            PREFIXES + text, use_default_graph_as_union=True)], repeat)
        rows_direct[name] = (sec, len(rows))
        sec, res = best_of(lambda text=text: run_store_query(sd.store, text), repeat)
        rows_store[name] = (sec, len(res))
    sd.close()

    print(f"\n   {'':26s} {'rdflib':>12s} {'pyoxigraph':>12s} {'newsgraph':>12s}   rdflib/pyox  store/pyox")
    print(f"   {'load (s)':26s} {rdf['load']:12.2f} {mem['load']:12.2f} {default_load:12.2f}   "
          f"{rdf['load'] / mem['load']:10.1f}x {default_load / mem['load']:10.2f}x")
    print(f"   {'memory after load (MB)':26s} {rdf['rss']:12.0f} {mem['rss']:12.0f} {'(disk)':>12s}   "
          f"{rdf['rss'] / max(mem['rss'], 1):10.1f}x")
    worst = 0.0
    for name in QUERIES:
        r_sec, r_rows = rdf["queries"][name]
        d_sec, d_rows = rows_direct[name]
        s_sec, s_rows = rows_store[name]
        ratio = s_sec / d_sec if d_sec > 0 else 1.0
        worst = max(worst, ratio)
        r_text = f"{r_sec:12.3f}" if r_sec is not None else f"{r_rows:>12s}"
        r_ratio = f"{r_sec / d_sec:10.1f}x" if r_sec is not None else f"{'-':>11s}"
        mark = "" if s_rows == d_rows else f"  (rows differ: {s_rows} vs {d_rows})"
        print(f"   {name + ' (s)':26s} {r_text} {d_sec:12.4f} {s_sec:12.4f}   {r_ratio} {ratio:10.2f}x  "
              f"[{d_rows} rows]{mark}")
    print(f"   target: newsgraph's default store within 1.5x of pyoxigraph on every query -> "
          f"worst {worst:.2f}x: {'MET' if worst <= 1.5 else 'NOT MET'}")


# ---------------------------------------------------------------------------- part 2


def read_allsides(corpus: Path, skip: int, count: int) -> list[Any]:
    from newsgraph.ingest.article import Article

    out = []
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i < skip:
                continue
            if len(out) >= count:
                break
            rec = json.loads(line)
            out.append(Article.create(rec["text"], identifier=f"allsides:{rec['id']}", title=rec.get("title"),
                                      date=rec.get("date"), source=rec.get("source"), url=rec.get("url")))
    return out


def seed_store(path: Path, templates: list[Any], n_articles: int) -> float:
    """A store of `n_articles` copies of the template extractions (distinct ids), written in bulk."""
    import dataclasses

    import pyoxigraph as ox

    from newsgraph.graph import iris
    from newsgraph.graph.build import light
    from newsgraph.graph.incremental import (
        STATE_FILE,
        StateDB,
        World,
        article_graphs,
        extraction_json,
        statements_of,
    )
    from newsgraph.graph.store import StoreDir, ox_quad

    t = time.perf_counter()
    clones = []
    for k in range(n_articles):
        src = templates[k % len(templates)]
        art = dataclasses.replace(src.article, id=f"{k:08d}{src.article.id[:8]}",
                                  identifier=f"{src.article.identifier}#copy{k}")
        mentions_ok = dataclasses.replace(src, article=art)
        clones.append(mentions_ok)
    lights = {c.article.id: light(c) for c in clones}
    world = World.of(lights, {})
    # every copy of a template resolves like the template's first copy: build that one, rename the rest
    firsts = article_graphs(clones[:len(templates)], world)
    template_quads = {}
    for k, src in enumerate(templates):
        first = clones[k]
        quads_k = [ox_quad(q) for q in firsts[first.article.id]]
        old_iri, src_iri = str(iris.article_iri(first.article.id)), str(iris.article_iri(src.article.id))
        template_quads[src.article.id] = [ox.Quad(*(
            ox.NamedNode(src_iri + t.value[len(old_iri):]) if isinstance(t, ox.NamedNode) and t.value.startswith(old_iri)
            else t for t in (q.subject, q.predicate, q.object, q.graph_name))) for q in quads_k]
    with StoreDir.open(path, write=True) as sd:
        state = StateDB(path / STATE_FILE)
        encoded = [json.loads(extraction_json(src)) for src in templates]
        rows: list[tuple[Any, ...]] = []
        quads = []
        for k, clone in enumerate(clones):
            src = templates[k % len(templates)]
            old, new = iris.article_iri(src.article.id), iris.article_iri(clone.article.id)
            for q in template_quads[src.article.id]:
                def sub(term: Any, old: Any = old, new: Any = new) -> Any:
                    if isinstance(term, ox.NamedNode) and term.value.startswith(str(old)):
                        return ox.NamedNode(str(new) + term.value[len(str(old)):])
                    return term
                quads.append(ox.Quad(sub(q.subject), q.predicate, sub(q.object), sub(q.graph_name)))
            rows.append(_state_row(clone, encoded[k % len(templates)]))
        # the copies point to the resolution of the whole store: its shared graphs and IRIs
        quads.extend(ox_quad(q) for q in statements_of(world, lights).quads())
        sd.store.ox.bulk_extend(quads)
        state.db.executemany("INSERT OR REPLACE INTO article VALUES (?,?,?,?,?,?)", rows)
        state.put_pointers(world.pointers)
        state.close()
    return time.perf_counter() - t


def cached_extractions(articles: list[Any], cache: Path | None) -> list[Any]:
    """Extractions of the seed articles, kept in `cache` (JSON lines) between runs: spaCy
    takes about a second per article, and the seed is not what is measured."""
    from newsgraph.extract.pipeline import extract_articles
    from newsgraph.graph.incremental import decode, extraction_json

    done: dict[str, Any] = {}
    if cache is not None and cache.exists():
        for line in cache.read_text(encoding="utf-8").splitlines():
            ex = decode(json.loads(line))
            done[ex.article.id] = ex
    todo = [a for a in articles if a.id not in done]
    for ex in extract_articles(todo, batch_size=16):
        done[ex.article.id] = ex
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            with cache.open("a", encoding="utf-8") as fh:
                fh.write(extraction_json(ex) + "\n")
    return [done[a.id] for a in articles]


def _state_row(clone: Any, full: dict[str, Any]) -> tuple[Any, ...]:
    """The state row of a copy: the template's JSON with the copy's article id and identifier."""
    import zlib

    from newsgraph.graph.incremental import light_json

    a = clone.article
    full = dict(full, article=dict(full["article"], id=a.id, identifier=a.identifier))
    return (a.id, a.identifier, a.content_hash, "seed", light_json(clone),
            zlib.compress(json.dumps(full).encode("utf-8"), 6))


def _commit_child(path: str, new_file: str, out: Any) -> None:
    """Commit the extractions in `new_file` into the store at `path`; send the time and the stats."""
    from newsgraph.graph.build import BuildInfo
    from newsgraph.graph.incremental import IncrementalStore, decode

    new = [decode(json.loads(line)) for line in Path(new_file).read_text(encoding="utf-8").splitlines()]
    info = BuildInfo(version="bench", model="bench", settings={})
    t = time.perf_counter()
    with IncrementalStore.open(path) as inc:
        stats = inc.commit(new, info=info, model="bench")
    seconds = time.perf_counter() - t
    out.send({"seconds": seconds, **{k: getattr(stats, k) for k in (
        "rewritten", "rewrite_seconds", "resolve_seconds", "shared_changes", "entities")}})


def _best_commit(store: Path, new_file: Path, repeat: int) -> dict[str, Any]:
    """The fastest of `repeat` commits of `new_file`, each into a fresh copy of `store` (an empty
    store when there is none): on a shared machine other load only ever adds time."""
    target = store.parent / f"{store.name}-run"
    best: dict[str, Any] | None = None
    for _ in range(repeat):
        shutil.rmtree(target, ignore_errors=True)
        if store.exists():
            shutil.copytree(store, target)
        os.sync()  # the copy's writeback is not the commit's
        run = _child(_commit_child, str(target), str(new_file))
        if best is None or run["seconds"] < best["seconds"]:
            best = run
    shutil.rmtree(target, ignore_errors=True)
    assert best is not None
    return best


def part2(corpus: Path, store_articles: int, add: int, work: Path, cache: Path | None = None,
          repeat: int = 3) -> None:
    from newsgraph.extract.pipeline import extract_articles, load_pipeline
    from newsgraph.graph.incremental import IncrementalStore, extraction_json

    n_templates = min(200, store_articles)
    print(f"\n== Part 2: adding {add} AllSides articles to a {store_articles:,}-article store vs an empty one")
    load_pipeline()  # loaded before the timed extraction, as a build loads it once
    articles = read_allsides(corpus, 0, n_templates + add)
    t = time.perf_counter()
    templates = cached_extractions(articles[:n_templates], cache)
    t_tpl = time.perf_counter() - t
    t = time.perf_counter()
    new = list(extract_articles(articles[n_templates:], batch_size=16))  # always timed, never cached
    extract = time.perf_counter() - t
    print(f"   spaCy extraction: {len(templates)} seed articles in {t_tpl:.1f} s; the {add} new ones in {extract:.1f} s")
    big = work / "big"
    seed_seconds = seed_store(big, templates, store_articles)
    print(f"   seeded {store_articles:,} articles (copies of {len(templates)}) in {seed_seconds:.1f} s")
    # the copies were written under the seed's own resolution: reconcile once so the store is exact
    t = time.perf_counter()
    with IncrementalStore.open(big) as inc:
        rewritten = inc.reconcile()
        quads = len(inc.store)
    print(f"   reconciled the seeded store in {time.perf_counter() - t:.1f} s ({rewritten} graphs rewritten); "
          f"{quads:,} quads")

    # each commit in a fresh process, as `newsgraph build --store` runs: the seeding above left
    # millions of objects on this process's heap, which a user's build does not carry
    new_file = work / "new.jsonl"
    new_file.write_text("".join(extraction_json(ex) + "\n" for ex in new), encoding="utf-8")
    empty = _best_commit(work / "empty", new_file, repeat)
    big_run = _best_commit(big, new_file, repeat)
    empty_seconds, big_seconds, stats = empty["seconds"], big_run["seconds"], big_run
    alone, incremental = extract + empty_seconds, extract + big_seconds
    print(f"   commit into an empty store: {empty_seconds:6.2f} s (best of {repeat}, each in a fresh process)")
    print(f"   commit into the big store:  {big_seconds:6.2f} s ({stats['rewritten']} older articles rewritten "
          f"and the shared descriptions replaced in {stats['rewrite_seconds']:.1f} s; loading + resolving all "
          f"entities and events {stats['resolve_seconds']:.1f} s; {stats['shared_changes']:,} shared descriptions "
          f"changed; {stats['entities']:,} entities after)")
    if stats["rewritten"]:
        rest = extract + big_seconds - stats["rewrite_seconds"]
        print(f"   without the rewrites (older articles whose entity or event IRIs changed in a merge): "
              f"{rest:.1f} s -> {rest / alone:.2f}x")
    print(f"   build of the {add} alone (extract + commit): {alone:.1f} s; into the big store: {incremental:.1f} s "
          f"-> {incremental / alone:.2f}x (target <= 1.20x: {'MET' if incremental / alone <= 1.2 else 'NOT MET'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--store-articles", type=int, default=10_000)
    parser.add_argument("--add", type=int, default=100)
    parser.add_argument("--rdflib-timeout", type=int, default=300, help="Seconds per rdflib query before giving up.")
    parser.add_argument("--repeat", type=int, default=3,
                        help="Best of N runs for the Oxigraph queries and for each commit of part 2.")
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
                        / "allsides-news-2018-2020" / "articles.jsonl.gz")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "newsgraph-bench-seed.jsonl",
                        help="JSON-lines cache of the seed articles' extractions (not of the measured ones).")
    parser.add_argument("--skip-part1", action="store_true")
    parser.add_argument("--skip-part2", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-store-"))
    print(f"newsgraph store benchmark (work dir {work}; {os.cpu_count()} cores)")
    try:
        if not args.skip_part1:
            part1(args.triples, work, args.rdflib_timeout, args.repeat)
        if not args.skip_part2:
            if args.corpus.exists():
                part2(args.corpus, args.store_articles, args.add, work, args.cache, args.repeat)
            else:
                print(f"\n== Part 2 skipped: no corpus at {args.corpus}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
