"""Which IRI each resolved entity and event gets.

A one-shot build mints every IRI from the resolution alone: `…/entity/wikidata/Q7747` when
linked, else class and slug of the voted label (`…/entity/person/donald-trump`); an event from
its class and first member.  The same articles always give the same IRIs, in any order.

A store must not rename what it has already published: a new article that changes a label
vote, or joins a group, would otherwise rename the entity in every older article that points
to it (rewriting them is what made incremental builds 7x slower).  So `assign_names` also takes
the IRIs the store's articles point to now ("pointers", per article and local key): a group
keeps the IRI most of its members already point to.  When groups merge, the IRI with the most
members survives (ties: the smaller IRI), and only the articles pointing to the other one
change; when a group splits, the part that keeps most members keeps the IRI.  Only groups with
no IRI yet are minted, as a one-shot build would, with a hash suffix if that IRI is claimed.
Wikidata-linked entities are always named by their Wikidata id.

Events are the exception: they are always named as a one-shot build names them, from their
smallest member, so their IRIs do not depend on the order articles arrive in.  Inheriting did:
an article with a smaller id joining an event renamed it in a file build but not in the store
(12 of the 60 event IRIs of the sample corpus differed, added one article at a time).  When
that happens the store rewrites the older articles that point to the event, which is rare
(an event gains a member only when another outlet reports the same event with two parties
in common) and cheap next to the entities' label votes.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import URIRef

from newsgraph.graph import iris
from newsgraph.resolve import Resolution, ResolvedEntity
from newsgraph.resolve.events import EventResolution, ResolvedEvent

ENTITY, EVENT = "entity", "event"
WIKIDATA_PREFIX = iris.BASE + "entity/wikidata/"
Member = tuple[str, str]  # (article id, local key)
# per article: (ENTITY or EVENT, local key) -> IRI; what the article's graph points to
Pointers = dict[str, dict[tuple[str, str], str]]


@dataclass(frozen=True)
class Names:
    """The IRI of every resolved entity and event of one build, by their resolution keys.

    >>> from newsgraph.resolve import resolve
    >>> names = assign_names(resolve([]), EventResolution((), {}))
    >>> names.entities, names.events
    ({}, {})
    """

    entities: Mapping[str, URIRef]
    events: Mapping[str, URIRef]

    def entity(self, entity: ResolvedEntity) -> URIRef:
        return self.entities[entity.key]

    def event(self, event: ResolvedEvent) -> URIRef:
        return self.events[event.key]


@dataclass(frozen=True)
class _Group:
    key: str
    members: Iterable[Member]
    candidate: URIRef  # what a one-shot build names it
    fixed: bool = False  # the IRI is the identity (Wikidata): never inherited, never suffixed


def default_entity_iri(entity: ResolvedEntity) -> URIRef:
    """From the Wikidata id when linked, else from class and voted label."""
    return iris.entity_iri(entity.entity_class, entity.label, entity.wikidata)


def default_event_iri(event: ResolvedEvent) -> URIRef:
    """From the event's class and its first member (by article id)."""
    first = min(event.members)
    return iris.event_iri(event.classes[0], first[0], first[1])


def assign_names(resolution: Resolution, events: EventResolution, previous: Pointers | None = None) -> Names:
    """Name every entity and event; keep the IRIs `previous` pointers give their members."""
    before: dict[str, dict[Member, str]] = {ENTITY: {}, EVENT: {}}
    for aid, pointers in (previous or {}).items():
        for (kind, local), iri in pointers.items():
            before[kind][(aid, local)] = iri
    entity_groups = [_Group(e.key, e.members, default_entity_iri(e), fixed=bool(e.wikidata))
                     for e in resolution.entities]
    event_groups = [_Group(e.key, e.members, default_event_iri(e)) for e in events.events]
    # events inherit nothing: named from their members alone, in any order (module docstring)
    return Names(_assign(entity_groups, before[ENTITY]), _assign(event_groups, {}))


def _assign(groups: list[_Group], before: Mapping[Member, str]) -> dict[str, URIRef]:
    """Fixed IRIs first, then inherited ones by the number of members voting for them, then minted."""
    out = {g.key: g.candidate for g in groups if g.fixed}
    claimed = {str(iri) for iri in out.values()}  # plain strings: a URIRef never equals a str
    votes: Counter[tuple[str, str]] = Counter()
    for g in groups:
        if not g.fixed:
            for member in g.members:
                iri = before.get(member)
                if iri is not None and not iri.startswith(WIKIDATA_PREFIX):
                    votes[(g.key, iri)] += 1
    for (key, iri), _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        if key not in out and iri not in claimed:
            out[key] = URIRef(iri)
            claimed.add(iri)
    for g in sorted(groups, key=lambda g: g.key):
        if g.key not in out:
            out[g.key] = _fresh(g.candidate, g.key, claimed)
            claimed.add(str(out[g.key]))
    return out


def _fresh(candidate: URIRef, key: str, claimed: set[str]) -> URIRef:
    """The candidate, or the candidate with a hash of the group key when another group holds it
    (two groups, e.g. a KB entry and a name, can vote the same label)."""
    iri, n = candidate, 0
    while str(iri) in claimed:
        iri = iris.check_iri(f"{candidate}-{iris.digest(key, n)[:8]}")
        n += 1
    return iri


def pointers_of(resolution: Resolution, events: EventResolution, names: Names) -> Pointers:
    """Per article, the IRI each of its local entities and events points to under `names`."""
    out: Pointers = defaultdict(dict)
    for entity in resolution.entities:
        iri = str(names.entity(entity))
        for aid, local in entity.members:
            out[aid][(ENTITY, local)] = iri
    for event in events.events:
        iri = str(names.event(event))
        for aid, local in event.members:
            out[aid][(EVENT, local)] = iri
    return dict(out)
