"""Restore ordinary case in text printed in capitals, keeping every offset.

Some outlets print whole paragraphs in capitals ("HE SAID THAT RUSSIA FIRED
MORE THAN 40 DRONES"); spaCy's tagger and NER, trained on mixed case, then
see every word as a name.  The model reads a recased copy instead: words the
article itself writes capitalised elsewhere (Russia, Trump) or in capitals
(US, NATO) keep that form, other words are lowercased, and the first word of
each line is capitalised.  Only characters whose other case is one character
long are changed, so the copy has exactly the original's length and offsets.
"""
from __future__ import annotations

import re
from collections import defaultdict

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_LINE = re.compile(r"[^\n]+")


def _swap(word: str, target: str) -> str:
    return "".join(t if len(t) == 1 else c for c, t in zip(word, target)) if len(word) == len(target) else word


def _is_shouting(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    words = _WORD.findall(line)
    return len(words) >= 4 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _emphasis(text: str) -> list[tuple[int, str]]:
    """Words capitalised for emphasis in ordinary lines ("an END to this war", "It must end NOW"):
    all-capital words the article also writes in lowercase, and never in capitals elsewhere."""
    words = list(_WORD.finditer(text))
    lower = {w.group() for w in words if w.group().islower()}
    caps: dict[str, list[int]] = defaultdict(list)
    for w in words:
        if len(w.group()) >= 3 and w.group().isupper():
            caps[w.group()].append(w.start())
    found = []
    for word, starts in caps.items():
        if word.lower() in lower:
            found += [(s, word) for s in starts if not _in_shouting_line(text, s)]
    return found


def _in_shouting_line(text: str, pos: int) -> bool:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return _is_shouting(text[start : end if end >= 0 else len(text)])


def recase(text: str) -> str:
    """A same-length copy of `text` in which all-capital lines are in ordinary case.

    >>> recase("Russia fired drones.\\nHE SAID RUSSIA FIRED MORE THAN 40 DRONES AT THE US.\\nThe US said.")
    'Russia fired drones.\\nHe said Russia fired more than 40 drones at the US.\\nThe US said.'
    """
    shouting = [m for m in _LINE.finditer(text) if _is_shouting(m.group())]
    emphasis = _emphasis(text)
    if not shouting and not emphasis:
        return text
    known: dict[str, str] = {}
    initial: dict[str, str] = {}
    lower: set[str] = set()
    shouted = {(m.start(), m.end()) for m in shouting}
    for m in _LINE.finditer(text):
        if (m.start(), m.end()) in shouted:
            continue
        for i, w in enumerate(_WORD.finditer(m.group())):
            word = w.group()
            if word.islower():
                lower.add(word)
            elif i > 0 or word.isupper():
                known.setdefault(word.lower(), word)
            else:  # sentence-initial: a name only if the article never writes it in lowercase
                initial.setdefault(word.lower(), word)
    for low, word in initial.items():
        if low not in lower and low not in STOP_WORDS:
            known.setdefault(low, word)
    out = list(text)
    for start, word in emphasis:
        out[start : start + len(word)] = _swap(word, word.lower())
    for m in shouting:
        first = True
        for w in _WORD.finditer(m.group()):
            word = w.group()
            form = known.get(word.lower())
            if form is None:
                form = word.lower()
                if first or word.lower() == "i":
                    form = form[:1].upper() + form[1:]
            first = False
            start = m.start() + w.start()
            out[start : start + len(word)] = _swap(word, form)
    return "".join(out)
