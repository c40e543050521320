"""Turning a span of text into a name, and a name into a comparison key.

Pure functions: they are used by the extractors (to pick the name of a
mention) and by resolution (to decide when two names are the same).
"""
from __future__ import annotations

import re
import unicodedata

_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['\u2019]s|['\u2019])$")
_SPACE = re.compile(r"\s+")


def clean_name(text: str) -> str:
    """The name a span stands for: no leading article, no possessive, one space between words.

    >>> clean_name("the  Kremlin's")
    'Kremlin'
    >>> clean_name("Ukraine\u2019s")
    'Ukraine'
    """
    name = _SPACE.sub(" ", text).strip(" \t\n,;:.\"'\u201c\u201d\u2018\u2019()[]")
    name = _LEADING.sub("", name)
    name = _POSSESSIVE.sub("", name)
    return name.strip()


def name_key(name: str) -> str:
    """Fold a name for comparison: case, accents, punctuation and spacing do not count.

    >>> name_key("Nicolás  Maduro")
    'nicolas maduro'
    >>> name_key("U.S.")
    'us'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("\u2019", "'")
    text = re.sub(r"(?<=\w)\.(?=\w|$)", "", text)  # U.S. -> US
    text = re.sub(r"[^\w\s]", " ", text)
    return _SPACE.sub(" ", text).strip()
