"""Read a .json file holding one article object or a list of them."""
from __future__ import annotations

import json
from collections.abc import Iterator

from newsgraph.errors import InputError
from newsgraph.ingest.article import Article
from newsgraph.ingest.clean import decode_bytes
from newsgraph.ingest.records import json_problem, record_to_article


def read_json(path: str, data: bytes) -> Iterator[Article | InputError]:
    """Yield one Article per object; a bad item is reported by its 1-based position."""
    raw = decode_bytes(data, path)
    if not raw.strip():
        raise InputError(path, "empty file (only whitespace)")
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(path, json_problem(exc), line=exc.lineno) from None
    except RecursionError:
        raise InputError(path, "malformed JSON: nested too deeply") from None
    if not isinstance(document, list):
        yield record_to_article(document, path, path)
        return
    if not document:
        raise InputError(path, "empty JSON list (no articles)")
    for index, record in enumerate(document, start=1):
        try:
            yield record_to_article(record, path, f"{path}#{index}", item=f"item {index}: ")
        except InputError as exc:
            yield exc
