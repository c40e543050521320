"""Read JSON Lines (.jsonl, .ndjson): one article per line, bad lines reported and skipped.

Lines are streamed, so an 85 MB dump is never held in memory at once.
"""
from __future__ import annotations

import codecs
import gzip
import json
import logging
import re
import zlib
from collections.abc import Iterator
from typing import IO

from newsgraph.errors import InputError
from newsgraph.ingest.article import Article
from newsgraph.ingest.clean import decode_bytes
from newsgraph.ingest.files import open_binary, read_error
from newsgraph.ingest.records import json_problem, record_to_article

logger = logging.getLogger("newsgraph.ingest")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte surrogateescape could not decode
#: A longer line is reported and skipped rather than read into memory.
MAX_LINE_BYTES = 64 * 1024 * 1024
_SNIFF_BYTES = 8192
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
# What reading a damaged or truncated (gzip) file can raise.
_READ_ERRORS = (OSError, EOFError, zlib.error, gzip.BadGzipFile)


def read_jsonl(path: str, compressed: bool) -> Iterator[Article | InputError]:
    """Yield an Article or an InputError (with its line number) for every non-blank line."""
    with open_binary(path, compressed) as stream:
        try:
            head = stream.read(_SNIFF_BYTES)
        except _READ_ERRORS as exc:
            raise read_error(path, exc) from None
    if not head:
        raise InputError(path, "empty file")
    if not head.startswith(_WIDE_BOMS):
        decode_bytes(head[: head.rfind(b"\n") + 1] or head, path, warn=False)  # refuse binary early
    seen_any = False
    with open_binary(path, compressed) as stream:
        wide = head.startswith(_WIDE_BOMS)
        lines = _decoded_lines(path, stream) if wide else _byte_lines(path, stream)
        for number, line in lines:
            if isinstance(line, InputError):
                yield line
                continue
            text = line.decode("utf-8", "surrogateescape") if isinstance(line, bytes) else line
            if isinstance(line, bytes) and _ESCAPED_BYTE.search(text):
                logger.warning("%s:%d: decoded as UTF-8; %d invalid UTF-8 byte(s) dropped", path,
                               number, len(_ESCAPED_BYTE.findall(text)))
            if text.strip():
                seen_any = True
                yield _parse(path, number, text)
    if not seen_any:
        raise InputError(path, "empty file (only blank lines)")


def _byte_lines(path: str, stream: IO[bytes]) -> Iterator[tuple[int, bytes | InputError]]:
    """Split a byte stream on b"\\n" only (U+2028 inside a JSON string is not a line break)."""
    number = 0
    while True:
        try:
            raw = stream.readline(MAX_LINE_BYTES + 1)
        except _READ_ERRORS as exc:  # truncated gzip, I/O error: report at the line reached
            yield number + 1, read_error(path, exc, line=number + 1)
            return
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the monster line
                raw = stream.readline(1 << 20)
            reason = f"line too long (more than {MAX_LINE_BYTES} bytes)"
            yield number, InputError(path, reason, line=number)
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        yield number, raw


def _decoded_lines(path: str, stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    """UTF-16/32 dumps (BOM-marked) are rare: decode whole, then split."""
    try:
        data = stream.read()
    except _READ_ERRORS as exc:
        raise read_error(path, exc) from None
    yield from enumerate(decode_bytes(data, path).split("\n"), start=1)


def _parse(path: str, number: int, line: str) -> Article | InputError:
    """Undecodable bytes arrive as lone surrogates, which cleaning removes."""
    try:
        record = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return InputError(path, json_problem(exc), line=number)
    except RecursionError:
        return InputError(path, "malformed JSON: nested too deeply", line=number)
    try:
        return record_to_article(record, path, f"{path}#{number}", line=number)
    except InputError as exc:
        return exc
