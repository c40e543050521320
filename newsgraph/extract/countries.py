"""Which names denote sovereign states, from pycountry plus the short forms news uses.

ISO 3166 names are formal ("Russian Federation", "Korea, Republic of"); news
writes "Russia" and "South Korea".  The common forms below are not data about
one story: they are how English-language news names states.
"""
from __future__ import annotations

from functools import lru_cache

import pycountry

from newsgraph.extract.names import name_key

# ISO 3166 alpha-2 code -> extra names used in English news.
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("United States", "United States of America", "US", "USA", "America", "U.S.", "U.S.A."),
    "GB": ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"),
    "RU": ("Russia",),
    "KR": ("South Korea",),
    "KP": ("North Korea",),
    "IR": ("Iran",),
    "SY": ("Syria",),
    "VE": ("Venezuela",),
    "BO": ("Bolivia",),
    "TW": ("Taiwan",),
    "VN": ("Vietnam",),
    "LA": ("Laos",),
    "MD": ("Moldova",),
    "TZ": ("Tanzania",),
    "CZ": ("Czech Republic", "Czechia"),
    "CD": ("Democratic Republic of the Congo", "DR Congo", "DRC"),
    "CG": ("Republic of the Congo",),
    "PS": ("Palestine",),
    "VA": ("Vatican", "Holy See"),
    "NL": ("Netherlands", "the Netherlands", "Holland"),
    "TR": ("Turkey", "Türkiye"),
    "CI": ("Ivory Coast", "Côte d'Ivoire"),
    "MM": ("Myanmar", "Burma"),
    "AE": ("UAE", "United Arab Emirates"),
    "SA": ("Saudi Arabia",),
    "CN": ("China",),
    "BN": ("Brunei",),
    "FM": ("Micronesia",),
}


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(name_key(value), country.alpha_2)
    for code, names in COMMON_NAMES.items():
        for name in names:
            index[name_key(name)] = code
    index[name_key("Kosovo")] = "XK"
    return index


def country_code(name: str) -> str | None:
    """ISO alpha-2 code of the state a name denotes, or None.

    >>> country_code("Russia"), country_code("the U.S."), country_code("Kursk")
    ('RU', 'US', None)
    """
    key = name_key(name)
    if key.startswith("the "):
        key = key[4:]
    return _country_index().get(key)


def country_name(code: str) -> str:
    """The name news uses for a state ('Russia', not 'Russian Federation')."""
    names = COMMON_NAMES.get(code)
    if names:
        return names[0]
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name
