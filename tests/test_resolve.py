"""resolve: one node per real entity across articles (no spaCy: hand-made extractions)."""
from __future__ import annotations

from typing import Any

from newsgraph.resolve import SURNAME_DOMINANCE, resolve


def _person(make_extraction: Any, name: str, n: int) -> Any:
    text = f"{name} spoke to reporters on Monday.\nArticle {n}."
    return make_extraction(text, [(name, "Person", None, [name])], identifier=f"{name}-{n}.txt")


def _key_of(extractions: list[Any], name: str) -> str:
    res = resolve(extractions)
    ex = next(e for e in extractions if e.entities[0].name == name)
    return res.entity_for(ex.article.id, ex.entities[0].key).key


def test_a_surname_joins_the_only_person_with_that_name(make_extraction: Any) -> None:
    articles = [_person(make_extraction, "Adam Schiff", 1), _person(make_extraction, "Schiff", 2)]
    assert _key_of(articles, "Schiff") == "Person:adam schiff"


def test_a_surname_joins_the_best_known_bearer(make_extraction: Any) -> None:
    """Five articles name Adam Schiff, one names Jane Schiff: "Schiff" alone is Adam Schiff."""
    articles = [_person(make_extraction, "Adam Schiff", n) for n in range(5)]
    articles += [_person(make_extraction, "Jane Schiff", 9), _person(make_extraction, "Schiff", 10)]
    assert 5 >= SURNAME_DOMINANCE * 1
    assert _key_of(articles, "Schiff") == "Person:adam schiff"
    assert _key_of(articles, "Jane Schiff") == "Person:jane schiff"


def test_a_surname_stays_apart_when_no_bearer_dominates(make_extraction: Any) -> None:
    articles = [_person(make_extraction, "Adam Schiff", 1), _person(make_extraction, "Adam Schiff", 2),
                _person(make_extraction, "Jane Schiff", 3), _person(make_extraction, "Schiff", 4)]
    assert _key_of(articles, "Schiff") == "Person:schiff"


def test_a_second_bearer_in_one_new_article_does_not_split_a_known_surname(make_extraction: Any) -> None:
    """What keeps a store stable: adding one article must not regroup the many already published."""
    before = [_person(make_extraction, "Adam Schiff", n) for n in range(4)]
    before += [_person(make_extraction, "Schiff", n) for n in range(10, 14)]
    after = [*before, _person(make_extraction, "Jane Schiff", 20)]
    assert _key_of(before, "Schiff") == _key_of(after, "Schiff") == "Person:adam schiff"
