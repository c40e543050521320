"""Quotations and their speakers (newsgraph.extract.quotes).

The sentences are written for these tests in the style of wire copy; they are
not taken from the gold annotations.
"""
from __future__ import annotations

import logging
import sys
from typing import Any

import pytest

from newsgraph.extract.quotes import QuoteSpan, find_posts, find_quotes, find_stretches, reporting_lexicon


def stretches(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_stretches(text)]


# --------------------------------------------------------------------------- marks (no model)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We are ready,” he said.", ["We are ready"]),
        ('"We are ready," he said.', ["We are ready"]),
        ("‘We are ready,’ he said.", ["We are ready"]),
        # apostrophes are not quotation marks
        ("Russia’s army and the ’90s-era treaty.", []),
        ("‘Russia’s demands are unacceptable,’ the envoy said.", ["Russia’s demands are unacceptable"]),
        ("The senators’ talks went on. ‘It was long,’ one said.", ["It was long"]),
        ("rock ‘n’ roll is back", []),
        # nested quotations belong to the outer one
        ("“He told me ‘no’ twice,” she said.", ["He told me ‘no’ twice"]),
        # a quotation continued in the next paragraph is reopened there
        ("“The first part.\n“The second part,” he said.", ["The first part.", "The second part"]),
        # ... or right after a finished sentence when the break was lost
        ('She wrote: "One thing. "Another thing." Then she left.', ["One thing.", "Another thing."]),
        # mixed curly and straight marks (pasted text)
        ("“It worked very well,\" Trump said.", ["It worked very well"]),
        # two single quotes used as one double quote
        ("the ‘‘war on drugs.’’ He", ["war on drugs."]),
        # unbalanced: nothing
        ('He said "this will never end. Then he left.', []),
        ("“This goes on\nand on in the next paragraph.", []),
        ('The deal is done," officials said.', []),
        ("", []),
    ],
)
def test_quotation_marks(text: str, expected: list[str]) -> None:
    assert stretches(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The mayor spoke.\n\nWe will rebuild the bridge. \u2014 Jane Roe (@janeroe) May 1, 2020\n\nMore.",
            [("We will rebuild the bridge.", "Jane Roe")],
        ),
        # the link of a picture is not part of the words
        (
            "Rain all day here pic.twitter.com/Ab12Cd \u2014 City of Tulsa (@CityofTulsa) June 3, 2019",
            [("Rain all day here", "City of Tulsa")],
        ),
        # a dash and a name without a handle and a date is no signature
        ("We will rebuild. \u2014 Jane Roe, mayor", []),
        ("Prices rose 3% \u2014 the most since (@2019) data began.", []),
    ],
)
def test_embedded_posts(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[p.start : p.end], text[p.name_start : p.name_end]) for p in find_posts(text)] == expected


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("WASHINGTON (Reuters) - The talks ended.", "WASHINGTON (Reuters) -"),
        ("SEOUL, South Korea (AP) — The talks ended.", "SEOUL, South Korea (AP) —"),
        ("NEW YORK — The talks ended.", "NEW YORK —"),
        ("Intro.\nWashington (CNN) The talks ended.", "Washington (CNN)"),
        # a capitalised subject and a dash, or a parenthesis, are no dateline
        ("Mayor Smith — who had resigned — spoke.", None),
        ("The (small) cat sat.", None),
    ],
)
def test_datelines(text: str, dateline: str | None) -> None:
    import spacy

    from newsgraph.extract.quotes import dateline_ends

    found = [text[a:b] for a, b in dateline_ends(spacy.blank("en")(text)).items()]
    assert found == ([dateline] if dateline else [])


def test_unbalanced_marks_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="newsgraph.extract"):
        assert stretches('He said "this will never end. Then he left.') == []
    assert any("not closed" in r.getMessage() for r in caplog.records)


def _python_lines_run(fn, *args) -> int:  # type: ignore[no-untyped-def]
    """How many lines of newsgraph code `fn(*args)` executes: a deterministic measure of work.

    Wall-clock ratios flake on a loaded CI machine; a line count does not.
    """
    count = 0

    def tracer(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal count
        if "newsgraph" not in frame.f_code.co_filename:
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn(*args)
    finally:
        sys.settrace(None)
    return count


def test_marks_scale_linearly() -> None:
    paragraph = '“We are ready,” he said. The ’90s were different. "Yes," she said.\n'
    small, big = paragraph * 100, paragraph * 2000
    assert len(stretches(small)) == 200 and len(stretches(big)) == 4000
    work_small = _python_lines_run(find_stretches, small)
    work_big = _python_lines_run(find_stretches, big)
    # 20x the text: linear work is ~20x; anything quadratic would be ~400x.
    assert work_big <= 25 * work_small, (work_small, work_big)


def test_lexicon_comes_from_the_data_file() -> None:
    lex = reporting_lexicon()
    assert lex.lemma_of_form["told"] == "tell"
    assert "say" in lex.indirect and "call" not in lex.indirect
    assert "statement" in lex.source_nouns


# --------------------------------------------------------------------------- with the model


@pytest.fixture(scope="module")
def parse() -> Any:
    from newsgraph.extract.pipeline import load_pipeline

    nlp = load_pipeline()  # cached: loaded once per process
    return nlp


def direct(parse: Any, text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker_text) for q in find_quotes(parse(text)) if not q.indirect]


def indirect(parse: Any, text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker_text) for q in find_quotes(parse(text)) if q.indirect]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # quote first, then the speaker
        (
            "“We will not give up an inch of our land,” the defence minister said on Friday.",
            [("We will not give up an inch of our land", "the defence minister")],
        ),
        # inverted attribution with an apposition after the name
        (
            '"The talks were constructive," said Maria Lopez, a spokeswoman for the ministry.',
            [("The talks were constructive", "Maria Lopez")],
        ),
        # speaker first, colon
        (
            'The prime minister said: "Our door remains open."',
            [("Our door remains open.", "The prime minister")],
        ),
        # a partial quotation inside the reported clause
        (
            'Senator Jane Holt told reporters that the bill was "dead on arrival".',
            [("dead on arrival", "Senator Jane Holt")],
        ),
        (
            "The White House said the leaders had agreed to “work quickly” towards a deal.",
            [("work quickly", "The White House")],
        ),
        # a quotation of two sentences
        (
            "“The vote was close. We respect the result,” Mayor Tom Reed said.",
            [("The vote was close. We respect the result", "Mayor Tom Reed")],
        ),
        # one quotation split by its attribution
        (
            "“We are ready,” he said, “but we need more time.”",
            [("We are ready", "he"), ("but we need more time.", "he")],
        ),
        # the next quoted sentence continues the speaker
        (
            "“We are ready,” she said. “The next step is up to them.”",
            [("We are ready", "she"), ("The next step is up to them.", "she")],
        ),
        # single quotation marks (house style) around a word with an apostrophe
        (
            "‘Russia’s demands are unacceptable,’ the envoy said.",
            [("Russia’s demands are unacceptable", "the envoy")],
        ),
        # a paragraph printed in capitals
        ("“THE CEASEFIRE MUST HOLD AT ALL COSTS,” SHE SAID.", [("THE CEASEFIRE MUST HOLD AT ALL COSTS", "SHE")]),
        # a participle takes the subject of its verb
        ('He mocked the plan, saying it was "a joke".', [("a joke", "He")]),
        # "according to"
        ('"The damage is extensive," according to the fire department.', [("The damage is extensive", "the fire department")]),
        # a document speaks for the one who issued it
        ('A Kremlin statement said the talks had been "useful".', [("useful", "Kremlin")]),
        # a quoted name is not a quotation
        ('He wrote in a "Truth Social" post that the deal was done.', []),
        ('The law protects young "Dreamer" immigrants.', []),
        # a partial quotation as the object of an accusation, and the accuser
        ('The senator accused the governor of spreading "outright lies" on Tuesday.',
         [("outright lies", "The senator")]),
        # object control: the one prompted to accuse is the speaker, not the prompter
        ('The vote prompted the opposition Labour Party to accuse the government of "a betrayal of voters".',
         [("a betrayal of voters", "the opposition Labour Party")]),
        ("The crowd chanted “We want peace” as the convoy passed.", [("We want peace", "The crowd")]),
        ("The singer also blamed a leak on her laptop on her “repair shop.”", [("repair shop.", "The singer")]),
        # words quoted in what a named person's comments or statement say
        ("Macron’s comments Monday -- including that a pact has a “real chance of success” -- were new.",
         [("real chance of success", "Macron")]),
        ('Kim\'s statement that "peace is near" surprised diplomats.', [("peace is near", "Kim")]),
        # a participle the parser left without a subject takes the name opening the clause before it
        ("In remarks seen as a hint of a reprieve, Johnson praised Miller, saying he “stood firm” "
         "and “never told lies in order to get a break.”",
         [("stood firm", "Johnson"), ("never told lies in order to get a break.", "Johnson")]),
        # a quoted name is no quotation
        ("The row spoiled what Seoul called the “Peace Games.”", []),
        ("The mayor called the plan “A Gift To Developers.”", [("A Gift To Developers.", "The mayor")]),
        # a quoted name before a noun is still no quotation
        ("The mayor’s “Clean Streets” plan was approved.", []),
        # a dateline names a place, never the speaker, and is no part of the quote
        ("TOKYO (AP) — “The South must wait,” Japanese Prime Minister Shinzo Abe said.",
         [("The South must wait", "Japanese Prime Minister Shinzo Abe")]),
        ("NEW YORK — Officials said the storm was “the worst in a century.”",
         [("the worst in a century.", "Officials")]),
        ('Washington (CNN) Senate leaders said on Friday the vote was "a win for families."',
         [("a win for families.", "Senate leaders")]),
        # no quotation marks, no direct quote
        ("Russia’s foreign ministry criticised the ’90s-era treaty on Monday.", []),
    ],
)
def test_direct_quotes(parse: Any, text: str, expected: list[tuple[str, str | None]]) -> None:
    assert direct(parse, text) == expected


@pytest.mark.slow
def test_embedded_post_is_a_quote(parse: Any) -> None:
    text = ("The council met on Monday.\n\n"
            "The bridge will reopen on Friday. \u2014 Jane Roe (@janeroe) May 1, 2020\n\n"
            "Residents welcomed the news.")
    assert direct(parse, text) == [("The bridge will reopen on Friday.", "Jane Roe")]
    # a post the prose already quotes whole is one quotation, not two
    text = ("“The bridge will reopen on Friday,” Roe wrote on Twitter.\n\n"
            "The bridge will reopen on Friday. \u2014 Jane Roe (@janeroe) May 1, 2020")
    assert direct(parse, text) == [("The bridge will reopen on Friday", "Roe")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a sentence about a named person introduces the quotation after it
        ("Senator Elizabeth Warren was blunt about the deal.\n\n“It is a disaster for farmers.”",
         [("It is a disaster for farmers.", "Senator Elizabeth Warren")]),
        ("Ronald Reagan had harsh words for the Soviet Union early in his presidency. “... an evil empire.”",
         [("... an evil empire.", "Ronald Reagan")]),
        # not when the sentence before is about something else ...
        ("The agreement was reached in Geneva. “The crisis is over.”", [("The crisis is over.", None)]),
        # ... nor when something intervenes after the last attributed quotation
        ("Senator Elizabeth Warren visited Iowa on Monday. “We will win,” she said. The crowd cheered."
         "\n\n“Nobody thought we could.”",
         [("We will win", "she"), ("Nobody thought we could.", None)]),
    ],
)
def test_quotation_introduced_by_the_sentence_before(parse: Any, text: str, expected: list[tuple[str, str | None]]) -> None:
    assert direct(parse, text) == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the speaker quotes someone else: the inner words are the other person's
        ("The senator said, “My opponent called the bill ‘a disaster’ last week.”",
         [("My opponent called the bill ‘a disaster’ last week.", "The senator"), ("a disaster", "My opponent")]),
        ("The senator said, \"My opponent called the bill 'a disaster' last week.\"",
         [("My opponent called the bill 'a disaster' last week.", "The senator"), ("a disaster", "My opponent")]),
        # the speaker quoting themselves, or a word in scare quotes: no second quotation
        ("“I told them ‘no’ twice,” she said.", [("I told them ‘no’ twice", "she")]),
        # straight apostrophes are not quotation marks
        ("The senator said, \"The voters' anger is real and it's growing.\"",
         [("The voters' anger is real and it's growing.", "The senator")]),
    ],
)
def test_nested_quotations(parse: Any, text: str, expected: list[tuple[str, str | None]]) -> None:
    assert direct(parse, text) == expected


@pytest.mark.slow
def test_headline_attribution(parse: Any) -> None:
    quotes = direct(parse, 'Donald Tusk: "We must stay united."\n\nEurope is worried.')
    assert quotes == [("We must stay united.", "Donald Tusk")]


@pytest.mark.slow
def test_quote_continued_in_next_paragraph(parse: Any) -> None:
    text = (
        "“The first thing we need is a ceasefire that holds.\n"
        "“The second is a process that everyone trusts,” the mediator said."
    )
    assert direct(parse, text) == [
        ("The first thing we need is a ceasefire that holds.", "the mediator"),
        ("The second is a process that everyone trusts", "the mediator"),
    ]


@pytest.mark.slow
def test_offsets_and_confidence(parse: Any) -> None:
    text = "“We had a long call,” Trump said. “It was a good call.”"
    doc = parse(text)
    first, second = find_quotes(doc)
    assert isinstance(first, QuoteSpan)
    assert text[first.start : first.end] == first.text == "We had a long call"
    assert first.speaker_start is not None and first.speaker_end is not None
    assert text[first.speaker_start : first.speaker_end] == "Trump"
    assert first.cue == "say" and not first.indirect
    assert second.speaker_text == "Trump" and second.confidence < first.confidence


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Zelenskyy said his country would back the proposal.",
            [("his country would back the proposal", "Zelenskyy")],
        ),
        ("The army said that the strikes would continue.", [("the strikes would continue", "The army")]),
        ("The strikes would continue through the winter, the army said.",
         [("The strikes would continue through the winter", "the army")]),
        ("Trump told Fox News that aid was not discussed.", [("aid was not discussed", "Trump")]),
        ("According to the ministry, the talks had collapsed.", [("the talks had collapsed", "the ministry")]),
        # negated reports and questions are not reported statements
        ("The minister did not say that the talks had failed.", []),
        ("Reporters asked whether the talks had failed.", []),
        # a verb of thinking is not a verb of saying
        ("Analysts believe the talks have failed.", []),
    ],
)
def test_indirect_speech(parse: Any, text: str, expected: list[tuple[str, str | None]]) -> None:
    assert indirect(parse, text) == expected


@pytest.mark.slow
def test_direct_quote_is_not_repeated_as_indirect(parse: Any) -> None:
    quotes = find_quotes(parse("“The talks will resume next week,” the envoy said."))
    assert [(q.text, q.indirect) for q in quotes] == [("The talks will resume next week", False)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        'He said "this will never end. Then he left without another word.',
        "“This goes on\nand on, and the speaker is never named.",
        'The deal is done," officials said on Monday.',
        "",
        "“”",
        '" " " "',
    ],
)
def test_bad_marks_give_no_wrong_quote(parse: Any, text: str) -> None:
    quotes = find_quotes(parse(text))
    assert [q for q in quotes if not q.indirect] == []


@pytest.mark.slow
def test_very_long_sentence_is_skipped(parse: Any, caplog: pytest.LogCaptureFixture) -> None:
    text = 'Officials said the list included ' + "names, " * 1500 + 'and "other items" that were kept.'
    with caplog.at_level(logging.WARNING, logger="newsgraph.extract"):
        quotes = find_quotes(parse(text))
    assert all(q.text != "other items" for q in quotes)
    assert any("token" in r.getMessage() for r in caplog.records)


def test_doc_without_parse_gives_nothing(caplog: pytest.LogCaptureFixture) -> None:
    import spacy

    doc = spacy.blank("en")('"We are ready," he said.')
    with caplog.at_level(logging.WARNING, logger="newsgraph.extract"):
        assert find_quotes(doc) == []
    assert caplog.records
