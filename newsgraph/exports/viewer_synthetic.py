"""Graphs in the full newsgraph model, written directly with NG terms, for the viewer's tests and benchmark.

Today's builds hold entities and mentions only; relations, events and quotes
arrive from other extractors.  The viewer is written for the whole model
(DESIGN.md), so this module writes that model by hand: `FactWriter` adds
articles, entities, evidence, relations (plain triple + ng:Assertion), events
and quotes exactly as the design describes, and `synthetic_dataset(n)` makes a
graph of n nodes with a realistic, hub-heavy shape for the benchmark.

>>> w = FactWriter()
>>> a = w.article("a1", "Talks", "2025-03-18", "Example News")
>>> ru = w.entity(NG.Country, "Russia", evidence=("a1", "Russia said no.", "Russia"))
>>> len(list(w.ds.quads((ru, None, None, None))))
2
"""
from __future__ import annotations

import random
from collections.abc import Sequence

from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from newsgraph.graph import iris
from newsgraph.graph.build import (
    SCHEMA_NEWS_ARTICLE,
    SCHEMA_URL,
    confidence_literal,
    date_literal,
    include_ontology,
    new_dataset,
    offset_literal,
)
from newsgraph.ontology import NG

Evidence = tuple[str, str, str]  # (article id, sentence, anchor)


class FactWriter:
    """Writes articles, entities and facts with their evidence into a newsgraph Dataset."""

    def __init__(self, ds: Dataset | None = None, *, with_ontology: bool = True) -> None:
        self.ds = ds if ds is not None else new_dataset()
        self._offsets: dict[str, int] = {}
        if with_ontology:
            include_ontology(self.ds)

    def article(self, article_id: str, title: str | None, date: str | None = None,
                outlet: str | None = None, url: str | None = None) -> URIRef:
        node = iris.article_iri(article_id)
        g = self.ds.graph(node)
        g.add((node, RDF.type, NG.Article))
        g.add((node, RDF.type, SCHEMA_NEWS_ARTICLE))
        g.add((node, DCTERMS.identifier, Literal(f"{article_id}.txt")))
        if title is not None:
            g.add((node, DCTERMS.title, Literal(title)))
        date_value = date_literal(date)
        if date_value is not None:
            g.add((node, DCTERMS.date, date_value))
        if outlet:
            g.add((node, NG.outlet, Literal(outlet)))
        if url:
            g.add((node, SCHEMA_URL, Literal(url, datatype=XSD.anyURI)))
        return node

    def evidence(self, attests: URIRef, where: Evidence, *, confidence: float = 0.9,
                 extractor: str = "synthetic", mention: bool = False) -> URIRef:
        """Evidence in `where` = (article id, sentence, anchor) that attests a node or an assertion."""
        article_id, sentence, anchor = where
        start = self._offsets.get(article_id, 0)
        self._offsets[article_id] = start + len(sentence) + 1
        article = iris.article_iri(article_id)
        g = self.ds.graph(article)
        s = iris.sentence_iri(article_id, start, start + len(sentence))
        g.add((s, RDF.type, NG.Sentence))
        g.add((s, NG.inArticle, article))
        g.add((s, NG.sentenceText, Literal(sentence)))
        g.add((s, NG.startChar, offset_literal(start)))
        g.add((s, NG.endChar, offset_literal(start + len(sentence))))
        at = max(0, sentence.find(anchor)) + start
        node = (iris.mention_iri(article_id, at, at + len(anchor)) if mention
                else iris.evidence_iri(article_id, attests, at, anchor))
        g.add((node, RDF.type, NG.Evidence))
        if mention:
            g.add((node, RDF.type, NG.Mention))
        g.add((node, NG.attests, attests))
        g.add((node, NG.inArticle, article))
        g.add((node, PROV.wasDerivedFrom, article))
        g.add((node, NG.inSentence, s))
        g.add((node, NG.startChar, offset_literal(at)))
        g.add((node, NG.endChar, offset_literal(at + len(anchor))))
        g.add((node, NG.anchorText, Literal(anchor)))
        g.add((node, NG.extractor, Literal(extractor)))
        g.add((node, NG.confidence, confidence_literal(confidence)))
        return node

    def entity(self, cls: URIRef, label: str, *, aliases: Sequence[str] = (), wikidata: str | None = None,
               evidence: Evidence | Sequence[Evidence] = (), confidence: float = 0.85) -> URIRef:
        node = iris.entity_iri(str(cls).rsplit("#", 1)[-1], label, wikidata)
        g = self.ds.graph(iris.ENTITIES_GRAPH)
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(label)))
        for alias in aliases:
            g.add((node, SKOS.altLabel, Literal(alias)))
        if wikidata:
            g.add((node, OWL.sameAs, iris.wikidata_iri(wikidata)))
        for where in _as_list(evidence):
            self.evidence(node, where, confidence=confidence, extractor="spacy-ner", mention=True)
        return node

    def relation(self, subject: URIRef, prop: URIRef, obj: URIRef,
                 evidence: Evidence | Sequence[Evidence], *, confidence: float = 0.8) -> URIRef:
        """The plain triple in each article's graph, and its ng:Assertion attested by the evidence."""
        assertion = iris.assertion_iri(str(subject), str(prop), str(obj))
        for where in _as_list(evidence):
            g = self.ds.graph(iris.article_iri(where[0]))
            g.add((subject, prop, obj))
            g.add((assertion, RDF.type, NG.Assertion))
            g.add((assertion, RDF.subject, subject))
            g.add((assertion, RDF.predicate, prop))
            g.add((assertion, RDF.object, obj))
            self.evidence(assertion, where, confidence=confidence, extractor="relation-rules")
        return assertion

    def event(self, cls: URIRef, evidence: Evidence, *, label: str | None = None,
              agents: Sequence[URIRef] = (), participants: Sequence[URIRef] = (),
              targets: Sequence[URIRef] = (), location: URIRef | None = None,
              date: str | None = None, duration: str | None = None) -> URIRef:
        node = iris.check_iri(f"{iris.BASE}event/{iris.digest(cls, *evidence)}")
        g = self.ds.graph(iris.article_iri(evidence[0]))
        g.add((node, RDF.type, cls))
        if label:
            g.add((node, RDFS.label, Literal(label)))
        for prop, values in ((NG.agent, agents), (NG.participant, participants), (NG.target, targets),
                             (NG.location, [location] if location is not None else [])):
            for value in values:
                g.add((node, prop, value))
        when = date_literal(date)
        if when is not None:
            g.add((node, NG.date, when))
        if duration:
            g.add((node, NG.duration, Literal(duration, datatype=XSD.duration)))
        self.evidence(node, evidence, extractor="event-rules")
        return node

    def quote(self, speaker: URIRef, text: str, evidence: Evidence, *,
              mentions: Sequence[URIRef] = (), indirect: bool = False) -> URIRef:
        """A direct quote (ng:Quote), or reported speech (ng:ReportedSpeech) when `indirect`."""
        node = iris.check_iri(f"{iris.BASE}quote/{iris.digest(speaker, text, *evidence)}")
        g = self.ds.graph(iris.article_iri(evidence[0]))
        g.add((node, RDF.type, NG.ReportedSpeech if indirect else NG.Quote))
        g.add((node, NG.speaker, speaker))
        g.add((node, NG.text, Literal(text)))
        g.add((node, NG.indirect, Literal(indirect)))
        for entity in mentions:
            g.add((node, NG.mentions, entity))
        self.evidence(node, evidence, extractor="quote-rules")
        return node


def _as_list(evidence: Evidence | Sequence[Evidence]) -> list[Evidence]:
    if isinstance(evidence, tuple) and len(evidence) == 3 and all(isinstance(x, str) for x in evidence):
        return [evidence]  # type: ignore[list-item]
    return list(evidence)  # type: ignore[arg-type]


ENTITY_CLASSES = (
    (NG.Person, 0.35), (NG.Organization, 0.25), (NG.Country, 0.1), (NG.City, 0.1),
    (NG.Region, 0.05), (NG.PowerPlant, 0.05), (NG.Facility, 0.05),
)
RELATIONS = (NG.controls, NG.locatedIn, NG.leaderOf, NG.affiliatedWith, NG.memberOf,
             NG.attacked, NG.supports, NG.opposes)


def synthetic_dataset(n_nodes: int, seed: int = 1) -> Dataset:
    """A graph of exactly `n_nodes` drawable nodes: 90% entities, 5% events, 5% quotes.

    Relations follow preferential attachment (a few hubs, many leaves), about
    1.5 per entity, like the co-occurrence structure of news.
    """
    rng = random.Random(seed)
    w = FactWriter()
    n_articles = max(3, n_nodes // 10)
    for i in range(n_articles):
        w.article(f"art{i:05d}", f"Synthetic article {i}", f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                  f"Outlet {i % 7}", f"https://news.example/{i}")
    n_events = n_nodes // 20
    n_quotes = n_nodes // 20
    n_entities = n_nodes - n_events - n_quotes
    classes, weights = zip(*ENTITY_CLASSES)
    entities: list[URIRef] = []
    targets: list[URIRef] = []  # one entry per degree: preferential attachment
    for i in range(n_entities):
        label = f"Entity {i}"
        art = f"art{rng.randrange(n_articles):05d}"
        node = w.entity(rng.choices(classes, weights)[0], label,
                        aliases=(f"E{i}",) if i % 5 == 0 else (),
                        evidence=(art, f"{label} was mentioned in a sentence of article {art}.", label))
        if entities:
            for _ in range(1 if rng.random() < 0.5 else 2):
                other = rng.choice(targets) if targets and rng.random() < 0.8 else rng.choice(entities)
                if other == node:
                    continue
                prop = rng.choice(RELATIONS)
                w.relation(node, prop, other, (art, f"{label} and a neighbour are linked in {art}.", label))
                targets += [node, other]
        entities.append(node)
    for i in range(n_events):
        art = f"art{rng.randrange(n_articles):05d}"
        w.event(NG.Meeting, (art, f"Meeting {i} took place.", "Meeting"), label=f"Meeting {i}",
                agents=[rng.choice(entities)], participants=[rng.choice(entities)], date="2025-03-18")
    for i in range(n_quotes):
        art = f"art{rng.randrange(n_articles):05d}"
        w.quote(rng.choice(entities), f"Quote number {i}", (art, f"Someone said: quote number {i}.", "said"),
                mentions=[rng.choice(entities)])
    return w.ds
