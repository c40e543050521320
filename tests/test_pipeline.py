"""extract/pipeline.py: long texts keep their offsets, split_text is lossless, workers change nothing."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.extract.pipeline import MAX_PIECE, annotate, collect, extract_articles, split_text
from newsgraph.ingest.article import Article

NEWS = (
    "Vladimir Putin spoke with Donald Trump by phone on Tuesday. ",
    "The Kremlin said Russia would pause strikes on energy targets in Ukraine. ",
    "Volodymyr Zelensky welcomed the move in Kyiv but warned that attacks continued. ",
    "NATO ministers met in Brussels to discuss aid to Ukraine. ",
)
FILLER = (
    "The talks went on for more than an hour and both sides expressed hopes for progress. ",
    "Officials gave no further details about the timing of the next round. ",
)
NAMES = {"Vladimir Putin", "Donald Trump", "Kremlin", "Russia", "Ukraine", "Volodymyr Zelensky", "Kyiv",
         "NATO", "Brussels", "Putin", "Trump", "Zelensky"}


# ---------------------------------------------------------------- split_text (no model)

texts = st.text(st.sampled_from(list("ab .!?\n\t\u00a0\u2028é🌻")), max_size=400)


@settings(max_examples=400, deadline=None)
@given(text=texts, limit=st.integers(min_value=1, max_value=60))
def test_split_text_pieces_join_back_exactly(text: str, limit: int) -> None:
    pieces = split_text(text, limit=limit)
    assert "".join(pieces) == text
    assert all(len(p) <= limit for p in pieces)
    assert all(pieces) or pieces == [""]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("one. two. three.", 10, ["one. ", "two. ", "three."]),
        ("para one.\n\npara two is longer.", 25, ["para one.\n\n", "para two is longer."]),
        ("line one\nline two\nline three", 20, ["line one\nline two\n", "line three"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),  # no boundary at all: hard cut
        ("short", 100, ["short"]),
    ],
)
def test_split_text_prefers_the_best_boundary(text: str, limit: int, expected: list[str]) -> None:
    assert split_text(text, limit=limit) == expected


# ---------------------------------------------------------------- long texts (model)


@pytest.fixture(scope="module")
def long_article() -> Article:
    # one paragraph, a fifth longer than MAX_PIECE: two pieces (each costs ~10 s of CPU)
    cycle = "".join(s + FILLER[i % 2] for i, s in enumerate(NEWS))
    body = cycle * ((MAX_PIECE + MAX_PIECE // 5) // len(cycle) + 1)
    text = "Talks on energy strikes\n\n" + body.strip() + "\n"
    assert len(text) > MAX_PIECE and "\n" not in body
    return Article.create(text, identifier="long.txt", title="Talks on energy strikes", date="2025-03-19")


@pytest.fixture(scope="module")
def long_extraction(nlp: Any, long_article: Article) -> Any:
    (doc,) = annotate(nlp, [long_article])
    return doc, collect(doc, long_article)


@pytest.mark.slow
def test_long_text_doc_covers_the_whole_article(long_extraction: Any, long_article: Article) -> None:
    doc, _ = long_extraction
    assert len(doc.text) == len(long_article.text)
    assert doc.text.casefold() == long_article.text.casefold()  # the model may read a recased copy


@pytest.mark.slow
def test_long_text_mentions_index_the_original_text(long_extraction: Any, long_article: Article) -> None:
    doc, extraction = long_extraction
    text = long_article.text
    mentions = extraction.mentions
    assert len(mentions) > 250
    for m in mentions:
        assert m.text == text[m.start : m.end]
        assert m.text in NAMES, (m.start, m.end, m.text)
    # both pieces of the split text carry mentions, the last one too
    assert max(m.start for m in mentions) > MAX_PIECE + MAX_PIECE // 10
    for ent in doc.ents:
        assert text[ent.start_char : ent.end_char].casefold() == ent.text.casefold()


@pytest.mark.slow
def test_long_text_sentences_index_the_original_text(long_extraction: Any, long_article: Article) -> None:
    _, extraction = long_extraction
    text = long_article.text
    sentences = extraction.sentences
    assert len(sentences) > 1000
    previous_end = 0
    for s in sentences:
        assert s.text == text[s.start : s.end]
        assert s.start >= previous_end  # in order, no overlap
        previous_end = s.end
    bodies = {n.strip() for n in NEWS + FILLER}
    inside = [s.text for s in sentences[1:-1]]
    # sentences inside the body are the news sentences (a piece boundary may split one, not more)
    assert sum(t in bodies for t in inside) >= len(inside) - 4
    for m in extraction.mentions:
        s = sentences[m.sentence]
        assert s.start <= m.start and m.end <= s.end


# ---------------------------------------------------------------- workers


SMALL = (
    ("Putin and Trump agree on a pause",
     ("Vladimir Putin and Donald Trump agreed on Tuesday to pause strikes "
      "on Ukraine's energy grid, the Kremlin said."), "2025-03-19"),
    ("NATO meets",
     "NATO foreign ministers met in Brussels. Mark Rutte said aid to Ukraine would continue.", "2025-04-03"),
    ("Greenland",
     ("Donald Trump again said the United States wants Greenland, which is part of Denmark. "
      "Mette Frederiksen rejected the idea."), None),
    ("Zaporizhzhia",
     ("Russian forces control the Zaporizhzhia nuclear power plant in southern Ukraine, "
      "the IAEA said on Monday."), "2025-03-17"),
)


@pytest.fixture(scope="module")
def small_articles() -> list[Article]:
    return [
        Article.create(f"{title}\n\n{body}\n", identifier=f"small-{i}.txt", title=title, date=date)
        for i, (title, body, date) in enumerate(SMALL)
    ]


@pytest.mark.slow
def test_two_workers_give_the_same_extractions(nlp: Any, small_articles: list[Article]) -> None:
    one = list(extract_articles(small_articles, n_process=1))
    two = list(extract_articles(small_articles, n_process=2, batch_size=1))
    assert [e.article.id for e in two] == [a.id for a in small_articles]  # input order kept
    assert sum(len(e.mentions) for e in one) >= 8
    for a, b in zip(one, two):
        assert a == b, a.article.identifier


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [1, 3])
def test_batch_size_does_not_change_extractions(nlp: Any, small_articles: list[Article], batch_size: int) -> None:
    assert list(extract_articles(small_articles, batch_size=batch_size)) == list(
        extract_articles(small_articles, batch_size=16))
