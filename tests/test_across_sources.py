"""Across sources (issue 7): claims, corroboration counts and conflicts between articles.

The articles here are written in the language of news wires, about events and people
that the sample corpus does not contain, so the rules are tested for what they say about
news language, not about three articles.
"""
from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import newsgraph.graph.sources as sources_module
import newsgraph.resolve.claims as claims_module
from newsgraph.extract.claims import duration_minutes, interval
from newsgraph.extract.pipeline import extract_articles
from newsgraph.extract.values import Claim
from newsgraph.graph.sources import kinds_support
from newsgraph.ingest.article import Article
from newsgraph.resolve.claims import ClaimRef, agree, find_conflicts, group_claims, sides_of

# ---------------------------------------------------------------- values and intervals (no spaCy)


def ref(article: str, value: str, low: float | None = None, high: float | None = None, *, attribute: str = "duration",
        date: str | None = None, value_entity: str | None = None, subject: str = "event-1") -> ClaimRef:
    claim = Claim(about="event", subject="e", attribute=attribute, value=value, text=value, start=0, end=1,
                  sentence=0, extractor="test", confidence=0.7, unit="minute" if low is not None else "",
                  low=low, high=high)
    import datetime as dt

    return ClaimRef(article, f"outlet-{article}", dt.date.fromisoformat(date) if date else None, claim, subject,
                    None, value_entity, value_entity.title() if value_entity else None)


def test_duration_minutes_reads_iso_durations() -> None:
    assert duration_minutes("PT1H30M") == 90
    assert duration_minutes("PT2H") == 120
    assert duration_minutes("P30D") == 30 * 1440
    assert duration_minutes("P") is None


@pytest.mark.parametrize(
    ("a", "b", "agreeing"),
    [
        ((120, "about"), (120, "almost"), True),  # "about two hours" / "almost two hours"
        ((90, "more than"), (120, "about"), False),  # "more than an hour and a half" / "about two hours"
        ((90, None), (90, "more than"), True),  # "a 90-minute call" / "more than an hour and a half"
        ((90, None), (120, None), False),  # "an hour and a half" / "two hours"
        ((30 * 1440, None), (43_830, "about"), True),  # "30 days" / "about a month"
    ],
)
def test_hedged_numbers_agree_when_their_intervals_overlap(a: tuple[float, str | None], b: tuple[float, str | None],
                                                          agreeing: bool) -> None:
    x, y = ref("A", "x", *interval(*a)), ref("B", "y", *interval(*b))
    assert agree(x, y) is agreeing


def test_exact_small_counts_stay_exact() -> None:
    assert interval(12, None, exact=True) == (12, 12)
    assert interval(40, None) == (38, 42)


def test_sides_group_agreeing_claims_and_a_conflict_needs_two_articles() -> None:
    claims = [ref("A", "more than an hour and a half", *interval(90, "more than")),
              ref("B", "a 90-minute call", *interval(90, None)),
              ref("C", "about two hours", *interval(120, "about")),
              ref("C", "almost two hours", *interval(120, "almost"))]
    sides = sides_of(claims)
    assert [sorted(r.article_id for r in side) for side in sides] == [["A", "B"], ["C", "C"]]
    assert len(find_conflicts(claims)) == 1
    assert find_conflicts(claims[2:]) == []  # one article only: nothing to contradict


def test_an_article_that_contradicts_itself_is_not_reported() -> None:
    """Two values in one article usually mean we read two things as one: not a source conflict."""
    claims = [ref("A", "90", *interval(90, None)), ref("A", "120", *interval(120, None)),
              ref("B", "120", *interval(120, None))]
    assert find_conflicts(claims) == []


def test_office_holders_months_apart_do_not_conflict() -> None:
    early = ref("A", "current", attribute="holder: president", date="2024-12-01", value_entity="biden")
    late = ref("B", "current", attribute="holder: president", date="2025-03-01", value_entity="trump")
    same_week = ref("C", "current", attribute="holder: president", date="2024-12-03", value_entity="trump")
    assert agree(early, late)
    assert not agree(early, same_week)


def test_one_person_named_two_ways_is_one_holder() -> None:
    """Resolution may keep "Erdogan" and "Recep Tayyip Erdogan" apart; as holders they agree."""
    short = ref("A", "current", attribute="holder: president", value_entity="erdogan")
    full = ref("B", "current", attribute="holder: president", value_entity="recep tayyip erdogan")
    assert agree(short, full)


def test_values_of_different_orders_are_different_things() -> None:
    """'about a month' and 'three years' on one event mean a misread attachment, not a dispute."""
    assert agree(ref("A", "P1M", *interval(43_830, "about")), ref("B", "P3Y", *interval(3 * 525_960, None)))


def _sides_claim_by_claim(refs: list[ClaimRef]) -> list[list[ClaimRef]]:
    """The definition of `sides_of`, comparing every claim with every claim of a side."""
    sides: list[list[ClaimRef]] = []
    ordered = sorted(refs, key=lambda r: (r.claim.low if r.claim.low is not None else 0.0,
                                          r.claim.value, r.value_entity or "", r.article_id, r.claim.start))
    for one in ordered:
        home = next((side for side in sides if all(agree(one, other) for other in side)), None)
        if home is None:
            sides.append([one])
        else:
            home.append(one)
    return sides


def _support_claim_by_claim(refs: list[ClaimRef]) -> dict[tuple[str, object], tuple[set[str], set[str]]]:
    return {(r.article_id, r.claim): ({o.article_id for o in refs if o is r or agree(r, o)},
                                      {o.outlet for o in refs if o is r or agree(r, o)}) for r in refs}


def claim_support(refs: list[ClaimRef]) -> dict[tuple[str, object], Any]:
    """Each claim's support as `describe_sources` counts it: shared by the claims of its kind."""
    return {(ref.article_id, ref.claim): support for group in group_claims(refs).values()
            for _, members, support in kinds_support(group) for ref in members}


def _random_claims(rng: random.Random, n: int) -> list[ClaimRef]:
    """Claims about one thing as a large store has them: many articles, few distinct values."""
    attribute = rng.choice(["duration", "office: president", "holder: president", "stance"])
    out = []
    for i in range(n):
        article = f"a{rng.randrange(n // 2 + 1):04d}"
        date = rng.choice([None, "2024-12-01", "2024-12-20", "2025-03-01"])
        kind = rng.random()
        if kind < 0.4:
            low = float(rng.choice([60, 90, 120, 600]))
            high = low + rng.choice([0, 10, 30, -5])  # an inverted interval now and then
            one = ref(article, str(low), low, high, attribute=attribute, date=date)
        elif kind < 0.7:
            holder = rng.choice(["trump", "donald trump", "biden", "ivanka trump"])
            one = ref(article, "current", attribute=attribute, date=date, value_entity=holder)
        else:
            one = ref(article, rng.choice(["former", "current", "agreedTo", "rejected"]), attribute=attribute,
                      date=date)
        out.append(dataclasses.replace(one, claim=dataclasses.replace(one.claim, start=i, end=i + 1)))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_sides_and_support_by_kind_equal_the_claim_by_claim_definition(seed: int) -> None:
    claims = _random_claims(random.Random(seed), random.Random(seed).randrange(2, 60))
    assert sides_of(claims) == _sides_claim_by_claim(claims)
    support = claim_support(claims)
    assert {k: (s.articles, s.outlets) for k, s in support.items()} == _support_claim_by_claim(claims)


def test_thousands_of_claims_about_one_thing_are_compared_by_kind() -> None:
    """A president's office in a 10,000-article store: the work grows with the claims, not their square."""
    many = [c for c in _random_claims(random.Random(3), 4000)  # inverted intervals are each a kind of their own
            if c.claim.low is None or c.claim.low <= c.claim.high]  # type: ignore[operator]
    calls = {"n": 0}

    def counted(a: ClaimRef, b: ClaimRef) -> bool:
        calls["n"] += 1
        return agree(a, b)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(claims_module, "agree", counted)
        mp.setattr(sources_module, "agree", counted)
        find_conflicts(many)
        claim_support(many)
    assert len(many) > 3000 and calls["n"] < 10 * len(many), calls["n"]  # claim by claim: ~len(many) ** 2



# ---------------------------------------------------------------- extraction (spaCy)

STORY = [
    ("2024-06-10", "Former US President Joe Biden criticised the decision on Monday, calling it short-sighted."),
    ("2024-06-11", "US President Joe Biden met Japanese Prime Minister Fumio Kishida in Tokyo on Tuesday."),
    ("2024-06-11", ("Russia fired 90 drones at Ukraine overnight, officials said. Russia occupies roughly 11 percent "
                    "of Ukraine. Crimea was annexed by Russia in 2014.")),
    ("2024-06-12", ("Russia controls about 18 percent of Ukraine, analysts said. Russia annexed Crimea in 2015, "
                    "the statement said.")),
    ("2024-06-13", "US President Joe Biden will travel to Berlin next week, the White House said."),
]


def write_story(folder: Path) -> list[Path]:
    """The story as one JSON Lines file per wire (text, date, outlet), as a user would give it."""
    folder.mkdir(parents=True, exist_ok=True)
    wires = []
    for n, (date, text) in enumerate(STORY):
        wire = folder / f"wire-{n}.jsonl"
        wire.write_text(json.dumps({"text": text, "date": date, "source": f"Outlet {n}"}) + "\n", encoding="utf-8")
        wires.append(wire)
    return wires


def story_articles() -> list[Article]:
    return [Article.create(text, identifier=f"wire-{n}.txt", date=date, source=f"Outlet {n}")
            for n, (date, text) in enumerate(STORY)]


@pytest.fixture(scope="module")
def story(nlp: Any) -> list[Any]:
    return list(extract_articles(story_articles()))


def claims_of(ex: Any) -> set[tuple[str, str, str, str | None]]:
    names = {e.key: e.name for e in ex.entities}
    return {(names.get(c.subject, c.subject), c.attribute, c.value, c.hedge) for c in ex.claims}


@pytest.mark.slow
def test_former_title_is_a_status_not_a_leadership(story: list[Any]) -> None:
    former, sitting = story[0], story[1]
    assert ("Joe Biden", "office: president", "former", None) in claims_of(former)
    assert not any(r.predicate == "leaderOf" for r in former.relations)
    assert ("Joe Biden", "office: president", "current", None) in claims_of(sitting)
    assert any(r.predicate == "leaderOf" for r in sitting.relations)


@pytest.mark.slow
def test_share_and_year_claims(story: list[Any]) -> None:
    assert ("Ukraine", "share of territory held", "11", "about") in claims_of(story[2])
    assert ("Ukraine", "share of territory held", "18", "about") in claims_of(story[3])
    assert ("Crimea", "year of annex", "2014", None) in claims_of(story[2])
    assert ("Crimea", "year of annex", "2015", None) in claims_of(story[3])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "value", "hedge"),
    [
        ("Joe Biden and Xi Jinping talked by phone for more than three hours on Wednesday.", "PT3H", "more than"),
        ("Emmanuel Macron and Olaf Scholz held a 45-minute phone call on Monday.", "PT45M", None),
        ("Narendra Modi and Vladimir Putin held talks in Moscow. The meeting lasted about four hours.", "PT4H",
         "about"),
    ],
)
def test_duration_of_an_event(nlp: Any, text: str, value: str, hedge: str | None) -> None:
    ex = next(extract_articles([Article.create(text, identifier="t", date="2024-07-10")]))
    durations = {(c.value, c.hedge) for c in ex.claims if c.attribute == "duration"}
    assert (value, hedge) in durations


@pytest.mark.slow
def test_a_duration_that_only_places_an_event_in_time_is_not_its_length(nlp: Any) -> None:
    text = "After two hours of talks, Joe Biden and Xi Jinping agreed to resume military contacts."
    ex = next(extract_articles([Article.create(text, identifier="t", date="2023-11-16")]))
    assert all(c.attribute != "duration" or c.subject in {e.key for e in ex.events if "Negotiation" in e.classes}
               for c in ex.claims)


@pytest.mark.slow
def test_count_of_things_in_an_attack(nlp: Any) -> None:
    text = "Russia launched an attack on Ukraine with more than 40 drones overnight, the air force said."
    ex = next(extract_articles([Article.create(text, identifier="t", date="2025-03-19")]))
    counts = {(c.attribute, c.value, c.hedge) for c in ex.claims if c.unit == "item"}
    assert ("number of drone", "40", "more than") in counts


# ---------------------------------------------------------------- the graph and the CLI


@pytest.fixture(scope="module")
def story_build(nlp: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    import newsgraph

    folder = tmp_path_factory.mktemp("story")
    write_story(folder)
    out = tmp_path_factory.mktemp("story-out")
    return newsgraph.build([folder], out_dir=out), out


@pytest.mark.slow
def test_conflicts_are_found_and_agreeing_claims_are_not(story_build: tuple[Any, Path]) -> None:
    from newsgraph.cli import main

    _, out = story_build
    result = CliRunner().invoke(main, ["conflicts", str(out), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    found = {(r["attribute"]["value"], r["subjectLabel"]["value"]) for r in rows}
    assert ("office: president", "Joe Biden") in found
    assert ("year of annex", "Crimea") in found
    assert ("share of territory held", "Ukraine") in found
    assert ("holder: president", "United States") not in found  # one holder, named by both
    sides = {r["attribute"]["value"]: set() for r in rows}
    for r in rows:
        sides[r["attribute"]["value"]].add((r["side"]["value"], r["value"]["value"]))
    assert {v for _, v in sides["year of annex"]} == {"2014", "2015"}
    assert len({s for s, _ in sides["year of annex"]}) == 2
    report = CliRunner().invoke(main, ["conflicts", str(out)])
    assert "year of annex of Crimea" in report.output
    assert "Outlet 2, 2024-06-11: " in report.output


@pytest.mark.slow
def test_corroboration_counts_articles_outlets_and_dates(story_build: tuple[Any, Path]) -> None:
    """Biden leads the US in two wires of two outlets on two days; "former" is in one article only."""
    from newsgraph.graph.store import MemoryStore
    from newsgraph.graph.store_query import run_store_query

    result, _ = story_build
    store = MemoryStore(result.dataset)
    rows = list(run_store_query(store, """
        SELECT ?n ?outlets ?first ?last WHERE {
          ?c a ng:Claim ; ng:attribute "office: president" ; ng:value "former" ; ng:claimedValue ?v .
          ?v ng:articleCount ?n ; ng:outletCount ?outlets ; ng:firstSeen ?first ; ng:lastSeen ?last }"""))
    assert [(int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows] == [(1, 1, "2024-06-10", "2024-06-10")]
    rows = list(run_store_query(store, """
        SELECT ?n ?outlets ?first ?last WHERE {
          ?a a ng:Assertion ; rdf:predicate ng:leaderOf ; rdf:subject/rdfs:label "Joe Biden" ;
             ng:articleCount ?n ; ng:outletCount ?outlets ; ng:firstSeen ?first ; ng:lastSeen ?last }"""))
    assert [(int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows] == [(2, 2, "2024-06-11", "2024-06-13")]


@pytest.mark.slow
def test_corroboration_named_query_sorts_by_outlets(story_build: tuple[Any, Path]) -> None:
    from newsgraph.cli import main

    _, out = story_build
    result = CliRunner().invoke(main, ["query", "corroboration", str(out), "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    outlets = [int(r["outlets"]["value"]) for r in rows]
    assert outlets == sorted(outlets, reverse=True) and outlets[0] >= 2
    leads = [r for r in rows if r["kind"]["value"] == "relation" and r["subjectLabel"]["value"] == "Joe Biden"
             and r["predicate"]["value"].endswith("#leaderOf")]
    assert [(r["articles"]["value"], r["firstSeen"]["value"], r["lastSeen"]["value"]) for r in leads] == [
        ("2", "2024-06-11", "2024-06-13")]


@pytest.mark.slow
def test_a_store_built_in_two_steps_lists_the_same_conflicts(story_build: tuple[Any, Path], tmp_path: Path) -> None:
    """The sources graph is recomputed on every commit: the conflict of two articles appears
    once the second one is added, as in a one-shot build."""
    from newsgraph.cli import main

    _, out = story_build
    wires = [str(w) for w in write_story(tmp_path / "wires")]
    store = str(tmp_path / "store")

    def conflicts_of(location: str) -> set[tuple[str, str]]:
        result = CliRunner().invoke(main, ["conflicts", location, "--json"])
        assert result.exit_code == 0, result.output
        return {(r["attribute"]["value"], r["value"]["value"]) for r in json.loads(result.output)["results"]["bindings"]}

    assert CliRunner().invoke(main, ["build", *wires[:3], "--store", store, "-q"]).exit_code == 0
    assert ("year of annex", "2015") not in conflicts_of(store)
    assert CliRunner().invoke(main, ["build", *wires[3:], "--store", store, "-q"]).exit_code == 0
    assert conflicts_of(store) == conflicts_of(str(out))


@pytest.mark.slow
def test_a_bare_title_is_a_claim_only_when_it_can_be_current(nlp: Any) -> None:
    """News calls past holders by their title: the knowledge base decides when it knows the office."""
    text = ("US President Barack Obama signed the accord in 2015. President Jimmy Carter visited Plains. "
            "Outgoing Chancellor Olaf Scholz spoke.")
    ex = next(extract_articles([Article.create(text, identifier="t", date="2024-06-11")]))
    statuses = {(n, v) for n, a, v, _ in claims_of(ex) if a.startswith("office:")}
    assert not any(n == "Barack Obama" for n, _ in statuses)  # the KB has Biden in office that day
    assert ("Jimmy Carter", "titled") in statuses  # an office holder the KB does not list: unknown
    assert ("Olaf Scholz", "outgoing") in statuses
