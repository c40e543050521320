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


QuoteKey = tuple[str, str]  # (speaker IRI, folded words): quotes of one key support each other
# What one article backs: fact IRIs (assertions of its relations and stances, its events) and its
# quotes as [speaker IRI, folded words, quote IRI]; plain strings, as a store keeps them per article.
Backing = tuple[list[str], list[list[str]]]


def backed(ex: Extraction, entity: Callable[[str], str], event: Callable[[str], str]) -> Backing:
    """What `ex` backs, where `entity` and `event` give the IRI each local key points to.

    A function of the article and those IRIs only, so an article whose IRIs did not change
    backs the same nodes as before: a store keeps each article's backing with its pointers and
    recounts only what the articles a commit adds, removes or repoints back (`Touched`)."""
    aid = ex.article.id
    facts = []
    for r in ex.relations:
        s, o = entity(r.subject), entity(r.object)
        if s != o:
            facts.append(str(iris.assertion_iri(s, str(NG[r.predicate]), o)))
    facts.extend(event(e.key) for e in ex.events)
    for st in ex.stances:
        actor, node = entity(st.actor), event(st.event)
        if actor != node:
            facts.append(str(iris.assertion_iri(actor, str(NG[st.stance]), node)))
    quotes = [[entity(q.speaker), _folded(q.text), str(iris.quote_iri(aid, q.start, q.end))] for q in ex.quotes]
    return facts, quotes


def backing_in(ex: Extraction, resolution: Resolution, events: EventResolution, names: Names) -> Backing:
    """What `ex` backs under a resolution and its names."""
    aid = ex.article.id
    return backed(ex, lambda local: str(names.entity(resolution.entity_for(aid, local))),
                  lambda key: str(names.event(events.event_for(aid, key))))


def backing_under(ex: Extraction, pointers: Mapping[tuple[str, str], str]) -> Backing:
    """What `ex` backs under its pointers (a `names.Pointers` entry); KeyError when one is missing."""
    return backed(ex, lambda local: pointers[(ENTITY, local)], lambda key: pointers[(EVENT, key)])


@dataclass
class Touched:
    """The support nodes whose counts a store commit may change: those backed, before or after
    it, by the articles it adds, removes or repoints (`backed`).  Every other count stays as
    written; `describe_sources` only marks it kept."""

    facts: set[str] = field(default_factory=set)
    quote_keys: set[QuoteKey] = field(default_factory=set)

    @classmethod
    def of(cls, backings: Iterable[Backing]) -> Touched:
        touched = cls()
        for facts, quotes in backings:
            touched.facts.update(facts)
            touched.quote_keys.update((speaker, words) for speaker, words, _ in quotes)
        return touched


def write_corroboration(out: SharedStatements, ordered: Sequence[Extraction], backings: Mapping[str, Backing],
                        touched: Touched | None = None) -> None:
    """ng:articleCount and the rest on every fact and quote the articles back: a quote is
    supported by every quote of the same words by the same speaker.  With `touched`, only
    its counts are counted and written; the others are marked kept."""
    g = iris.SOURCES_GRAPH
    fact_support: dict[str, Support] = defaultdict(Support)
    quote_support: dict[QuoteKey, Support] = defaultdict(Support)
    every_fact: set[str] = set()
    quote_nodes: list[tuple[str, QuoteKey]] = []
    for ex in ordered:
        aid = ex.article.id
        facts, quotes = backings[aid]
        every_fact.update(facts)
        outlet, date = outlet_of(ex), anchor_date(ex)
        if touched is None:
            for node in facts:
                fact_support[node].add(aid, outlet, date)
        elif not touched.facts.isdisjoint(facts):
            for node in touched.facts.intersection(facts):
                fact_support[node].add(aid, outlet, date)
        for speaker, words, node in quotes:
            key = (speaker, words)
            quote_nodes.append((node, key))
            if touched is None or key in touched.quote_keys:
                quote_support[key].add(aid, outlet, date)
    for node in sorted(every_fact):
        if touched is None or node in touched.facts:
            write_support(out, URIRef(node), fact_support[node])
        else:
            out.keep(g, node)
    for node, key in sorted(quote_nodes):
        if touched is None or key in touched.quote_keys:
            write_support(out, URIRef(node), quote_support[key])
        else:
            out.keep(g, node)


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
                     events: EventResolution, names: Names, touched: Touched | None = None,
                     backings: Mapping[str, Backing] | None = None) -> None:
    """Corroboration of every fact and the conflicts between claims, in the sources graph.

    A store commit passes what each article backs (`backings`, kept with its pointers) and what
    it `touched`: the counts it did not touch are marked kept (`SharedStatements.keep`) instead
    of written, since the store holds them already."""
    ordered = sorted(extractions, key=lambda e: e.article.id)
    if backings is None:
        backings = {ex.article.id: backing_in(ex, resolution, events, names) for ex in ordered}
    write_corroboration(out, ordered, backings, touched)
    refs = claim_refs(ordered, resolution, events)
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
