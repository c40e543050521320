"""The JSON-LD context of graph.jsonld: plain keys ("agent", "startChar", "label") for every term.

Made from the ontology (the one source of the vocabulary), never written by hand:

* every ng: class and property is its local name, through `@vocab` (ng's namespace), so an
  event reads `{"@type": "Meeting", "agent": ...}` instead of `"ng:agent"`;
* object properties are `"@type": "@id"`, so their values are plain IRI strings, and datatype
  properties whose range is one XSD datatype carry it, so `"startChar": "1013"`;
* the outside terms newsgraph writes keep their own IRIs (PROV-O `wasDerivedFrom`, `used`;
  schema.org `NewsArticle`, `url`; Dublin Core `title`, `identifier`; SKOS `altLabel`;
  NIF `beginIndex` / `endIndex`; RDFS / OWL for the ontology shipped with the data) under
  their local names, except where one would collide with an ng: term (dcterms:date on an
  article is `articleDate`, ng:date is an event's date);
* the prefixes stay, for the IRIs of the data (`ngid:entity/...`, `wd:Q7747`).

A key maps to exactly one IRI, so the file reads back as the same quads in any JSON-LD
processor (rdflib, pyoxigraph: tests/test_exports.py).  Alignments to PROV-O, schema.org
and SKOS terms that newsgraph's own terms specialise are in the ontology
(rdfs:subPropertyOf, owl:equivalentClass), where reasoners look for them, not here.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from newsgraph.graph.build import NIF as NIF_IRI
from newsgraph.graph.build import SCHEMA as SCHEMA_IRI
from newsgraph.ontology import NG_IRI, ontology_graph

SCHEMA = Namespace(SCHEMA_IRI)
NIF = Namespace(NIF_IRI)

# key -> (IRI, coercion); the outside terms that newsgraph writes or ships with the data
OUTSIDE: dict[str, tuple[str, str | None]] = {
    "label": (str(RDFS.label), None),
    "comment": (str(RDFS.comment), None),
    "subClassOf": (str(RDFS.subClassOf), "@id"),
    "subPropertyOf": (str(RDFS.subPropertyOf), "@id"),
    "domain": (str(RDFS.domain), "@id"),
    "range": (str(RDFS.range), "@id"),
    "isDefinedBy": (str(RDFS.isDefinedBy), "@id"),
    "subject": (str(RDF.subject), "@id"),
    "predicate": (str(RDF.predicate), "@id"),
    "object": (str(RDF.object), "@id"),
    "first": (str(RDF.first), None),
    "rest": (str(RDF.rest), "@id"),
    "sameAs": (str(OWL.sameAs), "@id"),
    "equivalentClass": (str(OWL.equivalentClass), "@id"),
    "unionOf": (str(OWL.unionOf), "@id"),
    "versionInfo": (str(OWL.versionInfo), None),
    "Class": (str(OWL.Class), None),
    "ObjectProperty": (str(OWL.ObjectProperty), None),
    "DatatypeProperty": (str(OWL.DatatypeProperty), None),
    "AnnotationProperty": (str(OWL.AnnotationProperty), None),
    "Ontology": (str(OWL.Ontology), None),
    "Datatype": (str(RDFS.Datatype), None),
    "altLabel": (str(SKOS.altLabel), None),
    "wasDerivedFrom": (str(PROV.wasDerivedFrom), "@id"),
    "used": (str(PROV.used), "@id"),
    "Activity": (str(PROV.Activity), None),
    "NewsArticle": (str(SCHEMA.NewsArticle), None),
    "url": (str(SCHEMA.url), None),
    "title": (str(DCTERMS.title), None),
    "identifier": (str(DCTERMS.identifier), None),
    "language": (str(DCTERMS.language), None),
    "creator": (str(DCTERMS.creator), None),
    "articleDate": (str(DCTERMS.date), None),
    "beginIndex": (str(NIF.beginIndex), str(XSD.nonNegativeInteger)),
    "endIndex": (str(NIF.endIndex), str(XSD.nonNegativeInteger)),
}

PREFIXES = {
    "ng": NG_IRI, "ngid": "https://w3id.org/newsgraph/id/", "wd": "http://www.wikidata.org/entity/",
    "schema": str(SCHEMA), "dcterms": str(DCTERMS), "prov": str(PROV), "skos": str(SKOS),
    "owl": str(OWL), "xsd": str(XSD), "rdf": str(RDF), "rdfs": str(RDFS), "nif": str(NIF),
}


@lru_cache(maxsize=1)
def context() -> dict[str, Any]:
    """The @context object (callers copy before changing it)."""
    onto = ontology_graph()
    ctx: dict[str, Any] = {"@vocab": NG_IRI, **PREFIXES}
    for prop in sorted(onto.subjects(RDF.type, OWL.ObjectProperty)):
        if str(prop).startswith(NG_IRI):
            ctx[str(prop)[len(NG_IRI):]] = {"@id": str(prop), "@type": "@id"}
    for prop in sorted(onto.subjects(RDF.type, OWL.DatatypeProperty)):
        datatype = onto.value(prop, RDFS.range)  # one XSD datatype (not a union): values as plain strings
        if (str(prop).startswith(NG_IRI) and isinstance(datatype, URIRef) and str(datatype).startswith(str(XSD))
                and datatype != XSD.string):  # a plain string is already one, and rdflib's has no datatype
            ctx[str(prop)[len(NG_IRI):]] = {"@id": str(prop), "@type": str(datatype)}
    for key, (iri, coercion) in OUTSIDE.items():
        if key in ctx or (NG_IRI + key, RDF.type, None) in onto:
            raise AssertionError(f"JSON-LD key {key!r} would name two terms")  # caught by the tests
        ctx[key] = {"@id": iri, "@type": coercion} if coercion else iri
    return ctx
