"""Atomic file writes: a reader sees the old file or the new one, never half of one.

rdflib truncates its target before it serializes and fails only half-way on a
bad term; so newsgraph always writes to a temporary file beside the target,
checks it, and renames it over the target only when it is complete.
"""
from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` atomically.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "x.txt") as tmp:
    ...     _ = tmp.write_text("hello", encoding="utf-8")
    >>> (d / "x.txt").read_text(encoding="utf-8")
    'hello'
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _create_temp(target)
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if target.exists():  # a replaced file keeps its permissions
            os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def _create_temp(target: Path) -> Path:
    """An empty new file beside `target`, with the permissions the user's umask gives.

    Not tempfile.mkstemp: its files are 0600, and os.replace would make every
    export unreadable to anyone but its owner.
    """
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return tmp
    raise FileExistsError(f"{target.parent}: could not create a temporary file")


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text atomically (whatever the platform's default encoding)."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_atomic(target: str | os.PathLike[str], write: Callable[[Path], None]) -> None:
    """Let `write(tmp)` produce the file, then move it into place."""
    with atomic_path(target) as tmp:
        write(tmp)
