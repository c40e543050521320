"""The sources graph: how many articles and outlets support each fact, and where they conflict.

Computed from the extractions of all articles once entities and events are resolved, and
written to its own named graph (`iris.SOURCES_GRAPH`), so that a store can recompute it after
adding or removing articles without touching the articles' own graphs.

* **Corroboration.** Every relation and stance (`ng:Assertion`), event, quote and claim gets
  `ng:articleCount`, `ng:outletCount` and, when the articles are dated, `ng:firstSeen` /
  `ng:lastSeen`.  A quote is supported by every article that quotes the same speaker with the
  same words (folded for case, punctuation and spacing); a claim by every article with an
  agreeing claim about the same thing.
* **Conflicts.** `newsgraph.resolve.claims.find_conflicts` decides; here each conflict becomes
  an `ng:Conflict` node linking its claims, each claim marked with its side.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from newsgraph.extract.values import Claim, Extraction
from newsgraph.graph import iris
from newsgraph.graph.names import ENTITY, EVENT, Names
from newsgraph.graph.shared import SharedStatements
from newsgraph.ontology import NG
from newsgraph.resolve import Resolution
from newsgraph.resolve.claims import (
    TIMELY,
    ClaimRef,
    Conflict,
    agree,
    anchor_date,
    claim_refs,
    find_conflicts,
    group_claims,
    kinds_of,
    outlet_of,
    signature,
)
from newsgraph.resolve.events import EventResolution


@dataclass
class Support:
    """The articles behind one node, with their outlets and dates."""

    articles: set[str] = field(default_factory=set)
    outlets: set[str] = field(default_factory=set)
    dates: set[dt.date] = field(default_factory=set)

    def add(self, article_id: str, outlet: str, date: dt.date | None) -> None:
        self.articles.add(article_id)
        self.outlets.add(outlet)
        if date is not None:
            self.dates.add(date)

    def update(self, other: Support) -> None:
        self.articles |= other.articles
        self.outlets |= other.outlets
        self.dates |= other.dates


def _folded(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


QuoteKey = tuple[URIRef, str]  # (speaker, folded words): quotes of one key support each other


def backed(ex: Extraction, entity: Callable[[str], URIRef],
           event: Callable[[str], URIRef]) -> tuple[list[URIRef], list[tuple[QuoteKey, URIRef]]]:
    """What one article backs: the fact nodes of its relations, stances and events, and its
    quotes with their keys; `entity` and `event` give the IRI a local key points to.

    A function of the article and those IRIs only, so an article whose IRIs did not change
    backs the same nodes as before: what lets a store recount only what a commit touches
    (`touched_by`)."""
    aid = ex.article.id
    facts = []
    for r in ex.relations:
        s, o = entity(r.subject), entity(r.object)
        if s != o:
            facts.append(iris.assertion_iri(str(s), str(NG[r.predicate]), str(o)))
    facts.extend(event(e.key) for e in ex.events)
    for st in ex.stances:
        actor, node = entity(st.actor), event(st.event)
        if actor != node:
            facts.append(iris.assertion_iri(str(actor), str(NG[st.stance]), str(node)))
    quotes = [((entity(q.speaker), _folded(q.text)), iris.quote_iri(aid, q.start, q.end)) for q in ex.quotes]
    return facts, quotes


@dataclass
class Touched:
    """The support nodes whose counts a store commit may change: those backed, before or after
    it, by the articles it adds, removes or repoints (`backed`).  Every other count stays as
    written; `describe_sources` only marks it kept."""

    facts: set[URIRef] = field(default_factory=set)
    quote_keys: set[QuoteKey] = field(default_factory=set)


def touched_by(articles: Iterable[tuple[Extraction, Mapping[tuple[str, str], str]]]) -> Touched:
    """What `articles` back, each under the IRIs its pointers give (a `names.Pointers` entry);
    KeyError when a local key has no pointer."""
    touched = Touched()
    for ex, pointers in articles:
        facts, quotes = backed(ex, lambda local, p=pointers: URIRef(p[(ENTITY, local)]),
                               lambda key, p=pointers: URIRef(p[(EVENT, key)]))
        touched.facts.update(facts)
        touched.quote_keys.update(key for key, _ in quotes)
    return touched


class SourceCounter:
    """Collects the support of every node, article by article."""

    def __init__(self, resolution: Resolution, events: EventResolution, names: Names) -> None:
        self.entity_node, self.event_node = names.entity, names.event
        self.resolution, self.events = resolution, events
        self.support: dict[URIRef, Support] = defaultdict(Support)
        self.quotes: dict[QuoteKey, list[URIRef]] = defaultdict(list)
        self.quote_words: dict[QuoteKey, Support] = defaultdict(Support)

    def add_article(self, ex: Extraction) -> None:
        aid, outlet, date = ex.article.id, outlet_of(ex), anchor_date(ex)
        facts, quotes = backed(ex, lambda local: self.entity_node(self.resolution.entity_for(aid, local)),
                               lambda key: self.event_node(self.events.event_for(aid, key)))
        for node in facts:
            self.support[node].add(aid, outlet, date)
        for key, node in quotes:
            self.quotes[key].append(node)
            self.quote_words[key].add(aid, outlet, date)

    def quote_support(self) -> dict[URIRef, tuple[QuoteKey, Support]]:
        """Each quote node gets the support of every quote of the same words by the same speaker."""
        out = {}
        for key, nodes in self.quotes.items():
            for node in nodes:
                out[node] = (key, self.quote_words[key])
        return out


def claim_support(refs: Sequence[ClaimRef]) -> dict[tuple[str, object], Support]:
    """A claim is supported by every article with an agreeing claim about the same thing
    (the claims of one kind share one `Support`; see `kinds_support`)."""
    return {(ref.article_id, ref.claim): support
            for group in group_claims(refs).values()
            for _, members, support in kinds_support(group)
            for ref in members}


def kinds_support(group: Sequence[ClaimRef]) -> list[tuple[object, list[ClaimRef], Support]]:
    """Per kind of a claim group (`kinds_of`: claims that agree alike): its key, its claims, and
    the articles of every claim that agrees with it.  Compared kind by kind, not claim by claim."""
    kinds = kinds_of(group)
    own = {key: _support_of(members) for key, members in kinds.items()}
    out = []
    for key, members in kinds.items():
        support = Support()
        for other, others in kinds.items():
            if other == key or agree(members[0], others[0]):
                support.update(own[other])
        out.append((key, members, support))
    return out


def _support_of(refs: Sequence[ClaimRef]) -> Support:
    support = Support()
    for ref in refs:
        support.add(ref.article_id, ref.outlet, ref.date)
    return support


_INTEGER, _DATE = XSD.integer, XSD.date  # looked up once: rdflib's namespaces resolve each access (~1 µs)


def write_support(out: SharedStatements, node: URIRef, support: Support) -> None:
    g = iris.SOURCES_GRAPH
    out.literal(g, node, NG.articleCount, len(support.articles), _INTEGER)
    out.literal(g, node, NG.outletCount, len(support.outlets), _INTEGER)
    if support.dates:
        out.literal(g, node, NG.firstSeen, min(support.dates).isoformat(), _DATE)
        out.literal(g, node, NG.lastSeen, max(support.dates).isoformat(), _DATE)


def decimal_literal(value: float | str) -> Literal:
    """An xsd:decimal written plainly ("2018", "103.5"), never in exponent form."""
    return Literal(format(Decimal(str(value)).normalize(), "f"), datatype=XSD.decimal)


def claim_value_literal(claim: Claim) -> Literal:
    """Typed by unit: xsd:duration for durations, xsd:gYear for years, xsd:decimal for numbers."""
    if claim.unit == "minute":
        return Literal(claim.value, datatype=XSD.duration)
    if claim.unit == "year":
        return Literal(claim.value, datatype=XSD.gYear)
    if claim.unit in ("item", "percent"):
        return decimal_literal(claim.value)
    return Literal(claim.value)


def claim_node(article_id: str, claim: Claim) -> URIRef:
    """The IRI of a claim (in its article's graph)."""
    return iris.claim_iri(article_id, claim.start, claim.end, claim.about, claim.subject, claim.attribute,
                          claim.qualifier or "")


def describe_sources(out: SharedStatements, extractions: Sequence[Extraction], resolution: Resolution,
                     events: EventResolution, names: Names, touched: Touched | None = None) -> None:
    """Corroboration of every fact and the conflicts between claims, in the sources graph.

    With `touched` (a store commit), the counts of support nodes it does not list are marked
    kept (`SharedStatements.keep`) instead of written: they are what the store holds already."""
    g = iris.SOURCES_GRAPH
    counter = SourceCounter(resolution, events, names)
    for ex in sorted(extractions, key=lambda e: e.article.id):
        counter.add_article(ex)
    quote_support = counter.quote_support()
    for node in sorted(counter.support):
        if touched is None or node in touched.facts:
            write_support(out, node, counter.support[node])
        else:
            out.keep(g, node)
    for node in sorted(quote_support):
        key, support = quote_support[node]
        if touched is None or key in touched.quote_keys:
            write_support(out, node, support)
        else:
            out.keep(g, node)
    refs = claim_refs(extractions, resolution, events)
    nodes = SubjectNodes(resolution, events, names)
    for group in group_claims(refs).values():
        for key, members, support in kinds_support(group):
            value = write_claimed_value(out, members, own_kind=key != signature(members[0]), nodes=nodes)
            write_support(out, value, support)
    for conflict in find_conflicts(refs):
        write_conflict(out, conflict, nodes)


def write_claimed_value(out: SharedStatements, members: Sequence[ClaimRef], *, own_kind: bool,
                        nodes: SubjectNodes) -> URIRef:
    """The ng:ClaimedValue of claims that state one value alike (`members`), and each claim's link
    to it.  Its IRI is made of what the claims share (`signature`, with IRIs for resolved keys),
    so it stays put while articles come and go; only its counts change.  A claim that agrees with
    nothing, not even itself (`own_kind`), gets a value of its own."""
    g = iris.SOURCES_GRAPH
    first = members[0]
    claim = first.claim
    subject = nodes.of(claim.about, first.subject)
    qualifier = nodes.entities[first.qualifier] if first.qualifier else None
    value_entity = nodes.entities[first.value_entity] if first.value_entity else None
    timely = first.date.isoformat() if first.date and claim.attribute.startswith(TIMELY) else ""
    node = iris.claimed_value_iri(subject, claim.attribute, qualifier or "", "" if value_entity else claim.value,
                                  claim.low, claim.high, claim.unit, value_entity or "", timely,
                                  claim_node(first.article_id, claim) if own_kind else "")
    out.add(g, node, RDF.type, NG.ClaimedValue)
    out.add(g, node, NG.claimSubject, subject)
    out.literal(g, node, NG.attribute, claim.attribute)
    stated = min(members, key=lambda ref: (ref.claim.value, ref.article_id, ref.claim.start)).claim
    out.add(g, node, NG.value, claim_value_literal(stated))  # one holder, however the articles name them
    if qualifier is not None:
        out.add(g, node, NG.qualifier, qualifier)
    if value_entity is not None:
        out.add(g, node, NG.valueEntity, value_entity)
    for ref in members:
        out.add(g, claim_node(ref.article_id, ref.claim), NG.claimedValue, node)
    return node


class SubjectNodes:
    """IRIs of resolved entities and events by resolved key."""

    def __init__(self, resolution: Resolution, events: EventResolution, names: Names) -> None:
        self.entities = {e.key: names.entity(e) for e in resolution.entities}
        self.events = {e.key: names.event(e) for e in events.events}
        self.labels = {e.key: e.label for e in resolution.entities} | {e.key: e.label for e in events.events}

    def of(self, about: str, key: str) -> URIRef:
        return self.events[key] if about == "event" else self.entities[key]


def write_conflict(out: SharedStatements, conflict: Conflict, nodes: SubjectNodes) -> None:
    g = iris.SOURCES_GRAPH
    subject = nodes.of(conflict.about, conflict.subject)
    qualifier = nodes.entities.get(conflict.qualifier) if conflict.qualifier else None
    node = iris.conflict_iri(str(subject), conflict.attribute, str(qualifier) if qualifier else None)
    out.add(g, node, NG.claimSubject, subject)
    out.literal(g, node, NG.attribute, conflict.attribute)
    out.literal(g, node, RDFS.label, conflict_label(conflict, nodes))
    if qualifier is not None:
        out.add(g, node, NG.qualifier, qualifier)
    out.add(g, node, RDF.type, NG.Conflict)
    for n, side in enumerate(conflict.sides, start=1):
        for ref in side:
            claim = claim_node(ref.article_id, ref.claim)
            out.add(g, node, NG.conflictingClaim, claim)
            out.literal(g, claim, NG.conflictSide, n, XSD.integer)


def side_text(side: Sequence[ClaimRef], nodes: SubjectNodes) -> str:
    """The values of one side as written: "more than an hour and a half / 90-minute"."""
    seen: list[str] = []
    for ref in side:
        text = nodes.labels.get(ref.value_entity, ref.claim.value) if ref.value_entity else ref.claim.text
        if ref.claim.attribute == "stance" or ref.claim.attribute.startswith("office:"):
            text = ref.claim.value
        if text not in seen:
            seen.append(text)
    return " / ".join(seen)


def conflict_label(conflict: Conflict, nodes: SubjectNodes) -> str:
    """'duration of Donald Trump phone call: "more than an hour and a half" vs "about two hours"'."""
    subject = nodes.labels.get(conflict.subject, conflict.subject)
    qualifier = f" ({nodes.labels.get(conflict.qualifier, '')})" if conflict.qualifier else ""
    sides = " vs ".join(f'"{side_text(side, nodes)}"' for side in conflict.sides)
    return f"{conflict.attribute}{qualifier} of {subject}: {sides}"
