"""What the across-sources step (claims, corroboration, conflicts) adds to a build.

Target (issue 7): on 1,000 articles of ../shared/data/allsides-news-2018-2020 the step adds
at most 10% to the build time.  In one process, on the same articles:

1. extraction through the full newsgraph pipeline, with every newsgraph component timed
   separately (so the claims component's own seconds are known);
2. resolution of entities and events;
3. `build_dataset` (which writes the sources graph) and, apart, `describe_sources` alone.

The claims component's time is measured by running it a second time on each finished Doc
(it reads only what the earlier components left there).  The across-sources cost is the claims component plus `describe_sources`; the baseline is
the build without them (extraction minus claims, resolution, build_dataset minus
describe_sources).  Validation and exports are left out of the baseline, so the printed
ratio is an upper bound of the share in a real `newsgraph build`.

    python benchmarks/bench_sources.py            # 1,000 articles, seed 0
    python benchmarks/bench_sources.py --n 200
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_build import DEFAULT_DATA, sample_lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--n", type=int, default=1000, help="articles to sample (default 1000)")
    ap.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"JSON Lines .gz (default {DEFAULT_DATA})")
    ap.add_argument("--show", action="store_true", help="print every conflict found, with its sides")
    args = ap.parse_args(argv)

    import gzip

    from newsgraph.extract.pipeline import annotate, collect, load_pipeline
    from newsgraph.graph.build import BuildInfo, build_dataset
    from newsgraph.graph.names import assign_names
    from newsgraph.graph.shared import SharedStatements
    from newsgraph.graph.sources import describe_sources
    from newsgraph.ingest import Article, read_articles
    from newsgraph.resolve import resolve
    from newsgraph.resolve.claims import claim_refs, find_conflicts
    from newsgraph.resolve.events import resolve_events

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.writelines(sample_lines(args.data, args.n, args.seed))
        articles = [a for a in read_articles([str(path)]) if isinstance(a, Article)]
    print(f"{len(articles)} articles of {args.data.name} (seed {args.seed})")

    nlp = load_pipeline()
    claims = nlp.get_pipe("newsgraph_claims")
    extract_s = claims_s = 0.0
    extractions = []
    for i in range(0, len(articles), 16):
        chunk = articles[i : i + 16]
        started = time.perf_counter()
        docs = list(annotate(nlp, chunk))  # the whole pipeline, claims included
        extract_s += time.perf_counter() - started
        started = time.perf_counter()
        for doc in docs:  # the claims component once more, alone: its share of the line above
            claims(doc)
        claims_s += time.perf_counter() - started
        extractions.extend(collect(doc, art) for doc, art in zip(docs, chunk))

    started = time.perf_counter()
    resolution = resolve(extractions)
    events = resolve_events(extractions, resolution)
    resolve_s = time.perf_counter() - started

    info = BuildInfo(version="bench", model="bench", settings={})
    started = time.perf_counter()
    build_dataset(extractions, resolution, info, events)
    build_s = time.perf_counter() - started


    names = assign_names(resolution, events)
    started = time.perf_counter()
    describe_sources(SharedStatements(), extractions, resolution, events, names)
    sources_s = time.perf_counter() - started

    added = claims_s + sources_s
    baseline = (extract_s - claims_s) + resolve_s + (build_s - sources_s)
    n_claims = sum(len(e.claims) for e in extractions)
    conflicts = find_conflicts(claim_refs(extractions, resolution, events))
    print(f"   extraction            {extract_s:8.1f} s  (of which the claims component {claims_s:.2f} s)")
    print(f"   resolution            {resolve_s:8.1f} s")
    print(f"   build_dataset         {build_s:8.1f} s  (describe_sources {sources_s:.2f} s)")
    print(f"   claims: {n_claims:,}   conflicts: {len(conflicts):,}")
    if args.show:
        for c in conflicts:
            sides = " vs ".join("/".join(sorted({f"{r.claim.text!r} ({r.article_id[:6]})" for r in side}))
                                for side in c.sides)
            print(f"     {c.attribute} of {c.subject[:40]}: {sides}")
    ratio = added / baseline
    print(f"   across-sources step: {added:.2f} s on a {baseline:.1f} s build -> +{100 * ratio:.1f}% "
          f"(target <= 10%: {'MET' if ratio <= 0.10 else 'NOT MET'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
