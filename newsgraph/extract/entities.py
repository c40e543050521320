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
from newsgraph.extract.kb import TOP_CLASS, KBEntry, KnowledgeBase, capital_of, default_kb
from newsgraph.extract.names import clean_name, name_key
from newsgraph.extract.roles import held_now
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
    return not any(t.is_lower and t.lower_ not in NAME_CONNECTORS and t.is_alpha for t in span)


def ner_candidates(doc: Doc, ctx: ArticleContext, blocked: list[tuple[int, int]]) -> list[Candidate]:
    """Named-entity spans (from the KB ruler and NER), linked, typed and filtered."""
    out: list[Candidate] = []
    given = {ent.start - 1 for ent in doc.ents if ent.ent_id_ and ent.ent_id_ in ctx.kb.by_id
             and _other_given_name(doc, ent, ctx.kb.by_id[ent.ent_id_])}
    for ent in doc.ents:
        if ent.label_ not in NER_CLASSES or (len(ent) == 1 and ent.start in given):
            continue  # the given name joins the surname after it
        span, label, ent_id = ent, ent.label_, ent.ent_id_
        for tok in ent:  # a name never runs over a line break
            if "\n" in tok.text or (tok.i > ent.start and "\n" in doc[tok.i - 1].whitespace_):
                span = doc[ent.start : tok.i]
                break
        if len(span) == 0 or any(s <= span.start_char < e for s, e in blocked):
            continue
        kb_entry = ctx.kb.by_id.get(ent_id) if ent_id else None
        if kb_entry is not None and _other_given_name(doc, span, kb_entry):
            span, kb_entry, ent_id = doc[span.start - 1 : span.end], None, ""  # "Ivanka Trump" is not Donald
        name = clean_name(span.text)
        end = span.end
        if end < len(doc) and doc[end].lower_ in REGION_WORDS and label in ("GPE", "LOC", "ORG", "PERSON"):
            name = f"{name} {REGION_WORDS[doc[end].lower_]}"
            end += 1
            kb_entry = ctx.kb.lookup(name)
        kb_entry = kb_entry or ctx.kb.lookup(name)
        if kb_entry is None:
            if not _looks_like_name(span) or name_key(name) in ctx.kb.adjectives:
                continue
            if len(span) == 1 and span[0].tag_ == "NNPS":  # demonyms: "Greenlanders"
                continue
            cls = "Region" if end > span.end else NER_CLASSES[label]
            out.append(Candidate(span.start, end, name, cls, ner_label=label))
            continue
        if (end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title
                and _title_at(doc, end) is None and doc[end].ent_iob_ != "B"):
            continue  # the KB name only modifies another name: "UN Charter", "Nato summit" stays
        capital = capital_of(ctx.kb, kb_entry)
        if capital is not None and _acts(span):
            kb_entry = capital  # "Moscow said", "Kyiv's position": the government of the country
        extractor = "kb-ruler" if ent_id else "spacy-ner+kb"
        out.append(Candidate(span.start, end, kb_entry.label, kb_entry.entity_class, kb_entry,
                             extractor, KB_CONFIDENCE, label, surface=name))
    return out


def _other_given_name(doc: Doc, span: Span, entry: KBEntry) -> bool:
    """Whether a KB person's surname alias follows another given name ("Ivanka Trump", "Michelle
    Obama"): a capitalised word that is no title, no honorific and no name of its own."""
    if entry.top_class != "Person" or len(span) != 1 or span.start == 0:
        return False
    prev = doc[span.start - 1]
    if prev.pos_ != "PROPN" or not prev.is_title or not prev.is_alpha or prev.ent_type_ not in ("", "PERSON"):
        return False
    if prev.ent_id_:
        return False  # a KB name of its own
    if _title_at(doc, span.start - 1) is not None or prev.lower_ in HONORIFICS:
        return False
    return name_key(f"{prev.text} {span.text}") not in {name_key(n) for n in (entry.label, *entry.aliases)}


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


def cluster(cands: list[Candidate]) -> tuple[dict[int, str], dict[str, list[Candidate]]]:
    """Group candidates into entities: KB id, else folded name; lone surnames join full names."""
    keys = {id(c): key_of(c) for c in cands}
    people_full: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for c in cands:
        if top(c.cls) == "Person" and not c.refers_to:
            words = name_key(c.name).split()
            if len(words) > 1:
                people_full[words[-1]].append((c.start, keys[id(c)]))
    for c in cands:
        words = name_key(c.name).split()
        if c.refers_to or c.kb is not None or len(words) != 1 or top(c.cls) not in ("Person", "Organization", "Place"):
            continue
        full = people_full.get(words[0], [])
        targets = sorted({k for _, k in full})
        if len(targets) > 1:  # two Millers: the surname means the one named last before it
            before = [k for start, k in sorted(full) if start < c.start]
            targets = before[-1:] if before else []
        if len(targets) == 1:
            keys[id(c)] = targets[0]
            c.cls = "Person"
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        groups[keys[id(c)]].append(c)
    return {id(c): keys[id(c)] for c in cands}, groups


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
    assets = [a for a in asset_candidates(doc, ctx) if not any(s <= doc[a.start].idx < e for s, e in credits)]
    asset_names = [a for a in assets if not a.refers_to]
    # a place name inside an asset name is part of the asset, not an entity of its own
    names = [n for n in names if not any(_overlaps(n, a) and n.start >= a.start and
                                         (a.kb is not None or a.name.startswith(n.name)) for a in asset_names)]
    _, groups_named = cluster([n for n in names])
    people = [n for n in names if _entity_class(groups_named[key_of_clustered(n, groups_named)]) == "Person"]
    titled = title_mentions(doc, ctx, people)
    cands = _one_per_span(sorted(names + assets + titled, key=lambda c: (c.start, c.end)))
    keys, groups = cluster(cands)
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


def kb_patterns(kb: KnowledgeBase, make_doc) -> list[dict]:
    """EntityRuler patterns for every KB name: exact case for acronyms, any case but lowercase otherwise."""
    patterns = []
    for entry in kb.entries:
        label = KB_LABELS[entry.top_class]
        if entry.entity_class in ("City", "Region", "Territory", "Country"):
            label = "GPE"
        for alias in dict.fromkeys((entry.label, *entry.aliases)):
            tokens = [t.text for t in make_doc(alias)]
            if not tokens:
                continue
            if alias.isupper() or len(alias) <= 3:
                pattern = [{"ORTH": t} for t in tokens]
            else:
                pattern = [{"LOWER": t.lower()} if t.islower() or not t.isalpha()
                           else {"LOWER": t.lower(), "IS_LOWER": False} for t in tokens]
            patterns.append({"label": label, "pattern": pattern, "id": entry.id})
    return patterns


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
