"""Event triggers from CAMEO's verbs and the lexicon: classes, senses, parties (sentences written
for these tests, of the kinds news uses)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsgraph.extract.pipeline import extract_articles
from newsgraph.extract.triggers import lexicon
from newsgraph.ingest.article import Article

ROOT = Path(__file__).resolve().parents[1]
CAMEO = ROOT.parent / "shared" / "data" / "cameo-petrarch2" / "CAMEO.2.0.txt"


def run(text: str) -> Any:
    return next(extract_articles([Article.create(text, identifier="t", date="2019-06-12")]))


def names(ex: Any, keys: tuple[str, ...]) -> set[str]:
    return {e.name for e in ex.entities if e.key in keys}


def parties(ex: Any, event: Any) -> set[str]:
    return names(ex, event.agents + event.participants + event.targets + event.locations)


@pytest.mark.skipif(not CAMEO.is_file(), reason="the CAMEO dictionary of ../shared/data is not beside this checkout")
def test_generated_trigger_data_is_what_the_script_derives() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "derive_event_triggers.py"), "--cameo", str(CAMEO),
                           "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_cameo_verbs_are_loaded_with_their_blocks_and_patterns() -> None:
    lex = lexicon()
    assert any(cls == "Threat" for _, obj, cls, _ in lex.blocks["threaten"] if not obj)
    assert len(lex.blocks) > 1000 and len(lex.patterns) > 100


@pytest.mark.slow
@pytest.mark.parametrize("text, cls, expected", [
    ("Iran launched missiles at Israel on Tuesday.", "Attack", {"Iran", "Israel"}),
    ("Germany will send tanks to Ukraine.", "AidDelivery", {"Germany", "Ukraine"}),
    ("Russia and Ukraine exchanged prisoners of war in Belarus on Friday.", "PrisonerRelease", {"Russia", "Ukraine"}),
    ("A federal grand jury indicted Michael Ortiz in Texas.", "Indictment", {"Michael Ortiz", "Texas"}),
    ("Senator Elizabeth Warren accused Amazon of dodging taxes.", "Accusation", {"Elizabeth Warren", "Amazon"}),
    ("The United States imposed tariffs on China on Friday.", "Tariff", {"United States", "China"}),
    ("Japan imposed sanctions on North Korea.", "Sanction", {"Japan", "North Korea"}),
    ("North Korea threatened South Korea with war.", "Threat", {"North Korea", "South Korea"}),
    ("Angela Merkel visited China in May.", "Visit", {"Angela Merkel", "China"}),
    ("Emmanuel Macron met Narendra Modi in Paris.", "Meeting", {"Emmanuel Macron", "Narendra Modi"}),
    ("The United States withdrew its troops from Syria.", "Withdrawal", {"United States", "Syria"}),
    ("Pakistan expelled India's ambassador.", "Expulsion", None),
    ("Boris Johnson resigned as foreign secretary of Britain.", "Resignation", {"Boris Johnson", "United Kingdom"}),
    ("Donald Trump fired James Comey in May.", "Dismissal", {"Donald Trump", "James Comey"}),
])
def test_a_kind_of_sentence_gives_its_event(text: str, cls: str, expected: set[str] | None) -> None:
    ex = run(text)
    found = [e for e in ex.events if cls in e.classes]
    assert found, [(e.classes, parties(ex, e)) for e in ex.events]
    if expected:
        assert expected <= parties(ex, found[0])


@pytest.mark.slow
@pytest.mark.parametrize("text, wrong", [
    ("The company fired its sustainability director, Maria Lopez, on Monday.", "Attack"),
    ("Speaking on Fox News Sunday, Mike Pompeo said Iran was to blame.", "PhoneCall"),
    ("Chuck Schumer appeared on Meet the Press with Nancy Pelosi.", "Meeting"),
    ("Senator Ted Cruz was fired up about Mexico.", "Attack"),
    ("Bernie Sanders attacked Joe Biden over trade.", "Attack"),  # words between people
    ("Wayne LaPierre attacked the Democratic Party on Friday.", "Attack"),  # and from a person to a body
])
def test_a_word_in_another_sense_is_no_such_event(text: str, wrong: str) -> None:
    ex = run(text)
    assert not [e for e in ex.events if wrong in e.classes], [(e.classes, parties(ex, e)) for e in ex.events]


@pytest.mark.slow
def test_a_light_verb_takes_its_event_noun() -> None:
    ex = run("Saudi Arabia launched airstrikes on Yemen on Sunday.")
    attacks = [e for e in ex.events if "Attack" in e.classes]
    assert len(attacks) == 1 and {"Saudi Arabia", "Yemen"} <= parties(ex, attacks[0])


@pytest.mark.slow
def test_pronoun_subject_is_the_subject_before() -> None:
    ex = run("Angela Merkel spoke to Vladimir Putin's aides in Berlin. She visited China in May.")
    visits = [e for e in ex.events if "Visit" in e.classes]
    assert visits and names(ex, visits[0].agents) == {"Angela Merkel"}


@pytest.mark.slow
def test_one_party_is_not_enough_for_an_event() -> None:
    ex = run("The meeting was long.")
    assert ex.events == ()


@pytest.mark.slow
def test_an_event_wanted_is_proposed_not_done() -> None:
    ex = run("Emmanuel Macron wants to withdraw French troops from Mali.")
    by_key = {e.key: e for e in ex.events}
    proposed = [(names(ex, (s.actor,)), by_key[s.event].classes) for s in ex.stances if s.stance == "proposed"]
    assert ({"Emmanuel Macron"}, ("Proposal", "Withdrawal")) in proposed  # a withdrawal proposed


@pytest.mark.slow
def test_bad_input_gives_no_event_from_a_failed_parse(caplog: pytest.LogCaptureFixture) -> None:
    run_on = " and ".join(["Iran attacked Israel"] * 100) + "."  # one sentence of 400 tokens
    texts = ["IRAN LAUNCHES MISSILES AT ISRAEL\n\nIran launched missiles at Israel on Tuesday.",
             "- Iran\n- Israel\n- sanctions\n\n| Iran | Israel |\n|---|---|\n| 1 | 2 |",
             "attacked attacked Iran the the Israel of of sanctions missiles.",
             run_on]
    exs = list(extract_articles([Article.create(t, identifier=f"bad{n}", date="2019-06-12")
                                 for n, t in enumerate(texts)]))
    assert len(exs) == 4  # no crash
    assert not exs[3].events  # the run-on sentence is skipped ...
    assert any("no events read from it" in r.getMessage() for r in caplog.records)  # ... and said so


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Senator Josh Hawley urged William Barr to launch an investigation of Google.",
    "Nancy Pelosi called Donald Trump a coward.",
    "Fox News and MSNBC joined CNN in the coverage.",
])
def test_an_event_urged_named_or_joined_is_not_one(text: str) -> None:
    ex = run(text)
    assert not [e for e in ex.events if set(e.classes) & {"Investigation", "PhoneCall", "Meeting"}], ex.events


@pytest.mark.slow
def test_a_report_in_an_interview_is_an_interview() -> None:
    ex = run("Marco Rubio said in an interview on Thursday that China was cheating the United States.")
    kinds = [e.classes for e in ex.events]
    assert ("Interview",) in kinds and ("Statement",) not in kinds, kinds


@pytest.mark.slow
def test_a_conditional_event_is_no_event() -> None:
    ex = run("If Iran attacks Israel, the United States will respond.")
    assert not [e for e in ex.events if "Attack" in e.classes], ex.events
    assert not [r for r in ex.relations if r.predicate == "attacked"], ex.relations


@pytest.mark.slow
def test_a_possessive_pronoun_is_its_antecedent() -> None:
    ex = run("Japan announced new measures on Monday. Its sanctions on North Korea take effect in May.")
    sanctions = [e for e in ex.events if "Sanction" in e.classes]
    assert sanctions and {"Japan", "North Korea"} <= parties(ex, sanctions[0])


@pytest.mark.slow
def test_a_credit_line_and_a_campaign_rally_are_no_report_and_no_protest() -> None:
    ex = run("Reporter Jane Smith of Reuters contributed to this report. "
             "Donald Trump held a rally with Ted Cruz in Houston, Texas.")
    kinds = {c for e in ex.events for c in e.classes}
    assert "Report" not in kinds and "Protest" not in kinds, ex.events


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Voters said Donald Trump should be impeached by the House.",
    "Donald Trump does not need a lawsuit against The New York Times.",
])
def test_a_case_considered_is_no_event(text: str) -> None:
    ex = run(text)
    assert not [e for e in ex.events if set(e.classes) & {"Dismissal", "Lawsuit"}], ex.events


@pytest.mark.slow
def test_material_events_imply_hostility_and_support_and_words_do_not() -> None:
    ex = run("US President Donald Trump criticized Joe Biden on Monday. Germany sent tanks to Ukraine. "
             "Russian forces shelled Kharkiv overnight.")
    rels = {(next(iter(names(ex, (r.subject,)))), r.predicate, next(iter(names(ex, (r.object,)))))
            for r in ex.relations if r.extractor == "event-relation"}
    assert ("Germany", "supports", "Ukraine") in rels
    assert ("Russia", "attacked", "Kharkiv") in rels
    assert not any(subject in ("Donald Trump", "United States") for subject, _, _ in rels)  # words imply none


@pytest.mark.slow
def test_criticism_faced_is_done_to_the_subject() -> None:
    ex = run("Paul Ryan faced criticism from the Sierra Club on Monday.")
    acc = [e for e in ex.events if "Accusation" in e.classes]
    assert acc and names(ex, acc[0].targets) == {"Paul Ryan"}
    assert names(ex, acc[0].agents) == {"Sierra Club"}


@pytest.mark.slow
def test_an_undated_event_in_the_simple_past_is_news_of_the_month() -> None:
    ex = run("The talks stalled after Iran launched missiles at Israel. In 2006, North Korea tested a nuclear bomb.")
    attack = next(e for e in ex.events if "Attack" in e.classes)
    test = next(e for e in ex.events if "WeaponsTest" in e.classes)
    assert attack.date == "2019-06"  # the article's month (run() dates articles 2019-06-12)
    assert test.date == "2006"  # background names its year


@pytest.mark.slow
def test_phrases_of_an_unnamed_place_belong_to_the_event() -> None:
    ex = run("Syria fired rockets at Turkish army posts in Lebanon on Tuesday.")
    attack = next(e for e in ex.events if "Attack" in e.classes)
    assert names(ex, attack.agents) == {"Syria"} and "Lebanon" in names(ex, attack.locations)
    assert "Turkey" in names(ex, attack.participants)  # whose posts: a party, not the target


@pytest.mark.slow
def test_an_event_that_times_a_clause_is_not_its_subjects() -> None:
    ex = run("After a raid on the office of Laura Pratt, Boris Johnson attacked Keir Starmer.")
    raids = [e for e in ex.events if "Attack" in e.classes and "Laura Pratt" in parties(ex, e)]
    assert all("Boris Johnson" not in names(ex, e.agents) for e in raids), raids


@pytest.mark.slow
def test_a_preposition_alone_does_not_turn_an_attack_into_words() -> None:
    ex = run("Russia attacked Ukraine with drones and missiles on Tuesday.")
    assert [e for e in ex.events if "Attack" in e.classes], ex.events
    assert not [e for e in ex.events if "Accusation" in e.classes], ex.events


@pytest.mark.slow
def test_everyday_senses_of_cameo_verbs_name_no_event() -> None:
    ex = run("She worked to defend him. The Chronicle asked a dozen strategists how Democrats should campaign. "
             "Republicans need the governor to sign the bill. He said he beat Jeb Bush easily.")
    assert ex.events == (), ex.events


@pytest.mark.slow
def test_arriving_in_a_place_is_a_visit_and_leaving_a_body_a_resignation() -> None:
    ex = run("Chancellor Friedrich Merz arrived in Warsaw on Monday. Deputy director Kash Patel is leaving the FBI.")
    assert [e.classes for e in ex.events] == [("Visit",), ("Resignation",)], ex.events
