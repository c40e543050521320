"""The ontology against the vocabulary contract (../shared/contract/VOCABULARY.md).

The contract's terms are written out here on purpose: they are the contract, and
the contract file is not always next to the repository.
"""
from __future__ import annotations

import re
from importlib import resources

import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, URIRef
from rdflib.collection import Collection

from newsgraph.ontology import NG, NG_IRI, ontology_graph, shapes_graph

# ---------------------------------------------------------------- the contract

CONTRACT_CLASSES = (
    "Actor", "Person", "Organization", "Country", "Place", "Asset", "Event", "Quote", "Article",
)

# property -> (domain classes, range classes); None where the contract gives none.
CONTRACT_PROPERTIES: dict[str, tuple[set[str] | None, set[str] | None]] = {
    # relations between entities
    "controls": ({"Actor"}, {"Place", "Asset"}),
    "locatedIn": ({"Place", "Asset"}, {"Place"}),
    "partOf": ({"Place"}, {"Place"}),
    "leaderOf": ({"Person"}, {"Country", "Organization", "Place"}),
    "affiliatedWith": ({"Person"}, {"Country", "Organization"}),
    "memberOf": ({"Actor"}, {"Organization"}),
    "attacked": ({"Actor"}, {"Actor", "Place", "Asset"}),
    "supports": ({"Actor"}, {"Actor"}),
    "opposes": ({"Actor"}, {"Actor"}),
    "seeksControlOf": ({"Actor"}, {"Place", "Asset"}),
    # events
    "agent": ({"Event"}, {"Actor"}),
    "participant": ({"Event"}, {"Actor"}),
    "target": ({"Event"}, {"Actor", "Place", "Asset"}),
    "location": ({"Event"}, {"Place"}),
    "date": ({"Event"}, {"xsd:date", "xsd:gYearMonth", "xsd:gYear"}),
    "duration": ({"Event"}, {"xsd:duration"}),
    # stances
    "proposed": ({"Actor"}, {"Event"}),
    "agreedTo": ({"Actor"}, {"Event"}),
    "rejected": ({"Actor"}, {"Event"}),
    # quotes
    "speaker": ({"Quote"}, {"Actor"}),
    "text": ({"Quote"}, None),
    "mentions": ({"Quote"}, None),
}
RELATIONS = (
    "controls", "locatedIn", "partOf", "leaderOf", "affiliatedWith",
    "memberOf", "attacked", "supports", "opposes", "seeksControlOf",
)
STANCES = ("proposed", "agreedTo", "rejected")

KNOWN_GAPS: dict[str, str] = {}

DEFINING_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDFS.Class, RDF.Property)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


def ng(name: str) -> URIRef:
    return URIRef(NG_IRI + name)


def local(term: URIRef) -> str:
    text = str(term)
    if text.startswith(str(XSD)):
        return "xsd:" + text[len(str(XSD)):]
    return text.removeprefix(NG_IRI)


def class_set(g: Graph, node: object) -> set[str]:
    """A domain or range as a set of local names: one class, or the members of an owl:unionOf."""
    if isinstance(node, BNode):
        union = g.value(node, OWL.unionOf)
        assert union is not None, "a blank-node domain or range must be an owl:unionOf"
        return {local(m) for m in Collection(g, union)}
    return {local(node)}  # type: ignore[arg-type]


def defined_terms(g: Graph) -> set[str]:
    """Local names of the ng: terms the ontology defines (typed as a class or property)."""
    return {
        local(s)
        for t in DEFINING_TYPES
        for s in g.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(NG_IRI) and str(s) != NG_IRI
    }


def used_ng_terms(g: Graph) -> set[str]:
    return {
        local(term)
        for triple in g
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(NG_IRI) and str(term) != NG_IRI
    }


# ---------------------------------------------------------------- terms of the contract


@pytest.mark.parametrize("name", CONTRACT_CLASSES + tuple(CONTRACT_PROPERTIES))
def test_contract_term_is_defined_with_label_and_comment(onto: Graph, name: str) -> None:
    term = ng(name)
    assert set(onto.objects(term, RDF.type)) & set(DEFINING_TYPES), f"ng:{name} is not defined"
    labels = list(onto.objects(term, RDFS.label))
    comments = list(onto.objects(term, RDFS.comment))
    assert len(labels) == 1 and str(labels[0]).strip(), f"ng:{name} needs one non-empty rdfs:label"
    assert comments and all(str(c).strip() for c in comments), f"ng:{name} needs an rdfs:comment"


@pytest.mark.parametrize("name", CONTRACT_CLASSES)
def test_contract_class_is_an_owl_class(onto: Graph, name: str) -> None:
    assert (ng(name), RDF.type, OWL.Class) in onto


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[n]))
        if n in KNOWN_GAPS else n
        for n in CONTRACT_PROPERTIES
    ],
)
def test_contract_property_domain_and_range(onto: Graph, name: str) -> None:
    want_domain, want_range = CONTRACT_PROPERTIES[name]
    term = ng(name)
    domains = list(onto.objects(term, RDFS.domain))
    ranges = list(onto.objects(term, RDFS.range))
    assert len(domains) == 1, f"ng:{name} needs exactly one rdfs:domain, has {len(domains)}"
    if want_domain is not None:
        assert class_set(onto, domains[0]) == want_domain
    if want_range is not None:
        assert len(ranges) == 1, f"ng:{name} needs exactly one rdfs:range, has {len(ranges)}"
        assert class_set(onto, ranges[0]) == want_range


@pytest.mark.parametrize("name", sorted(CONTRACT_PROPERTIES))
def test_property_kind_matches_range(onto: Graph, name: str) -> None:
    """Properties whose values are literals are DatatypeProperties, the rest ObjectProperties."""
    literal_valued = name in ("date", "duration", "text")
    kind = OWL.DatatypeProperty if literal_valued else OWL.ObjectProperty
    assert (ng(name), RDF.type, kind) in onto


# ---------------------------------------------------------------- NG namespace <-> .ttl


def test_namespace_has_exactly_the_terms_of_the_ttl(onto: Graph) -> None:
    in_python = set(NG.__annotations__)
    in_ttl = defined_terms(onto)
    assert in_python - in_ttl == set(), "NG has terms the ontology does not define"
    assert in_ttl - in_python == set(), "the ontology defines terms NG lacks"


def test_every_ng_term_used_in_the_ttl_is_defined(onto: Graph) -> None:
    assert used_ng_terms(onto) - defined_terms(onto) == set()


def test_every_ng_term_used_in_the_shapes_is_defined(onto: Graph) -> None:
    """A misspelt sh:targetClass would silently check nothing."""
    assert used_ng_terms(shapes_graph()) - defined_terms(onto) == set()


@pytest.mark.parametrize("name", ["entities", "evidence"])
def test_every_ng_term_used_in_a_shipped_query_is_defined(onto: Graph, name: str) -> None:
    text = resources.files("newsgraph.graph").joinpath("queries").joinpath(f"{name}.rq").read_text("utf-8")
    used = set(re.findall(r"\bng:([A-Za-z_][\w-]*)", text))
    assert used, f"{name}.rq uses no ng: term?"
    assert used - defined_terms(onto) == set()


@pytest.mark.parametrize("name", ["Persn", "person", "Organisation", "relatedto", "Ceasfire", "attack"])
def test_misspelt_term_raises(name: str) -> None:
    with pytest.raises(AttributeError):
        getattr(NG, name)
    with pytest.raises(AttributeError):
        NG[name]


@pytest.mark.parametrize("name", ["Person", "Ceasefire", "relatedTo", "confidence"])
def test_known_term_is_an_iri_in_the_namespace(name: str) -> None:
    assert getattr(NG, name) == URIRef(NG_IRI + name)


# ---------------------------------------------------------------- hierarchy


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        ("Country", "Actor"),
        ("Country", "Place"),
        ("Person", "Actor"),
        ("Organization", "Actor"),
    ],
)
def test_direct_subclass(onto: Graph, sub: str, sup: str) -> None:
    assert (ng(sub), RDFS.subClassOf, ng(sup)) in onto


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        ("NuclearPowerPlant", "PowerPlant"),
        ("NuclearPowerPlant", "Asset"),
        ("Ceasefire", "Agreement"),
        ("Agreement", "Event"),
        ("Ceasefire", "Event"),
        ("PhoneCall", "Event"),
        ("City", "Place"),
        ("GovernmentBody", "Actor"),
    ],
)
def test_transitive_subclass(onto: Graph, sub: str, sup: str) -> None:
    assert ng(sup) in set(onto.transitive_objects(ng(sub), RDFS.subClassOf))


@pytest.mark.parametrize(
    ("sub", "sup"),
    [("Place", "Actor"), ("Asset", "Place"), ("Event", "Actor"), ("Person", "Place"), ("Quote", "Event")],
)
def test_not_a_subclass(onto: Graph, sub: str, sup: str) -> None:
    assert ng(sup) not in set(onto.transitive_objects(ng(sub), RDFS.subClassOf))


def test_class_hierarchy_has_no_cycle(onto: Graph) -> None:
    for cls in onto.subjects(RDF.type, OWL.Class):
        supers = set(onto.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        for sup in supers:
            assert cls not in set(onto.transitive_objects(sup, RDFS.subClassOf)), f"cycle at {cls}"


@pytest.mark.parametrize("name", RELATIONS)
def test_relation_is_a_subproperty_of_related_to(onto: Graph, name: str) -> None:
    assert (ng(name), RDFS.subPropertyOf, NG.relatedTo) in onto


def test_related_to_has_exactly_the_ten_relations_and_their_subproperties(onto: Graph) -> None:
    direct = {local(s) for s in onto.subjects(RDFS.subPropertyOf, NG.relatedTo)}
    assert direct == set(RELATIONS)


@pytest.mark.parametrize("name", STANCES)
def test_stance_is_a_subproperty_of_stance(onto: Graph, name: str) -> None:
    assert (ng(name), RDFS.subPropertyOf, NG.stance) in onto
    assert NG.relatedTo not in set(onto.transitive_objects(ng(name), RDFS.subPropertyOf))


@pytest.mark.parametrize("name", ["agent", "speaker", "attests", "confidence"])
def test_non_relation_is_not_under_related_to(onto: Graph, name: str) -> None:
    """Readers collect relations with rdfs:subPropertyOf* ng:relatedTo: nothing else may match."""
    assert NG.relatedTo not in set(onto.transitive_objects(ng(name), RDFS.subPropertyOf))


# ---------------------------------------------------------------- SHACL shapes


def test_shapes_are_valid_shacl() -> None:
    """pySHACL loads the shapes and checks them against SHACL-SHACL (meta_shacl)."""
    from pyshacl import validate

    conforms, _, text = validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True, advanced=True)
    assert conforms, text


def test_every_shape_targets_an_ontology_class(onto: Graph) -> None:
    from rdflib.namespace import SH

    targets = list(shapes_graph().objects(None, SH.targetClass))
    assert targets
    for target in targets:
        assert (target, RDF.type, OWL.Class) in onto, f"shape targets unknown class {target}"
