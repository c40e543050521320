"""The Python API: `newsgraph.build(paths)` runs read -> annotate -> extract -> resolve -> build graph.

>>> result = build(["newsgraph/data/corpus"])            # doctest: +SKIP
>>> result.stats.articles, len(result.dataset) > 0        # doctest: +SKIP
(3, True)
"""
from __future__ import annotations

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
from newsgraph.exports.rdf import write_exports
from newsgraph.extract.pipeline import extract_articles, load_pipeline, model_description
from newsgraph.extract.values import Extraction
from newsgraph.graph.build import BuildInfo, build_dataset, count_quads
from newsgraph.graph.validate import ValidationReport, validate
from newsgraph.ingest import Article, read_articles
from newsgraph.resolve import Resolution, resolve
from newsgraph.resolve.events import resolve_events


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


def read_unique(paths: Iterable[str | os.PathLike[str]], problems: list[InputError]) -> list[Article]:
    """All readable articles, each content once (the smallest identifier wins), sorted by id."""
    by_id: dict[str, Article] = {}
    for item in read_articles(paths):
        if isinstance(item, InputError):
            problems.append(item)
        elif item.id not in by_id or item.identifier < by_id[item.id].identifier:
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
    on_stage: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the graph of the articles under `paths`; write the exports when `out_dir` is given.

    Unreadable inputs are collected in `result.problems` (and passed to
    `on_problem` as they are found); the build goes on with the rest.  `on_stage` is told
    when resolving, building graph, validating and writing start (extraction: `on_articles_read`).
    """
    def stage(name: str) -> None:
        if on_stage:
            on_stage(name)

    started = time.perf_counter()
    problems: list[InputError] = []
    articles = read_unique(paths, problems)
    for problem in problems:
        if on_problem:
            on_problem(problem)
    if on_articles_read:
        on_articles_read(len(articles))
    kb = tuple(str(p) for p in kb_files)
    nlp = load_pipeline(None, kb)
    extractions: list[Extraction] = []
    for extraction in extract_articles(articles, n_process=n_process, batch_size=batch_size, kb_files=kb):
        extractions.append(extraction)
        if on_article:
            on_article(extraction)
    stage("resolving")
    resolution = resolve(extractions)
    events = resolve_events(extractions, resolution)
    info = BuildInfo(
        version=__version__,
        model=model_description(nlp),
        settings={"extractors": list(nlp.pipe_names), "kb_files": [os.path.basename(p) for p in kb]},
    )
    stage("building graph")
    ds = build_dataset(extractions, resolution, info, events)
    if check_shapes:
        stage("validating")
    report = validate(ds) if check_shapes else None
    # nothing read: leave any previous graph in out_dir as it was
    write = out_dir is not None and bool(extractions)
    if write:
        stage("writing")
    written = write_exports(ds, out_dir) if write else {}
    if write:
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
