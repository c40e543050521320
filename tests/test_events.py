"""Events, their dates and stances on news-style texts (issue 4, events and stances).

Each test pins one rule of newsgraph.extract.events / dates / timex or newsgraph.resolve.events
on typical news language; the texts are written for the tests, not taken from the sample corpus.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from newsgraph.extract.pipeline import extract_articles
from newsgraph.extract.timex import scan_dates, self_dated
from newsgraph.ingest.article import Article
from newsgraph.resolve import resolve
from newsgraph.resolve.events import resolve_events

pytestmark = pytest.mark.slow


def run(text: str, date: str | None = "2024-05-15", identifier: str = "t") -> Any:
    return next(extract_articles([Article.create(text, identifier=identifier, date=date)]))


def names(ex: Any, keys: tuple[str, ...]) -> set[str]:
    return {e.name for e in ex.entities if e.key in keys}


def events_of(ex: Any, cls: str) -> list[Any]:
    return [e for e in ex.events if cls in e.classes]


def stances(ex: Any) -> set[tuple[str, str, tuple[str, ...]]]:
    by_key = {e.key: e for e in ex.events}
    return {(next(iter(names(ex, (s.actor,)))), s.stance, by_key[s.event].classes) for s in ex.stances}


# -- dates ----------------------------------------------------------------------------------------

def test_weekday_with_day_and_month_dates_itself() -> None:
    assert self_dated("Friday (10 May)", date(2026, 11, 22)).value == "2024-05-10"  # type: ignore[union-attr]
    assert self_dated("Friday", date(2026, 11, 22)) is None


def test_self_dated_weekday_anchors_the_text_after_it(nlp: Any) -> None:
    doc = nlp("Leaders met on Friday (10 May) in Paris. On Wednesday, the minister resigned.")
    resolved, pending, anchors = scan_dates(doc, None, not_after=date(2026, 11, 22))
    assert [m.value.value for m in resolved] == ["2024-05-10", "2024-05-08"]
    assert not pending and anchors[0][1] == date(2024, 5, 10)


def test_relative_date_without_anchor_waits_for_one(nlp: Any) -> None:
    doc = nlp("The ministers spoke on Tuesday and met again last year.")
    resolved, pending, _ = scan_dates(doc, None)
    assert resolved == []
    assert [p.text for p in pending] == ["Tuesday", "last year"]


def test_statement_without_a_day_is_the_news_of_the_day() -> None:
    ex = run("Israeli Prime Minister Benjamin Netanyahu said in a statement that the operation in Gaza would go on.")
    statements = events_of(ex, "Statement")
    assert len(statements) == 1, ex.events  # the verb and its medium ("in a statement") are one statement
    assert statements[0].date == "2024-05-15"


def test_date_inside_the_reported_clause_is_not_the_statements() -> None:
    ex = run("Emmanuel Macron said on his X account that he had met Olaf Scholz on Sunday.")
    statement = events_of(ex, "Statement")[0]
    assert statement.date == "2024-05-15"  # the day of the saying, not Sunday's meeting


def test_statement_in_a_joint_statement_takes_its_date_and_the_leaders_as_speakers() -> None:
    ex = run("The leaders of France and Germany said in a joint statement issued on Monday that Kyiv must be heard.")
    statement = events_of(ex, "Statement")[0]
    assert {"France", "Germany"} <= names(ex, statement.agents)
    assert statement.date == "2024-05-13"


def test_undated_article_is_anchored_by_an_event_another_article_dates() -> None:
    dated = run("Joe Biden and Xi Jinping held a phone call on Tuesday, the White House said.", "2024-04-03", "a")
    undated = run("Joe Biden and Xi Jinping talked by phone on Tuesday. "
                  "On Sunday, Joe Biden told reporters that China's economy was weak.", None, "b")
    assert events_of(undated, "Statement")[0].date is None  # no anchor of its own
    resolved = resolve_events([dated, undated], resolve([dated, undated]))
    days = {e.date for e in resolved.events if "Statement" in e.classes}
    assert days == {"2024-03-31"}  # the Sunday before the call of Tuesday 2024-04-02


# -- parties --------------------------------------------------------------------------------------

def test_armed_forces_act_for_their_country() -> None:
    ex = run("Ukrainian forces attacked the Belgorod region on Monday.")
    attack = events_of(ex, "Attack")[0]
    assert names(ex, attack.agents) == {"Ukraine"}


def test_the_antecedent_of_a_relative_clause_is_the_agent() -> None:
    ex = run("Lavrov dismissed the Arab League bloc of states, from which Syria was expelled in 2011.")
    expulsion = events_of(ex, "Expulsion")[0]
    assert names(ex, expulsion.agents) == {"Arab League"}  # through "the ... bloc of states, from which"
    assert names(ex, expulsion.targets) == {"Syria"}
    assert expulsion.date == "2011"


def test_conditions_take_the_verb_subject_and_their_clause() -> None:
    ex = run("Vladimir Putin has set a string of conditions, including that Ukraine be barred from joining NATO.")
    proposal = events_of(ex, "Demand")[0]  # conditions are demands (the event types' Demand)
    assert names(ex, proposal.agents) == {"Vladimir Putin"}
    assert {"Ukraine", "NATO"} <= names(ex, proposal.targets)


def test_fired_up_is_no_attack_and_released_report_no_prisoner_release() -> None:
    ex = run("Senator Ted Cruz was fired up. The Pentagon released a report on Friday.")
    assert not events_of(ex, "Attack") and not events_of(ex, "PrisonerRelease")


def test_a_missile_fired_into_the_sea_is_a_test_and_one_fired_at_a_country_an_attack() -> None:
    ex = run("North Korea fired two cruise missiles into the Yellow Sea on Saturday. "
             "Hezbollah fired rockets into Israel overnight.")
    tests = events_of(ex, "WeaponsTest")
    assert [names(ex, t.agents) for t in tests] == [{"North Korea"}], ex.events
    attack = events_of(ex, "Attack")
    assert len(attack) == 1 and names(ex, attack[0].targets + attack[0].participants) == {"Israel"}


def test_agreeing_to_a_truce_makes_the_sides_its_parties_and_not_a_proposal() -> None:
    ex = run("Armenia and Azerbaijan agreed to a three-day truce on Friday.")
    assert not events_of(ex, "Proposal"), ex.events
    truce = events_of(ex, "Ceasefire")
    assert len(truce) == 1 and names(ex, truce[0].parties()) == {"Armenia", "Azerbaijan"}
    assert {(actor, stance) for actor, stance, _ in stances(ex)} == {("Armenia", "agreedTo"), ("Azerbaijan", "agreedTo")}


def test_suspending_aid_is_a_suspension_not_a_delivery() -> None:
    ex = run("The Netherlands froze development aid to Mali on Tuesday.")
    assert not events_of(ex, "AidDelivery"), ex.events
    suspension = events_of(ex, "AidSuspension")
    assert len(suspension) == 1 and names(ex, suspension[0].parties()) == {"Netherlands", "Mali"}


def test_a_threat_is_against_whom_the_threatened_act_would_hit() -> None:
    ex = run("China threatened to impose sanctions on Lithuania.")
    threat = events_of(ex, "Threat")
    assert len(threat) == 1 and names(ex, threat[0].targets) == {"Lithuania"}, ex.events


def test_protest_by_a_crowd_takes_its_place_and_target() -> None:
    ex = run("Tens of thousands of people protested in Tbilisi against Prime Minister Irakli Kobakhidze.")
    protest = events_of(ex, "Protest")
    assert len(protest) == 1 and names(ex, protest[0].parties()) == {"Tbilisi", "Irakli Kobakhidze"}, ex.events


def test_a_disaster_is_where_it_struck() -> None:
    ex = run("A powerful earthquake struck western Nepal late on Friday.")
    disaster = events_of(ex, "Disaster")
    assert len(disaster) == 1 and names(ex, disaster[0].locations) == {"Nepal"}, ex.events


def test_places_inside_the_object_and_the_clause_locate_the_event() -> None:
    ex = run("Former governor Rod Blagojevich pleaded guilty to corruption charges in Chicago. "
             "Leaders of ASEAN gathered in Jakarta for a summit.")
    plea = events_of(ex, "GuiltyPlea")
    assert len(plea) == 1 and names(ex, plea[0].locations) == {"Chicago"}, ex.events
    summit = events_of(ex, "Summit")
    assert len(summit) == 1 and "Jakarta" in names(ex, summit[0].locations), ex.events


def test_troops_sent_to_a_country_go_there() -> None:
    ex = run("Rwanda sent soldiers to Mozambique.")
    deployment = events_of(ex, "Deployment")
    assert len(deployment) == 1 and names(ex, deployment[0].parties()) == {"Rwanda", "Mozambique"}, ex.events


def test_an_event_one_is_ready_for_is_proposed_by_the_subject() -> None:
    ex = run("Venezuela said it was willing to resume talks with Guyana.")
    talks = events_of(ex, "Proposal")
    assert len(talks) == 1 and "Negotiation" in talks[0].classes, ex.events
    assert names(ex, talks[0].agents) == {"Venezuela"} and names(ex, talks[0].participants) == {"Guyana"}


def test_force_named_as_subject_hits_its_object_and_place() -> None:
    ex = run("Israeli airstrikes killed 12 people in Beirut on Thursday.")
    attack = events_of(ex, "Attack")
    assert len(attack) == 1 and names(ex, attack[0].agents) == {"Israel"}, ex.events
    assert names(ex, attack[0].locations) == {"Beirut"}


def test_a_court_is_where_its_jury_sits_and_a_vote_is_about_what_it_decides() -> None:
    ex = run("A jury in Brooklyn convicted George Santos of fraud. "
             "The Senate voted 51-49 to confirm Judge Emil Bove.")
    ruling = events_of(ex, "CourtRuling")
    assert len(ruling) == 1 and names(ex, ruling[0].parties()) == {"Brooklyn", "George Santos"}, ex.events
    vote = events_of(ex, "Vote")
    assert len(vote) == 1 and "Emil Bove" in names(ex, vote[0].targets), ex.events


def test_criticism_verbs_and_expulsions_need_no_preposition() -> None:
    ex = run("Senator Chuck Grassley lambasted the Internal Revenue Service. Moscow expelled two Latvian diplomats.")
    accusation = events_of(ex, "Accusation")
    assert len(accusation) == 1 and names(ex, accusation[0].targets) == {"Internal Revenue Service"}, ex.events
    expulsion = events_of(ex, "Expulsion")
    assert len(expulsion) == 1 and "Latvia" in names(ex, expulsion[0].parties()), ex.events


def test_launching_an_attack_is_the_attack_not_a_launch() -> None:
    ex = run("Iran launched a drone attack on Erbil.")
    assert [e.classes for e in ex.events] == [("Attack",)], ex.events


def test_a_group_is_the_name_its_clause_gives_it_and_examples_stand_for_their_noun() -> None:
    ex = run("The bank's servers were breached by a gang that calls itself Scattered Spider. "
             "Scattered Spider also hacked other executives, such as Microsoft's Satya Nadella and Amazon's Andy Jassy.")
    attacks = events_of(ex, "Cyberattack")
    assert attacks and all(names(ex, a.agents) == {"Scattered Spider"} for a in attacks), ex.events
    assert any(names(ex, a.targets) == {"Satya Nadella", "Andy Jassy"} for a in attacks), ex.events


def test_who_is_scheduled_to_act_acts() -> None:
    ex = run("Governor Josh Shapiro is scheduled to travel to Ohio on Monday.")
    visit = events_of(ex, "Visit")
    assert len(visit) == 1 and names(ex, visit[0].agents) == {"Josh Shapiro"}, ex.events
    assert "Josh Shapiro" not in names(ex, visit[0].targets)


def test_quitting_a_deal_is_a_withdrawal_and_quitting_alone_a_resignation() -> None:
    ex = run("Mali scrapped its defence agreement with France. Finance Minister Kwasi Kwarteng quit on Friday.")
    withdrawal = events_of(ex, "Withdrawal")
    assert len(withdrawal) == 1 and names(ex, withdrawal[0].parties()) >= {"Mali", "France"}, ex.events
    assert [names(ex, e.agents) for e in events_of(ex, "Resignation")] == [{"Kwasi Kwarteng"}]


def test_a_definite_role_description_is_the_person_named_with_that_role() -> None:
    ex = run("Prime Minister Keir Starmer met Mark Carney in Ottawa. Later the prime minister criticized Russia.")
    accusation = events_of(ex, "Accusation")
    assert len(accusation) == 1 and names(ex, accusation[0].agents) == {"Keir Starmer"}, ex.events


def test_events_called_for_or_denied_are_not_told_as_happening() -> None:
    ex = run("Labour renewed calls for a public inquiry into Boris Johnson. "
             "Critics pressed for an investigation into Rishi Sunak. This is not a Reform UK rally.")
    assert not events_of(ex, "Investigation") and not events_of(ex, "Meeting"), ex.events


def test_heading_to_a_place_is_a_visit_and_hosting_talks_the_talks() -> None:
    ex = run("Keir Starmer was heading to Kyiv on Thursday. Qatar hosted talks between Israel and Hamas.")
    assert names(ex, events_of(ex, "Visit")[0].parties()) == {"Keir Starmer", "Kyiv"}, ex.events
    talks = events_of(ex, "Negotiation")
    assert len(talks) == 1 and names(ex, talks[0].parties()) >= {"Israel", "Hamas"}, ex.events


def test_negation_covers_a_coordinated_verb_and_naming_an_event_is_not_doing_it() -> None:
    ex = run("The governor did not name Smith or openly criticize him. "
             "Viktor Orban has called the Brussels investigation a political stunt.")
    assert not events_of(ex, "Accusation"), ex.events
    assert all("Viktor Orban" not in names(ex, e.agents) for e in ex.events), ex.events


def test_a_country_an_inquiry_is_named_after_is_its_target() -> None:
    ex = run("The FBI expanded the China investigation on Monday.")
    inquiry = events_of(ex, "Investigation")
    assert len(inquiry) == 1 and names(ex, inquiry[0].targets) == {"China"}, ex.events


def test_a_participle_of_a_past_clause_is_news_of_the_month() -> None:
    ex = run("Emmanuel Macron drew large crowds while touring Nigeria alongside President Bola Tinubu.")
    visit = events_of(ex, "Visit")
    assert len(visit) == 1 and visit[0].date == "2024-05", ex.events


def test_sanctions_aimed_at_a_country_target_it_and_the_aim_is_no_event() -> None:
    ex = run("Britain announced sanctions aimed at forcing Iran to release detained sailors.")
    sanction = events_of(ex, "Sanction")
    assert len(sanction) == 1 and names(ex, sanction[0].targets) == {"Iran"}, ex.events
    assert not events_of(ex, "PrisonerRelease"), ex.events


def test_a_caption_names_who_met() -> None:
    ex = run("Giorgia Meloni and Ursula von der Leyen during a meeting on migration in Rome, Italy, on June 3.")
    meeting = events_of(ex, "Meeting")
    assert len(meeting) == 1 and names(ex, meeting[0].agents) == {"Giorgia Meloni", "Ursula von der Leyen"}, ex.events


def test_two_who_met_are_enough_for_a_verb_alone() -> None:
    ex = run("Narendra Modi and Shehbaz Sharif met on the sidelines of the summit.")
    meeting = events_of(ex, "Meeting")
    assert len(meeting) == 1 and names(ex, meeting[0].agents) == {"Narendra Modi", "Shehbaz Sharif"}, ex.events


def test_tariffs_raised_on_goods_target_their_country() -> None:
    ex = run("Indonesia raised tariffs on Australian beef. Brazil is charging steep tariffs to our Canadian farmers.")
    tariffs = events_of(ex, "Tariff")
    assert [names(ex, t.parties()) for t in tariffs] == [{"Indonesia", "Australia"}, {"Brazil", "Canada"}], ex.events


def test_she_is_not_a_man_named_just_before() -> None:
    ex = run("Kamala Harris met Justin Trudeau in Ottawa on Monday. She later criticized Pierre Poilievre.")
    accusation = events_of(ex, "Accusation")
    assert len(accusation) == 1 and names(ex, accusation[0].agents) == {"Kamala Harris"}, ex.events


def test_what_is_to_be_done_is_no_event() -> None:
    ex = run("There are serious questions to be investigated about Senator Bob Menendez and Nadine Menendez.")
    assert not events_of(ex, "Investigation"), ex.events


# -- merging mentions -----------------------------------------------------------------------------

def test_talks_and_call_of_the_same_leaders_are_one_event() -> None:
    ex = run("Emmanuel Macron held talks with Xi Jinping on Monday. "
             "Emmanuel Macron and Xi Jinping spoke for two hours in a phone call.")
    conversations = [e for e in ex.events if {"PhoneCall", "Negotiation"} & set(e.classes)]
    assert len(conversations) == 1, ex.events
    assert conversations[0].date == "2024-05-13"


def test_one_document_named_twice_is_one_statement() -> None:
    ex = run("A Pentagon statement said the drills with South Korea were over. But the Pentagon statement gave no details.")
    assert len(events_of(ex, "Statement")) == 1, ex.events


def test_no_agreement_is_no_event() -> None:
    ex = run("There was no agreement between Israel and Hamas on Sunday.")
    assert not events_of(ex, "Agreement")


# -- stances --------------------------------------------------------------------------------------
def test_the_day_of_a_stance_does_not_date_the_event_it_is_taken_on() -> None:
    ex = run("The European Union imposed sanctions on Belarus on Friday. Belarus denounced the sanctions on Sunday.")
    sanction = events_of(ex, "Sanction")
    assert len(sanction) == 1 and sanction[0].date == "2024-05-10", ex.events
    assert ("Belarus", "rejected", ("Sanction",)) in stances(ex)



def test_proposal_for_a_ceasefire_is_the_ceasefire_proposed() -> None:
    ex = run("Hamas accepted Egypt's proposal for a six-week ceasefire.")
    ceasefire = events_of(ex, "Ceasefire")
    assert len(ceasefire) == 1 and "Proposal" in ceasefire[0].classes, ex.events
    assert names(ex, ceasefire[0].agents) == {"Egypt"}
    assert stances(ex) >= {("Hamas", "agreedTo", ceasefire[0].classes), ("Egypt", "proposed", ceasefire[0].classes)}


def test_stance_wished_for_is_not_taken() -> None:
    ex = run("Kyiv said it expected Moscow to accept the ceasefire unconditionally.")
    assert not any(stance == "agreedTo" for _, stance, _ in stances(ex))


def test_welcoming_a_statement_is_no_stance() -> None:
    ex = run("Greek Prime Minister Kyriakos Mitsotakis welcomed the NATO statement on Tuesday.")
    assert not ex.stances


# -- merging events across articles --------------------------------------------------------------

def test_indexed_merge_finds_the_event_a_scan_of_all_earlier_events_finds() -> None:
    """`_merge` looks at a few candidates from its index; a scan of every earlier event must give
    the same events (random events over few classes, parties and days, so that many merge)."""
    import random
    from types import SimpleNamespace

    from newsgraph.extract.values import Event
    from newsgraph.resolve.events import _absorb, _globalise, _merge, _same, _shape

    rng = random.Random(4)
    classes = [("Statement",), ("Meeting",), ("Proposal",), ("Ceasefire", "Proposal"), ("Ceasefire",),
               ("Proposal", "Statement"), ()]
    days = [None, "2024", "2024-05", "2024-05-01", "2024-05-02"]

    def parties() -> tuple[str, ...]:
        return tuple(rng.sample("ABCDEF", rng.randint(0, 3)))

    articles = [(f"a{n:03d}", [Event(f"e{k}", rng.choice(classes), "x", parties(), parties(), parties(), (),
                                     rng.choice(days), None, ()) for k in range(rng.randint(1, 4))])
                for n in range(300)]
    resolution: Any = SimpleNamespace(entity_for=lambda aid, key: SimpleNamespace(
        key=key, entity_class="Country" if key in "EF" else "Person"))  # countries take part too

    def scan(articles: Any) -> list[Any]:
        merged: list[Any] = []
        for aid, events in articles:
            for event in events:
                candidate = _globalise(aid, event, resolution)
                i = next((i for i, home in enumerate(merged) if _same(_shape(home), _shape(candidate))), None)
                if i is None:
                    merged.append(candidate)
                else:
                    _absorb(merged[i], candidate)
                    merged[i].members.append((aid, event.key))
        return merged

    def described(events: Any) -> list[Any]:
        return [(sorted(e.members), e.classes, e.agents, e.participants, e.targets, e.date) for e in events]

    expected = described(scan(articles))
    assert len(expected) < sum(len(events) for _, events in articles) / 2  # the test merges a lot
    assert described(_merge(articles, resolution).events) == expected
