"""Throughput of a newsgraph build against bare spaCy, on real news articles (AllSides 2018-2020).

Samples N articles (reproducibly, --seed) from the AllSides JSON Lines file, writes them to a
temporary .jsonl.gz and, in the same run, measures in two fresh child processes one after
the other (so each peak memory figure is its own):

  (a) bare spaCy: the base model newsgraph loads (`load_base_model()`), `nlp.pipe` over the
      same texts (as the ingest reader cleaned them), same batch size;
  (b) newsgraph: `newsgraph.build(...)` on the .jsonl.gz (reading INCLUDED, and also shown
      apart), then SHACL validation, the four verified RDF exports and the HTML page, each
      timed on its own.

Prints articles/s, words/s, peak RSS (ru_maxrss of each child) and the ratio build / bare spaCy.

    python benchmarks/bench_build.py [--n 1000] [--seed 0] [--data PATH] [--batch-size 16]
                                     [--jobs 1] [--profile]
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import multiprocessing
import os
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "allsides-news-2018-2020" / "articles.jsonl.gz"


def sample_lines(path: Path, n: int, seed: int) -> list[str]:
    """N lines of the file, chosen uniformly (reservoir sampling), in file order."""
    rng = random.Random(seed)
    chosen: list[tuple[int, str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if not line.strip():
                continue
            if len(chosen) < n:
                chosen.append((i, line))
            else:
                j = rng.randint(0, i)
                if j < n:
                    chosen[j] = (i, line)
    return [line for _, line in sorted(chosen)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _profiled(enabled: bool, fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float, str]:
    """Run fn, return (result, seconds, top of the cProfile report or '')."""
    import cProfile

    profile = cProfile.Profile() if enabled else None
    started = time.perf_counter()
    if profile:
        profile.enable()
    result = fn(*args, **kwargs)
    if profile:
        profile.disable()
    seconds = time.perf_counter() - started
    text = ""
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
        text = out.getvalue()
    return result, seconds, text


def run_bare_spacy(input_file: str, batch_size: int) -> dict[str, Any]:
    """(a) in a child process: read with the ingest reader, then bare nlp.pipe."""
    from newsgraph.extract.pipeline import load_base_model, model_description
    from newsgraph.ingest import Article, read_articles

    texts = [a.text for a in read_articles([input_file]) if isinstance(a, Article)]
    nlp = load_base_model()
    list(nlp.pipe(["Warm-up sentence about Vladimir Putin in Moscow."]))
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    return {
        "seconds": time.perf_counter() - started,
        "tokens": tokens,
        "model": model_description(nlp),
        "pipes": list(nlp.pipe_names),
        "rss": peak_rss_mb(),
    }


def run_newsgraph(input_file: str, out_dir: str, batch_size: int, jobs: int, profile: bool) -> dict[str, Any]:
    """(b) in a child process: newsgraph.build, then validation and exports, each timed."""
    import newsgraph
    from newsgraph.exports.rdf import EXPORT_FILES, write_exports
    from newsgraph.extract.pipeline import load_pipeline, model_description
    from newsgraph.graph import iris
    from newsgraph.graph.build import count_quads
    from newsgraph.graph.validate import validate

    nlp = load_pipeline()  # loading the model is not part of the figures (as in (a))
    marks: dict[str, float] = {}

    def on_read(n: int) -> None:
        marks["read"] = time.perf_counter()

    def on_article(_: Any) -> None:
        marks["extracted"] = time.perf_counter()

    started = time.perf_counter()
    result = newsgraph.build([input_file], batch_size=batch_size, n_process=jobs, check_shapes=False,
                             on_articles_read=on_read, on_article=on_article)
    finished = time.perf_counter()
    figures: dict[str, Any] = {
        "model": model_description(nlp),
        "pipes": list(nlp.pipe_names),
        "articles": result.stats.articles,
        "problems": len(result.problems),
        "words": sum(len(e.article.text.split()) for e in result.extractions),
        "chars": sum(len(e.article.text) for e in result.extractions),
        "mentions": result.stats.mentions,
        "entities": result.stats.entities,
        "statements": count_quads(result.dataset),
        "t_read": marks["read"] - started,
        "t_extract": marks.get("extracted", marks["read"]) - marks["read"],
        "t_graph": finished - marks.get("extracted", marks["read"]),
        "t_core": finished - started,
        "rss_core": peak_rss_mb(),
    }
    from rdflib import RDFS

    described = set(result.dataset.graph(iris.ENTITIES_GRAPH).subjects(RDFS.label))
    figures["iri_collisions"] = len(result.resolution.entities) - len(described)

    report, figures["t_validate"], figures["profile_validate"] = _profiled(profile, validate, result.dataset)
    figures["conforms"] = report.conforms
    figures["violations"] = len(report.violations)
    figures["violation_sample"] = [f"{v.focus} {v.path}: {v.message}" for v in report.violations[:5]]
    figures["rss_validate"] = peak_rss_mb()

    def export_all() -> dict[str, float]:
        times = {}
        for fmt in EXPORT_FILES:
            t = time.perf_counter()
            write_exports(result.dataset, out_dir, [fmt])  # the writer newsgraph uses for fmt
            times[fmt] = time.perf_counter() - t
        return times

    figures["t_formats"], figures["t_export"], figures["profile_export"] = _profiled(profile, export_all)
    figures["sizes"] = {name: (Path(out_dir) / name).stat().st_size for name in EXPORT_FILES.values()}
    try:
        from newsgraph.exports.html import write_html
    except ImportError:
        figures["t_html"] = None
    else:
        t = time.perf_counter()
        write_html(result.dataset, Path(out_dir) / "graph.html")
        figures["t_html"] = time.perf_counter() - t
    figures["rss"] = peak_rss_mb()
    return figures


def in_child(fn: Any, *args: Any) -> Any:
    """Run fn(*args) in a fresh spawned process (its own model, its own peak memory)."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(fn, args)


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds:9,.1f}" if seconds > 0 else "        -"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--n", type=int, default=1000, help="articles to sample (default 1000)")
    ap.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"JSON Lines .gz (default {DEFAULT_DATA})")
    ap.add_argument("--batch-size", type=int, default=16, help="spaCy batch size, both sides (default 16)")
    ap.add_argument("--jobs", type=int, default=1, help="newsgraph worker processes (default 1)")
    ap.add_argument("--profile", action="store_true", help="cProfile validation and exports")
    ap.add_argument("--keep", type=Path, default=None, help="keep the exports in this folder")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"bench_build: {args.data}: no such file; pass --data PATH", file=sys.stderr)
        return 2

    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        t = time.perf_counter()
        lines = sample_lines(args.data, args.n, args.seed)
        input_file = tmp / f"allsides-{args.n}-seed{args.seed}.jsonl.gz"
        with gzip.open(input_file, "wt", encoding="utf-8") as fh:
            fh.writelines(line if line.endswith("\n") else line + "\n" for line in lines)
        print(f"sampled {len(lines)} articles from {args.data} (seed {args.seed}) in {time.perf_counter() - t:.1f} s")
        out_dir = args.keep or tmp / "out"
        out_dir.mkdir(parents=True, exist_ok=True)

        bare = in_child(run_bare_spacy, str(input_file), args.batch_size)
        ng = in_child(run_newsgraph, str(input_file), str(out_dir), args.batch_size, args.jobs, args.profile)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)

    n, words = ng["articles"], ng["words"]
    core_vs_bare = ng["t_core"] / bare["seconds"]
    extract_vs_bare = ng["t_extract"] / bare["seconds"]
    full = ng["t_core"] + ng["t_validate"] + ng["t_export"] + (ng["t_html"] or 0)
    print(f"model: {bare['model']} (newsgraph: {ng['model']}); batch size {args.batch_size}; "
          f"newsgraph jobs {args.jobs}; python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after")
    print(f"bare pipes:      {', '.join(bare['pipes'])}")
    print(f"newsgraph pipes: {', '.join(ng['pipes'])}")
    print(f"articles: {n:,} read ({ng['problems']} unreadable), {words:,} words, {ng['chars']:,} chars, "
          f"{bare['tokens']:,} spaCy tokens")
    print(f"graph: {ng['statements']:,} statements, {ng['entities']:,} entities, {ng['mentions']:,} mentions; "
          f"entity IRI collisions: {ng['iri_collisions']}")
    print()
    print(f"{'stage':44s} {'seconds':>8s} {'articles/s':>10s} {'words/s':>10s}  {'peak RSS':>9s}")
    rows = [
        ("(a) bare spaCy nlp.pipe (reading excluded)", bare["seconds"], f"{bare['rss']:7.0f} MB"),
        ("(b) newsgraph.build, reading INCLUDED", ng["t_core"], f"{ng['rss_core']:7.0f} MB"),
        ("      of which: read (ingest)", ng["t_read"], ""),
        ("      of which: spaCy + extractors", ng["t_extract"], ""),
        ("      of which: resolve + graph", ng["t_graph"], ""),
        ("    SHACL validation", ng["t_validate"], f"{ng['rss_validate']:7.0f} MB"),
        ("    RDF exports (4 formats, read back)", ng["t_export"], ""),
    ]
    rows += [(f"      {fmt}", sec, "") for fmt, sec in ng["t_formats"].items()]
    if ng["t_html"] is not None:
        rows.append(("    HTML page", ng["t_html"], ""))
    rows.append(("    total (build + validation + exports)", full, f"{ng['rss']:7.0f} MB"))
    for label, sec, mem in rows:
        print(f"{label:44s} {sec:8.1f} {rate(n, sec):>10s} {rate(words, sec):>10s}  {mem:>9s}")
    print()
    print(f"ratio newsgraph.build / bare spaCy:            {core_vs_bare:5.2f}x")
    print(f"ratio spaCy+extractors only / bare spaCy:      {extract_vs_bare:5.2f}x")
    print(f"ratio total incl. validation+exports / bare:   {full / bare['seconds']:5.2f}x")
    print(f"SHACL: {'conforms' if ng['conforms'] else str(ng['violations']) + ' violation(s)'}")
    for v in ng["violation_sample"]:
        print(f"  {v}")
    print("file sizes: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in ng["sizes"].items()))
    if args.profile:
        print("\n--- cProfile: SHACL validation ---\n" + ng["profile_validate"])
        print("\n--- cProfile: RDF exports ---\n" + ng["profile_export"])
    if os.environ.get("BENCH_JSON"):  # machine-readable figures on stderr
        figures = {"bare": bare, "newsgraph": {k: v for k, v in ng.items() if not k.startswith("profile")}}
        json.dump(figures, sys.stderr, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
