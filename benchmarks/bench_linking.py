"""Entity linking at news scale: how many mentions of real AllSides news reach a Wikidata id.

Samples N articles (reproducibly, --seed) from the AllSides 2018-2020 JSON Lines file, runs
the newsgraph extraction and cross-article resolution over them, and prints

  * the share of entity mentions whose entity carries a Wikidata id (target >= 60%), by class;
  * entity nodes per 1,000 mentions after resolution (fewer: more mentions share a node);
  * --show random linked mentions (default 30) with their sentence, the node's label and id,
    for a person to check by reading.

    python benchmarks/bench_linking.py [--n 1000] [--seed 0] [--show 30] [--jobs 1] [--data PATH]
"""
from __future__ import annotations

import argparse
import gzip
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import DEFAULT_DATA, sample_lines  # noqa: E402

from newsgraph.extract.kb import TOP_CLASS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=30, help="random linked mentions to print")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)

    from newsgraph.extract.pipeline import extract_articles
    from newsgraph.ingest import Article, read_articles
    from newsgraph.resolve import resolve

    lines = sample_lines(args.data, args.n, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.writelines(lines)
        articles = [a for a in read_articles([str(path)]) if isinstance(a, Article)]
    t0 = time.perf_counter()
    extractions = list(extract_articles(articles, n_process=args.jobs))
    seconds = time.perf_counter() - t0
    resolution = resolve(extractions)

    total, linked, unlinked = Counter(), Counter(), Counter()
    samples = []
    for ex in extractions:
        by_key = {e.key: e for e in ex.entities}
        for m in ex.mentions:
            entity = by_key.get(m.entity)
            if entity is None:
                continue
            top = TOP_CLASS.get(entity.entity_class, entity.entity_class)
            node = resolution.entity_for(ex.article.id, entity.key)
            total[top] += 1
            if node.wikidata:
                linked[top] += 1
                samples.append((ex, m, node))
            else:
                unlinked[node.label] += 1
    n_mentions = sum(total.values())
    n_linked = sum(linked.values())
    print(f"{len(extractions)} articles (seed {args.seed}), extraction {seconds:.0f} s")
    print(f"entity mentions: {n_mentions}; linked to Wikidata: {n_linked} "
          f"({n_linked / max(n_mentions, 1):.1%})")
    for top in sorted(total, key=lambda t: -total[t]):
        print(f"  {top:13s} {linked[top]:6d} / {total[top]:6d}  ({linked[top] / total[top]:.1%})")
    nodes = len(resolution.entities)
    with_id = sum(1 for e in resolution.entities if e.wikidata)
    print(f"entity nodes: {nodes} ({with_id} with a Wikidata id); "
          f"{1000 * nodes / max(n_mentions, 1):.0f} nodes per 1,000 mentions")
    print("most mentioned nodes without an id:",
          ", ".join(f"{label} ({n})" for label, n in unlinked.most_common(25)))
    rng = random.Random(args.seed)
    print(f"\n{min(args.show, len(samples))} random linked mentions (mention -> node label, id | sentence):")
    for ex, m, node in rng.sample(samples, min(args.show, len(samples))):
        sentence = ex.sentences[m.sentence].text if m.sentence < len(ex.sentences) else ""
        print(f"  {m.text!r} -> {node.label} ({node.wikidata}, {node.entity_class}) | "
              f"{' '.join(sentence.split())[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
