"""Conflicts: claims of different articles about the same thing that cannot both be true.

Claims are grouped by what they are about once entities and events are resolved: (subject,
attribute, qualifier), e.g. (the Trump-Putin call, "duration") or (Olaf Scholz, "office:
chancellor", Germany).  Inside a group the claims are split into *sides*, each a set of claims
that agree with one another:

* numbers agree when the intervals their wording allows overlap ("about two hours" and "almost
  two hours" do; "more than an hour and a half" and "about two hours" do not);
* a person's status agrees unless one source has them in office and another "former";
* the holder of an office agrees when it is the same person;
* a stance agrees unless one source says the actor agreed and another that it rejected.

A group is a conflict when it has two sides and the sides come from different articles.  Two
guards keep our own misreadings out of the report: a group in which one article disagrees
with itself is not reported (two events or two offices were probably taken for one), and
claims about an office or a share, which change over time, are compared only between articles
at most `WINDOW_DAYS` apart (articles without a date are taken to be of the same story and
time, which is how users assemble a corpus).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

from newsgraph.extract.roles import IN_OFFICE
from newsgraph.extract.values import Claim, Extraction
from newsgraph.resolve import Resolution
from newsgraph.resolve.events import EventResolution

WINDOW_DAYS = 31
# Sources that disagree about one number give values of one order ("90 minutes", "two hours");
# values further apart than this factor measure different things, which our reading conflated.
SAME_ORDER = 4.0
TIMELY = ("office:", "holder:", "share", "stance")  # attributes whose truth changes with time


ClaimKey = tuple[str, str, str, "str | None"]  # (about, subject, attribute, qualifier)


@dataclass(frozen=True)
class ClaimRef:
    """A claim as the whole graph sees it: resolved subject, qualifier and value entity."""

    article_id: str
    outlet: str
    date: dt.date | None
    claim: Claim
    subject: str  # resolved entity key or resolved event key
    qualifier: str | None
    value_entity: str | None
    value_label: str | None = None  # the value entity's resolved label

    @property
    def key(self) -> ClaimKey:
        return self.claim.about, self.subject, self.claim.attribute, self.qualifier


@dataclass(frozen=True)
class Conflict:
    """Claims about one thing that split into sides that cannot all be true."""

    about: str
    subject: str
    attribute: str
    qualifier: str | None
    sides: tuple[tuple[ClaimRef, ...], ...]

    @property
    def claims(self) -> tuple[ClaimRef, ...]:
        return tuple(ref for side in self.sides for ref in side)


def outlet_of(extraction: Extraction) -> str:
    """The outlet that published an article: its source name, else its URL's host, else the
    article itself (an unknown outlet is never taken to be another article's)."""
    article = extraction.article
    if article.source:
        return article.source.strip().casefold()
    if article.url:
        host = urlparse(article.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return f"article:{article.id}"


def anchor_date(extraction: Extraction) -> dt.date | None:
    value = extraction.anchor_date or extraction.article.date
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def claim_refs(extractions: Iterable[Extraction], resolution: Resolution,
               events: EventResolution | None) -> list[ClaimRef]:
    """Every claim of every article, with resolved keys (claims on unresolved events are left out)."""
    refs = []
    for ex in sorted(extractions, key=lambda e: e.article.id):
        aid, outlet, date = ex.article.id, outlet_of(ex), anchor_date(ex)

        def entity(local: str | None, aid: str = aid) -> str | None:
            return resolution.entity_for(aid, local).key if local else None

        for claim in ex.claims:
            if claim.about == "event":
                if events is None or (aid, claim.subject) not in events.index:
                    continue
                event = events.event_for(aid, claim.subject)
                if claim.attribute == "stance" and len(event.parties()) < 2:
                    continue  # "Trump's plan": too vague to tell one plan from another across articles
                subject = event.key
            else:
                subject = entity(claim.subject)  # type: ignore[assignment]
            label = resolution.entity_for(aid, claim.value_entity).label if claim.value_entity else None
            refs.append(ClaimRef(aid, outlet, date, claim, subject, entity(claim.qualifier),  # type: ignore[arg-type]
                                 entity(claim.value_entity), label))
    return refs


def agree(a: ClaimRef, b: ClaimRef) -> bool:
    """Whether two claims about the same thing can both be true."""
    ca, cb = a.claim, b.claim
    if ca.attribute.startswith(TIMELY) and a.date and b.date and abs((a.date - b.date).days) > WINDOW_DAYS:
        return True  # months apart: both may have been true at the time
    if ca.low is not None and ca.high is not None and cb.low is not None and cb.high is not None:
        if ca.unit != "year" and min(ca.high, cb.high) > 0 and max(ca.low, cb.low) / min(ca.high, cb.high) > SAME_ORDER:
            return True  # "about a month" and "three years": two different things, not a disagreement
        return ca.low <= cb.high and cb.low <= ca.high
    if a.value_entity or b.value_entity:  # one person, even when resolution kept "Erdogan" apart
        surname = _surname(a.value_label)
        return a.value_entity == b.value_entity or (bool(surname) and surname == _surname(b.value_label))
    if ca.attribute == "stance":
        return ca.value == cb.value
    if ca.attribute.startswith("office:"):  # "titled" (a bare title) may be a past holder: agrees with all
        return not ({ca.value, cb.value} & {"former"} and {ca.value, cb.value} & IN_OFFICE)
    return ca.value == cb.value


def _surname(label: str | None) -> str:
    words = re.findall(r"\w+", (label or "").casefold())
    return words[-1] if words else ""


def signature(ref: ClaimRef) -> tuple[object, ...]:
    """Everything `agree` reads of a claim: two claims with one signature agree, or not, with
    every other claim alike.  A popular subject ("Donald Trump", "office:president") has
    thousands of claims in a large store but a handful of signatures, so comparing signatures
    instead of claims keeps conflicts and support linear in the number of claims."""
    c = ref.claim
    value = None if ref.value_entity else c.value  # a holder is compared by who, not by how named
    return (c.attribute, value, c.low, c.high, c.unit, ref.value_entity, _surname(ref.value_label),
            ref.date if c.attribute.startswith(TIMELY) else None)


def kinds_of(refs: Iterable[ClaimRef]) -> dict[object, list[ClaimRef]]:
    """Claims by signature (`signature`), in first-seen order.  A claim that does not agree
    with itself (an inverted interval) is a kind of its own, so that every kind agrees within."""
    kinds: dict[object, list[ClaimRef]] = defaultdict(list)
    self_agrees: dict[object, bool] = {}
    for ref in refs:
        sig = signature(ref)
        if sig not in self_agrees:
            self_agrees[sig] = agree(ref, ref)
        kinds[sig if self_agrees[sig] else (sig, id(ref))].append(ref)
    return kinds


def sides_of(refs: Sequence[ClaimRef]) -> list[list[ClaimRef]]:
    """Split claims into groups that agree within: each claim (by value) joins the first side
    it agrees with entirely, else starts a new one.

    Agreeing with a side is checked against one claim of each signature in it (`signature`),
    and a claim whose signature is already in a side joins that side: it would agree with the
    same sides as the first claim of its signature, and with that claim itself."""
    sides: list[list[ClaimRef]] = []
    kinds: list[list[ClaimRef]] = []  # per side, one claim of each signature in it
    side_of: dict[object, int] = {}
    ordered = sorted(refs, key=lambda r: (r.claim.low if r.claim.low is not None else 0.0,
                                          r.claim.value, r.value_entity or "", r.article_id, r.claim.start))
    for ref in ordered:
        sig = signature(ref)
        home = side_of.get(sig)
        if home is None:
            home = next((i for i, reps in enumerate(kinds) if all(agree(ref, r) for r in reps)), None)
            if home is None:
                sides.append([])
                kinds.append([])
                home = len(sides) - 1
            kinds[home].append(ref)
            if agree(ref, ref):
                side_of[sig] = home
        sides[home].append(ref)
    return sides


def _contradicts_itself(refs: Sequence[ClaimRef]) -> bool:
    by_article: dict[str, list[ClaimRef]] = defaultdict(list)
    for ref in refs:
        by_article[ref.article_id].append(ref)
    return any(not agree(a, b) for mine in by_article.values() for i, a in enumerate(mine) for b in mine[i + 1:])


def group_claims(refs: Iterable[ClaimRef]) -> dict[ClaimKey, list[ClaimRef]]:
    """Claims about the same thing: same resolved subject, attribute and qualifier."""
    groups: dict[ClaimKey, list[ClaimRef]] = defaultdict(list)
    for ref in refs:
        groups[ref.key].append(ref)
    return groups


def find_conflicts(refs: Iterable[ClaimRef]) -> list[Conflict]:
    """The conflicts among claims (see the module docstring), in a stable order."""
    groups = group_claims(refs)
    conflicts = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2], k[3] or "")):
        refs_here = groups[key]
        if len({r.article_id for r in refs_here}) < 2 or _contradicts_itself(refs_here):
            continue
        sides = sides_of(refs_here)
        articles_per_side = [{r.article_id for r in side} for side in sides]
        if len(sides) < 2 or len(set().union(*articles_per_side)) < 2:
            continue
        about, subject, attribute, qualifier = key
        conflicts.append(Conflict(about, subject, attribute, qualifier, tuple(tuple(s) for s in sides)))
    return conflicts
