"""Who holds which office, from the ways news English writes a title beside a name.

The relation rules (relations.py) ask `role_at(doc, i, ...)` for the title phrase that has its
title word at token i, and `holder_of(...)` for the person it is given to:

* prenominal: "Russian President Vladimir Putin", "White House press secretary Sarah Sanders",
  "Twitter CEO Jack Dorsey", "Secretary General of NATO Jens Stoltenberg";
* appositive: "Ivanka Trump, a senior White House adviser", "Jens Stoltenberg, the secretary
  general of NATO", "X, Denmark's former prime minister";
* copular: "X is managing director of The Sentry".

The owner of a title (whose office it is) is found to its left ("US", "Ukraine's", "White
House"), over the words that only say which office ("Defense", "press", "deputy"), or after it
("of NATO", "at the Chamber of Commerce").  When the text names none, `owner_from_kb` asks the
KB which body the person held that title of on the article's date, and titles that name their
body ("Sen.", "Rep.", "Secretary of State") say it themselves (the `of` column of titles.csv).
A title qualified as past ("former", "ex-", "then-", "late", "was") is not a current role.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from newsgraph.extract.datafiles import csv_rows
from newsgraph.extract.kb import KnowledgeBase, _title_key
from newsgraph.extract.names import name_key
from newsgraph.extract.roles import NOT_HELD, status_words

POSSESSIVE = {"'s", "\u2019s"}
DETERMINERS = {"a", "an", "the"}
MAX_MODIFIERS = 4  # "White House deputy press secretary", "former military intelligence chief"


@dataclass(frozen=True)
class TitleRow:
    kind: str  # head | orghead | office | role
    of: str  # KB name of the body the title itself names, or ""
    bare: str = ""  # 'country': a bare title is the office of the article's country; 'of': the
    # body in `of` only in an article about that body's country ("Senator X" in US news)

    @property
    def national(self) -> bool:
        return "country" in self.bare.split("|")


@dataclass(frozen=True)
class Role:
    """A title phrase: the title's tokens, where the phrase starts and what it says of the role."""

    start: int  # first token of the phrase: status word, owner or first modifier
    title_start: int
    end: int  # the token after the title
    title: str
    kind: str
    owner: int | None  # a token of the owner (an entity's token or a country adjective)
    past: bool
    deputy: bool
    qualified: bool = False  # words between owner and title ("Russian opposition leader")


@lru_cache(maxsize=1)
def title_rows() -> dict[tuple[str, ...], TitleRow]:
    """Every row of titles.csv, 'role' words included (entities.titles() leaves those out)."""
    return {tuple(r["title"].lower().split()): TitleRow(r["kind"], r.get("of") or "", r.get("bare") or "")
            for r in csv_rows("titles.csv")}


@lru_cache(maxsize=1)
def _by_first_word() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for words in sorted(title_rows(), key=len, reverse=True):
        index.setdefault(words[0], []).append(words)
    return index


@lru_cache(maxsize=1)
def modifier_words() -> dict[str, str]:
    """Words inside a title phrase that change what it says ('deputy': vice, deputy, assistant
    make a head's title another office; 'future': "-elect" and "-designate" after it;
    'candidacy': "hopeful", "candidate" end the phrase, since what comes before is the race)."""
    return {r["word"]: r["effect"] for r in csv_rows("title_modifiers.csv")}


def title_match(doc: Doc, i: int) -> tuple[int, tuple[str, ...]] | None:
    """(end token, title words) of the longest title phrase starting at token i, plural or not."""
    tok = doc[i]
    for first in dict.fromkeys((tok.lower_, tok.lemma_.lower())):
        for words in _by_first_word().get(first, ()):
            n = len(words)
            if i + n > len(doc):
                continue
            got = [t.lower_ for t in doc[i : i + n]]
            if tuple(got) == words or (tuple(got[:-1]) == words[:-1] and doc[i + n - 1].lemma_.lower() == words[-1]):
                return i + n, words
    return None


def _skippable(tok: Token) -> bool:
    """A word that only says which office ("Defense", "press", "Environment", "intelligence")."""
    if tok.is_punct or tok.like_num:
        return False
    return tok.pos_ in ("NOUN", "PROPN", "ADJ") and tok.lower_ not in POSSESSIVE


def role_at(doc: Doc, i: int, entity_at: Callable[[int], str | None],
            country_at: Callable[[int], bool]) -> Role | None:
    """The title phrase whose title begins at token i, or None.

    `entity_at(j)` is the entity key of token j (or None), `country_at(j)` whether token j is a
    country adjective ("Iranian")."""
    hit = title_match(doc, i)
    if hit is None:
        return None
    end, words = hit
    status, mods = status_words(), modifier_words()
    past = deputy = qualified = False
    owner: int | None = None
    j, n = i - 1, 0
    while j >= 0 and n <= MAX_MODIFIERS:
        tok = doc[j]
        word = tok.lower_.strip("-")
        if word in status:
            past = past or status[word] in NOT_HELD
            j -= 1
            continue
        if tok.text == "-" and not tok.whitespace_ and j > 0 and not doc[j - 1].whitespace_:
            j -= 1  # "co-President", "ex-minister" (not the dash of "OSAKA, Japan - President X")
            continue
        if tok.lower_ in POSSESSIVE and j > 0 and (entity_at(j - 1) or country_at(j - 1)):
            owner = j - 1
            j -= 2
            break
        if entity_at(j) or country_at(j):
            owner = j
            break
        if mods.get(word) == "candidacy":
            break  # "White House hopeful Sen. X" is not the White House's senator
        if mods.get(word) == "deputy":
            deputy = True
        elif _skippable(tok):
            qualified = True
        else:
            break
        j -= 1
        n += 1
    start = j + 1 if owner is None else _entity_start(j if owner == j else owner, entity_at)
    past = past or _status_before(doc, start) or _not_yet(doc, end)
    return Role(start, i, end, " ".join(words), title_rows()[words].kind, owner, past, deputy,
                qualified and owner is not None)


def _not_yet(doc: Doc, end: int) -> bool:
    """"President-elect X", "Prime Minister-designate X": the office is not held yet."""
    j = end + 1 if end < len(doc) and doc[end].text == "-" else end
    return j < len(doc) and modifier_words().get(doc[j].lower_.lstrip("-")) == "future"


def _entity_start(j: int, entity_at: Callable[[int], str | None]) -> int:
    key = entity_at(j)
    while key and j > 0 and entity_at(j - 1) == key:
        j -= 1
    return j


def _status_before(doc: Doc, start: int) -> bool:
    """'former' and its kin a few words before the phrase ("the former US president")."""
    status = status_words()
    for j in range(start - 1, max(-1, start - 3), -1):
        word = doc[j].lower_.strip("-")
        if word in status:
            return status[word] in NOT_HELD
        if doc[j].lower_ not in DETERMINERS and doc[j].text != "-":
            return False
    return False


def owner_after(doc: Doc, end: int, entity_at: Callable[[int], str | None]) -> int | None:
    """The owner named after a title: "Secretary General of NATO", "CEO of Apple", "a spokesman
    for the Kremlin", "head of international affairs at the U.S. Chamber of Commerce" (an entity
    right after "of", "at" or "for", or after "at" that follows an "of" phrase naming no entity)."""
    if end >= len(doc) or doc[end].lower_ not in ("of", "at", "for"):
        return None
    j = end + 1
    if j < len(doc) and doc[j].lower_ == "the":
        j += 1
    if j < len(doc) and entity_at(j):
        k = j
        while k < len(doc) and entity_at(k) == entity_at(j):
            k += 1
        owns_next = k < len(doc) and doc[k].lower_ in POSSESSIVE  # "head of Russia's delegation"
        return None if owns_next else j
    if doc[end].lower_ != "of":
        return None
    for k in range(j, min(len(doc), j + 5)):
        tok = doc[k]
        if entity_at(k) or tok.is_punct or tok.pos_ in ("VERB", "AUX", "PRON"):
            return None
        if tok.lower_ == "at":
            return owner_after(doc, k, entity_at)
    return None


def appositive_holder(doc: Doc, role: Role, person_ending_at: Callable[[int], str | None]) -> str | None:
    """The person a title phrase is in apposition to: "X, a senior White House adviser"."""
    j = role.start - 1
    while j >= 0 and (doc[j].lower_ in DETERMINERS or doc[j].pos_ in ("ADJ", "ADV")) and j > role.start - 4:
        j -= 1
    if j < 1 or doc[j].text not in (",", "(", "\u2013", "\u2014"):
        return None
    return person_ending_at(j)


def copular_holder(doc: Doc, role: Role, person_ending_at: Callable[[int], str | None]) -> str | None:
    """The subject of "is" when the phrase is what the subject is: "X is managing director of Y"."""
    j = role.start - 1
    while j >= 0 and doc[j].lower_ in DETERMINERS:
        j -= 1
    if j < 1 or doc[j].lower_ not in ("is", "remains", "becomes", "became"):
        return None
    return person_ending_at(j)


def owner_from_kb(kb: KnowledgeBase, person_kb: str | None, title: str, on: dt.date | None) -> str | None:
    """The KB body whose `title` the person held on the article's date ("President Trump" in
    2019: the United States); None when the KB does not know or the article has no date."""
    if person_kb is None or on is None:
        return None
    wanted = _title_key(title)
    owners = {o.of for o in kb.offices if o.holder == person_kb and _title_key(o.title) == wanted and o.held_on(on)}
    return next(iter(owners)) if len(owners) == 1 else None


def body_of_title(kb: KnowledgeBase, title: str, country: str | None = None) -> str | None:
    """The KB id of the body a title names by itself ("Sen.": the United States Senate), or, for
    a title many countries use ("Senator"), names in an article about that body's country."""
    row = title_rows().get(tuple(title.split()))
    if row is None or not row.of:
        return None
    entry = kb.by_name.get(name_key(row.of))
    if entry is None:
        return None
    if "of" in row.bare.split("|") and (country is None or entry.country is None or kb.by_id[country].country != entry.country):
        return None
    return entry.id


def national_owner(kb: KnowledgeBase, title: str, person_kb: str | None, country: str | None,
                   on: dt.date | None) -> str | None:
    """The article's country for a bare national title ("Prime Minister Keir Starmer" in an article
    about Britain), unless the KB has someone else in that office then ("President Rouhani" in an
    article about the United States is not its president)."""
    row = title_rows().get(tuple(title.split()))
    if country is None or row is None or not row.national:
        return None
    holders = kb.holders(title, country, on)
    if holders and all(h.id != person_kb for h in holders):
        return None
    person = kb.by_id.get(person_kb or "")
    if person is not None and person.country and person.country != kb.by_id[country].country:
        return None  # "President Obama" in an article about Sudan
    wanted = _title_key(title)
    if any(o.holder == person_kb and o.of != country and _title_key(o.title) == wanted for o in kb.offices):
        return None
    return country


def predicate(kind: str, owner_class: str | None, deputy: bool, qualified: bool = False) -> str | None:
    """leaderOf for a head of what it is the title of; affiliatedWith for other offices (a Place
    has no affiliates in the contract).  A head's title qualified by other words is the head of
    something else: "Russian opposition leader" leads no country, "Hamas political leader" is
    one of its officials."""
    if owner_class is None:
        return None
    heads = kind == "head" or (kind == "orghead" and owner_class in ("Organization", "Place"))
    if heads and qualified and not deputy:
        return "affiliatedWith" if owner_class == "Organization" else None
    if heads and not deputy:
        return "leaderOf"
    return "affiliatedWith" if owner_class in ("Country", "Organization") else None
