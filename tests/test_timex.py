"""Dates and durations (newsgraph.extract.timex).

The anchor of most cases is Wednesday 19 March 2025.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from newsgraph.extract.timex import (
    DateValue,
    find_dates,
    find_durations,
    finest_unit,
    parse_duration,
    publication_date_from_text,
    resolve_date,
)

WED = date(2025, 3, 19)


def dv(value: str) -> DateValue:
    precision = {10: "day", 7: "month", 4: "year"}[len(value)]
    return DateValue(value, precision)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # weekdays: the most recent one on or before the anchor
        ("Tuesday", "2025-03-18"),
        ("on Tuesday", "2025-03-18"),
        ("Tuesday's", "2025-03-18"),
        ("late on Tuesday", "2025-03-18"),
        ("Tuesday night", "2025-03-18"),
        ("Wednesday", "2025-03-19"),
        ("Thursday", "2025-03-13"),
        ("last Tuesday", "2025-03-18"),
        ("last Wednesday", "2025-03-12"),
        ("next Tuesday", "2025-03-25"),
        ("this coming Friday", "2025-03-21"),
        # named days
        ("yesterday", "2025-03-18"),
        ("today", "2025-03-19"),
        ("this morning", "2025-03-19"),
        ("this morning (NZ time)", "2025-03-19"),
        ("last night", "2025-03-18"),
        ("tomorrow", "2025-03-20"),
        # day and month
        ("on February 28", "2025-02-28"),
        ("the 18th of March", "2025-03-18"),
        ("March 18", "2025-03-18"),
        ("18 March", "2025-03-18"),
        ("Feb. 28", "2025-02-28"),
        ("the first of May", "2024-05-01"),
        ("December 25", "2024-12-25"),
        ("Tuesday, the 18th of March", "2025-03-18"),
        ("Tuesday (18 March)", "2025-03-18"),
        # months and years
        ("in February", "2025-02"),
        ("March", "2025-03"),
        ("in April", "2024-04"),
        ("last February", "2025-02"),
        ("last March", "2024-03"),
        ("next February", "2026-02"),
        ("early February", "2025-02"),
        ("mid-March", "2025-03"),
        ("February 2024", "2024-02"),
        ("in 2014", "2014"),
        ("2018", "2018"),
        ("last year", "2024"),
        ("this year", "2025"),
        ("earlier this year", "2025"),
        ("next year", "2026"),
        ("three years ago", "2022"),
        ("six months ago", "2024-09"),
        ("10 days ago", "2025-03-09"),
        # spans: the finest unit that holds them
        ("last week", "2025-03"),
        ("this week", "2025-03"),
        ("earlier this week", "2025-03"),
        ("earlier this month", "2025-03"),
        ("last month", "2025-02"),
        ("at the weekend", "2025-03"),
        ("this past weekend", "2025-03"),
        ("the past weekend", "2025-03"),
        ("two weeks ago", "2025-03"),
        # absolute dates
        ("March 18, 2025", "2025-03-18"),
        ("18 March 2025", "2025-03-18"),
        ("Sept. 11, 2001", "2001-09-11"),
        ("2025-03-18", "2025-03-18"),
        ("18/03/2025", "2025-03-18"),
        ("Tuesday, March 18th, 2025 at 10am", "2025-03-18"),
    ],
)
def test_resolve_date(expression: str, expected: str) -> None:
    assert resolve_date(expression, WED) == dv(expected)


@pytest.mark.parametrize(
    "expression",
    [
        "31 February",
        "February 31, 2025",
        "30 February 2024",
        "Monday, 18 March",  # the weekday contradicts the date
        "03/04/2025",  # day-month or month-day: depends on the outlet
        "the winter",
        "the 1990s",
        "recent months",
        "years",
        "30 days",
        "a day",
        "a few days ago",
        "the eve of the call",
        "February 29",  # not in 2025; which leap year is a guess
        "the past week",  # a duration, not a date
        "",
        "Tuesday" * 30,
    ],
)
def test_unresolvable_dates_give_none(expression: str) -> None:
    assert resolve_date(expression, WED) is None


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("March 18, 2025", "2025-03-18"),
        ("in 2014", "2014"),
        ("February 2025", "2025-02"),
        ("Tuesday", None),
        ("last year", None),
        ("March 18", None),
        ("yesterday", None),
    ],
)
def test_without_anchor_only_absolute_dates(expression: str, expected: str | None) -> None:
    assert resolve_date(expression, None) == (dv(expected) if expected else None)


@pytest.mark.parametrize(
    ("expression", "anchor", "expected"),
    [
        ("Sunday", date(2025, 3, 18), "2025-03-23"),
        ("in May", WED, "2025-05"),
        ("June 1", WED, "2025-06-01"),
        ("January 10", WED, "2026-01-10"),
        ("the weekend", WED, "2025-03"),
    ],
)
def test_future_context_looks_forward(expression: str, anchor: date, expected: str) -> None:
    assert resolve_date(expression, anchor, future=True) == dv(expected)


def test_past_weekend_is_the_last_one_not_the_one_before() -> None:
    # Monday 3 March 2025: the weekend just past is 1-2 March, the one before is in February
    assert resolve_date("this past weekend", date(2025, 3, 3)) == dv("2025-03")
    assert resolve_date("the past weekend", date(2025, 3, 3)) == dv("2025-03")
    assert resolve_date("this past week", date(2025, 3, 3)) is None  # seven days up to now: a duration


def test_spans_across_units() -> None:
    assert finest_unit(date(2025, 3, 31), date(2025, 4, 6)) == dv("2025")
    assert finest_unit(date(2024, 12, 30), date(2025, 1, 5)) is None
    # the week before Wednesday 2 April 2025 runs 24-30 March
    assert resolve_date("last week", date(2025, 4, 2)) == dv("2025-03")
    # the week before Wednesday 8 January 2025 runs 30 December - 5 January
    assert resolve_date("last week", date(2025, 1, 8)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 days", "P30D"),
        ("30-day", "P30D"),
        ("a 30-day ceasefire", "P30D"),
        ("about two hours", "PT2H"),
        ("two-hour", "PT2H"),
        ("almost two hours", "PT2H"),
        ("more than an hour and a half", "PT1H30M"),
        ("a 90-minute call", "PT1H30M"),
        ("75 minutes", "PT1H15M"),
        ("half an hour", "PT30M"),
        ("about a month", "P1M"),
        ("three years", "P3Y"),
        ("for more than three years", "P3Y"),
        ("the three-year-old war", "P3Y"),
        ("two and a half years", "P2Y6M"),
        ("18 months", "P1Y6M"),
        ("a week", "P7D"),
        ("two weeks", "P14D"),
        ("a fortnight", "P14D"),
        ("a day and a half", "P1DT12H"),
        ("36 hours", "PT36H"),
        ("twenty-one days", "P21D"),
        ("ninety-nine years", "P99Y"),
        ("forty five minutes", "PT45M"),
        ("1.5 hours", "PT1H30M"),
        ("1,000 days", "P1000D"),
        ("two hours and 30 minutes", "PT2H30M"),
        ("an hour-long call", "PT1H"),
        ("a decade", "P10Y"),
        ("45 seconds", "PT45S"),
    ],
)
def test_parse_duration(text: str, expected: str) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "three years ago",
        "a day after the raid",
        "two to three hours",
        "2-3 days",
        "one or two weeks",
        "a year or two",
        "a few days",
        "several weeks",
        "months-long",
        "recent months",
        "years",
        "daily",
        "half a month",
        "a second call",
        "Tuesday",
        "",
    ],
)
def test_parse_duration_rejects(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("text", "not_after", "expected"),
    [
        (
            (
                "Russian President Vladimir Putin, after talks with the US president on Tuesday, "
                "the 18th of March, agreed to a pause."
            ),
            date(2026, 11, 21),
            date(2025, 3, 18),
        ),
        ("Leaders met in a joint statement issued on Tuesday (6 January).", date(2026, 11, 21), date(2026, 1, 6)),
        ("The council met on Monday, 5 January, in New York.", date(2026, 3, 1), date(2026, 1, 5)),
        ("KYIV, March 18, 2025 - Talks ended.", date(2026, 1, 1), date(2025, 3, 18)),
        # the year is the most recent one not after `not_after`
        ("on Tuesday, the 18th of March", date(2025, 3, 17), date(2014, 3, 18)),
        # no weekday and no year: unsure
        ("The talks on March 18 ended.", date(2026, 1, 1), None),
        # a date later in the article (not in the lead) is not the date of the events
        ("Talks ended.\nMore talks.\nStill more.\nRelated: on Tuesday (6 January) leaders met.", date(2026, 11, 21), None),
        # dates that disagree: unsure
        ("Talks on Tuesday, 18 March 2025 and on Monday, 5 January 2026.", date(2026, 11, 21), None),
        ("No date here at all.", date(2026, 11, 21), None),
        ("Published 31 February 2025.", date(2026, 11, 21), None),
    ],
)
def test_publication_date_from_text(text: str, not_after: date, expected: date | None) -> None:
    assert publication_date_from_text(text, not_after) == expected


# --------------------------------------------------------------------------- with the model


@pytest.fixture(scope="module")
def parse() -> Any:
    from newsgraph.extract.pipeline import load_pipeline

    return load_pipeline()  # cached: loaded once per process


@pytest.mark.slow
def test_find_dates_past_and_future(parse: Any) -> None:
    tuesday = date(2025, 3, 18)
    doc = parse(
        "Trump said on Sunday that he would discuss land with Putin. "
        "Envoy Steve Witkoff said the talks would continue on Sunday in Jeddah. "
        "Russia was expelled from the group in 2014."
    )
    found = [(m.text, m.value.value) for m in find_dates(doc, tuesday)]
    assert found == [("Sunday", "2025-03-16"), ("Sunday", "2025-03-23"), ("2014", "2014")]
    for m in find_dates(doc, tuesday):
        assert doc.text[m.start : m.end] == m.text


@pytest.mark.slow
def test_find_dates_joins_weekday_and_date(parse: Any) -> None:
    doc = parse("The statement was issued on Tuesday (6 January), together with Denmark.")
    assert [m.value.value for m in find_dates(doc, date(2026, 1, 8))] == ["2026-01-06"]
    # an anchor from another year contradicts the weekday: nothing rather than a guess
    assert find_dates(doc, date(2025, 3, 19)) == []


@pytest.mark.slow
def test_find_durations(parse: Any) -> None:
    doc = parse(
        "The leaders spoke for more than an hour and a half and agreed to a 30-day pause. "
        "The war began three years ago. Talks could take two to three weeks."
    )
    found = [(m.text, m.value, m.modifier) for m in find_durations(doc)]
    assert ("more than an hour and a half", "PT1H30M", "more than") in found
    assert any(v == "P30D" for _, v, _ in found)
    assert all(v not in ("P3Y", "P14D", "P21D") for _, v, _ in found)
