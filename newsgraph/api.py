"""The Python API: `newsgraph.build(paths)` runs read -> annotate -> extract -> resolve -> build graph.

>>> result = build(["newsgraph/data/corpus"])            # doctest: +SKIP
>>> result.stats.articles, len(result.dataset) > 0        # doctest: +SKIP
(3, True)
"""
from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import Dataset

from newsgraph import __version__
from newsgraph.errors import InputError
from newsgraph.exports.html import write_html
from newsgraph.exports.outset import clean_stale, staged_folder, swappable
from newsgraph.exports.rdf import write_exports
from newsgraph.extract.limits import DEFAULT_LIMITS, Limits
from newsgraph.extract.pipeline import extract_articles, load_pipeline, model_description
from newsgraph.extract.values import Extraction
from newsgraph.graph.build import BuildInfo, build_dataset, count_quads
from newsgraph.graph.validate import ValidationReport, validate
from newsgraph.ingest import Article, read_articles
from newsgraph.resolve import Resolution, resolve
from newsgraph.resolve.events import resolve_events

log = logging.getLogger("newsgraph")


def sample_corpus_path() -> Path:
    """The built-in sample corpus shipped inside the package."""
    return Path(str(resources.files("newsgraph").joinpath("data/corpus")))


@dataclass(frozen=True)
class BuildStats:
    articles: int
    problems: int
    mentions: int
    entities: int
    triples: int
    seconds: float


@dataclass
class BuildResult:
    dataset: Dataset
    extractions: list[Extraction]
    resolution: Resolution
    problems: list[InputError]
    stats: BuildStats
    validation: ValidationReport | None = None
    written: dict[str, Path] = field(default_factory=dict)


def bounded(article: Article, limits: Limits) -> Article:
    """The article, or its first part when its text is over `limits.max_chars` (warned)."""
    cut = limits.cut_at(article.text)
    if cut == len(article.text):
        return article
    text = article.text[:cut].rstrip()
    log.warning("%s: %d characters, over the limit of %d (max_chars, --max-chars); only the first "
                "%d are read", article.identifier, len(article.text), limits.max_chars, len(text))
    return Article.create(text, identifier=article.identifier, title=article.title, date=article.date,
                          source=article.source, url=article.url, authors=article.authors,
                          language=article.language)


def read_unique(paths: Iterable[str | os.PathLike[str]], problems: list[InputError],
                limits: Limits = DEFAULT_LIMITS) -> list[Article]:
    """All readable articles (cut to `limits.max_chars`), each content once (the smallest
    identifier wins), sorted by id.

    An identifier read again with other text (a URL, two versions of a story) keeps the
    text read last, as a store replaces an article by identifier; the reader warns.
    """
    by_id: dict[str, Article] = {}
    text_of: dict[str, str] = {}  # identifier -> id of the text it has now
    for item in read_articles(paths):
        if isinstance(item, InputError):
            problems.append(item)
            continue
        item = bounded(item, limits)
        replaced = text_of.get(item.identifier)
        if replaced is not None and replaced != item.id and by_id.get(replaced) is not None \
                and by_id[replaced].identifier == item.identifier:
            del by_id[replaced]
        text_of[item.identifier] = item.id
        if item.id not in by_id or item.identifier < by_id[item.id].identifier:
            by_id[item.id] = item
    return [by_id[k] for k in sorted(by_id)]


def build(
    paths: Sequence[str | os.PathLike[str]],
    *,
    out_dir: str | os.PathLike[str] | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    check_shapes: bool = True,
    kb_files: Sequence[str | os.PathLike[str]] = (),
    on_problem: Callable[[InputError], None] | None = None,
    on_article: Callable[[Extraction], None] | None = None,
    on_articles_read: Callable[[int], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> BuildResult:
    """Build the graph of the articles under `paths`; write the exports when `out_dir` is given.

    Unreadable inputs are collected in `result.problems` (and passed to
    `on_problem` as they are found); the build goes on with the rest.  `limits` bounds the
    work per article (see `newsgraph.extract.limits`).
    """
    started = time.perf_counter()
    problems: list[InputError] = []
    articles = read_unique(paths, problems, limits)
    for problem in problems:
        if on_problem:
            on_problem(problem)
    if on_articles_read:
        on_articles_read(len(articles))
    kb = tuple(str(p) for p in kb_files)
    nlp = load_pipeline(None, kb)
    extractions: list[Extraction] = []
    for extraction in extract_articles(articles, n_process=n_process, batch_size=batch_size, kb_files=kb,
                                       limits=limits):
        extractions.append(extraction)
        if on_article:
            on_article(extraction)
    resolution = resolve(extractions)
    events = resolve_events(extractions, resolution)
    info = BuildInfo(
        version=__version__,
        model=model_description(nlp),
        settings={"extractors": list(nlp.pipe_names), "kb_files": [os.path.basename(p) for p in kb]},
    )
    ds = build_dataset(extractions, resolution, info, events)
    report = validate(ds) if check_shapes else None
    # nothing read: leave any previous graph in out_dir as it was
    written: dict[str, Path] = {}
    if out_dir is not None and extractions and swappable(out_dir):
        # the files are written into a staging folder that then replaces out_dir as a whole
        with staged_folder(out_dir) as stage:
            staged = write_exports(ds, stage)
            staged["html"] = write_html(ds, stage / "graph.html")
        written = {fmt: Path(out_dir) / path.name for fmt, path in staged.items()}
    elif out_dir is not None and extractions:
        log.warning("%s holds folders or the working directory: its files are replaced one by one "
                    "(each atomically, not as a set)", out_dir)
        clean_stale(Path(out_dir))
        written = write_exports(ds, out_dir)
        written["html"] = write_html(ds, Path(out_dir) / "graph.html")
    stats = BuildStats(
        articles=len(extractions),
        problems=len(problems),
        mentions=sum(len(e.mentions) for e in extractions),
        entities=len(resolution.entities),
        triples=count_quads(ds),
        seconds=round(time.perf_counter() - started, 2),
    )
    return BuildResult(ds, extractions, resolution, problems, stats, report, written)
