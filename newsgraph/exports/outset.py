"""The output folder replaced as a whole: a reader sees the previous build's files or the new ones.

Each export is atomic on its own (`atomic.py`), but a build writes five files, and a crash
between two renames would leave a new graph.ttl beside an old graph.trig.  So a build writes
into a staging folder beside the output folder (`.NAME.staging-XXXX`, same file system) and
then swaps the two in one step: Linux's renameat2(RENAME_EXCHANGE) exchanges two directory
entries atomically.  Where that call is missing (other systems, some file systems) the old
folder is renamed aside and the new one into place, two renames; a build that finds the
output folder missing and a renamed-aside one left puts it back first.

Files in the output folder that newsgraph did not write are carried over (hard links, or
copies across devices).  A folder that holds subfolders, or is (or holds) the working
directory, is not swapped (`swappable`): the caller writes its files one by one there.  Stale staging folders and the hidden temporary files of `atomic.py`
(`.graph.ttl.1a2b3c4d5e6f.tmp`) that a killed build left behind are removed before the
next build writes.
"""
from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_STAGING = ".staging-"
_ASIDE = ".previous-"
_ATOMIC_TEMP = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")  # atomic._create_temp's names
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2() -> object | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    call.restype = ctypes.c_int
    return call


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing directory entries atomically; False when the system cannot."""
    call = _renameat2()
    if call is None:
        return False
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:  # type: ignore[operator]
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def _siblings(out: Path, marker: str) -> list[Path]:
    prefix = f".{out.name}{marker}"
    try:
        return sorted(p for p in out.parent.iterdir() if p.name.startswith(prefix))
    except FileNotFoundError:
        return []


def clean_stale(out: Path) -> list[Path]:
    """Remove what killed builds left: staging folders beside `out`, temporary files in it.

    A folder renamed aside while `out` is missing is the previous output: it is put back.
    Returns what was removed.
    """
    removed: list[Path] = []
    aside = _siblings(out, _ASIDE)
    if aside and not out.exists():
        os.rename(aside.pop(), out)
    for path in _siblings(out, _STAGING) + aside:
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    if out.is_dir():
        for path in out.iterdir():
            if _ATOMIC_TEMP.match(path.name) and path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def swappable(out_dir: str | os.PathLike[str]) -> bool:
    """Whether `out_dir` may be replaced whole: new, or a plain folder of files that is not the
    working directory nor above it (swapping that would strand the shell in a deleted folder)."""
    out = Path(os.path.realpath(out_dir))
    if not out.exists():
        return True
    if not out.is_dir():
        return False
    cwd = Path(os.path.realpath(os.getcwd()))
    if out == cwd or out in cwd.parents:
        return False
    return not any(entry.is_dir() for entry in out.iterdir() if not _ATOMIC_TEMP.match(entry.name))


def _new_dir(parent: Path, name: str) -> Path:
    """A fresh folder with the umask's permissions (mkdtemp's are 0700)."""
    for _ in range(100):
        path = parent / f"{name}{secrets.token_hex(4)}"
        try:
            path.mkdir(0o777)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{parent}: could not create a staging folder")


def _carry_over(old: Path, new: Path) -> None:
    """Files and folders of `old` that the new build did not write, into `new`."""
    for entry in old.iterdir():
        target = new / entry.name
        if target.exists() or _ATOMIC_TEMP.match(entry.name):
            continue
        _link_or_copy(str(entry), str(target))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def staged_folder(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty folder; when the block ends without error it becomes `out_dir`, whole.

    On an error the staging folder is removed and `out_dir` is left as it was.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with staged_folder(out) as stage:
    ...     _ = (stage / "a.txt").write_text("new", encoding="utf-8")
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt']
    """
    out = Path(os.path.realpath(out_dir))
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    stage = _new_dir(out.parent, f".{out.name}{_STAGING}")
    try:
        yield stage
        if out.is_dir():
            _carry_over(out, stage)
            os.chmod(stage, stat.S_IMODE(out.stat().st_mode))  # the folder keeps its permissions
        for path in stage.iterdir():
            if path.is_file():
                with open(path, "rb") as fh:
                    os.fsync(fh.fileno())
        _fsync_dir(stage)
        if not out.exists():
            os.rename(stage, out)
        elif exchange(stage, out):
            pass  # `stage` now holds the previous output; removed below
        else:
            aside = _new_dir(out.parent, f".{out.name}{_ASIDE}")
            aside.rmdir()
            os.rename(out, aside)
            os.rename(stage, out)
            stage = aside
        _fsync_dir(out.parent)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
