"""End-to-end relation extraction precision / recall on Re-DocRED test documents.

Each document's sentence tokens are joined with single spaces and its sentences
with "\\n" (token character offsets kept); the text goes through newsgraph's
`extract_articles` (batched).  newsgraph's local entities are mapped to gold
entity clusters (vertexSet) by character overlap of their mentions with the gold
mentions (the vertex with the largest total overlap wins; ties or no overlap ->
unmatched), and the contract relations are mapped to Wikidata properties:

    locatedIn(s, o)      ~ P131 / P17 / P276 (h=s, t=o)
    partOf(s, o)         ~ P361              (h=s, t=o)
    leaderOf(s, o)       ~ P35 / P6 / P488   (h=o, t=s: "country -head of state-> person")
    memberOf(s, o)       ~ P463              (h=s, t=o)
    affiliatedWith(s, o) ~ P102 / P108 / P27 (h=s, t=o)
    controls(s, o)       ~ P1001             (h=s, t=o; precision only, kept out of totals)

attacked, supports, opposes and seeksControlOf have no Re-DocRED counterpart and
are only counted ("unscorable").  A prediction (one distinct local (s, p, o) per
document) is a true positive when its matched gold vertices carry a gold label
of one of p's properties in p's direction.  Two precisions are printed: strict
(over every emitted mappable relation) and matched (over those whose two ends
both matched a gold vertex).  Recall is over gold triples (h, r, t) with r in
the mapped properties (controls/P1001 excluded); a gold triple is found when a
true-positive prediction hits its (h, t) pair with p mapping to r.

The same run times bare spaCy (`load_base_model()`, `nlp.pipe`) on the same
texts and prints the ratio newsgraph / bare spaCy (target: at most 1.5x).

    python benchmarks/bench_redocred.py [--data PATH] [--docs N] [--seed S] [--examples K]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "re-docred" / "test_revised.json"

# contract predicate -> (Wikidata properties, reversed?)  reversed: gold h is the object
MAPPING: dict[str, tuple[frozenset[str], bool]] = {
    "locatedIn": (frozenset({"P131", "P17", "P276"}), False),
    "partOf": (frozenset({"P361"}), False),
    "leaderOf": (frozenset({"P35", "P6", "P488"}), True),
    "memberOf": (frozenset({"P463"}), False),
    "affiliatedWith": (frozenset({"P102", "P108", "P27"}), False),
    "controls": (frozenset({"P1001"}), False),
}
PRECISION_ONLY = {"controls"}
UNSCORABLE = {"attacked", "supports", "opposes", "seeksControlOf"}
RECALL_PROPS = frozenset().union(*(props for p, (props, _) in MAPPING.items() if p not in PRECISION_ONLY))


def build_text(doc: dict) -> tuple[str, list[list[tuple[int, int]]]]:
    """Text of a document and, per sentence, the (start, end) character offsets of its tokens."""
    pieces: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for s, sent in enumerate(doc["sents"]):
        if s:
            pieces.append("\n")
            pos += 1
        row = []
        for t, token in enumerate(sent):
            if t:
                pieces.append(" ")
                pos += 1
            row.append((pos, pos + len(token)))
            pieces.append(token)
            pos += len(token)
        offsets.append(row)
    return "".join(pieces), offsets


def gold_spans(doc: dict, offsets: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Character spans of every gold vertex's mentions."""
    spans = []
    for vertex in doc["vertexSet"]:
        row = []
        for m in vertex:
            toks = offsets[m["sent_id"]]
            a, b = m["pos"]
            row.append((toks[a][0], toks[b - 1][1]))
        spans.append(row)
    return spans


def match_entities(ex, vspans: list[list[tuple[int, int]]]) -> dict[str, int | None]:
    """Local entity key -> gold vertex index with the largest character overlap (ties/none -> None)."""
    by_entity: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in ex.mentions:
        by_entity[m.entity].append((m.start, m.end))
    result: dict[str, int | None] = {}
    for ent in ex.entities:
        scores = Counter()
        for a, b in by_entity.get(ent.key, ()):
            for v, spans in enumerate(vspans):
                for c, d in spans:
                    ov = min(b, d) - max(a, c)
                    if ov > 0 or (a == c and b == d):
                        scores[v] += max(ov, 1)
        best = scores.most_common(2)
        if not best or (len(best) > 1 and best[0][1] == best[1][1]):
            result[ent.key] = None
        else:
            result[ent.key] = best[0][0]
    return result


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"Re-DocRED JSON (default {DEFAULT_DATA})")
    ap.add_argument("--docs", type=int, default=None, help="score N documents (default: all)")
    ap.add_argument("--seed", type=int, default=None,
                    help="with --docs, draw a random sample with this seed instead of the first N; "
                         "also seeds the choice of example false positives (default 0)")
    ap.add_argument("--examples", type=int, default=5, help="false positives to print (default 5)")
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args(argv)

    import logging

    from newsgraph.extract.pipeline import extract_articles, load_base_model, load_pipeline
    from newsgraph.ingest.article import Article

    # per-article extraction warnings (unclosed quotation marks ...) would drown the report
    logging.getLogger("newsgraph").setLevel(logging.ERROR)
    docs = json.loads(args.data.read_text(encoding="utf-8"))
    if args.docs is not None and args.docs < len(docs):
        if args.seed is not None:
            docs = random.Random(args.seed).sample(docs, args.docs)
        else:
            docs = docs[: args.docs]
    rel_names = {}
    rel_info = args.data.parent / "rel_info.json"
    if rel_info.exists():
        rel_names = json.loads(rel_info.read_text(encoding="utf-8"))

    built = [build_text(d) for d in docs]
    texts = [t for t, _ in built]
    articles = [Article.create(text, identifier=d["title"]) for d, text in zip(docs, texts)]

    # timings: load both models first, then time only the processing
    t0 = time.perf_counter()
    load_pipeline()
    t_load_ng = time.perf_counter() - t0
    t0 = time.perf_counter()
    base = load_base_model()
    t_load_base = time.perf_counter() - t0
    # warm both up (untimed) on a few texts so neither pays first-call costs
    warm = articles[:4]
    list(extract_articles(warm, batch_size=args.batch_size))
    list(base.pipe(texts[:4], batch_size=args.batch_size))

    t0 = time.perf_counter()
    extractions = list(extract_articles(articles, batch_size=args.batch_size))
    t_ng = time.perf_counter() - t0

    t0 = time.perf_counter()
    for _ in base.pipe(texts, batch_size=args.batch_size):
        pass
    t_base = time.perf_counter() - t0

    preds = Counter()            # per predicate: emitted (distinct local triples)
    matched = Counter()          # both ends matched a gold vertex
    tps = Counter()
    unscorable = Counter()
    other = Counter()
    gold_total = Counter()       # per predicate (gold triples whose r maps to it)
    gold_found = Counter()
    gold_by_r = Counter()
    fps = []                     # (doc index, relation, s vertex, o vertex, ex)
    entities_total = entities_matched = 0

    for i, (doc, (text, offsets), ex) in enumerate(zip(docs, built, extractions)):
        vspans = gold_spans(doc, offsets)
        emap = match_entities(ex, vspans)
        entities_total += len(emap)
        entities_matched += sum(v is not None for v in emap.values())
        labels: dict[tuple[int, int], set[str]] = defaultdict(set)
        for lab in doc["labels"]:
            labels[(lab["h"], lab["t"])].add(lab["r"])
        found: set[tuple[int, str, int]] = set()
        seen = set()
        for rel in ex.relations:
            key = (rel.subject, rel.predicate, rel.object)
            if key in seen:
                continue
            seen.add(key)
            p = rel.predicate
            if p in UNSCORABLE:
                unscorable[p] += 1
                continue
            if p not in MAPPING:
                other[p] += 1
                continue
            props, reverse = MAPPING[p]
            preds[p] += 1
            s, o = emap.get(rel.subject), emap.get(rel.object)
            if s is None or o is None:
                continue
            matched[p] += 1
            h, t = (o, s) if reverse else (s, o)
            hit = labels.get((h, t), set()) & props
            if hit:
                tps[p] += 1
                found.update((h, r, t) for r in hit)
            else:
                fps.append((i, rel, s, o, ex))
        for lab in doc["labels"]:
            r = lab["r"]
            if r in RECALL_PROPS:
                gold_by_r[r] += 1
                for p, (props, _) in MAPPING.items():
                    if r in props and p not in PRECISION_ONLY:
                        gold_total[p] += 1
                        if (lab["h"], r, lab["t"]) in found:
                            gold_found[p] += 1

    n_docs = len(docs)
    print(f"Re-DocRED end-to-end relation extraction: {args.data.name}, {n_docs} documents"
          f"{'' if args.seed is None or args.docs is None else f' (sample, seed {args.seed})'}")
    print(f"newsgraph entities matched to a gold vertex: {entities_matched}/{entities_total} "
          f"({ratio(entities_matched, entities_total):.1%})")
    print()
    header = f"{'relation':<15} {'props':<16} {'emitted':>7} {'matched':>7} {'tp':>5} {'P strict':>8} {'P match':>8} {'gold':>6} {'found':>6} {'R':>7}"
    print(header)
    print("-" * len(header))
    for p, (props, _) in MAPPING.items():
        recall = "   (n/a)" if p in PRECISION_ONLY else f"{ratio(gold_found[p], gold_total[p]):>7.1%}"
        gold = "-" if p in PRECISION_ONLY else str(gold_total[p])
        found_s = "-" if p in PRECISION_ONLY else str(gold_found[p])
        print(f"{p:<15} {'/'.join(sorted(props)):<16} {preds[p]:>7} {matched[p]:>7} {tps[p]:>5} "
              f"{ratio(tps[p], preds[p]):>8.1%} {ratio(tps[p], matched[p]):>8.1%} {gold:>6} {found_s:>6} {recall}")
    scored = [p for p in MAPPING if p not in PRECISION_ONLY]
    tp = sum(tps[p] for p in scored)
    em = sum(preds[p] for p in scored)
    ma = sum(matched[p] for p in scored)
    gt = sum(gold_by_r.values())
    gf = sum(gold_found[p] for p in scored)
    pr_s, pr_m, rc = ratio(tp, em), ratio(tp, ma), ratio(gf, gt)
    f1 = 2 * pr_s * rc / (pr_s + rc) if pr_s + rc else 0.0
    print("-" * len(header))
    print(f"{'TOTAL (no controls)':<32} {em:>7} {ma:>7} {tp:>5} {pr_s:>8.1%} {pr_m:>8.1%} {gt:>6} {gf:>6} {rc:>7.1%}")
    print(f"F1 (strict precision): {f1:.1%}")
    print(f"gold triples by property: " + ", ".join(f"{r} {n}" for r, n in gold_by_r.most_common()))
    print(f"unscorable relations emitted: {sum(unscorable.values())} "
          f"({', '.join(f'{p} {n}' for p, n in unscorable.most_common()) or 'none'})")
    if other:
        print(f"other predicates emitted (unmapped): {dict(other)}")
    print()
    print(f"time: newsgraph extract_articles {t_ng:.2f}s ({t_ng / max(n_docs, 1) * 1000:.0f} ms/doc), "
          f"bare spaCy nlp.pipe {t_base:.2f}s; ratio newsgraph/bare spaCy = {ratio(t_ng, t_base) if t_base else 0:.2f}x "
          f"(target <= 1.5x)")
    print(f"({sum(map(len, texts))} characters; batch size {args.batch_size}; both warmed up on 4 texts first)")
    print(f"model load (not in the times above): newsgraph pipeline {t_load_ng:.2f}s, bare spaCy {t_load_base:.2f}s")

    if args.examples and fps:
        print()
        print(f"example false positives (both ends matched; {args.examples} of {len(fps)}, seed {args.seed or 0}):")
        rng = random.Random(args.seed or 0)
        for i, rel, s, o, ex in rng.sample(fps, min(args.examples, len(fps))):
            doc = docs[i]
            names = {e.key: e.name for e in ex.entities}
            sent = ex.sentences[rel.sentence].text if 0 <= rel.sentence < len(ex.sentences) else ""
            vname = lambda v: doc["vertexSet"][v][0]["name"]  # noqa: E731
            gold = [f"{vname(h)} -{r} {rel_names.get(r, '')}-> {vname(t)}"
                    for (h, t) in ((s, o), (o, s)) for lab in doc["labels"]
                    if (lab["h"], lab["t"]) == (h, t) for r in [lab["r"]]]
            print(f"- [{doc['title']}] {names.get(rel.subject)} --{rel.predicate}--> {names.get(rel.object)}"
                  f"  (evidence {ex.article.text[rel.start:rel.end]!r}, {rel.extractor}, conf {rel.confidence})")
            print(f"  sentence: {sent[:300]}")
            print(f"  gold vertices: {vname(s)} [{doc['vertexSet'][s][0]['type']}] / {vname(o)} "
                  f"[{doc['vertexSet'][o][0]['type']}]; gold labels between them: {'; '.join(gold) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
