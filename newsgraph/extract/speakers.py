"""Who said it: quotations found by newsgraph.extract.quotes, attributed to entities.

The quote finder gives the words and the span of the speaker noun phrase;
this component maps that span to one of the article's entities, the way a
reader of English news does:
* a span that holds a mention is that mention's entity ("Ukraine's Foreign
  Minister Andriy Sybiga" -> Sybiga: the person wins over the country); of
  several, the one the phrase is about: its head, else the first that is no
  conjunct or possessor ("the leaders of the UK, France and Spain" -> the UK,
  "Google's parent company Alphabet" -> Alphabet);
* a person named as the one whose lawyer, aide or wife the speaker is ("a
  defense attorney for Manafort", "Manafort's attorney") is someone else: no
  speaker (an organization is: "a spokesman for the ministry" speaks for it);
* a pronoun is the most plausible entity of its kind that agrees with it,
  named in the narrative (not inside a quotation: those are the speakers' words):
  "he" / "she" -> the most recent salient person of that gender ("Karen Wilcox
  says Harris is her first choice. '...,' she added" is Wilcox); "it" ->
  an organization or country, never a person; "they" / "we" -> an organization
  or country, else a person.  A person's gender comes from the pronouns the
  article itself uses right after naming them, and from their first name (the
  gender-guesser table) when the article gives no clear sign;
* a bare name that NER missed ("Brilliant said", "said Downing") is the person
  of the article whose name ends with that word (the most recent one if two
  share it: "Sanders" after "Sarah Sanders" and "Bernie Sanders");
* a definite description ("the president", "the North Korean leader", "the
  representative") is the entity an earlier use of the same noun named:
  "President Donald Trump", "North Korean leader Kim Jong Un", "a Discord
  representative" (the organization a nameless spokesperson speaks for).  The
  speaker's modifiers must all appear in the earlier phrase, and a title
  changed by "vice", "deputy", "former" ... (title_changers.txt) is another
  title ("Vice President Mike Pence" is not "the president");
* a speaker span that names no entity (an unnamed "official") gives no quote:
  a quote needs a speaker that is an actor.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.extract.datafiles import data_lines
from newsgraph.extract.extensions import register_extensions
from newsgraph.extract.kb import TOP_CLASS
from newsgraph.extract.quotes import QuoteSpan, find_quotes, reporting_lexicon
from newsgraph.extract.values import LocalEntity, Mention, Quote

PERSONAL = {"he", "she", "him", "her", "his"}
COLLECTIVE = {"it", "they", "its", "their", "we"}
ACTORS = {"Person", "Organization", "Country"}
Gender = Literal["m", "f"]
PRONOUN_GENDER: dict[str, Gender] = {"he": "m", "him": "m", "his": "m", "himself": "m",
                                     "she": "f", "her": "f", "hers": "f", "herself": "f"}
# How many recent actor mentions a pronoun looks back over, and how many of them may be salient.
PRONOUN_WINDOW = 40
SALIENT_WINDOW = 6
# A first name's gender counts for this many of the article's own pronouns ("mostly_" half that).
NAME_WEIGHT = 1.5


@lru_cache(maxsize=1)
def _name_detector():  # type: ignore[no-untyped-def]
    """The first-name table of gender-guesser (about 40,000 names of many countries); loaded once."""
    import gender_guesser.detector as gd  # type: ignore[import-untyped]

    return gd.Detector(case_sensitive=False)


def name_gender_score(first_name: str) -> float:
    """Positive for a male first name, negative for a female one, 0 when unknown or unisex.

    >>> name_gender_score("Sarah") < 0 < name_gender_score("Kevin"), name_gender_score("Xq")
    (True, 0.0)
    """
    if not first_name.isalpha():
        return 0.0
    guess = _name_detector().get_gender(first_name)
    return {"male": NAME_WEIGHT, "mostly_male": NAME_WEIGHT / 2,
            "female": -NAME_WEIGHT, "mostly_female": -NAME_WEIGHT / 2}.get(guess, 0.0)


@lru_cache(maxsize=1)
def title_changers() -> frozenset[str]:
    """Words that make a title another one ("vice president" is not "president")."""
    return frozenset(ln.lower() for ln in data_lines("title_changers.txt"))


@dataclass
class _Article:
    """What speaker resolution needs to know about one article, built once per Doc."""

    doc: Doc
    ordered: list[Mention]  # actor mentions in text order
    starts: list[int]
    classes: dict[str, str]
    names: dict[str, str]
    genders: dict[str, Gender]
    quoted: list[tuple[int, int]] = field(default_factory=list)  # direct quotations, in text order

    def in_quotation(self, m: Mention) -> bool:
        """Whether a mention is inside a direct quotation (a speaker's words, not the narrative)."""
        k = bisect.bisect_right(self.quoted, (m.start, float("inf"))) - 1
        return k >= 0 and self.quoted[k][0] <= m.start < self.quoted[k][1]

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The actor mention overlapping characters start..end, if any."""
        i = bisect.bisect_right(self.starts, end - 1) - 1
        while i >= 0 and self.ordered[i].end > start - 200:
            m = self.ordered[i]
            if m.start < end and m.end > start:
                return m
            i -= 1
        return None


def attribute(doc: Doc, spans: Iterable[QuoteSpan], entities: Iterable[LocalEntity],
              mentions: Iterable[Mention]) -> list[Quote]:
    """Quotes with a resolved speaker (spans whose speaker is not an actor are left out)."""
    entities = list(entities)
    classes = {e.key: TOP_CLASS.get(e.entity_class, e.entity_class) for e in entities}
    ordered = sorted((m for m in mentions if classes.get(m.entity) in ACTORS), key=lambda m: m.start)
    art = _Article(doc, ordered, [m.start for m in ordered], classes, {e.key: e.name for e in entities}, {})
    art.genders = person_genders(doc, art)
    spans = list(spans)
    art.quoted = sorted((q.start, q.end) for q in spans if not q.indirect)
    sent_starts = [s.start_char for s in doc.sents]
    quotes = []
    for q in spans:
        speaker = _speaker(q, art)
        if speaker is None:
            continue
        inside = sorted({m.entity for m in ordered if q.start <= m.start and m.end <= q.end})
        quotes.append(Quote(q.start, q.end, q.text, speaker, q.indirect,
                            max(0, bisect.bisect_right(sent_starts, q.start) - 1), tuple(inside),
                            "quote-rules", q.confidence))
    return quotes


def person_genders(doc: Doc, art: _Article) -> dict[str, Gender]:
    """The gender of each person of the article, where the article or the first name tells it.

    Each "he" / "she" that is the subject of a clause other than a reporting
    verb ("X said she would ...", "X ... . She has led ...") votes for the
    person it continues when that person is the only one named before it in
    its sentence and the sentence before.  Possessives and objects do not vote
    ("Tom Blake, her rival" is not about Blake).  The first name of the person's fullest name adds
    NAME_WEIGHT votes; the article's own usage wins when it is clear.
    """
    people = [m for m in art.ordered if art.classes[m.entity] == "Person"]
    score: dict[str, float] = defaultdict(float)
    for key in {m.entity for m in people}:
        first = art.names.get(key, "").split()
        score[key] += name_gender_score(first[0]) if len(first) > 1 else 0.0
    starts = [m.start for m in people]
    reporting = reporting_lexicon().lemma_of_form
    for sent in doc.sents:
        for tok in sent:
            gender = PRONOUN_GENDER.get(tok.lower_)
            if gender is None or tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.lower_ in reporting:
                continue  # the subject of "she said" is what is being resolved: it tells nothing
            lo = doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
            i = bisect.bisect_right(starts, tok.idx) - 1
            before = []
            while i >= 0 and people[i].start >= lo:
                if people[i].end <= tok.idx:
                    before.append(people[i])
                i -= 1
            if len({m.entity for m in before}) != 1:
                continue  # no one, or several people, named just before: the pronoun tells nothing sure
            score[before[0].entity] += 1.0 if gender == "m" else -1.0
    return {k: ("m" if v > 0 else "f") for k, v in score.items() if v}


def _is_subject(doc: Doc, m: Mention) -> bool:
    """Whether a mention is the subject of its clause, or a name in apposition to it
    ("her husband Stephen Miller said ...")."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.dep_ in ("appos", "compound") and root.head.i != root.i:
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass")


def _speaker(q: QuoteSpan, art: _Article) -> str | None:
    """The entity a quotation's speaker span refers to (rules in the module docstring, in order)."""
    if q.speaker_start is None or q.speaker_end is None:
        return None
    inside = [m for m in art.ordered if q.speaker_start <= m.start and m.end <= q.speaker_end]
    phrase = art.doc.char_span(q.speaker_start, q.speaker_end, alignment_mode="expand")
    if inside and phrase is not None:
        inside = [m for m in inside if not _someone_elses(art, m, phrase)]
        if not inside:
            return None
    if inside:
        people = [m for m in inside if art.classes[m.entity] == "Person"]
        return _head_mention(art.doc, people or inside).entity
    word = (q.speaker_text or "").strip().lower()
    if word in PERSONAL | COLLECTIVE:
        return _pronoun_antecedent(word, q, art)
    span = art.doc.char_span(q.speaker_start, q.speaker_end, alignment_mode="expand")
    if span is None:
        return None
    return _by_name_part(span, art) or _by_description(span, art)


def _someone_elses(art: _Article, m: Mention, phrase: Span) -> bool:
    """A person named as whose lawyer, aide or wife the speaker is: "a defense attorney for
    Manafort", "Manafort's attorney", "the wife of one of Trump's aides".  That person is not
    the speaker (an organization is: "a spokesman for the ministry" speaks for it)."""
    if art.classes[m.entity] != "Person":
        return False
    head = phrase.root
    if head.pos_ != "NOUN":
        return False
    span = art.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or span.root.i == head.i:
        return False
    root = span.root
    return root.dep_ in ("poss", "pobj") and not (root.head.i == head.i and root.dep_ in ("appos", "compound"))


def _head_mention(doc: Doc, mentions: list[Mention]) -> Mention:
    """Of the names in a speaker phrase, the one the phrase is about.

    The name at the phrase's head ("Japan and South Korea said" -> Japan), else
    the first that is neither a conjunct nor a possessor ("the leaders of the UK,
    France and Spain" -> the UK, "Google's parent company Alphabet" -> Alphabet),
    else the last.
    """
    roots = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        roots.append(span.root if span is not None else None)
    for m, root in zip(mentions, roots):
        if root is not None and root.dep_ in ("nsubj", "nsubjpass"):
            return m
    for m, root in zip(mentions, roots):
        if root is not None and root.dep_ not in ("conj", "poss", "compound"):
            return m
    return mentions[-1]


def _pronoun_antecedent(word: str, q: QuoteSpan, art: _Article) -> str | None:
    """The salient recent entity a pronoun agrees with (see the module docstring)."""
    assert q.speaker_start is not None
    wanted = {"Person"} if word in PERSONAL else {"Organization", "Country"}
    gender = PRONOUN_GENDER.get(word)
    i = bisect.bisect_left(art.starts, q.speaker_start)
    window = art.ordered[max(0, i - PRONOUN_WINDOW):i]
    recent = [m for m in reversed(window)
              if art.classes[m.entity] in wanted and not art.in_quotation(m) and not (q.start <= m.start < q.end)
              and (gender is None or art.genders.get(m.entity, gender) == gender)]
    # the salient one: the last of that kind who was the subject of a clause, else the last named
    for m in recent[:SALIENT_WINDOW]:
        if _is_subject(art.doc, m):
            return m.entity
    if recent:
        return recent[0].entity
    if word in ("they", "their", "we"):
        for m in reversed(window):
            if art.classes[m.entity] == "Person":
                return m.entity
    return None


def _by_name_part(span: Span, art: _Article) -> str | None:
    """A bare capitalised name that is the last word of a person's name in the article."""
    words = [t for t in span if not t.is_punct and t.lower_ not in ("'s", "\u2019s")]
    if not words or len(words) > 3 or not all(t.text[:1].isupper() and t.pos_ == "PROPN" for t in words):
        return None
    last = words[-1].text.lower()
    best: tuple[int, str] | None = None
    for key, name in art.names.items():
        if art.classes.get(key) != "Person" or len(name.split()) < 2 or name.split()[-1].lower() != last:
            continue
        before = [m.start for m in art.ordered if m.entity == key and m.start < span.start_char]
        rank = max(before) if before else -1
        if best is None or rank > best[0]:
            best = (rank, key)
    return best[1] if best else None


def _modifiers(tokens: Iterable[Token]) -> set[str]:
    """The content words before a description's noun ("North Korean" of "the North Korean leader")."""
    return {t.lower_ for t in tokens if not t.is_punct and t.pos_ not in ("DET", "PRON") and t.dep_ != "poss"}


def _by_description(span: Span, art: _Article) -> str | None:
    """'the president' / 'the North Korean leader': the entity an earlier use of the noun named."""
    head = span.root
    if head.tag_ not in ("NN", "NNP") or not any(t.lower_ == "the" for t in span if t.i < head.i):
        return None
    wanted = _modifiers(t for t in span if t.i < head.i)
    doc = art.doc
    for tok in reversed(doc[: span.start]):
        if tok.lemma_.lower() != head.lemma_.lower() or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        found = _named_by(tok, art)
        if found is None:
            continue
        mention, window = found
        own = {t.lower_ for t in tok.lefts if t.dep_ in ("compound", "amod")}
        if own & title_changers() - wanted or not wanted <= window:
            continue
        return mention.entity
    return None


def _named_by(tok: Token, art: _Article) -> tuple[Mention, set[str]] | None:
    """The actor a noun phrase names, and the words of that phrase.

    'President Donald Trump' / 'leader Kim Jong Un' (the noun is a title before
    a name), 'Trump, the president' / 'Kim Yo Jong, the younger sister' (an
    apposition), 'a Discord representative' / 'Discord's representative' (a
    name inside the phrase: the one the nameless person speaks for).
    """
    doc = tok.doc
    window = {t.lower_ for t in doc[tok.left_edge.i : tok.i + 1]}
    candidates: list[Token] = []
    if tok.i + 1 < len(doc):
        candidates.append(doc[tok.i + 1])  # a title right before the name
    if tok.dep_ in ("compound", "appos"):
        candidates.append(tok.head)
    candidates += [c for c in tok.children if c.dep_ == "appos"]
    candidates += [c for c in tok.lefts if c.dep_ in ("compound", "poss", "amod")]
    for cand in candidates:
        mention = art.mention_at(cand.idx, cand.idx + len(cand))
        if mention is not None:
            return mention, window | {w.lower() for w in mention.text.split()}
    return None


@Language.factory("newsgraph_quotes", default_config={})
def make_quote_component(nlp: Language, name: str) -> QuoteComponent:
    return QuoteComponent()


class QuoteComponent:
    """Stores attributed quotes on `doc._.ng_quotes` (after newsgraph_entities)."""

    def __init__(self) -> None:
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc._.ng_quotes = attribute(doc, find_quotes(doc), doc._.ng_entities or [], doc._.ng_mentions or [])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)
