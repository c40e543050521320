"""Relations between the entities of one article, from the structure of news sentences.

`find_relations(doc, entities, mentions, kb)` is pure; the `newsgraph_relations`
component stores its result on `doc._.ng_relations`.  Rule data (trigger verbs
and nouns with the prepositions that introduce their objects) lives in
data/relation_verbs.csv and data/relation_nouns.csv.  The rules:

* Titles (titled.py finds the phrase, its owner and its holder): "Russian President
  Vladimir Putin", "White House press secretary X", "Twitter CEO X", "X, a senior White House
  adviser", "X, the secretary general of NATO", "X is managing director of Y"; without an owner,
  the KB's office of the person on the article's date ("President Trump"), the body the title
  names ("Sen.", "Rep.") or, for a national title, the country the article is about ("Prime
  Minister X"); a title a verb gives ("X has been named White House deputy chief of staff", "X,
  who serves as ...").  leaderOf for heads, affiliatedWith for other offices; past ("former",
  "ex-", "then-", "late"), deputy and regional titles are no current leadership.
* Parties: "Sen. X, R-Wis.", "Rep. X (D-N.Y.)", "X, an Arizona Democrat", "Democratic Sen. X"
  (affiliatedWith the party: data/party_words.csv); a party's examples ("eight Democrats voted
  no, including Rep. X", "Republicans such as X") and the listed candidates of one party's race
  ("the Democratic primary ... The following candidates have 1 percent: A, B and C").
* Affiliation: "Maria Snegovaya of the Centre for ...", an apposition that names a role
  (data/role_nouns.txt): "Kristine Berzina, managing director of the German Marshall Fund",
  "The BBC diplomatic correspondent, James Landale"; possessives: "NPR's X" (works for it),
  "China's Xi Jinping" (as far as the KB says); "X works for / at Y" (now).
* Verbs: subject -> object of a trigger verb ("Russia has attacked Ukraine",
  "Ukraine ... has bombed multiple Russian oil installations", "Iran accused Israel",
  "Finland joined NATO"), passives with "by", conjoined subjects and objects; "fire at",
  "fight against", "lash out at"; "X's decision to strike Y"; what is done to X's thing is done
  to X ("hacked X's account").
* Nouns: "attacks on X" and "aid to X" take the subject of the governing verb
  ("Russia has launched attacks on ..."); "X's invasion of Y", "X's war against Y", "the war
  between X and Y"; what a noun describes: "X, a close ally of Y", "X is a member of NATO",
  "Kremlin critic X", "NATO members X and Y", "one of Y's supporters", the examples of such a
  noun ("Ukraine's allies, including Poland"); a country adjective or a possessive pronoun as
  the subject ("Iranian support for X", "its war with X"); "X has been at war with Y" (both ways).
* Lists of a body's members: "A, B and C make up the G7", "the nations that make up X are A,
  B", "X is made up of / consists of / comprises A, B", "X's members include A".
* Noun phrases: "the Moscow-occupied Zaporizhzhia plant" (controls), "Russia's
  Kursk region", "Crimea is part of Ukraine" (partOf), "Ukraine's Zaporizhzhia nuclear power
  plant", "Jeddah, Saudi Arabia", "Toledo, Ohio" (a state by pycountry), "X in southern Y",
  "X, a port city in Y" and "the Ukrainian capital Kyiv" (locatedIn), "the Tigray region of
  Ethiopia" (partOf), "Nato member Denmark" (memberOf), "the Iran-backed X" (supports).
* States and provinces (ISO 3166-2, subdivisions.py) used as places ("rallies in Ohio") are part
  of their country when the article names it; "City, State" is both in and part of the state.
* Negated triggers give nothing; "could", "may", "might", "would" and "if"
  lower the confidence; a relation inside what a source said keeps the source.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.extract.datafiles import csv_rows, data_lines
from newsgraph.extract.extensions import register_extensions
from newsgraph.extract.subdivisions import countries_of_subdivision, is_state
from newsgraph.extract.kb import TOP_CLASS, KBEntry, KnowledgeBase, capital_of, default_kb, is_capital_name
from newsgraph.extract.titled import (Role, appositive_holder, body_of_title, copular_holder, national_owner,
                                      owner_after, owner_from_kb, predicate, role_at, title_match,
                                      title_rows)
from newsgraph.extract.roles import NOT_HELD, status_words
from newsgraph.extract.values import LocalEntity, Mention, Relation

PATTERN_CONFIDENCE = 0.85
ALLIANCE_NOUNS = {"ally"}  # "NATO ally Turkey": an ally of an organization is a member
CANDIDATE_NOUNS = {"candidate", "hopeful", "contender"}
RACE_NOUNS = {"primary", "nomination", "caucus", "candidate", "hopeful", "contender", "debate", "field"}
APPOINTING_VERBS = {"name", "appoint", "elect", "tap", "nominate", "choose", "pick", "serve", "act", "work"}
MEMBERSHIP_VERBS = {"make", "consist", "comprise", "compose", "include"}  # "make" only as "make up"
AWAY_PREPOSITIONS = {"to", "with", "against", "from", "toward", "towards"}
ACTOR_OBJECTS = {"attacked"}  # an attack on X's thing is an attack on X ("hacked X's account")
PART_NOUNS = {"region", "part", "territory", "province", "state", "oblast", "district", "republic"}
VERB_CONFIDENCE = 0.7
POSSESSIVE_PRONOUNS = {"his": {"Person"}, "her": {"Person"}, "its": {"Organization", "Country"}}
COUNTRY_BODIES = {"embassy", "consulate", "government", "mission", "delegation", "ministry", "military", "army"}
FORCE_NOUNS = {"forces", "troops", "military", "army", "navy", "militias", "government", "regime"}
BACKING_WORDS = {"back", "support", "fund", "sponsor", "arm", "finance"}  # "Iran-backed"
PLACE_PREPOSITIONS = {"in", "across", "throughout", "as", "to", "at", "near", "inside", "outside"}
KB_PLACE_CONFIDENCE = 0.6  # a place's country from ISO 3166-2 or the KB, not from the sentence
HEDGES = {"could", "may", "might", "would", "should"}
REPORTING = {"say", "tell", "add", "claim", "report", "warn", "insist", "announce", "write", "state"}
# domain and range of each contract property, as top classes
DOMAIN = {
    "controls": ({"Person", "Organization", "Country"}, {"Place", "Country", "Asset"}),
    "locatedIn": ({"Place", "Asset", "Country"}, {"Place", "Country"}),
    "partOf": ({"Place", "Country"}, {"Place", "Country"}),
    "leaderOf": ({"Person"}, {"Country", "Organization", "Place"}),
    "affiliatedWith": ({"Person"}, {"Country", "Organization"}),
    "memberOf": ({"Person", "Organization", "Country"}, {"Organization"}),
    "attacked": ({"Person", "Organization", "Country"}, {"Person", "Organization", "Country", "Place", "Asset"}),
    "supports": ({"Person", "Organization", "Country"}, {"Person", "Organization", "Country"}),
    "opposes": ({"Person", "Organization", "Country"}, {"Person", "Organization", "Country"}),
    "seeksControlOf": ({"Person", "Organization", "Country"}, {"Place", "Country", "Asset"}),
}


@lru_cache(maxsize=2)
def triggers(name: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    rows = csv_rows(name)
    return {r["lemma"]: (r["predicate"], tuple(r["objects"].split("|"))) for r in rows}


@lru_cache(maxsize=3)
def noun_subjects(kind: str) -> frozenset[str]:
    """Relation nouns by where their subject is (relation_nouns.csv): 'poss', only the possessor
    ("Russia's war against Ukraine", not the subject of "The US fears a war with Iran");
    'described', what the noun describes ("X, a close ally of Y"); 'verb', either."""
    return frozenset(r["lemma"] for r in csv_rows("relation_nouns.csv") if r["subject"] == kind)


@lru_cache(maxsize=4)
def place_words(kind: str) -> frozenset[str]:
    """The words of one kind in data/place_words.csv ('settlement', 'direction', 'city-type')."""
    return frozenset(r["word"] for r in csv_rows("place_words.csv") if r["kind"] == kind)


@lru_cache(maxsize=1)
def party_words() -> dict[tuple[str, str], str]:
    """(folded word, form) -> KB name of the party (data/party_words.csv)."""
    return {(r["word"], r["form"]): r["party"] for r in csv_rows("party_words.csv")}


@dataclass
class EntityIndex:
    """Which entity each token belongs to (the innermost mention wins)."""

    doc: Doc
    by_token: dict[int, str]
    spans: dict[str, list[Span]]
    classes: dict[str, str]
    kinds: dict[str, str] | None = None  # the specific class of each entity ("PoliticalParty")

    @classmethod
    def build(cls, doc: Doc, entities: Iterable[LocalEntity], mentions: Iterable[Mention]) -> EntityIndex:
        by_token: dict[int, str] = {}
        width: dict[int, int] = {}
        spans: dict[str, list[Span]] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            spans.setdefault(m.entity, []).append(span)
            for tok in span:
                if tok.i not in width or len(span) < width[tok.i]:
                    by_token[tok.i], width[tok.i] = m.entity, len(span)
        entities = list(entities)
        classes = {e.key: TOP_CLASS.get(e.entity_class, e.entity_class) for e in entities}
        return cls(doc, by_token, spans, classes, {e.key: e.entity_class for e in entities})

    def at(self, tok: Token) -> str | None:
        """The entity a token names, looking into compounds ('Ukraine energy targets')."""
        if tok.i in self.by_token:
            return self.by_token[tok.i]
        for child in tok.children:
            if child.dep_ in ("compound", "poss", "amod") and child.i in self.by_token:
                if self.by_token[child.i] and tok.pos_ in ("NOUN", "PROPN"):
                    key = self.by_token[child.i]
                    if self.classes.get(key) == "Asset":
                        return key
        return None


def _with_conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for t in tok.conjuncts:
        out.append(t)
    return out


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if tok.dep_ == "conj" and tok.pos_ == "VERB" and not any(c.dep_ in ("nsubj", "aux", "auxpass") for c in tok.children) \
            and any(c.dep_ == "neg" for c in tok.head.children):
        return True  # "did not name Cohen or criticize him": the negation covers both verbs
    head = tok.head  # "refused to attack", "did not agree to attack"
    while head is not tok and tok.dep_ in ("xcomp", "ccomp") :
        if any(c.dep_ == "neg" for c in head.children) or head.lemma_ in ("refuse", "deny", "reject"):
            return True
        if head.dep_ not in ("xcomp", "ccomp") or head.head is head:
            break
        tok, head = head, head.head
    return False


def _conditional(tok: Token) -> bool:
    """Whether a trigger is the condition of an "if" or "unless" clause: "If Russia attacks
    Poland, NATO will respond" states no attack."""
    return any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children)


def _confidence(base: float, tok: Token) -> float:
    hedged = any(c.lower_ in HEDGES or (c.dep_ == "mark" and c.lower_ == "if") for c in tok.children)
    return round(base * 0.6, 2) if hedged else base


class Finder:
    def __init__(self, doc: Doc, index: EntityIndex, kb: KnowledgeBase) -> None:
        self.doc, self.index, self.kb = doc, index, kb
        self.tokens = list(doc)  # the rules walk the tokens often: one Token object each, made once
        self.sent_of = {tok.i: i for i, sent in enumerate(doc.sents) for tok in sent}
        self.found: dict[tuple[str, str, str], Relation] = {}
        self.implied: dict[str, LocalEntity] = {}
        self.implied_mentions: list[Mention] = []
        self.adjectives: dict[int, str] = {}  # token of a country adjective a rule read -> the country

    def add(self, s: str | None, p: str, o: str | None, span: Span, extractor: str, conf: float,
            reported_by: str | None = None) -> None:
        if s is None or o is None or s == o:
            return
        if p == "memberOf" and self.index.classes.get(s) == "Person" and self.kind_of(o) == "PoliticalParty":
            p = "affiliatedWith"  # a party's members are its affiliates, as "X, a Republican" says
        dom, rng = DOMAIN[p]
        if self.index.classes.get(s) not in dom or self.index.classes.get(o) not in rng:
            return
        rel = Relation(s, p, o, span.start_char, span.end_char, self.sent_of.get(span.start, 0), extractor,
                       conf, reported_by)
        old = self.found.get((s, p, o))
        if old is None or conf > old.confidence:
            self.found[(s, p, o)] = rel

    def kind_of(self, key: str) -> str | None:
        """The specific class of an entity, the article's or one a rule implied from the KB."""
        if self.index.kinds and key in self.index.kinds:
            return self.index.kinds[key]
        entry = self.kb.by_id.get(key)
        return entry.entity_class if entry else None

    def actor(self, tok: Token) -> str | None:
        """An entity in an acting role: a capital city stands for its country."""
        key = self.index.at(tok) or self.adjectives.get(tok.i)
        if key is None and tok.lower_ in FORCE_NOUNS:  # "Iranian forces", "Israel's military"
            owner = next((c for c in tok.children if c.dep_ in ("amod", "poss", "compound") and c.i < tok.i), None)
            if owner is not None and self.index.at(owner) is None and self.country_at(owner.i) is not None:
                entry, first = self.country_at(owner.i)
                key = self.country_key(entry.id, self.doc[first])
            elif owner is not None:
                key = self.index.at(owner)
        if key and key in self.kb.by_id:
            country = capital_of(self.kb, self.kb.by_id[key])
            if country is not None and country.id in self.index.classes:
                return country.id
        return key

    def country_key(self, entry_id: str, tok: Token) -> str:
        """The local key of a country named by an adjective; created if the article never names it."""
        if entry_id not in self.index.classes:
            entry = self.kb.by_id[entry_id]
            self.index.classes[entry_id] = TOP_CLASS[entry.entity_class]
            self.implied[entry_id] = LocalEntity(entry_id, entry.label, entry.entity_class, (entry.label,),
                                                 entry.wikidata, entry.id)
        if entry_id in self.implied and not any(m.start == tok.idx for m in self.implied_mentions):
            # the adjective ("Russian President") is the evidence that names the country here
            self.implied_mentions.append(Mention(tok.idx, tok.idx + len(tok.text), tok.text, entry_id,
                                                 self.implied[entry_id].entity_class, self.sent_of.get(tok.i, 0),
                                                 "title-owner", 0.6))
        return entry_id

    def reporter(self, tok: Token) -> str | None:
        head = tok
        for _ in range(4):
            if head.head is head:
                return None
            head = head.head
            if head.lemma_ in REPORTING:
                subj = [c for c in head.children if c.dep_ == "nsubj"]
                return self.actor(subj[0]) if subj else None
        return None

    # -- rules -------------------------------------------------------------------------------
    def titles(self) -> None:
        """Titles beside names (see titled.py): leaderOf for heads, affiliatedWith for other offices."""
        doc = self.doc
        covered = 0  # "Prime Minister" is one title, not also "Minister"
        guessed: list[tuple[str, str, str, Span]] = []
        for i in range(len(doc)):
            if i < covered:
                continue
            own = self.index.by_token.get(i)  # "the Russian president" may be a mention itself
            role = role_at(doc, i, lambda j: self.other_entity(j, own), lambda j: self.is_country_word(j, own))
            if role is None:
                continue
            covered = role.end
            if role.past or _another_time(doc[role.title_start]):
                continue  # "former President X": a status claim, not a leaderOf relation
            person = self.holder(role)
            if person is None:
                continue
            owner, national = self.role_owner(role, person), None
            if owner is None:
                national = self.national_owner(role, person)
                if national is None:
                    continue
            pred = predicate(role.kind, self.index.classes.get(owner or national), role.deputy,
                             role.qualified and owner == self.owner_key(role.owner, self.index.by_token.get(i)))
            if pred is not None and owner is not None:
                self.add(person, pred, owner, doc[role.start : role.end], "title-pattern", PATTERN_CONFIDENCE)
            elif pred is not None and national is not None:
                guessed.append((person, pred, national, doc[role.start : role.end]))
        stated = {r.subject for r in self.found.values() if r.extractor == "title-pattern"}
        for person, pred, country, span in guessed:  # "Saudi Foreign Minister X" before "Foreign Minister X"
            if person not in stated:
                self.add(person, pred, self.country_key(country, span[-1]), span, "title-pattern", PATTERN_CONFIDENCE)

    def other_entity(self, j: int, own: str | None) -> str | None:
        """The entity of token j unless it is `own`, the mention a bare title is part of."""
        key = self.index.by_token.get(j)
        return None if own is not None and key == own else key

    def is_country_word(self, j: int, own: str | None = None) -> bool:
        """A country adjective or name that no other mention covers ("Iranian", "Chinese")."""
        return self.other_entity(j, own) is None and self.country_at(j, own) is not None

    def country_at(self, j: int, own: str | None = None) -> tuple[KBEntry, int] | None:
        """The country an adjective ending at token j names, and its first token ("South Korean")."""
        if j > 0 and self.doc[j - 1].is_alpha and self.other_entity(j - 1, own) is None:
            entry = self.kb.country_of_adjective(self.doc[j - 1 : j + 1].text)
            if entry is not None:
                return entry, j - 1
        entry = self.kb.country_of_adjective(self.doc[j].text)
        return (entry, j) if entry is not None else None

    def portfolio(self, key: str, tok: int) -> bool:
        """Whether an organization before a title is only its portfolio, as NER reads "Federal
        Environment" in "Australia's Federal Environment Minister" and "Commerce" in "Commerce
        Secretary X": unknown to the KB, and a country right before it or portfolio words only."""
        if self.index.classes.get(key) != "Organization" or key in self.kb.by_id:
            return False
        words = [t.lower_ for t in self.doc[self.mention_start(tok) : self.mention_end(tok)]]
        return self.country_before(tok) is not None or all(w in portfolio_words() for w in words)

    def mention_start(self, j: int) -> int:
        key = self.index.by_token.get(j)
        while j > 0 and self.index.by_token.get(j - 1) == key:
            j -= 1
        return j

    def country_before(self, tok: int) -> int | None:
        """The token of a country ("Australia's", "Australian") right before the mention at tok."""
        key = self.index.by_token.get(tok)
        j = tok
        while j > 0 and self.index.by_token.get(j - 1) == key:
            j -= 1
        j -= 1
        if j > 0 and self.doc[j].lower_ in ("'s", "\u2019s"):
            j -= 1
        if j < 0:
            return None
        owner = self.index.by_token.get(j)
        if owner is not None:
            return j if self.index.classes.get(owner) == "Country" else None
        return j if self.country_at(j) else None

    def owner_key(self, tok: int | None, own: str | None = None) -> str | None:
        """The entity an owner token names: its mention's (other than `own`, the mention the
        title is part of), or the country of an adjective."""
        if tok is None:
            return None
        key = self.other_entity(tok, own)
        if key is None:
            found = self.country_at(tok, own)
            key = self.country_key(found[0].id, self.doc[found[1]]) if found else None
        return key

    def person_ending_at(self, j: int) -> str | None:
        """The person whose mention ends right before token j, over a party tag between them
        ("Adam Schiff, D-Calif., chairman of ...")."""
        key = self.index.by_token.get(j - 1) if j > 0 else None
        if key is None or self.index.classes.get(key) != "Person":
            k = j - 1
            while k > 0 and j - k < 5 and (self.doc[k].pos_ == "PROPN" or self.doc[k].text == "."):
                k -= 1
            tag = k >= 3 and self.doc[k].text == "-" and self.doc[k - 1].is_upper and self.doc[k - 2].text == ","
            key = self.index.by_token.get(k - 3) if tag else None
        return key if key and self.index.classes.get(key) == "Person" else None

    def person_starting_at(self, j: int) -> str | None:
        if j < len(self.doc) and self.doc[j].text == ",":
            j += 1
        key = self.index.by_token.get(j) if j < len(self.doc) else None
        return key if key and self.index.classes.get(key) == "Person" else None

    def holder(self, role: Role) -> str | None:
        """Who a title is given to: the name right after it, the name it is in apposition to,
        the name a little after it ("US envoy to the Middle East Steve Witkoff"), the person a
        bare title stands for ("the Russian president"), or the subject of "is"."""
        doc = self.doc
        after_owner = owner_after(doc, role.end, self.index.by_token.get)
        end = role.end if after_owner is None else self.mention_end(after_owner)
        end = self.past_destination(end)  # "Ukraine's ambassador to the US, Oksana Markarova"
        for find in (lambda: self.person_starting_at(end),
                     lambda: appositive_holder(doc, role, self.person_ending_at),
                     lambda: self.person_after(end) if role.kind != "role" else None,
                     lambda: self.index.by_token.get(role.title_start),
                     lambda: copular_holder(doc, role, self.person_ending_at),
                     lambda: self.appointed_holder(role)):
            key = find()
            if key is not None and self.index.classes.get(key) == "Person":
                return key
        return None

    def appointed_holder(self, role: Role) -> str | None:
        """The person a verb gives the title to: "X has been named White House deputy chief of
        staff", "X was appointed Pentagon press secretary", "X, who serves as NATO's deputy
        secretary general" (not "served": a past post)."""
        noun = self.doc[role.title_start]  # "chief" of "chief of staff", "press" of "press secretary"
        while noun.dep_ in ("compound", "amod") and noun.head.i > noun.i:
            noun = noun.head
        verb = noun.head
        if noun.dep_ == "pobj" and verb.lower_ == "as":
            verb = verb.head
        elif noun.dep_ not in ("oprd", "attr", "xcomp"):
            return None
        if verb.lemma_ not in APPOINTING_VERBS or _negated(verb) or (verb.lemma_ in ("serve", "act", "work")
                                                                    and not _now(verb)):
            return None
        if verb.dep_ == "pcomp" and verb.head.lower_ in ("before", "after", "since", "until"):
            return None  # "Before being elected mayor, X served as ...": another time
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects and subjects[0].tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
            subjects = [verb.head]
        for subject in subjects:
            key = self.index.at(subject)
            if key and self.index.classes.get(key) == "Person":
                return key
        return None

    def past_destination(self, end: int) -> int:
        """The token after "to [the] X" when a title is followed by where it is posted to."""
        doc = self.doc
        if end < len(doc) and doc[end].lower_ == "to":
            j = end + 2 if end + 1 < len(doc) and doc[end + 1].lower_ == "the" else end + 1
            if j < len(doc) and j in self.index.by_token:
                return self.mention_end(j)
        return end

    def mention_end(self, j: int) -> int:
        key = self.index.by_token.get(j)
        while j < len(self.doc) and self.index.by_token.get(j) == key:
            j += 1
        return j

    def role_owner(self, role: Role, person: str) -> str | None:
        """Whose office: named after the title ("of NATO"), before it ("Ukraine's", "White
        House"), else the KB's body for this person and title on the article's date, else the
        body the title names by itself ("Sen.")."""
        doc = self.doc
        after = owner_after(doc, role.end, self.index.by_token.get)
        if after is None and role.end + 1 < len(doc) and doc[role.end].lower_ in ("at", "of", "for"):
            j = role.end + 2 if doc[role.end + 1].lower_ == "the" else role.end + 1
            if j < len(doc) and self.is_country_word(j) and doc[j].head.lemma_ in COUNTRY_BODIES:
                after = j  # "minister at the Chinese embassy", "an official of the Iranian government"
        order = (after, role.owner)
        if role.end < len(doc) and doc[role.end].lower_ == "for":
            # "a spokesman for the Kremlin" names the owner; "US envoy for Ukraine" names a brief;
            # "the Russian president for Washington's proposal" names neither
            order = (role.owner,) if role.kind in ("head", "orghead") else (role.owner, after)
        own = self.index.by_token.get(role.title_start)
        for tok in order:
            key = self.owner_key(tok, own)
            if key and tok == role.owner and self.portfolio(key, tok):
                # "Australia's Federal Environment Minister", "Commerce Secretary X"
                key = self.owner_key(self.country_before(tok))
                if key is None:
                    continue
            if key and self.index.classes.get(key) in ("Country", "Organization", "Place"):
                if self.index.classes[key] == "Place" and self.named_before(key, tok):
                    return None  # "South Bend Indiana Mayor": the mayor of the place before the state
                return self.body_in(key, role.title, doc[tok])
        if role.kind == "role":
            return None  # "an official", "the general": a title only beside its owner
        person_kb = person if person in self.kb.by_id else None
        found = owner_from_kb(self.kb, person_kb, role.title, doc._.ng_anchor_date)
        found = found or body_of_title(self.kb, role.title, self.article_country)
        return self.country_key(found, doc[role.title_start]) if found else None

    def national_owner(self, role: Role, person: str) -> str | None:
        """The article's country for a bare national title (see titled.national_owner): a guess,
        taken only for a person the article gives no other stated office."""
        if role.kind == "role" or role.owner is not None:
            return None
        person_kb = person if person in self.kb.by_id else None
        return national_owner(self.kb, role.title, person_kb, self.article_country, self.doc._.ng_anchor_date)

    def body_in(self, owner: str, title: str, tok: Token) -> str:
        """The body of the owner country that a title belongs to, when the KB knows it: a "U.S.
        Senator" sits in the United States Senate."""
        if self.index.classes.get(owner) != "Country" or owner not in self.kb.by_id:
            return owner
        body = body_of_title(self.kb, title, owner)
        same = body is not None and self.kb.by_id[body].country == self.kb.by_id[owner].country
        return self.country_key(body, tok) if same else owner

    @cached_property
    def article_country(self) -> str | None:
        """The country the article is about: the KB country it names most often (its capital
        counting for it: "In Berlin, ..."), at least twice and more often than any other."""
        tally: dict[str, int] = {}
        for key, spans in self.index.spans.items():
            entry = self.kb.by_id.get(key)
            if entry is not None and entry.entity_class != "Country":
                entry = capital_of(self.kb, entry)
            if entry is not None and entry.entity_class == "Country":
                tally[entry.id] = tally.get(entry.id, 0) + len(spans)
        counts = sorted(((n, key) for key, n in tally.items()), reverse=True)
        if not counts or counts[0][0] < 2 or (len(counts) > 1 and counts[1][0] == counts[0][0]):
            return None
        return counts[0][1]

    def named_before(self, key: str, tok: int) -> bool:
        """Whether a capitalised name other than the entity's own runs right up to its mention."""
        j = tok
        while j > 0 and self.index.by_token.get(j - 1) == key:
            j -= 1
        return j > 0 and self.doc[j - 1].pos_ == "PROPN" and self.index.by_token.get(j - 1) != key

    def person_after(self, end: int) -> str | None:
        """The person a few words after a title ("US envoy to the Middle East Steve Witkoff"),
        not past a clause, a list, a possessive ("the U.S. president's meeting with X") or
        another title ("... and senior White House adviser, and X")."""
        doc = self.doc
        for j in range(end, min(len(doc), end + 7)):
            tok = doc[j]
            if tok.pos_ in ("VERB", "AUX", "CCONJ") or tok.is_punct or tok.lower_ in ("'s", "\u2019s"):
                return None
            if j > end and title_match(doc, j) is not None:
                return None
            key = self.index.by_token.get(j)
            if key and self.index.classes.get(key) == "Person":
                return key
        return None

    def possessives(self) -> None:
        """"NPR's David Folkenflik", "Fox News' Catherine Herridge": an organization's person works
        for it; "China's Xi Jinping": a country's person holds an office in it only as far as the
        KB says (on the article's date), since a country's people are not all its officials."""
        doc = self.doc
        for tok in self.tokens:
            if tok.lower_ not in ("'s", "\u2019s", "'") or tok.i == 0 or tok.i + 1 >= len(doc):
                continue
            owner, person = self.index.by_token.get(tok.i - 1), self.index.by_token.get(tok.i + 1)
            if not owner or not person or owner == person or self.index.classes.get(person) != "Person":
                continue
            span = doc[tok.i - 1 : self.mention_end(tok.i + 1)]
            if self.index.classes.get(owner) == "Organization":
                for one in self.listed_with(tok.i + 1):  # "Fox News' A, B and C contributed"
                    self.add(one, "affiliatedWith", owner, span, "possessive-pattern", VERB_CONFIDENCE)
            elif self.index.classes.get(owner) == "Country" and owner in self.kb.by_id:
                for title, kind in self.kb_titles(person, owner):
                    pred = predicate(kind, "Country", False)
                    if pred:
                        self.add(person, pred, owner, span, "possessive-pattern", VERB_CONFIDENCE)

    def listed_with(self, j: int) -> list[str]:
        """The person whose mention starts at token j and the people conjoined to it in a list."""
        people = [self.index.by_token[j]]
        for conj in self.doc[j : self.mention_end(j)].root.conjuncts:
            key = self.index.by_token.get(conj.i)
            if key and key not in people and self.index.classes.get(key) == "Person":
                people.append(key)
        return people

    def kb_titles(self, person: str, owner: str) -> list[tuple[str, str]]:
        """The titles (and their kinds) the KB says a person held of a body on the article's date."""
        day = self.doc._.ng_anchor_date
        if day is None or person not in self.kb.by_id:
            return []
        rows = title_rows()
        return [(o.title, rows[tuple(o.title.split())].kind) for o in self.kb.offices
                if o.holder == person and o.of == owner and o.held_on(day) and tuple(o.title.split()) in rows]

    def parties(self) -> None:
        """A politician's party, as US news tags it: "Sen. X, R-Wis.", "Rep. X (D-N.Y.)", "X, an
        Arizona Democrat", "Democratic Sen. X", "Republican X"."""
        doc = self.doc
        for key, spans in self.index.spans.items():
            if self.index.classes.get(key) != "Person":
                continue
            for span in spans:
                for party, tok in (self.party_tag(span.end), self.party_noun(span.end),
                                   self.party_adjective(span.start)):
                    if party is not None:
                        self.add(key, "affiliatedWith", self.country_key(party, doc[tok]),
                                 doc[min(span.start, tok) : max(span.end, tok + 1)], "party-pattern",
                                 PATTERN_CONFIDENCE)

    def party_lists(self) -> None:
        """Members of a party named by a list: "eight Democrats voted no, including Rep. X",
        "Republicans such as Sen. X"; and the candidates of a party's race ("the Democratic
        primary", "the Republican nomination") an article lists: "The following candidates have
        1 percent: A, B and C", "the other 18 candidates, with A and B at 2 percent"."""
        doc = self.doc
        race = self.party_race
        for tok in self.tokens:
            party = self.party_of_token(tok) if tok.lower_.endswith("s") else None  # "Democrats", "Republicans"
            if party is not None:  # "Democrats ..., including X", "Republicans such as X"
                heads = [tok] + [c for c in tok.children if c.dep_ in ("acl", "relcl")]
                if tok.dep_ == "nsubj" and not any(c.dep_ in ("dobj", "obj") for c in tok.head.children):
                    heads.append(tok.head)  # "five Republicans voting yes, including X" (no object to give examples of)
                for t in self.examples(heads):
                    self.add_party(t, party, tok)
            elif race is not None and tok.lemma_ in CANDIDATE_NOUNS and tok.tag_ == "NNS":
                own = next((self.party(c, "adj") for c in tok.children if c.dep_ in ("amod", "compound")
                            and self.party(c, "adj")), None)
                stated = {r.subject for r in self.found.values() if r.extractor in ("party-pattern", "party-list")
                          and self.kind_of(r.object) == "PoliticalParty"}
                for t in self.listed_after(tok):
                    if self.index.at(t) not in stated:  # "Republican Sen. X" stays a Republican
                        self.add_party(t, own or race, tok)

    def add_party(self, tok: Token, party: str, evidence: Token) -> None:
        person = self.index.at(tok)
        if person is not None and self.index.classes.get(person) == "Person":
            lo, hi = sorted((tok.i, evidence.i))
            self.add(person, "affiliatedWith", self.country_key(party, evidence), self.doc[lo : hi + 1],
                     "party-list", VERB_CONFIDENCE)

    def party_of_token(self, tok: Token) -> str | None:
        """The party a token's mention names ("Democrats" linked to the Democratic Party)."""
        key = self.index.by_token.get(tok.i)
        return key if key and self.kind_of(key) == "PoliticalParty" else None

    def examples(self, heads: list[Token]) -> list[Token]:
        """The names a noun gives as examples: "including A and B", "such as A"."""
        found = []
        for head in heads:
            for c in head.children:
                if c.dep_ == "prep" and (c.lower_ == "including" or
                                         c.lower_ == "as" and any(a.lower_ == "such" for a in c.children)
                                         or c.lower_ == "as" and c.i > 0 and self.doc[c.i - 1].lower_ == "such"):
                    found += [t for p in c.children if p.dep_ == "pobj" for t in _with_conjuncts(p)]
        return found

    def listed_after(self, noun: Token) -> list[Token]:
        """The names a plural noun introduces: after a colon later in its clause ("The following
        candidates have 1 percent: A, B and C"), or by "with" on its verb ("for the other
        candidates, with A and B at 2 percent")."""
        sent = noun.sent
        colon = next((t for t in self.doc[noun.i : sent.end] if t.text == ":"), None)
        if colon is not None:
            names = []
            for t in self.doc[colon.i + 1 : sent.end]:
                key = self.index.by_token.get(t.i)
                if key and self.index.classes.get(key) == "Person" and (not names or names[-1][1] != key):
                    names.append((t, key))
                elif not key and not (t.is_punct or t.lower_ in ("and", "or") or t.pos_ == "PROPN"):
                    break  # the list ends where other words begin
            return [t for t, _ in names]
        verb = noun.head.head if noun.dep_ == "pobj" else noun.head
        return [t for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"
                for p in c.children if p.dep_ == "pobj" for t in _with_conjuncts(p)]

    @cached_property
    def party_race(self) -> str | None:
        """The one party whose race for office the article is about: a party word a few words
        before "primary", "nomination", "candidates" ("the Democratic primary", "the Democratic
        Party nomination", "Republican presidential hopefuls"), or None."""
        doc, parties = self.doc, set()
        words = {w for w, _ in party_words()}
        for tok in self.tokens:
            if tok.lower_ not in words and tok.i not in self.index.by_token:
                continue
            party = self.party(tok, "adj") or self.party_of_token(tok)
            if party is not None and any(t.lemma_ in RACE_NOUNS for t in doc[tok.i + 1 : tok.i + 4]):
                parties.add(party)
        return parties.pop() if len(parties) == 1 else None

    def party(self, tok: Token, form: str) -> str | None:
        """The KB id of the party a word names in this form ("Democrat" as a noun)."""
        name = party_words().get((tok.lower_.rstrip("."), form))
        entry = self.kb.lookup(name) if name else None
        return entry.id if entry else None

    def party_tag(self, end: int) -> tuple[str | None, int]:
        """"X, R-Wis." and "X (D-N.Y.)": a party letter, a hyphen and a state; "X (R)" alone."""
        doc = self.doc
        j = end + 1 if end < len(doc) and doc[end].text in (",", "(") else end
        if j + 2 < len(doc) and doc[j + 1].text == "-" and doc[j + 2].pos_ == "PROPN" and doc[j].is_upper:
            return self.party(doc[j], "tag"), j
        if j + 1 < len(doc) and j == end + 1 and doc[end].text == "(" and doc[j + 1].text == ")" and doc[j].is_upper:
            return self.party(doc[j], "tag"), j
        return None, 0

    def party_noun(self, end: int) -> tuple[str | None, int]:
        """"X, an Arizona Democrat," / "X, a Republican from Ohio" / "X, the Democratic
        front-runner": the apposition is the party or a party's member."""
        doc = self.doc
        if end + 2 >= len(doc) or doc[end].text != "," or doc[end + 1].lower_ not in ("a", "an", "the"):
            return None, 0
        j = end + 2
        if self.party(doc[j], "adj") and j + 1 < len(doc) and doc[j + 1].is_lower and doc[j + 1].pos_ in ("NOUN", "ADJ"):
            return self.party(doc[j], "adj"), j  # "X, the Democratic front-runner", "X, a Republican senator"
        while j < len(doc) - 1 and j < end + 4 and self.party(doc[j], "noun") is None:
            j += 1  # the state: "an Arizona Democrat", "a New York Republican"
        if j > end + 2 and not is_state(doc[end + 2 : j].text):
            return None, 0  # "a Christian Democrat" is another party
        after = doc[j + 1] if j + 1 < len(doc) else None
        if after is None or (after.is_punct and after.text != "-") or after.lower_ in ("from", "who", "of", "and"):
            return self.party(doc[j], "noun"), j  # not "X, a Republican-appointed judge"
        return None, 0

    def party_adjective(self, start: int) -> tuple[str | None, int]:
        """"Democratic Sen. X", "Republican Rep. X", "Republican X", "Democratic presidential
        candidate X": the party word before the title, a few lowercase words or the name."""
        doc = self.doc
        j = start - 1
        for k in range(start - 1, max(-1, start - 5), -1):  # a title right before the name
            hit = title_match(doc, k)
            if hit is not None and hit[0] == start:
                j = k - 1
                break
        else:
            while j >= 0 and j > start - 4 and doc[j].is_lower and doc[j].pos_ in ("NOUN", "ADJ"):
                j -= 1  # "presidential candidate", "White House hopeful"
        if j < 0 or not doc[j].is_title:
            return None, 0
        if j > 0 and doc[j - 1].is_title and doc[j - 1].pos_ in ("PROPN", "ADJ"):
            return None, 0  # "Christian Democrat X", "Social Democratic leader X": another party
        return self.party(doc[j], "adj") or self.party(doc[j], "noun"), j

    def affiliations(self) -> None:
        for key, spans in self.index.spans.items():
            if self.index.classes.get(key) != "Person":
                continue
            for span in spans:
                root = span.root
                nouns = [c for c in root.children if c.dep_ == "appos"]
                if root.dep_ == "appos":
                    nouns.append(root.head)
                for prep in [c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"]:
                    for obj in prep.children:
                        org = self.index.at(obj)
                        self.add(key, "affiliatedWith", org, span, "affiliation-pattern", PATTERN_CONFIDENCE)
                if root.dep_ == "conj" or any(c.dep_ == "conj" for c in root.children):
                    continue  # a list of names ("activists A, B and C") says nothing about each
                own = {t.i for t in root.subtree}  # a list of names in apposition is no description
                for noun in nouns:
                    if noun.i in self.index.by_token or noun.pos_ != "NOUN" or not _is_role(noun):
                        continue  # "X, the target of an FBI inquiry" says nothing of whom X works for
                    if _past_role(noun):
                        continue  # "X, a former chairman of Y"
                    for child in noun.subtree:
                        if child.i in own and noun.i == root.head.i or _across(child, noun):
                            continue
                        org = self.index.by_token.get(child.i)
                        if org and org != key and self.index.classes.get(org) == "Organization":
                            self.add(key, "affiliatedWith", org, span, "affiliation-pattern", PATTERN_CONFIDENCE)

    def verbs(self) -> None:
        verbs = triggers("relation_verbs.csv")
        nouns = triggers("relation_nouns.csv")
        for tok in self.tokens:
            if tok.pos_ == "VERB" and tok.lemma_ in verbs and not _negated(tok):
                pred, preps = verbs[tok.lemma_]
                subjects = self.subjects(tok)
                objects = []
                for c in tok.children:
                    if c.dep_ in ("dobj", "obj") and "dobj" in preps:
                        objects += _with_conjuncts(c)
                    elif c.dep_ == "prep" and c.lower_ in preps:
                        objects += [o for p in c.children if p.dep_ == "pobj" for o in _with_conjuncts(p)]
                if pred in ("leaderOf", "affiliatedWith"):  # "X, who heads the agency", "X works for Y": now
                    if not _now(tok):
                        continue
                    objects = [o for o in objects if self.index.classes.get(self.index.at(o) or "")
                               in ("Organization", "Country")]
                self.pairs(subjects, pred, objects, tok, "verb-pattern")
            elif tok.pos_ == "NOUN" and tok.lemma_ in nouns:
                pred, preps = nouns[tok.lemma_]
                objects = [o for c in tok.children if c.dep_ == "prep" and c.lower_ in preps
                           for p in c.children if p.dep_ == "pobj" for o in _with_conjuncts(p)]
                subjects = [c for c in tok.children if c.dep_ == "poss"]
                subjects = subjects or self.adjective_owner(tok)  # "Iranian support for Hamas", "a Russian ally"
                for c in subjects:
                    if c.tag_ == "PRP$" and c.lower_ in POSSESSIVE_PRONOUNS:  # "his trade war with China"
                        self.resolve_possessive(c)
                if tok.lemma_ in noun_subjects("described"):  # "X, a close ally of Y"; "Russia's ally Belarus"
                    objects += subjects
                    subjects = self.described(tok)
                    if not any(self.index.classes.get(self.index.at(c) or "") == "Organization"
                               for c in tok.children if c.dep_ == "compound"):
                        subjects += self.examples([tok])  # "Y's allies, including X" (of NATO: members)
                    self.prenominal_agent(tok, pred)
                elif (not subjects and tok.dep_ in ("dobj", "obj") and tok.head.pos_ == "VERB"
                        and tok.head.lemma_ in light_verbs()
                        and not _negated(tok.head) and tok.lemma_ not in noun_subjects("poss")):
                    subjects = self.subjects(tok.head)
                    # "Germany sent military aid to Ukraine": the object may hang on the verb
                    objects += [o for c in tok.head.children if c.dep_ == "prep" and c.lower_ in preps
                                for p in c.children if p.dep_ == "pobj" for o in _with_conjuncts(p)]
                if pred == "opposes":  # "the war between Russia and Ukraine": each opposes the other
                    sides = [o for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"
                             for p in c.children if p.dep_ == "pobj" for o in _with_conjuncts(p)]
                    sides = sides or self.at_war(tok)
                    if len(sides) == 1 and objects:  # "Israel has been at war with Hamas": a war has two sides
                        sides += objects[:1]
                    if len(sides) == 2:
                        self.pairs(sides[:1], pred, sides[1:], tok, "noun-pattern")
                        self.pairs(sides[1:], pred, sides[:1], tok, "noun-pattern")
                if pred == "memberOf":  # "Sweden, a member of NATO", "Sweden is a member of NATO"
                    objects += subjects  # "NATO's members": the possessor is the body
                    own = any(c.dep_ == "poss" and c.tag_ == "PRP$" for c in tok.children)
                    subjects = [] if own else self.described(tok)  # "the party, its members": not the party
                    subjects += [t for a in self.stated_as(tok) for t in _with_conjuncts(a)]
                if pred == "memberOf" or tok.lemma_ in ALLIANCE_NOUNS:
                    self.members_named(tok)
                self.pairs(subjects, pred, objects, tok, "noun-pattern")
                if tok.lemma_ == "invasion":  # an invasion: the invader attacks and opposes
                    self.pairs(subjects, "opposes", objects, tok, "noun-pattern")

    def memberships(self) -> None:
        """Who belongs to a body, as a sentence lists its parts: "Norway, Sweden and Finland make
        up the Nordic Council", "the countries that make up the Arctic Council are A, B and C",
        "the Quad is made up of A, B and C", "Mercosur consists of / comprises A, B", "ASEAN
        includes A" and "its members include A" (the members of what makes up, or of "include",
        only when the whole is an organization)."""
        for tok in self.tokens:
            lemma = tok.lemma_
            if lemma not in MEMBERSHIP_VERBS or tok.pos_ not in ("VERB", "AUX") or _negated(tok):
                continue
            if lemma == "make" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children):
                continue
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
            objects = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
            if lemma in ("make", "compose") and not passive:  # the parts are the subject
                wholes, parts = objects, self.subjects(tok)
                if tok.dep_ == "relcl":  # "the nations that make up the G7 are A, B and C"
                    parts = self.stated_as(tok.head)
            else:
                wholes = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
                if tok.dep_ == "relcl" and not wholes:
                    wholes = [tok.head]
                parts = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj"] + objects
                parts += [p for o in objects for c in o.children if c.dep_ == "prep" and c.lower_ == "including"
                          for p in c.children if p.dep_ == "pobj"]  # "ten countries, including A and B"
            for whole in (self.index.at(w) for w in wholes):
                if whole is None or self.index.classes.get(whole) != "Organization":
                    continue
                for part in (t for p in parts for t in _with_conjuncts(p)):
                    self.add(self.index.at(part), "memberOf", whole, tok.sent, "membership-list",
                             _confidence(VERB_CONFIDENCE, tok))

    def stated_as(self, noun: Token) -> list[Token]:
        """What a subject noun is said to be or include: "The [group of] nations ... are A, B and C"
        and "The members ... include A, B and C" give A, B and C."""
        while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.lower_ == "of":
            noun = noun.head.head
        verb = noun.head
        if noun.dep_ != "nsubj" or verb.lemma_ not in ("be", "include") or _negated(verb):
            return []
        return [c for c in verb.children if c.dep_ in ("attr", "dobj", "obj")]

    def adjective_owner(self, noun: Token) -> list[Token]:
        """The country adjective right before a relation noun ("Iranian support for Hamas",
        "American attacks on ...", "a Russian ally"), as the token of the country it names."""
        j = noun.i - 1
        while j >= 0 and self.doc[j].dep_ == "amod" and self.doc[j].head.i == noun.i and self.doc[j].is_lower:
            j -= 1  # "Russian military support", "a close Russian ally"
        if j < 0 or self.doc[j].head.i != noun.i or self.doc[j].dep_ not in ("amod", "compound"):
            return []
        if self.index.by_token.get(j) is None and self.country_at(j) is None:
            return []
        if self.index.by_token.get(j) is None:
            entry, first = self.country_at(j)
            self.country_key(entry.id, self.doc[first])
            self.adjectives[j] = entry.id
        return [self.doc[j]]

    def resolve_possessive(self, pronoun: Token) -> None:
        """The entity "his", "her" or "its" stands for before a relation noun: the nearest one of its
        kind before it, in the sentence or the one before, that is a clause's subject ("Trump's
        comments ... his trade war with China") or the object of the verb the pronoun's phrase
        depends on ("back Israel in its war with X"); none when only other names come before."""
        kinds = POSSESSIVE_PRONOUNS[pronoun.lower_]
        sents = list(self.doc.sents)
        here = self.sent_of.get(pronoun.i, 0)
        start = sents[max(0, here - 1)].start
        fits = [(i, key) for i in range(pronoun.i - 1, start - 1, -1)
                for key in [self.index.by_token.get(i)] if key and self.index.classes.get(key) in kinds]
        subject = next((key for i, key in fits if _in_subject(self.doc[i])), None)
        verb = pronoun.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        # "back Israel in its war with X": the object of the verb the pronoun's phrase hangs on
        obj = next((key for i, key in fits if self.doc[i].dep_ in ("dobj", "obj") and self.doc[i].head.i == verb.i), None)
        key = subject or obj
        if key is not None and len({k for _, k in fits}) <= 2:  # not in a crowd of names
            self.adjectives[pronoun.i] = key

    def at_war(self, noun: Token) -> list[Token]:
        """"Israel and Hamas have been at war since ...": the conjoined subjects of "be at war"."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ != "at" or prep.head.lemma_ != "be" or _negated(prep.head):
            return []
        return [t for c in prep.head.children if c.dep_ == "nsubj" for t in _with_conjuncts(c)]

    def members_named(self, noun: Token) -> None:
        """"Nato member Denmark", "NATO members Poland and Lithuania", "the NATO allies Turkey and
        Greece", "Turkey, a NATO member": the members follow the noun, are its appositive or what it
        describes; an ally of an organization is one of its members."""
        orgs = [self.index.at(c) for c in noun.children if c.dep_ == "compound"]
        orgs = [o for o in orgs if o and self.index.classes.get(o) == "Organization"]
        members = [noun.head] if noun.dep_ in ("compound", "nmod") else []
        members += [c for c in noun.children if c.dep_ == "appos"] + self.described(noun) + self.examples([noun])
        for org in orgs:
            for m in (t for m in members for t in _with_conjuncts(m)):
                self.add(self.index.at(m), "memberOf", org, self.doc[noun.i : noun.i + 1], "noun-pattern",
                         VERB_CONFIDENCE)

    def prenominal_agent(self, noun: Token, pred: str) -> None:
        """"Kremlin critic Alexei Navalny", "Trump ally Roger Stone": the name after the noun
        stands in the relation to the name before it."""
        doc = self.doc
        if noun.i == 0 or noun.i + 1 >= len(doc) or noun.tag_ != "NN":
            return
        after = noun.i + 1
        if after + 2 < len(doc) and doc[after].lower_ == "and" and doc[after + 1].tag_ == "NN":
            after += 2  # "Trump booster and friend X"
        target, agent = self.index.by_token.get(noun.i - 1), self.index.by_token.get(after)
        if target and agent and self.index.classes.get(agent) == "Person":
            self.add(agent, pred, self.actor(doc[noun.i - 1]), doc[noun.i - 1 : self.mention_end(after)],
                     "noun-pattern", VERB_CONFIDENCE)

    def described(self, noun: Token) -> list[Token]:
        """What a noun describes: the name it is in apposition to, or the subject of "is"."""
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ == "one":
            noun = noun.head.head  # "Poland is one of Ukraine's strongest supporters"
        if noun.dep_ == "appos":
            return [noun.head]
        if noun.dep_ == "attr" and noun.head.lemma_ == "be" and not _negated(noun.head):
            return [t for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass") for t in _with_conjuncts(c)]
        return []

    def subjects(self, verb: Token) -> list[Token]:
        subs = [c for c in verb.children if c.dep_ in ("nsubj",) and c.tag_ not in ("WDT", "WP")]
        subs += [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        if not subs and verb.dep_ in ("xcomp", "conj", "advcl") and verb.head is not verb:
            subs = [c for c in verb.head.children if c.dep_ == "nsubj"]
        if not subs and verb.dep_ == "relcl":
            who = any(c.lower_ in ("who", "whom") for c in verb.children)
            head = self.index.at(verb.head)
            if not who or (head and self.index.classes.get(head) == "Person"):  # not "the Senate who ..."
                subs = [verb.head]
        if not subs and verb.dep_ == "acl" and verb.head.pos_ == "NOUN":  # "Trump's decision to strike X"
            subs = [c for c in verb.head.children if c.dep_ == "poss"]
        return [t for s in subs for t in _with_conjuncts(s) if not _in_dateline(t)]

    def pairs(self, subjects: list[Token], pred: str, objects: list[Token], trigger: Token, extractor: str) -> None:
        if not subjects or not objects or _conditional(trigger):
            return
        sent = trigger.sent
        conf = _confidence(VERB_CONFIDENCE, trigger)
        source = self.reporter(trigger)
        for s in subjects:
            for o in objects:
                obj = self.index.at(o) if pred not in ("opposes", "supports") else self.actor(o)
                if obj is None and pred in ACTOR_OBJECTS:  # "hacked Jack Dorsey's account"
                    obj = next((self.actor(c) for c in o.children if c.dep_ == "poss" and self.actor(c)), None)
                self.add(self.actor(s), pred, obj, sent, extractor, conf, source)

    def noun_phrases(self) -> None:
        doc, kb = self.doc, self.kb
        for tok in self.tokens:
            # "the Moscow-occupied Zaporizhzhia plant"
            if tok.lemma_ in ("occupy", "control", "hold") and tok.i >= 2 and doc[tok.i - 1].text == "-":
                actor = self.actor(doc[tok.i - 2])
                target = self.index.at(doc[tok.i + 1]) if tok.i + 1 < len(doc) else None
                self.add(actor, "controls", target, doc[tok.i - 2 : tok.i + 2], "np-pattern", PATTERN_CONFIDENCE)
            # "the Iran-backed Houthis", "Iranian-funded Hezbollah", "the Russian-backed separatists in X"
            if tok.lemma_ in BACKING_WORDS and tok.i >= 2 and doc[tok.i - 1].text == "-" and tok.dep_ == "amod":
                self.backed(tok)
            # "Russia's Kursk region", "Ukraine's Zaporizhzhia nuclear power plant"
            if tok.lower_ in ("'s", "\u2019s") and tok.i > 0 and tok.i + 1 < len(doc):
                owner = self.index.by_token.get(tok.i - 1)
                thing = self.index.by_token.get(tok.i + 1)
                if owner and thing and owner != thing and self.index.classes.get(owner) == "Country":
                    cls = self.index.classes.get(thing)
                    if cls == "Place":
                        self.add(thing, "partOf", owner, doc[tok.i - 1 : tok.i + 3], "np-pattern", PATTERN_CONFIDENCE)
                    elif cls == "Asset" and not doc[tok.i + 1].is_lower:
                        self.add(thing, "locatedIn", owner, doc[tok.i - 1 : tok.i + 3], "np-pattern",
                                 PATTERN_CONFIDENCE)
            # "Jeddah, Saudi Arabia"
            if tok.text == "," and 0 < tok.i < len(doc) - 1:
                left, right = self.index.by_token.get(tok.i - 1), self.index.by_token.get(tok.i + 1)
                right_end = self.mention_end(tok.i + 1) if right else tok.i + 2
                after = doc[right_end] if right_end < len(doc) else None
                in_list = (after is not None and (after.text == "," and right_end + 1 < len(doc)
                                                  and right_end + 1 in self.index.by_token
                                                  or after.lower_ in ("and", "or"))) or (
                    tok.i >= 3 and doc[tok.i - 2].text == ",")
                container = self.index.classes.get(right) == "Country" or (
                    self.index.classes.get(right) == "Place" and is_state(doc[tok.i + 1 : right_end].text))
                if left and right and left != right and self.index.classes.get(left) == "Place" \
                        and container and doc[tok.i - 1].ent_type_ != "" and not in_list \
                        and not self.clause_after(tok.i + 1, right_end) and not self.capital_elsewhere(left, right):
                    self.add(left, "locatedIn", right, doc[tok.i - 1 : tok.i + 2], "np-pattern", PATTERN_CONFIDENCE)
                    if self.index.classes.get(right) == "Place":  # "Toledo, Ohio": a city is a part of its state
                        self.add(left, "partOf", right, doc[tok.i - 1 : tok.i + 2], "np-pattern", PATTERN_CONFIDENCE)
            # "Greenland - a semi-autonomous region of ... Denmark", "Crimea, part of Ukraine"
            if tok.lemma_ in PART_NOUNS and tok.dep_ == "appos":
                whole = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj"]
                part = self.index.at(tok.head)
                for w in whole:
                    self.add(part, "partOf", self.index.at(w), tok.sent, "np-pattern", PATTERN_CONFIDENCE)
            # "the Tigray region of Ethiopia", "the Mid North Coast of NSW"
            if tok.lower_ == "of" and tok.i > 0:
                self.part_of(tok)
            # "Kharkiv in northeastern Ukraine", "a hospital in Sumy"
            if tok.lower_ == "in" and tok.i > 0:
                self.located_in(tok)
            # "Mariupol, a port city in southern Ukraine"
            if tok.lemma_ in place_words("settlement") and tok.dep_ == "appos":  # "Kharkiv, Ukraine's second city"
                wholes = [p for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "of")
                          for p in c.children if p.dep_ == "pobj"] + [c for c in tok.children if c.dep_ == "poss"]
                for w in wholes:
                    self.add(self.index.at(tok.head), "locatedIn", self.index.at(w), tok.sent, "np-pattern",
                             PATTERN_CONFIDENCE)
            # "Crimea is part of Ukraine"
            if tok.lemma_ in PART_NOUNS and tok.dep_ == "attr" and tok.head.lemma_ == "be" and not _negated(tok.head) \
                    and not any(c.tag_ == "MD" for c in tok.head.children):  # "should be part of": a wish
                whole = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj"]
                for part in (c for c in tok.head.children if c.dep_ == "nsubj"):
                    for w in whole:
                        self.add(self.index.at(part), "partOf", self.index.at(w), tok.sent, "np-pattern",
                                 PATTERN_CONFIDENCE)
            # "Ukraine's capital, Kyiv"
            if tok.lower_ in ("'s", "\u2019s") and 0 < tok.i < len(doc) - 2 and doc[tok.i + 1].lower_ == "capital":
                country = self.index.by_token.get(tok.i - 1)
                j = tok.i + 3 if doc[tok.i + 2].text == "," else tok.i + 2
                city = self.index.by_token.get(j) if j < len(doc) else None
                if country and city and self.index.classes.get(country) == "Country":
                    self.add(city, "locatedIn", country, doc[tok.i - 1 : j + 1], "np-pattern", PATTERN_CONFIDENCE)
            # "the Ukrainian capital Kyiv"
            if tok.lower_ == "capital" and tok.i > 0 and tok.i + 1 < len(doc):
                country = kb.country_of_adjective(doc[tok.i - 1].text)
                city = self.index.by_token.get(tok.i + 1)
                if country and city:
                    self.add(city, "locatedIn", self.country_key(country.id, doc[tok.i - 1]),
                             doc[tok.i - 1 : tok.i + 2], "np-pattern", PATTERN_CONFIDENCE)

    def places_of_countries(self) -> None:
        """A state or province (ISO 3166-2, first level) is part of its country when the article
        names both and the state is somewhere a place on its own ("rallies in Ohio", "swing states
        such as Pennsylvania and Michigan" in a story that names the United States), not only the
        home of a city or a politician ("Toledo, Ohio", "D-Ohio", "Sen. X of Ohio", "Ohio's X").  Not a city's name ("New York" the city) nor a
        capital's ("Tehran" is also a province)."""
        countries: dict[str, str] = {}
        for key, cls in self.index.classes.items():
            entry = self.kb.by_id.get(key)
            if cls == "Country" and entry is not None and entry.country and key in self.index.spans:
                countries[entry.country] = key
        if not countries:
            return
        for key, spans in self.index.spans.items():
            if self.index.classes.get(key) != "Place" or self.kind_of(key) == "City":
                continue
            alone = [span for span in spans if not self.placing(span) and _as_place(span)]
            if not alone or any(is_capital_name(span.text) for span in spans):
                continue
            codes = {c for span in spans for c in countries_of_subdivision(span.text) if c in countries}
            if len(codes) == 1:
                self.add(key, "partOf", countries[codes.pop()], alone[0], "kb-place", KB_PLACE_CONFIDENCE)

    def placing(self, span: Span) -> bool:
        """Whether a state's mention only places what comes before it: "Toledo, Ohio", "R-Ohio",
        "(D-N.Y.)", "South Bend Indiana Mayor"."""
        if span.start == 0:
            return False
        before = self.doc[span.start - 1]
        return before.text in (",", "-", "(") or (before.i in self.index.by_token and before.pos_ == "PROPN")

    def backed(self, tok: Token) -> None:
        """"The Iran-backed Houthis": the name before the hyphen supports the one the phrase
        names (a country adjective counts: "Iranian-backed Hezbollah")."""
        doc = self.doc
        backer = self.actor(doc[tok.i - 2])
        if backer is None:
            found = self.country_at(tok.i - 2)
            backer = self.country_key(found[0].id, doc[found[1]]) if found else None
        noun = tok.head
        backed = self.index.at(noun) or next((self.index.at(c) for c in noun.children
                                               if c.dep_ == "compound" and c.i > tok.i and self.index.at(c)), None)
        self.add(backer, "supports", backed, doc[tok.i - 2 : noun.i + 1], "np-pattern", PATTERN_CONFIDENCE)

    def clause_after(self, start: int, end: int) -> bool:
        """Whether the name after a comma begins a clause of its own ("In Washington, Russia's
        envoy said", "In Paris, France said") rather than saying where the place before it is."""
        doc = self.doc
        if end < len(doc) and doc[end].lower_ in ("'s", "\u2019s", "'"):
            return True
        return doc[start:end].root.dep_ in ("nsubj", "nsubjpass")

    def capital_elsewhere(self, city: str, country: str) -> bool:
        """Whether the KB puts a capital in another country than the one named after it."""
        entry = self.kb.by_id.get(city)
        capital = capital_of(self.kb, entry) if entry else None
        return capital is not None and capital.id != country

    def part_of(self, prep: Token) -> None:
        """"the Tigray region of Ethiopia", "the South Coast of New South Wales": a place right
        before "of" is part of the country or state right after it."""
        doc = self.doc
        inner = self.index.by_token.get(prep.i - 1)
        if inner is None or self.index.classes.get(inner) != "Place" or prep.i in self.index.by_token \
                or self.kind_of(inner) == "WaterBody" or doc[prep.i - 1].lower_ in place_words("water"):
            return  # "the Sea of Japan" is no part of Japan
        j = prep.i + 2 if prep.i + 1 < len(doc) and doc[prep.i + 1].lower_ == "the" else prep.i + 1
        outer = self.index.by_token.get(j) if j < len(doc) else None
        if outer is None or outer == inner:
            return
        end = self.mention_end(j)
        if self.index.classes.get(outer) == "Country" or (self.index.classes.get(outer) == "Place"
                                                            and is_state(doc[j:end].text)):
            self.add(inner, "partOf", outer, doc[self.mention_start(prep.i - 1) : end], "np-pattern",
                     PATTERN_CONFIDENCE)

    def located_in(self, prep: Token) -> None:
        """"X in [southern] Y" right after a place or asset X names where X is: the place must
        end just before "in", and Y follow it (an article and a direction word may come between)."""
        doc = self.doc
        inner = self.index.by_token.get(prep.i - 1)
        if inner is None or self.index.classes.get(inner) not in ("Place", "Asset"):
            return
        j = prep.i + 1
        while j < len(doc) and j < prep.i + 3 and (doc[j].lower_ == "the" or doc[j].lower_ in place_words("direction")):
            j += 1
        outer = self.index.by_token.get(j) if j < len(doc) else None
        if outer and self.index.classes.get(outer) in ("Place", "Country"):
            self.add(inner, "locatedIn", outer, doc[prep.i - 1 : j + 1], "np-pattern", PATTERN_CONFIDENCE)


@lru_cache(maxsize=1)
def role_nouns() -> frozenset[str]:
    """Words that name a person by role or job (data/role_nouns.txt) and the words of titles."""
    words = set(data_lines("role_nouns.txt"))
    return frozenset(words | {w for title in title_rows() for w in title if w.isalpha()})


@lru_cache(maxsize=1)
def light_verbs() -> frozenset[str]:
    """Verbs whose subject does what their relation noun says (data/light_verbs.txt)."""
    return frozenset(data_lines("light_verbs.txt"))


@lru_cache(maxsize=1)
def portfolio_words() -> frozenset[str]:
    """Words that name a portfolio before a title (data/portfolio_words.txt)."""
    return frozenset(data_lines("portfolio_words.txt"))


def _is_role(noun: Token) -> bool:
    return noun.lemma_.lower() in role_nouns() or noun.lower_ in role_nouns()


def _as_place(span: Span) -> bool:
    """Whether a mention is where something is or happens: the object of "in", "across", "such
    as" ("in Ohio and Texas", "states such as Ohio"), alone or in a list."""
    tok = span.root
    while tok.dep_ == "conj" and tok.head.i < tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in PLACE_PREPOSITIONS and tok.head.head.lower_ != "senator"


def _in_dateline(tok: Token) -> bool:
    """Whether a token is in the dateline a sentence opens with ("OSAKA, Japan - President X
    slammed ..."): a place name, a comma and a dash before the sentence proper."""
    sent = tok.sent
    for t in sent[: min(len(sent), 8)]:
        if t.text in ("-", "\u2013", "\u2014", "--") and t.i > sent.start + 1:
            return tok.i < t.i and any(x.text == "," for x in sent[: t.i - sent.start])
    return False


def _in_subject(tok: Token, through: tuple[str, ...] = ("compound", "poss", "conj")) -> bool:
    """Whether a token is (part of) a clause's subject, reached from it through at most three
    arcs of the kinds `through`: "Trump" in "Trump's comments were ..." (the default, with owners).
    Personal pronouns (events.py) go through names and conjuncts only, not owners."""
    for _ in range(3):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return True
        if tok.dep_ not in through or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _another_time(tok: Token) -> bool:
    """Whether a title word is given in a clause of another time: "Before being elected mayor of
    X, Y served as ...", "after becoming CEO"."""
    while tok.dep_ in ("compound", "amod") and tok.head.i > tok.i:
        tok = tok.head
    verb = tok.head
    return (tok.dep_ in ("oprd", "attr", "xcomp", "dobj") and verb.dep_ == "pcomp"
            and verb.head.lower_ in ("before", "after", "since", "until"))


def _past_role(noun: Token) -> bool:
    """Whether a role noun is qualified as not held now: "a former chairman", "the ex-director"."""
    words = status_words()
    return any(words.get(c.lower_.strip("-")) in NOT_HELD for c in noun.children if c.i < noun.i)


def _now(verb: Token) -> bool:
    """Whether a verb says what holds at the time of writing: present ("heads") or present
    perfect ("has led ... since"), not past ("led Germany for 16 years") or future."""
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    aux = [c.lower_ for c in verb.children if c.dep_ == "aux"]
    return verb.tag_ == "VBN" and any(a in ("has", "have") for a in aux)


def _across(tok: Token, top: Token) -> bool:
    """Whether a preposition that points away from the description comes between a word and the
    noun it belongs to: "the ambassador to the United Nations" works for another country."""
    while tok.i != top.i and tok.head.i != tok.i:
        if tok.dep_ == "prep" and tok.lower_ in AWAY_PREPOSITIONS:
            return True
        tok = tok.head
    return False


def _most_specific(found: dict[tuple[str, str, str], Relation]) -> dict[tuple[str, str, str], Relation]:
    """A leader of a body is not also listed as merely affiliated with it ("Jens Stoltenberg,
    the secretary general of NATO" is found by the title and the "of NATO" rules)."""
    return {k: r for k, r in found.items()
            if not (k[1] == "affiliatedWith" and (k[0], "leaderOf", k[2]) in found)}


def find_relations(doc: Doc, entities: Iterable[LocalEntity], mentions: Iterable[Mention],
                   kb: KnowledgeBase | None = None) -> tuple[list[Relation], list[LocalEntity], list[Mention]]:
    """Relations stated in the article, and entities they imply that no mention named (a country
    known only by its adjective, as in "Russian President Vladimir Putin")."""
    finder = Finder(doc, EntityIndex.build(doc, entities, mentions), kb or default_kb())
    finder.titles()
    finder.affiliations()
    finder.parties()
    finder.party_lists()
    finder.possessives()
    finder.verbs()
    finder.memberships()
    finder.noun_phrases()
    finder.places_of_countries()
    relations = sorted(_most_specific(finder.found).values(),
                       key=lambda r: (r.start, r.subject, r.predicate, r.object))
    return relations, list(finder.implied.values()), finder.implied_mentions


@Language.factory("newsgraph_relations", default_config={"kb_files": []})
def make_relation_component(nlp: Language, name: str, kb_files: list[str]) -> RelationComponent:
    return RelationComponent(default_kb(kb_files))


class RelationComponent:
    """Stores `find_relations(doc, ...)` on `doc._.ng_relations` (after newsgraph_entities)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        register_extensions()
        self.kb = kb

    def __call__(self, doc: Doc) -> Doc:
        entities = list(doc._.ng_entities or [])
        relations, implied, implied_mentions = find_relations(doc, entities, doc._.ng_mentions or [], self.kb)
        doc._.ng_relations = relations
        doc._.ng_entities = entities + implied
        doc._.ng_mentions = list(doc._.ng_mentions or []) + implied_mentions
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)
