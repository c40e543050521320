"""One node per real event across articles.

Two articles speak of the same event when they give it the same class, share
parties (at least two, or all of them when an event has fewer) once entities
are resolved, and give no conflicting dates.  Merged events keep every role,
the most precise date and every article that mentions them.
"""
from __future__ import annotations

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
    """Merge the events of all articles (deterministic: articles by id, events in order)."""
    merged: list[ResolvedEvent] = []
    index: dict[tuple[str, str], ResolvedEvent] = {}
    for extraction in sorted(extractions, key=lambda e: e.article.id):
        aid = extraction.article.id
        for event in extraction.events:
            candidate = _globalise(aid, event, resolution)
            home = next((m for m in merged if _same(m, candidate)), None)
            if home is None:
                merged.append(candidate)
                home = candidate
            else:
                home.classes = tuple(sorted(set(home.classes) | set(candidate.classes)))
                for role in ROLES:
                    for key in getattr(candidate, role):
                        if key not in getattr(home, role):
                            getattr(home, role).append(key)
                if candidate.date and (not home.date or len(candidate.date) > len(home.date)):
                    home.date = candidate.date
                home.duration = home.duration or candidate.duration
                home.members.append((aid, event.key))
            index[(aid, event.key)] = home
    for event in merged:
        event.key = "|".join(f"{a}/{k}" for a, k in sorted(event.members))
    return EventResolution(tuple(merged), index)


def _globalise(aid: str, event: Event, resolution: Resolution) -> ResolvedEvent:
    def keys(local: tuple[str, ...]) -> list[str]:
        return list(dict.fromkeys(resolution.entity_for(aid, k).key for k in local))

    return ResolvedEvent(key="", classes=event.classes, label=event.label, agents=keys(event.agents),
                         participants=keys(event.participants), targets=keys(event.targets),
                         locations=keys(event.locations), date=event.date, duration=event.duration,
                         members=[(aid, event.key)])
