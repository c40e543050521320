"""graph/build.py: hand-made extractions -> Dataset; provenance, IRIs and SHACL shapes."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from newsgraph.graph import iris
from newsgraph.graph.build import BuildInfo, build_dataset
from newsgraph.graph.query import named_queries, run_query
from newsgraph.graph.validate import validate
from newsgraph.ontology import NG
from newsgraph.resolve import resolve

SCHEMA_NEWS_ARTICLE = URIRef("https://schema.org/NewsArticle")
INFO = BuildInfo(version="9.8.7", model="en_core_web_sm 3.8.0", settings={"extractors": ["ner", "x"], "n": 2})

TEXT_A = (
    "Vladimir Putin spoke with Donald Trump for 90 minutes.\n"
    "The Kremlin said Putin agreed to pause strikes on Ukraine's energy grid.\n"
)
TEXT_B = "Donald Trump said Ukraine and Russia would meet in Jeddah.\nPutin did not comment.\n"


def entities_a() -> list[tuple[str, str, str | None, list[Any]]]:
    return [
        ("Vladimir Putin", "Person", "Q7747", ["Vladimir Putin", (TEXT_A.index("Putin agreed"), TEXT_A.index("Putin agreed") + 5)]),
        ("Donald Trump", "Person", None, ["Donald Trump"]),
        ("Kremlin", "Organization", None, ["Kremlin"]),
        ("Ukraine", "Country", "Q212", ["Ukraine"]),
    ]


def entities_b() -> list[tuple[str, str, str | None, list[Any]]]:
    return [
        ("Donald Trump", "Person", None, ["Donald Trump"]),
        ("Ukraine", "Country", "Q212", ["Ukraine"]),
        ("Russia", "Country", "Q159", ["Russia"]),
        ("Jeddah", "Place", None, ["Jeddah"]),
        ("Putin", "Person", "Q7747", ["Putin"]),
    ]


@pytest.fixture()
def extractions(make_extraction: Callable[..., Any]) -> list[Any]:
    a = make_extraction(TEXT_A, entities_a(), identifier="a.txt", title="Putin and Trump talk",
                        date="2025-03-18", source="AFP", url="https://example.org/a")
    b = make_extraction(TEXT_B, entities_b(), identifier="b.txt", title="Talks in Jeddah",
                        date="2025-03-19", confidence=0.55)
    return [a, b]


@pytest.fixture()
def ds(extractions: list[Any]) -> Dataset:
    return build_dataset(extractions, resolve(extractions), INFO)


def graph_names(ds: Dataset) -> set[URIRef]:
    return {URIRef(str(g.identifier)) for g in ds.graphs() if len(g)}


def union_of(ds: Dataset) -> Dataset:
    """The same quads in a Dataset whose default graph is the union (as `load_dataset` gives)."""
    out = Dataset(default_union=True)
    for quad in ds.quads((None, None, None, None)):
        out.add(quad)
    return out


# ---------------------------------------------------------------- named graphs and articles


def test_one_named_graph_per_article_named_by_its_iri(ds: Dataset, extractions: list[Any]) -> None:
    article_iris = {iris.article_iri(e.article.id) for e in extractions}
    assert graph_names(ds) == article_iris | {iris.ENTITIES_GRAPH, iris.BUILD_GRAPH, iris.ONTOLOGY_GRAPH}
    for iri in article_iris:
        assert (iri, RDF.type, NG.Article) in ds.graph(iri)


def test_nothing_in_the_default_graph(ds: Dataset) -> None:
    assert len(ds.default_graph) == 0


def test_no_blank_nodes(ds: Dataset) -> None:
    blank = [q for q in ds.quads((None, None, None, None)) if isinstance(q[0], BNode) or isinstance(q[2], BNode)]
    assert blank == []


@pytest.mark.parametrize("which", [0, 1])
def test_article_description(ds: Dataset, extractions: list[Any], which: int) -> None:
    art = extractions[which].article
    a = iris.article_iri(art.id)
    g = ds.graph(a)
    assert {NG.Article, SCHEMA_NEWS_ARTICLE} <= set(g.objects(a, RDF.type))
    assert g.value(a, DCTERMS.title) == Literal(art.title)
    assert g.value(a, DCTERMS.date) == Literal(art.date, datatype=XSD.date)
    assert g.value(a, DCTERMS.identifier) == Literal(art.identifier)
    digest = hashlib.sha256(art.text.encode("utf-8")).hexdigest()
    assert g.value(a, NG.contentHash) == Literal(f"sha256:{digest}")
    assert a == URIRef(f"{iris.BASE}article/{digest[:16]}")


def test_article_facts_stay_in_the_article_graph(ds: Dataset, extractions: list[Any]) -> None:
    """Every mention of an article lives in that article's graph, nowhere else."""
    for e in extractions:
        a = iris.article_iri(e.article.id)
        for mention, _, _, graph in ds.quads((None, NG.inArticle, a, None)):
            assert URIRef(str(getattr(graph, "identifier", graph))) == a


@pytest.mark.parametrize("date", ["2025-13-45", "March 2025", "", None, "2025-02-30"])
def test_bad_or_missing_date_is_left_out(make_extraction: Callable[..., Any], date: str | None) -> None:
    e = make_extraction("Putin spoke.\n", [("Putin", "Person", None, ["Putin"])], date=date)
    ds = build_dataset([e], resolve([e]), INFO)
    assert ds.graph(iris.article_iri(e.article.id)).value(iris.article_iri(e.article.id), DCTERMS.date) is None
    assert validate(ds).conforms


# ---------------------------------------------------------------- entities


@pytest.mark.parametrize(
    ("name", "cls", "qid", "iri"),
    [
        ("Vladimir Putin", "Person", "Q7747", iris.BASE + "entity/wikidata/Q7747"),
        ("Ukraine", "Country", "Q212", iris.BASE + "entity/wikidata/Q212"),
        ("Donald Trump", "Person", None, iris.BASE + "entity/person/donald-trump"),
        ("Kremlin", "Organization", None, iris.BASE + "entity/organization/kremlin"),
        ("Jeddah", "Place", None, iris.BASE + "entity/place/jeddah"),
    ],
)
def test_entity_iri_is_deterministic(ds: Dataset, name: str, cls: str, qid: str | None, iri: str) -> None:
    node = URIRef(iri)
    entities = ds.graph(iris.ENTITIES_GRAPH)
    assert (node, RDF.type, NG[cls]) in entities
    assert len(list(entities.objects(node, RDFS.label))) == 1
    if qid:
        assert entities.value(node, OWL.sameAs) == URIRef(iris.WIKIDATA + qid)
    else:
        assert entities.value(node, OWL.sameAs) is None


def test_same_entity_in_two_articles_is_one_node(ds: Dataset, extractions: list[Any]) -> None:
    putin = URIRef(iris.BASE + "entity/wikidata/Q7747")
    u = union_of(ds)
    articles = {o for m in u.subjects(NG.attests, putin) for o in u.objects(m, NG.inArticle)}
    assert articles == {iris.article_iri(e.article.id) for e in extractions}
    entities = ds.graph(iris.ENTITIES_GRAPH)
    assert entities.value(putin, RDFS.label) == Literal("Vladimir Putin")
    assert set(entities.objects(putin, SKOS.altLabel)) == {Literal("Putin")}


def test_same_input_in_any_order_gives_the_same_graph(extractions: list[Any]) -> None:
    one = build_dataset(extractions, resolve(extractions), INFO)
    two = build_dataset(extractions[::-1], resolve(extractions[::-1]), INFO)
    assert sorted(one.serialize(format="nquads").splitlines()) == sorted(
        two.serialize(format="nquads").splitlines()
    )


# ---------------------------------------------------------------- provenance


def test_mention_carries_its_provenance(ds: Dataset, extractions: list[Any]) -> None:
    art = extractions[0].article
    start = art.text.index("Kremlin")
    m = URIRef(f"{iris.BASE}article/{art.id}/mention/{start}-{start + 7}")
    g = ds.graph(iris.article_iri(art.id))
    assert {NG.Mention, NG.Evidence} <= set(g.objects(m, RDF.type))
    assert g.value(m, NG.attests) == URIRef(iris.BASE + "entity/organization/kremlin")
    assert g.value(m, NG.inArticle) == iris.article_iri(art.id)
    assert g.value(m, PROV.wasDerivedFrom) == iris.article_iri(art.id)
    assert g.value(m, NG.startChar).toPython() == start
    assert g.value(m, NG.endChar).toPython() == start + 7
    assert str(g.value(m, NG.anchorText)) == "Kremlin"
    assert str(g.value(m, NG.extractor)) == "test-extractor"
    assert g.value(m, NG.confidence) == Literal(Decimal("0.70"), datatype=XSD.decimal)
    assert g.value(m, NG.entityType) == NG.Organization
    sentence = g.value(m, NG.inSentence)
    assert (sentence, RDF.type, NG.Sentence) in g
    assert str(g.value(sentence, NG.sentenceText)) == TEXT_A.splitlines()[1]


def test_sentence_text_matches_its_offsets(ds: Dataset, extractions: list[Any]) -> None:
    texts = {iris.article_iri(e.article.id): e.article.text for e in extractions}
    ds = union_of(ds)
    sentences = list(ds.subjects(RDF.type, NG.Sentence))
    assert sentences
    for s in sentences:
        text = texts[ds.value(s, NG.inArticle)]
        start, end = ds.value(s, NG.startChar).toPython(), ds.value(s, NG.endChar).toPython()
        assert str(ds.value(s, NG.sentenceText)) == text[start:end]


@pytest.mark.parametrize("where", [0.1, 0.5, 0.999])
def test_long_sentence_is_cut_to_a_window_around_the_mention(
    make_extraction: Callable[..., Any], where: float
) -> None:
    """A 6,000-character sentence becomes a window (<= ~2,000 chars) that still matches its offsets."""
    filler = "and the talks went on " * 300
    cut = int(len(filler) * where)
    text = filler[:cut] + "Vladimir Putin" + filler[cut:] + ".\n"
    e = make_extraction(text, [("Vladimir Putin", "Person", "Q7747", ["Vladimir Putin"])])
    ds = build_dataset([e], resolve([e]), INFO)
    assert validate(ds).conforms
    ds = union_of(ds)
    (s,) = ds.subjects(RDF.type, NG.Sentence)
    start, end = ds.value(s, NG.startChar).toPython(), ds.value(s, NG.endChar).toPython()
    sentence_text = str(ds.value(s, NG.sentenceText))
    assert sentence_text == text[start:end]
    assert "Vladimir Putin" in sentence_text
    assert len(sentence_text) <= 2100


def test_evidence_query_on_a_loaded_graph(ds: Dataset, extractions: list[Any]) -> None:
    """The README's provenance query returns sentence, extractor and confidence of a mention."""
    putin = iris.BASE + "entity/wikidata/Q7747"
    rows = list(run_query(union_of(ds), named_queries()["evidence"], {"fact": putin}))
    assert len(rows) == 3  # two mentions in article A, one in B
    by_anchor = {(str(r.title), str(r.anchor)): r for r in rows}
    row = by_anchor[("Putin and Trump talk", "Vladimir Putin")]
    assert str(row.sentence) == TEXT_A.splitlines()[0]
    assert str(row.extractor) == "test-extractor"
    assert row.confidence.toPython() == Decimal("0.70")
    assert row.date == Literal("2025-03-18", datatype=XSD.date)
    assert by_anchor[("Talks in Jeddah", "Putin")].confidence.toPython() == Decimal("0.55")


def test_evidence_query_returns_offsets(ds: Dataset, extractions: list[Any]) -> None:
    putin = iris.BASE + "entity/wikidata/Q7747"
    rows = list(run_query(union_of(ds), named_queries()["evidence"], {"fact": putin}))
    start = TEXT_A.index("Vladimir Putin")
    assert {(r.start.toPython(), r.end.toPython()) for r in rows} >= {(start, start + 14)}


def test_evidence_query_on_the_built_dataset(ds: Dataset) -> None:
    rows = list(run_query(ds, named_queries()["evidence"], {"fact": iris.BASE + "entity/wikidata/Q7747"}))
    assert len(rows) == 3


def test_subclass_queries_work_on_the_graph_alone(ds: Dataset) -> None:
    """The ontology graph ships with the data: rdfs:subClassOf* reaches Actor from Country."""
    q = "SELECT ?e WHERE { ?e a/rdfs:subClassOf* ng:Actor }"
    actors = {str(r.e) for r in run_query(union_of(ds), q)}
    assert iris.BASE + "entity/wikidata/Q212" in actors  # a Country
    assert iris.BASE + "entity/place/jeddah" not in actors


def test_build_activity(ds: Dataset, extractions: list[Any]) -> None:
    g = ds.graph(iris.BUILD_GRAPH)
    (node,) = g.subjects(RDF.type, NG.BuildActivity)
    assert (node, RDF.type, PROV.Activity) in g
    assert str(g.value(node, NG.softwareVersion)) == "9.8.7"
    assert str(g.value(node, NG.spacyModel)) == "en_core_web_sm 3.8.0"
    assert json.loads(str(g.value(node, NG.settings))) == INFO.settings
    assert set(g.objects(node, PROV.used)) == {iris.article_iri(e.article.id) for e in extractions}


def test_build_activity_iri_depends_on_settings(extractions: list[Any]) -> None:
    other = BuildInfo(INFO.version, INFO.model, {"extractors": ["ner"]})
    one = build_dataset(extractions, resolve(extractions), INFO)
    two = build_dataset(extractions, resolve(extractions), other)
    assert set(one.graph(iris.BUILD_GRAPH).subjects(RDF.type, NG.BuildActivity)) != set(
        two.graph(iris.BUILD_GRAPH).subjects(RDF.type, NG.BuildActivity)
    )


# ---------------------------------------------------------------- SHACL


def test_built_graph_conforms(ds: Dataset) -> None:
    report = validate(ds)
    assert report.conforms, report.summary()


def test_relation_with_assertion_and_evidence_conforms(ds: Dataset, extractions: list[Any]) -> None:
    """The positive twin of the 'relation without assertion' case below."""
    putin, russia = URIRef(iris.BASE + "entity/wikidata/Q7747"), URIRef(iris.BASE + "entity/wikidata/Q159")
    art = extractions[1].article
    g = ds.graph(iris.article_iri(art.id))
    add_relation(g, art.id, putin, NG.leaderOf, russia, with_assertion=True)
    report = validate(ds)
    assert report.conforms, report.summary()


def add_relation(g: Any, article_id: str, s: URIRef, p: URIRef, o: URIRef, *, with_assertion: bool) -> None:
    g.add((s, p, o))
    if with_assertion:
        a = iris.assertion_iri(str(s), str(p), str(o))
        g.add((a, RDF.type, NG.Assertion))
        g.add((a, RDF.subject, s))
        g.add((a, RDF.predicate, p))
        g.add((a, RDF.object, o))
        ev = iris.evidence_iri(article_id, "rel", str(a))
        g.add((ev, RDF.type, NG.Evidence))
        g.add((ev, NG.attests, a))
        g.add((ev, NG.inArticle, iris.article_iri(article_id)))
        g.add((ev, NG.extractor, Literal("test")))
        g.add((ev, NG.confidence, Literal(Decimal("0.5"), datatype=XSD.decimal)))


def first_mention(ds: Dataset, article_id: str) -> URIRef:
    return min(ds.graph(iris.article_iri(article_id)).subjects(RDF.type, NG.Mention))


PUTIN = URIRef(iris.BASE + "entity/wikidata/Q7747")
TRUMP = URIRef(iris.BASE + "entity/person/donald-trump")


def break_remove_label(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
    ds.graph(iris.ENTITIES_GRAPH).remove((TRUMP, RDFS.label, None))
    return TRUMP, RDFS.label, "exactly one rdfs:label"


def break_second_label(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
    ds.graph(iris.ENTITIES_GRAPH).add((PUTIN, RDFS.label, Literal("Putin, V.")))
    return PUTIN, RDFS.label, "exactly one rdfs:label"


def break_second_label_in_article_graph(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
    """Labels are counted over the union: a label added in another graph is still a second one."""
    ds.graph(iris.article_iri(arts[0].article.id)).add((PUTIN, RDFS.label, Literal("Putin")))
    return PUTIN, RDFS.label, "exactly one rdfs:label"


def break_quote_without_speaker(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
    aid = arts[0].article.id
    g = ds.graph(iris.article_iri(aid))
    q = iris.evidence_iri(aid, "quote")  # any IRI will do
    q = URIRef(str(q).replace("/evidence/", "/quote/"))
    g.add((q, RDF.type, NG.Quote))
    g.add((q, NG.text, Literal("We agreed to pause strikes.")))
    ev = iris.evidence_iri(aid, "quote-evidence")
    g.add((ev, RDF.type, NG.Evidence))
    g.add((ev, NG.attests, q))
    g.add((ev, NG.inArticle, iris.article_iri(aid)))
    g.add((ev, NG.extractor, Literal("test")))
    g.add((ev, NG.confidence, Literal(Decimal("0.5"), datatype=XSD.decimal)))
    return q, NG.speaker, "speaker"


def break_relation_without_assertion(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
    russia = URIRef(iris.BASE + "entity/wikidata/Q159")
    add_relation(ds.graph(iris.article_iri(arts[1].article.id)), arts[1].article.id, PUTIN, NG.leaderOf,
                 russia, with_assertion=False)
    return PUTIN, NG.leaderOf, "no ng:Assertion"


def break_subrelation_without_assertion(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
    """ng:occupies is under ng:relatedTo only through ng:controls (rdfs:subPropertyOf+)."""
    ds.graph(iris.article_iri(arts[0].article.id)).add((PUTIN, NG.occupies, URIRef(iris.BASE + "entity/place/jeddah")))
    return PUTIN, NG.occupies, "no ng:Assertion"


def set_confidence(value: Literal) -> Callable[[Dataset, list[Any]], tuple[URIRef, URIRef | None, str]]:
    def breaker(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
        aid = arts[0].article.id
        m = first_mention(ds, aid)
        g = ds.graph(iris.article_iri(aid))
        g.set((m, NG.confidence, value))
        return m, NG.confidence, "confidence"

    return breaker


def break_same_as(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
    ds.graph(iris.ENTITIES_GRAPH).add((TRUMP, OWL.sameAs, URIRef("https://en.wikipedia.org/wiki/Donald_Trump")))
    return TRUMP, OWL.sameAs, "Wikidata"


def break_content_hash(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
    a = iris.article_iri(arts[0].article.id)
    ds.graph(a).set((a, NG.contentHash, Literal("md5:abc")))
    return a, NG.contentHash, ""


def break_entity_without_evidence(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
    ghost = URIRef(iris.BASE + "entity/person/nobody")
    ds.graph(iris.ENTITIES_GRAPH).add((ghost, RDF.type, NG.Person))
    ds.graph(iris.ENTITIES_GRAPH).add((ghost, RDFS.label, Literal("Nobody")))
    return ghost, None, "mention"


def break_mention_without_article(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
    aid = arts[0].article.id
    m = first_mention(ds, aid)
    ds.graph(iris.article_iri(aid)).remove((m, NG.inArticle, None))
    return m, NG.inArticle, ""


def break_event_date(ds: Dataset, arts: list[Any]) -> tuple[URIRef, URIRef | None, str]:
    aid = arts[0].article.id
    g = ds.graph(iris.article_iri(aid))
    ev_node = URIRef(iris.BASE + "event/x")
    g.add((ev_node, RDF.type, NG.PhoneCall))
    g.add((ev_node, RDFS.label, Literal("the call")))
    g.add((ev_node, NG.date, Literal("Tuesday")))
    m = first_mention(ds, aid)
    g.add((m, NG.attests, ev_node))
    return ev_node, NG.date, "xsd:date"


BREAKERS = {
    "entity without label": break_remove_label,
    "entity with two labels": break_second_label,
    "second label in an article graph": break_second_label_in_article_graph,
    "quote without speaker": break_quote_without_speaker,
    "relation without assertion": break_relation_without_assertion,
    "sub-relation without assertion": break_subrelation_without_assertion,
    "confidence 1.5": set_confidence(Literal(Decimal("1.5"), datatype=XSD.decimal)),
    "confidence -0.1": set_confidence(Literal(Decimal("-0.1"), datatype=XSD.decimal)),
    "confidence as a string": set_confidence(Literal("0.5")),
    "confidence as a double": set_confidence(Literal(0.5, datatype=XSD.double)),
    "sameAs not Wikidata": break_same_as,
    "bad content hash": break_content_hash,
    "entity without evidence": break_entity_without_evidence,
    "mention without article": break_mention_without_article,
    "event date not a date": break_event_date,
}


@pytest.mark.parametrize("case", list(BREAKERS))
def test_shacl_reports_the_violation(ds: Dataset, extractions: list[Any], case: str) -> None:
    assert validate(ds).conforms  # the starting point is valid, so the violation is the one we made
    focus, path, words = BREAKERS[case](ds, extractions)
    report = validate(ds)
    assert not report.conforms
    hits = [v for v in report.violations if v.focus == str(focus) and (path is None or v.path == str(path))]
    assert hits, f"no violation names {focus} {path}:\n{report.summary(100)}"
    assert any(words in v.message for v in hits), [v.message for v in hits]
    assert str(focus) in report.summary(100)
