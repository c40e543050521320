"""Dating events: the date and duration expressions attached to an event's trigger.

The expressions are found and resolved by newsgraph.extract.timex (against
the article's date); this module decides which belongs to which event, by
the syntax of the sentence: a date or duration counts for an event when it
depends on the trigger or on the verb the trigger is the object of
("agreed Tuesday on a halt", "spoke for more than an hour and a half",
"Tuesday's call", "a 30-day ceasefire", "pause strikes ... for 30 days"),
through participles ("In announcing the sanctions on Friday, the president
warned ...") but not through a clause with its own subject or subordinator
("the talks since the leaders met on Dec. 1" is not dated Dec. 1).

A statement with no date of its own is the news of the day the text speaks
of: the last day before it on which the article says someone spoke (in the
week up to the anchor, outside quotations), else the anchor.  A statement
placed by a time expression that resolves to nothing ("just over a year
later, X announced") gets no date.
"""
from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc, Token

from newsgraph.extract.events import use_date_resolver
from newsgraph.extract.quotes import find_stretches, reporting_cue, reporting_lexicon
from newsgraph.extract.timex import (
    DateMention,
    DurationMention,
    PendingDate,
    find_durations,
    scan_dates,
)

_CACHE_KEY = "newsgraph_timex"
# How many arcs a date phrase may sit below the event it dates.
MAX_ATTACH = 4
# How many steps up from the trigger the verbs it hangs from are looked for ("was leading a
# second day of negotiations Thursday": negotiations -> of -> day -> leading).
MAX_GOVERNORS = 3


def _expressions(doc: Doc, anchor: dt.date | None) -> tuple[
        list[DateMention], list[PendingDate], list[tuple[int, dt.date]], list[DurationMention]]:
    cached = doc.user_data.get(_CACHE_KEY)
    if cached is None or cached[0] != anchor:
        cached = (anchor, *scan_dates(doc, anchor), find_durations(doc))
        doc.user_data[_CACHE_KEY] = cached
    return cached[1], cached[2], cached[3], cached[4]


def _governors(trigger: Token) -> set[int]:
    """The trigger and the verbs it hangs from (at most MAX_GOVERNORS steps), where time modifiers attach,
    and the medium of a report ("said in a statement issued on Tuesday")."""
    heads = {trigger.i} | {p.i for c in trigger.children if c.dep_ == "prep" and c.lower_ in ("in", "on")
                           for p in c.children if p.dep_ == "pobj"}
    tok = trigger
    for _ in range(MAX_GOVERNORS):
        if tok.head.i == tok.i or tok.dep_ not in ("dobj", "pobj", "prep", "xcomp", "nsubj", "nsubjpass", "attr", "conj"):
            break
        tok = tok.head
        heads.add(tok.i)
    return heads


def _own_clause(tok: Token) -> bool:
    """A verb with a subject or a subordinating word of its own heads a clause with its own time:
    "the talks since Trump and Xi met on Dec. 1", "talks that ended on Friday"."""
    return tok.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("nsubj", "nsubjpass", "mark") or (c.dep_ == "advmod" and c.tag_ == "WRB") for c in tok.children)


def _attached(doc: Doc, start: int, end: int, trigger: Token, governors: set[int]) -> bool:
    """Whether the date phrase at start..end dates the event of `trigger`.

    Walking up from the phrase, it must reach the trigger or a verb it hangs
    from within MAX_ATTACH steps, through participles ("in announcing the
    sanctions on Friday, warned ...") but not through a clause with a time of
    its own (a reported clause, a relative or subordinate clause)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.sent.start != trigger.sent.start:
        return False
    tok = span.root
    for _ in range(MAX_ATTACH):
        if tok.i in governors:
            return True
        if tok.head.i == tok.i or tok.dep_ == "ccomp":
            return False  # "said he met Putin on Tuesday": the day of the reported clause, not of the saying
        if tok.i != span.root.i and _own_clause(tok):
            return False
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
    sent = trigger.sent  # only phrases of the trigger's sentence can date it: the others are not looked at
    lo, hi = sent.start_char, sent.end_char

    def attached(start: int, end: int) -> bool:
        return lo <= start < hi and _attached(doc, start, end, trigger, governors)

    date = next((d.value.value for d in dates if attached(d.start, d.end)), None)
    duration = next((d.value for d in durations if attached(d.start, d.end)), None)
    waiting = None if date else next((p for p in pending if attached(p.start, p.end)), None)
    if news_of_the_day and not (date or waiting):
        if _dated_otherwise(doc, trigger, governors, durations):
            return None, duration, None
        local = _day_in_force(doc, trigger, anchor, dates, anchors)
        if local is not None:
            date = local.isoformat()
        else:
            waiting = PendingDate(trigger.idx, trigger.idx + len(trigger), "today", False)
    return date, duration, waiting


def _dated_otherwise(doc: Doc, trigger: Token, governors: set[int], durations: list[DurationMention]) -> bool:
    """A time expression dates the event but places it nowhere on the calendar ("just over a
    year later, North Korea announced ...", "months after the raid, X said"): the event is not
    the news of the day, and its day is unknown."""
    ents = [e for e in trigger.sent.ents if e.label_ in ("DATE", "TIME")]
    if not ents:
        return False
    text = doc.text
    return any(_RELATIVE_TO_OTHER.search(text[e.start_char : e.end_char + 8])
               and _attached(doc, e.start_char, e.end_char, trigger, governors)
               and not any(d.start < e.end_char and e.start_char < d.end for d in durations)
               for e in ents)


# Words that place a time relative to another event, not to the article's day ("a year later",
# "the day after the raid", "the previous week", "that same day"); frequencies ("daily") do not.
_RELATIVE_TO_OTHER = re.compile(r"\b(?:later|earlier|after|before|previous|following|prior|same|that|then)\b",
                                re.IGNORECASE)


def _day_in_force(doc: Doc, trigger: Token, anchor: dt.date | None, dates: list[DateMention],
                  anchors: list[tuple[int, dt.date]]) -> dt.date | None:
    """The day the text speaks of at the trigger: the latest day, before it, on which the article
    says someone spoke ("officials said on Sunday ...", "On Sunday, state media accused ..."),
    when that day is in the week up to the anchor; else the anchor in force there.

    Wire copy dated the day after the news (time zones, overnight editions) reports the
    day's statements under the day it names in the lead; a statement without a day of its
    own belongs to that day, not to the publication date."""
    local = next(((start, a) for start, a in reversed(anchors) if start <= trigger.idx), None)
    best = local
    if anchor is not None:
        for start, day in _reporting_days(doc, dates, anchor):
            if start >= trigger.idx:
                break
            if best is None or start > best[0]:
                best = (start, day)
    return best[1] if best is not None else anchor


_REPORTING_DAYS_KEY = "newsgraph_reporting_days"
RECENT_DAYS = 7


def _reporting_days(doc: Doc, dates: list[DateMention], anchor: dt.date) -> list[tuple[int, dt.date]]:
    """Days (in text order) that date a reporting verb outside quotations, in the week up to the anchor."""
    cached = doc.user_data.get(_REPORTING_DAYS_KEY)
    if cached is not None and cached[0] == anchor:
        return cached[1]
    lex = reporting_lexicon()
    quoted = [(st.open_mark, st.end) for st in find_stretches(doc.text, quiet=True)]
    found: list[tuple[int, dt.date]] = []
    for d in dates:
        if d.value.precision != "day" or any(a <= d.start < b for a, b in quoted):
            continue
        day = dt.date.fromisoformat(d.value.value)
        if not 0 <= (anchor - day).days <= RECENT_DAYS:
            continue
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None:
            continue
        tok = span.root
        for _ in range(3):
            if tok.head.i == tok.i or tok.dep_ == "ccomp":
                break
            tok = tok.head
            if tok.pos_ == "VERB" and reporting_cue(tok, lex) is not None:
                found.append((d.start, day))
                break
    doc.user_data[_REPORTING_DAYS_KEY] = (anchor, found)
    return found


use_date_resolver(date_and_duration)
