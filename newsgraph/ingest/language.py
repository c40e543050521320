"""A cheap guess at whether a text is English, so the pipeline can flag the rest.

Only English is ever claimed: the function words below make up a fifth or more of
any English prose and almost none of other languages.  Anything unsure is None.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset((
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "was", "on", "with", "as",
    "by", "at", "from", "he", "said", "his", "be", "are", "this", "have", "has", "not", "but",
    "they", "an", "were", "which", "its", "had", "their", "will", "who", "been", "would",
))
_SAMPLE_CHARS = 8_000
_MIN_WORDS = 20


def guess_language(text: str) -> str | None:
    """Return "en" when the text is clearly English, else None.

    >>> guess_language("The president said on Tuesday that the talks with Russia would go on "
    ...                "and that he was ready to meet his counterpart in the spring.")
    'en'
    >>> guess_language("Le président a déclaré mardi que les discussions avec la Russie "
    ...                "allaient continuer et qu'il était prêt à rencontrer son homologue.") is None
    True
    """
    words = _WORD.findall(text[:_SAMPLE_CHARS].lower())
    if len(words) < _MIN_WORDS:
        return None
    hits = sum(1 for w in words if w in _ENGLISH)
    return "en" if hits >= 0.2 * len(words) else None


def normalise_language(tag: object) -> str | None:
    """Reduce a declared language tag ("en-GB", "EN_us") to its primary subtag ("en").

    >>> normalise_language("en-GB"), normalise_language("x"), normalise_language(None)
    ('en', None, None)
    """
    if not isinstance(tag, str):
        return None
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None
