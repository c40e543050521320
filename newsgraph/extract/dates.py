"""Dating events: the date and duration expressions attached to an event's trigger.

The expressions are found and resolved by newsgraph.extract.timex (against
the article's date); this module decides which belongs to which event, by
the syntax of the sentence: a date or duration counts for an event when it
depends on the trigger or on the verb the trigger is the object of
("agreed Tuesday on a halt", "spoke for more than an hour and a half",
"Tuesday's call", "a 30-day ceasefire", "pause strikes ... for 30 days").
"""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc, Token

from newsgraph.extract.events import use_date_resolver
from newsgraph.extract.timex import (
    DateMention,
    DurationMention,
    PendingDate,
    find_durations,
    scan_dates,
)

_CACHE_KEY = "newsgraph_timex"


def _expressions(doc: Doc, anchor: dt.date | None) -> tuple[
        list[DateMention], list[PendingDate], list[tuple[int, dt.date]], list[DurationMention]]:
    cached = doc.user_data.get(_CACHE_KEY)
    if cached is None or cached[0] != anchor:
        cached = (anchor, *scan_dates(doc, anchor), find_durations(doc))
        doc.user_data[_CACHE_KEY] = cached
    return cached[1], cached[2], cached[3], cached[4]


def _governors(trigger: Token) -> set[int]:
    """The trigger and the verbs it hangs from (at most two steps), where time modifiers attach,
    and the medium of a report ("said in a statement issued on Tuesday")."""
    heads = {trigger.i} | {p.i for c in trigger.children if c.dep_ == "prep" and c.lower_ in ("in", "on")
                           for p in c.children if p.dep_ == "pobj"}
    tok = trigger
    for _ in range(2):
        if tok.head.i == tok.i or tok.dep_ not in ("dobj", "pobj", "prep", "xcomp", "nsubj", "nsubjpass", "attr", "conj"):
            break
        tok = tok.head
        heads.add(tok.i)
    return heads


def _attached(doc: Doc, start: int, end: int, trigger: Token, governors: set[int]) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.sent.start != trigger.sent.start:
        return False
    tok = span.root
    for _ in range(3):
        if tok.i in governors:
            return True
        if tok.head.i == tok.i or tok.dep_ == "ccomp":
            return False  # "said he met Putin on Tuesday": the day of the reported clause, not of the saying
        tok = tok.head
    return tok.i in governors


def date_and_duration(doc: Doc, trigger: Token, anchor: dt.date | None, news_of_the_day: bool = False
                      ) -> tuple[str | None, str | None, PendingDate | None]:
    """The resolved date (ISO, any precision) and ISO duration of the event triggered at `trigger`,
    and the relative date expression attached to it that awaits an anchor (None when dated).

    `news_of_the_day`: an event without a date of its own happened on the day the text around
    it speaks of (the anchor in force there; "today", awaiting an anchor, when there is none)."""
    dates, pending, anchors, durations = _expressions(doc, anchor)
    governors = _governors(trigger)
    date = next((d.value.value for d in dates if _attached(doc, d.start, d.end, trigger, governors)), None)
    duration = next((d.value for d in durations if _attached(doc, d.start, d.end, trigger, governors)), None)
    waiting = None if date else next((p for p in pending if _attached(doc, p.start, p.end, trigger, governors)), None)
    if news_of_the_day and not (date or waiting):
        local = next((a for start, a in reversed(anchors) if start <= trigger.idx), anchor)
        if local is not None:
            date = local.isoformat()
        else:
            waiting = PendingDate(trigger.idx, trigger.idx + len(trigger), "today", False)
    return date, duration, waiting


use_date_resolver(date_and_duration)
