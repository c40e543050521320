"""Entity resolution on a seeded sample of the AllSides 2018-2020 news corpus.

Reads `--n` articles (a seeded random sample of the lines) through
`newsgraph.ingest.read_articles`, extracts them, resolves, and prints the
number of local entities (one per article and entity, before resolution) and
of resolved entity nodes (after), counts by class, and a seeded random sample
of merged PERSON entities with their labels, alt labels and merge reasons.

    python benchmarks/bench_resolution.py [--data PATH] [--n 1000] [--seed 0] [--show 20]
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
DEFAULT_DATA = REPO.parent / "shared" / "data" / "allsides-news-2018-2020" / "articles.jsonl.gz"


def sample_lines(path: Path, n: int, seed: int) -> list[bytes]:
    with gzip.open(path, "rb") as stream:
        lines = [line for line in stream if line.strip()]
    rng = random.Random(seed)
    picked = sorted(rng.sample(range(len(lines)), min(n, len(lines))))
    return [lines[i] for i in picked]


def _extract_safely(chunk):
    """Extract a chunk; on a crash redo it article by article, keeping the errors (a bug must not end the run)."""
    from newsgraph.extract.pipeline import extract_articles

    try:
        return list(extract_articles(chunk)), []
    except Exception:  # noqa: BLE001
        ok, bad = [], []
        for article in chunk:
            try:
                ok += list(extract_articles([article]))
            except Exception as exc:  # noqa: BLE001
                bad.append((article, exc))
        return ok, bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--n", type=int, default=1000, help="articles to sample (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=20, help="merged PERSON entities to print")
    ap.add_argument("--processes", type=int, default=1)
    args = ap.parse_args(argv)

    from newsgraph.errors import InputError
    from newsgraph.extract.kb import TOP_CLASS
    from newsgraph.extract.pipeline import extract_articles, load_pipeline
    from newsgraph.ingest import read_articles
    from newsgraph.resolve import resolve

    lines = sample_lines(args.data, args.n, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.jsonl.gz"
        with gzip.open(sample, "wb") as out:
            out.writelines(line if line.endswith(b"\n") else line + b"\n" for line in lines)
        items = list(read_articles([sample]))
    articles = [a for a in items if not isinstance(a, InputError)]
    errors = [a for a in items if isinstance(a, InputError)]

    t0 = time.perf_counter()
    load_pipeline()
    extractions, failed = [], []
    chunks = [articles[i : i + 8] for i in range(0, len(articles), 8)]
    if args.processes > 1:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
            results = list(pool.imap(_extract_safely, chunks))
    else:
        results = [_extract_safely(chunk) for chunk in chunks]
    for ok, bad in results:
        extractions += ok
        failed += bad
    t_extract = time.perf_counter() - t0
    t0 = time.perf_counter()
    resolution = resolve(extractions)
    t_resolve = time.perf_counter() - t0

    local = [e for ex in extractions for e in ex.entities]
    chars = sum(len(a.text) for a in articles)
    print(f"data: {args.data}  sampled lines: {len(lines)} (seed {args.seed})  articles read: {len(articles)}"
          f"  input errors: {len(errors)}  characters: {chars:,}")
    for article, exc in failed:
        print(f"EXTRACTION FAILED: article {article.id} ({article.title!r}): {type(exc).__name__}: {exc!r}")
    print(f"extraction: {t_extract:.1f} s ({chars / max(t_extract, 1e-9):,.0f} chars/s)"
          f"  resolution: {t_resolve:.2f} s")
    print(f"\nlocal entities (before resolution): {len(local):,}")
    print(f"resolved entity nodes (after):       {len(resolution.entities):,}"
          f"  ({len(local) / max(len(resolution.entities), 1):.2f} local per node)")
    merged = [e for e in resolution.entities if len(e.members) > 1]
    print(f"nodes with more than one local entity: {len(merged):,}")

    def top(cls: str) -> str:
        return TOP_CLASS.get(cls, cls)

    before = Counter(top(e.entity_class) for e in local)
    after = Counter(top(e.entity_class) for e in resolution.entities)
    fine = Counter(e.entity_class for e in resolution.entities)
    print(f"\n{'class':14} {'local':>8} {'resolved':>9}")
    for cls in sorted(set(before) | set(after), key=lambda c: -before[c]):
        print(f"{cls:14} {before[cls]:8,} {after[cls]:9,}")
    print("\nresolved nodes by class: " + ", ".join(f"{c} {n}" for c, n in fine.most_common()))
    reasons = Counter(r for e in merged for r in e.merge_reasons)
    print("merge reasons (nodes): " + ", ".join(f"{r!r} {n}" for r, n in reasons.most_common()))
    mixed = [e for e in merged if len({top(c) for c in e.classes_seen}) > 1]
    print(f"merged nodes whose articles disagree on the top class: {len(mixed)}")

    people = [e for e in merged if e.entity_class == "Person"]
    rng = random.Random(args.seed)
    shown = rng.sample(people, min(args.show, len(people)))
    print(f"\n{len(shown)} random merged PERSON entities (of {len(people)}):")
    for e in sorted(shown, key=lambda e: e.label):
        articles_n = len({aid for aid, _ in e.members})
        print(f"- {e.label!r}  [{e.wikidata or e.key}]  members {len(e.members)} in {articles_n} articles"
              f"  classes {list(e.classes_seen)}")
        alts = list(e.alt_labels)
        print(f"    alt labels ({len(alts)}): {alts[:12]}{' ...' if len(alts) > 12 else ''}")
        print(f"    merge reasons: {list(e.merge_reasons)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
