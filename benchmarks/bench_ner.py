"""Entity-level NER precision / recall / F1 on CoNLL-2003 (CoNLL++ test set).

Compares, in the same run, the bare spaCy base model (`load_base_model()`) with
newsgraph's entity stage (the full pipeline's mentions).  Scoring is exact span
+ type over PER / ORG / LOC; MISC gold spans are ignored (not counted as missed,
and a prediction that exactly matches a MISC span is not counted as wrong).

Each document's tokens are joined with single spaces (token offsets kept);
predicted character spans are aligned to the tokens they overlap.

    python benchmarks/bench_ner.py [--data PATH] [--docs N] [--newlines]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "conll2003" / "conllpp_test.txt"

SPACY_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


def newsgraph_type(entity_class: str) -> str | None:
    from newsgraph.extract.kb import TOP_CLASS

    top = TOP_CLASS.get(entity_class, entity_class)
    return {"Person": "PER", "Organization": "ORG", "Country": "LOC", "Place": "LOC", "Asset": "LOC"}.get(top)


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, IOB2 tag)."""
    docs: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []

    def flush() -> None:
        nonlocal sentence
        if sentence:
            if not docs:
                docs.append([])
            docs[-1].append(sentence)
            sentence = []

    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            flush()
        elif parts[0] == "-DOCSTART-":
            flush()
            docs.append([])
        else:
            sentence.append((parts[0], parts[-1]))
    flush()
    return [d for d in docs if d]


def gold_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """(first token, last token + 1, type) from IOB2 (an orphan I- starts a span)."""
    spans, start, kind = set(), None, None
    for i, tag in enumerate([*tags, "O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != kind):
            if start is not None:
                spans.add((start, i, kind))
            start, kind = (i, tag[2:]) if tag != "O" else (None, None)
    return spans


def build_text(doc: list[list[tuple[str, str]]], newlines: bool) -> tuple[str, list[tuple[int, int]], list[str]]:
    pieces, offsets, tags, pos = [], [], [], 0
    for s, sentence in enumerate(doc):
        for t, (token, tag) in enumerate(sentence):
            if pieces:
                sep = "\n" if (newlines and t == 0) else " "
                pieces.append(sep)
                pos += 1
            offsets.append((pos, pos + len(token)))
            pieces.append(token)
            tags.append(tag)
            pos += len(token)
    return "".join(pieces), offsets, tags


def align(start: int, end: int, offsets: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Token range overlapped by a character span."""
    toks = [i for i, (a, b) in enumerate(offsets) if a < end and b > start]
    return (toks[0], toks[-1] + 1) if toks else None


def score(gold: set, pred: set, ignore: set) -> tuple[int, int, int]:
    pred = {p for p in pred if (p[0], p[1]) not in ignore}
    tp = len(gold & pred)
    return tp, len(pred) - tp, len(gold) - tp


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"CoNLL file (default {DEFAULT_DATA})")
    ap.add_argument("--docs", type=int, default=None, help="only the first N documents")
    ap.add_argument("--newlines", action="store_true", help="separate sentences by newlines, not spaces")
    args = ap.parse_args(argv)

    from newsgraph.extract.pipeline import extract_articles, load_base_model, load_pipeline
    from newsgraph.ingest.article import Article

    docs = read_conll(args.data)[: args.docs]
    built = [build_text(d, args.newlines) for d in docs]
    golds, ignores = [], []
    for _, _, tags in built:
        spans = gold_spans(tags)
        golds.append({s for s in spans if s[2] != "MISC"})
        ignores.append({(s[0], s[1]) for s in spans if s[2] == "MISC"})

    t0 = time.perf_counter()
    base = load_base_model()
    base_pred = []
    for (text, offsets, _), sdoc in zip(built, base.pipe([b[0] for b in built], batch_size=16)):
        pred = set()
        for ent in sdoc.ents:
            kind = SPACY_MAP.get(ent.label_)
            span = align(ent.start_char, ent.end_char, offsets)
            if kind and span:
                pred.add((*span, kind))
        base_pred.append(pred)
    t_base = time.perf_counter() - t0

    t0 = time.perf_counter()
    load_pipeline()
    articles = [Article.create(text, identifier=f"conll-{i}") for i, (text, _, _) in enumerate(built)]
    ng_pred = []
    for (text, offsets, _), ex in zip(built, extract_articles(articles)):
        pred = set()
        for m in ex.mentions:
            kind = newsgraph_type(m.entity_class)
            span = align(m.start, m.end, offsets)
            if kind and span:
                pred.add((*span, kind))
        ng_pred.append(pred)
    t_ng = time.perf_counter() - t0

    print(f"data: {args.data}  documents: {len(docs)}  gold PER/ORG/LOC spans: {sum(map(len, golds))}"
          f"  sentence separator: {'newline' if args.newlines else 'space'}")
    results = {}
    for name, preds, secs in (("spaCy base", base_pred, t_base), ("newsgraph", ng_pred, t_ng)):
        totals = {k: [0, 0, 0] for k in ("PER", "ORG", "LOC", "ALL")}
        for gold, pred, ign in zip(golds, preds, ignores):
            for kind in ("PER", "ORG", "LOC"):
                tp, fp, fn = score({g for g in gold if g[2] == kind}, {p for p in pred if p[2] == kind}, ign)
                for k in (kind, "ALL"):
                    totals[k][0] += tp
                    totals[k][1] += fp
                    totals[k][2] += fn
        results[name] = {k: prf(*v) for k, v in totals.items()}
        print(f"\n{name}  ({secs:.1f} s)")
        print(f"  {'type':4}  {'P':>6} {'R':>6} {'F1':>6}   {'tp':>5} {'fp':>5} {'fn':>5}")
        for k, (tp, fp, fn) in totals.items():
            p, r, f = prf(tp, fp, fn)
            print(f"  {k:4}  {p:6.3f} {r:6.3f} {f:6.3f}   {tp:5d} {fp:5d} {fn:5d}")
    print("\nnewsgraph - spaCy base")
    for k in ("PER", "ORG", "LOC", "ALL"):
        d = [a - b for a, b in zip(results["newsgraph"][k], results["spaCy base"][k])]
        print(f"  {k:4}  P {d[0]:+.3f}  R {d[1]:+.3f}  F1 {d[2]:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
