"""The newsgraph ontology (newsgraph.ttl), its SHACL shapes (shapes.ttl) and the NG namespace."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from rdflib import Graph

from newsgraph.ontology.namespace import NG, NG_IRI

__all__ = ["NG", "NG_IRI", "ontology_graph", "shapes_graph", "ontology_path", "shapes_path"]


def ontology_path() -> str:
    """Filesystem path of newsgraph.ttl (for tools such as the scorer's --ontology)."""
    return str(resources.files(__package__).joinpath("newsgraph.ttl"))


def shapes_path() -> str:
    """Filesystem path of shapes.ttl."""
    return str(resources.files(__package__).joinpath("shapes.ttl"))


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology as a graph, parsed once per process (callers must not modify it)."""
    return Graph().parse(ontology_path(), format="turtle")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The SHACL shapes as a graph, parsed once per process (callers must not modify it)."""
    return Graph().parse(shapes_path(), format="turtle")
