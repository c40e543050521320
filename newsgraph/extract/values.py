"""Frozen values that extractors produce and the graph layer consumes.

An extractor never builds RDF: it yields these small values, with character
offsets into `Article.text`, a label and a confidence.  The graph layer turns
them into triples without ever looking at the text again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from newsgraph.ingest.article import Article


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article: offsets into the article text and the text itself."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """A span of text that names (or refers to) an entity of the article.

    `entity` is the key of the `LocalEntity` it refers to, so coreference is
    just several mentions sharing a key.
    """

    start: int
    end: int
    text: str
    entity: str
    entity_class: str  # local name of an ontology class, e.g. "Person"
    sentence: int  # index into Extraction.sentences
    extractor: str
    confidence: float
    ner_label: str | None = None


@dataclass(frozen=True)
class LocalEntity:
    """One real-world entity as seen inside one article (all its mentions share `key`)."""

    key: str
    name: str  # the best name in this article ("Vladimir Putin", not "Putin")
    entity_class: str
    surface_forms: tuple[str, ...] = ()
    wikidata: str | None = None  # "Q7747" when a knowledge base linked it
    kb_id: str | None = None  # the KB entry it was linked to, if any


@dataclass(frozen=True)
class Relation:
    """A contract relation between two local entities, with the words that state it."""

    subject: str  # local entity key
    predicate: str  # local name of an ontology property, e.g. "leaderOf"
    object: str
    start: int  # offsets of the evidence (the trigger phrase or the whole pattern)
    end: int
    sentence: int
    extractor: str
    confidence: float
    reported_by: str | None = None  # local key of the source the article attributes it to


@dataclass(frozen=True)
class EventMention:
    """Where the article speaks of an event: the trigger words and their sentence."""

    start: int
    end: int
    sentence: int
    extractor: str
    confidence: float


@dataclass(frozen=True)
class Event:
    """Something that happened or is planned, with its parties (local entity keys)."""

    key: str
    classes: tuple[str, ...]  # ontology classes, e.g. ("Ceasefire",) or ("Ceasefire", "Proposal")
    label: str
    agents: tuple[str, ...]
    participants: tuple[str, ...]
    targets: tuple[str, ...]
    locations: tuple[str, ...]
    date: str | None  # ISO date, year-month or year
    duration: str | None  # ISO 8601 duration
    mentions: tuple[EventMention, ...]
    date_expression: str | None = None  # a relative date ("Tuesday") that awaits an anchor the article lacks
    date_future: bool = False  # that expression modifies a future verb ("will meet on Sunday")

    def parties(self) -> tuple[str, ...]:
        """Every entity the event names, in any role (places included)."""
        return self.agents + self.participants + self.targets + self.locations


@dataclass(frozen=True)
class Stance:
    """An actor proposed, agreed to or rejected an event (a proposal, an agreement)."""

    actor: str
    stance: str  # "proposed", "agreedTo" or "rejected"
    event: str  # local event key
    start: int
    end: int
    sentence: int
    extractor: str
    confidence: float


@dataclass(frozen=True)
class Quote:
    """Words attributed to a speaker: quoted directly, or reported (indirect speech)."""

    start: int  # offsets of the words (without quotation marks)
    end: int
    text: str
    speaker: str  # local entity key
    indirect: bool
    sentence: int
    mentions: tuple[str, ...]  # local keys of the entities the words name
    extractor: str
    confidence: float


@dataclass(frozen=True)
class Claim:
    """A value one article states about an entity or an event, which other sources may state
    differently: how long a call lasted, how many drones, what share of a country, in which
    year, whether a person is a sitting or a former president, whether an actor agreed.

    Numbers carry the interval their wording allows (`low`..`high`, in `unit`): "about two
    hours" is not "two hours", and "more than 40 drones" is not "40 drones".  Comparing
    claims across articles is resolution's job (newsgraph.resolve.claims), not the extractor's.
    """

    about: str  # "event" or "entity": what kind of local key `subject` is
    subject: str  # local event key or local entity key
    attribute: str  # "duration", "number of drones (fire)", "share of (occupy)", "year of invade", ...
    value: str  # canonical value: "PT1H30M", "40", "20", "2018", "former", "agreedTo"
    text: str  # the words that state the value, as written
    start: int  # offsets of those words
    end: int
    sentence: int
    extractor: str
    confidence: float
    unit: str = ""  # "minute", "day", "item", "percent", "year"; "" for a category
    low: float | None = None  # the interval the wording allows, in `unit`
    high: float | None = None
    hedge: str | None = None  # "about", "more than", "almost", ...
    qualifier: str | None = None  # local entity key narrowing the attribute: a stance's actor, an office's owner
    value_entity: str | None = None  # local entity key when the value is an entity (the holder of an office)


@dataclass(frozen=True)
class Extraction:
    """Everything drawn from one article: the input of resolution and graph building."""

    article: Article
    sentences: tuple[Sentence, ...]
    entities: tuple[LocalEntity, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...] = field(default_factory=tuple)
    events: tuple[Event, ...] = field(default_factory=tuple)
    stances: tuple[Stance, ...] = field(default_factory=tuple)
    quotes: tuple[Quote, ...] = field(default_factory=tuple)
    claims: tuple[Claim, ...] = field(default_factory=tuple)
    anchor_date: str | None = None  # ISO date relative dates were resolved against (publication or lead date)
    warnings: tuple[str, ...] = field(default_factory=tuple)
