"""newsgraph: turn news articles into an RDF knowledge graph, with the evidence for every fact.

>>> import newsgraph
>>> result = newsgraph.build([newsgraph.sample_corpus_path()])   # doctest: +SKIP

`build` and friends are imported on first use, so that `import newsgraph.ingest`
does not load spaCy.
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("newsgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "build", "BuildResult", "sample_corpus_path"]


def __getattr__(name: str) -> Any:
    if name in ("build", "BuildResult", "sample_corpus_path"):
        from newsgraph import api

        return getattr(api, name)
    raise AttributeError(f"module 'newsgraph' has no attribute {name!r}")
