"""Every evidence anchor of a whole build is the article text at its offsets, trimmed, inside its sentence."""
from __future__ import annotations

import gzip
import itertools
import os
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

import newsgraph
from newsgraph.graph import iris
from newsgraph.ontology import NG

pytestmark = pytest.mark.slow

ALLSIDES = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides-news-2018-2020" / "articles.jsonl.gz"
N_ARTICLES = int(os.environ.get("NEWSGRAPH_ANCHOR_ARTICLES", "30"))  # 200 in the measure


def anchor_problems(ds: Dataset, texts: dict[URIRef, str]) -> list[str]:
    """One line per evidence whose anchor is not what its offsets and sentence say."""
    problems = []
    for ev, _, anchor, _ in ds.quads((None, NG.anchorText, None, None)):
        start = ds.value(ev, NG.startChar)
        end = ds.value(ev, NG.endChar)
        article = ds.value(ev, NG.inArticle)
        if start is None or end is None or article not in texts:
            continue
        text = texts[article]
        s, e, a = int(start), int(end), str(anchor)
        if text[s:e] != a:
            problems.append(f"{ev}: anchor {a[:40]!r} but text at {s}-{e} is {text[s:e][:40]!r}")
        elif a != a.strip():
            problems.append(f"{ev}: anchor {a[:40]!r} not trimmed")
        sentence = ds.value(ev, NG.inSentence)
        if sentence is not None:
            ss, se = int(ds.value(sentence, NG.startChar)), int(ds.value(sentence, NG.endChar))
            if not (ss <= s and e <= se):
                problems.append(f"{ev}: anchor {s}-{e} {a[:30]!r} outside its sentence {ss}-{se}")
            elif text[ss:se] != str(ds.value(sentence, NG.sentenceText)):
                problems.append(f"{sentence}: sentence text is not the article text at {ss}-{se}")
    return problems


@pytest.mark.skipif(not ALLSIDES.exists(), reason="the shared AllSides data is not mounted")
def test_every_anchor_of_an_allsides_build_is_the_text_at_its_offsets(tmp_path: Path) -> None:
    sample = tmp_path / "allsides.jsonl"
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as lines:
        sample.write_text("".join(itertools.islice(lines, N_ARTICLES)), encoding="utf-8")
    result = newsgraph.build([sample], check_shapes=False)
    assert result.stats.articles == N_ARTICLES
    texts = {iris.article_iri(e.article.id): e.article.text for e in result.extractions}
    evidence = sum(1 for _ in result.dataset.quads((None, NG.anchorText, None, None)))
    assert evidence > 1000
    problems = anchor_problems(result.dataset, texts)
    assert not problems, f"{len(problems)} of {evidence} anchors:\n" + "\n".join(problems[:20])


def test_an_anchor_after_a_blank_line_points_into_its_own_sentence(tmp_path: Path) -> None:
    text = ("Officials in Lisbon said on Monday that the port would reopen.\n\n"
            "Portuguese Prime Minister Antonio Costa visited the port on Tuesday.")
    path = tmp_path / "lisbon.txt"
    path.write_text(text, encoding="utf-8")
    result = newsgraph.build([path], check_shapes=False)
    texts = {iris.article_iri(e.article.id): e.article.text for e in result.extractions}
    assert not anchor_problems(result.dataset, texts)


def test_an_anchor_that_starts_with_a_blank_line_is_trimmed_into_its_sentence(make_extraction) -> None:
    """The span an extractor gives may start with the blank line before its sentence (and
    carry the previous sentence's index): the evidence says the name, in its own sentence."""
    from newsgraph.graph.build import BuildInfo, build_dataset
    from newsgraph.resolve import resolve

    text = "Talks in Lisbon ended.\n\nPortuguese minister Ana Costa left."
    start = text.index("\n\n")
    ex = make_extraction(text, [("Ana Costa", "Person", None, [(start, text.index(" left"))])])
    (mention,) = ex.mentions
    assert mention.text.startswith("\n\n") and mention.sentence == 0
    ds = build_dataset([ex], resolve([ex]), BuildInfo(version="t", model="m", settings={}))
    texts = {iris.article_iri(ex.article.id): text}
    assert anchor_problems(ds, texts) == []
    (anchor,) = {str(o) for _, _, o, _ in ds.quads((None, NG.anchorText, None, None))}
    assert anchor == "Portuguese minister Ana Costa"
