"""The `Article` value: what every reader produces and everything downstream consumes.

An article is identified by the hash of its clean text, so the same story read
from a .txt file, a web page or a JSON line gets the same id, and an edited
story gets a new one.  Character offsets used anywhere in newsgraph refer to
`Article.text` exactly.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One news article, cleaned and ready for annotation.

    >>> a = Article.create("Putin spoke.\\n", identifier="a.txt", title="Talks")
    >>> a.id, a.content_hash[:7]
    ('d988a316904ee8ec', 'sha256:')
    """

    id: str
    text: str
    identifier: str
    content_hash: str
    title: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) of publication, when known
    source: str | None = None  # the outlet or site name ("Reuters")
    url: str | None = None
    authors: tuple[str, ...] = field(default_factory=tuple)
    language: str | None = None

    @classmethod
    def create(
        cls,
        text: str,
        *,
        identifier: str,
        title: str | None = None,
        date: str | None = None,
        source: str | None = None,
        url: str | None = None,
        authors: tuple[str, ...] = (),
        language: str | None = None,
    ) -> Article:
        """Build an article from already-clean text; the id and hash come from the text."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls(
            id=digest[:16],
            text=text,
            identifier=identifier,
            content_hash=f"sha256:{digest}",
            title=title or None,
            date=date or None,
            source=source or None,
            url=url or None,
            authors=tuple(authors),
            language=language,
        )
