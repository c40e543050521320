"""Page furniture glued into scraped article bodies is removed before NLP (issue 13).

The raw strings are short real snippets from the AllSides 2018-2020 dump (The Hill's
name cards, Reuters/AP/Getty credits, CNN's video player, NPR's image toggle, ...),
some with their headline runs shortened.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.ingest import Article, read_articles
from newsgraph.ingest.clean import clean_inline, clean_text
from newsgraph.ingest.widgets import strip_widgets

CARDS = [
    # The Hill: linked name, full legal name glued to headlines, closing MORE.
    (
        "President Trump Donald John TrumpGOP senators balk at lengthy impeachment trial "
        "Warren goes local in race to build 2020 movement 2020 Democrats make play for "
        "veterans' votes MORE on Thursday continued",
        "President Trump on Thursday continued",
    ),
    (
        "Senate Minority Leader Chuck Schumer Charles (Chuck) Ellis SchumerOvernight Health "
        "Care: Trump officials making changes to drug pricing proposal | House panel advances "
        "flavored e-cig ban | Senators press FDA tobacco chief on vaping ban MORE (D-N.Y.) said",
        "Senate Minority Leader Chuck Schumer (D-N.Y.) said",
    ),
    (
        "Rep. Ken Buck Kenneth (Ken) Robert BuckThe Hill's Morning Report - Sponsored by "
        "AdvaMed - House panel expected to approve impeachment articles Thursday MORE (R-Colo.) "
        "asked Mueller",
        "Rep. Ken Buck (R-Colo.) asked Mueller",
    ),
    (  # the card's last name followed by a space, not glued
        "House Majority Leader Steny Hoyer Steny Hamilton Hoyer Hoyer calls GOP efforts to out "
        "whistleblower 'despicable' Live coverage: House holds first public impeachment hearing "
        "MORE (D-Md.) told reporters",
        "House Majority Leader Steny Hoyer (D-Md.) told reporters",
    ),
    (  # the whole name repeated: the linked name ends at the first "Biden"
        "former Vice President Joe Biden Joe Biden Parnas: Trump threatened to withhold more "
        "than just military aid to Ukraine MORE and his son Hunter Biden",
        "former Vice President Joe Biden and his son Hunter Biden",
    ),
    (  # linked name glued to the card too
        "Rep. Antonio DelgadoAntonio Ramon DelgadoTrump impeachment calls snowball, putting "
        "pressure on Pelosi MORE (D-N.Y.) ousted former Rep. John Faso",
        "Rep. Antonio Delgado (D-N.Y.) ousted former Rep. John Faso",
    ),
    (  # no headlines, MORE glued
        "Chief of staff John Kelly John Francis KellyMORE is on thin ice",
        "Chief of staff John Kelly is on thin ice",
    ),
    (
        "worked on former Secretary of State Hillary Clinton Hillary Diane Rodham ClintonBiden "
        "opens widest lead over Trump in online betting markets MORE's 2016 presidential campaign",
        "worked on former Secretary of State Hillary Clinton's 2016 presidential campaign",
    ),
    (
        "Senate Majority Leader Mitch McConnell Addison (Mitch) Mitchell McConnellSenate "
        "confirms Trump judge MORE (R-Ky.) over the rules",
        "Senate Majority Leader Mitch McConnell (R-Ky.) over the rules",
    ),
    (
        "the one which actually elected Bill de Blasio Bill de BlasioConservatives must "
        "absolutely talk politics at the Thanksgiving table MORE.",
        "the one which actually elected Bill de Blasio.",
    ),
    (  # two cards in one sentence
        "Sens. Cory Booker Cory Anthony BookerGOP senator blasts Dem bill MORE (D-N.J.) and "
        "Elizabeth Warren Elizabeth Ann WarrenWarren goes local in race to build 2020 movement "
        "MORE (D-Mass.) are backing the legislation.",
        "Sens. Cory Booker (D-N.J.) and Elizabeth Warren (D-Mass.) are backing the legislation.",
    ),
]

CREDITS = [
    (
        "U.S. President Donald Trump delivers remarks at the Latino Coalition Legislative "
        "Summit in Washington, U.S., March 7, 2018. REUTERS/Kevin Lamarque",
        "U.S. President Donald Trump delivers remarks at the Latino Coalition Legislative "
        "Summit in Washington, U.S., March 7, 2018.",
    ),
    (
        "FILE PHOTO: A White House staffer walks past, U.S., November 7, 2018. "
        "REUTERS/Jonathan Ernst/File Photo",
        "FILE PHOTO: A White House staffer walks past, U.S., November 7, 2018.",
    ),
    (
        "People protest for immigration reform in Los Angeles, California, U.S. January 22, "
        "2018. REUTERS/Lucy Nicholson",
        "People protest for immigration reform in Los Angeles, California, U.S. January 22, 2018.",
    ),
    (
        "Akintunde Akinleye/Reuters/File A power official works on an electric pole along a "
        "street in Lagos.",
        "A power official works on an electric pole along a street in Lagos.",
    ),
    (
        "Georgia Govenor Brian Kemp reacts after appearing at his election night party in "
        "Athens, Ga., November 7, 2018. (Chris Aluka Berry/Reuters)",
        "Georgia Govenor Brian Kemp reacts after appearing at his election night party in "
        "Athens, Ga., November 7, 2018.",
    ),
    (
        "An injured man is carried to a hospital, officials said. (AP Photo/Rahmat Gul)",
        "An injured man is carried to a hospital, officials said.",
    ),
    (
        "President Donald Trump, center, in 2018. (AP Photo/Evan Vucci, File)",
        "President Donald Trump, center, in 2018.",
    ),
    (
        "Chinese President Xi Jinping and President Donald Trump in Beijing, on May 9, 2019. "
        "(Photo: Andy Wong/AP)",
        "Chinese President Xi Jinping and President Donald Trump in Beijing, on May 9, 2019.",
    ),
    (
        "Facebook Twitter Pinterest Roger Stone in Washington. Photograph: Shawn Thew/EPA",
        "Roger Stone in Washington.",
    ),
    (
        "Former U.S. Rep. Beto O'Rourke speaks in Miami, Florida, U.S., June 26, 2019. "
        "Mike Segar | Reuters",
        "Former U.S. Rep. Beto O'Rourke speaks in Miami, Florida, U.S., June 26, 2019.",
    ),
    (
        "Bernie Sanders warms up before a softball game with staff in Iowa. "
        "| Joshua Lott/Getty Images",
        "Bernie Sanders warms up before a softball game with staff in Iowa.",
    ),
    (  # Politico: a teaser of another story follows the credit
        "DNC Chair Tom Perez. | Wilfredo Lee/AP Photo 2020 democratic debates DNC set to "
        "squeeze Dem debate stage again",
        "DNC Chair Tom Perez.",
    ),
    (
        "Families wait to be transported in Los Ebanos, Texas. John Moore/Getty Images",
        "Families wait to be transported in Los Ebanos, Texas.",
    ),
    (
        "Xi Jinping at the closing of the National People's Congress in March 2018. "
        "Photographer: Giulia Marchi/Bloomberg",
        "Xi Jinping at the closing of the National People's Congress in March 2018.",
    ),
    (
        "Justice Stephen Breyer and Chief Justice John Roberts. Photo illustration by Slate. "
        "Photo by Chip Somodevilla/Getty Images.",
        "Justice Stephen Breyer and Chief Justice John Roberts.",
    ),
    (
        "Traffic making its way through the city, March 28, 2019. © 2019 AP Photo/Mary Altaffer",
        "Traffic making its way through the city, March 28, 2019.",
    ),
    (
        "Justices pose for their group photo on Nov. 30 in Washington, "
        "Jabin Botsford/the Washington Post via Getty Images",
        "Justices pose for their group photo on Nov. 30 in Washington",
    ),
    (
        "Omar speaks to supporters in Minneapolis on Nov. 6, 2018. | Tom Williams/CQ Roll Call; "
        "KEREM YUCEL/AFP/Getty Images",
        "Omar speaks to supporters in Minneapolis on Nov. 6, 2018.",
    ),
    ("Photographer: John Moore/Getty Images Photographer: John Moore/Getty Images", ""),
    ("(Jonathan Ernst/Reuters)", ""),
    ("Enlarge this image toggle caption Mike Wren/AP Mike Wren/AP", ""),
    (
        "Enlarge this image toggle caption Saul Loeb/AFP via Getty Images "
        "Saul Loeb/AFP via Getty Images",
        "",
    ),
]

BOILERPLATE = [
    (
        "JUST WATCHED Trump may invite Kim Jong Un to the US Replay More Videos ... MUST WATCH "
        "Trump may invite Kim Jong Un to the US 02:28",
        "",
    ),
    ("ADVERTISEMENT", ""),
    ("Advertisement", ""),
    ("Story Continued Below", ""),
    ("Slideshow (2 Images)", ""),
    ("Loading...", ""),
    ("SHARE THIS ARTICLE Share Tweet Post Email", ""),
    ("Share this: Pocket", ""),
    ("READ MORE:", ""),
    ("Read more: St. Louis Fed’s Waller Joins Bullard in a Dovish Duo at the Fed", ""),
    ("SEE ALSO: GOP’s Amash: Trump has met ‘threshold for impeachment’", ""),
    ("Related: Gary Cohn's exit stokes fears that Trump will fight a trade war", ""),
    (
        "No one can pretend Facebook is just harmless fun any more | Ellie Mae O’Hagan Read more",
        "",
    ),
    ("Sign up for Daily Newsletters Manage Newsletters", ""),
    (
        "Get the Monitor Stories you care about delivered to your inbox. By signing up, you "
        "agree to our Privacy Policy",
        "",
    ),
    (
        "Something to Consider If you enjoyed this article, we have a proposition for you: "
        "Join NRPLUS. Members get all of our content, no paywalls. LEARN MORE",
        "",
    ),
    (
        "the plant sprayed manureAlexandria residents said",
        "the plant sprayed manure Alexandria residents said",
    ),
    ("as the governor saidCalifornia would wait", "as the governor said California would wait"),
]


@pytest.mark.parametrize("raw, clean", CARDS + CREDITS + BOILERPLATE, ids=repr)
def test_widgets_are_removed(raw: str, clean: str) -> None:
    assert strip_widgets(raw) == clean
    assert clean_text(raw) == clean


NORMAL = "\n\n".join([
    "WASHINGTON (Reuters) - Florida Gov. Ron DeSantis said on Tuesday that McDonald's "
    "would reopen.",
    "LeBron James posted a YouTube video filmed on his iPhone, and the MacArthur Foundation's "
    "grant went to PolitiFact and BuzzFeed News.",
    "House Speaker Nancy Pelosi (D-Calif.) told Reuters in an interview that a Reuters/Ipsos "
    "poll and an AP/NORC survey showed more support.",
    "\"We are the 'piggy bank' that everyone wants to raid. NO MORE!\" Trump wrote to "
    "@realDonaldTrump followers. Trump Tower stayed open.",
    "Biden thanked Joe Biden's staff; Sen. Mitch McConnell (R-Ky.) and Rep. Alexandria "
    "Ocasio-Cortez (D-N.Y.) spoke. We need MORE investment, not less.",
    "More than 8 million people signed up for coverage, and the eBay and WhatsApp apps "
    "(not antiSemitism) were named in the photo caption debate.",
    "Read more about the plan in the report, officials said.",
])


def test_normal_article_is_unchanged() -> None:
    assert clean_text(NORMAL) == NORMAL
    for line in NORMAL.split("\n"):
        assert strip_widgets(line) == line


def test_titles_and_other_inline_values_keep_their_words() -> None:
    assert clean_inline("Read more") == "Read more"
    assert clean_inline("Advertisement") == "Advertisement"


def test_whole_article_is_cleaned_and_offsets_point_into_it(tmp_path: Path) -> None:
    body = (
        "President Trump Donald John TrumpGOP senators balk at lengthy impeachment trial MORE "
        "on Thursday continued his attacks.\n\nADVERTISEMENT\n\n"
        "Trump speaks in Washington, March 7, 2018. REUTERS/Kevin Lamarque\n\n"
        "JUST WATCHED Trump may invite Kim Replay More Videos ... MUST WATCH "
        "Trump may invite Kim 02:28"
        "\n\nThe talks went on."
    )
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": body, "source": "The Hill"}) + "\n", encoding="utf-8")
    (article,) = read_articles([path])
    assert isinstance(article, Article)
    expected = ("President Trump on Thursday continued his attacks.\n\n"
                "Trump speaks in Washington, March 7, 2018.\n\nThe talks went on.")
    assert article.text == expected
    assert article.text[article.text.index("Thursday"):][:8] == "Thursday"
    assert clean_text(article.text) == article.text  # same id when read again


_FRAGMENTS = [
    "Trump", "Donald", "John", "TrumpGOP", "MORE", "MORE’s", "KellyMORE", "(Chuck)", "Joe",
    "Biden",
    "de", "the", "|", "REUTERS/Kevin", "Lamarque", "(AP", "Photo/Evan", "Vucci)", "Photo:",
    "Photograph:", "Getty", "Images", "Ann/Reuters", "JUST", "WATCHED", "Replay", "More",
    "Videos", "...", "MUST", "WATCH", "02:28", "Enlarge", "this", "image", "toggle", "caption",
    "Read", "more", "Related:", "Sign", "up", "newsletter", "saidCalifornia", ".", "said", "\n",
    "Advertisement", "ADVERTISEMENT", "Facebook", "Twitter", "Pinterest", "LEARN", "Join",
]


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40))
@settings(max_examples=300, deadline=None)
def test_widget_removal_is_idempotent(words: list[str]) -> None:
    text = clean_text(" ".join(words))
    assert clean_text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "MORE " * 200_000,
        "Ann Bob Ann BobX MORE " * 40_000,
        ("Ann Bob Cid Dan " * 300 + "MORE ") * 150,
        "(Photo: " * 100_000,
        "Ann Bob/Reuters " * 50_000,
        "JUST WATCHED " * 50_000 + "Replay More Videos ... MUST WATCH",
        "toggle caption " * 50_000,
    ],
    ids=["mores", "cards", "long-runs", "open-credits", "credits", "players", "toggles"],
)
def test_widget_removal_is_linear(text: str) -> None:
    start = time.perf_counter()
    clean_text(text)
    assert time.perf_counter() - start < 5


def test_no_rule_is_keyed_to_a_name() -> None:
    """The same card shape with invented names is removed the same way."""
    raw = "Gov. Ann Zorb Annabel (Ann) Q. ZorbBudget talks stall | Vote delayed MORE (X-Y.) said."
    assert strip_widgets(raw) == "Gov. Ann Zorb (X-Y.) said."
    assert not re.search(r"[a-z][A-Z]", strip_widgets(raw))
