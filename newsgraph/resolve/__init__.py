"""resolve: one node per real entity across all articles.

Each article's extraction names its entities locally; resolution groups those
local entities into global ones: first by Wikidata id, then by class and
folded name.  Every group remembers why its members were merged, so a merge
can be explained.  Pure Python: no text parsing, no RDF.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from newsgraph.extract.names import name_key
from newsgraph.extract.values import Extraction, LocalEntity


@dataclass(frozen=True)
class ResolvedEntity:
    """A real-world entity of the whole graph."""

    key: str  # stable: "wikidata:Q7747" or "Person:vladimir putin"
    label: str
    entity_class: str
    wikidata: str | None
    alt_labels: tuple[str, ...]
    members: tuple[tuple[str, str], ...]  # (article id, local entity key)
    merge_reasons: tuple[str, ...]


@dataclass(frozen=True)
class Resolution:
    """The global entities and the map from (article id, local key) to them."""

    entities: tuple[ResolvedEntity, ...]
    index: dict[tuple[str, str], ResolvedEntity]

    def entity_for(self, article_id: str, local_key: str) -> ResolvedEntity:
        return self.index[(article_id, local_key)]


def group_key(entity: LocalEntity) -> tuple[str, str]:
    """What two local entities must share to be one real entity, and why."""
    if entity.wikidata:
        return f"wikidata:{entity.wikidata}", "same Wikidata id"
    return f"{entity.entity_class}:{name_key(entity.name)}", "same class and name"


def resolve(extractions: Iterable[Extraction]) -> Resolution:
    """Group the local entities of all extractions into global entities (deterministic)."""
    groups: dict[str, list[tuple[str, LocalEntity]]] = defaultdict(list)
    reasons: dict[str, set[str]] = defaultdict(set)
    for extraction in extractions:
        for entity in extraction.entities:
            key, why = group_key(entity)
            groups[key].append((extraction.article.id, entity))
            reasons[key].add(why)
    resolved: list[ResolvedEntity] = []
    index: dict[tuple[str, str], ResolvedEntity] = {}
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda m: (m[0], m[1].key))
        label = _choose_label([e for _, e in members])
        forms = {f for _, e in members for f in (*e.surface_forms, e.name)}
        classes = sorted({e.entity_class for _, e in members})
        entity = ResolvedEntity(
            key=key,
            label=label,
            entity_class=classes[0] if len(classes) == 1 else _most_specific(members),
            wikidata=members[0][1].wikidata,
            alt_labels=tuple(sorted(forms - {label})),
            members=tuple((aid, e.key) for aid, e in members),
            merge_reasons=tuple(sorted(reasons[key])) if len(members) > 1 else (),
        )
        resolved.append(entity)
        for aid, e in members:
            index[(aid, e.key)] = entity
    return Resolution(entities=tuple(resolved), index=index)


def _choose_label(entities: list[LocalEntity]) -> str:
    """The most common best name; ties go to the longer, then alphabetical."""
    counts: dict[str, int] = defaultdict(int)
    for e in entities:
        counts[e.name] += 1
    return sorted(counts, key=lambda n: (-counts[n], -len(n), n))[0]


def _most_specific(members: list[tuple[str, LocalEntity]]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for _, e in members:
        counts[e.entity_class] += 1
    return sorted(counts, key=lambda c: (-counts[c], c))[0]
