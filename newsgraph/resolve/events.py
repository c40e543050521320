"""One node per real event across articles.

Two articles speak of the same event when they give it the same class, share
two parties once entities are resolved (a class and one party, "Trump's
threat", never suffice; one actor and the country they act for only on the
same day), and give no conflicting dates; statements (people say many things)
only when both give the same day.  Merged events keep every role, the most
precise date and every article that mentions them.

An article with no date of its own cannot place "Tuesday's call" on the
calendar.  When that event is one another article dates to a Tuesday, that day
is the article's anchor, and its other relative dates ("on Sunday", "last
year") are resolved against it before the events are merged again.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, compress

from newsgraph.extract.timex import resolve_date
from newsgraph.extract.values import Event, Extraction
from newsgraph.resolve import Resolution

ROLES = ("agents", "participants", "targets", "locations")
MAX_ANCHOR_ROUNDS = 3
STATEMENT_SHARED_PARTIES = 3  # statements of unknown or different days: speaker and two matters in common


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
    countries: set[str] = field(default_factory=set)  # the parties that are countries

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


@dataclass(frozen=True)
class _Shape:
    """What `_same` compares of an event, as sets built once per event (and again when it
    absorbs another) rather than on each of the many comparisons it takes part in."""

    classes: frozenset[str]
    proposal: bool  # a proposal of something, not a bare plan ({"Proposal"} alone)
    statement: bool
    agents: frozenset[str]
    parties: frozenset[str]
    date: str | None
    countries: frozenset[str] = frozenset()


def _shape(event: ResolvedEvent) -> _Shape:
    classes = frozenset(event.classes)
    return _Shape(classes=classes, proposal="Proposal" in classes and classes != {"Proposal"},
                  statement="Statement" in classes, agents=frozenset(event.agents),
                  parties=frozenset(event.parties()), date=event.date, countries=frozenset(event.countries))


def _same(a: _Shape, b: _Shape) -> bool:
    """Whether `b` (an event of a later article) is the event `a` (merged so far)."""
    # a proposed ceasefire and a ceasefire agreed to are two events; so are a bare plan and a proposed ceasefire
    if (a.classes != b.classes and not (a.proposal and b.proposal)) or not _dates_agree(a.date, b.date):
        return False
    if a.agents and b.agents and a.agents.isdisjoint(b.agents):
        return False
    pa, pb = a.parties, b.parties
    if a.statement:  # what one speaker said that day, or on the same matters
        same_day = bool(a.date) and a.date == b.date
        return bool(same_day and not a.agents.isdisjoint(b.agents)) or len(pa & pb) >= STATEMENT_SHARED_PARTIES
    # two parties in common: a class and one party ("Trump's threat") never suffice; nor does one
    # actor with the country they act for ("Trump" and the United States), unless on the same day
    shared = pa & pb
    if len(shared) < 2:
        return False
    if len(shared - a.countries - b.countries) < 2 and shared <= (a.agents | b.agents):
        return bool(a.date and b.date)  # (dates that disagree were refused above)
    return True


ArticleEvents = Sequence[tuple[str, Sequence[Event]]]


def resolve_events(extractions: Iterable[Extraction], resolution: Resolution) -> EventResolution:
    """Merge the events of all articles (deterministic: articles by id, events in order), after
    dating the relative expressions of undated articles by the events they share (module docstring)."""
    articles: ArticleEvents = [(x.article.id, x.events) for x in sorted(extractions, key=lambda e: e.article.id)]
    merged = _merge(articles, resolution)
    for _ in range(MAX_ANCHOR_ROUNDS):  # an article dated in one round may date another in the next
        anchors = _inferred_anchors(articles, merged)
        if not anchors:
            break
        articles = [(aid, [_dated(e, anchors[aid]) for e in events] if aid in anchors else events)
                    for aid, events in articles]
        merged = _merge(articles, resolution)
    return merged


def _inferred_anchors(articles: ArticleEvents, merged: EventResolution) -> dict[str, dt.date]:
    """The anchor of each undated article: the day another article gives an event it names by a
    weekday alone, when that weekday falls on that day (the most frequent such day)."""
    anchors: dict[str, dt.date] = {}
    for aid, events in articles:
        votes: Counter[str] = Counter()
        for event in events:
            day = merged.event_for(aid, event.key).date
            if event.date_expression and day and len(day) == 10:
                value = resolve_date(event.date_expression, dt.date.fromisoformat(day), future=event.date_future)
                if value is not None and value.value == day:
                    votes[day] += 1
        if votes:
            anchors[aid] = dt.date.fromisoformat(max(votes, key=lambda d: (votes[d], d)))
    return anchors


def _dated(event: Event, anchor: dt.date) -> Event:
    if not event.date_expression:
        return event
    value = resolve_date(event.date_expression, anchor, future=event.date_future)
    return replace(event, date=value.value if value else None, date_expression=None if value else event.date_expression)


def _merge(articles: ArticleEvents, resolution: Resolution) -> EventResolution:
    """An event joins the first earlier event it is `_same` as.  Candidates come from an index
    (`_Candidates`): a store resolves tens of thousands of events on every commit, and comparing
    each with every earlier one, or with every one of a president's thousands, is too slow."""
    merged: list[ResolvedEvent] = []
    shapes: list[_Shape] = []  # `_shape` of each event in `merged`
    index: dict[tuple[str, str], ResolvedEvent] = {}
    candidates = _Candidates()
    for aid, article_events in articles:
        for event in article_events:
            candidate = _globalise(aid, event, resolution)
            shape = _shape(candidate)
            position = _first_same(shapes, candidates, shape)
            if position is None:
                merged.append(candidate)
                shapes.append(shape)
                position, home, before = len(merged) - 1, candidate, None
            else:
                home = merged[position]
                before = shapes[position]
                _absorb(home, candidate)
                home.members.append((aid, event.key))
                shapes[position] = _shape(home)
            candidates.add(position, before, shapes[position])
            index[(aid, event.key)] = home
    for real in merged:
        real.key = "|".join(f"{a}/{k}" for a, k in sorted(real.members))
    return EventResolution(tuple(merged), index)


NO_CLASS = ""  # the index class of an event without classes (`_same` only as another without)


class _Candidates:
    """Which merged events an event may be `_same` as: a superset of those it is, found
    without comparing it with each.  Every `_same` pair shares a class (the same classes, or
    both proposals) and a party, and shares at least two parties (all of them when an event
    has fewer), or three for statements unless on the same day and by the same speaker.

    `by_key` lists each event once under each (class, party) it has, so counting the positions
    listed under one class and the candidate's parties gives the number of parties in common;
    `by_day` lists statements under each (day, agent)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], list[int]] = defaultdict(list)  # (class, party) -> positions
        self.by_day: dict[tuple[str, str], list[int]] = defaultdict(list)  # (date, agent) -> statements

    def add(self, position: int, before: _Shape | None, shape: _Shape) -> None:
        """List a new event, or the keys a merged one gained (`_absorb` adds classes, parties and
        a more precise date; the keys of its former date stay, a harmless extra candidate)."""
        for key in _class_party_keys(shape) - (_class_party_keys(before) if before else set()):
            self.by_key[key].append(position)
        for key in _day_keys(shape) - (_day_keys(before) if before else set()):
            self.by_day[key].append(position)

    def of(self, shapes: list[_Shape], shape: _Shape) -> set[int]:
        """Positions of the events `shape` may be `_same` as."""
        found: set[int] = set()
        for c in _lookup_classes(shape):
            shared = Counter(chain.from_iterable(self.by_key.get((c, p), ()) for p in shape.parties))
            if c == "Statement":  # all statements: three parties in common, or the same day and speaker
                found.update(compress(shared, map(STATEMENT_SHARED_PARTIES.__le__, shared.values())))  # n >= 3, in C
                if shape.date:
                    found.update(i for agent in shape.agents for i in self.by_day.get((shape.date, agent), ()))
            else:
                found.update(i for i, n in shared.items()
                             if n >= STATEMENT_SHARED_PARTIES or _few_parties_may_do(shapes[i], shape, n))
        return found


def _first_same(shapes: list[_Shape], candidates: _Candidates, shape: _Shape) -> int | None:
    """Position of the first merged event `shape` is the same as (None: a new event)."""
    return next((i for i in sorted(candidates.of(shapes, shape)) if _same(shapes[i], shape)), None)


def _class_party_keys(shape: _Shape) -> set[tuple[str, str]]:
    return {(c, p) for c in shape.classes or (NO_CLASS,) for p in shape.parties}


def _day_keys(shape: _Shape) -> set[tuple[str, str]]:
    return {(shape.date, agent) for agent in shape.agents} if shape.statement and shape.date else set()


def _lookup_classes(shape: _Shape) -> tuple[str, ...]:
    """Classes enough to find every event `shape` can be `_same` as: one of its own (an event
    with the same classes has them all; "Statement" when it has it, so that all found are
    statements) and "Proposal" (an event both propose)."""
    own = "Statement" if shape.statement else min(shape.classes) if shape.classes else NO_CLASS
    return (own, "Proposal") if shape.proposal and own != "Proposal" else (own,)


def _few_parties_may_do(a: _Shape, b: _Shape, shared: int) -> bool:
    """Whether `_same(a, b)` can hold with `shared` (one or two) parties in common: a statement
    only on the same day, another event when either has fewer than two parties."""
    if a.statement:
        return bool(b.date) and a.date == b.date
    return shared >= min(2, len(a.parties), len(b.parties))


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
    home.countries |= candidate.countries


def _globalise(aid: str, event: Event, resolution: Resolution) -> ResolvedEvent:
    def keys(local: tuple[str, ...]) -> list[str]:
        return list(dict.fromkeys(resolution.entity_for(aid, k).key for k in local))

    countries = {entity.key for entity in (resolution.entity_for(aid, k) for k in event.parties())
                 if entity.entity_class == "Country"}
    return ResolvedEvent(key="", classes=event.classes, label=event.label, agents=keys(event.agents),
                         participants=keys(event.participants), targets=keys(event.targets),
                         locations=keys(event.locations), date=event.date, duration=event.duration,
                         members=[(aid, event.key)], countries=countries)
