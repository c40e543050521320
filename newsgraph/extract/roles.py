"""Roles over time: "former", "outgoing", "then-" and "-elect" qualify a title.

"former President X" does not make X the president, and "the former president" is not the
sitting one: the relation and title rules ask `status_before` and leave a role that is not held
now to the claims (where a status that disagrees with other sources becomes a conflict).
The status words are the `status` rows of data/claim_words.csv.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from newsgraph.extract.datafiles import csv_rows

IN_OFFICE = frozenset({"current", "outgoing", "acting"})  # statuses of a person who holds the office now
NOT_HELD = frozenset({"former", "then", "elect"})  # the role is not held at the time of writing
_SKIPPED = frozenset({"-", "the", "a", "an", "'s", "\u2019s"})


@lru_cache(maxsize=1)
def status_words() -> dict[str, str]:
    return {r["word"]: r["value"] for r in csv_rows("claim_words.csv") if r["kind"] == "status"}


def status_before(doc: Doc, title_start: int, title_end: int | None = None, reach: int = 3) -> str | None:
    """The status a title is given: a status word among the few words before it ("former US
    President", "Russia's former president", "ex-chancellor"), or "-elect" after it."""
    words = status_words()
    if title_end is not None and title_end < len(doc) and doc[title_end].lower_.lstrip("-") == "elect":
        return words.get("elect")
    for j in range(title_start - 1, max(-1, title_start - 1 - reach), -1):
        tok = doc[j]
        word = tok.lower_.rstrip("-")
        if word in words:
            return words[word]
        if tok.lower_ in _SKIPPED:
            continue
        if tok.is_punct or tok.pos_ in ("VERB", "AUX", "ADP", "CCONJ"):
            return None
    return None


def held_now(doc: Doc, title_start: int, title_end: int | None = None) -> bool:
    """False for "former", "then-" and "-elect" titles."""
    return status_before(doc, title_start, title_end) not in NOT_HELD
