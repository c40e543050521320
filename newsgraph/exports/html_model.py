"""The viewer's model of a graph: the nodes, edges and evidence the HTML page draws.

The HTML viewer never reads article text: it reads the graph the build wrote
(an rdflib Dataset, or any Graph such as a CONSTRUCT result) through the
newsgraph vocabulary and reduces it to plain values.  Keeping this step apart
from the page lets it be tested without a browser and lets `--focus`,
`--query` and the node cap work on values instead of on HTML.

>>> from newsgraph.graph.build import new_dataset
>>> model = build_view_model(new_dataset())
>>> len(model.nodes), len(model.edges)
(0, 0)
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from newsgraph.errors import NewsgraphError
from newsgraph.graph import iris
from newsgraph.graph.build import SCHEMA_URL
from newsgraph.ontology import NG, ontology_graph

# The classes the page colours and shapes, most specific first: a Country is also
# an Actor and a Place, and it must be drawn as a country.
GROUPS: tuple[tuple[str, URIRef], ...] = (
    ("Country", NG.Country),
    ("Person", NG.Person),
    ("Organization", NG.Organization),
    ("Place", NG.Place),
    ("Asset", NG.Asset),
    ("Event", NG.Event),
    ("Quote", NG.Attribution),  # direct quotes and reported speech
)
OTHER_GROUP = "Other"
# The order of the legend (the order the issue and the ontology list them).
LEGEND_ORDER = ("Person", "Organization", "Country", "Place", "Asset", "Event", "Quote", OTHER_GROUP)
# Roots whose sub-classes are drawn even when they belong to no group (an abstract ng:Actor).
DRAWN_ROOTS = (NG.Actor, NG.Place, NG.Asset, NG.Event, NG.Attribution)
EVENT_ROLES = (NG.agent, NG.participant, NG.target, NG.location)
QUOTE_LINKS = (NG.speaker, NG.mentions)
# Evidence kept per fact for the panel (which pages through it); the count of all of it is kept too.
MAX_EVIDENCE_SHOWN = 5_000
QUOTE_LABEL_CHARS = 36
WIKIDATA_QID = re.compile(r"Q[1-9][0-9]*")


@dataclass(frozen=True)
class ArticleRef:
    """An article as the evidence panel shows it."""

    iri: str
    title: str
    date: str | None
    outlet: str | None
    url: str | None


@dataclass(frozen=True)
class EvidenceRef:
    """One piece of evidence: the sentence that supports a fact and where it comes from."""

    article: str
    sentence: str | None
    anchor: str | None
    confidence: float | None
    extractor: str | None


@dataclass(frozen=True)
class ClaimView:
    """One claim of a conflict: the words that state it and where."""

    side: int
    stated: str
    article: str
    sentence: str | None


@dataclass(frozen=True)
class ConflictView:
    """A disagreement between sources about a node: its label and its claims, side by side."""

    label: str
    claims: tuple[ClaimView, ...]


@dataclass
class FactEvidence:
    """All that supports one fact: the distinct articles and the evidence shown for it."""

    sources: frozenset[str] = frozenset()
    total: int = 0
    shown: tuple[EvidenceRef, ...] = ()


@dataclass
class ViewNode:
    """An entity, event or quote as a node of the page."""

    id: str
    label: str
    group: str
    class_iri: str
    class_label: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    speakers: tuple[tuple[str, str], ...] = ()  # (IRI, label) of who said a quote
    details: dict[str, str] = field(default_factory=dict)
    evidence: FactEvidence = field(default_factory=FactEvidence)
    conflicts: tuple[str, ...] = ()  # labels of the ng:Conflicts about this entity or event
    conflict_sides: tuple[ConflictView, ...] = ()  # the same conflicts, each side with its claims
    outlets: int | None = None  # ng:outletCount of the node, when the build counted it


@dataclass
class ViewEdge:
    """A relation, stance, event role or quote link as an edge of the page.

    `fact` names the node or assertion whose evidence supports the edge: an
    assertion for relations and stances, the event or quote for its roles.
    """

    id: str
    source: str
    target: str
    prop: str
    label: str
    kind: str
    fact: str
    evidence: FactEvidence = field(default_factory=FactEvidence)
    outlets: int | None = None  # ng:outletCount of the fact, when the build counted it


@dataclass
class ViewModel:
    """What the page draws, plus what was left out of it and why."""

    nodes: dict[str, ViewNode]
    edges: list[ViewEdge]
    articles: dict[str, ArticleRef]
    total_nodes: int = 0
    total_edges: int = 0
    notes: list[str] = field(default_factory=list)

    def degree(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for edge in self.edges:
            counts[edge.source] += 1
            counts[edge.target] += 1
        return counts


# ------------------------------------------------------------------ reading the graph


def union_view(graph: Graph) -> Graph:
    """A graph whose triples are those of every named graph, without copying them.

    A Dataset built by newsgraph keeps facts in per-article graphs and entities in
    their own graph; `triples()` on it would only see the (empty) default graph.
    """
    if isinstance(graph, Dataset) and not graph.default_union:
        return Dataset(store=graph.store, default_union=True)
    return graph


class Vocabulary:
    """Class groups, class and property labels, and property kinds, from the ontology.

    The ontology shipped with the package is the base; hierarchy statements in the
    data (an export carries the ontology graph) are added so extensions are honoured.
    """

    def __init__(self, data: Graph) -> None:
        self.schema = Graph()
        for triple in ontology_graph():
            self.schema.add(triple)
        for pred in (RDFS.subClassOf, RDFS.subPropertyOf):
            for s, o in data.subject_objects(pred):
                self.schema.add((s, pred, o))
        self._groups: dict[Node, str | None] = {}

    def label(self, term: Node) -> str:
        labels = sorted(
            (lit.language not in (None, "en"), str(lit))
            for lit in self.schema.objects(term, RDFS.label)
            if isinstance(lit, Literal)
        )
        return labels[0][1] if labels else local_name(term)

    def ancestors(self, cls: Node) -> set[Node]:
        return {c for c in self.schema.transitive_objects(cls, RDFS.subClassOf) if c is not None}

    def subclasses(self, root: URIRef) -> set[Node]:
        return {c for c in self.schema.transitive_subjects(RDFS.subClassOf, root) if c is not None}

    def subproperties(self, root: URIRef) -> set[Node]:
        return {p for p in self.schema.transitive_subjects(RDFS.subPropertyOf, root) if p is not None}

    def group(self, cls: Node) -> str | None:
        """The drawing group of a class, OTHER_GROUP for a drawn class outside them, else None."""
        if cls not in self._groups:
            up = self.ancestors(cls)
            found = next((name for name, root in GROUPS if root in up), None)
            if found is None and any(root in up for root in DRAWN_ROOTS):
                found = OTHER_GROUP
            self._groups[cls] = found
        return self._groups[cls]

    def depth(self, cls: Node) -> int:
        return len(self.ancestors(cls))

    def drawn_classes(self) -> set[Node]:
        classes: set[Node] = set()
        for root in DRAWN_ROOTS:
            classes |= self.subclasses(root)
        return classes

    def edge_properties(self) -> dict[Node, str]:
        """Every property drawn as an edge, with its kind."""
        kinds: dict[Node, str] = {}
        for prop in self.subproperties(NG.relatedTo):
            kinds[prop] = "relation"
        for prop in self.subproperties(NG.stance):
            kinds[prop] = "stance"
        for prop in EVENT_ROLES:
            kinds[prop] = "role"
        for prop in QUOTE_LINKS:
            kinds[prop] = "quote"
        return kinds


def local_name(term: Node) -> str:
    text = str(term)
    for sep in ("#", "/"):
        if sep in text.rstrip(sep):
            text = text.rstrip(sep).rsplit(sep, 1)[-1]
    return text


class Index:
    """The values of a predicate for every subject, read in one scan of that predicate.

    One `g.value()` per node and per piece of evidence costs a store lookup each
    (half a million of them for 10,000 nodes, 12 s); a scan per predicate costs
    a fraction of that.
    """

    def __init__(self, g: Graph) -> None:
        self.g = g
        self._tables: dict[URIRef, dict[Node, list[Node]]] = {}

    def table(self, pred: URIRef) -> dict[Node, list[Node]]:
        if pred not in self._tables:
            table: dict[Node, list[Node]] = defaultdict(list)
            for s, o in self.g.subject_objects(pred):
                table[s].append(o)
            self._tables[pred] = table
        return self._tables[pred]

    def values(self, subject: Node, pred: URIRef) -> list[Node]:
        return self.table(pred).get(subject, [])

    def one(self, subject: Node, pred: URIRef) -> Node | None:
        """The value, the smallest one (as text) when there are several: deterministic."""
        found = self.values(subject, pred)
        if len(found) > 1:
            return min(found, key=str)
        return found[0] if found else None

    def text(self, subject: Node, pred: URIRef) -> str | None:
        """The literal value, English or untagged preferred, chosen deterministically."""
        found = sorted(
            (lit.language not in (None, "en"), str(lit))
            for lit in self.values(subject, pred)
            if isinstance(lit, Literal)
        )
        return found[0][1] if found else None


def as_float(value: Node | None) -> float | None:
    if not isinstance(value, Literal):
        return None
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def wikidata_id(ix: Index, subject: Node) -> str | None:
    """The Q-id of the entity's owl:sameAs link to Wikidata, if it has one."""
    for other in sorted(ix.values(subject, OWL.sameAs), key=str):
        text = str(other)
        qid = text[len(iris.WIKIDATA):]
        if text.startswith(iris.WIKIDATA) and WIKIDATA_QID.fullmatch(qid):
            return qid
    return None


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def node_label(ix: Index, vocab: Vocabulary, subject: Node, cls: Node, group: str) -> str:
    """rdfs:label; a quote by its words; an event by its class and date; else its IRI's end."""
    label = ix.text(subject, RDFS.label)
    if label:
        return label
    if group == "Quote":
        words = ix.text(subject, NG.text)
        if words:
            return "\u201c" + shorten(words, QUOTE_LABEL_CHARS) + "\u201d"
    if group == "Event":
        date = ix.text(subject, NG.date)
        return vocab.label(cls) + (f" ({date})" if date else "")
    return local_name(subject)


def node_details(ix: Index, subject: Node, group: str) -> dict[str, str]:
    details: dict[str, str] = {}
    if group == "Event":
        for key, pred in (("date", NG.date), ("duration", NG.duration)):
            value = ix.text(subject, pred)
            if value:
                details[key] = value
    if group == "Quote":
        words = ix.text(subject, NG.text)
        if words:
            details["text"] = words
        indirect = ix.one(subject, NG.indirect)
        if isinstance(indirect, Literal):
            details["indirect"] = "yes" if indirect.toPython() is True else "no"
    return details


def read_nodes(ix: Index, vocab: Vocabulary) -> dict[str, ViewNode]:
    """Every typed entity, event and quote, each under its most specific class."""
    best: dict[Node, tuple[int, str, Node]] = {}
    for cls in vocab.drawn_classes():
        if vocab.group(cls) is None:
            continue
        rank = (vocab.depth(cls), str(cls))
        for subject in ix.g.subjects(RDF.type, cls):
            if isinstance(subject, URIRef) and (subject not in best or rank > best[subject][:2]):
                best[subject] = (*rank, cls)
    nodes: dict[str, ViewNode] = {}
    for subject in sorted(best, key=str):
        cls = best[subject][2]
        group = vocab.group(cls) or OTHER_GROUP
        label = node_label(ix, vocab, subject, cls, group)
        aliases = sorted({str(a) for a in ix.values(subject, SKOS.altLabel) if isinstance(a, Literal)})
        nodes[str(subject)] = ViewNode(
            id=str(subject),
            label=label,
            group=group,
            class_iri=str(cls),
            class_label=vocab.label(cls),
            aliases=tuple(a for a in aliases if a != label),
            wikidata=wikidata_id(ix, subject),
            details=node_details(ix, subject, group),
        )
    for node in nodes.values():
        if node.group == "Quote":
            node.speakers = speakers_of(ix, URIRef(node.id), nodes)
    return nodes


def speakers_of(ix: Index, quote: URIRef, nodes: dict[str, ViewNode]) -> tuple[tuple[str, str], ...]:
    """(IRI, label) of who said the quote, even when the speaker is not drawn."""
    found = []
    for speaker in sorted(ix.values(quote, NG.speaker), key=str):
        known = nodes.get(str(speaker))
        label = known.label if known else ix.text(speaker, RDFS.label) or local_name(speaker)
        found.append((str(speaker), label))
    return tuple(found)


def read_assertions(ix: Index) -> dict[tuple[str, str, str], str]:
    """(subject, predicate, object) -> the IRI of the ng:Assertion that reifies it."""
    found: dict[tuple[str, str, str], str] = {}
    for assertion in sorted(ix.g.subjects(RDF.type, NG.Assertion), key=str):
        s, p, o = (ix.one(assertion, pred) for pred in (RDF.subject, RDF.predicate, RDF.object))
        if s is not None and p is not None and o is not None:
            found.setdefault((str(s), str(p), str(o)), str(assertion))
    return found


def read_edges(ix: Index, vocab: Vocabulary, nodes: dict[str, ViewNode]) -> list[ViewEdge]:
    """Relations and stances (with their assertions), event roles and quote links between nodes."""
    assertions = read_assertions(ix)
    edges: dict[tuple[str, str, str], ViewEdge] = {}
    for prop, kind in vocab.edge_properties().items():
        label = vocab.label(prop)
        for s, o in ix.g.subject_objects(prop):
            key = (str(s), str(prop), str(o))
            if key[0] not in nodes or key[2] not in nodes or key in edges:
                continue
            edge_id = assertions.get(key) or str(iris.assertion_iri(*key))
            # A role or quote link is supported by the evidence of its event or quote.
            fact = key[0] if kind in ("role", "quote") and key not in assertions else edge_id
            edges[key] = ViewEdge(edge_id, key[0], key[2], key[1], label, kind, fact)
    return [edges[k] for k in sorted(edges)]


def untitled(identifier: str | None, node: URIRef) -> str:
    """A name for an article without a title: its file's name (not the whole path), or its URL.

    >>> untitled("/data/corpus/001_03bbd969.txt", URIRef("https://x/article/1"))
    '001_03bbd969.txt'
    """
    if not identifier:
        return local_name(node)
    if re.match(r"^[a-z][a-z0-9+.-]*://", identifier, re.IGNORECASE):
        return identifier
    return re.split(r"[\\/]", identifier.rstrip("/\\"))[-1] or identifier


def read_articles(ix: Index, keys: Iterable[str]) -> dict[str, ArticleRef]:
    articles: dict[str, ArticleRef] = {}
    for key in sorted(set(keys)):
        node = URIRef(key)
        articles[key] = ArticleRef(
            iri=key,
            title=ix.text(node, DCTERMS.title) or untitled(ix.text(node, DCTERMS.identifier), node),
            date=ix.text(node, DCTERMS.date),
            outlet=ix.text(node, NG.outlet),
            url=ix.text(node, SCHEMA_URL),
        )
    return articles


def read_evidence(ix: Index, facts: set[str]) -> dict[str, FactEvidence]:
    """Evidence of each fact: all its articles, and the most confident pieces in full."""
    found: dict[str, list[tuple[float, str, Node]]] = defaultdict(list)
    for ev, target in ix.g.subject_objects(NG.attests):
        key = str(target)
        if key not in facts:
            continue
        article = ix.one(ev, NG.inArticle)
        confidence = as_float(ix.one(ev, NG.confidence))
        found[key].append((-(confidence or 0.0), str(article) if article is not None else "", ev))
    result: dict[str, FactEvidence] = {}
    for key, items in found.items():
        items.sort(key=lambda item: (item[0], item[1], str(item[2])))
        shown = tuple(evidence_ref(ix, ev, article) for _, article, ev in items[:MAX_EVIDENCE_SHOWN])
        sources = frozenset(article for _, article, _ in items if article)
        result[key] = FactEvidence(sources=sources, total=len(items), shown=shown)
    return result


def evidence_ref(ix: Index, ev: Node, article: str) -> EvidenceRef:
    sentence = ix.one(ev, NG.inSentence)
    text = ix.text(sentence, NG.sentenceText) if sentence is not None else None
    return EvidenceRef(
        article=article,
        sentence=text,
        anchor=ix.text(ev, NG.anchorText),
        confidence=as_float(ix.one(ev, NG.confidence)),
        extractor=ix.text(ev, NG.extractor),
    )


def read_conflicts(ix: Index) -> dict[str, list[ConflictView]]:
    """Subject IRI -> the conflicts between sources about it, each claim with its side and sentence."""
    found: dict[str, list[ConflictView]] = {}
    attesting: dict[Node, list[Node]] = defaultdict(list)
    conflicts = sorted(ix.g.subjects(RDF.type, NG.Conflict), key=str)
    if conflicts:
        for ev, target in ix.g.subject_objects(NG.attests):
            attesting[target].append(ev)
    for conflict in conflicts:
        label = ix.text(conflict, RDFS.label) or local_name(conflict)
        claims = []
        for claim in sorted(ix.values(conflict, NG.conflictingClaim), key=str):
            side = ix.one(claim, NG.conflictSide)
            stated = ix.text(claim, NG.statedAs) or ix.text(claim, NG.value) or ""
            for ev in sorted(attesting.get(claim, ()), key=str)[:1]:
                article = ix.one(ev, NG.inArticle)
                sentence = ix.one(ev, NG.inSentence)
                claims.append(ClaimView(
                    side=int(side) if isinstance(side, Literal) else 0, stated=stated,
                    article=str(article) if article is not None else "",
                    sentence=ix.text(sentence, NG.sentenceText) if sentence is not None else None))
        view = ConflictView(label, tuple(sorted(claims, key=lambda c: (c.side, c.article, c.stated))))
        for subject in ix.values(conflict, NG.claimSubject):
            found.setdefault(str(subject), []).append(view)
    return found


def outlet_count(ix: Index, fact: str) -> int | None:
    value = ix.one(URIRef(fact), NG.outletCount)
    return int(value) if isinstance(value, Literal) else None


def build_view_model(graph: Graph) -> ViewModel:
    """The whole drawable graph of a Dataset (all named graphs) or a Graph."""
    ix = Index(union_view(graph))
    vocab = Vocabulary(ix.g)
    nodes = read_nodes(ix, vocab)
    edges = read_edges(ix, vocab, nodes)
    evidence = read_evidence(ix, set(nodes) | {e.fact for e in edges})
    conflicts = read_conflicts(ix)
    for node in nodes.values():
        node.evidence = evidence.get(node.id, FactEvidence())
        node.conflict_sides = tuple(conflicts.get(node.id, ()))
        node.conflicts = tuple(c.label for c in node.conflict_sides)
        node.outlets = outlet_count(ix, node.id)
    for edge in edges:
        edge.evidence = evidence.get(edge.fact, FactEvidence())
        edge.outlets = outlet_count(ix, edge.fact)
    article_keys = {a for fe in evidence.values() for a in fe.sources}
    article_keys |= {c.article for n in nodes.values() for v in n.conflict_sides for c in v.claims if c.article}
    model = ViewModel(nodes, edges, read_articles(ix, article_keys))
    model.total_nodes, model.total_edges = len(nodes), len(edges)
    return model


# ------------------------------------------------------------------ choosing a part


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, for matching what people type."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def match_rank(wanted: str, names: Iterable[str]) -> int | None:
    """0 exact, 1 prefix, 2 start of a word, 3 anywhere: the page's search ranks the same way."""
    ranks = []
    for name in map(fold, names):
        if name == wanted:
            ranks.append(0)
        elif name.startswith(wanted):
            ranks.append(1)
        elif " " + wanted in name:
            ranks.append(2)
        elif wanted in name:
            ranks.append(3)
    return min(ranks) if ranks else None


def find_node(model: ViewModel, name: str) -> ViewNode:
    """The node named by an IRI, a label or an alias (or the start of one); the most attested wins.

    >>> from newsgraph.graph.build import new_dataset
    >>> find_node(build_view_model(new_dataset()), "Putin")
    Traceback (most recent call last):
    ...
    newsgraph.errors.NewsgraphError: no entity, event or quote called 'Putin' in this graph; \
give a label, an alias or an IRI (newsgraph query entities GRAPH lists them)
    """
    if name in model.nodes:
        return model.nodes[name]
    wanted = fold(name)
    ranked = []
    for node in model.nodes.values():
        rank = match_rank(wanted, (node.label, *node.aliases)) if wanted else None
        if rank is not None:
            ranked.append((rank, -len(node.evidence.sources), -node.evidence.total, node.label, node.id))
    if ranked:
        return model.nodes[min(ranked)[-1]]
    raise NewsgraphError(
        f"no entity, event or quote called {name!r} in this graph; "
        "give a label, an alias or an IRI (newsgraph query entities GRAPH lists them)"
    )


def neighbourhood(model: ViewModel, start: str, depth: int) -> set[str]:
    """Nodes within `depth` edges of `start`, whatever the edges' direction."""
    adjacent: dict[str, set[str]] = defaultdict(set)
    for edge in model.edges:
        adjacent[edge.source].add(edge.target)
        adjacent[edge.target].add(edge.source)
    seen = {start}
    queue = deque([(start, 0)])
    while queue:
        node, dist = queue.popleft()
        if dist >= depth:
            continue
        for other in sorted(adjacent[node] - seen):
            seen.add(other)
            queue.append((other, dist + 1))
    return seen


def restrict(model: ViewModel, keep: set[str], edges: list[ViewEdge] | None = None) -> ViewModel:
    """The model with only the `keep` nodes and the edges between them."""
    kept_edges = [e for e in (model.edges if edges is None else edges) if e.source in keep and e.target in keep]
    return replace(
        model,
        nodes={k: v for k, v in model.nodes.items() if k in keep},
        edges=kept_edges,
        notes=list(model.notes),
    )


def focus_on(model: ViewModel, name: str, depth: int) -> ViewModel:
    """The part of the graph within `depth` edges of the node called `name`."""
    node = find_node(model, name)
    part = restrict(model, neighbourhood(model, node.id, depth))
    part.notes.append(
        f"Showing {node.label} and what lies within {depth} edge{'s' if depth != 1 else ''} of it: "
        f"{len(part.nodes):,} of {model.total_nodes:,} nodes."
    )
    return part


def select_constructed(model: ViewModel, constructed: Graph) -> ViewModel:
    """The part of the graph a CONSTRUCT query returned: its nodes, and its triples as edges.

    Nodes and edges keep the labels and evidence of the full graph.  A constructed
    triple between two drawn nodes that the graph does not state (a derived link)
    is drawn too, labelled by its property, without evidence.
    """
    keep = {str(t) for triple in constructed for t in (triple[0], triple[2]) if str(t) in model.nodes}
    if not keep:
        raise NewsgraphError(
            "the query's result names none of the graph's entities, events or quotes; "
            "a CONSTRUCT whose triples have entity IRIs as subject or object draws them"
        )
    stated = {(e.source, e.prop, e.target): e for e in model.edges}
    vocab = Vocabulary(constructed)
    edges: list[ViewEdge] = []
    for s, p, o in sorted(constructed):
        key = (str(s), str(p), str(o))
        if key in stated:
            edges.append(stated[key])
        elif key[0] in keep and key[2] in keep and p != RDF.type:
            edge_id = str(iris.assertion_iri(*key))
            edges.append(ViewEdge(edge_id, key[0], key[2], key[1], vocab.label(p), "derived", edge_id))
    part = restrict(model, keep, edges)
    part.notes.append(f"Showing the result of a query: {len(part.nodes):,} of {model.total_nodes:,} nodes.")
    return part


def centrality(model: ViewModel) -> dict[str, tuple[int, int, int]]:
    """How central each node is: articles that attest it, then degree, then evidence."""
    degree = model.degree()
    return {k: (len(n.evidence.sources), degree[k], n.evidence.total) for k, n in model.nodes.items()}


def cap(model: ViewModel, max_nodes: int) -> ViewModel:
    """At most `max_nodes` nodes, the most central ones, with a note on what was left out."""
    if len(model.nodes) <= max_nodes:
        return model
    score = centrality(model)
    ranked = sorted(model.nodes, key=lambda k: (tuple(-v for v in score[k]), k))
    keep = set(ranked[:max_nodes])
    part = restrict(model, keep)
    dropped = Counter(model.nodes[k].group for k in ranked[max_nodes:])
    by_group = ", ".join(f"{n:,} {g}" for g, n in sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0])))
    part.notes.append(
        f"Showing the {max_nodes:,} most central of {len(model.nodes):,} nodes (ranked by the number "
        f"of articles that attest them, then by degree). Left out: {by_group} nodes and "
        f"{len(model.edges) - len(part.edges):,} edges. Draw a part with "
        "newsgraph view GRAPH --focus ENTITY or --query FILE.rq."
    )
    return part


def iter_sources(model: ViewModel) -> Iterator[str]:
    for node in model.nodes.values():
        yield from node.evidence.sources
    for edge in model.edges:
        yield from edge.evidence.sources
