"""Validate a built graph against the ontology's SHACL shapes (pySHACL).

Violations are reported, never hidden: `validate` returns every result and
the CLI prints them.
"""
from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import BNode, Dataset, Graph
from rdflib.namespace import SH
from rdflib.term import Node

from newsgraph.ontology import ontology_graph, shapes_graph


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]

    def summary(self, limit: int = 20) -> str:
        if self.conforms:
            return "the graph conforms to the newsgraph shapes"
        lines = [f"{len(self.violations)} SHACL violation(s):"]
        for v in self.violations[:limit]:
            where = f" {v.path}" if v.path else ""
            lines.append(f"  {v.severity}: {v.focus}{where}: {v.message}")
        if len(self.violations) > limit:
            lines.append(f"  ... and {len(self.violations) - limit} more")
        return "\n".join(lines)


def union_graph(ds: Dataset | Graph) -> Graph:
    """All triples of every named graph, plus the ontology (for subclass targets)."""
    union = Graph()
    triples = ds.quads((None, None, None, None)) if isinstance(ds, Dataset) else ((s, p, o, None) for s, p, o in ds)
    for s, p, o, _ in triples:
        union.add((s, p, o))
    for triple in ontology_graph():
        union.add(triple)
    return union


def path_text(results: Graph, path: Node | None) -> str | None:
    """A result path as text: an IRI, or ^IRI for an inverse path (not a blank node id)."""
    if path is None:
        return None
    if isinstance(path, BNode):
        inverse = results.value(path, SH.inversePath)
        return f"^{inverse}" if inverse is not None else "(complex path)"
    return str(path)


def validate(ds: Dataset | Graph, *, checked_elsewhere: frozenset[str] = frozenset()) -> ValidationReport:
    """Check a dataset (or graph) against shapes.ttl; every violation is returned, except those of
    `checked_elsewhere`: nodes given only for context (their class), whose own descriptions are
    checked with the graphs that hold them."""
    data = union_graph(ds)
    conforms, results, _ = shacl_validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=True, allow_warnings=True
    )
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=str(focus),
                path=path_text(results, path),
                message=str(message) if message is not None else "constraint not met",
                severity=str(severity).rsplit("#", 1)[-1],
            )
        )
    if checked_elsewhere:
        violations = [v for v in violations if v.focus not in checked_elsewhere]
        conforms = not any(v.severity == "Violation" for v in violations)
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(conforms=bool(conforms), violations=tuple(violations))
