"""Who said it: quotations found by newsgraph.extract.quotes, attributed to entities.

The quote finder gives the words and the span of the speaker noun phrase;
this component maps that span to one of the article's entities:
* a span that holds a mention is that mention's entity ("Ukraine's Foreign
  Minister Andriy Sybiga" -> Sybiga: the person wins over the country);
* a pronoun ("he", "she" -> the last person named before it; "it", "they"
  -> the last organization or country, else the last person) is the entity
  it most plausibly refers to in news prose: the most recent one of that kind;
* a speaker span that names no entity (an unnamed "official") gives no quote:
  a quote needs a speaker that is an actor.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.extract.extensions import register_extensions
from newsgraph.extract.kb import TOP_CLASS
from newsgraph.extract.quotes import QuoteSpan, find_quotes
from newsgraph.extract.values import LocalEntity, Mention, Quote

PERSONAL = {"he", "she", "him", "her", "his"}
COLLECTIVE = {"it", "they", "its", "their", "we"}
ACTORS = {"Person", "Organization", "Country"}


def attribute(doc: Doc, spans: Iterable[QuoteSpan], entities: Iterable[LocalEntity],
              mentions: Iterable[Mention]) -> list[Quote]:
    """Quotes with a resolved speaker (spans whose speaker is not an actor are left out)."""
    classes = {e.key: TOP_CLASS.get(e.entity_class, e.entity_class) for e in entities}
    ordered = sorted((m for m in mentions if classes.get(m.entity) in ACTORS), key=lambda m: m.start)
    starts = [m.start for m in ordered]
    sent_starts = [s.start_char for s in doc.sents]
    quotes = []
    for q in spans:
        speaker = _speaker(q, ordered, starts, classes, doc)
        if speaker is None:
            continue
        inside = sorted({m.entity for m in ordered if q.start <= m.start and m.end <= q.end})
        quotes.append(Quote(q.start, q.end, q.text, speaker, q.indirect,
                            max(0, bisect.bisect_right(sent_starts, q.start) - 1), tuple(inside),
                            "quote-rules", q.confidence))
    return quotes


def _speaker(q: QuoteSpan, ordered: list[Mention], starts: list[int], classes: dict[str, str],
             doc: Doc) -> str | None:
    if q.speaker_start is None or q.speaker_end is None:
        return None
    inside = [m for m in ordered if q.speaker_start <= m.start and m.end <= q.speaker_end]
    if inside:
        people = [m for m in inside if classes[m.entity] == "Person"]
        return (people or inside)[-1].entity
    word = (q.speaker_text or "").strip().lower()
    if word in PERSONAL | COLLECTIVE:
        wanted = {"Person"} if word in PERSONAL else {"Organization", "Country"}
        i = bisect.bisect_left(starts, q.speaker_start)
        recent = [m for m in reversed(ordered[max(0, i - 40):i])
                  if classes[m.entity] in wanted and not (q.start <= m.start < q.end)]
        # the salient one: the last of that kind who was the subject of a clause, else the last named
        for m in recent[:6]:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
                return m.entity
        if recent:
            return recent[0].entity
        if word in COLLECTIVE:
            for m in reversed(ordered[max(0, i - 40):i]):
                if classes[m.entity] == "Person":
                    return m.entity
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
