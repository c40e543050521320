"""Stores and incremental builds: same graph as a full build after every add / replace / remove,
atomic per article, refusing locked or foreign directories.  Hand-made extractions, no spaCy."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from newsgraph.errors import StoreError
from newsgraph.graph import iris
from newsgraph.graph.build import BuildInfo, build_dataset, describe_shared, light, new_dataset
from newsgraph.graph.incremental import IncrementalStore, decode, encode, extraction_json
from newsgraph.graph.names import Names, assign_names
from newsgraph.graph.store import (
    MARKER,
    Change,
    MemoryStore,
    OxigraphStore,
    StoreDir,
    export_store,
    open_store,
    ox_quad,
)
from newsgraph.ontology import NG
from newsgraph.resolve import resolve
from newsgraph.resolve.events import resolve_events

INFO = BuildInfo(version="test", model="none", settings={})


@pytest.fixture()
def articles(make_extraction: Any) -> dict[str, Any]:
    """Four small articles; b knows only "Putin", who becomes Vladimir Putin (Q7747) once a is in."""
    return {
        "a": make_extraction("Vladimir Putin spoke to Donald Trump.\nKyiv was quiet.",
                             [("Vladimir Putin", "Person", "Q7747", ["Vladimir Putin"]),
                              ("Donald Trump", "Person", None, ["Donald Trump"]),
                              ("Kyiv", "City", None, ["Kyiv"])], identifier="a.txt", title="A"),
        "b": make_extraction("Greenland is large.\nPutin was silent.",
                             [("Greenland", "Region", None, ["Greenland"]),
                              ("Putin", "Person", None, ["Putin"])], identifier="b.txt"),
        "c": make_extraction("Putin met Trump.",
                             [("Putin", "Person", "Q7747", ["Putin"]),
                              ("Donald Trump", "Person", None, ["Trump"])], identifier="c.txt"),
        "a2": make_extraction("Vladimir Putin spoke to Donald Trump again.",
                              [("Vladimir Putin", "Person", "Q7747", ["Vladimir Putin"]),
                               ("Donald Trump", "Person", None, ["Donald Trump"])], identifier="a.txt"),
    }


def canonical(quads: Any) -> set[str]:
    """Quads as Oxigraph keeps them (it canonicalizes literals), minus the build graph."""
    store = ox.Store()
    store.extend(ox_quad(q) for q in quads)
    return {str(q) for q in store if q.graph_name != ox.NamedNode(str(iris.BUILD_GRAPH))}


def full_build(extractions: list[Any], names: Names | None = None) -> set[str]:
    """A one-shot build of `extractions` (events resolved too), with `names` if given."""
    ds = build_dataset(extractions, resolve(extractions), INFO, names=names)
    return canonical(quads_of(ds))


def quads_of(ds: Any) -> Any:
    return ((s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in ds.quads((None, None, None, None)))


def commit(path: Path, new: list[Any], remove: list[Any] = ()) -> Any:  # type: ignore[assignment]
    with IncrementalStore.open(path) as inc:
        return inc.commit(new, [r.article.id for r in remove], info=INFO), inc.names()


def label_of(path: Path, iri: str) -> list[str]:
    with StoreDir.open(path, write=False) as sd:
        return [q.object.value for q in sd.store.ox.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(RDFS.label)), None)]


def stored(path: Path) -> set[str]:
    with StoreDir.open(path, write=False) as sd:
        return {str(q) for q in sd.store.ox if q.graph_name != ox.NamedNode(str(iris.BUILD_GRAPH))}


def test_codec_round_trips_an_extraction(articles: dict[str, Any]) -> None:
    ex = articles["a"]
    assert decode(json.loads(extraction_json(ex))) == ex
    assert encode(ex)["$"] == "newsgraph.extract.values:Extraction"


def test_codec_gives_missing_fields_their_defaults_and_drops_unknown_ones() -> None:
    """JSON written before a field existed, or after one was dropped, still reads (through
    __init__, not the shortcut that complete JSON of a plain dataclass takes)."""
    from newsgraph.extract.values import LocalEntity

    tag = "newsgraph.extract.values:LocalEntity"
    old = decode({"$": tag, "key": "e1", "name": "Kyiv", "entity_class": "Place", "gone": [1]})
    assert old == LocalEntity("e1", "Kyiv", "Place")
    full = LocalEntity("e1", "Kyiv", "Place", ("Kiev",), "Q1899")
    assert decode(json.loads(json.dumps(encode(full)))) == full
    assert hash(decode(encode(full))) == hash(full)
    with pytest.raises(StoreError):
        decode({"$": "os:system"})


def test_incremental_equals_full_build_after_add_replace_remove(tmp_path: Path, articles: dict[str, Any]) -> None:
    store = tmp_path / "s"
    a, b, c, a2 = articles["a"], articles["b"], articles["c"], articles["a2"]
    with IncrementalStore.open(store) as inc:
        inc.commit([b], info=INFO)
    assert stored(store) == full_build([b])
    with IncrementalStore.open(store) as inc:  # a names Vladimir Putin: b's "Putin" joins him, new IRI
        stats = inc.commit([a], info=INFO)
    assert stats.added == 1 and stats.rewritten == 1
    assert stored(store) == full_build([a, b])
    with IncrementalStore.open(store) as inc:
        inc.commit([c], info=INFO)
    assert stored(store) == full_build([a, b, c])
    with IncrementalStore.open(store) as inc:  # same content again: nothing happens
        stats = inc.commit([a, b, c], info=INFO)
    assert (stats.added, stats.skipped) == (0, 3)
    with IncrementalStore.open(store) as inc:  # same identifier, new text: replaces
        stats = inc.commit([a2], info=INFO)
    assert stats.replaced == 1
    assert stored(store) == full_build([a2, b, c])
    with IncrementalStore.open(store) as inc:
        assert inc.find("b.txt") == [b.article.id]
        inc.commit([], [c.article.id], info=INFO)
    assert stored(store) == full_build([a2, b])


def person(make_extraction: Any, text: str, name: str, identifier: str) -> Any:
    """An article naming one unlinked person, as `name` (which must occur in `text`)."""
    return make_extraction(text, [(name, "Person", None, [name])], identifier=identifier)


def test_entity_iri_survives_a_new_label_vote(tmp_path: Path, make_extraction: Any) -> None:
    """Two articles spelling Zelenskyy out-vote the one that spelt "Zelensky": a one-shot build
    names him person/zelenskyy, but the store keeps the IRI it published and only relabels it."""
    first = person(make_extraction, "Zelensky spoke.", "Zelensky", "1.txt")
    later = [person(make_extraction, f"Zelenskyy spoke {n}.", "Zelenskyy", f"{n}.txt") for n in (2, 3)]
    store = tmp_path / "s"
    commit(store, [first])
    kept = iris.BASE + "entity/person/zelensky"
    assert label_of(store, kept) == ["Zelensky"]
    stats, names = commit(store, later)
    assert stats.rewritten == 0
    assert label_of(store, kept) == ["Zelenskyy"]
    assert set(map(str, names.entities.values())) == {kept}
    one_shot = assign_names(resolve([first, *later]), resolve_events([], resolve([])))
    assert set(map(str, one_shot.entities.values())) == {iris.BASE + "entity/person/zelenskyy"}
    assert stored(store) == full_build([first, *later], names)
    assert stored(store) != full_build([first, *later])


def test_new_versions_of_articles_keep_their_entities_iris(tmp_path: Path, make_extraction: Any) -> None:
    """When every article naming an entity is replaced at once, the new versions vote like the old
    ones (same local keys): the IRI the store published stays, though a one-shot build differs."""
    store = tmp_path / "s"
    versions = [[person(make_extraction, f"Zelensky{'y' * (n > 1)} spoke {n}{v}.", f"Zelensky{'y' * (n > 1)}",
                        f"{n}.txt") for n in (1, 2, 3)] for v in ("", " again")]
    commit(store, versions[0][:1])
    commit(store, versions[0][1:])
    stats, names = commit(store, versions[1])
    assert stats.replaced == 3
    assert set(map(str, names.entities.values())) == {iris.BASE + "entity/person/zelensky"}
    assert stored(store) == full_build(versions[1], names)


def test_a_merge_keeps_the_larger_groups_iri_and_rewrites_only_the_other(
    tmp_path: Path, make_extraction: Any
) -> None:
    """"Schiff" stays apart while two Schiffs are known; removing Bob Schiff merges it into Adam
    Schiff (two articles), whose IRI survives: only the "Schiff" article is rewritten."""
    adams = [person(make_extraction, f"Adam Schiff said {n}.", "Adam Schiff", f"a{n}.txt") for n in (1, 2)]
    bob = person(make_extraction, "Bob Schiff said so.", "Bob Schiff", "b.txt")
    schiff = person(make_extraction, "Schiff said so.", "Schiff", "s.txt")
    store = tmp_path / "s"
    _, names = commit(store, [*adams, bob, schiff])
    assert len(set(names.entities.values())) == 3
    stats, names = commit(store, [], remove=[bob])
    assert stats.rewritten == 1 and stats.removed == 1
    assert set(map(str, names.entities.values())) == {iris.BASE + "entity/person/adam-schiff"}
    assert stored(store) == full_build([*adams, schiff])


def test_a_split_leaves_the_iri_with_the_larger_part(tmp_path: Path, make_extraction: Any) -> None:
    """Adam Schiff (two articles) and "Schiff" are one entity until Bob Schiff arrives: "Schiff"
    splits off with a new IRI, Adam Schiff keeps his, and only the "Schiff" article is rewritten."""
    adams = [person(make_extraction, f"Adam Schiff said {n}.", "Adam Schiff", f"a{n}.txt") for n in (1, 2)]
    schiff = person(make_extraction, "Schiff said so.", "Schiff", "s.txt")
    bob = person(make_extraction, "Bob Schiff said so.", "Bob Schiff", "b.txt")
    store = tmp_path / "s"
    _, names = commit(store, [*adams, schiff])
    assert set(map(str, names.entities.values())) == {iris.BASE + "entity/person/adam-schiff"}
    stats, names = commit(store, [bob])
    assert stats.rewritten == 1
    assert sorted(map(str, names.entities.values())) == [
        iris.BASE + f"entity/person/{slug}" for slug in ("adam-schiff", "bob-schiff", "schiff")]
    assert stored(store) == full_build([*adams, schiff, bob])


def test_a_store_from_before_pointers_is_upgraded(tmp_path: Path, articles: dict[str, Any]) -> None:
    """A store written by the previous version (light copies of entities only, no pointers) gets
    its light copies remade on open, and its first commit rewrites every article once."""
    from newsgraph.graph.incremental import STATE_FILE, StateDB

    store = tmp_path / "s"
    commit(store, [articles["a"], articles["b"]])
    state = StateDB(store / STATE_FILE)
    state.db.execute("DELETE FROM pointers")
    state.db.execute("UPDATE article SET light = '{}'")
    state.set_meta("light", "1")
    state.close()
    stats, _ = commit(store, [articles["c"]])
    assert stats.rewritten == 2
    assert stored(store) == full_build([articles["a"], articles["b"], articles["c"]])


def test_a_commit_writes_only_the_descriptions_that_changed(tmp_path: Path, articles: dict[str, Any],
                                                            make_extraction: Any) -> None:
    """Adding an article about other things rewrites its own descriptions, not the store's."""
    store = tmp_path / "s"
    a, b, c = articles["a"], articles["b"], articles["c"]
    with IncrementalStore.open(store) as inc:
        first = inc.commit([a, b, c], info=INFO)
    unrelated = make_extraction("Greta Thunberg sailed to Lisbon.",
                                [("Greta Thunberg", "Person", None, ["Greta Thunberg"]),
                                 ("Lisbon", "City", None, ["Lisbon"])], identifier="d.txt")
    with IncrementalStore.open(store) as inc:
        stats = inc.commit([unrelated], info=INFO)
    assert stats.shared_changes == 2  # Greta Thunberg and Lisbon, nothing of a, b or c
    assert first.shared_changes > stats.shared_changes
    assert stored(store) == full_build([a, b, c, unrelated])


def test_a_popular_claimed_value_is_one_description_however_many_claims_state_it(
        tmp_path: Path, make_extraction: Any) -> None:
    """Corroboration of a claim is counted on its value (ng:ClaimedValue), so an article that
    agrees with a value stated in thousands of articles rewrites one count, not their claims."""
    from dataclasses import replace

    from newsgraph.extract.values import Claim

    def titled(n: int) -> Any:
        ex = make_extraction(f"President Joe Biden spoke in city number {n}.",
                             [("Joe Biden", "Person", None, ["Joe Biden"])], identifier=f"{n}.txt")
        claim = Claim(about="entity", subject="Person:Joe Biden", attribute="office: president", value="current",
                      text="President", start=0, end=9, sentence=0, extractor="test", confidence=0.7)
        return replace(ex, claims=(claim,))

    store = tmp_path / "s"
    older = [titled(n) for n in range(4)]
    with IncrementalStore.open(store) as inc:
        inc.commit(older, info=INFO)
    with IncrementalStore.open(store) as inc:
        stats = inc.commit([titled(4)], info=INFO)
    assert stats.shared_changes == 2  # the value's counts and the new claim's link to it
    assert stored(store) == full_build([*older, titled(4)])
    rows = IncrementalStore.open(store)
    try:
        counts = rows.store.query("SELECT ?c ?n WHERE { ?c ng:claimedValue ?v . ?v ng:articleCount ?n }",
                                  prefixes={"ng": str(NG)}).rows
    finally:
        rows.close()
    assert len(counts) == 5 and {int(n) for _, n in counts} == {5}


def test_a_store_without_recorded_digests_compares_the_graphs(tmp_path: Path, articles: dict[str, Any]) -> None:
    store = tmp_path / "s"
    with IncrementalStore.open(store) as inc:
        inc.commit([articles["a"], articles["c"]], info=INFO)
        inc.state.set_meta("shared", None)  # digests lost, or written by another version
    with IncrementalStore.open(store) as inc:
        inc.commit([articles["b"]], [articles["c"].article.id], info=INFO)
        assert inc.state.shared_digests() is not None
    assert stored(store) == full_build([articles["a"], articles["b"]])
    with IncrementalStore.open(store) as inc:
        inc.commit([articles["c"]], info=INFO)
    assert stored(store) == full_build([articles["a"], articles["b"], articles["c"]])


def test_removing_the_only_supporting_article_removes_the_entity(tmp_path: Path, articles: dict[str, Any]) -> None:
    with IncrementalStore.open(tmp_path / "s") as inc:
        inc.commit([articles["a"], articles["b"]], info=INFO)
        inc.commit([], [articles["b"].article.id], info=INFO)
        greenland = inc.store.query("ASK { ?e rdfs:label 'Greenland' }", prefixes={"rdfs": str(RDFS)})
        assert greenland.askAnswer is False


def test_interrupted_commit_keeps_whole_articles_and_reconciles(
    tmp_path: Path, articles: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "s"
    a, b, c = articles["a"], articles["b"], articles["c"]
    with IncrementalStore.open(store) as inc:
        inc.commit([a], info=INFO)
    before = stored(store)
    calls = {"n": 0}
    original = OxigraphStore.apply

    def crash_on_third(self: OxigraphStore, change: Change) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # transaction 0, then article b, then c: crash before c lands
            raise KeyboardInterrupt
        original(self, change)

    monkeypatch.setattr(OxigraphStore, "apply", crash_on_third)
    with pytest.raises(KeyboardInterrupt), IncrementalStore.open(store) as inc:
        inc.commit([b, c], info=INFO)
    monkeypatch.setattr(OxigraphStore, "apply", original)
    ids = sorted([b.article.id, c.article.id])
    with IncrementalStore.open(store) as inc:  # reconciles the pending commit on open
        assert set(inc.live) == {a.article.id, ids[0]}
    first = b if b.article.id == ids[0] else c
    assert stored(store) == full_build([a, first])
    assert stored(store) != before
    with IncrementalStore.open(store) as inc:  # running the build again completes it
        inc.commit([b, c], info=INFO)
    assert stored(store) == full_build([a, b, c])


def test_a_foreign_non_empty_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(StoreError, match="not empty and is not a newsgraph store"):
        StoreDir.open(tmp_path, write=True)
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / MARKER).exists()


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    with StoreDir.open(tmp_path / "s", write=True):
        with pytest.raises(StoreError, match="in use by another newsgraph process"):
            StoreDir.open(tmp_path / "s", write=True)
        with pytest.raises(StoreError, match="a build is writing this store"):
            StoreDir.open(tmp_path / "s", write=False)
    with StoreDir.open(tmp_path / "s", write=True):
        pass


def test_reading_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    with pytest.raises(StoreError, match="not a newsgraph store"):
        StoreDir.open(tmp_path / "x", write=False)


@pytest.mark.parametrize("make", [MemoryStore, OxigraphStore])
def test_backends_agree_on_queries_and_changes(make: Any) -> None:
    store = make()
    g = URIRef("http://ex/g")
    store.apply(Change(insert=[(URIRef("http://ex/a"), RDFS.label, Literal("Kyiv"), g),
                               (URIRef("http://ex/b"), RDFS.label, Literal("Kursk"), g)]))
    store.apply(Change(delete=[(URIRef("http://ex/b"), RDFS.label, Literal("Kursk"), g)]))
    result = store.query("SELECT ?e ?l WHERE { ?e rdfs:label ?l }", {"l": Literal("Kyiv")},
                         prefixes={"rdfs": str(RDFS)})
    assert [row[0] for row in result.rows] == [URIRef("http://ex/a")]
    assert store.graph_names() == {"http://ex/g"}
    other = URIRef("http://ex/other")
    store.apply(Change(insert=[(URIRef("http://ex/a"), RDFS.comment, Literal("c"), g),
                               (URIRef("http://ex/a"), RDFS.label, Literal("Kyiv"), other)]))
    store.apply(Change(clear=[(g, URIRef("http://ex/a"))],  # clear, then insert: a replaced description
                       insert=[(URIRef("http://ex/a"), RDFS.label, Literal("Kiev"), g)]))
    assert sorted(str(q[2]) for q in store.triples(g)) == ["Kiev"]
    assert len(store) == 2  # the other graph's statement of the same subject stays
    store.apply(Change(drop_graphs=[g, other]))
    assert len(store) == 0


def test_oxigraph_change_is_atomic() -> None:
    store = OxigraphStore()
    g = URIRef("http://ex/g")
    store.apply(Change(insert=[(URIRef("http://ex/a"), RDFS.label, Literal("x"), g)]))
    with pytest.raises(StoreError):  # a malformed term in the middle: nothing of the change applies
        store.apply(Change(drop_graphs=[g], insert=[(URIRef("http://ex/b"), RDFS.label, Literal("y"), g),
                                                    (URIRef("bad iri"), RDFS.label, Literal("z"), g)]))
    assert len(store) == 1


def test_export_restores_declared_datatypes_and_validates(tmp_path: Path, articles: dict[str, Any]) -> None:
    from newsgraph.graph.load import load_dataset
    from newsgraph.graph.validate import validate

    with IncrementalStore.open(tmp_path / "s") as inc:
        inc.commit([articles["a"], articles["b"]], info=INFO)
    with StoreDir.open(tmp_path / "s", write=False) as sd:
        written = export_store(sd.store, tmp_path / "out", ["trig", "turtle"])
    assert validate(load_dataset(written["trig"])).conforms
    assert len(open_store(written["trig"])) == len(open_store(tmp_path / "s"))
    assert validate(load_dataset(tmp_path / "s")).conforms  # stats / validate read stores too


@pytest.mark.slow
def test_cli_build_store_twice_then_remove(tmp_path: Path, nlp: Any) -> None:
    """The CLI path end to end on the sample corpus: build, rebuild (all skipped), remove, query."""
    from click.testing import CliRunner

    import newsgraph
    from newsgraph.cli import main

    store = str(tmp_path / "store")
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--sample", "--store", store, "-q", "--no-validate"])
    assert first.exit_code == 0, first.output
    assert "3 article(s) added" in first.output
    again = runner.invoke(main, ["build", "--sample", "--store", store, "-q"])
    assert "0 article(s) added, 0 replaced, 3 unchanged" in again.output
    victim = sorted(Path(newsgraph.sample_corpus_path()).glob("*.txt"))[1]
    removed = runner.invoke(main, ["remove", str(victim), "--store", store])
    assert removed.exit_code == 0 and "Removed 1 article(s)" in removed.output
    out = runner.invoke(main, ["query", "SELECT (COUNT(?a) AS ?n) WHERE { ?a a ng:Article }", "--store", store,
                               "-f", "csv"])
    assert out.output.split() == ["n", "2"]
    refused = runner.invoke(main, ["build", "--sample", "--store", str(Path(__file__).parent)])
    assert refused.exit_code == 1 and "not a newsgraph store" in refused.output


ALLSIDES = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides-news-2018-2020" / "articles.jsonl.gz"


def allsides_articles(count: int) -> list[Any]:
    """The first `count` AllSides articles (real news: events, stances, quotes, shifting label votes)."""
    import gzip

    from newsgraph.ingest.article import Article

    if not ALLSIDES.exists():
        return []
    out = []
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(out) == count:
                break
            rec = json.loads(line)
            out.append(Article.create(rec["text"], identifier=f"allsides:{rec['id']}", title=rec.get("title"),
                                      date=rec.get("date"), source=rec.get("source"), url=rec.get("url")))
    return out


@pytest.mark.slow
def test_store_built_in_chunks_holds_the_one_shot_graph(tmp_path: Path, nlp: Any) -> None:
    """The sample corpus and ten AllSides articles, committed in three chunks, give the store the
    graph a one-shot `build_dataset` of all of them writes: article graphs with event evidence and
    stances, the entities and events graphs.

    Entity IRIs may legitimately differ: an entity the store named before a later chunk changed
    its label vote keeps the IRI the store published (events never do: `names`).  A term-by-term renaming
    of the one-shot graph would not reach the IRIs hashed from them (assertions, evidence), so the
    one-shot build is made with the store's names instead, and the names are checked to be a
    one-to-one renaming of the one-shot ones that leaves Wikidata-linked entities alone.
    """
    import newsgraph
    from newsgraph.api import read_unique
    from newsgraph.extract.pipeline import extract_articles

    articles = read_unique([newsgraph.sample_corpus_path()], []) + allsides_articles(10)
    extractions = list(extract_articles(articles))
    store = tmp_path / "s"
    for chunk in (extractions[:4], extractions[4:9], extractions[9:]):
        _, names = commit(store, chunk)
    res = resolve(extractions)
    events = resolve_events(extractions, res)
    assert stored(store) == canonical(quads_of(build_dataset(extractions, res, INFO, events, names)))

    one_shot = assign_names(res, events)
    for mine, theirs in ((names.entities, one_shot.entities), (names.events, one_shot.events)):
        assert mine.keys() == theirs.keys() and len(set(mine.values())) == len(mine)
    assert all(names.entities[e.key] == one_shot.entities[e.key] for e in res.entities if e.wikidata)
    # events are named from their members alone: the same IRIs in any order of arrival
    assert names.events == one_shot.events

    # what the old store lacked: the events graph, event evidence and stances
    with StoreDir.open(store, write=False) as sd:
        graph_names = sd.store.graph_names()
        ask = sd.store.query("ASK { GRAPH ?g { ?evidence ng:attests ?event } GRAPH ?events { ?event a ?c } }",
                             {"events": iris.EVENTS_GRAPH}, prefixes={"ng": str(NG)})
        stances = sd.store.query("SELECT ?a WHERE { GRAPH ?g { ?a rdf:predicate ?p } "
                                 "VALUES ?p { ng:proposed ng:agreedTo ng:rejected } }",
                                 prefixes={"ng": str(NG), "rdf": str(RDF)})
    if events.events:
        assert str(iris.EVENTS_GRAPH) in graph_names and ask.askAnswer
    assert bool(stances.rows) == any(ex.stances for ex in extractions)


@pytest.mark.slow
def test_shared_graphs_read_only_the_light_copies(sample_build: Any) -> None:
    """`describe_shared` over light copies (what a store keeps) writes what it writes over whole
    extractions: a step that needed text or mentions would make stores differ from file builds."""
    res = sample_build.resolution
    events = resolve_events(sample_build.extractions, res)
    full, lite = new_dataset(), new_dataset()
    describe_shared(full, sample_build.extractions, res, events)
    describe_shared(lite, [light(e) for e in sample_build.extractions], res, events)
    assert canonical(quads_of(full)) == canonical(quads_of(lite))
    assert len(full.graph(iris.ENTITIES_GRAPH)) > 0


def test_light_copies_are_packed_by_position_and_read_back_equal(sample_build: Any) -> None:
    """What a store keeps of each article: less than half the tagged JSON, the same values."""
    from newsgraph.graph.incremental import extraction_json, light_json, unpack_light

    for ex in sample_build.extractions:
        packed = light_json(ex)
        assert unpack_light(json.loads(packed)) == light(ex)
        assert len(packed) < len(json.dumps(encode(light(ex)))) / 2
        assert len(packed) < len(extraction_json(ex)) / 4


def test_a_packed_row_of_another_schema_is_refused_not_misread(make_extraction: Any) -> None:
    from dataclasses import replace

    from newsgraph.extract.values import Extraction, LocalEntity
    from newsgraph.graph.packed import pack, unpack

    ex = make_extraction("Kyiv is a city.", [("Kyiv", "City", "Q1899", ["Kyiv"])])
    row = pack(light(ex), Extraction)
    row[2][0].append("an extra field")  # the first entity, packed by a version with one more field
    with pytest.raises(StoreError, match="LocalEntity has 7 fields, not 6"):
        unpack(row, Extraction)

    class Linked(LocalEntity):  # a value the annotation does not name exactly is kept tagged
        pass

    odd = replace(ex, entities=(Linked(*(getattr(ex.entities[0], f) for f in ex.entities[0].__dataclass_fields__)),))
    tagged = pack(light(odd), Extraction)[2][0]
    assert tagged["$"].endswith(":test_a_packed_row_of_another_schema_is_refused_not_misread.<locals>.Linked")


def test_light_copies_of_an_older_schema_are_remade_on_open(tmp_path: Path, articles: dict[str, Any]) -> None:
    from newsgraph.graph.incremental import LIGHT_VERSION, STATE_FILE, StateDB

    store = tmp_path / "s"
    commit(store, [articles["a"]])
    state = StateDB(store / STATE_FILE)
    state.db.execute("UPDATE article SET light = ?", (json.dumps(encode(light(articles["a"]))),))  # tagged, v2
    state.set_meta("light", "2")
    state.close()
    state = StateDB(store / STATE_FILE)
    try:
        assert state.get_meta("light") == LIGHT_VERSION
        assert state.lights([articles["a"].article.id]) == {articles["a"].article.id: light(articles["a"])}
    finally:
        state.close()


@pytest.mark.parametrize("seed", range(5))
def test_random_commits_keep_every_count_equal_to_a_one_shot_build(tmp_path: Path, make_extraction: Any,
                                                                  seed: int) -> None:
    """Articles added, replaced and removed in random order, sharing speakers, quotes, relations
    and events: a commit recounts only the support it can change (`sources.Touched`) and keeps
    the rest, and the store must still equal a one-shot build of what it holds."""
    import random
    from dataclasses import replace

    from newsgraph.extract.values import Event, Quote, Relation, Stance

    rng = random.Random(seed)
    people = ["Joe Biden", "Xi Jinping", "Emmanuel Macron", "Olaf Scholz", "Biden"]

    def article(n: int, version: int) -> Any:
        chosen = rng.sample(people, 3)
        keys = [f"Person:{p}" for p in chosen]
        ex = make_extraction(f"Report {n}.{version}: {' met '.join(chosen)}.",
                             [(p, "Person", None, [p]) for p in chosen], identifier=f"{n}.txt",
                             source=rng.choice(["AP", "Reuters", "BBC"]), date=f"2025-03-{rng.randint(1, 28):02d}")
        event = Event("e1", (rng.choice(["Meeting", "Communication"]),), "talks", (keys[0],), (keys[1], keys[2]),
                      (), (), rng.choice([None, "2025-03-10"]), None, ())
        return replace(
            ex,
            relations=(Relation(keys[0], rng.choice(["supports", "opposes"]), keys[1], 0, 6, 0, "t", 0.7),),
            events=(event,),
            stances=(Stance(keys[2], rng.choice(["agreedTo", "rejected"]), "e1", 0, 6, 0, "t", 0.7),),
            quotes=(Quote(0, 6, rng.choice(["We will not back down.", "Talks went well."]), keys[rng.randrange(3)],
                          False, 0, (), "t", 0.7),))

    store = tmp_path / "s"
    live: dict[int, Any] = {}
    versions: dict[int, int] = {}
    counts_kept = 0
    for step in range(7):
        new, remove = [], []
        for n in rng.sample(range(8), rng.randint(1, 3)):
            if n in live and rng.random() < 0.4:
                remove.append(live.pop(n))
            else:
                versions[n] = versions.get(n, -1) + 1
                live[n] = article(n, versions[n])
                new.append(live[n])
        with IncrementalStore.open(store) as inc:
            inc.commit(new, [r.article.id for r in remove], info=INFO)
            names, kept = inc.names(), len(inc.statements().kept)
        assert stored(store) == full_build(list(live.values()), names), f"step {step}"
        counts_kept += kept
    assert counts_kept > 0  # commits did keep counts, not recount everything


def test_each_commit_flushes_the_embedded_store(tmp_path: Path, articles: dict[str, Any],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """RocksDB holds every write in memory until a flush: a build of many chunks in one process
    grew by ~13 MB per 10,000 quads written when only closing flushed."""
    from newsgraph.graph.store import OxigraphStore

    flushes: list[int] = []
    real = OxigraphStore.flush
    monkeypatch.setattr(OxigraphStore, "flush", lambda self: (flushes.append(len(self)), real(self))[1])
    with IncrementalStore.open(tmp_path / "s") as inc:
        inc.commit([articles["a"]], info=INFO)
        assert len(flushes) == 1 and flushes[0] > 0
        inc.commit([articles["b"]], [articles["a"].article.id], info=INFO)
        assert len(flushes) == 2


@pytest.mark.slow
@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2)], ids=str)
def test_event_iris_do_not_depend_on_the_order_articles_arrive_in(tmp_path: Path, sample_build: Any,
                                                                 order: tuple[int, ...]) -> None:
    """Each sample article committed alone, in three orders: every event IRI in the store is the
    one a one-shot build gives (inheriting an event's first IRI made 12 of 60 differ)."""
    extractions = sample_build.extractions
    store = tmp_path / "s"
    for index in order:
        _, names = commit(store, [extractions[index]])
    res = resolve(extractions)
    one_shot = assign_names(res, resolve_events(extractions, res))
    assert names.events == one_shot.events
    event_prefix = iris.BASE + "event/"
    with StoreDir.open(store, write=False) as sd:
        in_store = {str(q.subject.value) for q in sd.store.ox if isinstance(q.subject, ox.NamedNode)
                    and q.subject.value.startswith(event_prefix)}
    assert in_store == {str(iri) for iri in one_shot.events.values()}


def test_readers_never_see_half_a_commit(tmp_path: Path, articles: dict[str, Any]) -> None:
    """A build that dies between a commit's transactions leaves the store half-written: readers
    refuse it, naming what to do, until the next writer reconciles it."""
    from newsgraph.graph.store import PENDING_FILE

    store = tmp_path / "s"
    commit(store, [articles["a"]])

    new = {articles["b"].article.id, articles["c"].article.id}

    def crash(step: str) -> None:
        if step in new:  # after the first new article's transaction, before the second's
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError), IncrementalStore.open(store) as inc:
        inc.commit([articles["b"], articles["c"]], info=INFO, on_step=crash)
    assert (store / PENDING_FILE).exists()
    with pytest.raises(StoreError, match="stopped in the middle of a commit"):
        StoreDir.open(store, write=False)
    with IncrementalStore.open(store) as inc:  # the next build reconciles first
        assert articles["a"].article.id in inc.live and len(set(inc.live) & new) == 1
    assert not (store / PENDING_FILE).exists()
    with StoreDir.open(store, write=False) as sd:
        assert len(sd.store) > 0
