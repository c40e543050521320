"""Speakers resolved to the article's entities (newsgraph.extract.speakers).

The sentences are written for these tests in the style of wire copy; they are
not taken from any gold annotation.
"""
from __future__ import annotations

from typing import Any

import pytest

from newsgraph.extract.speakers import name_gender_score, title_changers


def speakers(nlp: Any, text: str) -> list[tuple[str, str | None]]:
    """(quoted words, speaker's name) of the direct quotes of `text`."""
    doc = nlp(text)
    names = {e.key: e.name for e in doc._.ng_entities}
    return [(q.text, names.get(q.speaker)) for q in doc._.ng_quotes if not q.indirect]


def test_first_names_have_a_gender() -> None:
    assert name_gender_score("Sarah") < 0 < name_gender_score("Kevin")
    assert name_gender_score("Qzxv") == 0.0
    assert "vice" in title_changers()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the pronoun agrees with the person's first name, not with the last person named
        (
            'Denver voter Karen Wilcox says Tom Harris is her first choice. '
            '"He gives us new hope," she added.',
            [("He gives us new hope", "Karen Wilcox")],
        ),
        (
            'Senator Mary Jones met Tom Blake on Monday. "We disagree," he said.',
            [("We disagree", "Tom Blake")],
        ),
        (
            'Senator Mary Jones met Tom Blake on Monday. "We disagree," she said.',
            [("We disagree", "Mary Jones")],
        ),
        # the article's own pronouns tell the gender of a name the table reads otherwise
        (
            "Alex Morgan, the mayor, said she would run again. She has led the city since 2019. "
            "Tom Blake, her rival, spoke later.\n\n"
            '"The city needs a change," she said.',
            [("The city needs a change", "Alex Morgan")],
        ),
        # a name in apposition to the subject is the salient one
        (
            'Rival candidate Tom Blake spoke first. Later, her husband John Miller said it was "a formal position". '
            'In an interview, he also said the city "is in trouble."',
            [("a formal position", "John Miller"), ("is in trouble.", "John Miller")],
        ),
        # a name inside a quotation is the speaker's word, not an antecedent of the attribution
        (
            'Tom Blake spoke on Monday. Blake said: "Governor Bill Reed will sign the law."\n\n'
            '"We will fight it," he added.',
            [("Governor Bill Reed will sign the law.", "Tom Blake"), ("We will fight it", "Tom Blake")],
        ),
        # "it" is never a person
        ('Tom Blake spoke on Monday.\n\n"The plan is dead," it said.', []),
    ],
)
def test_pronoun_speakers_agree(nlp: Any, text: str, expected: list[tuple[str, str | None]]) -> None:
    assert speakers(nlp, text) == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Defence attorney Laura Pratt spoke outside the court.\n\n"
            "“He is weighing all of his options,” Pratt said of her client.",
            [("He is weighing all of his options", "Laura Pratt")],
        ),
        (
            "Former finance chief Michael Ortiz pleaded guilty on Friday.\n\n"
            "“I plead guilty,” Ortiz, 58, told the judge.",
            [("I plead guilty", "Michael Ortiz")],
        ),
        (
            "Senator Jane Holt voted against the bill.\n\n"
            '"It is a bad law," said Holt.',
            [("It is a bad law", "Jane Holt")],
        ),
    ],
)
def test_bare_surname_is_the_person(nlp: Any, text: str, expected: list[tuple[str, str | None]]) -> None:
    assert speakers(nlp, text) == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title used before the name earlier in the article
        (
            "The talks were led by President Donald Trump and Vice President Mike Pence.\n\n"
            "“It was a great day,” the president said.",
            [("It was a great day", "Donald Trump")],
        ),
        # the modifiers of the description must fit
        (
            "Cuba sent Mariela Castro, the daughter of Cuban leader Raul Castro, "
            "to the funeral. The Cuban leader later said he wanted a “new season of dialogue.”",
            [("new season of dialogue.", "Raul Castro")],
        ),
        # a nameless spokesperson speaks for the organization named with them
        (
            "A Discord representative told reporters the server was removed.\n\n"
            "“Hacking violates our terms,” the representative said.",
            [("Hacking violates our terms", "Discord")],
        ),
        # no earlier phrase names anyone for the description: no speaker, no quote
        (
            "The storm hit the coast on Monday.\n\n“We lost everything,” the farmer said.",
            [],
        ),
    ],
)
def test_definite_descriptions_refer_back(nlp: Any, text: str, expected: list[tuple[str, str | None]]) -> None:
    assert speakers(nlp, text) == expected


HOLT = "Senator Jane Holt voted against the bill.\n\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("attribution", "expected"),
    [
        ('"It is a bad law," Holt told reporters.', [("It is a bad law", "Jane Holt")]),
        ('"It is a bad law," Holt tweeted.', [("It is a bad law", "Jane Holt")]),
        ('"It is a bad law," Holt argued.', [("It is a bad law", "Jane Holt")]),
        ('"It is a bad law," according to Holt.', [("It is a bad law", "Jane Holt")]),
        ('"It is a bad law," she explained in a statement.', [("It is a bad law", "Jane Holt")]),
        # a quotation continued over paragraphs keeps the speaker named at its end, or its start
        ("“The first thing is health care.\n\n“The second thing is jobs.\n\n“The third is schools,” Holt said.",
         [("The first thing is health care.", "Jane Holt"), ("The second thing is jobs.", "Jane Holt"),
          ("The third is schools", "Jane Holt")]),
        ("She said: “The first thing is health care.\n\n“The second thing is jobs. We need both.”",
         [("The first thing is health care.", "Jane Holt"), ("The second thing is jobs. We need both.", "Jane Holt")]),
        # a paragraph that is only a quotation continues the speaker of the one before
        ('"We will win this state," she said.\n\n"Nobody thought we could."',
         [("We will win this state", "Jane Holt"), ("Nobody thought we could.", "Jane Holt")]),
    ],
)
def test_reporting_verbs_after_the_quote(nlp: Any, attribution: str, expected: list[tuple[str, str | None]]) -> None:
    assert speakers(nlp, HOLT + attribution) == expected


@pytest.mark.slow
def test_they_is_an_organization_before_a_person(nlp: Any) -> None:
    assert speakers(nlp, 'Tom Blake praised Google on Monday.\n\n"We are growing fast," they said.') == [
        ("We are growing fast", "Google")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # coordinated speakers: the first named, the one the phrase hangs from
        ('"We stand together," said the leaders of Italy, Poland, Sweden and Greece, in a joint statement.',
         "Italy"),
        ('"We are ready," Japan and South Korea said in a statement.', "Japan"),
        # a possessor is not the speaker: its company is
        ('"We are growing," Google\'s parent company Alphabet said.', "Alphabet"),
        # a person wins over the country of their title
        ('"We are ready," Trump\'s lawyer Rudy Giuliani said.', "Rudy Giuliani"),
        # a spokesman speaks for an organization
        ('"We will respond," a spokesman for the Foreign Ministry said.', "Foreign Ministry"),
        ('"We are ready," Poland\'s Foreign Minister Radoslaw Sikorski said.', "Radoslaw Sikorski"),
    ],
)
def test_the_name_a_speaker_phrase_is_about(nlp: Any, text: str, speaker: str) -> None:
    assert [name for _, name in speakers(nlp, text)] == [speaker]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        'Michael Ortiz pleaded guilty. A defense attorney for Ortiz told reporters the deal includes "full cooperation."',
        'Michael Ortiz pleaded guilty. "It was a hard week," Ortiz\'s attorney said.',
    ],
)
def test_a_persons_lawyer_is_not_that_person(nlp: Any, text: str) -> None:
    assert speakers(nlp, text) == []
