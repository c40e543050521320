"""Find the files to read and open them, decompressing .gz transparently.

Size limits keep a gzip bomb or a stray disk image from eating the machine's memory.
"""
from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, cast

from newsgraph.errors import InputError

#: Largest document (after decompression) read whole into memory: txt, md, html, json.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
#: Largest web page: main-text extraction takes seconds per MB, and real pages are far smaller.
MAX_HTML_BYTES = 16 * 1024 * 1024


def format_of(path: str) -> tuple[str, bool]:
    """Return (extension without .gz, compressed?) for a file name, lower-cased.

    >>> format_of("a/News.JSONL.gz"), format_of("b.txt"), format_of("c.gz")
    (('.jsonl', True), ('.txt', False), ('', True))
    """
    name = os.path.basename(path).lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    return os.path.splitext(name)[1], compressed


def expand(
    paths: Iterable[str | os.PathLike[str]], known: frozenset[str]
) -> Iterator[tuple[str, bool] | InputError]:
    """Yield (file path, named explicitly?) for each file to read, or an InputError.

    Explicit files come in the order given.  Folders are walked recursively and their
    files sorted by path; hidden entries (.git, .DS_Store) are passed over there, and a
    file whose extension is not in `known` becomes an InputError naming it: nothing is
    skipped without a word (name such a file explicitly to read it as text).  Symlinked
    folders are not followed, so a link loop cannot trap the walk.
    """
    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            yield from _walk(path, known)
        elif os.path.lexists(path):
            yield path, True
        else:
            yield InputError(path, "no such file or folder")


def _walk(folder: str, known: frozenset[str]) -> list[tuple[str, bool] | InputError]:
    found: list[tuple[tuple[str, ...], str]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            full = os.path.join(root, name)
            found.append((tuple(os.path.relpath(full, folder).split(os.sep)), full))
    out: list[tuple[str, bool] | InputError] = []
    for _, full in sorted(found):
        extension, compressed = format_of(full)
        if extension in known:
            out.append((full, False))
        else:
            kind = f"'{extension}{'.gz' if compressed else ''}'" if extension else "without extension"
            out.append(InputError(full, f"unsupported file type {kind} in a folder (read there: "
                                        f"{', '.join(sorted(known))}); name the file to read it as text"))
    return out


def _check_regular(path: str) -> os.stat_result:
    """Refuse FIFOs, devices and sockets: opening one could block forever."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file")
    return info


def read_document(path: str, compressed: bool, limit: int | None = None) -> bytes:
    """Read a whole file (decompressed), refusing anything larger than `limit` bytes."""
    limit = MAX_DOCUMENT_BYTES if limit is None else limit
    info = _check_regular(path)
    if not compressed and info.st_size > limit:
        raise InputError(path, f"file too large ({info.st_size} bytes, limit {limit})")
    with open_binary(path, compressed) as stream:
        data = _guarded_read(path, stream, limit + 1)
    if len(data) > limit:
        raise InputError(path, f"file too large (more than {limit} bytes after decompression)")
    return data


@contextmanager
def open_binary(path: str, compressed: bool) -> Iterator[IO[bytes]]:
    """Open a file for reading bytes, through gzip when `compressed`."""
    _check_regular(path)
    try:
        stream = cast(IO[bytes], gzip.open(path, "rb")) if compressed else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    with stream:
        yield stream


def _guarded_read(path: str, stream: IO[bytes], size: int) -> bytes:
    try:
        return stream.read(size)
    except (OSError, EOFError, zlib.error) as exc:
        raise read_error(path, exc) from None


def read_error(path: str, exc: BaseException, line: int | None = None) -> InputError:
    """Describe a failure while reading bytes (bad gzip data, I/O error) as an InputError."""
    if isinstance(exc, (gzip.BadGzipFile, EOFError, zlib.error)):
        return InputError(path, f"corrupt gzip file: {exc or 'truncated'}", line=line)
    if isinstance(exc, OSError):
        return InputError(path, f"cannot read file: {exc.strerror or exc}", line=line)
    return InputError(path, f"cannot read file: {exc}", line=line)
