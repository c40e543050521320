"""Entities of one article: recognised, typed, linked to the KB and grouped by coreference.

`find_entities(doc, kb, anchor)` is pure (a Doc in, values out): testable
without a pipeline.  The `newsgraph_entities` component stores its result on
the Doc.  The rules are about how English news names things:

* spaCy NER gives candidate names; the KB ruler (run before NER) fixes the
  boundaries and types of names the KB knows ("Ursula von der Leyen", "G7").
* A capital city that acts ("Moscow said", "Kyiv's position") is its country.
* "X region / oblast / province" is one Region, not a bare X.
* Assets are noun phrases headed by an asset noun (assets.csv): named
  ("the Zaporizhzhia nuclear plant"), owned ("Ukraine's energy
  infrastructure", "Russian oil installations"), or anaphoric ("the plant").
  A place name inside an asset name is not a separate entity.
* Titles refer to people: an apposition ("Russian President Vladimir Putin")
  says who holds a title in this article; a bare title ("the Russian
  president") is that person, or the KB's holder on the article's date.
* A lone surname is the person of the article whose full name ends with it.
* Not entities: nationalities, dates and numbers, demonyms ("Greenlanders"),
  photo credits and page furniture, spans with lowercase content words.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.extract.datafiles import csv_rows
from newsgraph.extract.extensions import register_extensions
from newsgraph.extract.kb import (GENERATED_PREFIXES, TOP_CLASS, KBEntry, KnowledgeBase, capital_of,
                                  default_kb)
from newsgraph.extract.names import clean_name, name_key
from newsgraph.extract.roles import held_now
from newsgraph.extract.triggers import event_nouns
from newsgraph.extract.values import LocalEntity, Mention

NER_CONFIDENCE = 0.7
KB_CONFIDENCE = 0.9
RULE_CONFIDENCE = 0.8
COREF_CONFIDENCE = 0.6

# spaCy (OntoNotes) label -> ontology class for names the KB does not know.
NER_CLASSES: dict[str, str] = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place",
                               "LOC": "Place", "FAC": "Place"}
KB_LABELS = {"Person": "PERSON", "Organization": "ORG", "Country": "GPE", "Place": "LOC", "Asset": "FAC"}
TIE_ORDER = {"Person": 0, "Country": 1, "City": 2, "Region": 2, "Place": 3, "Asset": 4, "Organization": 5}
REGION_WORDS = {"region": "region", "oblast": "region", "province": "province", "governorate": "region"}
NAME_CONNECTORS = {"of", "the", "for", "and", "de", "del", "da", "do", "dos", "du", "von", "van", "der",
                   "den", "al", "el", "bin", "ibn", "la", "le", "on", "in", "&", "-", "'s", "\u2019s", "y"}
ANAPHORIC_ASSETS = {"plant": "PowerPlant", "facility": None, "station": "PowerPlant", "reactor": "PowerPlant",
                    "site": None, "pipeline": "Pipeline", "dam": "Dam", "bridge": "Bridge", "port": "Port"}
CREDIT_LINE = re.compile(r"^\s*(?:photos?|pictures?|images?|videos?|source|credits?|file photo)\s*[:/|]",
                         re.IGNORECASE)
CREDIT_TAIL = re.compile(r"\b(?:photos?|pictures?|images?|videos?)\s*/.*$", re.IGNORECASE)
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lady", "lord", "madam"}
# After a state's name, these make it the US state ("Georgia Gov.", "Washington state", "a New York
# Democrat"); before "of" + the name, the offices and party words ("Sen. X of Georgia").
STATE_NEXT_WORDS = {"gov.", "governor", "sen.", "senator", "senators", "rep.", "democrat", "democrats",
                    "republican", "republicans", "state", "lawmaker", "lawmakers", "legislature",
                    "legislators", "legislator", "congressman", "congresswoman", "delegation",
                    "statehouse", "voters", "primary", "caucuses", "caucus"}
STATE_OFFICE_WORDS = {"sen.", "senator", "rep.", "representative", "gov.", "governor", "congressman",
                      "congresswoman", "democrat", "republican", "lawmaker", "attorney", "lt.", "d",
                      "r", "secretary"}
LOCATIVE_WORDS = {"in", "to", "from", "at", "into", "across", "near", "toward", "towards", "visit",
                  "visited", "visiting", "throughout"}
MAX_NAME_TOKENS = 12
MAX_NAME_CHARS = 150
REPORTING_DEPS = {"nsubj", "nsubjpass", "poss", "agent"}


@lru_cache(maxsize=1)
def asset_phrases() -> dict[tuple[str, ...], tuple[str, str]]:
    """Lemma sequence -> (class, category) from assets.csv."""
    rows = csv_rows("assets.csv")
    return {tuple(r["phrase"].split()): (r["class"], r["category"]) for r in rows}


@lru_cache(maxsize=1)
def _phrases_by_first_word() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for words in sorted(asset_phrases(), key=len, reverse=True):
        index[words[0]].append(words)
    return index


@lru_cache(maxsize=1)
def titles() -> dict[tuple[str, ...], str]:
    """Title word sequence -> kind ('head' for heads of state/government, 'orghead' for heads of
    organizations, 'office' otherwise).  The 'role' rows ("official", "aide") are titles only beside
    an owner, which the relation rules check: as bare titles they would make every "a Russian
    official" a mention of the last one named."""
    rows = csv_rows("titles.csv")
    return {tuple(r["title"].lower().split()): r["kind"] for r in rows if r["kind"] != "role"}


@dataclass
class Candidate:
    """A mention being built: where, what name, which class, KB entry, or an explicit referent."""

    start: int  # token indices
    end: int
    name: str
    cls: str  # specific ontology class
    kb: KBEntry | None = None
    extractor: str = "spacy-ner"
    confidence: float = NER_CONFIDENCE
    ner_label: str | None = None
    refers_to: str | None = None  # cluster key decided by a coreference rule
    surface: str | None = None


@dataclass
class ArticleContext:
    kb: KnowledgeBase
    anchor: dt.date | None
    title_holders: dict[tuple[str, str], str] = field(default_factory=dict)  # (title, of-kb-id) -> key


def top(cls: str) -> str:
    return TOP_CLASS.get(cls, cls)


def key_of(c: Candidate) -> str:
    if c.refers_to:
        return c.refers_to
    if c.kb is not None:
        return c.kb.id
    return f"name:{name_key(c.name)}"


def _credit_ranges(doc: Doc) -> list[tuple[int, int]]:
    ranges, offset = [], 0
    for line in doc.text.split("\n"):
        if CREDIT_LINE.match(line):
            ranges.append((offset, offset + len(line)))
        elif tail := CREDIT_TAIL.search(line):  # "... continue. Video / NZ Herald, AFP"
            ranges.append((offset + tail.start(), offset + len(line)))
        offset += len(line) + 1
    return ranges


@lru_cache(maxsize=1)
def _titles_by_first_word() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for words in sorted(titles(), key=len, reverse=True):
        index[words[0]].append(words)
    return index


def _title_at(doc: Doc, i: int) -> tuple[int, str] | None:
    """(end token, title) when a title phrase starts at token i."""
    index = _titles_by_first_word()
    for first in {doc[i].lower_, doc[i].lemma_.lower()}:
        for words in index.get(first, ()):
            n = len(words)
            if i + n <= len(doc) and tuple(t.lower_ for t in doc[i : i + n]) == words:
                return i + n, " ".join(words)
            if n == 1 and doc[i].lemma_.lower() == words[0]:
                return i + 1, words[0]
    return None


def _looks_like_name(span: Span) -> bool:
    letters = sum(ch.isalpha() for ch in span.text)
    if letters < 2:
        return False
    return not any(t.is_lower and t.lower_ not in NAME_CONNECTORS and t.is_alpha and not _hyphen_tail(t)
                   for t in span)


def _event_word(tok: Token) -> bool:
    """A word the event lexicon has as an event noun ("tariffs", "summit"), in any case."""
    word = tok.lower_
    nouns = event_nouns()
    return word in nouns or (word.endswith("s") and word[:-1] in nouns)


def _hyphen_tail(tok: Token) -> bool:
    """'jun' of 'Min-jun', 'in' of 'Jae-in': the lowercase half of a hyphenated given name."""
    doc = tok.doc
    return (tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_
            and not doc[tok.i - 2].whitespace_ and doc[tok.i - 2].is_title)


def ner_candidates(doc: Doc, ctx: ArticleContext, blocked: list[tuple[int, int]]) -> list[Candidate]:
    """Named-entity spans (from the KB ruler and NER), linked, typed and filtered."""
    out: list[Candidate] = []
    given = {ent.start - 1 for ent in doc.ents if ent.ent_id_ and ent.ent_id_ in ctx.kb.by_id
             and _other_given_name(doc, ent, ctx.kb.by_id[ent.ent_id_], ctx.kb)}
    for ent in doc.ents:
        if ent.label_ not in NER_CLASSES or (len(ent) == 1 and ent.start in given):
            continue  # the given name joins the surname after it
        span, label, ent_id = ent, ent.label_, ent.ent_id_
        for tok in ent:  # a name never runs over a line break
            if "\n" in tok.text or (tok.i > ent.start and "\n" in doc[tok.i - 1].whitespace_):
                span = doc[ent.start : tok.i]
                break
        span = _whole_name(doc, span)
        if len(span) == 0 or any(s <= span.start_char < e for s, e in blocked):
            continue
        kb_entry = ctx.kb.by_id.get(ent_id) if ent_id else None
        if kb_entry is not None and _other_given_name(doc, span, kb_entry, ctx.kb):
            if kb_entry.top_class != "Person":
                label = "PERSON"  # "Michael Jordan" is no country
            span, kb_entry, ent_id = doc[span.start - 1 : span.end], None, ""  # "Ivanka Trump" is not Donald
        if len(span) > MAX_NAME_TOKENS or len(span.text) > MAX_NAME_CHARS:
            continue  # no name is a paragraph long
        name = clean_name(span.text)
        end = span.end
        if end < len(doc) and doc[end].lower_ in REGION_WORDS and label in ("GPE", "LOC", "ORG", "PERSON"):
            name = f"{name} {REGION_WORDS[doc[end].lower_]}"
            end += 1
            kb_entry = ctx.kb.lookup(name)
        kb_entry = kb_entry or ctx.kb.lookup(name)
        if kb_entry is not None and kb_entry.top_class in ("Country", "Place"):
            if _title_before(doc, span.start):  # "Rep. Jordan", "Sen. Paris": context before the KB
                out.append(Candidate(span.start, end, name, "Person", ner_label="PERSON",
                                     extractor="spacy-ner+context"))
                continue
            kb_entry = _state_sense(doc, span.start, end, kb_entry, ctx.kb)
        if kb_entry is None:
            if not _looks_like_name(span) or name_key(name) in ctx.kb.adjectives:
                continue
            if len(span) == 1 and _event_word(span[0]):
                continue  # "Tariffs", "Wildfires", "Communique" capitalised in a headline: no name
            if len(span) == 1 and span[0].tag_ == "NNPS":  # demonyms: "Greenlanders"
                continue
            cls = "Region" if end > span.end else NER_CLASSES[label]
            if (label in ("PERSON", "ORG") and len(span) == 1 and span.text in ctx.kb.cities
                    and not _acts(span) and not _title_before(doc, span.start)):
                cls = "City"  # "a rally in Ahmedabad": NER's person is a city nobody titles or quotes
            out.append(Candidate(span.start, end, name, cls, ner_label=label))
            continue
        if (end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title
                and _title_at(doc, end) is None and doc[end].ent_iob_ != "B"):
            continue  # the KB name only modifies another name: "UN Charter", "Nato summit" stays
        if kb_entry.entity_class == "GovernmentBody" and kb_entry.country == "US" and span.start > 0 and (
                doc[span.start - 1].lower_ == "state"
                or any(e.id.startswith("state:") for e in ctx.kb.senses(doc[span.start - 1].text))):
            state_name = doc[span.start - 1 : end]  # "Georgia House of Representatives": the state's own
            out.append(Candidate(span.start - 1, end, clean_name(state_name.text), "Organization",
                                 ner_label="ORG", extractor="spacy-ner+context"))
            continue
        capital = capital_of(ctx.kb, kb_entry)
        if capital is not None and not (span.start > 0 and doc[span.start - 1].lower_ in ("capital", "city")) \
                and (_acts(span) or not _placed(doc, span)):
            kb_entry = capital  # "Moscow said", "Kyiv's position", "talks between Washington and Beijing"
        extractor = "kb-ruler" if ent_id else "spacy-ner+kb"
        out.append(Candidate(span.start, end, kb_entry.label, kb_entry.entity_class, kb_entry,
                             extractor, KB_CONFIDENCE, label, surface=name))
    # a name inside a longer name is part of it ("Georgia" of "Georgia House of Representatives")
    return [c for c in out if not any(o.start <= c.start and c.end <= o.end and o.end - o.start > c.end - c.start
                                      for o in out)]


NAME_END_NEVER = {"of", "the", "-", "(", "[", "and", "for", "&", "\u2013", "\u2014", "'s", "\u2019s"}


def _whole_name(doc: Doc, span: Span) -> Span:
    """A name spaCy cut or ran on: it takes the rest of a hyphenated word ("Moon Jae" of "Moon
    Jae-in"), and never starts or ends on "of", "the", a hyphen or a bracket ("Central Bank of")."""
    start, end = span.start, span.end
    while (end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
           and not doc[end].whitespace_ and doc[end + 1].is_alpha and doc[end + 1].ent_type_ in ("", span.label_)):
        end += 2
    while end > start and doc[end - 1].lower_ in NAME_END_NEVER:
        end -= 1
    while start < end and doc[start].text in ("(", "[", "-", "\u2013", "\u2014"):
        start += 1
    return doc[start:end] if (start, end) != (span.start, span.end) else span


def _other_given_name(doc: Doc, span: Span, entry: KBEntry, kb: KnowledgeBase) -> bool:
    """Whether a KB person's surname alias follows another given name ("Ivanka Trump", "Michelle
    Obama"): a capitalised word that is no title, no honorific and no name of its own.  A place
    name after a known given name is a surname too ("Michael Jordan", "Bob Georgia")."""
    if len(span) != 1 or span.start == 0:
        return False
    prev = doc[span.start - 1]
    if entry.top_class != "Person":
        if entry.top_class not in ("Country", "Place") or name_key(prev.text) not in kb.given_names:
            return False
    if prev.pos_ != "PROPN" or not prev.is_title or not prev.is_alpha or prev.ent_type_ not in ("", "PERSON"):
        return False
    if prev.ent_id_:
        return False  # a KB name of its own
    if _title_at(doc, span.start - 1) is not None or prev.lower_ in HONORIFICS:
        return False
    return name_key(f"{prev.text} {span.text}") not in {name_key(n) for n in (entry.label, *entry.aliases)}


def _title_before(doc: Doc, i: int) -> bool:
    """Whether a person's title or honorific ends just before token i ("Sen. X", "Mr. X", "CEO X")."""
    if i == 0:
        return False
    if doc[i - 1].lower_.rstrip(".") in HONORIFICS:
        return True
    for j in range(max(0, i - 3), i):
        hit = _title_at(doc, j)
        if hit is not None and hit[0] == i and doc[j].is_lower is False:
            return True
    return False


def _state_sense(doc: Doc, start: int, end: int, entry: KBEntry, kb: KnowledgeBase) -> KBEntry:
    """The US state a country's or city's name means in US political context ("Georgia Gov.",
    "Sen. X of Georgia", "Washington state", "a New York Democrat", "Atlanta, Georgia"), else the
    entry itself."""
    state = next((e for e in kb.senses(doc[start:end].text) if e.id.startswith("state:")), None)
    if state is None or state is entry:
        return entry
    if end < len(doc) and doc[end].lower_ in STATE_NEXT_WORDS:
        return state
    if start >= 2 and doc[start - 1].lower_ == "of":
        before = {t.lower_ for t in doc[max(0, start - 9) : start - 1]}
        if doc[start - 2].lower_ == "state" or before & STATE_OFFICE_WORDS:
            return state
    if start >= 2 and doc[start - 1].text == "," and doc[start - 2].ent_type_ == "GPE" \
            and kb.lookup(doc[start - 2].text) is None:
        return state  # "Macon, Georgia": a town the KB does not know, then its state
    return entry


def _placed(doc: Doc, span: Span) -> bool:
    """Whether a capital's name is the city itself: after a place word ("in Beijing", "flew to
    Tehran"), a dateline or address ("SEOUL, South Korea", "Paris, France") or inside another
    name's phrase; elsewhere news uses it for the country's government (capital metonymy)."""
    i, end = span.start, span.end
    if i > 0 and (doc[i - 1].lower_ in LOCATIVE_WORDS or doc[i - 1].lower_ in ("outside", "of", "around")):
        return True
    if end < len(doc) and doc[end].text in (",", "\u2014", "-", "(") and (i == 0 or "\n" in doc[i - 1].whitespace_
                                                                   or doc[i - 1].is_sent_start is None):
        return True
    if i == 0 or doc[i].is_sent_start and end < len(doc) and doc[end].text == ",":
        return True  # "BEIJING, China —" and other datelines
    return span.root.dep_ in ("compound", "amod") or span.root.head.pos_ in ("PROPN",) and span.root.dep_ != "conj"


def _acts(span: Span) -> bool:
    """Whether a place name is used as an actor: subject, possessor, agent or their conjunct."""
    root = span.root
    while root.dep_ == "conj" and root.head != root:
        root = root.head
    if root.dep_ in REPORTING_DEPS:
        return True
    return root.dep_ == "pobj" and root.head.lower_ == "by"


def asset_candidates(doc: Doc, ctx: ArticleContext) -> list[Candidate]:
    """Asset noun phrases: named, owned by a country, or anaphoric ('the plant')."""
    phrases = asset_phrases()
    out: list[Candidate] = []
    last_by_class: dict[str, str] = {}
    i = 0
    by_first = _phrases_by_first_word()
    while i < len(doc):
        match = None
        for words in by_first.get(doc[i].lemma_.lower(), ()):
            n = len(words)
            if i + n <= len(doc) and tuple(t.lemma_.lower() for t in doc[i : i + n]) == words:
                match = (n, *phrases[words])
                break
        if match is None:
            if doc[i].lower_ in ANAPHORIC_ASSETS and i > 0 and doc[i - 1].lower_ == "the" and doc[i].tag_ == "NN":
                target = last_by_class.get(ANAPHORIC_ASSETS[doc[i].lower_] or "*")
                if target:
                    out.append(Candidate(i - 1, i + 1, doc[i - 1 : i + 1].text, "Asset", refers_to=target,
                                         extractor="asset-coref", confidence=COREF_CONFIDENCE))
            i += 1
            continue
        n, cls, category = match
        start, end = i, i + n
        name_start = start
        while name_start > 0 and doc[name_start - 1].pos_ == "PROPN" and not _is_country_word(doc[name_start - 1], ctx):
            name_start -= 1
        owner = _owner(doc, name_start, ctx)
        plural = doc[end - 1].tag_ in ("NNS", "NNPS")
        if name_start < start:
            name = f"{doc[name_start:start].text} {category}"
            kb_entry = ctx.kb.lookup(f"{doc[name_start:start].text} {' '.join(t.text for t in doc[start:end])}")
            kb_entry = kb_entry or ctx.kb.lookup(name)
            cand = Candidate(name_start, end, kb_entry.label if kb_entry else name,
                             kb_entry.entity_class if kb_entry else cls, kb_entry,
                             "asset-rule", RULE_CONFIDENCE, surface=doc[name_start:end].text)
        elif owner is not None:
            owner_entry, owner_start = owner
            cand = Candidate(owner_start, end, f"{owner_entry.label}'s {category}", cls, None, "asset-rule",
                             RULE_CONFIDENCE, surface=doc[owner_start:end].text)
        else:
            target = last_by_class.get(cls) or (last_by_class.get("*") if not plural else None)
            if target:
                out.append(Candidate(start, end, doc[start:end].text, cls, refers_to=target,
                                     extractor="asset-coref", confidence=COREF_CONFIDENCE))
            i = end
            continue
        out.append(cand)
        key = key_of(cand)
        last_by_class[cls] = key
        for parent in _plant_parents(cls):
            last_by_class[parent] = key
        i = end
    return out


def _plant_parents(cls: str) -> list[str]:
    return ["PowerPlant", "*"] if cls in ("NuclearPowerPlant", "PowerPlant") else ["*"]


def _is_country_word(tok: Token, ctx: ArticleContext) -> bool:
    return ctx.kb.country_of_adjective(tok.text) is not None


def _owner(doc: Doc, start: int, ctx: ArticleContext) -> tuple[KBEntry, int] | None:
    """The country owning the phrase that starts at token `start`: 'Ukraine's', 'Ukrainian', 'Ukraine'."""
    j = start - 1
    while j >= 0 and doc[j].pos_ == "ADJ" and ctx.kb.country_of_adjective(doc[j].text) is None:
        j -= 1  # skip "devastating", "multiple"
    if j < 0:
        return None
    if doc[j].lower_ in ("'s", "\u2019s", "'") and j > 0:
        country = ctx.kb.country_of_adjective(doc[j - 1].text)
        return (country, j - 1) if country else None
    country = ctx.kb.country_of_adjective(doc[j].text)
    return (country, j) if country else None


def title_mentions(doc: Doc, ctx: ArticleContext, people: list[Candidate]) -> list[Candidate]:
    """Appositions record who holds a title; bare titles ('the Russian president') become mentions."""
    by_start = {c.start: c for c in people}
    found: list[tuple[int, int, str, KBEntry]] = []
    i = 0
    while i < len(doc):
        hit = _title_at(doc, i)
        if hit is None:
            i += 1
            continue
        end, title = hit
        of = _title_owner(doc, i, ctx.kb)
        if of is None:
            i = end
            continue
        nxt = end + 1 if end < len(doc) and doc[end].text == "," else end
        if not held_now(doc, i, end):  # "the former president" is not the sitting one
            i = end
            continue
        if nxt in by_start:  # apposition: "Russian President Vladimir Putin"
            ctx.title_holders[(title, of[0].id)] = key_of(by_start[nxt])
            if title in ("president", "prime minister", "chancellor"):
                ctx.title_holders[("leader", of[0].id)] = key_of(by_start[nxt])
        elif doc[end - 1].tag_ in ("NN", "NNP") and (end >= len(doc) or doc[end].pos_ != "PROPN"):
            found.append((of[1], end, title, of[0]))
        i = end
    out = []
    named = {key_of(p) for p in people}
    for start, end, title, owner in found:
        target = _holder(title, owner, ctx, named)
        if target:
            out.append(Candidate(start, end, doc[start:end].text, "Person", refers_to=target,
                                 extractor="title-coref", confidence=COREF_CONFIDENCE))
    return out


def _title_owner(doc: Doc, i: int, kb: KnowledgeBase) -> tuple[KBEntry, int] | None:
    """Whose title: 'Russian president', 'Ukraine's foreign minister', 'US President'."""
    j = i - 1
    if j >= 0 and doc[j].lower_ in ("'s", "\u2019s") and j > 0:
        entry = kb.lookup(doc[j - 1].text) or kb.country_of_adjective(doc[j - 1].text)
        start = j - 1
    elif j >= 0:
        entry = kb.country_of_adjective(doc[j].text)
        start = j
    else:
        return None
    if entry is None:
        return None
    if start > 0 and doc[start - 1].lower_ == "the":
        start -= 1
    return entry, start


def _holder(title: str, owner: KBEntry, ctx: ArticleContext, named: set[str] = frozenset()) -> str | None:
    """Who holds the title: the person this article gives it, else the KB's holder on the
    article's date, else the one of the KB's holders that the article names."""
    key = ctx.title_holders.get((title, owner.id))
    if key:
        return key
    kind = titles().get(tuple(title.split()))
    candidates = ctx.kb.holders(title if kind != "head" or title != "leader" else "leader", owner.id, ctx.anchor)
    if len(candidates) != 1:
        candidates = [c for c in candidates if c.id in named]
    if len(candidates) == 1:
        return candidates[0].id
    return None


def cluster(cands: list[Candidate], given: frozenset[str] = frozenset()) -> tuple[dict[int, str], dict[str, list[Candidate]]]:
    """Group candidates into entities: KB id, else folded name; lone surnames join full names
    (a lone first word too: "Xi", "Moon" and "Bernie" name the person whose name begins with it);
    acronyms join their expansions ("DHS", "Department of Homeland Security"); "Treasury" joins
    "Treasury Department"."""
    keys = {id(c): key_of(c) for c in cands}
    people_full: dict[str, list[tuple[int, str]]] = defaultdict(list)
    people_first: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for c in cands:
        if top(c.cls) == "Person" and not c.refers_to:
            words = name_key(c.name).split()
            if len(words) > 1:
                people_full[words[-1]].append((c.start, keys[id(c)]))
                people_first[words[0]].append((c.start, keys[id(c)]))
    for c in cands:
        words = name_key(c.name).split()
        if c.refers_to or c.kb is not None or len(words) != 1 or top(c.cls) not in ("Person", "Organization", "Place"):
            continue
        target = _nearest(people_full.get(words[0], []), c.start)
        if target is None and (top(c.cls) == "Person" or words[0] in given or c.ner_label == "ORG"):
            target = _nearest(people_first.get(words[0], []), c.start)
        if target is not None:
            keys[id(c)] = target
            c.cls = "Person"
    _join_org_forms(cands, keys)
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        groups[keys[id(c)]].append(c)
    return {id(c): keys[id(c)] for c in cands}, groups


def _nearest(full: list[tuple[int, str]], start: int) -> str | None:
    """The one entity of `full` a short name means: the only one, or of two Millers the one
    named last before it."""
    targets = sorted({k for _, k in full})
    if len(targets) > 1:
        before = [k for s, k in sorted(full) if s < start]
        targets = before[-1:] if before else []
    return targets[0] if len(targets) == 1 else None


ORG_HEADS = {"department", "ministry", "dept"}
ACRONYM_SKIP = {"of", "the", "for", "and", "on", "&", "to", "in"}


def _initials(name: str) -> set[str]:
    """Acronyms a multi-word name may have: its capitalised words' first letters ("Department of
    Homeland Security" -> DHS), with or without a leading "U.S." ("USDA")."""
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    caps = [w for w in words if w.lower() not in ACRONYM_SKIP and w[:1].isupper()]
    if len(caps) < 2:
        return set()
    forms = {"".join(w[0] for w in caps)}
    if name_key(caps[0]) in ("us", "united"):
        forms.add("".join(w[0] for w in caps[1:]))
    return {f.upper() for f in forms if len(f) >= 2}


def _org_core(name: str) -> str | None:
    """'Treasury Department', 'Department of the Treasury' -> 'treasury'."""
    words = name_key(name).split()
    if len(words) >= 2 and words[-1] in ORG_HEADS:
        return " ".join(words[:-1])
    if len(words) >= 3 and words[0] in ORG_HEADS and words[1] == "of":
        rest = words[2:]
        return " ".join(rest[1:] if rest[0] == "the" else rest) or None
    return None


def _join_org_forms(cands: list[Candidate], keys: dict[int, str]) -> None:
    """Acronym -> expansion and bare core -> '... Department', inside one article (one target
    only; a KB entry on either side gives the key)."""
    orgs = [c for c in cands if not c.refers_to and top(c.cls) in ("Organization", "Place", "Country")]
    by_initials: dict[str, set[str]] = defaultdict(set)
    by_core: dict[str, set[str]] = defaultdict(set)
    for c in orgs:
        if top(c.cls) != "Organization":
            continue
        for form in _initials(c.surface or c.name) | (_initials(c.name) if c.kb else set()):
            by_initials[form].add(keys[id(c)])
        core = _org_core(c.name)
        if core:
            by_core[core].add(keys[id(c)])
    for c in orgs:
        text = (c.surface or c.name).replace(".", "")
        if len(text) >= 2 and text.isupper() and text.isalpha():
            targets = by_initials.get(text, set()) - {keys[id(c)]}
        elif top(c.cls) == "Organization" and len(name_key(c.name).split()) == 1:
            targets = by_core.get(name_key(c.name), set()) - {keys[id(c)]}
        else:
            continue
        if len(targets) != 1:
            continue
        target = next(iter(targets))
        mine = keys[id(c)]
        if c.kb is not None and not target.startswith(("kb:", "country:", "state:", "leg:", "user")):
            target, mine = mine, target  # "FBI" is in the KB, its expansion too by this rule
        for other in cands:
            if keys[id(other)] == mine:
                keys[id(other)] = target
                if other.kb is None and target in _kb_keys(cands):
                    other.kb = _kb_keys(cands)[target]


def _kb_keys(cands: list[Candidate]) -> dict[str, KBEntry]:
    return {c.kb.id: c.kb for c in cands if c.kb is not None}


def _context_senses(names: list[Candidate], doc: Doc, kb: KnowledgeBase) -> None:
    """Senses an article settles once for all its mentions: a country's or place's name that is
    the surname of a person the article names is that person ("Rep. Jim Jordan ... Jordan said"),
    unless a place word comes before it ("in Jordan"); a name the article uses once for a US
    state ("Georgia Gov.") is the state wherever it would be the country."""
    surnames = {name_key(c.name).split()[-1] for c in names
                if top(c.cls) == "Person" and not c.refers_to and len(name_key(c.name).split()) > 1}
    states = {name_key(c.surface or c.name): c.kb for c in names if c.kb is not None and c.kb.id.startswith("state:")}
    for c in names:
        if c.kb is None or c.kb.top_class not in ("Country", "Place") or c.end - c.start != 1:
            continue
        surface = name_key(c.surface or c.name)
        before = doc[c.start - 1].lower_ if c.start > 0 else ""
        if surface in surnames and before not in LOCATIVE_WORDS:
            c.kb, c.cls, c.name, c.ner_label = None, "Person", clean_name(doc[c.start:c.end].text), "PERSON"
            c.extractor = "spacy-ner+context"
        elif surface in states and c.kb.entity_class == "Country":
            c.kb = states[surface]
            c.name, c.cls = c.kb.label, c.kb.entity_class


def _entity_class(group: list[Candidate]) -> str:
    for c in group:
        if c.kb is not None:
            return c.kb.entity_class
    own = [c for c in group if not c.refers_to]
    votes = Counter(c.cls for c in own or group)
    if "Person" in votes and votes["Person"] * 2 >= sum(votes.values()) - votes["Person"]:
        return "Person"
    # ties: NER confuses place names with organizations far more often than the reverse
    return sorted(votes, key=lambda k: (-votes[k], TIE_ORDER.get(k, 9), k))[0]


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def find_entities(doc: Doc, kb: KnowledgeBase | None = None,
                  anchor: dt.date | None = None) -> tuple[list[LocalEntity], list[Mention]]:
    """The article's entities and every mention of them (see the module docstring for the rules)."""
    ctx = ArticleContext(kb or default_kb(), anchor)
    credits = _credit_ranges(doc)
    title_spans = []
    for i in range(len(doc)):
        hit = _title_at(doc, i)
        if hit and hit[0] - i > 1:
            title_spans.append((doc[i].idx, doc[hit[0] - 1].idx + len(doc[hit[0] - 1])))
    names = ner_candidates(doc, ctx, credits + title_spans)
    _context_senses(names, doc, ctx.kb)
    assets = [a for a in asset_candidates(doc, ctx) if not any(s <= doc[a.start].idx < e for s, e in credits)]
    asset_names = [a for a in assets if not a.refers_to]
    # a place name inside an asset name is part of the asset, not an entity of its own
    names = [n for n in names if not any(_overlaps(n, a) and n.start >= a.start and
                                         (a.kb is not None or a.name.startswith(n.name)) for a in asset_names)]
    _, groups_named = cluster(names, ctx.kb.given_names)
    people = [n for n in names if _entity_class(groups_named[key_of_clustered(n, groups_named)]) == "Person"]
    titled = title_mentions(doc, ctx, people)
    cands = _one_per_span(sorted(names + assets + titled, key=lambda c: (c.start, c.end)))
    keys, groups = cluster(cands, ctx.kb.given_names)
    for key, group in groups.items():  # a KB holder named only by title still needs a name
        if all(c.refers_to for c in group) and key in ctx.kb.by_id:
            entry = ctx.kb.by_id[key]
            for c in group:
                c.kb = entry
    sent_of = {}
    for si, sent in enumerate(doc.sents):
        for tok in sent:
            sent_of[tok.i] = si
    entities, mentions = [], []
    for key in sorted(groups):
        group = groups[key]
        kb_entry = next((c.kb for c in group if c.kb is not None), None)
        if kb_entry is None and key in ctx.kb.by_id:
            kb_entry = ctx.kb.by_id[key]
        own_names = [c.name for c in group if not c.refers_to] or [group[0].name]
        name = kb_entry.label if kb_entry else max(own_names, key=lambda n: (len(n), n))
        forms = sorted({clean_name(c.surface or doc[c.start:c.end].text) for c in group} | {name})
        entities.append(LocalEntity(key=key, name=name, entity_class=_entity_class(group),
                                    surface_forms=tuple(f for f in forms if f),
                                    wikidata=kb_entry.wikidata if kb_entry else None,
                                    kb_id=kb_entry.id if kb_entry else None))
    for c in cands:
        span = doc[c.start:c.end]
        mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text, entity=keys[id(c)],
                                entity_class=c.cls, sentence=sent_of.get(c.start, 0), extractor=c.extractor,
                                confidence=c.confidence, ner_label=c.ner_label))
    return entities, mentions


def _one_per_span(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per span: a KB-linked name beats a rule, a rule beats a coreference guess."""
    best: dict[tuple[int, int], Candidate] = {}
    for c in cands:
        rank = (c.kb is not None, c.refers_to is None, c.confidence)
        old = best.get((c.start, c.end))
        if old is None or rank > (old.kb is not None, old.refers_to is None, old.confidence):
            best[(c.start, c.end)] = c
    return sorted(best.values(), key=lambda c: (c.start, c.end))


def key_of_clustered(c: Candidate, groups: dict[str, list[Candidate]]) -> str:
    for key, group in groups.items():
        if any(g is c for g in group):
            return key
    return key_of(c)


@Language.factory("newsgraph_entities", default_config={"kb_files": []})
def make_entity_component(nlp: Language, name: str, kb_files: list[str]) -> EntityComponent:
    """spaCy factory: `nlp.add_pipe("newsgraph_entities", config={"kb_files": [...]})`."""
    return EntityComponent(default_kb(kb_files))


class EntityComponent:
    """Stores `find_entities(doc)` on `doc._.ng_entities` and `doc._.ng_mentions`."""

    def __init__(self, kb: KnowledgeBase) -> None:
        register_extensions()
        self.kb = kb

    def __call__(self, doc: Doc) -> Doc:
        anchor = doc._.ng_anchor_date
        entities, mentions = find_entities(doc, self.kb, anchor)
        doc._.ng_entities = entities
        doc._.ng_mentions = mentions
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)
