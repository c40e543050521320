"""The first-level parts of countries (states, provinces, regions), from pycountry's ISO 3166-2.

News names a state or province without saying whose it is ("vital swing states such as
Pennsylvania and Michigan", "Ahmedabad, Gujarat"): the relation rules ask which countries have
a first-level part of that name, and `is_state` whether a name after a comma is one ("Toledo,
Ohio", "Madison, Wis.").  City-like subdivision types (data/place_words.csv, 'city-type') are
left out: "Paris" is a French département's name too, and no reader takes it for a state.
"""
from __future__ import annotations

from functools import lru_cache

import pycountry

from newsgraph.extract.datafiles import csv_rows
from newsgraph.extract.names import name_key


@lru_cache(maxsize=4)
def _city_types() -> frozenset[str]:
    return frozenset(r["word"] for r in csv_rows("place_words.csv") if r["kind"] == "city-type")


@lru_cache(maxsize=1)
def _countries_by_name() -> dict[str, frozenset[str]]:
    """Folded name of a first-level subdivision -> ISO alpha-2 codes of the countries that have
    one of that name ("punjab": IN and PK); US postal codes and AP abbreviations ("wis") too."""
    index: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and sub.type not in _city_types():
            index.setdefault(name_key(sub.name), set()).add(sub.country_code)
            if sub.country_code == "US":
                index.setdefault(sub.code.split("-")[1].lower(), set()).add("US")
    for row in csv_rows("state_abbreviations.csv"):
        index.setdefault(name_key(row["abbreviation"]).rstrip("."), set()).add("US")
    return {name: frozenset(codes) for name, codes in index.items()}


def countries_of_subdivision(text: str) -> frozenset[str]:
    """The countries (ISO alpha-2) with a first-level part named `text` ("Texas": {"US"})."""
    key = name_key(text)
    if key.startswith("the "):
        key = key[4:]
    found = _countries_by_name()
    return found.get(key) or found.get(key.rstrip(".")) or frozenset()


def is_state(text: str) -> bool:
    """Whether a place name is a state or province ("Texas", "Gujarat", "N.Y.", "NY")."""
    return bool(countries_of_subdivision(text))
