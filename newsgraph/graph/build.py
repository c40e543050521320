"""build graph: extractions + resolution -> an rdflib Dataset with provenance.

One named graph per article (named by the article's IRI) holds the article's
description, its sentences that carry evidence, the mentions and, as later
extractors land, its relations, events and quotes.  The entities graph holds
one description per resolved entity (class, one label, alternative labels,
Wikidata link); the build graph holds the PROV-O activity of the build.
This module never looks at raw text: it only turns values into triples.
"""
from __future__ import annotations

import bisect

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from rdflib import OWL, RDF, RDFS, XSD, BNode, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from newsgraph.extract.values import (
    Claim,
    Event,
    Extraction,
    Mention,
    Quote,
    Relation,
    Sentence,
    Stance,
)
from newsgraph.graph import iris
from newsgraph.graph.names import Names, assign_names
from newsgraph.graph.shared import SharedStatements
from newsgraph.graph.sources import (
    Backing,
    Touched,
    claim_node,
    claim_value_literal,
    decimal_literal,
    describe_sources,
)
from newsgraph.ontology import NG, ontology_graph
from newsgraph.resolve import Resolution
from newsgraph.resolve.events import EventResolution, resolve_events

SCHEMA = "https://schema.org/"
SCHEMA_NEWS_ARTICLE = URIRef(SCHEMA + "NewsArticle")
SCHEMA_URL = URIRef(SCHEMA + "url")
# Longer sentences are cut to a window around the evidence, so that a 5 MB
# paragraph does not become a 5 MB literal repeated for every mention in it.
MAX_SENTENCE_CHARS = 2000
PREFIXES = {
    "ng": str(NG),
    "ngid": iris.BASE,
    "wd": iris.WIKIDATA,
    "schema": SCHEMA,
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "skos": str(SKOS),
    "owl": str(OWL),
    "xsd": str(XSD),
}


@dataclass(frozen=True)
class BuildInfo:
    """What the PROV-O activity of a build records."""

    version: str
    model: str
    settings: dict[str, object] = field(default_factory=dict)


def new_dataset() -> Dataset:
    """An empty Dataset with newsgraph's prefixes bound."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


def confidence_literal(value: float) -> Literal:
    """Confidence as an xsd:decimal with two places, clamped to [0, 1]."""
    value = min(1.0, max(0.0, value))
    return Literal(Decimal(f"{value:.2f}"), datatype=XSD.decimal)


def offset_literal(value: int) -> Literal:
    return Literal(value, datatype=XSD.nonNegativeInteger)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_literal(value: str | None) -> Literal | None:
    """An xsd:date for an ISO date string; None for anything that is not one."""
    if not value or not _ISO_DATE.match(value[:10]):
        return None
    literal = Literal(value[:10], datatype=XSD.date)
    return literal if literal.value is not None and not isinstance(literal.value, str) else None


def evidence_window(sentence: Sentence, start: int, end: int) -> Sentence:
    """The sentence itself, or a window of it around [start, end) when it is very long."""
    if sentence.end - sentence.start <= MAX_SENTENCE_CHARS:
        return sentence
    half = MAX_SENTENCE_CHARS // 2
    lo = max(sentence.start, start - half)
    hi = min(sentence.end, max(end, lo) + half)
    text = sentence.text[lo - sentence.start : hi - sentence.start]
    return Sentence(lo, hi, text)


class TripleSink(Protocol):
    """Where an article's triples go: an rdflib Graph, or a plain set of triples."""

    def add(self, triple: tuple[Node, Node, Node], /) -> object: ...


class ArticleGraphWriter:
    """Writes the triples of one article into its named graph.

    `target` is a Dataset (the triples go to the article's named graph) or a set that collects
    them: a store builds hundreds of article graphs per commit, and rdflib's `add` costs ~40 µs.
    """

    def __init__(self, target: Dataset | set[tuple[Node, Node, Node]], extraction: Extraction,
                 resolution: Resolution, events: EventResolution, names: Names) -> None:
        self.events = events
        self.names = names
        self.extraction = extraction
        self.article = extraction.article
        self._starts: list[int] | None = None
        self.article_iri = iris.article_iri(self.article.id)
        self.graph: TripleSink = target.graph(self.article_iri) if isinstance(target, Dataset) else target
        self.resolution = resolution

    def write(self) -> None:
        self.describe_article()
        seen: set[tuple[int, int]] = set()
        for mention in sorted(self.extraction.mentions, key=lambda m: (m.start, m.end, m.entity)):
            if (mention.start, mention.end) in seen:
                continue
            seen.add((mention.start, mention.end))
            self.add_mention(mention)
        for relation in self.extraction.relations:
            self.add_relation(relation)
        for event in self.extraction.events:
            self.add_event_evidence(event)
        for stance in self.extraction.stances:
            self.add_stance(stance)
        for quote in self.extraction.quotes:
            self.add_quote(quote)
        for claim in self.extraction.claims:
            self.add_claim(claim)

    def add_claim(self, claim: Claim) -> None:
        """A claim node (ng:Claim): subject, attribute, value with its bounds, and evidence."""
        subject = self.event_of(claim.subject) if claim.about == "event" else self.node_of(claim.subject)
        node = claim_node(self.article.id, claim)
        g = self.graph
        g.add((node, RDF.type, NG.Claim))
        g.add((node, NG.claimSubject, subject))
        g.add((node, NG.attribute, Literal(claim.attribute)))
        g.add((node, NG.value, claim_value_literal(claim)))
        g.add((node, NG.statedAs, Literal(claim.text)))
        if claim.hedge:
            g.add((node, NG.hedge, Literal(claim.hedge)))
        if claim.low is not None and claim.high is not None:
            g.add((node, NG.lowerBound, decimal_literal(claim.low)))
            g.add((node, NG.upperBound, decimal_literal(claim.high)))
            g.add((node, NG.unit, Literal(claim.unit)))
        if claim.qualifier:
            g.add((node, NG.qualifier, self.node_of(claim.qualifier)))
        if claim.value_entity:
            g.add((node, NG.valueEntity, self.node_of(claim.value_entity)))
        self.add_evidence(iris.evidence_iri(self.article.id, node), node, sentence_index=claim.sentence,
                          start=claim.start, end=claim.end, anchor=claim.text, extractor=claim.extractor,
                          confidence=claim.confidence)

    def add_quote(self, quote: Quote) -> None:
        """A direct quote (ng:Quote) or reported speech (ng:ReportedSpeech), with its speaker."""
        node = iris.quote_iri(self.article.id, quote.start, quote.end)
        g = self.graph
        g.add((node, RDF.type, NG.ReportedSpeech if quote.indirect else NG.Quote))
        g.add((node, NG.speaker, self.node_of(quote.speaker)))
        g.add((node, NG.text, Literal(quote.text)))
        g.add((node, NG.indirect, Literal(quote.indirect)))
        for key in quote.mentions:
            g.add((node, NG.mentions, self.node_of(key)))
        self.add_evidence(iris.evidence_iri(self.article.id, node), node, sentence_index=quote.sentence,
                          start=quote.start, end=quote.end, anchor=quote.text, extractor=quote.extractor,
                          confidence=quote.confidence)

    def add_event_evidence(self, event: Event) -> None:
        node = self.event_of(event.key)
        for m in event.mentions:
            self.add_evidence(iris.evidence_iri(self.article.id, node, m.start, m.end), node,
                              sentence_index=m.sentence, start=m.start, end=m.end,
                              anchor=self.article.text[m.start:m.end], extractor=m.extractor,
                              confidence=m.confidence)

    def add_stance(self, stance: Stance) -> None:
        actor = self.node_of(stance.actor)
        event = self.event_of(stance.event)
        self.add_statement(actor, NG[stance.stance], event, start=stance.start, end=stance.end,
                           sentence=stance.sentence, extractor=stance.extractor, confidence=stance.confidence)

    def node_of(self, local_key: str) -> URIRef:
        return self.names.entity(self.resolution.entity_for(self.article.id, local_key))

    def event_of(self, local_key: str) -> URIRef:
        return self.names.event(self.events.event_for(self.article.id, local_key))

    def add_relation(self, relation: Relation) -> None:
        """The plain triple, its ng:Assertion, and the evidence that attests the assertion."""
        s, o = self.node_of(relation.subject), self.node_of(relation.object)
        node = self.add_statement(s, NG[relation.predicate], o, start=relation.start, end=relation.end,
                                  sentence=relation.sentence, extractor=relation.extractor,
                                  confidence=relation.confidence)
        if node is not None and relation.reported_by:
            self.graph.add((node, NG.reportedBy, self.node_of(relation.reported_by)))

    def add_statement(self, s: URIRef, p: URIRef, o: URIRef, *, start: int, end: int, sentence: int,
                      extractor: str, confidence: float) -> URIRef | None:
        """A relation or stance: the plain triple, its ng:Assertion, and evidence attesting it."""
        if s == o:
            return None
        assertion = iris.assertion_iri(str(s), str(p), str(o))
        g = self.graph
        g.add((s, p, o))
        g.add((assertion, RDF.type, NG.Assertion))
        g.add((assertion, RDF.subject, s))
        g.add((assertion, RDF.predicate, p))
        g.add((assertion, RDF.object, o))
        node = iris.evidence_iri(self.article.id, assertion, start, end)
        self.add_evidence(node, assertion, sentence_index=sentence, start=start, end=end,
                          anchor=self.article.text[start:end], extractor=extractor, confidence=confidence)
        return node

    def describe_article(self) -> None:
        g, a, art = self.graph, self.article_iri, self.article
        g.add((a, RDF.type, NG.Article))
        g.add((a, RDF.type, SCHEMA_NEWS_ARTICLE))
        g.add((a, DCTERMS.identifier, Literal(art.identifier)))
        g.add((a, NG.sourceFile, Literal(art.identifier)))
        g.add((a, NG.contentHash, Literal(art.content_hash)))
        if art.title:
            g.add((a, DCTERMS.title, Literal(art.title)))
        date = date_literal(art.date)
        if date is not None:
            g.add((a, DCTERMS.date, date))
        if art.source:
            g.add((a, NG.outlet, Literal(art.source)))
        if art.url:
            g.add((a, SCHEMA_URL, Literal(art.url, datatype=XSD.anyURI)))
        for author in art.authors:
            g.add((a, DCTERMS.creator, Literal(author)))
        if art.language:
            g.add((a, DCTERMS.language, Literal(art.language)))

    def add_sentence(self, sentence: Sentence) -> URIRef:
        s = iris.sentence_iri(self.article.id, sentence.start, sentence.end)
        g = self.graph
        g.add((s, RDF.type, NG.Sentence))
        g.add((s, NG.inArticle, self.article_iri))
        g.add((s, NG.sentenceText, Literal(sentence.text)))
        g.add((s, NG.startChar, offset_literal(sentence.start)))
        g.add((s, NG.endChar, offset_literal(sentence.end)))
        return s

    def add_evidence(
        self,
        node: URIRef,
        attests: URIRef,
        *,
        sentence_index: int,
        start: int,
        end: int,
        anchor: str,
        extractor: str,
        confidence: float,
    ) -> None:
        """The provenance every fact carries: article, sentence, offsets, extractor, confidence.

        The anchor is trimmed of the whitespace around it (a span that starts with the blank
        line before its sentence, "\\n\\nRussian President ...") and its sentence is the one
        that holds it, whatever index the extractor gave.
        """
        start, end, anchor, sentence_index = self._trimmed(start, end, anchor, sentence_index)
        g = self.graph
        g.add((node, RDF.type, NG.Evidence))
        g.add((node, NG.attests, attests))
        g.add((node, NG.inArticle, self.article_iri))
        g.add((node, PROV.wasDerivedFrom, self.article_iri))
        if 0 <= sentence_index < len(self.extraction.sentences):
            window = evidence_window(self.extraction.sentences[sentence_index], start, end)
            g.add((node, NG.inSentence, self.add_sentence(window)))
        g.add((node, NG.startChar, offset_literal(start)))
        g.add((node, NG.endChar, offset_literal(end)))
        g.add((node, NG.anchorText, Literal(anchor)))
        g.add((node, NG.extractor, Literal(extractor)))
        g.add((node, NG.confidence, confidence_literal(confidence)))

    def _trimmed(self, start: int, end: int, anchor: str, sentence_index: int
                 ) -> tuple[int, int, str, int]:
        text = self.article.text
        if not (0 <= start <= end <= len(text)) or text[start:end] != anchor:
            return start, end, anchor, sentence_index  # an anchor that is not a slice: as given
        piece = anchor.strip()
        if piece and piece != anchor:
            start += len(anchor) - len(anchor.lstrip())
            end = start + len(piece)
            anchor = piece
        sentences = self.extraction.sentences
        if 0 <= sentence_index < len(sentences):
            held = sentences[sentence_index]
            if not (held.start <= start and end <= held.end):
                index = bisect.bisect_right(self._sentence_starts(), start) - 1
                if 0 <= index < len(sentences) and sentences[index].start <= start \
                        and end <= sentences[index].end:
                    sentence_index = index
        return start, end, anchor, sentence_index

    def _sentence_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [s.start for s in self.extraction.sentences]
        return self._starts

    def add_mention(self, mention: Mention) -> None:
        node = iris.mention_iri(self.article.id, mention.start, mention.end)
        self.add_evidence(
            node,
            self.node_of(mention.entity),
            sentence_index=mention.sentence,
            start=mention.start,
            end=mention.end,
            anchor=mention.text,
            extractor=mention.extractor,
            confidence=mention.confidence,
        )
        self.graph.add((node, RDF.type, NG.Mention))
        self.graph.add((node, NG.entityType, NG[mention.entity_class]))


def describe_entities(out: SharedStatements, resolution: Resolution, names: Names) -> None:
    """One description per resolved entity, in the entities graph."""
    g = iris.ENTITIES_GRAPH
    for entity in resolution.entities:
        node = names.entity(entity)
        out.add(g, node, RDF.type, NG[entity.entity_class])
        out.literal(g, node, RDFS.label, entity.label)
        for alt in entity.alt_labels:
            out.literal(g, node, SKOS.altLabel, alt)
        if entity.wikidata:
            out.add(g, node, OWL.sameAs, iris.wikidata_iri(entity.wikidata))
        for reason in entity.merge_reasons:
            out.literal(g, node, NG.mergeReason, reason)


def describe_build(ds: Dataset, info: BuildInfo, article_ids: Sequence[str]) -> URIRef:
    """The PROV-O activity of this build (no wall-clock time: builds are reproducible)."""
    settings = json.dumps(info.settings, sort_keys=True, separators=(",", ":"))
    node = iris.build_iri(info.version, info.model, settings, *sorted(article_ids))
    g = ds.graph(iris.BUILD_GRAPH)
    g.add((node, RDF.type, NG.BuildActivity))
    g.add((node, RDF.type, PROV.Activity))
    g.add((node, RDFS.label, Literal(f"newsgraph {info.version} build of {len(article_ids)} articles")))
    g.add((node, NG.softwareVersion, Literal(info.version)))
    g.add((node, NG.spacyModel, Literal(info.model)))
    g.add((node, NG.settings, Literal(settings)))
    for aid in sorted(article_ids):
        g.add((node, PROV.used, iris.article_iri(aid)))
    return node


def count_quads(ds: Dataset) -> int:
    """Number of statements in all graphs of the dataset (len(Dataset) counts only the default graph)."""
    return sum(1 for _ in ds.quads((None, None, None, None)))


def describe_events(out: SharedStatements, events: EventResolution, resolution: Resolution,
                    names: Names) -> None:
    """One description per resolved event, in the events graph."""
    g = iris.EVENTS_GRAPH
    by_key = {e.key: names.entity(e) for e in resolution.entities}
    for event in events.events:
        node = names.event(event)
        for cls in event.classes:
            out.add(g, node, RDF.type, NG[cls])
        out.literal(g, node, RDFS.label, event.label)
        for role, prop in (("agents", NG.agent), ("participants", NG.participant), ("targets", NG.target),
                           ("locations", NG.location)):
            for key in getattr(event, role):
                out.add(g, node, prop, by_key[key])
        date = event_date_literal(event.date)
        if date is not None:
            out.add(g, node, NG.date, date)
        if event.duration:
            out.literal(g, node, NG.duration, event.duration, XSD.duration)


def event_date_literal(value: str | None) -> Literal | None:
    """xsd:date, xsd:gYearMonth or xsd:gYear by the precision of an ISO value."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date_literal(value)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    return None


def build_dataset(extractions: Sequence[Extraction], resolution: Resolution, info: BuildInfo,
                  events: EventResolution | None = None, names: Names | None = None) -> Dataset:
    """The whole graph of a build, deterministic whatever the order of `extractions`.

    `events` defaults to resolving them here, `names` to the IRIs a one-shot build mints; a store
    passes the names it has already published (see `newsgraph.graph.names`).
    """
    ds = new_dataset()
    ordered = sorted(extractions, key=lambda e: e.article.id)
    if events is None:
        events = resolve_events(ordered, resolution)
    if names is None:
        names = assign_names(resolution, events)
    for extraction in ordered:
        ArticleGraphWriter(ds, extraction, resolution, events, names).write()
    describe_shared(ds, ordered, resolution, events, names)
    describe_build(ds, info, [e.article.id for e in ordered])
    include_ontology(ds)
    return ds


def describe_shared(ds: Dataset, extractions: Sequence[Extraction], resolution: Resolution,
                    events: EventResolution, names: Names | None = None) -> None:
    """Every graph drawn from more than one article: entities, events, and sources (corroboration
    counts and conflicts between claims), written into `ds`."""
    for s, p, o, g in shared_statements(extractions, resolution, events, names).quads():
        ds.graph(g).add((s, p, o))


def shared_statements(extractions: Sequence[Extraction], resolution: Resolution, events: EventResolution,
                      names: Names | None = None, touched: Touched | None = None,
                      backings: Mapping[str, Backing] | None = None) -> SharedStatements:
    """What `describe_shared` writes, as plain statements grouped by node (see `graph.shared`).

    A step may read only what `light` keeps of an extraction (no text, sentences or mentions):
    an incremental store runs this function over the light copies of all its articles and
    writes the descriptions that changed, so a step added here reaches stores with no store
    code change.  A store commit passes what each article backs and what it `touched` (the
    support counts it may change; the others are kept): see `sources.describe_sources`.
    """
    if names is None:
        names = assign_names(resolution, events)
    out = SharedStatements()
    describe_entities(out, resolution, names)
    describe_events(out, events, resolution, names)
    describe_sources(out, extractions, resolution, events, names, touched, backings)
    return out


def light(extraction: Extraction) -> Extraction:
    """The extraction without the article's text, its sentences and mentions.

    What `describe_shared` and resolution read (entities, relations, events, stances, quotes with
    their offsets and keys, article metadata) stays; the dropped lists are the bulk of an
    extraction and only article graphs need them.  A store keeps this copy of every article.
    """
    return dataclasses.replace(extraction, article=dataclasses.replace(extraction.article, text=""),
                               sentences=(), mentions=())


def include_ontology(ds: Dataset) -> None:
    """Ship the vocabulary with the data, so rdfs:subClassOf* queries work on the export alone.

    Only the statements without blank nodes (the class and property hierarchy, labels,
    comments): blank-node unions of domains and ranges would make exports impossible to
    compare statement by statement, and readers do not need them.
    """
    g = ds.graph(iris.ONTOLOGY_GRAPH)
    for s, p, o in ontology_graph():
        if not isinstance(s, BNode) and not isinstance(o, BNode):
            g.add((s, p, o))
