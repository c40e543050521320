"""Bounded work per article: each limit cuts (or stops) with a warning naming the article and the limit."""
from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

import newsgraph
from newsgraph.extract.limits import Limits, time_budget, ArticleTimeout
from newsgraph.extract.pipeline import _batches

pytestmark = pytest.mark.slow

PARAGRAPH = ("Finance ministers from Spain and Portugal met in Madrid on Monday. "
             "Spanish Finance Minister Carmen Ortega said the talks went well.")


def _paragraphs(n: int) -> list[str]:
    """Distinct paragraphs (cleaning keeps only the first of identical lines)."""
    return [f"{PARAGRAPH} The next round is planned for week {i}." for i in range(n)]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_text_over_max_chars_is_cut_at_a_paragraph_end(tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    path = _write(tmp_path, "long.txt", "\n\n".join(_paragraphs(40)))
    with caplog.at_level(logging.WARNING):
        result = newsgraph.build([path], check_shapes=False, limits=Limits(max_chars=1_000))
    (extraction,) = result.extractions
    text = extraction.article.text
    assert len(text) <= 1_000 and text.endswith(".")
    assert any(str(path) in r.getMessage() and "max_chars" in r.getMessage() for r in caplog.records)


def test_mentions_over_the_limit_stop_extraction_at_that_sentence(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _write(tmp_path, "names.txt", " ".join(_paragraphs(20)))
    with caplog.at_level(logging.WARNING):
        bounded = newsgraph.build([path], check_shapes=False, limits=Limits(max_mentions=10))
        whole = newsgraph.build([path], check_shapes=False)
    (cut,), (full,) = bounded.extractions, whole.extractions
    # the base model's 10th entity (dates and numbers count) is in the second paragraph
    assert 0 < len(cut.mentions) < len(full.mentions) / 5
    assert max(m.end for m in cut.mentions) < len(_paragraphs(1)[0]) * 3
    assert any(str(path) in r.getMessage() and "max_mentions" in r.getMessage() for r in caplog.records)


def test_an_article_over_its_time_budget_is_kept_without_facts_and_the_batch_goes_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    slow = _write(tmp_path, "a.txt", " ".join(_paragraphs(200)))
    quick = _write(tmp_path, "b.txt", PARAGRAPH)
    with caplog.at_level(logging.WARNING):
        result = newsgraph.build([slow, quick], check_shapes=False,
                                 limits=Limits(article_seconds=0.05))
    by_file = {Path(e.article.identifier).name: e for e in result.extractions}
    assert by_file["a.txt"].mentions == () and "article_seconds" in by_file["a.txt"].warnings[-1]
    assert by_file["b.txt"].mentions  # the short one finished in its budget
    assert any(str(slow) in r.getMessage() and "stopped after 0.05 s" in r.getMessage()
               for r in caplog.records)


def test_time_budget_interrupts_a_loop() -> None:
    started = time.perf_counter()
    with pytest.raises(ArticleTimeout), time_budget(0.1, "x.txt"):
        while True:
            pass
    assert time.perf_counter() - started < 2


def test_batches_are_bounded_by_count_and_characters() -> None:
    texts = ["a" * 50, "b" * 50, "c" * 500, "d" * 10, "e" * 10, "f" * 10]
    assert list(_batches(texts, batch_size=2, batch_chars=120)) == [[0, 1], [2], [3, 4], [5]]
    assert list(_batches(texts, batch_size=16, batch_chars=0)) == [[0, 1, 2, 3, 4, 5]]
