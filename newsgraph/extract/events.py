"""Events and stances of one article, from trigger verbs and nouns and their dependents.

`find_events(doc, entities, mentions, kb, anchor)` is pure; the
`newsgraph_events` component stores its result on `doc._.ng_events` and
`doc._.ng_stances`.  Which words name events, and of which class, is
newsgraph.extract.triggers (CAMEO's verbs and newsgraph's lexicon); stance verbs
live in data/stance_verbs.csv.  The rules, all about how news reports events:

* A trigger verb's subject is the agent ("Russia has attacked Ukraine"), its
  object the target, "with X" a participant, "to X" a target, "in / from X"
  (a place) the location; a passive subject is the target and "by X" the
  agent.  An infinitive's subject is the object of the verb above it
  ("prompting the party to accuse X").  A verb whose object is an event noun
  is a light verb: the noun is the event and takes the verb's subject and
  phrases ("imposed tariffs on China").
* Parties are entities, or stand for one: a pronoun its antecedent (the
  nearest subject of a fitting kind), "Russian forces" or "Chinese officials"
  their country (the agent nouns of CAMEO's coders), "Smith's account" its
  owner.  A leader acts for what the article says they lead.
* A trigger noun takes its agents from possessives and modifiers ("Moscow's
  invasion", "the Trump-Putin talks", "Russian attacks", "a Kremlin
  statement"), or from the subject of the verb it is the object of ("Putin
  gave a speech", "Russia has launched attacks on ..."); "on / against / of X"
  is the target, "with X" and "between X and Y" participants.
* Halting or pausing attacks is a ceasefire whose target is what was
  attacked ("a halt in Russian attacks against Ukrainian energy targets").
* A ceasefire that is proposed, full, complete or permanent is also a
  proposal: news speaks of the offer, not of a truce in force.
* Stances: "X agreed to / accepted / backed E" (agreedTo), "X rejected /
  refused E" and negated agreement ("did not agree", "would not accept", "no
  agreement from X") (rejected), "X proposed E" and the agents of a proposal
  (proposed).  "Agreed to pause strikes" is agreement to the pause.
* Mentions of one event are one event: the same class with compatible
  parties and dates ("the call" is the call named before); "talks with X"
  and "the call" of the same two leaders, the same statement document named
  twice, and "the energy truce" after a halt of strikes on energy targets too.
* A proposal for an event is that event proposed ("Washington's proposal for
  a ceasefire"): it takes the proposal's agents and stances.  Stances are
  taken on proposals, agreements, truces, talks, meetings and sanctions, not
  wished for ("urged Moscow to accept") and not on events said not to exist
  ("there was no agreement").
* Statements are reports that the text dates or places ("On Sunday, X said",
  "X said in a statement", "Following the raid, X said"); their speakers may
  be appositions, "the leaders of X and Y", or the subjects of an enclosing
  clause, and their targets the parties of the reported clause.  A statement
  reported in the simple past without a day of its own is the news of the
  day (see newsgraph.extract.dates).
* An event verb under a verb of wanting or offering is proposed by its
  subject ("wants to withdraw from Mali").
Events with fewer than two parties are dropped (they cannot be told apart),
except tests, resignations and deaths, which one actor does alone.  No event is
read from a sentence too long to parse (a list, a table, a run-on scrape).
Word lists live in data/event_words.csv.
"""
from __future__ import annotations

import bisect
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsgraph.extract.datafiles import csv_rows, data_lines
from newsgraph.extract.extensions import register_extensions
from newsgraph.extract.kb import TOP_CLASS, KnowledgeBase, default_kb
from newsgraph.extract.relations import (DOMAIN, EntityIndex, Finder, _in_subject, _negated, _with_conjuncts,
                                         role_nouns)
from newsgraph.extract.quotes import MAX_SENTENCE_TOKENS
from newsgraph.extract.speakers import NAME_WEIGHT, PRONOUN_GENDER, name_gender_score
from newsgraph.extract.triggers import Trigger, event_nouns, trigger_of
from newsgraph.extract.values import Event, EventMention, LocalEntity, Mention, Relation, Stance

if TYPE_CHECKING:
    from newsgraph.extract.timex import PendingDate



@lru_cache(maxsize=1)
def event_words() -> dict[str, frozenset[str]]:
    """Word lists of the rules, by role (data/event_words.csv says what each is for)."""
    words: dict[str, set[str]] = {}
    for row in csv_rows("event_words.csv"):
        words.setdefault(row["role"], set()).add(row["word"])
    return {role: frozenset(ws) for role, ws in words.items()}


log = logging.getLogger("newsgraph.extract")

EVENT_CONFIDENCE = 0.7
STANCE_CONFIDENCE = 0.7
ACTORS = {"Person", "Organization", "Country"}
REPORTING_VERBS = {"say", "tell", "write", "insist", "post", "add", "claim", "warn", "announce", "declare"}
HALTS = {"halt", "pause", "suspend", "stop", "end", "freeze", "cessation"}
# what is halted is not happening: "suspended military aid" is the suspension, not a delivery
WITHHOLDS = HALTS | {"withhold", "cut"}
DEFINITE = {"the", "this", "that", "these", "those"}
AIMING_VERBS = {"aim", "target", "direct"}
AIMING_PREPOSITIONS = {"at", "on", "into", "toward", "towards", "against"}
FORCE_CLASSES = {"Attack", "MilitaryOperation"}
# measures levied on someone: the verb's "on X" is their target whatever the verb ("raised tariffs on X")
LEVY_CLASSES = {"Tariff", "Sanction"}
# events about an office: "as X of Y" names the body ("resigned as head of the FBI")
OFFICE_CLASSES = {"Appointment", "Resignation", "Dismissal", "Election"}
# inquiries into a country: "the Russia investigation" investigates Russia
INQUIRY_CLASSES = {"Investigation"}
# events whose subject clause tells what they did: "a quake struck Nepal", "strikes killed 20 in Gaza"
EFFECT_CLASSES = FORCE_CLASSES | {"Disaster"}
# prepositions of place: "in Kyiv", "outside the parliament", "around Taiwan"
# arcs from a name to the subject it is part of: a name compounded into it, a conjunct ("Ivanka
# Trump, the president's husband, ...": not an owner inside the subject)
NAME_ARCS = ("compound", "conj", "flat")
PLACE_PREPOSITIONS = {"in", "at", "near", "outside", "around", "across", "inside", "throughout"}
HOSTILE = {"attack", "strike", "fighting", "fight", "bombing", "shelling", "hostility", "war"}
PROPOSAL_MODIFIERS = {"full", "complete", "comprehensive", "permanent", "wider", "broader", "proposed",
                      "immediate", "general", "unconditional", "total"}
LIGHT_VERBS = {"have", "hold", "host", "launch", "make", "give", "announce", "conduct", "carry", "stage", "mount",
               "issue", "post", "publish", "deliver", "begin", "start", "continue", "attempt", "impose",
               "set", "lay", "put", "reiterate", "repeat", "renew", "present", "table", "outline", "submit"}
NEGATIVE_DETS = {"no"}
SELF_REFERENCES = {"report", "story", "article", "interview"}  # "this report": the news item itself
STATEMENT_KINDS = {"Statement", "Interview", "Speech"}
MEDIUM_PREPOSITIONS = {"in", "on", "during", "at"}  # "said in a statement / during a speech / at a briefing"
# verbs that put an event forward: "wants to withdraw", "offered to mediate", "plans to impose"
# adjectives that put an event forward: "ready to resume talks", "willing to negotiate"
READY_WORDS = {"ready", "willing", "eager", "open", "prepared", "keen"}
PROPOSING_VERBS = {"want", "plan", "intend", "propose", "offer", "seek", "vow", "pledge", "promise", "aim",
                   "threaten"}
# spaCy entity types whose words are names, not events ("Meet the Press", "Operation Warp Speed")
NAME_TYPES = {"WORK_OF_ART", "ORG", "PRODUCT", "FAC", "LAW", "PERSON", "GPE", "NORP"}
# force verbs news also uses for words: between two persons they are criticism ("Sanders attacked Biden")
VERBAL_FORCE = {"attack", "hit", "slam", "blast", "hammer", "assail", "bash", "lash", "savage", "target"}
# what one proposes, agrees to or rejects: offers, deals, truces, talks, measures ("welcomed the statement" is no stance)
STANCE_CLASSES = {"Proposal", "Demand", "Agreement", "PeaceAgreement", "Ceasefire", "Negotiation", "Meeting",
                  "Summit", "Sanction", "Tariff", "Legislation", "Vote", "Accusation", "Withdrawal"}
# nominal events whose agents are the subjects of the clause they sit in ("X and Y agreed ... in a phone call")
CLAUSE_AGENT_CLASSES = {"PhoneCall", "Meeting", "Negotiation", "Statement"}
# events whose sides are interchangeable: "Trump's call with Putin" is "Putin's call with Trump"
SYMMETRIC_CLASSES = {"PhoneCall", "Meeting", "Negotiation"}
MEDIA_WORDS = {"statement", "interview", "post", "message", "network", "media", "television", "tv", "speech",
               "conference", "briefing", "social", "platform", "telegram", "x", "twitter"}
SPOKESPEOPLE = event_words()["spokesperson"]
ARMED_FORCES = event_words()["armed_force"]
PARTITIVES = event_words()["partitive"]
QUANTITY_NOUNS = event_words()["quantity"]
HIT_VERBS = event_words()["hit_verb"]
IRREALIS_VERBS = event_words()["irrealis_verb"]
SEQUENCE_WORDS = event_words()["sequence_word"]
CAPTIVES = event_words()["captive"]
OPEN_WATER = event_words()["open_water"]
# nouns for people who act for a country or body: "Russian forces", "Chinese officials", "Iran's police"
AGENT_NOUNS = ARMED_FORCES | SPOKESPEOPLE | frozenset(data_lines("agent_nouns.txt"))
PRONOUN_KINDS = {"he": {"Person"}, "she": {"Person"}, "him": {"Person"}, "her": {"Person"}, "his": {"Person"},
                 "it": {"Organization", "Country"}, "its": {"Organization", "Country"},
                 "they": {"Organization", "Country"}, "them": {"Organization", "Country"},
                 "their": {"Organization", "Country"}}


def _governing_verb(tok: Token) -> Token | None:
    """The verb a noun phrase hangs from through prepositions and objects (at most three steps)."""
    for _ in range(3):
        if tok.dep_ not in ("pobj", "prep", "dobj", "obj", "npadvmod", "compound") or tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.pos_ == "VERB":
            return tok
    return None

# resolves a date expression (text, anchor) to ISO; set by the dates module when it is loaded
# (doc, trigger, anchor, news_of_the_day) -> (date, duration, relative date awaiting an anchor)
DateResolver = Callable[[Doc, Token, "dt.date | None", bool], "tuple[str | None, str | None, PendingDate | None]"]


@lru_cache(maxsize=1)
def stance_verbs() -> dict[str, str]:
    return {r["lemma"]: r["stance"] for r in csv_rows("stance_verbs.csv")}


@dataclass
class Draft:
    """An event being assembled from one trigger."""

    trigger: Token
    classes: set[str]
    agents: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    date: str | None = None
    duration: str | None = None
    pending: PendingDate | None = None
    topic: frozenset[str] = frozenset()
    key: str = ""

    def parties(self) -> set[str]:
        return set(self.agents) | set(self.participants) | set(self.targets)

    def has_roles(self) -> bool:
        return bool(self.parties() or self.locations)


def _add(items: list[str], key: str | None) -> None:
    if key and key not in items:
        items.append(key)


class EventFinder:
    def __init__(self, doc: Doc, finder: Finder, anchor: dt.date | None, dates: DateResolver | None) -> None:
        self.doc, self.f, self.anchor, self.dates = doc, finder, anchor, dates
        self.index = finder.index
        self.drafts: dict[int, Draft] = {}  # trigger token index -> draft
        self.content_of: dict[int, int] = {}  # a proposal noun -> the event it proposes
        self.light: set[int] = set()  # verbs whose object noun names their event ("held talks")
        self.too_long: set[int] = set()  # tokens of sentences too long to read events from
        self.triggers: dict[int, Trigger | None] = {}  # token index -> what it names (see `trigger`)
        self.sentence_starts = [s.start for s in doc.sents]  # once: doc.sents walks the whole doc
        self.names: dict[str, str] = {}  # entity key -> name (find_events sets it: pronouns' gender)

    def cls(self, key: str | None) -> str | None:
        """The top class of an entity key (the index keeps top classes: Person, Country ...)."""
        return self.index.classes.get(key) if key else None

    def actor(self, tok: Token) -> str | None:
        key = self.f.actor(tok)
        if key is None and tok.pos_ == "PRON":  # "she met Abe", "it imposed sanctions"
            key = self.antecedent(tok)
        if key is None and tok.lemma_.lower() in AGENT_NOUNS:  # "Ukrainian forces", "the Chinese delegation"
            key = next((k for k in (self.actor(c) for c in tok.children if c.dep_ in ("amod", "poss", "compound"))
                        if k), None)
        if key is None and tok.pos_ == "ADJ":
            words = [c.text for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i] + [tok.text]
            country = self.f.kb.country_of_adjective(" ".join(words))  # "North Korean officials"
            if country is None and len(words) > 1:
                country = self.f.kb.country_of_adjective(tok.text)
            if country is not None:
                key = self.f.country_key(country.id, tok)
        if key is None and tok.pos_ == "NOUN":  # "her husband, Stephen Miller", "the leader of France"
            named = [c for c in tok.children if c.dep_ == "appos"] + _represented(tok) + _named_by_clause(tok)
            key = next((k for k in map(self.f.actor, named) if k), None)
        if key is None and tok.pos_ == "NOUN" and tok.lemma_.lower() in role_nouns() \
                and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            key = self.described(tok)  # "the president warned": the president the article named
        if key is None and tok.tag_ == "WDT":  # "the G7, from which Russia was expelled"
            head = tok
            for _ in range(3):
                head = head.head
                if head.dep_ == "relcl":
                    key = self._antecedent(head.head)
                    break
        return key if self.cls(key) in ACTORS else None

    def described(self, noun: Token) -> str | None:
        """The person a definite role description stands for ("the president", "the U.S.
        president", "the North Korean leader"): the latest person named before it with that role
        word in their name's phrase ("President Donald Trump", "North Korean leader Kim Jong Un")."""
        role = noun.lemma_.lower()
        for i in range(noun.i - 1, -1, -1):
            key = self.index.by_token.get(i)
            if key is None or self.cls(key) != "Person" or self.index.by_token.get(i + 1) == key:
                continue  # (the last token of a person's name: its phrase is to the left)
            head = self.doc[i]
            words = {t.lemma_.lower() for t in head.subtree if t.i < head.i and self.index.by_token.get(t.i) != key}
            words |= {t.lemma_.lower() for appos in head.children if appos.dep_ == "appos" for t in appos.subtree}
            if role in words:
                return key
        return None

    def antecedent(self, pronoun: Token) -> str | None:
        """The entity a personal pronoun stands for: the nearest one before it, within the sentence
        and the two before, of a kind the pronoun can name (he, she: a person; it: an organisation
        or a country; they: those, or a person when the text names no group)."""
        kinds = PRONOUN_KINDS.get(pronoun.lower_)
        if kinds is None:
            return None
        starts = self.sentence_starts
        here = bisect.bisect_right(starts, pronoun.i) - 1
        start = starts[max(0, here - 2)]
        fits = [(i, key) for i in range(pronoun.i - 1, start - 1, -1)
                for key in [self.index.by_token.get(i)] if key and self.cls(key) in kinds]
        gender = PRONOUN_GENDER.get(pronoun.lower_)
        if gender is not None:  # "she" is not a person whose first name is a man's ("Barack Obama")
            fits = [(i, key) for i, key in fits if not self._other_gender(key, gender)]
        # the subject of a clause before is the likeliest referent ("Ivanka Trump, the president's
        # husband, attended ... She met Abe": she is the first named, not her husband)
        subject = next((key for i, key in fits if _in_subject(self.doc[i], NAME_ARCS)), None)
        return subject or (fits[0][1] if fits else None)

    def _other_gender(self, key: str, gender: str) -> bool:
        """Whether the person's first name is surely of the other gender than the pronoun's (a name
        only mostly of one gender, such as "Kim", which is also a Korean family name, tells nothing)."""
        words = self.names.get(key, "").split()
        score = name_gender_score(words[0]) if len(words) > 1 else 0.0
        return abs(score) >= NAME_WEIGHT and (score > 0) == (gender == "f")

    def _antecedent(self, noun: Token) -> str | None:
        """The actor a relative clause hangs from: the noun, its compound ('the G7 group'), or the
        noun an of-phrase depends on ('the G7 group of rich democracies, from which ...')."""
        for _ in range(2):
            for t in (noun, *(c for c in noun.children if c.dep_ in ("compound", "nmod"))):
                key = self.f.actor(t)
                if key:
                    return key
            if not (noun.dep_ == "pobj" and noun.head.lower_ == "of"):
                return None
            noun = noun.head.head
        return None

    def thing(self, tok: Token) -> str | None:
        """What an event is done to: the entity, the whole a part names ('much of the Kursk region',
        'parts of which'), or the antecedent of a relative pronoun."""
        key = self.index.at(tok)
        if key is None and tok.pos_ == "PRON":
            key = self.antecedent(tok)
        if key is None and tok.pos_ == "NOUN":  # "Smith's account was hacked": what is his
            key = next((k for c in tok.children if c.dep_ == "poss" for k in [self.index.at(c) or self.actor(c)] if k), None)
        if key is None and tok.lemma_.lower() in PARTITIVES:
            whole = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                     if p.dep_ == "pobj"]
            key = next((k for k in map(self.thing, whole) if k), None)
        if key is None and tok.tag_ == "WDT" and tok.head.dep_ == "relcl":
            key = self.index.at(tok.head.head)
        if key is None and tok.tag_ == "WDT" and tok.head.dep_ == "prep" and tok.head.head.dep_ in ("relcl", "nsubj", "dobj"):
            clause = tok.head.head if tok.head.head.dep_ == "relcl" else tok.head.head.head
            if clause.dep_ == "relcl":
                key = self.index.at(clause.head)
        return key

    def target(self, d: Draft, tok: Token) -> None:
        """What an event is done to; when that is a thing the article does not name, the entity
        it belongs to is a party ("shot down a Turkish jet", "rockets at Turkish posts"):
        a participant, not the target (the jet, not Turkey, was attacked)."""
        key = self.thing(tok)
        examples = [t for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"
                    and any(g.lower_ == "such" for g in c.children) or (c.dep_ == "prep" and c.lower_ == "including")
                    for p in c.children if p.dep_ == "pobj" for t in _with_conjuncts(p)] if tok.pos_ == "NOUN" else []
        if key:
            _add(d.targets, key)
        elif examples:  # "hacked other CEOs, such as Facebook's Mark Zuckerberg and Google's Sundar Pichai"
            for t in examples:
                _add(d.targets, self.thing(t))
        elif tok.pos_ == "NOUN":
            for c in tok.children:
                if c.dep_ in ("compound", "amod", "nmod"):
                    owner = self.actor(c)
                    if owner:
                        _add(d.participants, owner)
                    elif self.place(c):  # "a Kharkiv hospital": where it happened
                        _add(d.locations, self.place(c))

    def place(self, tok: Token) -> str | None:
        key = self.index.at(tok)
        return key if self.cls(key) in ("Place", "Country") else None

    # -- triggers ------------------------------------------------------------------------------
    def trigger(self, tok: Token) -> Trigger | None:
        """`trigger_of` a token, once per token: collecting, light verbs, media and phrases all ask."""
        if tok.i not in self.triggers:
            self.triggers[tok.i] = trigger_of(tok, self.kind)
        return self.triggers[tok.i]

    def kind(self, tok: Token) -> str | None:
        """The top class of the entity a token stands for (the triggers' sense guards ask it)."""
        return self.cls(self.index.at(tok))

    def collect(self) -> None:
        too_long = self.too_long
        for sent in self.doc.sents:
            if len(sent) > MAX_SENTENCE_TOKENS:  # a list, a table or a run-on scrape: its parse says little
                log.warning("sentence at %d has %d tokens (over %d); no events read from it",
                            sent.start_char, len(sent), MAX_SENTENCE_TOKENS)
                too_long.update(range(sent.start, sent.end))
        for tok in self.doc:
            if tok.i in too_long:
                continue
            if tok.i in self.index.by_token or tok.ent_type_ in NAME_TYPES:
                continue  # part of a name: "Meet the Press", "the Strike Force"
            trigger = self.trigger(tok)
            if trigger is None:
                continue
            cls, pos = trigger.cls, "VERB" if tok.pos_ == "VERB" else "NOUN"
            if pos == "VERB" and self._names_its_event(tok, trigger):
                self.light.add(tok.i)
                continue  # "launched strikes", "signed a deal": the noun names the event
            if cls in STATEMENT_KINDS and pos == "NOUN" and self._medium_of_report(tok):
                continue  # "said in a statement": the report is the event, the noun its medium
            if pos == "VERB" and _negated(tok):
                continue
            if pos == "NOUN" and tok.dep_ in ("attr", "dobj") and _negated(tok.head):
                continue  # "this isn't a rally", "did not hold talks": no event
            if pos == "NOUN" and _called_for(tok):
                continue  # "calls for an investigation into X": asked for, not (yet) done
            if self._urged(tok):
                continue  # "urged the attorney general to launch an investigation": not (yet) done
            if pos == "VERB" and tok.dep_ in ("acl", "relcl") and {"to", "be"} <= {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}:
                continue  # "concerns to be investigated": an infinitive of what is to be done
            if pos == "VERB" and _purpose(tok):
                continue  # "sanctions aimed at getting Minsk to release prisoners": an aim, not an act
            if _conditional(tok):
                continue  # "if Iran attacks Israel": a case considered, not an event
            if _hypothetical(tok):
                continue  # "he should be impeached", "does not need a lawsuit": no event told
            if pos == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("this", "these") for c in tok.children) \
                    and tok.lemma_.lower() in SELF_REFERENCES:
                continue  # "contributed to this report": the article itself
            if pos == "NOUN" and any(c.lower_ in NEGATIVE_DETS for c in tok.children):
                continue  # "there was no agreement": an event said not to have happened
            if pos == "NOUN" and tok.lemma_ == "talk" and tok.tag_ != "NNS":
                continue
            if cls == "Ceasefire" and tok.lemma_ in HALTS and not self._halts_hostilities(tok):
                continue
            if cls == "Attack" and tok.head.lemma_ in HALTS and tok.dep_ in ("dobj", "pobj"):
                continue  # "pause strikes": the ceasefire is the event, built from the halt
            if cls == "AidDelivery" and tok.head.lemma_ in WITHHOLDS and tok.dep_ in ("dobj", "pobj"):
                continue  # "froze aid to Kyiv": the suspension is the event
            if cls == "Statement" and pos == "VERB" and not self._public(tok):
                continue
            if cls == "Statement" and pos == "VERB":  # "said in an interview", "said in a speech"
                cls = self._medium_kind(tok) or cls
            if not self._sense_fits(tok, cls, pos):
                continue
            if cls == "WeaponsTest" and pos == "VERB" and self._aimed_at_someone(tok):
                cls = "Attack"  # "fired rockets into Israel": aimed at a country, not a test
            draft = Draft(tok, {cls})
            (self.verb_roles if pos == "VERB" else self.noun_roles)(draft)
            if trigger.reverse:  # "faced charges": the subject is the one charged
                draft.agents, draft.targets = [], draft.agents + draft.targets
            if pos == "VERB" and tok.lemma_.lower() in VERBAL_FORCE and self._between_people(draft):
                draft.classes = {"Accusation"}  # "the senator attacked the governor": words, not arms
            if cls in STATEMENT_KINDS:
                self.reported_parties(draft)
            elif cls in ("Proposal", "Demand", "Legislation") and pos == "NOUN":
                self.proposal_content(draft)  # ("a bill banning TikTok": TikTok is its target)
            if pos == "NOUN" and len(draft.parties() | set(draft.locations)) < MIN_PARTIES \
                    and not draft.classes & WORD_CLASSES:
                self.clause_parties(draft)  # (words name their author and matter themselves, or none)
            if trigger.general and not (len(draft.agents) > 1 or (draft.agents and (draft.targets or draft.participants))):
                continue  # "left in March", "joined a team": CAMEO's sense needs a party acted on (or two acting: "X and Y met")
            if cls in ("Ceasefire", "Agreement") and self._proposed(tok):
                draft.classes.add("Proposal")
            elif _wished(tok) and cls not in WORD_CLASSES and not _threatened_act(tok):
                draft.classes.add("Proposal")  # "offered to swap prisoners": a swap proposed
                if not draft.agents:  # "Iran said it was ready to resume talks": Iran proposes them
                    verb = tok if pos == "VERB" else _governing_verb(tok)
                    holder = None if verb is None else verb.head.head if verb.head.pos_ == "ADJ" else verb.head
                    for s in self.f.subjects(holder) if holder is not None else ():
                        _add(draft.agents, self.actor(s))
            self.when(draft)
            draft.topic = self._topic(draft)
            self.drafts[tok.i] = draft

    def _aimed_at_someone(self, verb: Token) -> bool:
        """Whether a launch is aimed at a named country, place or actor ("into Israel", "at
        Seoul"); "into the sea" is no one's."""
        return any(c.dep_ == "prep" and c.lower_ in AIMING_PREPOSITIONS and self.index.at(p) is not None
                   and not ({p.lemma_.lower(), *(t.lemma_.lower() for t in p.children)} & OPEN_WATER)
                   for c in verb.children for p in c.children if p.dep_ == "pobj")

    def _urged(self, tok: Token) -> bool:
        """An event asked, urged or hoped for has not happened: its verb (or the verb a noun event
        is the object of) is the infinitive under such a verb.  Under a verb of wanting or offering
        it is a proposal (see `_wished`) and kept."""
        verb = tok if tok.pos_ == "VERB" else _governing_verb(tok)
        if verb is None or verb.dep_ != "xcomp":
            return False
        if verb.head.lemma_.lower() in CAUSATIVE_VERBS and verb.head.dep_ == "xcomp":
            verb = verb.head  # "dared them to have him expelled"
        head = verb.head.lemma_.lower()
        return head in IRREALIS_VERBS and head not in PROPOSING_VERBS

    def _names_its_event(self, verb: Token, trigger: Trigger) -> bool:
        """A verb whose object is an event noun is a light verb: the noun is the event ("launched
        strikes", "held talks"), unless the verb names an event of its own in the lexicon ("halted
        strikes" is a truce)."""
        for c in verb.children:
            if c.dep_ in ("dobj", "obj"):
                own = self.trigger(c)
                if own is not None and (not trigger.lexicon or own.cls == trigger.cls
                                        or verb.lemma_.lower() in LIGHT_VERBS):
                    return True  # ("launched a missile attack": the attack, not a missile launch)
            elif c.dep_ == "prep" and c.lower_ in ("to", "on") and verb.lemma_.lower() in stance_verbs():
                # "agreed to a truce", "signed on to the deal": a stance on the noun's event
                if any(p.dep_ == "pobj" and (own := self.trigger(p)) is not None and own.cls in STANCE_CLASSES
                       for p in c.children):
                    return True
        return False

    def _between_people(self, d: Draft) -> bool:
        """Force verbs from a person against a person or a body are verbal attacks: a person's arms
        are words ("LaPierre attacked Democrats", "Sanders hit Biden over trade")."""
        agents = {self.cls(k) for k in d.agents}
        targets = {self.cls(k) for k in d.targets}
        return agents == {"Person"} and bool(targets) and targets <= {"Person", "Organization"}

    def clause_parties(self, d: Draft) -> None:
        """A noun event its own phrase gives too few parties takes those of the clause it sits in:
        the subject of the verb it depends on ("Moscow, together with Iranian forces, waged a war")
        and the names inside its own phrase at any depth ("the report on North Korea's arms sales
        to Sudan")."""
        verb = _governing_verb(d.trigger)
        timed = d.trigger.dep_ == "pobj" and d.trigger.head.lower_ in SEQUENCE_WORDS | {"amid", "until"}
        if verb is not None and not timed and not _negated(verb) and verb.lemma_.lower() not in stance_verbs() \
                and verb.lemma_.lower() not in NAMING_VERBS | JUDGING_VERBS:
            # ("called the investigation a witch hunt": who names or judges an event is not its agent)
            # ("after a raid on his aide's office, the mayor resigned": a time, not the raider)
            for s in self.subjects(verb):
                _add(d.agents, self.actor(s))
        if verb is not None and not timed:  # "gathered in Geneva for talks": where the event is
            self._places_within(verb, d, depth=1)
        todo = list(d.trigger.children)
        while todo:  # its own phrase: not a clause under it, nor the phrase of another event in it
            t = todo.pop()
            if t.dep_ in ("relcl", "acl", "ccomp") or (t.pos_ in ("NOUN", "VERB") and self.trigger(t)):
                continue
            todo.extend(t.children)
            key = self.index.by_token.get(t.i)
            if key and key not in d.agents and key not in d.participants:
                # ("in Ottawa, Canada": the country in apposition to a place is a place too)
                place = self.cls(key) == "Place" or (self.cls(key) == "Country" and t.dep_ == "appos")
                (_add(d.locations, key) if place else _add(d.targets, key))

    def proposal_content(self, d: Draft) -> None:
        """What a demand or condition is about: the parties of its clause ('a demand that the West
        halt aid to Kyiv', 'conditions, including that Ukraine be barred from joining NATO')."""
        noun = d.trigger
        holders = [noun] + ([noun.head.head] if noun.dep_ == "pobj" and noun.head.lower_ == "of" else [])
        for holder in holders:
            for c in holder.children:
                if c.dep_ in ("acl", "ccomp", "relcl") or (c.dep_ == "prep" and c.lower_ == "including"):
                    for t in c.subtree:
                        key = self.index.by_token.get(t.i)
                        if key and key not in d.agents:
                            _add(d.targets, key)

    def clause_subjects(self, verb: Token) -> list[Token]:
        """The subjects of a verb, else of the clauses it is part of ('Tusk appears to have answered,
        saying ...'): at most three steps up through xcomp, advcl and conj."""
        for _ in range(3):
            subjects = self.f.subjects(verb)
            if subjects or verb.dep_ not in ("xcomp", "advcl", "conj") or verb.head.i == verb.i:
                break
            verb = verb.head
        else:
            subjects = self.f.subjects(verb)
        # "the leaders of France and Germany said": each country speaks
        return [t for s in subjects for t in (_represented(s) or [s])]

    def _topic(self, d: Draft) -> frozenset[str]:
        """The common nouns that say what an event is about: its own modifiers ('the energy truce')
        and the nouns of its targets' names ('Ukrainian energy targets')."""
        own = {c.lemma_.lower() for c in d.trigger.children
               if c.dep_ in ("compound", "nmod") and c.pos_ == "NOUN" and c.i not in self.index.by_token}
        named = {t.lemma_.lower() for t in d.trigger.sent
                 if t.pos_ == "NOUN" and self.index.by_token.get(t.i) in d.targets}
        return frozenset(own | named)

    def _sense_fits(self, verb: Token, cls: str, pos: str | None) -> bool:
        """Verbs with an everyday sense: 'fired' is an attack with something fired or a target
        ('fired missiles', 'fired at troops'), not 'fired up' or 'fired the director'; 'released'
        frees a captive ('released two prisoners'), not a report; 'called him a liar' and 'called on
        Iran to stop' name and urge, in no sense of 'call' an event."""
        if pos == "VERB" and verb.lemma_.lower() == "call":
            return not any(c.dep_ in ("oprd", "xcomp", "ccomp", "attr") for c in verb.children)
        if pos != "VERB" or verb.lemma_.lower() not in ("fire", "release") or cls not in ("Attack", "PrisonerRelease"):
            return True
        objects = [t for c in verb.children if c.dep_ in ("dobj", "obj", "nsubjpass") for t in _with_conjuncts(c)]
        if verb.lemma_.lower() == "release":
            return cls != "PrisonerRelease" or any(
                t.lemma_.lower() in CAPTIVES or self.cls(self.index.at(t)) == "Person" for t in objects)
        if any(c.dep_ == "prt" for c in verb.children) or any(self.cls(self.index.at(t)) == "Person" for t in objects):
            return False
        return bool(objects) or any(c.dep_ == "prep" and c.lower_ in ("at", "on", "into") for c in verb.children)

    def _medium_kind(self, verb: Token) -> str | None:
        """The kind of statement a report's medium names: 'in an interview' (Interview), 'in a
        speech' (Speech)."""
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in MEDIUM_PREPOSITIONS:
                for p in c.children:
                    found = self.trigger(p) if p.dep_ == "pobj" else None
                    if found is not None and found.cls in STATEMENT_KINDS - {"Statement"}:
                        return found.cls
        return None

    def _medium_of_report(self, noun: Token) -> bool:
        """'X said in a statement / in a post / on his network': the noun hangs from a reporting verb."""
        prep = noun.head
        return noun.dep_ == "pobj" and prep.lower_ in MEDIUM_PREPOSITIONS and (
            prep.head.pos_ == "VERB" and prep.head.lemma_.lower() in REPORTING_VERBS)

    def reported_parties(self, d: Draft) -> None:
        """What a statement is about: the parties named in the reported clause ('Trump said the US
        needed Greenland'); for a noun, the clause of the verb it comes with ('a speech, saying ...')."""
        verb = d.trigger
        if verb.pos_ != "VERB":
            if verb.dep_ == "nsubj" and verb.head.lemma_.lower() in REPORTING_VERBS:
                verb = verb.head  # "A Pentagon statement said the drills ..."
            else:
                verb = next((c for c in (_governing_verb(verb) or verb).children
                             if c.dep_ == "advcl" and c.lemma_.lower() in REPORTING_VERBS), verb)
        # "said in a statement that ...": the clause may hang from the medium
        media = [p for c in verb.children if c.dep_ == "prep" for p in c.children
                 if p.dep_ == "pobj" and p.lower_ in MEDIA_WORDS]
        for c in [c for holder in (verb, *media) for c in holder.children]:
            if c.dep_ in ("ccomp", "xcomp", "dobj", "acl") and c.i != d.trigger.i:
                for t in c.subtree:
                    key = self.index.by_token.get(t.i)
                    if key and key not in d.agents:
                        _add(d.targets, key)

    def absorb_proposals(self) -> None:
        """'Washington's proposal for a full ceasefire', 'the US plan to halt fighting': the proposal
        is the proposed event, which takes its agents; stances on the proposal are stances on it."""
        for i, draft in list(self.drafts.items()):
            if draft.classes != {"Proposal"} or draft.trigger.pos_ == "VERB":
                continue  # "the plan to attack" is no proposal made to anyone: only offers of truces, deals, talks
            content = next((self.drafts[t.i] for c in draft.trigger.children for t in
                            ([p for p in c.children if p.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ in ("for", "of")
                             else [c] if c.dep_ in ("acl", "relcl", "xcomp") else [])
                            if t.i in self.drafts and t.i != i and self.drafts[t.i].classes & STANCE_CLASSES), None)
            if content is None:
                continue
            content.classes.add("Proposal")
            for role in ("agents", "participants", "targets", "locations"):
                for key in getattr(draft, role):
                    _add(getattr(content, role), key)
            content.date, content.duration = content.date or draft.date, content.duration or draft.duration
            self.content_of[i] = content.trigger.i
            del self.drafts[i]

    def _public(self, verb: Token) -> bool:
        """A reporting verb is a statement event when the text dates it or names its medium."""
        for c in verb.children:
            if c.ent_type_ in ("DATE", "TIME") or (c.dep_ == "npadvmod" and c.ent_type_):
                return True
            if c.dep_ == "prep" and c.lower_ in ("on", "in", "at"):
                for t in c.subtree:
                    if t.ent_type_ in ("DATE", "TIME") or t.lower_ in MEDIA_WORDS:
                        return True
            # "Following the raid, Trump said": dated by the event it follows
            if c.dep_ in ("prep", "advmod", "npadvmod") and c.lower_ in SEQUENCE_WORDS and any(
                    t.pos_ == "NOUN" and t.lemma_.lower() in event_nouns() for t in c.subtree):
                return True
        return False

    def statements(self) -> None:
        """'On Sunday, Trump said ...', 'Trump insisted on his Truth Social network': Statement events."""
        for tok in self.doc:
            if tok.pos_ != "VERB" or tok.lemma_ not in REPORTING_VERBS or tok.i in self.drafts or tok.i in self.too_long:
                continue
            if _negated(tok) or not self._public(tok):
                continue
            d = Draft(tok, {"Statement"})
            for s in self.clause_subjects(tok):
                _add(d.agents, self.actor(s))
            if not d.agents:
                continue
            self.reported_parties(d)
            self.when(d)
            self.drafts[tok.i] = d

    def _halts_hostilities(self, tok: Token) -> bool:
        for t in tok.subtree:
            if t.i != tok.i and t.lemma_ in HOSTILE:
                return True
        return False

    def _proposed(self, tok: Token) -> bool:
        if any(c.lower_ in PROPOSAL_MODIFIERS for c in tok.children):
            return True
        head = tok.head if tok.dep_ != "pobj" else tok.head.head
        return head.lemma_ in ("propose", "reject", "refuse", "demand", "seek") or (
            tok.dep_ == "compound" and head.lemma_ in ("proposal", "plan"))

    def subjects(self, verb: Token) -> list[Token]:
        """A verb's subjects; for an infinitive under a verb with an object, that object ("prompting
        the party to accuse X", "urged Iran to halt"): the one who is to act."""
        if verb.dep_ == "xcomp" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            objects = [t for c in verb.head.children if c.dep_ in ("dobj", "obj") for t in _with_conjuncts(c)]
            if objects:
                return objects
        found = self.f.subjects(verb)
        climbed = verb
        for _ in range(3):  # "Biden is scheduled to return to Iowa to campaign": Biden campaigns
            if found or climbed.dep_ not in ("xcomp", "advcl") or climbed.head.i == climbed.i:
                break
            climbed = climbed.head
            found = [t for c in climbed.children if c.dep_ in ("nsubj", "nsubjpass") and c.tag_ not in ("WDT", "WP")
                     for t in _with_conjuncts(c)]
        return found

    def verb_roles(self, d: Draft) -> None:
        tok = d.trigger
        for s in (self.clause_subjects(tok) if d.classes <= STATEMENT_KINDS else self.subjects(tok)):
            passive = s.dep_ == "nsubjpass" and s.head.i == tok.i  # (not "is scheduled to campaign")
            (_add(d.targets, self.thing(s)) if passive else _add(d.agents, self.actor(s)))
            if s.i < tok.i:
                self._places_within(s, d, depth=1)  # "a jury in Manhattan convicted ..."
        for c in tok.children:
            if c.dep_ == "nsubjpass":
                for t in _with_conjuncts(c):
                    self.target(d, t)
            elif c.dep_ in ("dobj", "obj"):
                for t in _with_conjuncts(c):
                    if d.trigger.lemma_ in HALTS:
                        self._hostile_targets(t, d)
                    else:
                        self.target(d, t)
                    self._places_within(t, d)  # "indicted Ortiz in Texas": the place of the act
                    if self.trigger(t) is not None:  # "scrapped its pact with France": France is a party
                        for q in t.children:
                            if q.dep_ == "prep" and q.lower_ in ("with", "between"):
                                self._prep(q, d)
            elif c.dep_ == "acomp":  # "pleaded guilty to fraud charges in New York"
                self._places_within(c, d)
            elif c.dep_ == "prep" or (c.dep_ == "dative" and c.lower_ == "to"):  # "sent officers to Haiti"
                self._prep(c, d)
                if c.lower_ not in PLACE_PREPOSITIONS:  # "charged him with crimes in Ohio"
                    for p in c.children:
                        if p.dep_ == "pobj" and self.index.at(p) is None:
                            self._places_within(p, d, depth=1)
            elif c.dep_ == "agent":
                for p in c.children:
                    for t in _with_conjuncts(p):
                        _add(d.agents, self.actor(t))
            elif c.dep_ == "xcomp" and d.classes & {"Threat", "Vote"}:
                self._threatened(c, d)  # "threatened to retaliate against Japan", "voted to confirm Barrett"
            elif c.dep_ == "ccomp" and d.classes & {"Demand"}:  # "demanded that Congress pass the bill"
                for s in self.f.subjects(c):
                    _add(d.targets, self.actor(s))
            elif c.dep_ in ("advcl", "xcomp", "conj") and c.lemma_.lower() in HIT_VERBS and d.classes & {"Attack"}:
                for o in c.children:
                    if o.dep_ in ("dobj", "obj"):
                        for t in _with_conjuncts(o):
                            _add(d.targets, self.thing(t))
                            for q in t.children:  # "a hospital in Kharkiv"
                                if q.dep_ == "prep":
                                    self._prep(q, d)
                    elif o.dep_ == "prep":
                        self._prep(o, d)

    def _threatened(self, act: Token, d: Draft) -> None:
        """Who a threat is against, or a vote about: whom the act threatened or voted would be done
        to ("to impose tariffs on Canada", "to strike Iran", "to confirm Judge Barrett")."""
        for c in act.children:
            if c.dep_ in ("dobj", "obj"):
                for t in _with_conjuncts(c):
                    self.target(d, t)
                    for q in t.children:
                        if q.dep_ == "prep" and q.lower_ in ("on", "against"):
                            self._prep(q, d)
            elif c.dep_ == "prep" and c.lower_ in ("on", "against", "to"):
                self._prep(c, d)

    def _places_within(self, phrase: Token, d: Draft, depth: int = 2) -> None:
        """The places an object or complement phrase locates the act in: "in"/"at" phrases of the
        phrase, or of a phrase inside it ("pleaded guilty to charges in New York")."""
        for q in phrase.children:
            if q.dep_ != "prep":
                continue
            for p in q.children:
                if p.dep_ != "pobj":
                    continue
                if q.lower_ in ("in", "at"):
                    _add(d.locations, self.place(p))
                elif depth > 1 and self.index.at(p) is None:
                    self._places_within(p, d, depth - 1)

    def _hostile_targets(self, noun: Token, d: Draft) -> None:
        """'pause strikes on Ukraine energy targets': the ceasefire's target is what was attacked."""
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in ("on", "against", "in"):
                for p in c.children:
                    for t in _with_conjuncts(p):
                        _add(d.targets, self.thing(t))
                        if t.lemma_ in HOSTILE:
                            self._hostile_targets(t, d)
            elif c.dep_ == "amod":
                _add(d.participants, self.actor(c))

    def noun_roles(self, d: Draft) -> None:
        tok = d.trigger
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod"):
                for t in [c, *[g for g in c.children if g.dep_ in ("compound", "conj", "nmod")]]:
                    key = self.actor(t)
                    if key and d.classes & INQUIRY_CLASSES and c.dep_ == "compound" and self.cls(key) == "Country":
                        _add(d.targets, key)  # "the Russia investigation": Russia is investigated
                    elif key:
                        _add(d.agents, key)
                    elif c.dep_ != "amod" and self.cls(self.thing(t)) in ("Place",):
                        _add(d.locations, self.thing(t))
            elif c.dep_ == "prep":
                self._prep(c, d)
            elif c.dep_ == "acl" and c.lower_ in ("proposed",):
                d.classes.add("Proposal")
        if tok.lemma_ in HALTS or d.classes == {"Ceasefire"}:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "on", "to") :
                    for p in c.children:
                        if p.lemma_ in HOSTILE:
                            self._hostile_targets(p, d)
                            for m in p.children:
                                if m.dep_ == "amod":
                                    _add(d.participants, self.actor(m))
        if d.classes & EFFECT_CLASSES and tok.dep_ == "nsubj" and tok.head.pos_ == "VERB":
            # "an earthquake struck southern Turkey", "airstrikes killed dozens in Rafah": what the
            # event did, and where
            for c in tok.head.children:
                if c.dep_ in ("dobj", "obj"):
                    if "Disaster" in d.classes:
                        _add(d.locations, self.place(c))
                    else:
                        self.target(d, c)
                    self._places_within(c, d)
                elif c.dep_ == "prep" and c.lower_ in PLACE_PREPOSITIONS:
                    for p in c.children:
                        if p.dep_ == "pobj":
                            _add(d.locations, self.place(p))
        if d.classes & {"Sanction", "Tariff"}:  # "sanctions aimed at Belarus", "measures targeting China"
            for c in tok.children:
                if c.dep_ == "acl" and c.lemma_.lower() in AIMING_VERBS:
                    key = next((k for t in c.subtree if t.i != c.i for k in [self.actor(t)] if k), None)
                    _add(d.targets, key)
        if tok.dep_ == "pobj" and tok.head.lower_ in ("during", "at") and tok.head.head.dep_ == "ROOT" \
                and tok.head.head.pos_ == "PROPN":  # a caption: "Keir Starmer and Mark Carney during a meeting"
            named = tok.head.head
            for t in [named, *named.conjuncts, *(c for c in named.children if c.dep_ in ("nmod", "conj"))]:
                _add(d.agents, self.actor(t))
        if not d.agents and d.classes & CLAUSE_AGENT_CLASSES:
            verb = _governing_verb(tok)
            stance_object = tok.dep_ in ("dobj", "obj") and verb is not None and verb.i == tok.head.i and tok.head.lemma_ in stance_verbs()
            if verb is not None and not _negated(verb) and not stance_object:  # "X welcomed the statement": not X's
                for s in self.f.subjects(verb):
                    _add(d.agents, self.actor(s))
        slot = tok  # "set a string of conditions", "launched a series of attacks": the verb takes the series
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in QUANTITY_NOUNS:
            slot = tok.head.head
        head = slot.head
        if slot.dep_ == "pobj" and head.lower_ in ("to", "on") and head.head.lemma_.lower() in stance_verbs():
            slot, head = head, head.head  # "agreed to a truce": the noun is the verb's object
        if not d.agents and slot.dep_ in ("dobj", "obj", "attr", "prep") and head.pos_ in ("VERB", "AUX"):
            light = head.lemma_ in LIGHT_VERBS or head.i in self.light
            if head.lemma_.lower() in UNDERGO_VERBS:  # "Ryan faced criticism from the Sierra Club"
                for s in self.f.subjects(head):
                    _add(d.targets, self.thing(s))
                for c in [*head.children, *tok.children]:
                    if c.dep_ == "prep" and c.lower_ == "from":
                        for p in c.children:
                            if p.dep_ == "pobj":
                                _add(d.agents, self.actor(p))
            elif light or head.lemma_ in stance_verbs():
                for s in self.f.subjects(head):
                    _add(d.agents if light else d.participants, self.actor(s))
            for c in head.children:  # "imposed tariffs on China": a light verb's phrases are the noun's
                if c.dep_ == "prep":
                    self._prep(c, d, verb_level=not light)

    def _prep(self, prep: Token, d: Draft, verb_level: bool = False, depth: int = 0) -> None:
        word = prep.lower_
        if depth < 1 and word in ("at", "in", "on", "to"):
            # "met at a hotel with Abe", "rockets at Turkish posts in Lebanon": the
            # phrases of a place or thing the article does not name belong to the event
            for p in prep.children:
                if p.dep_ == "pobj" and p.pos_ == "NOUN" and self.index.at(p) is None:
                    for q in p.children:
                        if q.dep_ == "prep" and q.lower_ in ("with", "in", "near"):
                            self._prep(q, d, verb_level, depth + 1)
        for inner in prep.children:  # "pull out of Mali", "away from": the inner preposition says it
            if inner.dep_ == "prep" and not any(c.dep_ == "pobj" for c in prep.children):
                self._prep(inner, d, verb_level)
        for p in prep.children:
            if p.dep_ != "pobj":
                continue
            for t in _with_conjuncts(p):
                if word in ("with", "between") and not verb_level:
                    _add(d.participants, self.actor(t))
                elif word in ("on", "against", "of", "over", "at", "for") and (
                        not verb_level or (word in ("on", "against") and d.classes & LEVY_CLASSES)):
                    # ("raised tariffs on American almonds": what is levied is levied on the verb's object)
                    if t.lemma_ in HOSTILE and d.trigger.lemma_ in HALTS | {"ceasefire", "truce"}:
                        self._hostile_targets(t, d)
                    else:
                        before = len(d.targets) + len(d.participants)
                        self.target(d, t)
                        if len(d.targets) + len(d.participants) == before and word == "on":
                            for q in t.children:  # "tariffs on $200 billion in Chinese imports"
                                if q.dep_ == "prep" and q.lower_ in ("in", "of"):
                                    for o in q.children:
                                        if o.dep_ == "pobj":
                                            self.target(d, o)
                elif (word in PLACE_PREPOSITIONS or word in ("over", "from")) and self.place(t):
                    _add(d.locations, self.place(t))
                elif word == "into" and d.classes & (FORCE_CLASSES | {"Investigation"}) and self.thing(t):
                    # "rockets into Israel", "an inquiry into Boeing"
                    _add(d.targets, self.thing(t))
                elif word == "to" and not verb_level:  # "sent tanks to Ukraine", "tariffs to U.S. farmers"
                    self.target(d, t)
                elif word == "as" and d.classes & OFFICE_CLASSES:
                    # "resigned as secretary of state of Britain", "named head of the FBI"
                    for q in t.children:
                        if q.dep_ == "prep" and q.lower_ == "of":
                            for o in q.children:
                                if o.dep_ == "pobj":
                                    _add(d.targets, self.thing(o))
                elif word == "by" or (word == "from" and "Expulsion" in d.classes):
                    _add(d.agents, self.actor(t))

    def when(self, d: Draft) -> None:
        # news reports the latest statements: "Trump said in a post" without a day is the day reported
        of_the_day = "Statement" in d.classes and _simple_past(_reporting_verb(d.trigger))
        if self._stance_object(d.trigger):
            return  # "on Sunday, Hamas rejected the ceasefire": Sunday dates the rejection, not the truce
        if self.dates is not None:
            d.date, d.duration, d.pending = self.dates(self.doc, d.trigger, self.anchor, of_the_day)
            if not (d.date or d.pending) and self.anchor and self._recent_past(d.trigger):
                d.date = self.anchor.isoformat()[:7]  # "after Iran launched missiles": news of the month

    def _stance_object(self, noun: Token) -> bool:
        """A noun event that is what a stance verb is taken on ("denounced the sanctions", "agreed
        to the truce") and not the object of a light verb."""
        if noun.pos_ not in ("NOUN", "PROPN"):
            return False
        verb = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ in ("to", "on") else noun.head
        if noun.dep_ not in ("dobj", "obj", "pobj") or verb.i in self.light or verb.pos_ != "VERB":
            return False
        return verb.lemma_.lower() in stance_verbs() and not (
            stance_verbs()[verb.lemma_.lower()] == "agreedTo" and not any(c.dep_ == "det" and c.lower_ in DEFINITE
                                                                      for c in noun.children))

    def _recent_past(self, trigger: Token) -> bool:
        """An event told in the simple past with no time of its own, in a sentence that names no
        other year, is news of the article's month ("Syria fired rockets at Turkish posts");
        background ("in 2006 North Korea tested ...") names its year."""
        verb = trigger if trigger.pos_ == "VERB" else _governing_verb(trigger)
        for _ in range(2):  # "made headlines this week while touring India": the participle's clause
            if verb is None or verb.tag_ not in ("VBG", "VBN") or verb.dep_ not in ("advcl", "acl", "xcomp", "conj") \
                    or any(c.dep_ in ("aux", "auxpass") for c in verb.children):
                break
            verb = verb.head if verb.head.pos_ in ("VERB", "AUX") else None
        if verb is None or not _simple_past(verb):
            return False
        year = str(self.anchor.year) if self.anchor else ""
        return not any(t.like_num and len(t.text) == 4 and t.text != year for t in trigger.sent)

    # -- stances -------------------------------------------------------------------------------
    def stances(self, keys: dict[int, str]) -> list[Stance]:
        out: dict[tuple[str, str, str], Stance] = {}
        lex = stance_verbs()

        def add(actor: str | None, stance: str, event_tok: Token, anchor: Token) -> None:
            trigger = self.content_of.get(event_tok.i, event_tok.i)
            event = keys.get(trigger)
            if actor is None or event is None or not self.drafts[trigger].classes & STANCE_CLASSES:
                return
            sent = anchor.sent
            s = Stance(actor, stance, event, sent.start_char, sent.end_char,
                       self.f.sent_of.get(anchor.i, 0), "stance-pattern", STANCE_CONFIDENCE)
            out.setdefault((actor, stance, event), s)

        for tok in self.doc:
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" and lemma in lex:
                if tok.dep_ in ("xcomp", "ccomp") and tok.head.lemma_.lower() in IRREALIS_VERBS:
                    continue  # "expected Moscow to accept the ceasefire": a stance hoped for, not taken
                stance = lex[lemma]
                if stance == "agreedTo" and _negated(tok):
                    stance = "rejected"
                elif stance != "agreedTo" and _negated(tok):
                    continue
                actors = [self.actor(s) for s in self.f.subjects(tok) if s.dep_ != "nsubjpass"]
                actors += [self.actor(t) for c in tok.children if c.dep_ == "agent"
                           for p in c.children for t in _with_conjuncts(p)]
                if tok.dep_ == "acl" or (tok.tag_ == "VBN" and not self.f.subjects(tok)):
                    actors += [self.actor(t) for c in tok.children if c.dep_ == "agent"
                               for p in c.children for t in _with_conjuncts(p)]
                    targets = [tok.head]
                else:
                    targets = self._stance_objects(tok)
                if tok.dep_ == "amod" or (tok.tag_ == "VBN" and tok.dep_ in ("amod", "acl")):
                    targets.append(tok.head)
                for target in targets:
                    for actor in actors:
                        add(actor, stance, target, tok)
            elif lemma == "agreement" and any(c.lower_ in NEGATIVE_DETS for c in tok.children):
                actors, targets = [], []
                for c in tok.children:  # "no agreement from X for E" ("for E" may hang from X)
                    if c.dep_ == "prep" and c.lower_ == "from":
                        sources = [t for p in c.children for t in _with_conjuncts(p)]
                        actors += [self.actor(t) for t in sources]
                        targets += [p for t in sources for q in t.children
                                    if q.dep_ == "prep" and q.lower_ == "for" for p in q.children if p.dep_ == "pobj"]
                    if c.dep_ == "prep" and c.lower_ in ("for", "on", "to"):
                        targets += [p for p in c.children if p.dep_ == "pobj"]
                for target in targets:
                    for actor in actors:
                        add(actor, "rejected", self._event_token(target) or target, tok)
        for draft in self.drafts.values():  # the agents of a proposal proposed it
            if "Proposal" in draft.classes:
                for agent in draft.agents:
                    add(agent, "proposed", draft.trigger, draft.trigger)
            elif _wished(draft.trigger):  # "Macron wants to withdraw from Mali", "Iran offered to talk"
                for agent in draft.agents:
                    add(agent, "proposed", draft.trigger, draft.trigger)
        return sorted(out.values(), key=lambda s: (s.start, s.actor, s.stance, s.event))

    def _stance_objects(self, verb: Token) -> list[Token]:
        objs: list[Token] = []
        for c in verb.children:
            if c.dep_ in ("dobj", "obj"):
                objs += _with_conjuncts(c)
            elif c.dep_ == "prep" and c.lower_ in ("to", "on"):
                objs += [p for p in c.children if p.dep_ == "pobj"]
            elif c.dep_ in ("xcomp", "ccomp") and c.i in self.drafts:
                objs.append(c)
        return [self._event_token(o) or o for o in objs]

    def _event_token(self, tok: Token) -> Token | None:
        """The trigger an object stands for: itself, or an event noun it governs ('the proposal to halt')."""
        if tok.i in self.drafts or tok.i in self.content_of:
            return tok
        for c in tok.subtree:
            if c.i in self.drafts and c.i != tok.i and c.head.i == tok.i:
                return c
        return None


CONDITIONS = {"if", "unless", "whether"}


def _conditional(tok: Token) -> bool:
    """Whether a trigger (or the verb a noun event hangs from) is in a conditional clause."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else _governing_verb(tok)
    for _ in range(3):
        if verb is None:
            return False
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in verb.children):
            return True
        if verb.dep_ not in ("conj", "xcomp") or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


HYPOTHETICAL_AUX = {"could", "would", "should", "might", "may", "must"}


def _hypothetical(tok: Token) -> bool:
    """Whether a trigger's verb (or the verb a noun event hangs from) is under a modal of
    possibility or obligation, or a noun event is the object of a negated verb: cases and
    wishes, not events ("could be impeached", "doesn't need a lawsuit").  "Will" is a plan and kept."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else _governing_verb(tok)
    if verb is None:
        return False
    if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in verb.children):
        return True
    return tok.pos_ != "VERB" and _negated(verb)


def _wished(trigger: Token) -> bool:
    """An event under a verb of wanting or offering, or an adjective of readiness, is put forward
    by its subject, not done: "wants to withdraw", "offered to talk", "is ready to resume talks"."""
    verb = trigger if trigger.pos_ == "VERB" else _governing_verb(trigger)
    if verb is None or verb.dep_ != "xcomp" or _negated(verb.head):
        return False
    head = verb.head.lemma_.lower()
    return head in PROPOSING_VERBS or (verb.head.pos_ == "ADJ" and head in READY_WORDS)


CALL_FOR_HEADS = {"call", "push", "press", "demand", "clamor", "appeal", "plea"}
CAUSATIVE_VERBS = {"have", "get", "make", "let"}


def _called_for(noun: Token) -> bool:
    """A noun event asked for ("called for an investigation", "renewed calls for a ceasefire")."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "for":
        return False
    asker = prep.head
    return asker.lemma_.lower() in CALL_FOR_HEADS or any(  # ("renewed their calls for": the calls ask)
        c.dep_ in ("dobj", "obj") and c.lemma_.lower() in CALL_FOR_HEADS for c in asker.children)


def _purpose(verb: Token) -> bool:
    """A verb inside what something is aimed at ("aimed at getting Belarus to free prisoners")."""
    tok = verb
    for _ in range(4):
        if tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.lemma_.lower() == "aim" and tok.dep_ in ("acl", "advcl", "relcl", "ROOT"):
            return True
    return False


def _threatened_act(trigger: Token) -> bool:
    """An act threatened ("threatened to strike Japan") is the threat's content, not a proposal."""
    verb = trigger if trigger.pos_ == "VERB" else _governing_verb(trigger)
    return verb is not None and verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "threaten"


def _agree(x: list[str], y: list[str]) -> bool:
    return not x or not y or bool(set(x) & set(y))


def _when(d: Draft) -> str | None:
    """The day of a mention: its date, else the relative expression awaiting an anchor."""
    return d.date or (d.pending.text.lower().removeprefix("on ").strip() if d.pending else None)


NAMING_VERBS = {"call", "name", "know", "dub"}
JUDGING_VERBS = {"describe", "label", "brand", "deride", "dismiss", "decry", "praise", "hail", "mock"}


def _named_by_clause(noun: Token) -> list[Token]:
    """The name a clause gives a noun: "a group that calls itself the Lizard Squad", "a hacker
    known as Guccifer", "a militia called the Wagner Group"."""
    names: list[Token] = []
    for c in noun.children:
        if c.dep_ in ("relcl", "acl") and c.lemma_.lower() in NAMING_VERBS:
            for g in c.children:
                if g.dep_ in ("oprd", "attr", "xcomp", "ccomp") or (g.dep_ == "dobj" and g.lower_ != "itself"):
                    names.append(g)
                elif g.dep_ == "prep" and g.lower_ == "as":
                    names += [p for p in g.children if p.dep_ == "pobj"]
    return names


def _represented(noun: Token) -> list[Token]:
    """Whom a spokesperson noun speaks for: 'the leaders of France and Germany' -> France, Germany."""
    if noun.lemma_.lower() not in SPOKESPEOPLE:
        return []
    return [t for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
            for p in c.children if p.dep_ == "pobj" for t in _with_conjuncts(p)]


def _reporting_verb(tok: Token) -> Token:
    """The verb that reports a statement: the trigger verb, or the verb a statement noun is the
    subject of ('A Kremlin statement said ...')."""
    if tok.pos_ != "VERB" and tok.dep_ == "nsubj" and tok.head.lemma_.lower() in REPORTING_VERBS:
        return tok.head
    return tok


def _simple_past(verb: Token) -> bool:
    """'said', 'posted' (not 'had said', 'has said', 'said ... would'): the news of the day."""
    return verb.tag_ == "VBD" and not any(c.dep_ == "aux" for c in verb.children)


def _same_document(a: Draft, b: Draft) -> bool:
    """'A Kremlin statement said ...', 'the Kremlin statement': one noun, one author, one text."""
    return (a.trigger.pos_ == b.trigger.pos_ == "NOUN" and a.trigger.lemma_ == b.trigger.lemma_
            and bool(set(a.agents) & set(b.agents)))


def _compatible(a: Draft, b: Draft) -> bool:
    """Two mentions may be one event: same kind (one's classes within the other's), no conflicting
    date, and no role whose parties differ (Russia attacking and Ukraine attacking are two events).
    Different trigger words must share parties on both sides to be merged."""
    same_day = bool(_when(a)) and _when(a) == _when(b)
    sides_a, sides_b = a.agents + a.participants, b.agents + b.participants
    if a.classes | b.classes <= SYMMETRIC_CLASSES and a.classes != b.classes:
        # "talks with Trump" and "the call" of the same two leaders: one conversation
        return len(set(sides_a) & set(sides_b)) >= 2 and not (a.date and b.date and not same_day)
    if a.classes != b.classes and not ("Proposal" in a.classes & b.classes and {"Proposal"} in (a.classes, b.classes)):
        return False  # "the proposal" may be the proposed ceasefire named before; a proposed deal is not
    if a.classes == {"Statement"} and not (same_day or _same_document(a, b)):
        return False  # people say many things: two statements are one only on the same day
    if a.date and b.date and not (a.date.startswith(b.date) or b.date.startswith(a.date)):
        return False
    if not (a.date or b.date) and a.pending and b.pending and _when(a) != _when(b):
        return False  # "on Sunday" and "on Tuesday": two days, though the article does not say which
    if a.classes <= SYMMETRIC_CLASSES and (same_day or (sides_a and sides_b)):
        # the call of that day ("Putin's call" and "Trump's call" of Tuesday), or one with a common side
        return same_day or bool(set(sides_a) & set(sides_b))
    if not (_agree(a.agents, b.agents) and _agree(a.targets, b.targets)):
        return False
    if a.topic & b.topic and a.classes == b.classes:
        return True  # "the energy truce" is the halt of strikes on energy targets named before
    if not b.has_roles() or not a.has_roles():
        return True  # "the call": an event named without its parties is the one named before
    if a.trigger.lemma_ != b.trigger.lemma_ and not a.classes & {"Ceasefire", "PhoneCall"}:
        return bool(set(a.agents) & set(b.agents)) and bool(
            (set(a.targets) | set(a.locations)) & (set(b.targets) | set(b.locations)))
    return bool(a.parties() & b.parties())


def merge_drafts(drafts: list[Draft]) -> list[list[Draft]]:
    """Mentions of one event are one event: each joins the nearest earlier compatible group."""
    groups: list[list[Draft]] = []
    for d in sorted(drafts, key=lambda x: x.trigger.i):
        home = None
        for group in reversed(groups):
            if all(_compatible(d, g) for g in group):
                home = group
                break
        if home is None:
            groups.append([d])
        else:
            home.append(d)
    return groups


MIN_PARTIES = 2
# events one actor does alone, told apart by their actor and day
SOLO_CLASSES = {"WeaponsTest", "Resignation", "Death", "GuiltyPlea"}
# events that strike places, told apart by their place and day ("wildfires in New South Wales")
PLACE_CLASSES = {"Disaster"}


def _enough_parties(event: Event) -> bool:
    """An event needs two parties (agents, participants, targets or places, those who took a stance
    on it included) to be told apart from the many events of its class: "a meeting" or "Trump's
    statement" alone say too little."""
    if set(event.classes) & SOLO_CLASSES and event.agents:
        return True  # "North Korea launched a rocket", "Spicer resigned": one actor says what it is
    if set(event.classes) & PLACE_CLASSES and event.locations:
        return True
    return len(set(event.parties())) >= MIN_PARTIES


def _label(classes: set[str], agents: list[str], names: dict[str, str]) -> str:
    kind = min(classes - {"Proposal"} or classes)
    words = "".join(" " + ch.lower() if ch.isupper() else ch for ch in kind).strip()
    if "Proposal" in classes and kind != "Proposal":
        words += " proposal"  # "United States ceasefire proposal"
    who = " and ".join(names.get(a, a) for a in agents[:3])
    return f"{who} {words}".strip() if who else words


def find_events(doc: Doc, entities: Iterable[LocalEntity], mentions: Iterable[Mention],
                kb: KnowledgeBase | None = None, anchor: dt.date | None = None,
                dates: DateResolver | None = None, relations: Iterable[Relation] = ()
                ) -> tuple[list[Event], list[Stance], list[LocalEntity], list[Mention]]:
    """Events and stances of the article, and entities they imply (see the module docstring).
    `relations` are the article's relations: a leader acts for what they lead (below)."""
    entities = list(entities)
    finder = Finder(doc, EntityIndex.build(doc, entities, mentions), kb or default_kb())
    ef = EventFinder(doc, finder, anchor, dates)
    ef.names = {e.key: e.name for e in entities}
    ef.collect()
    ef.absorb_proposals()
    ef.statements()
    names = {e.key: e.name for e in entities} | {k: e.name for k, e in finder.implied.items()}
    groups = [g for g in merge_drafts(list(ef.drafts.values())) if any(d.has_roles() for d in g)]
    events: list[Event] = []
    keys: dict[int, str] = {}
    for n, group in enumerate(groups):
        key = f"event:{n}"
        merged = Draft(group[0].trigger, set().union(*(d.classes for d in group)))
        for d in group:
            keys[d.trigger.i] = key
            for role in ("agents", "participants", "targets", "locations"):
                for k in getattr(d, role):
                    _add(getattr(merged, role), k)
            merged.date = merged.date or d.date
            merged.duration = merged.duration or d.duration
            merged.pending = merged.pending or d.pending
        events.append(Event(
            key=key, classes=tuple(sorted(merged.classes)),
            label=_label(merged.classes, merged.agents, names),
            agents=tuple(merged.agents), participants=tuple(p for p in merged.participants if p not in merged.agents),
            targets=tuple(t for t in merged.targets if t not in merged.agents),  # ("withdrew its troops")
            locations=tuple(merged.locations),
            date=merged.date, duration=merged.duration,
            date_expression=None if merged.date or not merged.pending else merged.pending.text,
            date_future=bool(merged.pending and merged.pending.future),
            mentions=tuple(EventMention(d.trigger.idx, d.trigger.idx + len(d.trigger.text),
                                        finder.sent_of.get(d.trigger.i, 0), "event-trigger", EVENT_CONFIDENCE)
                           for d in group)))
    stances = ef.stances(keys)
    actors = {k for k, c in finder.index.classes.items() if c in ACTORS}
    bodies = _bodies_of(r for r in relations if r.object in actors)
    events = [e for e in (_with_bodies(_with_stance_actors(e, stances), bodies) for e in events)
              if _enough_parties(e)]
    kept = {e.key for e in events}
    stances = [s for s in stances if s.event in kept]
    # a country implied by a demonym ("a Russian official said") is an entity only where a kept event
    # needs it: the drafts dropped for want of parties leave none behind
    used = {k for e in events for k in e.parties()} | {s.actor for s in stances}
    implied = [e for k, e in finder.implied.items() if k in used]
    return events, stances, implied, [m for m in finder.implied_mentions if m.entity in used]


# what an event says about its parties: an attack means the agent attacked the target
VERBAL_CLASSES = {"Accusation", "Threat", "Protest"}
# events made of words: "allegations of meddling", "a statement", "the report" name their parties or none
# verbs whose subject undergoes the event their object names ("faced criticism", "received threats")
UNDERGO_VERBS = {"face", "receive", "draw", "suffer", "endure", "weather"}
WORD_CLASSES = VERBAL_CLASSES | {"Statement", "Interview", "Speech", "Demand", "Proposal", "Report"}
# (CAMEO's quad classes: material conflict is hostility, aid is support; words are not: read as
# relations, accusations, threats and protests were mostly wrong on unseen news ("the House opposes
# Pelosi" from one vote's criticism), so they imply none)
EVENT_RELATIONS = {"Attack": ("attacked",), "MilitaryOperation": ("attacked", "opposes"), "Sanction": ("opposes",),
                   "Tariff": ("opposes",), "AidDelivery": ("supports",)}


def event_relations(events: Iterable[Event], entities: Iterable[LocalEntity]) -> list[Relation]:
    """Relations implied by events ("Russia has launched attacks on Ukraine's energy infrastructure")."""
    classes = {e.key: TOP_CLASS.get(e.entity_class, e.entity_class) for e in entities}
    out = []
    for event in events:
        first = event.mentions[0]
        for cls in event.classes:
            for predicate in EVENT_RELATIONS.get(cls, ()):
                dom, rng = DOMAIN[predicate]
                for a in event.agents:
                    for t in event.targets:
                        if a != t and classes.get(a) in dom and classes.get(t) in rng:
                            out.append(Relation(a, predicate, t, first.start, first.end, first.sentence,
                                                "event-relation", 0.6))
    return out


def _bodies_of(relations: Iterable[Relation]) -> dict[str, dict[str, list[str]]]:
    """person -> {"leaderOf": [...], "affiliatedWith": [...]}: what the article says they lead or
    work for (not what a source claims); the caller passes relations to actors only (a governor
    leads a state, which does not act)."""
    out: dict[str, dict[str, list[str]]] = {}
    for r in relations:
        if r.predicate in ("leaderOf", "affiliatedWith") and r.reported_by is None:
            bodies = out.setdefault(r.subject, {}).setdefault(r.predicate, [])
            if r.object not in bodies:
                bodies.append(r.object)
    return out


def _with_bodies(event: Event, bodies: dict[str, dict[str, list[str]]]) -> Event:
    """A leader acts for what they lead, and an official for the body they speak for: "Trump
    imposed tariffs" is also the United States', "Secretary Blinken met Xi" also China's when
    the article says Xi leads it (the parties of CAMEO's actor codes: USAGOV, PRKGOV)."""
    def extend(keys: tuple[str, ...], kinds: tuple[str, ...]) -> tuple[str, ...]:
        extra = [b for k in keys for kind in kinds for b in bodies.get(k, {}).get(kind, [])]
        return tuple(dict.fromkeys(keys + tuple(extra)))

    if not bodies:
        return event
    agents = extend(event.agents, ("leaderOf", "affiliatedWith"))
    participants = tuple(p for p in extend(event.participants, ("leaderOf",)) if p not in agents)
    targets = tuple(p for p in extend(event.targets, ("leaderOf",)) if p not in agents)
    return replace(event, agents=agents, participants=participants, targets=targets)


def _with_stance_actors(event: Event, stances: list[Stance]) -> Event:
    """Who agreed to or rejected an event is a party to it."""
    roles = set(event.agents) | set(event.participants)
    extra = [s.actor for s in stances if s.event == event.key and s.actor not in roles]
    if not extra:
        return event
    return replace(event, participants=event.participants + tuple(dict.fromkeys(extra)))


_date_resolver: DateResolver | None = None


def use_date_resolver(resolver: DateResolver | None) -> None:
    """Install the function that dates events (newsgraph.extract.dates registers itself)."""
    global _date_resolver
    _date_resolver = resolver


@Language.factory("newsgraph_events", default_config={"kb_files": []})
def make_event_component(nlp: Language, name: str, kb_files: list[str]) -> EventComponent:
    return EventComponent(default_kb(kb_files))


class EventComponent:
    """Stores `find_events(doc, ...)` on `doc._.ng_events` / `doc._.ng_stances` (after relations)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        register_extensions()
        self.kb = kb

    def __call__(self, doc: Doc) -> Doc:
        entities = list(doc._.ng_entities or [])
        events, stances, implied, implied_mentions = find_events(doc, entities, doc._.ng_mentions or [], self.kb,
                                                                 doc._.ng_anchor_date, _date_resolver,
                                                                 doc._.ng_relations or [])
        known = {e.key for e in entities}
        doc._.ng_relations = list(doc._.ng_relations or []) + event_relations(events, entities + implied)
        doc._.ng_events = events
        doc._.ng_stances = stances
        doc._.ng_entities = entities + [e for e in implied if e.key not in known]
        doc._.ng_mentions = list(doc._.ng_mentions or []) + implied_mentions
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

