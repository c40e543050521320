"""Claims: the values an article states that another source may state differently.

A claim is who or what (an event or an entity of the article), which attribute, which value,
and the words and sentence that state it.  Kinds, each read from the syntax of the sentence:

* duration of an event: a duration phrase that belongs to the event's trigger ("spoke for more
  than an hour and a half", "a 90-minute call", "after about two hours of talks", "the call
  lasted two hours", "It lasted almost two hours" after a sentence about the call);
* number of things in an event: a cardinal on a plural noun that hangs from the event's trigger
  ("fired more than 40 drones", "an attack with dozens of missiles", "killed 12 people");
* share of a place: a percentage of an entity ("occupies some 20 percent of Ukraine");
* year of something that happens once to its subject ("expelled in 2018", "the 2014 annexation
  of Crimea", "invaded three years ago");
* status of a person in an office ("former President X", "outgoing Chancellor Y", "US President
  Z": sitting), and who holds an office ("US President Z": the holder of the US presidency);
* stance of an actor on an event (agreed to, rejected), from the stances already found.

Hedges widen a number into the interval its wording allows (`interval`): news rounds, so an
unhedged "90-minute call" allows 5% either way, "about" 10%, "more than X" up to 15% above X.
The lexicons (hedges, vague counts, status words, once-only events) are in data/claim_words.csv.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.extract.datafiles import csv_rows
from newsgraph.extract.dates import _attached, _expressions, _governors
from newsgraph.extract.entities import _title_at, _title_owner, titles
from newsgraph.extract.triggers import event_nouns
from newsgraph.extract.extensions import register_extensions
from newsgraph.extract.kb import KnowledgeBase, default_kb
from newsgraph.extract.relations import EntityIndex
from newsgraph.extract.roles import IN_OFFICE, status_before
from newsgraph.extract.timex import DateMention, DurationMention, number_value
from newsgraph.extract.values import Claim, Event, LocalEntity, Mention, Stance

CLAIM_CONFIDENCE = 0.7
MINUTES = {"Y": 525_960.0, "M": 43_830.0, "D": 1_440.0, "H": 60.0, "MIN": 1.0, "S": 1 / 60}
# Widening of a stated number by its hedge: (low factor, high factor).  News rounds, so even a
# bare number allows a little either way; "more than X" in news means a little more than X.
HEDGE_FACTORS: dict[str | None, tuple[float, float]] = {
    None: (0.95, 1.05), "about": (0.9, 1.1), "almost": (0.9, 1.0), "more than": (1.0, 1.15),
    "at least": (1.0, 1.15), "less than": (0.5, 1.0), "at most": (0.0, 1.0),
}
EXACT_COUNT_BELOW = 20  # "12 people" is exact; "40 drones" may be rounded like any other number
SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
EVENT_PRONOUNS = {"it", "this", "that", "which"}
DURATION_VERBS = {"last", "take"}
POINT_PREPOSITIONS = {"after", "before", "since", "within", "until", "ago"}  # "after two hours of talks"
CONTROL_VERBS = {"occupy", "control", "hold", "seize", "capture", "take", "retake", "liberate"}
TERRITORY_NOUNS = {"territory", "land", "country", "area"}
# "refrain from attacking for a month": the month is the length of the halt, not of the attacks
HALT_VERBS = {"refrain", "halt", "pause", "stop", "suspend", "cease", "freeze", "end", "avoid"}


@dataclass(frozen=True)
class Words:
    """The lexicons of data/claim_words.csv, by kind."""

    hedges: dict[str, str]
    vague: dict[str, tuple[float, float]]
    once: dict[str, str]
    not_counted: frozenset[str]


@lru_cache(maxsize=1)
def words() -> Words:
    by_kind: dict[str, dict[str, str]] = {}
    for r in csv_rows("claim_words.csv"):
        by_kind.setdefault(r["kind"], {})[r["word"]] = r["value"]
    vague = {w: (float(v.split("|")[0]), float(v.split("|")[1])) for w, v in by_kind.get("vague", {}).items()}
    return Words(by_kind.get("hedge", {}), vague, by_kind.get("once", {}),
                 frozenset(by_kind.get("notcount", {})))


def interval(value: float, hedge: str | None, exact: bool = False) -> tuple[float, float]:
    """The values a hedged number allows: "about 120" -> (108, 132); exact counts stay exact."""
    if exact and hedge is None:
        return value, value
    low, high = HEDGE_FACTORS.get(hedge, HEDGE_FACTORS[None])
    return round(value * low, 4), round(value * high, 4)


def duration_minutes(iso: str) -> float | None:
    """Minutes in an xsd:duration (a month is 30.44 days, a year 365.25: for comparing only)."""
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?", iso)
    if not m or iso in ("P", "PT"):
        return None
    parts = [float(g) if g else 0.0 for g in m.groups()]
    return sum(n * MINUTES[u] for n, u in zip(parts, ("Y", "M", "D", "H", "MIN", "S")))


def _hedge_before(doc: Doc, i: int) -> str | None:
    """The hedge in the (up to three) words before token i: "more than", "some", "at least"."""
    lexicon = words().hedges
    for n in (3, 2, 1):
        if i - n < 0:
            continue
        phrase = " ".join(t.lower_ for t in doc[i - n : i])
        if phrase in lexicon:
            return lexicon[phrase]
    return None


def _number(tok: Token) -> float | None:
    """The value of a cardinal token: "40", "1,200", "forty", "2.5" (timex reads numbers for
    dates and durations too); with a scale word after it ("40 thousand")."""
    value = number_value(tok.lower_) or SCALE_WORDS.get(tok.lower_)
    if value is None:
        return None
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ in SCALE_WORDS and nxt.head.i == tok.head.i:
        value *= SCALE_WORDS[nxt.lower_]
    return value


class ClaimFinder:
    """Reads the claims of one Doc, given its entities, mentions, events and stances."""

    def __init__(self, doc: Doc, entities: list[LocalEntity], mentions: list[Mention],
                 events: list[Event], stances: list[Stance], kb: KnowledgeBase) -> None:
        self.doc = doc
        self.kb = kb
        self.index = EntityIndex.build(doc, entities, mentions)
        self.kb_keys = {e.kb_id: e.key for e in entities if e.kb_id}
        self.kb_ids = {e.key: e.kb_id for e in entities if e.kb_id}
        self.anchor = doc._.ng_anchor_date
        self.events = events
        self.stances = stances
        self.sent_of = {tok.i: n for n, sent in enumerate(doc.sents) for tok in sent}
        self.trigger_event: dict[int, str] = {}
        self.event_classes = {e.key: e.classes for e in events}
        for event in events:
            for m in event.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    self.trigger_event[span.root.i] = event.key
        self.claims: dict[tuple[object, ...], Claim] = {}

    # -- helpers ---------------------------------------------------------------------------
    def add(self, span: Span, **fields: object) -> None:
        claim = Claim(start=span.start_char, end=span.end_char, text=span.text,
                      sentence=self.sent_of.get(span.start, 0), confidence=CLAIM_CONFIDENCE, **fields)  # type: ignore[arg-type]
        key = (claim.about, claim.subject, claim.attribute, claim.qualifier, claim.start)
        self.claims.setdefault(key, claim)

    def event_above(self, tok: Token, steps: int = 4) -> str | None:
        """The nearest non-statement event trigger at or above tok in the parse."""
        for _ in range(steps + 1):
            key = self.trigger_event.get(tok.i)
            if key and self.event_classes.get(key) != ("Statement",):
                return key
            if tok.head.i == tok.i:
                return None
            tok = tok.head
        return None

    def recent_event(self, tok: Token) -> str | None:
        """The event an "it" refers to: the last non-statement event trigger before tok,
        in its sentence or the one before."""
        first = tok.sent.start
        previous = self.doc[first - 1].sent.start if first > 0 else first
        for i in range(tok.i - 1, previous - 1, -1):
            key = self.trigger_event.get(i)
            if key and self.event_classes.get(key) != ("Statement",):
                return key
        return None

    def entity_in(self, tok: Token, classes: tuple[str, ...] = ("Country", "Place", "Organization", "Asset")
                  ) -> str | None:
        """The first entity of the given classes in tok's subtree (in text order)."""
        for t in tok.subtree:
            key = self.index.at(t)
            if key and self.index.classes.get(key) in classes:
                return key
        return None

    # -- durations -------------------------------------------------------------------------
    def durations(self, found: list[DurationMention]) -> None:
        for d in found:
            span = self.doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is None:
                continue
            event = self.duration_owner(span)
            minutes = duration_minutes(d.value)
            if event is None or minutes is None:
                continue
            low, high = interval(minutes, d.modifier)
            self.add(span, about="event", subject=event, attribute="duration", value=d.value, unit="minute",
                     low=low, high=high, hedge=d.modifier, extractor="claim-duration")

    def duration_owner(self, span: Span) -> str | None:
        """The event a duration phrase measures, or None when it only places another one in time."""
        root = span.root
        for child in root.children:  # "two hours of talks": the talks
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    key = self.trigger_event.get(obj.i)
                    if key:
                        return key
        if root.head.lower_ in POINT_PREPOSITIONS or any(c.lower_ in POINT_PREPOSITIONS for c in root.children):
            return None  # "after two hours", "two hours later": a point in time, not a length
        head = root.head
        if head.lemma_ in DURATION_VERBS:  # "the call lasted two hours", "It lasted almost two hours"
            for child in head.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    own = self.event_above(child, steps=0)
                    if own is None and (child.lower_ in EVENT_PRONOUNS
                                        or (child.pos_ == "NOUN" and child.lemma_.lower() in event_nouns())):
                        return self.recent_event(child)  # "It lasted", "The meeting lasted": said before
                    return own
        for key_tok, key in self.trigger_event.items():
            if self.event_classes.get(key) == ("Statement",):
                continue
            trigger = self.doc[key_tok]
            if trigger.sent.start != span.sent.start:
                continue
            governors = _governors(trigger)
            if any(self.doc[i].lemma_.lower() in HALT_VERBS for i in governors if i != trigger.i):
                continue
            if _attached(self.doc, span.start_char, span.end_char, trigger, governors):
                return key
        return None

    # -- counts ----------------------------------------------------------------------------
    def counts(self) -> None:
        w = words()
        for tok in self.doc:
            if tok.dep_ != "nummod" or tok.ent_type_ in ("DATE", "TIME", "PERCENT", "MONEY", "ORDINAL"):
                continue
            noun = tok.head
            if noun.pos_ != "NOUN" or noun.tag_ != "NNS" or noun.lemma_.lower() in w.not_counted:
                continue
            value = _number(tok)
            if value is None or value < 2:
                continue
            first = min(t.i for t in tok.subtree)
            hedge = w.hedges.get(" ".join(t.lower_ for t in self.doc[first : tok.i])) or _hedge_before(
                self.doc, first) or next(
                (w.hedges.get(c.lower_) for c in tok.children if c.dep_ in ("quantmod", "advmod")), None)
            self.count_claim(noun, value, hedge, self.doc[first : noun.i + 1], exact=value < EXACT_COUNT_BELOW)
        for tok in self.doc:  # "dozens of drones", "hundreds of civilians"
            vague = w.vague.get(tok.lower_)
            if vague is None or tok.pos_ != "NOUN":
                continue
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            noun = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if noun is None or noun.tag_ != "NNS" or noun.lemma_.lower() in w.not_counted:
                continue
            low, high = vague
            self.count_claim(noun, (low + high) / 2, "about", self.doc[tok.i : noun.i + 1], bounds=(low, high),
                             anchor=tok)

    def count_claim(self, noun: Token, value: float, hedge: str | None, span: Span, *, exact: bool = False,
                    bounds: tuple[float, float] | None = None, anchor: Token | None = None) -> None:
        top = anchor if anchor is not None else noun
        event = self.event_above(top.head if top.dep_ != "ROOT" else top)
        if event is None:
            return
        verb = top.head if top.head.pos_ == "VERB" and top.dep_ in ("dobj", "nsubjpass", "nsubj") else None
        attribute = f"number of {noun.lemma_.lower()}" + (f" ({verb.lemma_.lower()})" if verb is not None else "")
        low, high = bounds if bounds is not None else interval(value, hedge, exact)
        self.add(span, about="event", subject=event, attribute=attribute, value=f"{value:g}", unit="item",
                 low=low, high=high, hedge=hedge, extractor="claim-count")

    # -- shares ----------------------------------------------------------------------------
    def shares(self) -> None:
        """Share of a territory held: "occupying some 20 percent of Ukraine", "controls about 18%
        of Ukraine's territory".  Other percentages (polls, growth, turnout) are left alone."""
        for ent in self.doc.ents:
            if ent.label_ != "PERCENT":
                continue
            m = re.search(r"(\d+(?:\.\d+)?)", ent.text.replace(",", ""))
            root = ent.root
            above = list(root.ancestors)[:3]
            verb = next((a for a in above if a.pos_ in ("VERB", "AUX")), None)
            if m is None or verb is None or verb.lemma_.lower() not in CONTROL_VERBS:
                continue
            between = above[: above.index(verb)]  # "20 percent [of] southern Ukraine", parsed under Ukraine
            where = self.territory(root, ent.end) or next(
                (self.index.at(a) for a in between if self.index.classes.get(self.index.at(a) or "") in
                 ("Country", "Place")), None)
            if where is None:
                continue
            value = float(m.group(1))
            hedge = _hedge_before(self.doc, ent.start) or next(
                (words().hedges[t.lower_] for t in ent if t.lower_ in words().hedges), None)
            low, high = interval(value, hedge)
            self.add(ent, about="entity", subject=where, attribute="share of territory held", value=f"{value:g}",
                     unit="percent", low=low, high=high, hedge=hedge, extractor="claim-share")

    def territory(self, percent: Token, after: int) -> str | None:
        """Whose territory a percentage is: "of Ukraine", "of Ukraine's territory", or a place
        named right after it ("20 percent southern and eastern Ukraine")."""
        places = ("Country", "Place")
        of = next((c for c in percent.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if obj is not None:
            key = self.index.at(obj)
            if key and self.index.classes.get(key) in places:
                return key
            if obj.lemma_.lower() in TERRITORY_NOUNS:
                owner = next((c for c in obj.children if c.dep_ == "poss"), None)
                key = self.index.at(owner) if owner is not None else None
                return key if key and self.index.classes.get(key) in places else None
            return None
        for t in percent.subtree:
            key = self.index.at(t) if t.i >= after else None
            if key and self.index.classes.get(key) in places:
                return key
        return None

    # -- years of once-only events -----------------------------------------------------------
    def years(self, dates: list[DateMention], anchor_year: int | None) -> None:
        once = words().once
        for d in dates:
            year = int(d.value.value[:4])
            if anchor_year is not None and year > anchor_year:
                continue  # a plan, not a past event
            span = self.doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is None or not re.search(r"\b(1[89]|20)\d\d\b|\bago\b", span.text, re.IGNORECASE):
                continue
            word = self.once_word(span)
            if word is None:
                continue
            subject, other = self.once_parties(word)
            if subject is None:
                continue
            ago = "ago" in span.text.lower()
            self.add(span, about="entity", subject=subject, attribute=f"year of {once[word.lemma_.lower()]}",
                     value=str(year), unit="year", low=float(year - ago), high=float(year + ago),
                     qualifier=other, extractor="claim-year")

    def once_word(self, span: Span) -> Token | None:
        """The once-only verb or noun a year expression dates: "expelled in 2018", "2014 annexation"."""
        once = words().once
        tok = span.root
        for _ in range(3):
            if tok.lemma_.lower() in once and tok.pos_ in ("VERB", "NOUN"):
                return tok
            if tok.head.i == tok.i:
                return None
            tok = tok.head
        return tok if tok.lemma_.lower() in once and tok.pos_ in ("VERB", "NOUN") else None

    def once_parties(self, word: Token) -> tuple[str | None, str | None]:
        """(who it happened to, the other party): the patient, else the agent."""
        actors = ("Country", "Person", "Organization", "Place", "Asset")
        agent = patient = None
        for child in word.children:
            key = self.entity_in(child, actors) if child.dep_ in ("nsubj", "nsubjpass", "dobj", "poss", "prep",
                                                                   "agent") else None
            if key is None:
                continue
            if child.dep_ in ("nsubjpass", "dobj") or (child.dep_ == "prep" and child.lower_ == "of"):
                patient = patient or key
            elif child.dep_ == "prep" and child.lower_ not in ("from", "by", "into", "to"):
                continue
            else:
                agent = agent or key
        if patient is not None:
            return patient, agent if agent != patient else None
        return agent, None

    # -- roles -------------------------------------------------------------------------------
    def roles(self, mentions: list[Mention]) -> None:
        """Status of a titled person ("former President X") and the holder of an office.

        News calls past holders by their title ("President Nixon resigned"), so a bare title is
        "titled", not "current": it is "current" only when the knowledge base has the person in
        that office on the article's date, or a word says so ("outgoing", "acting").  A bare title
        the knowledge base contradicts is a reference to the past and gives no claim."""
        for m in mentions:
            if self.index.classes.get(m.entity) != "Person":
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            title = self.title_before(span.start)
            if title is None:
                continue
            start, name = title
            owner, owner_start = self.owner_of(start)
            if owner_start > 0 and self.doc[owner_start - 1].pos_ == "PROPN":
                continue  # "Pro-Choice America President", "New York City Mayor": a longer name we did not read
            title_end = start + len(name.split())
            status = status_before(self.doc, min(start, owner_start), title_end)
            if status == "then":
                continue  # "then-President X" speaks of the past, true whatever X is now
            if status is None:
                held = self.kb_holds(m.entity, name, owner)
                if held is False:
                    continue
                status = "current" if held else "titled"
            where = self.doc[max(0, min(owner_start, start) - (1 if status not in ("current", "titled") else 0))
                             : span.end]
            self.add(where, about="entity", subject=m.entity, attribute=f"office: {name}", value=status,
                     qualifier=owner, extractor="claim-status")
            if status in IN_OFFICE | {"titled"} and owner is not None and titles().get(tuple(name.split())) == "head":
                self.add(where, about="entity", subject=owner, attribute=f"holder: {name}", value="current",
                         value_entity=m.entity, extractor="claim-holder")

    def kb_holds(self, person: str, title: str, owner: str | None) -> bool | None:
        """Whether the knowledge base has `person` in the office on the article's date (None:
        it cannot tell: no date, or an office it does not list)."""
        owner_kb = self.kb_ids.get(owner or "")
        if self.anchor is None or owner_kb is None or not self.kb.holders(title, owner_kb):
            return None
        person_kb = self.kb_ids.get(person)
        return person_kb is not None and any(e.id == person_kb for e in self.kb.holders(title, owner_kb, self.anchor))

    def title_before(self, name_start: int) -> tuple[int, str] | None:
        """(first token, title) of the longest title phrase that ends right before a name."""
        for i in range(max(0, name_start - 4), name_start):
            hit = _title_at(self.doc, i)
            if hit is not None:
                end, title = hit
                gap = self.doc[end:name_start]
                if end == name_start or (len(gap) == 1 and gap[0].lower_ in ("-elect", "elect")):
                    return i, title
        return None

    def owner_of(self, title_start: int) -> tuple[str | None, int]:
        """Whose office ("US President", "Russia's president"): a local entity key, and where
        the phrase starts."""
        found = _title_owner(self.doc, title_start, self.kb)
        if found is not None:
            entry, start = found
            key = self.kb_keys.get(entry.id)
            if key is None:
                key = self.index.at(self.doc[start if self.doc[start].lower_ != "the" else start + 1])
            return key, start
        j = title_start - 1
        if j >= 0 and self.doc[j].lower_ in ("'s", "\u2019s"):
            j -= 1
        key = self.index.by_token.get(j) if j >= 0 else None
        if key and self.index.classes.get(key) in ("Organization", "Country", "Place"):
            return key, j
        return None, title_start

    # -- stances -----------------------------------------------------------------------------
    def stance_claims(self) -> None:
        for s in self.stances:
            if s.stance not in ("agreedTo", "rejected"):
                continue
            span = self.doc.char_span(s.start, s.end, alignment_mode="expand")
            if span is None:
                continue
            self.add(span, about="event", subject=s.event, attribute="stance", value=s.stance,
                     qualifier=s.actor, extractor="claim-stance")


def find_claims(doc: Doc, entities: Iterable[LocalEntity], mentions: Iterable[Mention],
                events: Iterable[Event], stances: Iterable[Stance], kb: KnowledgeBase, anchor_year: int | None
                ) -> list[Claim]:
    """Every claim of the article, in text order (see the module docstring)."""
    mentions = list(mentions)
    finder = ClaimFinder(doc, list(entities), mentions, list(events), list(stances), kb)
    dates, _, _, durations = _expressions(doc, doc._.ng_anchor_date)
    finder.durations(durations)
    finder.counts()
    finder.shares()
    finder.years(dates, anchor_year)
    finder.roles(mentions)
    finder.stance_claims()
    return sorted(finder.claims.values(), key=lambda c: (c.start, c.end, c.attribute))


@Language.factory("newsgraph_claims", default_config={"kb_files": []})
def make_claim_component(nlp: Language, name: str, kb_files: list[str]) -> ClaimComponent:
    return ClaimComponent(default_kb(kb_files))


class ClaimComponent:
    """Stores `find_claims(doc, ...)` on `doc._.ng_claims` (after events and quotes)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        register_extensions()
        self.kb = kb

    def __call__(self, doc: Doc) -> Doc:
        anchor = doc._.ng_anchor_date
        doc._.ng_claims = find_claims(doc, doc._.ng_entities or [], doc._.ng_mentions or [], doc._.ng_events or [],
                                      doc._.ng_stances or [], self.kb, anchor.year if anchor else None)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)
