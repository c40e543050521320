"""resolve: one node per real entity across all articles, with the reason for every merge.

Local entities (one article's view) are grouped, in this order:
1. same Wikidata id, or same knowledge-base entry ("same KB entry");
2. same class family and same name once transliteration variants are folded
   (Zelensky / Zelenskyy / Zelenskiy, Kyiv / Kiev are KB aliases) ("same name");
3. a person known in an article only by a surname joins the person of the whole
   corpus whose full name ends with it, if there is one, or if one of several is
   named in at least SURNAME_DOMINANCE times as many articles as all the others
   ("Trump" is Donald Trump, though Ivanka Trump is in the news too) ("surname").
   Dominance, not uniqueness, also keeps a store stable: one article naming a
   second "... Schiff" does not take "Schiff" away from Adam Schiff in the
   thousands of articles already published.  A one-word name that is a known given name
   (data/kb/given_names.txt) never merges across articles: "George" is nobody in particular.
Names never merge across incompatible classes (a person and a place) without
the KB saying so.  Pure Python: no text parsing, no RDF.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from newsgraph.extract.kb import TOP_CLASS, default_kb
from newsgraph.extract.names import name_key
from newsgraph.extract.values import Extraction, LocalEntity


@dataclass(frozen=True)
class ResolvedEntity:
    """A real-world entity of the whole graph."""

    key: str  # stable: "wikidata:Q7747", "kb:kremlin" or "Person:vladimir putin"
    label: str
    entity_class: str
    wikidata: str | None
    alt_labels: tuple[str, ...]
    members: tuple[tuple[str, str], ...]  # (article id, local entity key)
    merge_reasons: tuple[str, ...]
    classes_seen: tuple[str, ...] = ()  # every class an article gave it (kept, not dropped)


@dataclass(frozen=True)
class Resolution:
    """The global entities and the map from (article id, local key) to them."""

    entities: tuple[ResolvedEntity, ...]
    index: dict[tuple[str, str], ResolvedEntity]

    def entity_for(self, article_id: str, local_key: str) -> ResolvedEntity:
        return self.index[(article_id, local_key)]


# Only the endings that differ between transliteration systems (-skyy / -skiy / -skyi / -sky);
# folding every double letter would merge different people ("Ross", "Ros").
SURNAME_DOMINANCE = 3  # the best-known bearer of a surname must be named this many times more often

_TRANSLIT = [(re.compile(r"(?:iy|yy|yi|ij|ii)\b"), "y")]


@lru_cache(maxsize=1 << 16)
def translit_key(name: str) -> str:
    """Fold spelling variants of transliterated names (cached: a store resolves every article's
    names on each commit, and names repeat).

    >>> translit_key("Zelenskiy") == translit_key("Zelenskyy") == translit_key("Zelensky")
    True
    """
    key = name_key(name)
    for pattern, repl in _TRANSLIT:
        key = pattern.sub(repl, key)
    return key


def family(cls: str) -> str:
    """Classes that may share a name-based merge: Country joins Place, subclasses their parent."""
    top = TOP_CLASS.get(cls, cls)
    return "Place" if top == "Country" else top


def group_key(entity: LocalEntity) -> tuple[str, str]:
    """What two local entities must share to be one real entity, and why."""
    if entity.wikidata:
        return f"wikidata:{entity.wikidata}", "same Wikidata id"
    if entity.kb_id:
        return f"kb:{entity.kb_id}", "same KB entry"
    return f"{family(entity.entity_class)}:{translit_key(entity.name)}", "same name"


Member = tuple[str, str, int, LocalEntity]  # (article id, local key, arrival order, the entity)


def resolve(extractions: Iterable[Extraction]) -> Resolution:
    """Group the local entities of all extractions into global entities (deterministic).

    A store resolves every article on each commit (~300,000 local entities at 10,000 articles),
    so members are kept as (article id, local key, arrival, entity) rows that sort as tuples."""
    groups: dict[str, list[Member]] = defaultdict(list)
    reasons: dict[str, set[str]] = defaultdict(set)
    arrival = 0
    for extraction in extractions:
        aid = extraction.article.id
        for entity in extraction.entities:
            key, why = group_key(entity)
            groups[key].append((aid, entity.key, arrival, entity))
            reasons[key].add(why)
            arrival += 1
    _merge_surnames(groups, reasons)
    resolved: list[ResolvedEntity] = []
    index: dict[tuple[str, str], ResolvedEntity] = {}
    for key in sorted(groups):
        members = sorted(groups[key])  # by article id and local key (arrival breaks ties, as a stable sort)
        entities = [m[3] for m in members]
        linked = [e for e in entities if e.wikidata or e.kb_id]
        label = _choose_label(linked or entities)
        forms = set(chain.from_iterable(e.surface_forms for e in entities))
        forms.update(e.name for e in entities)
        classes = Counter(e.entity_class for e in entities)
        pairs = tuple((m[0], m[1]) for m in members)
        entity = ResolvedEntity(
            key=key,
            label=label,
            entity_class=linked[0].entity_class if linked else _choose_class(classes),
            wikidata=next((e.wikidata for e in entities if e.wikidata), None),
            alt_labels=tuple(sorted(forms - {label})),
            members=pairs,
            merge_reasons=tuple(sorted(reasons[key])) if len(members) > 1 else (),
            classes_seen=tuple(sorted(classes)),
        )
        resolved.append(entity)
        index.update(dict.fromkeys(pairs, entity))
    return Resolution(entities=tuple(resolved), index=index)


def _merge_surnames(groups: dict[str, list[Member]], reasons: dict[str, set[str]]) -> None:
    """A one-word person joins the multi-word person whose last word it is: the only one, or the
    one named in SURNAME_DOMINANCE times as many articles as all the others together."""
    by_last: dict[str, set[str]] = defaultdict(set)
    for key, members in groups.items():
        named = {(m[3].name, m[3].entity_class) for m in members}
        for name in {name for name, cls in named if family(cls) == "Person"}:
            words = translit_key(name).split()
            if len(words) > 1:
                by_last[words[-1]].add(key)
    given = default_kb().given_names
    for key in sorted(groups):
        members = groups.get(key)
        if not members or not key.startswith("Person:") or len(key.split(":", 1)[1].split()) != 1:
            continue
        if key.split(":", 1)[1] in given:
            continue  # "George", "Bernie": a first name alone says nothing across articles
        target = _bearer(by_last.get(key.split(":", 1)[1], set()) - {key}, groups)
        if target is not None:
            groups[target].extend(groups.pop(key))
            reasons[target] |= reasons.pop(key, set()) | {"surname of the best-known person with that name"}


def _bearer(candidates: set[str], groups: dict[str, list[Member]]) -> str | None:
    """The group a bare surname means among `candidates`, or None when no bearer dominates."""
    if len(candidates) == 1:
        return next(iter(candidates))
    if not candidates:
        return None
    articles = {c: len({m[0] for m in groups[c]}) for c in candidates}
    ranked = sorted(candidates, key=lambda c: (-articles[c], c))
    others = sum(articles[c] for c in ranked[1:])
    return ranked[0] if articles[ranked[0]] >= SURNAME_DOMINANCE * others else None


def _choose_label(entities: list[LocalEntity]) -> str:
    """The longest of the names articles chose as best (a full name beats a surname), then the most common."""
    counts = Counter(e.name for e in entities)
    return min(counts, key=lambda n: (-len(n.split()), -counts[n], -len(n), n))


def _choose_class(classes: Counter[str]) -> str:
    return min(classes, key=lambda c: (-classes[c], c))
