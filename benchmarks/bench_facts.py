"""Facts a person can review: a seeded sample of each kind of fact, with its sentence, in Markdown.

Samples --n articles (reproducibly, --seed; the same reservoir sample as bench_build.py and
bench_sources.py) from the AllSides 2018-2020 JSON Lines file, builds their graph with
`newsgraph.build`, and queries it (SPARQL) for the four kinds of fact:

  event     class, label, agent / participant / target / location, date
  relation  subject, property (rdfs:subPropertyOf* ng:relatedTo), object
  stance    actor, stance (rdfs:subPropertyOf* ng:stance), event
  quote     speaker and text (ng:Quote, and ng:ReportedSpeech for indirect speech)

It draws --per-kind facts of each kind with a seeded RNG and, for each, one of the evidence
nodes that attest it (its article's id, title, outlet and date, and the sentence), and writes:

  --out (default benchmarks/out/facts-review.md)  one numbered row per fact: the fact in plain
      words, the sentence (the evidence's anchor in bold), the article, and an empty
      "correct? (y/n)" column to fill in;
  the same name with .json                          the same rows, for tooling.

Both are written atomically. It prints how many facts of each kind the build has, by class or
property (the share of events that are Statements, of relations that are affiliatedWith, ...).

    python benchmarks/bench_facts.py --n 200                 # ~2 min on 2 cores
    python benchmarks/bench_facts.py --n 200 --per-kind 100 --seed 1 --out /tmp/review.md
    python benchmarks/bench_facts.py --n 50 --keep /tmp/facts-graph   # also write the exports

The output quotes article sentences: keep it out of the repository (benchmarks/out/ is ignored).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import DEFAULT_DATA, sample_lines  # noqa: E402  (shared with bench_sources.py)

DEFAULT_OUT = REPO / "benchmarks" / "out" / "facts-review.md"
KINDS = ("event", "relation", "stance", "quote")
NG = "https://w3id.org/newsgraph/ontology#"
ROLES = ("agent", "participant", "target", "location")

# --- what the graph holds -----------------------------------------------------------------

HIERARCHY_QUERY = """
SELECT ?sub ?super WHERE {
  GRAPH ?g { { ?sub rdfs:subClassOf ?super } UNION { ?sub rdfs:subPropertyOf ?super } }
}
"""
TERM_LABELS_QUERY = "SELECT ?term ?label WHERE { GRAPH ?g { ?term rdfs:label ?label } }"
LABELS_QUERY = """
SELECT ?node ?type ?label WHERE { GRAPH ?g { ?node a ?type . OPTIONAL { ?node rdfs:label ?label } } }
"""
EVENT_ROLES_QUERY = """
SELECT ?event ?role ?party WHERE {
  GRAPH ?g { VALUES ?role { ng:agent ng:participant ng:target ng:location } ?event ?role ?party }
}
"""
EVENT_VALUES_QUERY = """
SELECT ?event ?date ?duration WHERE {
  GRAPH ?g { ?event a ?type . OPTIONAL { ?event ng:date ?date } OPTIONAL { ?event ng:duration ?duration } }
}
"""
ASSERTIONS_QUERY = """
SELECT ?fact ?s ?p ?o WHERE { ?fact a ng:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . }
"""
QUOTES_QUERY = """
SELECT ?fact ?type ?speaker ?text WHERE {
  VALUES ?type { ng:Quote ng:ReportedSpeech }
  ?fact a ?type ; ng:text ?text .
  OPTIONAL { ?fact ng:speaker ?speaker }
}
"""
SUPPORT_QUERY = """
SELECT ?fact ?articles ?outlets WHERE { GRAPH ?g { ?fact ng:articleCount ?articles ; ng:outletCount ?outlets } }
"""
# the evidence query of the README, for one ?fact, with the article's outlet and url
EVIDENCE_QUERY = """
SELECT ?evidence ?article ?anchor ?start ?end ?extractor ?confidence ?sentence ?sstart ?send
       ?title ?date ?outlet ?url
WHERE {
  ?evidence ng:attests ?fact ; ng:inArticle ?article ; ng:anchorText ?anchor .
  OPTIONAL { ?evidence ng:extractor ?extractor }
  OPTIONAL { ?evidence ng:confidence ?confidence }
  OPTIONAL { ?evidence ng:startChar ?start ; ng:endChar ?end }
  OPTIONAL { ?evidence ng:inSentence ?s . ?s ng:sentenceText ?sentence .
             OPTIONAL { ?s ng:startChar ?sstart ; ng:endChar ?send } }
  OPTIONAL { ?article dcterms:title ?title }
  OPTIONAL { ?article dcterms:date ?date }
  OPTIONAL { ?article ng:outlet ?outlet }
  OPTIONAL { ?article schema:url ?url }
}
"""


@dataclass
class Evidence:
    article: str  # the article's IRI
    article_id: str  # newsgraph's article id (the last segment of the IRI)
    title: str
    outlet: str
    date: str
    url: str
    sentence: str
    sentence_start: int | None
    sentence_end: int | None
    anchor: str
    start: int | None  # the anchor's offsets in the article text
    end: int | None
    extractor: str
    confidence: float | None


@dataclass
class Fact:
    kind: str  # one of KINDS
    iri: str
    category: str  # the event's class, the relation's or stance's property, Quote / ReportedSpeech
    words: str  # the fact in plain words
    fields: dict[str, Any]
    articles: int | None = None  # ng:articleCount (sources graph)
    outlets: int | None = None
    evidence: list[Evidence] = field(default_factory=list)  # filled for sampled facts only


def local_name(iri: Any) -> str:
    text = str(iri)
    return re.split(r"[#/]", text)[-1] if text else ""


def _query(ds: Any, query: str, **bindings: Any) -> list[Any]:
    from newsgraph.graph.query import run_query

    return list(run_query(ds, query, {k: str(v) for k, v in bindings.items()}))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _ancestors(ds: Any) -> dict[str, set[str]]:
    """Every class and property of the ontology graph -> itself and all its super classes/properties."""
    from newsgraph.graph import iris

    parents: dict[str, set[str]] = {}
    for row in _query(ds, HIERARCHY_QUERY, g=iris.ONTOLOGY_GRAPH):
        parents.setdefault(str(row.sub), set()).add(str(row.super))
    closed: dict[str, set[str]] = {}

    def up(term: str) -> set[str]:
        if term not in closed:
            closed[term] = {term}
            for p in parents.get(term, ()):
                closed[term] |= up(p)
        return closed[term]

    for term in list(parents):
        up(term)
    return closed


def collect_facts(ds: Any) -> dict[str, list[Fact]]:
    """Every event, relation, stance and quote of a built graph, by kind, each sorted by IRI."""
    from newsgraph.graph import iris

    ancestors = _ancestors(ds)

    def is_a(term: str, top: str) -> bool:
        return NG + top in ancestors.get(term, {term})

    term_label = {str(r.term): str(r.label) for r in _query(ds, TERM_LABELS_QUERY, g=iris.ONTOLOGY_GRAPH)}
    label: dict[str, str] = {}
    types: dict[str, set[str]] = {}
    for graph in (iris.ENTITIES_GRAPH, iris.EVENTS_GRAPH):
        for row in _query(ds, LABELS_QUERY, g=graph):
            node = str(row.node)
            types.setdefault(node, set()).add(str(row.type))
            if row.label is not None:
                label[node] = str(row.label)

    def most_specific(node: str) -> str:
        classes = types.get(node, set())
        keep = [c for c in classes if not any(o != c and c in ancestors.get(o, ()) for o in classes)]
        return ", ".join(sorted(local_name(c) for c in keep)) or "?"

    def name(node: Any) -> str:
        return label.get(str(node), local_name(node)) if node is not None else "(none)"

    def named(node: Any) -> str:  # "Donald Trump (Person)"
        return f"{name(node)} ({most_specific(str(node))})"

    support = {str(r.fact): (int(r.articles), int(r.outlets))
               for r in _query(ds, SUPPORT_QUERY, g=iris.SOURCES_GRAPH)}
    facts: dict[str, list[Fact]] = {k: [] for k in KINDS}

    # events
    roles: dict[str, dict[str, list[str]]] = {}
    for row in _query(ds, EVENT_ROLES_QUERY, g=iris.EVENTS_GRAPH):
        roles.setdefault(str(row.event), {}).setdefault(local_name(row.role), []).append(name(row.party))
    values: dict[str, tuple[str, str]] = {}
    for row in _query(ds, EVENT_VALUES_QUERY, g=iris.EVENTS_GRAPH):
        values[str(row.event)] = (_text(row.date), _text(row.duration))
    for event, classes in types.items():
        if not any(is_a(c, "Event") for c in classes):
            continue
        category = most_specific(event)
        date, duration = values.get(event, ("", ""))
        parts = {r: sorted(set(roles.get(event, {}).get(r, []))) for r in ROLES}
        words = f"{category} \u201c{name(event)}\u201d"
        words += "".join(f"; {r}: {', '.join(parts[r])}" for r in ROLES if parts[r])
        if date:
            words += f"; date: {date}"
        if duration:
            words += f"; duration: {duration}"
        fields = {"class": category, "label": name(event), **parts, "date": date, "duration": duration}
        facts["event"].append(Fact("event", event, category, words, fields))

    # relations and stances: the assertions, by where their property sits in the ontology
    for row in _query(ds, ASSERTIONS_QUERY):
        prop = str(row.p)
        kind = "stance" if is_a(prop, "stance") else "relation" if is_a(prop, "relatedTo") else None
        if kind is None:
            continue
        category = local_name(prop)
        said = term_label.get(prop, category)
        fields = {"subject": name(row.s), "subject_class": most_specific(str(row.s)), "property": category,
                  "object": name(row.o), "object_class": most_specific(str(row.o))}
        words = f"{named(row.s)} \u2014 {said} \u2014 {named(row.o)}"
        facts[kind].append(Fact(kind, str(row.fact), category, words, fields))

    # quotes
    for row in _query(ds, QUOTES_QUERY):
        category = local_name(row.type)
        speaker = name(row.speaker) if row.speaker is not None else "(no speaker)"
        fields = {"class": category, "speaker": speaker, "text": str(row.text)}
        kind_words = "says" if category == "Quote" else "is reported to say"
        facts["quote"].append(Fact("quote", str(row.fact), category,
                                   f"{speaker} {kind_words}: \u201c{row.text}\u201d", fields))

    for kind in KINDS:
        facts[kind].sort(key=lambda f: f.iri)
        for fact in facts[kind]:
            fact.articles, fact.outlets = support.get(fact.iri, (None, None))
    return facts


def evidence_of(ds: Any, fact: str) -> list[Evidence]:
    """The evidence nodes that attest a fact, with their article and sentence, in a fixed order."""
    def number(value: Any) -> int | None:
        return None if value is None else int(value)

    found = []
    for row in _query(ds, EVIDENCE_QUERY, fact=fact):
        found.append(Evidence(
            article=str(row.article), article_id=local_name(row.article), title=_text(row.title),
            outlet=_text(row.outlet), date=_text(row.date), url=_text(row.url), sentence=_text(row.sentence),
            sentence_start=number(row.sstart), sentence_end=number(row.send),
            anchor=str(row.anchor), start=number(row.start), end=number(row.end),
            extractor=_text(row.extractor), confidence=None if row.confidence is None else float(row.confidence),
        ))
    unique = {(e.article, e.start, e.end, e.anchor, e.extractor): e for e in found}  # OPTIONALs can repeat a row
    return sorted(unique.values(), key=lambda e: (e.article, e.start or 0, e.end or 0, e.anchor, e.extractor))


def sample_facts(ds: Any, facts: Mapping[str, Sequence[Fact]], per_kind: int, seed: int) -> dict[str, list[Fact]]:
    """`per_kind` facts of each kind (all when there are fewer), each with one of its evidence nodes.

    Each kind has its own RNG, seeded from `seed` and the kind's name, so a kind's sample does not
    change when another kind gains or loses facts. The sample keeps the input (IRI) order.
    """
    sample: dict[str, list[Fact]] = {}
    for kind in KINDS:
        rng = random.Random(f"{seed}:{kind}")
        pool = list(facts.get(kind, ()))
        picked = sorted(rng.sample(range(len(pool)), min(per_kind, len(pool))))
        sample[kind] = []
        for i in picked:
            fact = pool[i]
            found = evidence_of(ds, fact.iri)
            fact.evidence = [rng.choice(found)] if found else []
            if fact.articles is None:
                fact.articles = len({e.article for e in found})
            sample[kind].append(fact)
    return sample


def distribution(facts: Mapping[str, Sequence[Fact]]) -> dict[str, dict[str, Any]]:
    """Per kind: the number of facts and how many of each class or property, most frequent first."""
    out: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        pool = facts.get(kind, ())
        counts = Counter(f.category for f in pool)
        out[kind] = {"total": len(pool), "by": dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))}
    return out


def format_counts(counts: Mapping[str, Mapping[str, Any]]) -> str:
    """The counts as text: one line per kind, then one per class or property with its share."""
    lines = []
    for kind in KINDS:
        total = counts[kind]["total"]
        by_what = "class" if kind in ("event", "quote") else "property"
        lines.append(f"{kind}s: {total:,} (by {by_what})")
        for category, n in counts[kind]["by"].items():
            lines.append(f"    {category:32s} {n:6,}  {100 * n / total:5.1f}%")
    return "\n".join(lines)


# --- the review file ------------------------------------------------------------------------

def _cell(text: str, strip: bool = True) -> str:
    """Text safe inside a Markdown table cell."""
    text = re.sub(r"\s+", " ", text)
    text = text.strip() if strip else text
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("*", "\\*")


def _anchor_span(ev: Evidence) -> tuple[int, int] | None:
    """The anchor's offsets without the white space it may start or end with."""
    if ev.start is None or ev.end is None:
        return None
    start, end = ev.start, ev.end
    if end - start == len(ev.anchor):  # the offsets are the anchor's: trim them as the text
        start += len(ev.anchor) - len(ev.anchor.lstrip())
        end -= len(ev.anchor) - len(ev.anchor.rstrip())
    return start, max(start, end)


def anchor_place(ev: Evidence) -> str:
    """Where the evidence's anchor lies in its sentence, by offsets: inside, partly (it overlaps the
    sentence and runs past it, as long quotes do), outside (not in the sentence) or unknown."""
    span = _anchor_span(ev)
    if span is None or ev.sentence_start is None or ev.sentence_end is None or not ev.sentence:
        return "unknown"
    lo, hi = max(span[0], ev.sentence_start), min(span[1], ev.sentence_end)
    if span[0] >= ev.sentence_start and span[1] <= ev.sentence_end:
        return "inside"
    if lo < hi:
        return "partly"
    return "outside"


def _sentence_cell(ev: Evidence | None) -> str:
    """The sentence with the anchor in bold (by offsets), and a note when the anchor is not in it."""
    if ev is None:
        return "(no evidence)"
    if not ev.sentence:
        return f"(no sentence recorded; anchor: \u201c{_cell(ev.anchor)}\u201d)"
    place = anchor_place(ev)
    if place in ("inside", "partly"):
        s0, (start, end) = ev.sentence_start, _anchor_span(ev)
        lo, hi = max(start, s0) - s0, min(end, ev.sentence_end) - s0
        pre, mid, post = ev.sentence[:lo], ev.sentence[lo:hi], ev.sentence[hi:]
        lead, trail = mid[: len(mid) - len(mid.lstrip())], mid[len(mid.rstrip()):]
        text = (_cell(pre + lead, strip=False) + f"**{_cell(mid)}**" + _cell(trail + post, strip=False)).strip()
        if place == "partly":
            text += " (the anchor runs past this sentence)"
        return text
    sentence, anchor = _cell(ev.sentence), _cell(ev.anchor)
    if place == "unknown" and anchor and anchor in sentence:
        return sentence.replace(anchor, f"**{anchor}**", 1)
    where = f" at characters {ev.start}-{ev.end}" if ev.start is not None else ""
    return f"{sentence} (the anchor \u201c{anchor}\u201d{where} is not in this sentence)"


def _article_cell(ev: Evidence | None, fact: Fact) -> str:
    if ev is None:
        return ""
    url = ev.url.replace(" ", "%20").replace(")", "%29").replace("|", "%7C")
    parts = [f"[`{ev.article_id}`]({url})" if url else f"`{ev.article_id}`"]  # a link to the article
    if ev.title:
        parts.append(f"\u201c{_cell(ev.title)}\u201d")
    parts.append(", ".join(p for p in (_cell(ev.outlet), ev.date) if p) or "(no outlet or date)")
    if fact.articles and fact.articles > 1:
        parts.append(f"(one of {fact.articles} articles)")
    return "<br>".join(parts)


HEADINGS = {"event": "Events", "relation": "Relations", "stance": "Stances", "quote": "Quotes"}


def rows(sample: Mapping[str, Sequence[Fact]]) -> list[tuple[int, Fact]]:
    """The sampled facts numbered 1.. in the order of the file (kind by kind)."""
    numbered, n = [], 0
    for kind in KINDS:
        for fact in sample.get(kind, ()):
            n += 1
            numbered.append((n, fact))
    return numbered


def render_markdown(sample: Mapping[str, Sequence[Fact]], counts: Mapping[str, Mapping[str, Any]],
                    meta: Mapping[str, Any]) -> str:
    out = ["# Facts to review", ""]
    out += [f"- {k}: {v}" for k, v in meta.items()]
    out += ["", "Fill in the last column with y or n: is the fact, as written in the second column, "
            "stated by the sentence (the evidence's anchor is in bold)? Event parties and dates are those "
            "of the event after merging across articles; the sentence is one of its mentions.", ""]
    out += ["## Counts in the whole build", "", "```", format_counts(counts), "```", ""]
    numbered = rows(sample)
    for kind in KINDS:
        facts = [(n, f) for n, f in numbered if f.kind == kind]
        total = counts[kind]["total"]
        out += [f"## {HEADINGS[kind]} ({len(facts)} of {total:,})", ""]
        if not facts:
            out += ["(none in this build)", ""]
            continue
        out += ["| # | fact | sentence | article | correct? (y/n) |", "|---:|---|---|---|:---:|"]
        for n, fact in facts:
            ev = fact.evidence[0] if fact.evidence else None
            out.append(f"| {n} | {_cell(fact.words)} | {_sentence_cell(ev)} | {_article_cell(ev, fact)} |  |")
        out.append("")
    return "\n".join(out)


def render_json(sample: Mapping[str, Sequence[Fact]], counts: Mapping[str, Mapping[str, Any]],
                meta: Mapping[str, Any]) -> str:
    facts = []
    for n, fact in rows(sample):
        item = {"number": n, **asdict(fact), "correct": None}
        item["evidence"] = item["evidence"][0] if item["evidence"] else None
        if item["evidence"] is not None:
            item["evidence"]["anchor_place"] = anchor_place(fact.evidence[0])
        facts.append(item)
    return json.dumps({"meta": dict(meta), "counts": counts, "facts": facts}, ensure_ascii=False, indent=1)


def write_atomically(path: Path, text: str) -> None:
    """Write the whole file or nothing: a temporary file in the same folder, renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; the review file is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_review(sample: Mapping[str, Sequence[Fact]], counts: Mapping[str, Mapping[str, Any]],
                 meta: Mapping[str, Any], out: Path) -> tuple[Path, Path]:
    """Write the Markdown review file and its JSON twin (same name, .json); return both paths."""
    twin = out.with_suffix(".json")
    write_atomically(out, render_markdown(sample, counts, meta))
    write_atomically(twin, render_json(sample, counts, meta))
    return out, twin


# --- the run ---------------------------------------------------------------------------------

def build_graph(paths: Iterable[Path], keep: Path | None, jobs: int, log: Any = sys.stderr) -> Any:
    """`newsgraph.build` with progress lines on `log` (SHACL validation left out)."""
    import newsgraph

    started = time.perf_counter()
    state = {"total": 0, "done": 0, "step": 1}

    def on_read(n: int) -> None:
        state["total"], state["step"] = n, max(1, n // 10)
        print(f"  read {n} article(s) in {time.perf_counter() - started:.1f} s; loading the model, extracting ...",
              file=log, flush=True)

    def on_article(_: Any) -> None:
        state["done"] += 1
        done, total = state["done"], state["total"]
        if done % state["step"] == 0 or done == total:
            print(f"  extracted {done}/{total} ({time.perf_counter() - started:.0f} s)", file=log, flush=True)
        if done == total:
            print("  resolving entities and events, writing the graph ...", file=log, flush=True)

    def on_problem(problem: Any) -> None:
        print(f"  unreadable: {problem}", file=log, flush=True)

    return newsgraph.build([str(p) for p in paths], out_dir=keep, n_process=jobs, check_shapes=False,
                           on_articles_read=on_read, on_article=on_article, on_problem=on_problem)


def source_revision() -> str:
    """The git commit of the newsgraph package that ran (with "+ changes" when its tree is dirty)."""
    import subprocess

    import newsgraph

    folder = Path(newsgraph.__file__).parent
    try:
        head = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--", "."], capture_output=True,
                               text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"
    return f"commit {head}" + (" + changes" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0],
        epilog="\n".join(__doc__.split("\n")[2:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--n", type=int, default=200, help="articles to sample and build (default 200)")
    ap.add_argument("--seed", type=int, default=0,
                    help="seed of the article sample and of the fact sample (default 0)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help=f"AllSides JSON Lines .gz (default {DEFAULT_DATA})")
    ap.add_argument("--per-kind", type=int, default=50, help="facts to sample of each kind (default 50)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help=f"Markdown file to write; its .json twin goes next to it (default {DEFAULT_OUT})")
    ap.add_argument("--jobs", type=int, default=1, help="spaCy worker processes (default 1)")
    ap.add_argument("--keep", type=Path, default=None, metavar="DIR",
                    help="also write the build's exports (graph.trig, graph.html ...) to DIR")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"bench_facts: {args.data}: no such file. It is the AllSides 2018-2020 corpus "
              f"(../shared/data/allsides-news-2018-2020/articles.jsonl.gz next to the repository); "
              f"pass its path with --data PATH", file=sys.stderr)
        return 2
    if args.n < 1 or args.per_kind < 0:
        ap.error("--n must be at least 1 and --per-kind at least 0")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-facts-") as tmp:
        lines = sample_lines(args.data, args.n, args.seed)
        sample_file = Path(tmp) / f"allsides-{args.n}-seed{args.seed}.jsonl.gz"
        with gzip.open(sample_file, "wt", encoding="utf-8") as fh:
            fh.writelines(line if line.endswith("\n") else line + "\n" for line in lines)
        print(f"sampled {len(lines)} articles of {args.data} (seed {args.seed}); building ...", file=sys.stderr,
              flush=True)
        result = build_graph([sample_file], args.keep, args.jobs)
    built = time.perf_counter()
    stats = result.stats
    print(f"built in {built - started:.1f} s: {stats.articles} articles, {stats.entities:,} entities, "
          f"{stats.triples:,} statements; querying the facts ...", file=sys.stderr, flush=True)

    facts = collect_facts(result.dataset)
    counts = distribution(facts)
    sample = sample_facts(result.dataset, facts, args.per_kind, args.seed)
    import newsgraph

    meta = {
        "data": f"{args.data.name}, {len(lines)} articles sampled with seed {args.seed} "
                f"({result.stats.articles} built, {result.stats.problems} unreadable)",
        "facts": f"{args.per_kind} per kind at most, sampled with seed {args.seed}",
        "newsgraph": f"{newsgraph.__version__} from {Path(newsgraph.__file__).parent} ({source_revision()})",
        "made": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "python benchmarks/bench_facts.py " + " ".join(sys.argv[1:] if argv is None else argv),
    }
    md, twin = write_review(sample, counts, meta, args.out)
    print(f"queried and sampled in {time.perf_counter() - built:.1f} s", file=sys.stderr)
    print(f"{result.stats.articles} articles (seed {args.seed}), {result.stats.entities:,} entities")
    print(format_counts(counts))
    places = Counter(anchor_place(f.evidence[0]) for _, f in rows(sample) if f.evidence)
    print("sampled facts' anchors, against the sentence their evidence names: "
          + ", ".join(f"{k} {v}" for k, v in sorted(places.items())))
    print(f"review file: {md} ({len(rows(sample))} rows); JSON: {twin}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
