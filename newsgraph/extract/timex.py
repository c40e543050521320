"""Dates and durations in news text, resolved to the calendar and to ISO 8601.

Pure functions; spaCy only supplies the DATE/TIME entities and the parse.

Dates (`resolve_date`) follow how English news refers to time:

* News reports the past.  A bare weekday ("on Tuesday", "Tuesday's call")
  is the most recent such day on or before the anchor (the publication date:
  "Tuesday" in an article of Wednesday 2025-03-19 is 2025-03-18; "Wednesday"
  is the same day).  "last Tuesday" is the most recent one strictly before the
  anchor; "next Tuesday" / "this coming Tuesday" the first one strictly after.
  With `future=True` (the date modifies a verb in the future, see `find_dates`)
  bare weekdays, months and day-months look forward instead.
* In a Doc the verb's tense decides (`date_tense`): past tenses look back,
  future ones forward ("will", "would", "is due to", a modal before a bare
  verb: "can be reached by March 1"), and a date whose verb has no tense of its
  own ("an invitation to meet in February", "agreed to meet in February", a
  present tense) is the yearless occurrence nearest the anchor.  A yearless
  day before a noun names an event ("the Sept. 11 attacks"): more than a
  quarter before the anchor it is a famous one whose year the text does not
  give, and it gets no date rather than last September's.
* "in February" is the most recent February on or before the anchor's month
  (the anchor's own month included); "last February" is strictly before it;
  "February 28" / "the 18th of March" likewise the most recent such day.
* Spans of time resolve to the finest calendar unit that contains the whole
  span, because `ng:date` holds one xsd:date, xsd:gYearMonth or xsd:gYear:
  "last week" (the previous Monday-Sunday) gives its month when the week lies in
  one month, its year when it straddles two months, and None when it straddles
  two years; "this week", "earlier this week", "the weekend" likewise;
  "earlier this month" gives the anchor's month; "last year" the year before.
* "N days ago" is a day; "N weeks ago" is that week (finest unit as above);
  "N months ago" a month; "N years ago" a year ("three years ago" in March 2025
  is 2022).
* "today", "tonight", "this morning" are the anchor day; "yesterday" and
  "last night" the day before; "tomorrow" the day after.
* Without an anchor only absolute dates with a year resolve.  Anything that
  cannot be placed on the calendar without guessing (seasons, decades,
  "recently", "a day after the raid", ambiguous numeric dates like 03/04/2025,
  "31 February") returns None.

Durations (`parse_duration`) are written as xsd:duration (ISO 8601 without
weeks, which xsd:duration lacks): weeks become days ("a week" -> "P7D"),
minutes of an hour or more become hours and minutes ("a 90-minute call" ->
"PT1H30M", the same value as "an hour and a half"), months of a year or more
become years and months; days are never turned into months nor hours into
days (they are not of fixed length).  Hedges ("about", "more than", "almost")
do not change the value; `DurationMention.modifier` keeps them.  Ranges
("two to three hours") and vague counts ("a few days") return None.

>>> resolve_date("Tuesday", date(2025, 3, 19))
DateValue(value='2025-03-18', precision='day')
>>> parse_duration("more than an hour and a half")
'PT1H30M'
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from spacy.tokens import Doc, Span, Token

from newsgraph.extract.quotes import find_stretches

log = logging.getLogger("newsgraph.extract")

Precision = Literal["day", "month", "year"]


@dataclass(frozen=True)
class DateValue:
    """A calendar date at some precision: "2025-03-18" (day), "2025-03" (month), "2025" (year)."""

    value: str
    precision: Precision


@dataclass(frozen=True)
class DateMention:
    """A date expression of the text (character offsets into doc.text) and its resolved value."""

    start: int
    end: int
    text: str
    value: DateValue


@dataclass(frozen=True)
class DurationMention:
    """A duration expression, its xsd:duration value and its hedge ("about", "more than", ...)."""

    start: int
    end: int
    text: str
    value: str
    modifier: str | None = None


# --------------------------------------------------------------------------- vocabulary

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
for _t, _tw in enumerate(_TENS):
    if _tw:
        NUMBER_WORDS[_tw] = _t * 10
        for _u in range(1, 10):
            NUMBER_WORDS[f"{_tw} {_UNITS[_u]}"] = _t * 10 + _u
NUMBER_WORDS.update({"a": 1, "an": 1, "a single": 1, "a dozen": 12, "dozen": 12})
_ORDINAL_UNITS = [
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth",
]
ORDINAL_WORDS: dict[str, int] = {w: i for i, w in enumerate(_ORDINAL_UNITS) if w}
ORDINAL_WORDS.update({"twentieth": 20, "thirtieth": 30, "thirty first": 31})
ORDINAL_WORDS.update({f"twenty {w}": 20 + i for i, w in enumerate(_ORDINAL_UNITS) if 0 < i < 10})

# Duration units -> (field, multiplier): weeks are days, decades years (see module docstring).
DURATION_UNITS: dict[str, tuple[str, int]] = {
    "second": ("S", 1), "sec": ("S", 1), "minute": ("MIN", 1), "min": ("MIN", 1),
    "hour": ("H", 1), "hr": ("H", 1), "day": ("D", 1), "night": ("D", 1), "week": ("D", 7),
    "fortnight": ("D", 14), "month": ("M", 1), "year": ("Y", 1), "yr": ("Y", 1),
    "decade": ("Y", 10), "century": ("Y", 100),
}
# Hedges that do not change a stated quantity; the first words of a duration phrase.
DURATION_MODIFIERS: dict[str, str] = {
    "about": "about", "around": "about", "approximately": "about", "roughly": "about",
    "some": "about", "nearly": "almost", "almost": "almost", "just under": "less than",
    "just over": "more than", "more than": "more than", "over": "more than", "at least": "at least",
    "less than": "less than", "under": "less than", "up to": "at most", "at most": "at most",
    "barely": "almost", "a little over": "more than", "a little more than": "more than",
}
# After a duration these words make it a point in time ("three years ago").
_POINT_AFTER = re.compile(r"\s*(ago|later|earlier|before|after|from now|since|back)\b", re.IGNORECASE)

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_ORDINAL_RE = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
_NUMBER_RE = "|".join(
    sorted((w.replace(" ", r"[\s-]") for w in NUMBER_WORDS), key=len, reverse=True)
)
_DAY = rf"(?P<d>\d{{1,2}}|{_ORDINAL_RE})(?:st|nd|rd|th)?"

_DAY_MONTH = re.compile(
    rf"^(?:(?P<wd>{_WEEKDAY_RE})\.?,?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?(?P<m>{_MONTH_RE})\.?"
    rf"(?:,?\s+(?P<y>\d{{4}}))?$"
)
_MONTH_DAY = re.compile(
    rf"^(?:(?P<wd>{_WEEKDAY_RE})\.?,?\s+)?(?P<m>{_MONTH_RE})\.?\s+(?:the\s+)?{_DAY}"
    rf"(?:,?\s+(?P<y>\d{{4}}))?$"
)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?$")
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})$")
_WEEKDAY = re.compile(
    rf"^(?:(?:late|early)\s+(?:on\s+)?)?(?:(?P<mod>last|this past|past|next|this coming|coming|this)\s+)?"
    rf"(?P<wd>{_WEEKDAY_RE})\.?(?:\s+(?:morning|afternoon|evening|night))?$"
)
_EDGE = r"(?:(?:early|mid|late|earlier|later|the end of|the beginning of|the start of|the middle of|end of|start of)[\s-]+)?"
_MONTH_ONLY = re.compile(
    rf"^{_EDGE}(?:(?P<mod>last|this past|past|next|this coming|coming|this)\s+)?(?P<m>{_MONTH_RE})\.?"
    rf"(?:,?\s+(?P<y>\d{{4}}))?$"
)
_YEAR = re.compile(rf"^{_EDGE}(?:the\s+year\s+|fiscal\s+)?(?P<y>\d{{4}})$")
_RELATIVE_PERIOD = re.compile(
    r"^(?P<edge>earlier|later|early|late|the end of|the beginning of|the start of|the rest of)?\s*"
    r"(?P<mod>last|this past|this|next|past|previous|coming|the past|the previous|the coming|the)\s+"
    r"(?P<unit>week|weekend|month|year)$"
)
_AGO = re.compile(rf"^(?P<n>\d+|{_NUMBER_RE})\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>ago|from now)$")
_DAYS_NAMED: dict[str, int] = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "earlier today": 0, "later today": 0, "early this morning": 0, "late this afternoon": 0,
    "earlier this morning": 0, "late this evening": 0, "yesterday": -1, "last night": -1,
    "yesterday morning": -1, "yesterday afternoon": -1, "yesterday evening": -1,
    "late yesterday": -1, "early yesterday": -1, "tomorrow": 1, "tomorrow morning": 1,
    "tomorrow night": 1, "tomorrow evening": 1, "tomorrow afternoon": 1,
    "the day before yesterday": -2, "the day after tomorrow": 2,
}
_LEADING = re.compile(r"^(?:on|in|at|during|over|of|as of)\s+")


def normalise_expression(expression: str) -> str:
    """Lower-case, fold quotes, drop possessive 's, parentheses, a leading preposition.

    >>> normalise_expression("on Tuesday's")
    'tuesday'
    >>> normalise_expression("Tuesday (6 January)")
    'tuesday 6 january'
    """
    s = expression.replace("\u2019", "'").replace("\u2013", "-").lower()
    s = re.sub(r"\((?:[a-z]{1,5}\s+)?time\)|\b[a-z]{2,4} time$", " ", s)  # "(NZ time)"
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[()\[\]]", " ", s)
    s = re.sub(r"\s+", " ", s).strip(" ,.;:")
    for _ in range(2):
        s = _LEADING.sub("", s)
    return s


def number_value(word: str) -> float | None:
    """The value of a number written in digits ("1,200", "2.5") or words ("forty-one", "a dozen")."""
    word = word.strip().replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    value = NUMBER_WORDS.get(word.replace("-", " "))
    return float(value) if value is not None else None


def _day_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return ORDINAL_WORDS.get(word.replace("-", " "))


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _day(d: date) -> DateValue:
    return DateValue(d.isoformat(), "day")


def _month(y: int, m: int) -> DateValue:
    return DateValue(f"{y:04d}-{m:02d}", "month")


def _year(y: int) -> DateValue | None:
    return DateValue(f"{y:04d}", "year") if 1 <= y <= 9999 else None


def finest_unit(first: date, last: date) -> DateValue | None:
    """The finest calendar unit (day, month, year) containing the whole span first..last.

    >>> finest_unit(date(2025, 3, 10), date(2025, 3, 16))
    DateValue(value='2025-03', precision='month')
    >>> finest_unit(date(2024, 12, 30), date(2025, 1, 5)) is None
    True
    """
    if first == last:
        return _day(first)
    if (first.year, first.month) == (last.year, last.month):
        return _month(first.year, first.month)
    if first.year == last.year:
        return _year(first.year)
    return None


def _shift_month(y: int, m: int, delta: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + delta
    return k // 12, k % 12 + 1


class _NoMatch:
    """Marker: the rule does not recognise the expression (try the next one)."""


_NO = _NoMatch()
_Result = DateValue | None | _NoMatch


# --------------------------------------------------------------------------- date rules


def _named_day(s: str, anchor: date | None, future: bool) -> _Result:
    if s not in _DAYS_NAMED:
        return _NO
    return _day(anchor + timedelta(days=_DAYS_NAMED[s])) if anchor else None


def _explicit_day(s: str, anchor: date | None, future: bool) -> _Result:
    """'February 28', 'the 18th of March', 'Tuesday, 6 January', '28 Feb 2025'."""
    m = _DAY_MONTH.match(s) or _MONTH_DAY.match(s)
    if not m:
        return _NO
    day = _day_number(m["d"])
    month = MONTHS[m["m"]]
    weekday = WEEKDAYS[m["wd"]] if m["wd"] else None
    if day is None:
        return None
    if m["y"]:
        d = _valid(int(m["y"]), month, day)
    elif anchor is None:
        return None
    else:
        # the most recent such day on or before the anchor (first on or after it in future contexts)
        year = anchor.year
        d = _valid(year, month, day)
        if d is None and month == 2 and day == 29:
            return None  # not in the anchor's year: which leap year is meant is a guess
        if d is not None and not future and d > anchor:
            d = _valid(year - 1, month, day)
        elif d is not None and future and d < anchor:
            d = _valid(year + 1, month, day)
    if d is None or (weekday is not None and d.weekday() != weekday):
        return None  # "31 February", or a weekday that contradicts the date
    return _day(d)


def _numeric(s: str, anchor: date | None, future: bool) -> _Result:
    """ISO dates; d/m/yyyy or m/d/yyyy only when the order is unambiguous."""
    m = _ISO.match(s)
    if m:
        y, mo = int(m["y"]), int(m["m"])
        if m["d"]:
            d = _valid(y, mo, int(m["d"]))
            return _day(d) if d else None
        return _month(y, mo) if 1 <= mo <= 12 else None
    m = _NUMERIC.match(s)
    if not m:
        return _NO
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if a > 12 >= b:
        d = _valid(y, b, a)
    elif b > 12 >= a or a == b:
        d = _valid(y, a, b)
    else:
        return None  # 03/04/2025: March 4 or 3 April depends on the outlet
    return _day(d) if d else None


def _weekday(s: str, anchor: date | None, future: bool) -> _Result:
    """'Tuesday', 'last Tuesday', 'next Tuesday', 'this coming Tuesday', 'late on Tuesday'."""
    m = _WEEKDAY.match(s)
    if not m:
        return _NO
    if anchor is None:
        return None
    target = WEEKDAYS[m["wd"]]
    mod = m["mod"]
    back = (anchor.weekday() - target) % 7  # days back to the most recent one, 0 = today
    ahead = (target - anchor.weekday()) % 7 or 7  # days to the next one, strictly after
    if mod == "last":
        return _day(anchor - timedelta(days=back or 7))
    if mod in ("next", "this coming", "coming"):
        return _day(anchor + timedelta(days=ahead))
    if mod in ("this past", "past"):
        return _day(anchor - timedelta(days=back))
    if future:
        return _day(anchor + timedelta(days=(target - anchor.weekday()) % 7 if mod == "this" else ahead))
    return _day(anchor - timedelta(days=back))


def _month_only(s: str, anchor: date | None, future: bool) -> _Result:
    """'in February', 'last February', 'early March', 'February 2025'."""
    m = _MONTH_ONLY.match(s)
    if not m:
        return _NO
    month = MONTHS[m["m"]]
    if m["y"]:
        return _month(int(m["y"]), month)
    if anchor is None:
        return None
    mod = m["mod"]
    y = anchor.year
    if mod in ("next", "this coming", "coming") or (future and mod in (None, "this")):
        strictly = mod is not None and mod != "this"
        if month < anchor.month or (strictly and month == anchor.month):
            y += 1
        return _month(y, month)
    strictly = mod == "last"
    if month > anchor.month or (strictly and month == anchor.month):
        y -= 1
    return _month(y, month)


def _year_only(s: str, anchor: date | None, future: bool) -> _Result:
    m = _YEAR.match(s)
    if not m:
        return _NO
    y = int(m["y"])
    return _year(y) if 1000 <= y <= 2999 else None


def _week_span(anchor: date, weeks: int) -> tuple[date, date]:
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=weeks)
    return monday, monday + timedelta(days=6)


def _relative_period(s: str, anchor: date | None, future: bool) -> _Result:
    """'last week', 'earlier this month', 'this year', 'the weekend', 'next month'."""
    m = _RELATIVE_PERIOD.match(s)
    if not m:
        return _NO
    if anchor is None:
        return None
    edge, mod, unit = m["edge"], m["mod"], m["unit"]
    step = {"last": -1, "previous": -1, "the previous": -1, "past": -1, "the past": -1, "this past": -1,
            "next": 1, "coming": 1, "the coming": 1}.get(mod, 0)
    if mod in ("past", "the past", "this past") and unit != "weekend":
        return None  # "the past week" is a stretch of seven days up to now: a duration
    if mod == "the" and unit != "weekend":
        return None  # "the week", "the year": which one depends on context
    if unit == "year":
        return _year(anchor.year + step)
    if unit == "month":
        return _month(*_shift_month(anchor.year, anchor.month, step))
    if unit == "week":
        first, last = _week_span(anchor, step)
        if step == 0 and edge == "earlier":
            last = anchor
        elif step == 0 and edge == "later":
            first = anchor
        return finest_unit(first, last)
    # weekend, Saturday and Sunday: "this weekend" is the one of the anchor's week
    # (like "this week"); "the weekend" the one just past, or the coming one in a
    # future context; "last"/"next" the one before / after those.
    saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)  # most recent, maybe today
    in_weekend = anchor.weekday() >= 5
    if mod == "this" and not in_weekend or (mod == "the" and future and not in_weekend):
        step = 1
    elif mod in ("last", "previous", "the previous", "past", "the past", "this past") and not in_weekend:
        step = 0
    base = saturday + timedelta(days=7 * step)
    return finest_unit(base, base + timedelta(days=1))


def _ago(s: str, anchor: date | None, future: bool) -> _Result:
    """'three years ago', 'two days ago', 'a week ago', 'ten days from now'."""
    m = _AGO.match(s)
    if not m:
        return _NO
    n = number_value(m["n"])
    if anchor is None or n is None or n != int(n):
        return None
    k = int(n) * (1 if m["dir"] == "from now" else -1)
    unit = m["unit"]
    if unit == "day":
        return _day(anchor + timedelta(days=k))
    if unit == "week":
        return finest_unit(*_week_span(anchor, k))
    if unit == "month":
        return _month(*_shift_month(anchor.year, anchor.month, k))
    return _year(anchor.year + k)


def _with_dateparser(s: str, anchor: date | None, future: bool) -> _Result:
    """Other full dates with a year ('Tuesday, March 18th, 2025 at 10am'), strictly parsed."""
    if not re.search(r"\b\d{4}\b", s) or not re.search(rf"\b(?:{_MONTH_RE})\b", s):
        return _NO
    import dateparser  # type: ignore[import-untyped]  # slow to import; only for unusual formats

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "future" if future else "past",
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day)
    try:
        parsed = dateparser.parse(s, languages=["en"], settings=settings)
    except (ValueError, OverflowError):  # dateparser raises on some impossible dates
        return None
    return _day(parsed.date()) if parsed else None


_RULES = (_named_day, _explicit_day, _numeric, _weekday, _month_only, _year_only,
          _relative_period, _ago, _with_dateparser)


def resolve_date(expression: str, anchor: date | None, *, future: bool = False,
                 nearest: bool = False) -> DateValue | None:
    """The calendar value of a date expression, or None when it cannot be placed without guessing.

    `anchor` is the publication date (or the date of the events); `future`
    says the expression modifies a future verb ("will meet on Sunday");
    `nearest` that the verb's tense says neither past nor future (see
    `date_tense`): a yearless day or month is then the occurrence nearest the
    anchor ("in February" in an article of 31 January is next month).  Bare
    weekdays stay in the past (news reports the past) unless `future`.

    >>> resolve_date("last year", date(2025, 3, 19))
    DateValue(value='2024', precision='year')
    >>> resolve_date("in February", date(2025, 3, 19))
    DateValue(value='2025-02', precision='month')
    >>> resolve_date("in February", date(2025, 1, 31), nearest=True)
    DateValue(value='2025-02', precision='month')
    >>> resolve_date("Sunday", date(2025, 3, 18), future=True)
    DateValue(value='2025-03-23', precision='day')
    >>> resolve_date("31 February 2025", None) is None
    True
    """
    s = normalise_expression(expression)
    if not s or len(s) > 80:
        return None
    past = _resolve(s, anchor, future)
    if not nearest or future or anchor is None or past is None or _WEEKDAY.match(s) or "weekend" in s:
        return past
    ahead = _resolve(s, anchor, True)
    if ahead is None or _distance(ahead, anchor) >= _distance(past, anchor):
        return past
    return ahead


def _resolve(s: str, anchor: date | None, future: bool) -> DateValue | None:
    """The first rule that recognises the normalised expression decides its value."""
    for rule in _RULES:
        result = rule(s, anchor, future)
        if not isinstance(result, _NoMatch):
            return result
    return None


def period(value: DateValue) -> tuple[date, date]:
    """First and last day of a date value of any precision.

    >>> period(DateValue("2024-02", "month"))
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    parts = [int(p) for p in value.value.split("-")]
    if value.precision == "day":
        d = date(*parts)
        return d, d
    if value.precision == "month":
        y, m = parts
        ny, nm = _shift_month(y, m, 1)
        return date(y, m, 1), date(ny, nm, 1) - timedelta(days=1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def _distance(value: DateValue, anchor: date) -> int:
    """Days between the anchor and the nearest day of the value's period (0 inside it)."""
    first, last = period(value)
    if first <= anchor <= last:
        return 0
    return min(abs((first - anchor).days), abs((last - anchor).days))


# --------------------------------------------------------------------------- dates in a Doc

_FUTURE_AUX = frozenset({"will", "'ll", "shall", "would", "wo"})
_FUTURE_HEADS = frozenset({"plan", "schedule", "due", "set", "expect", "intend", "go"})


Tense = Literal["past", "future", "open"]
# Modal verbs before a bare verb speak of what is to come ("a deal can be reached by March 1").
_MODALS = frozenset({"can", "could", "may", "might", "must", "should", "ought"})
_PERFECT = frozenset({"have", "has", "had", "'ve", "'d"})


def is_future_context(span: Span) -> bool:
    """Whether a date phrase modifies a verb in the future (or the future of the past).

    English marks the future on the verb: "will meet on Sunday", "talks would
    continue on Sunday" (reported future), "is due / set / scheduled / going to
    meet on Sunday", "a deal can be reached by March 1" (a modal before a bare
    verb; "could have met" is past).  The date's verb is found by walking up
    the parse.  "would" is also conditional or habitual; in news it mostly
    reports a plan, so it is read as future: a known source of error.
    """
    return date_tense(span) == "future"


def _date_verb(span: Span) -> Token | None:
    """The verb a date phrase modifies: the first verb up the parse from its root."""
    verb = span.root
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    return verb if verb.pos_ in ("VERB", "AUX") else None


def date_tense(span: Span) -> Tense:
    """The time of the verb a date phrase modifies: "past", "future", or "open".

    Future as in `is_future_context`.  Past: a past-tense verb ("met on
    March 1"), a perfect ("has met", "had met"), a participle hanging from
    a past verb ("..., saying on Saturday") or describing a noun ("the deal
    signed in February"; but "the summit scheduled for February" is future).  Open: a present tense ("the deal
    hinges on March 1"), an infinitive ("agreed to meet in February": the
    meeting comes after the agreeing, so the agreeing's tense says nothing), a
    clause under a noun ("an invitation to meet in February"), or no verb.
    An open yearless date is the occurrence nearest the anchor (see `scan_dates`).
    """
    verb = _date_verb(span)
    for _ in range(3):
        if verb is None:
            return "open"
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        words = {c.lower_ for c in auxes}
        if words & _FUTURE_AUX:
            return "future"
        if "to" in words:
            head = verb.head
            future_head = verb.dep_ == "xcomp" and head.lemma_.lower() in _FUTURE_HEADS
            return "future" if future_head else "open"
        if words & _MODALS:
            return "past" if words & _PERFECT else "future"
        if verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxes) or (words & _PERFECT and verb.tag_ == "VBN"):
            return "past"
        if verb.tag_ in ("VBZ", "VBP") or any(c.tag_ in ("VBZ", "VBP") for c in auxes):
            return "open"
        if verb.tag_ == "VBN" and not auxes and verb.dep_ in ("acl", "amod", "relcl"):
            # a participle describing a noun: "the deal signed in February" is done,
            # "the summit scheduled for February" is planned
            return "future" if verb.lemma_.lower() in _FUTURE_HEADS else "past"
        # a participle or bare verb without its own tense: the tense of the verb it hangs from
        head = verb.head
        if head.i == verb.i or head.pos_ not in ("VERB", "AUX") or verb.dep_ not in ("advcl", "conj", "xcomp", "ccomp"):
            return "open"
        verb = head
    return "open"


def _date_spans(doc: Doc) -> Iterator[tuple[Span, bool]]:
    """DATE and TIME entities, with adjacent ones joined ('Tuesday, the 18th of March',
    'Tuesday (6 January)') so that a weekday and its date resolve together."""
    ents = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
    text = doc.text  # Doc.text joins every token: read it once
    k = 0
    while k < len(ents):
        ent = ents[k]
        if k + 1 < len(ents):
            nxt = ents[k + 1]
            gap = text[ent.end_char : nxt.start_char]
            if re.fullmatch(r"\s*[,(]?\s*", gap):
                end = nxt.end
                if end < len(doc) and doc[end].text == ")" and "(" in gap:
                    end += 1
                yield doc[ent.start : end], True
                yield ent, False
                yield nxt, False
                k += 2
                continue
        yield ent, False
        k += 1


_WEEKDAY_DATE = re.compile(rf"^(?:{_WEEKDAY_RE})\b.*\d")


@dataclass(frozen=True)
class PendingDate:
    """A relative date expression ("Tuesday", "last year") in an article without an anchor:
    it resolves once an anchor is known (`resolve_date(text, anchor, future=future)`)."""

    start: int
    end: int
    text: str
    future: bool


def self_dated(expression: str, not_after: date) -> DateValue | None:
    """A weekday with its day and month and no year ("Tuesday (6 January)") dates itself: the
    most recent year, not after `not_after`, in which that day falls on that weekday.

    >>> self_dated("Tuesday (6 January)", date(2026, 11, 22))
    DateValue(value='2026-01-06', precision='day')
    """
    if not _WEEKDAY_DATE.match(normalise_expression(expression)):
        return None
    for year in range(not_after.year, not_after.year - 29, -1):
        value = resolve_date(expression, date(year, 12, 31))
        if value is not None and value.value <= not_after.isoformat():
            return value
    return None


def find_dates(doc: Doc, anchor: date | None) -> list[DateMention]:
    """Resolved date mentions of a Doc (from its DATE/TIME entities), in text order."""
    return scan_dates(doc, anchor)[0]


def scan_dates(doc: Doc, anchor: date | None, not_after: date | None = None
               ) -> tuple[list[DateMention], list[PendingDate], list[tuple[int, date]]]:
    """Resolved date mentions of a Doc, the relative ones no anchor places (in text order), and
    the anchors that self-dated weekdays set from a character offset on.

    Joined entities ("Tuesday, the 18th of March") are tried first; the parts
    are kept only where the joined text does not resolve.  In an article
    without an anchor, a weekday with its day and month ("Tuesday (6
    January)") dates itself and becomes the anchor of the text that follows
    it; against an anchor of another year it is a contradiction, left out.
    """
    mentions: list[DateMention] = []
    pending: list[PendingDate] = []
    anchors: list[tuple[int, date]] = []
    covered_until = -1
    for span, joined in _date_spans(doc):
        if span.start_char < covered_until:
            continue
        tense = date_tense(span)
        future = tense == "future"
        value = resolve_date(span.text, anchor, future=future, nearest=tense == "open")
        if value is not None and anchor is not None and _names_a_past_event(span, value, anchor):
            covered_until = span.end_char
            continue
        if value is None and joined and _WEEKDAY_DATE.match(normalise_expression(span.text)):
            value = None if anchor else self_dated(span.text, not_after or date.today())
            if value is None:
                covered_until = span.end_char  # resolving the parts apart would be a guess
                continue
            anchor = date.fromisoformat(value.value)
            anchors.append((span.start_char, anchor))
        if value is None:
            if anchor is None and resolve_date(span.text, _ANY_DAY, future=future) is not None:
                pending.append(PendingDate(span.start_char, span.end_char, span.text, future))
            continue
        mentions.append(DateMention(span.start_char, span.end_char, span.text, value))
        covered_until = span.end_char
    return mentions, pending, anchors


# A yearless date naming an event further back than this (a quarter) is a famous one ("the Sept. 11
# attacks", "the July 4 holiday" of another year): its year is not in the text.
MAX_NAMED_DATE_BACK = 92
_HAS_YEAR = re.compile(r"\b\d{4}\b")


def _names_a_past_event(span: Span, value: DateValue, anchor: date) -> bool:
    """A yearless day-month used as the name of an event long before the anchor.

    "the Sept. 11 attacks", "the May 1 rally": a date before a noun names the
    event.  News writes the year of such a name unless the event is recent or
    famous; recent is within MAX_NAMED_DATE_BACK days, and a famous one's year
    cannot be read off the text, so the date is left out rather than guessed.
    """
    root = span.root
    if value.precision != "day" or _HAS_YEAR.search(span.text) or _WEEKDAY.match(normalise_expression(span.text)):
        return False
    if root.dep_ not in ("compound", "nmod", "amod", "nummod") or root.head.i <= span.end - 1:
        return False
    if root.head.pos_ not in ("NOUN", "PROPN"):
        return False
    return (anchor - period(value)[0]).days > MAX_NAMED_DATE_BACK


_ANY_DAY = date(2001, 1, 1)  # tells a relative expression (it resolves against some day) from noise


# --------------------------------------------------------------------------- durations

_UNIT_RE = "|".join(sorted(DURATION_UNITS, key=len, reverse=True))
_QTY_RE = rf"(?:\d[\d,]*(?:\.\d+)?|half an?|{_NUMBER_RE})(?:\s+and\s+a\s+half)?"
_PART_RE = rf"(?:{_QTY_RE})[\s-]+(?:{_UNIT_RE})s?(?:\s+and\s+a\s+half)?"
_MOD_RE = "|".join(sorted((re.escape(m) for m in DURATION_MODIFIERS), key=len, reverse=True))
_DURATION = re.compile(
    rf"\b(?:(?P<mod>{_MOD_RE})\s+)?(?P<body>{_PART_RE}(?:(?:\s*,\s*|\s+and\s+){_PART_RE})*"
    rf"|(?:an?\s+)?(?:{_UNIT_RE})[\s-]+long)\b",
    re.IGNORECASE,
)
_PART = re.compile(
    rf"(?P<qty>{_QTY_RE})[\s-]+(?P<unit>{_UNIT_RE})s?(?P<half>\s+and\s+a\s+half)?",
    re.IGNORECASE,
)
_RANGE_NUM = rf"(?:\d[\d,.]*|{_NUMBER_RE})"
# "two to three hours", "2-3 days", "one or two weeks": a range, not one value
_RANGE = re.compile(rf"\d\s*[-\u2013]\s*\d|\b{_RANGE_NUM}\s+(?:to|or)\s+{_RANGE_NUM}\b", re.IGNORECASE)
_RANGE_AFTER = re.compile(rf"\s*(?:-|\u2013|to\b|or\b)\s*{_RANGE_NUM}\b", re.IGNORECASE)
_RANGE_BEFORE = re.compile(
    rf"(?:\d\s*[-\u2013]|\b{_RANGE_NUM}(?:[\s-]+(?:{_UNIT_RE})s?)?\s+(?:to|or))\s*$", re.IGNORECASE
)


def _quantity(qty: str) -> float | None:
    qty = qty.lower().strip()
    half = 0.0
    if qty.endswith("and a half"):
        half, qty = 0.5, qty[: -len("and a half")].strip()
    if re.fullmatch(r"half an?", qty):
        return 0.5 + half
    n = number_value(qty)
    return None if n is None else n + half


def _iso_duration(parts: dict[str, float]) -> str | None:
    """Canonical xsd:duration from unit totals (see the module docstring)."""
    y, mo, d = parts.get("Y", 0.0), parts.get("M", 0.0), parts.get("D", 0.0)
    h, mi, s = parts.get("H", 0.0), parts.get("MIN", 0.0), parts.get("S", 0.0)
    # push fractions down to the next unit of fixed ratio
    if y != int(y):
        mo += (y - int(y)) * 12
        y = float(int(y))
    if mo != int(mo):
        return None  # half a month is not a whole number of anything exact
    if d != int(d):
        h += (d - int(d)) * 24
        d = float(int(d))
    if h != int(h):
        mi += (h - int(h)) * 60
        h = float(int(h))
    if mi != int(mi):
        s += (mi - int(mi)) * 60
        mi = float(int(mi))
    total_min = int(mi) + int(s) // 60
    s = s - (int(s) // 60) * 60
    h, mi = h + total_min // 60, total_min % 60
    months = int(mo)
    y, mo = y + months // 12, months % 12
    if not any((y, mo, d, h, mi, s)):
        return None
    date_part = "".join(f"{int(v)}{u}" for v, u in ((y, "Y"), (mo, "M"), (d, "D")) if v)
    sec = f"{s:g}S" if s else ""
    time_part = "".join(f"{int(v)}{u}" for v, u in ((h, "H"), (mi, "M")) if v) + sec
    return "P" + date_part + ("T" + time_part if time_part else "")


def _duration_of(body: str) -> str | None:
    body = body.lower().replace("\u2013", "-")
    long_form = re.fullmatch(rf"(?:an?\s+)?({_UNIT_RE})[\s-]+long", body)
    if long_form:
        field, mult = DURATION_UNITS[long_form.group(1)]
        return _iso_duration({field: float(mult)})
    totals: dict[str, float] = {}
    for part in _PART.finditer(body):
        qty = _quantity(part["qty"])
        if qty is None:
            return None
        if part["half"]:
            qty += 0.5
        unit = part["unit"].lower()
        if unit in ("second", "sec") and part["qty"].lower() in ("a", "an"):
            return None  # "a second call": an ordinal, not one second
        field, mult = DURATION_UNITS[unit]
        totals[field] = totals.get(field, 0.0) + qty * mult
    return _iso_duration(totals) if totals else None


def _durations_in(text: str, offset: int = 0) -> Iterator[DurationMention]:
    for m in _DURATION.finditer(text):
        if _POINT_AFTER.match(text, m.end()) or _RANGE.search(m.group(0)) or _RANGE_AFTER.match(text, m.end()):
            continue
        if _RANGE_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            continue  # the second half of "two to three hours"
        value = _duration_of(m["body"])
        if value is None:
            continue
        mod = m["mod"]
        yield DurationMention(
            offset + m.start(), offset + m.end(), m.group(0), value,
            DURATION_MODIFIERS.get(mod.lower()) if mod else None,
        )


def parse_duration(text: str) -> str | None:
    """The xsd:duration stated by a duration phrase, or None.

    >>> parse_duration("30-day"), parse_duration("about two hours"), parse_duration("a week")
    ('P30D', 'PT2H', 'P7D')
    >>> parse_duration("a 90-minute call"), parse_duration("three years ago")
    ('PT1H30M', None)
    """
    found = list(_durations_in(text))
    if len(found) != 1:
        return None  # nothing, or several separate durations: not one value
    return found[0].value


def find_durations(doc: Doc) -> list[DurationMention]:
    """Duration mentions of a Doc: DATE/TIME entities that state a duration, and
    duration phrases elsewhere ("for 30 days", "a 90-minute call"), in text order."""
    mentions: list[DurationMention] = []
    text = doc.text  # Doc.text joins every token: read it once
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        after = text[ent.end_char : ent.end_char + 12]
        if _POINT_AFTER.match(after):
            continue
        for found in _durations_in(ent.text, ent.start_char):
            mentions.append(DurationMention(ent.start_char, ent.end_char, ent.text, found.value, found.modifier))
            break
    taken = sorted((m.start, m.end) for m in mentions)
    for found in _durations_in(text):
        if not any(a < found.end and found.start < b for a, b in taken):
            mentions.append(found)
    return sorted(mentions, key=lambda m: (m.start, m.end))


# --------------------------------------------------------------------------- publication date

_LEAD_CHARS = 1500
_LEAD_LINES = 3
_FULL_DATE = re.compile(
    rf"\b(?:(?P<wd>{_WEEKDAY_RE})\.?,?\s+(?:\(\s*)?)?(?:the\s+)?"
    rf"(?:(?P<d1>\d{{1,2}}|{_ORDINAL_RE})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH_RE})\.?"
    rf"|(?P<m2>{_MONTH_RE})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)\b"
    rf"(?:\s*\)?,?\s+(?P<y>\d{{4}})\b)?",
    re.IGNORECASE,
)


def publication_date_from_text(text: str, not_after: date) -> date | None:
    """The date of the events, read from an explicit date in the article's lead.

    For articles whose metadata has no date.  Rule: news states the day of the
    events early, so only the lead is read (the first three lines, at most 1,500
    characters: later text may be a "related articles" block about other days),
    and only dates written the way a news day is written count:
      * a date with its weekday ("Tuesday, the 18th of March", "Tuesday
        (6 January)", "Monday, 5 January", "Friday, Dec. 20, 2019").  Without a
        year, the year is the most recent one, not after `not_after`, in which
        that day falls on that weekday (searched back 28 years, one full cycle of
        the calendar); with a year, the weekday must agree with it;
      * a dateline or publication stamp with a year: a full date at the start of
        a line ("KYIV, March 18, 2025 - ...", "March 18, 2025") or after
        "Published"/"Updated"/"Posted".
    A full date elsewhere in the lead ("since the November 9, 2016 election") is
    more often an earlier event than the day of the news, so it does not count;
    nor does a day and month without weekday or year.  When the lead has dates
    that disagree, the answer is None (unsure).
    Photo captions ("FILE - In this Nov. 28, 2019 photo", "(AP Photo/...)") and
    dates inside quotations (a speaker's plans) are skipped.
    Limits: the date is that of the main event, often the day before the
    publication (right as an anchor for "Tuesday", one day off for "today");
    a lead that opens with an older event dated by weekday misleads the rule.

    >>> publication_date_from_text("Putin, after talks on Tuesday, the 18th of March, agreed", date(2025, 12, 31))
    datetime.date(2025, 3, 18)
    >>> publication_date_from_text("The talks of March 18, 2025 ended.", date(2025, 12, 31)) is None
    True
    """
    lines = [ln for ln in text[: _LEAD_CHARS * 2].splitlines() if ln.strip() and not _CAPTION.search(ln)]
    lead = "\n".join(lines[:_LEAD_LINES])[:_LEAD_CHARS]
    quoted = [(q.open_mark, q.end) for q in find_stretches(lead, quiet=True)]
    found: set[date] = set()
    for m in _FULL_DATE.finditer(lead):
        if any(a <= m.start() < b for a, b in quoted):
            continue  # a date inside a quotation is the speaker's, often a plan
        day = _day_number((m["d1"] or m["d2"]).lower())
        month = MONTHS[(m["m1"] or m["m2"]).lower()]
        weekday = WEEKDAYS[m["wd"].lower()] if m["wd"] else None
        if day is None:
            continue
        if m["y"]:
            if weekday is None and not _is_dateline(lead, m.start(), m.end()):
                continue
            d = _valid(int(m["y"]), month, day)
            if d is None or d > not_after or (weekday is not None and d.weekday() != weekday):
                continue
            found.add(d)
        elif weekday is not None:
            for year in range(not_after.year, not_after.year - 29, -1):
                d = _valid(year, month, day)
                if d is not None and d <= not_after and d.weekday() == weekday:
                    found.add(d)
                    break
    if len(found) == 1:
        return found.pop()
    if found:
        log.info("lead states several dates %s: no publication date inferred", sorted(found))
    return None


# Photo captions date the photo, often an older one ("FILE - In this Nov. 28, 2019 photo").
_CAPTION = re.compile(
    r"\bAP Photo\b|\bfile photo\b|^\s*FILE\b|\bPhotos? ?[:/]|\(Photo\b|\bGetty Images\b|\bREUTERS/"
    r"|\bAFP via\b|\bPhotograph:|\bpic\.twitter\.com\b|\bIn this [^.]{0,40}\bphoto\b",
    re.IGNORECASE,
)
_STAMP = re.compile(r"(?:published|updated|posted|first published)(?:\s+on)?:?\s*$", re.IGNORECASE)
_DATELINE_HEAD = re.compile(r"^[A-Z][A-Z .'-]{1,40},\s*$")  # "KYIV, " / "WASHINGTON, "


def _is_dateline(lead: str, start: int, end: int) -> bool:
    """A date that stamps the text: at the start of a line (after a capitalised
    place name), ending the line or followed by a dash or "(Reuters)", or after
    "Published"/"Updated"."""
    line_start = lead.rfind("\n", 0, start) + 1
    before = lead[line_start:start]
    if _STAMP.search(before):
        return True
    if before.strip() and not _DATELINE_HEAD.match(before):
        return False
    after = lead[end : end + 3].lstrip(" \t")
    return not after or after[0] in "\n-\u2013\u2014(/|"
