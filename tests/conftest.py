"""Fixtures shared by the test modules.

The spaCy model and the build of the sample corpus are expensive, so each is made
once per session and shared; tests that use them are marked ``slow``.  Tests must
treat the shared objects as read-only.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # rdflib 7.x warns about its own internal use of Dataset.contexts and ConjunctiveGraph.
    config.addinivalue_line("filterwarnings", "ignore:Dataset\\.:DeprecationWarning:rdflib")
    config.addinivalue_line("filterwarnings", "ignore:ConjunctiveGraph is deprecated:DeprecationWarning:rdflib")


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The newsgraph spaCy pipeline (base model + newsgraph components), loaded once."""
    from newsgraph.extract.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Output folder of one build of the built-in sample corpus (all exports written)."""
    return tmp_path_factory.mktemp("sample-build") / "out"


@pytest.fixture(scope="session")
def sample_build(nlp: Any, sample_out: Path) -> Any:
    """`newsgraph.build` of the sample corpus, with SHACL validation and exports to `sample_out`."""
    import newsgraph

    return newsgraph.build([newsgraph.sample_corpus_path()], out_dir=sample_out)


# (name, ontology class, Wikidata id or None, [(start, end), ...]) for each entity of an article.
EntitySpec = tuple[str, str, "str | None", Sequence[tuple[int, int]]]


@pytest.fixture(scope="session")
def make_extraction() -> Callable[..., Any]:
    """A factory of hand-made `Extraction` values, without spaCy.

    ``make_extraction(text, [("Vladimir Putin", "Person", "Q7747", [(0, 14)])], title=..., date=...)``
    makes one sentence per line of `text`, one LocalEntity per spec and one Mention per span
    (its text is ``text[start:end]``, so offsets must be right).  A span may also be given as a
    string, which is located (first occurrence) in the text.
    """
    from newsgraph.extract.values import Extraction, LocalEntity, Mention, Sentence
    from newsgraph.ingest.article import Article

    def make(
        text: str,
        entities: Sequence[EntitySpec],
        *,
        identifier: str = "test.txt",
        confidence: float = 0.7,
        extractor: str = "test-extractor",
        **article_fields: Any,
    ) -> Extraction:
        article = Article.create(text, identifier=identifier, **article_fields)
        sentences: list[Sentence] = []
        pos = 0
        for line in text.splitlines(keepends=True):
            body = line.rstrip("\r\n")
            if body.strip():
                sentences.append(Sentence(pos, pos + len(body), body))
            pos += len(line)
        locals_: list[LocalEntity] = []
        mentions: list[Mention] = []
        for name, cls, qid, spans in entities:
            key = f"{cls}:{name}"
            forms: set[str] = set()
            for span in spans:
                if isinstance(span, str):
                    start = text.index(span)
                    span = (start, start + len(span))
                start, end = span
                index = next(
                    (i for i, s in enumerate(sentences) if s.start <= start < s.end), 0
                )
                mentions.append(
                    Mention(start, end, text[start:end], key, cls, index, extractor, confidence)
                )
                forms.add(text[start:end])
            locals_.append(LocalEntity(key, name, cls, tuple(sorted(forms)), qid))
        return Extraction(article, tuple(sentences), tuple(locals_), tuple(mentions))

    return make
