"""Entities (issue 3): recognition, typing, KB linking, coreference and resolution.

Every case is a short news-style text written for this file.  Tests that run the
spaCy pipeline are marked ``slow``; the pipeline is loaded once per module.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.extract.kb import KBError, load_kb
from newsgraph.extract.values import Extraction
from newsgraph.ingest.article import Article


@pytest.fixture(scope="module")
def pipeline():
    from newsgraph.extract.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="module")
def extract(pipeline):
    from newsgraph.extract.pipeline import extract_articles

    def run(text: str, date: str | None = None, identifier: str = "t", **kw) -> Extraction:
        article = Article.create(text, identifier=identifier, date=date)
        (extraction,) = list(extract_articles([article], **kw))
        return extraction

    return run


def by_name(ex: Extraction, name: str):
    return [e for e in ex.entities if e.name == name]


def entity_of(ex: Extraction, surface: str, nth: int = 0):
    """The local entity the nth mention with exactly this text refers to."""
    mentions = [m for m in ex.mentions if m.text == surface]
    assert len(mentions) > nth, f"no mention {surface!r} in {[m.text for m in ex.mentions]}"
    key = mentions[nth].entity
    (entity,) = [e for e in ex.entities if e.key == key]
    return entity


# --- coreference inside one article ------------------------------------------------------

SURNAME_CASES = [
    ("Foreign Minister Annalena Baerbock arrived in Paris on Monday. Baerbock said the talks "
     "would continue.", "Baerbock", "Annalena Baerbock"),
    ("Union leader Marta Kowalczyk called the strike on Tuesday. Kowalczyk told reporters "
     "that workers would not back down.", "Kowalczyk", "Marta Kowalczyk"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "surname", "full"), SURNAME_CASES)
def test_surname_joins_full_name(extract, text, surname, full):
    ex = extract(text)
    assert entity_of(ex, surname).name == full
    assert entity_of(ex, surname).key == entity_of(ex, full).key
    assert len([e for e in ex.entities if e.entity_class == "Person"]) == 1


TITLE_CASES = [
    # a bare title is the KB's holder on the article's date
    ("The Russian president spoke by phone with his American counterpart on Tuesday.",
     "2025-03-19", "The Russian president", "Vladimir Putin", "Q7747"),
    # an apposition says who holds the title in this article
    ("Danish Prime Minister Mette Frederiksen visited Copenhagen harbour on Wednesday. "
     "The Danish prime minister said the island was not for sale.",
     None, "The Danish prime minister", "Mette Frederiksen", None),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "date", "title", "person", "qid"), TITLE_CASES)
def test_title_refers_to_person(extract, text, date, title, person, qid):
    ex = extract(text, date=date)
    entity = entity_of(ex, title)
    assert entity.entity_class == "Person"
    assert entity.name == person
    assert entity.wikidata == qid


@pytest.mark.slow
def test_apposition_title_is_the_same_entity_as_the_name(extract):
    ex = extract("Danish Prime Minister Mette Frederiksen visited Copenhagen harbour on Wednesday. "
                 "The Danish prime minister said the island was not for sale.")
    assert entity_of(ex, "The Danish prime minister").key == entity_of(ex, "Mette Frederiksen").key


CAPITAL_CASES = [
    ("Moscow said it would respond to the sanctions.", "Moscow", "Country", "Russia"),
    ("Thousands of people gathered in Moscow on Sunday.", "Moscow", "City", "Moscow"),
    ("Kyiv rejected the proposal on Friday.", "Kyiv", "Country", "Ukraine"),
    ("Air raid sirens sounded in Kyiv overnight.", "Kyiv", "City", "Kyiv"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "surface", "cls", "name"), CAPITAL_CASES)
def test_capital_metonymy(extract, text, surface, cls, name):
    entity = entity_of(extract(text), surface)
    assert (entity.entity_class, entity.name) == (cls, name)


@pytest.mark.slow
def test_kiev_and_kyiv_are_one_entity_in_one_article(extract):
    ex = extract("Explosions were heard in Kiev on Monday. Residents of Kyiv went to shelters.")
    assert entity_of(ex, "Kiev").key == entity_of(ex, "Kyiv").key


# --- assets --------------------------------------------------------------------------------

@pytest.mark.slow
def test_named_nuclear_plant_and_anaphor_are_one_asset(extract):
    ex = extract("Shelling damaged the Zaporizhzhia nuclear power plant overnight. "
                 "Inspectors said the plant had lost external power for five hours.")
    plant = entity_of(ex, "Zaporizhzhia nuclear power plant")
    assert plant.entity_class == "NuclearPowerPlant"
    assert entity_of(ex, "the plant").key == plant.key
    assert not [e for e in ex.entities if e.name == "Zaporizhzhia"]
    assert not [m for m in ex.mentions if m.text == "Zaporizhzhia"]


@pytest.mark.slow
def test_owned_assets_with_noun_and_adjective_owner_are_one(extract):
    ex = extract("Russia has attacked Ukraine's energy infrastructure for weeks. "
                 "Strikes on Ukrainian energy facilities continued on Thursday.")
    a = entity_of(ex, "Ukraine's energy infrastructure")
    b = entity_of(ex, "Ukrainian energy facilities")
    assert a.key == b.key
    from newsgraph.extract.kb import TOP_CLASS
    assert TOP_CLASS[a.entity_class] == "Asset"


# --- not entities --------------------------------------------------------------------------

@pytest.mark.slow
def test_nationality_is_not_an_entity(extract):
    ex = extract("Russian troops advanced near the village, a Russian official said on Monday.")
    assert not [m for m in ex.mentions if "Russian" in m.text]
    assert not [e for e in ex.entities if e.name in ("Russian", "Russia")]


@pytest.mark.slow
def test_photo_credit_yields_no_entity(extract):
    ex = extract("Ceasefire talks resumed on Monday.\n\nPhoto / John Smith, AFP\n\n"
                 "Diplomats said progress was slow.")
    assert ex.entities == ()
    assert ex.mentions == ()


@pytest.mark.slow
def test_all_caps_paragraph_makes_no_junk_org(extract):
    ex = extract("Officials met in Kharkiv on Monday.\n\nHE SAID RUSSIA FIRED DRONES AT KHARKIV.\n\n"
                 "No one was hurt.")
    from newsgraph.extract.kb import TOP_CLASS
    orgs = [e.name for e in ex.entities if TOP_CLASS.get(e.entity_class) == "Organization"]
    assert orgs == []
    assert not [m for m in ex.mentions if m.text in ("HE", "HE SAID", "DRONES", "FIRED")]


@pytest.mark.slow
def test_all_caps_paragraph_makes_no_junk_mentions(extract):
    ex = extract("Officials met in Kharkiv on Monday.\n\nHE SAID RUSSIA FIRED DRONES AT KHARKIV.\n\n"
                 "No one was hurt.")
    assert {m.text for m in ex.mentions} <= {"Kharkiv", "KHARKIV", "RUSSIA"}
    assert entity_of(ex, "RUSSIA").name == "Russia"


# --- resolution across articles ------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize(("first", "second", "qid"), [
    ("Ukrainian President Zelensky met allies in Brussels on Monday.",
     "Zelenskyy told parliament that the front line was holding.", "Q3874799"),
    ("Volodymyr Zelensky addressed the summit by video.",
     "President Zelenskyy thanked the donors.", "Q3874799"),
])
def test_transliterations_resolve_to_one_linked_entity(pipeline, first, second, qid):
    from newsgraph.extract.pipeline import extract_articles
    from newsgraph.resolve import resolve

    arts = [Article.create(first, identifier="a1"), Article.create(second, identifier="a2")]
    exs = list(extract_articles(arts))
    people = [e for e in resolve(exs).entities if e.entity_class == "Person"]
    assert len(people) == 1
    assert people[0].wikidata == qid
    assert {aid for aid, _ in people[0].members} == {a.id for a in arts}


@pytest.mark.slow
def test_kiev_and_kyiv_resolve_across_articles(pipeline):
    from newsgraph.extract.pipeline import extract_articles
    from newsgraph.resolve import resolve

    arts = [Article.create("Explosions were heard in Kiev on Monday.", identifier="a1"),
            Article.create("Residents of Kyiv went to shelters on Tuesday.", identifier="a2")]
    res = resolve(list(extract_articles(arts)))
    cities = [e for e in res.entities if {"Kiev", "Kyiv"} & {e.label, *e.alt_labels}]
    assert len(cities) == 1
    assert {aid for aid, _ in cities[0].members} == {a.id for a in arts}


# --- knowledge-base files ------------------------------------------------------------------

HEADER = "label,class,wikidata,aliases,country\n"


@pytest.mark.parametrize(("row", "reason"), [
    ("Acme Widgets,Company,Q42\n", "wrong number of fields"),
    ("Acme Widgets,Company,Q42,Acme,US,extra\n", "wrong number of fields"),
    ("Acme Widgets,Corporation,Q42,Acme,US\n", "unknown class"),
    ("Acme Widgets,Company,42,Acme,US\n", "not a Wikidata item id"),
    ("Acme Widgets,Company,Q0123,Acme,US\n", "not a Wikidata item id"),
])
def test_malformed_kb_row_names_file_and_line(tmp_path: Path, row, reason):
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + "Good Org,Company,Q1,,US\n" + row, encoding="utf-8")
    with pytest.raises(KBError) as info:
        load_kb([path])
    message = str(info.value)
    assert f"{path}:3:" in message
    assert reason in message


def test_well_formed_user_kb_loads(tmp_path: Path):
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + "Acme Widgets,Company,Q4242424,Acme,US\n", encoding="utf-8")
    entry = load_kb([path]).lookup("Acme")
    assert entry is not None and entry.wikidata == "Q4242424"


@pytest.mark.slow
def test_user_kb_file_links_its_entity(extract, tmp_path: Path):
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + "Borvik Turbine Works,Company,Q98765432,Borvik|BTW,NO\n", encoding="utf-8")
    text = "Borvik Turbine Works said on Monday it would cut 400 jobs. Borvik blamed energy prices."
    plain = extract(text)
    assert all(e.wikidata != "Q98765432" for e in plain.entities)
    ex = extract(text, kb_files=[str(path)])
    entity = entity_of(ex, "Borvik Turbine Works")
    assert entity.wikidata == "Q98765432"
    assert entity.entity_class == "Company"
    assert entity_of(ex, "Borvik").key == entity.key


@pytest.mark.slow
def test_entity_running_over_a_line_break_does_not_crash(extract):
    ex = extract("Talks ended.\nMarta Kowalczyk\nWARSAW 1996-12-06")
    assert entity_of(ex, "Marta Kowalczyk").entity_class == "Person"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "person", "not_linked_to"),
    [
        ("Melania Trump attended the state dinner on Friday.", "Melania Trump", "Donald Trump"),
        ("Yesterday Michelle Obama and her husband visited Chicago.", "Michelle Obama", "Barack Obama"),
    ],
)
def test_another_given_name_before_a_kb_surname_is_another_person(extract, text, person, not_linked_to) -> None:
    ex = extract(text, "2021-06-10")
    assert by_name(ex, person) and not by_name(ex, not_linked_to)


@pytest.mark.slow
def test_a_title_or_honorific_before_a_kb_surname_keeps_the_link(extract) -> None:
    ex = extract("President Putin met Mr Trump on Monday.", "2019-06-10")
    assert by_name(ex, "Donald Trump") and by_name(ex, "Vladimir Putin")


def test_a_capitalised_event_noun_alone_is_no_name(extract) -> None:
    ex = extract("Wildfires Spread Across Greece As Tariffs Loom\n\nFirefighters in Greece fought wildfires on Monday.")
    names = {e.name for e in ex.entities}
    assert "Greece" in names and not names & {"Wildfires", "Tariffs"}, names
