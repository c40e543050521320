"""The errors newsgraph raises.

Only the CLI turns these into exit codes; the library raises, it never prints.
Every message says what went wrong and, where it can, what to do about it.
"""
from __future__ import annotations


class NewsgraphError(Exception):
    """Base of every error newsgraph raises on purpose."""


class InputError(NewsgraphError):
    """An input file or record could not be read as an article."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{source}:{line}" if line is not None else source
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
