"""The errors newsgraph raises.

Only the CLI turns these into exit codes; the library raises, it never prints.
Every message says what went wrong and, where it can, what to do about it.
"""
from __future__ import annotations

import re

# Controls, and format characters (bidi overrides, zero-width): never printed raw to a terminal.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def printable(text: str) -> str:
    """`text` with controls and invisible format characters written as escapes.

    A file may be named "\u202egnp.exe" or carry an ANSI escape in its name; an error message
    that names it must not reverse or recolour the user's terminal.

    >>> print(printable("bad\u202ename\x1b[2J.txt"))
    bad\\u202ename\\x1b[2J.txt
    """
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class NewsgraphError(Exception):
    """Base of every error newsgraph raises on purpose."""


class InputError(NewsgraphError):
    """An input file or record could not be read as an article."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{printable(source)}:{line}" if line is not None else printable(source)
        super().__init__(f"{where}: {reason}")


class OntologyError(NewsgraphError):
    """The ontology file and the Python vocabulary disagree, or a term is unknown."""


class ExportError(NewsgraphError):
    """A graph could not be written or did not read back as written."""


class ValidationFailed(NewsgraphError):
    """A graph breaks the SHACL shapes of the ontology."""


class QueryError(NewsgraphError):
    """A SPARQL query is malformed, refused or took too long."""


class StoreError(NewsgraphError):
    """A graph store cannot be opened, is locked by another process, or is not a newsgraph store."""
