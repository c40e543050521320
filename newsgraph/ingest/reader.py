"""`read_articles`: walk files and folders and hand each file to the reader for its format.

Bad input never raises: every file or line that cannot be read becomes an
InputError value in the stream, and the next file is read as usual.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator

from newsgraph.errors import InputError
from newsgraph.ingest import files
from newsgraph.ingest.article import Article
from newsgraph.ingest.feed import read_feed
from newsgraph.ingest.files import expand, format_of, read_document
from newsgraph.ingest.jsondoc import read_json
from newsgraph.ingest.jsonl import read_jsonl
from newsgraph.ingest.plaintext import read_plain
from newsgraph.ingest.webpage import read_html

logger = logging.getLogger("newsgraph.ingest")

Item = Article | InputError
Reader = Callable[[str, bool], Iterator[Item]]


def _whole(
    parse: Callable[[str, bytes], Iterator[Item]], limit: str = "MAX_DOCUMENT_BYTES"
) -> Reader:
    """Adapt a reader of a whole document's bytes to the (path, compressed) signature.

    `limit` names the size limit in `files`, looked up at read time so it can be changed.
    """
    return lambda path, compressed: parse(
        path, read_document(path, compressed, getattr(files, limit)))


READERS: dict[str, Reader] = {
    ".txt": _whole(read_plain),
    ".text": _whole(read_plain),
    ".md": _whole(lambda path, data: read_plain(path, data, markdown=True)),
    ".html": _whole(read_html, "MAX_HTML_BYTES"),
    ".htm": _whole(read_html, "MAX_HTML_BYTES"),
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": _whole(read_json),
    ".xml": _whole(read_feed, "MAX_HTML_BYTES"),
    ".rss": _whole(read_feed, "MAX_HTML_BYTES"),
    ".atom": _whole(read_feed, "MAX_HTML_BYTES"),
}
#: Extensions picked up inside folders (each may also end in .gz).
SUPPORTED_EXTENSIONS = frozenset(READERS)


def read_articles(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Article | InputError]:
    """Yield an Article for each article read and an InputError for each file or line that was not.

    Folders are read recursively in path order; a file named explicitly with an
    unknown extension is read as plain text.  The same input gives the same sequence.

    >>> from newsgraph.ingest import sample_corpus_dir
    >>> [a.title for a in read_articles([sample_corpus_dir()])][0]
    'Trump, Putin agree halt to Ukraine energy attacks but no ceasefire'
    >>> next(read_articles(["no/such.txt"]))
    InputError('no/such.txt: no such file or folder')
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # a lone path is an easy mistake; do not iterate its characters
    seen: dict[str, tuple[str, str]] = {}  # identifier -> (article id, file it came from)
    for found in expand(paths, SUPPORTED_EXTENSIONS):
        if isinstance(found, InputError):
            yield found
            continue
        path, _explicit = found
        extension, compressed = format_of(path)
        reader = READERS.get(extension, READERS[".txt"])
        for item in _guarded(reader, path, compressed):
            if isinstance(item, Article):
                _warn_reused_identifier(item, path, seen)
            yield item


def _warn_reused_identifier(article: Article, path: str, seen: dict[str, tuple[str, str]]) -> None:
    """Say so when an identifier (a URL, a file) comes again with other text.

    The policy (`api.read_unique`, and a store, which replaces an article by identifier):
    the one read last is kept, as the newer version of the story.
    """
    earlier = seen.get(article.identifier)
    if earlier is not None and earlier[0] != article.id:
        where = "earlier in the same file" if earlier[1] == path else f"in {earlier[1]}"
        logger.warning("%s: same identifier %s as an article %s with other text; the one read "
                       "last is kept", path, article.identifier, where)
    seen[article.identifier] = (article.id, path)


def _guarded(reader: Reader, path: str, compressed: bool) -> Iterator[Item]:
    """Run one reader; whatever goes wrong becomes an InputError naming the file."""
    try:
        yield from reader(path, compressed)
    except InputError as exc:
        yield exc
    except RecursionError:
        yield InputError(path, "input nested too deeply to read")
    except MemoryError:
        yield InputError(path, "out of memory while reading")
    except Exception as exc:  # a reader bug or a library choking on odd input
        logger.exception("%s: unexpected error while reading", path)
        yield InputError(path, f"could not read: {type(exc).__name__}: {exc}")
