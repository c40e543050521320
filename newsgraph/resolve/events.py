"""One node per real event across articles.

Two articles speak of the same event when they give it the same class, share
parties (at least two, or all of them when an event has fewer) once entities
are resolved, and give no conflicting dates.  Merged events keep every role,
the most precise date and every article that mentions them.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsgraph.extract.values import Event, Extraction
from newsgraph.resolve import Resolution

ROLES = ("agents", "participants", "targets", "locations")


@dataclass
class ResolvedEvent:
    """A real event: its classes, roles as resolved entity keys, date and duration."""

    key: str
    classes: tuple[str, ...]
    label: str
    agents: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    date: str | None = None
    duration: str | None = None
    members: list[tuple[str, str]] = field(default_factory=list)

    def parties(self) -> set[str]:
        return set(self.agents) | set(self.participants) | set(self.targets) | set(self.locations)


@dataclass(frozen=True)
class EventResolution:
    events: tuple[ResolvedEvent, ...]
    index: dict[tuple[str, str], ResolvedEvent]

    def event_for(self, article_id: str, local_key: str) -> ResolvedEvent:
        return self.index[(article_id, local_key)]


def _dates_agree(a: str | None, b: str | None) -> bool:
    return not a or not b or a.startswith(b) or b.startswith(a)


def _same(a: ResolvedEvent, b: ResolvedEvent) -> bool:
    ca, cb = set(a.classes), set(b.classes)
    if (ca != cb and not ("Proposal" in ca and "Proposal" in cb)) or not _dates_agree(a.date, b.date):
        return False
    if a.agents and b.agents and not set(a.agents) & set(b.agents):
        return False
    pa, pb = a.parties(), b.parties()
    need = min(2, len(pa), len(pb))
    return need > 0 and len(pa & pb) >= need


def resolve_events(extractions: Iterable[Extraction], resolution: Resolution) -> EventResolution:
    """Merge the events of all articles (deterministic: articles by id, events in order).

    An event joins the first earlier event it is `_same` as; only events sharing a party can
    be, so candidates come from an index by party (a store resolves tens of thousands of events
    on every commit, and comparing each with every earlier one is quadratic).
    """
    merged: list[ResolvedEvent] = []
    index: dict[tuple[str, str], ResolvedEvent] = {}
    by_party: dict[str, list[int]] = defaultdict(list)  # party key -> positions in `merged`
    for extraction in sorted(extractions, key=lambda e: e.article.id):
        aid = extraction.article.id
        for event in extraction.events:
            candidate = _globalise(aid, event, resolution)
            position = _first_same(merged, by_party, candidate)
            if position is None:
                merged.append(candidate)
                position, home, before = len(merged) - 1, candidate, set()
            else:
                home = merged[position]
                before = home.parties()
                _absorb(home, candidate)
                home.members.append((aid, event.key))
            for party in home.parties() - before:
                by_party[party].append(position)
            index[(aid, event.key)] = home
    for resolved in merged:
        resolved.key = "|".join(f"{a}/{k}" for a, k in sorted(resolved.members))
    return EventResolution(tuple(merged), index)


def _first_same(merged: list[ResolvedEvent], by_party: dict[str, list[int]], candidate: ResolvedEvent) -> int | None:
    """Position of the first merged event `candidate` is the same as (None: a new event)."""
    positions = sorted({i for p in candidate.parties() for i in by_party.get(p, ())})
    return next((i for i in positions if _same(merged[i], candidate)), None)


def _absorb(home: ResolvedEvent, candidate: ResolvedEvent) -> None:
    """Merge what `candidate` says of the event into `home`: classes, roles, the most precise date."""
    home.classes = tuple(sorted(set(home.classes) | set(candidate.classes)))
    for role in ROLES:
        for key in getattr(candidate, role):
            if key not in getattr(home, role):
                getattr(home, role).append(key)
    if candidate.date and (not home.date or len(candidate.date) > len(home.date)):
        home.date = candidate.date
    home.duration = home.duration or candidate.duration


def _globalise(aid: str, event: Event, resolution: Resolution) -> ResolvedEvent:
    def keys(local: tuple[str, ...]) -> list[str]:
        return list(dict.fromkeys(resolution.entity_for(aid, k).key for k in local))

    return ResolvedEvent(key="", classes=event.classes, label=event.label, agents=keys(event.agents),
                         participants=keys(event.participants), targets=keys(event.targets),
                         locations=keys(event.locations), date=event.date, duration=event.duration,
                         members=[(aid, event.key)])
