"""Article readers: text, Markdown, HTML, JSON and JSON Lines files (optionally .gz) to `Article`s.

>>> from newsgraph.ingest import read_articles, sample_corpus_dir
>>> len([a for a in read_articles([sample_corpus_dir()]) if isinstance(a, Article)])
3
"""
from __future__ import annotations

from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.ingest.article import Article
from newsgraph.ingest.reader import SUPPORTED_EXTENSIONS, read_articles

__all__ = ["SUPPORTED_EXTENSIONS", "Article", "InputError", "read_articles", "sample_corpus_dir"]


def sample_corpus_dir() -> Path:
    """The three sample articles shipped with the package (used by doctests and demos)."""
    return Path(__file__).resolve().parent.parent / "data" / "corpus"
