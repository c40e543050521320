"""Which date belongs to which event, and what tense does to yearless dates
(newsgraph.extract.dates and newsgraph.extract.timex.scan_dates).

The sentences are written for these tests in the style of wire copy; they are
not taken from any gold annotation.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from newsgraph.extract.dates import date_and_duration
from newsgraph.extract.timex import find_dates

pytestmark = pytest.mark.slow

THU = date(2019, 1, 31)
MON = date(2018, 2, 26)


def dates_of(nlp: Any, text: str, anchor: date) -> list[tuple[str, str]]:
    return [(m.text, m.value.value) for m in find_dates(nlp(text), anchor)]


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        # a modal before a bare verb speaks of the future
        ("Merkel said a pact with France can be signed by March 1.", THU, [("March 1", "2019-03-01")]),
        ("He said the talks could have ended on March 1.", THU, [("March 1", "2018-03-01")]),
        # a past tense looks back, a clause under a noun takes the nearest occurrence
        ("The leaders met in February.", THU, [("February", "2018-02")]),
        ("Japan sent an invitation for Macron to meet with Abe in February.", THU, [("February", "2019-02")]),
        # an infinitive comes after its verb: "agreed" says nothing of when the meeting is
        ("The two sides agreed to meet again in February.", THU, [("February", "2019-02")]),
        # a participle describing a noun: done, unless planned
        ("The deal signed in February collapsed.", THU, [("February", "2018-02")]),
        ("The summit scheduled for February was welcomed.", THU, [("February", "2019-02")]),
        # periods keep their precision
        ("The talks ended last week and will resume next month.", THU,
         [("last week", "2019-01"), ("next month", "2019-02")]),
        ("The company lost money last year.", THU, [("last year", "2018")]),
        # weekdays: past in a past clause, forward with "will"
        ("The minister said on Tuesday that the vote will be held on Friday.", THU,
         [("Tuesday", "2019-01-29"), ("Friday", "2019-02-01")]),
        # named past events keep their own date, or none
        ("The city has not seen such a crowd since the 2016 election.", THU, [("2016", "2016")]),
        ("Leaders met at the March 2018 summit in Hanoi.", THU, [("March 2018", "2018-03")]),
        ("Security was tightened after the Sept. 11 attacks.", THU, []),
        ("Police said the Jan. 20 rally ended peacefully.", THU, [("Jan. 20", "2019-01-20")]),
    ],
)
def test_tense_places_yearless_dates(nlp: Any, text: str, anchor: date, expected: list[tuple[str, str]]) -> None:
    assert dates_of(nlp, text, anchor) == expected


def trigger_date(nlp: Any, text: str, trigger: str, anchor: date, of_the_day: bool = False) -> str | None:
    """The date date_and_duration gives the event triggered by the last token `trigger`."""
    doc = nlp(text)
    tok = [t for t in doc if t.text == trigger][-1]
    return date_and_duration(doc, tok, anchor, of_the_day)[0]


@pytest.mark.parametrize(
    ("text", "trigger", "anchor", "of_the_day", "expected"),
    [
        # a clause with its own subject has its own time
        ("Lighthizer led talks with Liu, the highest-level talks since the leaders met in Buenos Aires on Dec. 1.",
         "talks", THU, False, None),
        # the verb whose object phrase holds the trigger dates it
        ("The energy envoy was holding a third day of negotiations Thursday with the finance minister.",
         "negotiations", THU, False, "2019-01-31"),
        # a participle shares the time of its verb
        ("In announcing the sanctions on Friday, the president warned of a second phase.",
         "warned", MON, False, "2018-02-23"),
        # a statement without a day of its own is of the day the article says people spoke
        ("Diplomats from the island said on Sunday they were ready for talks.\n\n"
         "The Foreign Office said in a statement that the embargo would stay.", "said", MON, True, "2018-02-25"),
        # ... but not of a day in a quotation, nor of a day long before
        ("“We spoke on Sunday,” an adviser said.\n\nThe Foreign Office said in a statement that the embargo would stay.",
         "said", MON, True, "2018-02-26"),
        ("Diplomats said on Feb. 2 they were ready for talks.\n\nThe Foreign Office said in a statement that it agreed.",
         "said", MON, True, "2018-02-26"),
        # a time expression that places it nowhere: not the news of the day
        ("Just over a year later, the country announced a nuclear test.", "announced", MON, True, None),
        ("Two days after the raid, the army said it had withdrawn.", "said", MON, True, None),
        # a duration or a frequency is no such expression
        ("The minister said at his daily briefing that the talks would go on.", "said", MON, True, "2018-02-26"),
        ("The two presidents talked for over an hour, the Elysee said.", "said", MON, True, "2018-02-26"),
    ],
)
def test_event_dates(nlp: Any, text: str, trigger: str, anchor: date, of_the_day: bool, expected: str | None) -> None:
    assert trigger_date(nlp, text, trigger, anchor, of_the_day) == expected
