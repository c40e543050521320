"""Every custom `Doc._` attribute newsgraph uses, declared in one place.

Components write their results here as lists of frozen values; `collect()` in
newsgraph.extract.pipeline reads them back into an `Extraction`.
"""
from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS = ("ng_entities", "ng_mentions", "ng_warnings", "ng_anchor_date", "ng_relations", "ng_events", "ng_stances", "ng_quotes", "ng_claims")


def register_extensions() -> None:
    """Declare the Doc extensions (idempotent, so every component may call it)."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
