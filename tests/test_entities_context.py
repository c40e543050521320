"""Entities at news scale (issue 13): context decides before the KB, one node per entity inside an
article, whole names, the generated KB and its loader.

Every text is written for this file (names and wording of our own).  Tests that run the spaCy
pipeline are marked ``slow``; the pipeline is loaded once per module.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.extract.kb import KBError, default_kb, load_kb
from newsgraph.extract.values import Extraction
from newsgraph.ingest.article import Article

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pipeline():
    from newsgraph.extract.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="module")
def extract(pipeline):
    from newsgraph.extract.pipeline import extract_articles

    def run(text: str, identifier: str = "t") -> Extraction:
        (extraction,) = list(extract_articles([Article.create(text, identifier=identifier)]))
        return extraction

    return run


def entity_of(ex: Extraction, surface: str, nth: int = 0):
    mentions = [m for m in ex.mentions if m.text == surface]
    assert len(mentions) > nth, f"no mention {surface!r} in {[m.text for m in ex.mentions]}"
    (entity,) = [e for e in ex.entities if e.key == mentions[nth].entity]
    return entity


# --- context before the KB ------------------------------------------------------------------

@pytest.mark.slow
def test_surname_that_is_a_country_is_the_person(extract):
    ex = extract("Rep. Bob Jordan of Ohio criticised the agency on Tuesday. Jordan said the "
                 "inspectors had failed to act.")
    first, later = entity_of(ex, "Bob Jordan"), entity_of(ex, "Jordan")
    assert first.key == later.key and first.entity_class == "Person"
    assert all(e.wikidata != "Q810" for e in ex.entities)  # never the country Jordan


@pytest.mark.slow
@pytest.mark.parametrize(("text", "surface"), [
    ("Michael Jordan said he would sell his share of the team.", "Michael Jordan"),
    ("Sen. Paris told reporters the vote would be close.", "Paris"),
])
def test_given_name_or_title_makes_a_person(extract, text, surface):
    entity = entity_of(extract(text), surface)
    assert entity.entity_class == "Person" and entity.wikidata is None


@pytest.mark.slow
@pytest.mark.parametrize(("text", "surface", "qid"), [
    ("Georgia Gov. Sam Kemper signed the budget on Friday. Voters in Georgia approved it.", "Georgia", "Q1428"),
    ("Sen. Dana Whitlock of Georgia opposed the measure.", "Georgia", "Q1428"),
    ("Wildfires spread across Washington state on Sunday.", "Washington", "Q1223"),
    ("A New York Democrat filed the complaint.", "New York", "Q1384"),
])
def test_us_political_context_makes_a_us_state(extract, text, surface, qid):
    ex = extract(text)
    states = {entity_of(ex, surface, i).wikidata for i in range(sum(m.text == surface for m in ex.mentions))}
    assert states == {qid}


@pytest.mark.slow
def test_country_context_keeps_the_country(extract):
    ex = extract("Georgia and Armenia signed a border treaty in Yerevan on Monday.")
    assert entity_of(ex, "Georgia").wikidata == "Q230"


@pytest.mark.slow
@pytest.mark.parametrize(("text", "surface", "qid"), [
    ("Talks between Washington and Beijing stalled again.", "Beijing", "Q148"),
    ("She has lived in Beijing since 2010.", "Beijing", "Q956"),
])
def test_capital_stands_for_its_country_unless_placed(extract, text, surface, qid):
    assert entity_of(extract(text), surface).wikidata == qid


@pytest.mark.slow
@pytest.mark.parametrize("text", ["She served two terms in the Ohio House of Representatives before running.",
                                  "The state Supreme Court threw out the district map on Monday."])
def test_state_body_is_not_the_federal_one(extract, text):
    assert all(e.wikidata not in ("Q11701", "Q11201") for e in extract(text).entities)


@pytest.mark.slow
def test_legislator_from_generated_kb_is_linked(extract):
    entity = entity_of(extract("Sen. Amy Klobuchar introduced the bill on Wednesday."), "Amy Klobuchar")
    assert entity.wikidata == "Q22237"  # from congress-legislators (scripts/build_kb.py)


# --- one node per entity in an article --------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize(("text", "short", "full"), [
    ("The Federal Aviation Administration grounded the jets. The FAA said inspections would take "
     "a week.", "FAA", "Federal Aviation Administration"),
    ("The Commerce Department published the rule. Commerce said exporters had been warned.",
     "Commerce", "Commerce Department"),
    ("Premier Wang Lixin toured the flooded province. Wang said relief would arrive soon.",
     "Wang", "Wang Lixin"),
])
def test_short_form_joins_its_full_name(extract, text, short, full):
    ex = extract(text)
    assert entity_of(ex, short).key == next(e.key for e in ex.entities if full in e.surface_forms)


@pytest.mark.slow
def test_hyphenated_given_name_is_whole(extract):
    ex = extract("President Park Min-jun visited the shipyard. Park said orders had doubled.")
    assert any(e.name == "Park Min-jun" for e in ex.entities)
    assert entity_of(ex, "Park").name == "Park Min-jun"


@pytest.mark.slow
def test_name_never_ends_on_a_connector(pipeline):
    from newsgraph.extract.entities import _whole_name

    doc = pipeline.make_doc("the Central Bank of ( Freedonia")
    assert _whole_name(doc, doc[1:5]).text == "Central Bank"


@pytest.mark.slow
def test_first_name_alone_does_not_merge_across_articles(extract):
    from newsgraph.resolve import resolve

    a = extract("Coach Dana George praised the team after the match.", identifier="a")
    b = extract("George smiled at the crowd and left the stage.", identifier="b")
    assert any(e.name == "George" and e.entity_class == "Person" for e in b.entities)
    res = resolve([a, b])
    coach = next(e for e in res.entities if e.label == "Dana George")
    assert {aid for aid, _ in coach.members} == {a.article.id}  # a first name alone is nobody in particular


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", ["Zq" * 300_000, "\U0001F600\U0001F680\U0001F525", "\x01\x02\x03\x04"])
def test_huge_or_symbol_names_make_no_entity(extract, name):
    ex = extract(f"Officials said {name} arrived on Monday. Ministers met in Brussels.")
    assert all(len(e.name) < 200 and any(ch.isalpha() for ch in e.name) for e in ex.entities)


HEADER = "label,class,wikidata,aliases,country\n"


@pytest.mark.parametrize(("rows", "line", "reason"), [
    ("Acme Widgets,Company,Q42,,US\nAcme  widgets,Company,Q43,,US\n", 3, "duplicate id"),
    ("Acme Widgets,Company,Q42,,US\nZenith Tools,Company,Q42,,US\n", 3, "duplicate Wikidata id"),
    ("Acme Widgets,Company,Q42x,,US\n", 2, "not a Wikidata item id"),
    ("Acme Widgets,Company\n", 2, "wrong number of fields"),
    ("???,Company,Q42,,US\n", 2, "no letters or digits"),
])
def test_bad_kb_rows_name_file_and_line(tmp_path: Path, rows, line, reason):
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(KBError) as info:
        load_kb([path])
    assert f"{path}:{line}:" in str(info.value) and reason in str(info.value)


def test_bundled_kb_has_unique_ids_and_states():
    kb = default_kb()
    qids = [e.wikidata for e in kb.entries if e.wikidata]
    assert len(qids) == len(set(qids))
    assert len([e for e in kb.entries if e.id.startswith("state:")]) == 50
    assert {e.entity_class for e in kb.senses("Georgia")} == {"Country", "Region"}


def test_generated_kb_is_what_the_script_makes():
    legislators = Path("/work/.mirror/unitedstates+congress-legislators/repo")
    states = Path("/work/.mirror/tkozzer+map-click/repo")
    if not legislators.exists() or not states.exists():
        pytest.skip("the KB sources (congress-legislators, map-click clones) are not on this machine")
    js = subprocess.run(["git", "--git-dir", str(states), "show", "HEAD:js/usStates.js"], check=True,
                        capture_output=True, text=True).stdout
    tmp = REPO / "tests" / "data" / "_usStates.js"
    try:
        tmp.write_text(js, encoding="utf-8")
        done = subprocess.run([sys.executable, str(REPO / "scripts" / "build_kb.py"), "--legislators",
                               str(legislators), "--states", str(tmp), "--check"], capture_output=True, text=True)
    finally:
        tmp.unlink(missing_ok=True)
    assert done.returncode == 0, done.stderr
