"""The viewer's model of a graph: nodes, edges, evidence, focus, query parts and the node cap."""
from __future__ import annotations

import math

import pytest
from browser import ZGraph, zaporizhzhia_graph
from rdflib import RDF, Graph

from newsgraph.errors import NewsgraphError
from newsgraph.exports.html_layout import layout
from newsgraph.exports.html_model import (
    build_view_model,
    cap,
    find_node,
    focus_on,
    neighbourhood,
    select_constructed,
)
from newsgraph.exports.viewer_synthetic import synthetic_dataset
from newsgraph.graph.query import run_query
from newsgraph.ontology import NG


@pytest.fixture(scope="module")
def z() -> ZGraph:
    return zaporizhzhia_graph()


@pytest.fixture(scope="module")
def model(z: ZGraph):
    return build_view_model(z.ds)


def test_nodes_are_entities_events_and_quotes_only(model) -> None:
    groups = sorted(n.group for n in model.nodes.values())
    assert groups == ["Asset", "Country", "Country", "Event", "Event", "Organization",
                      "Person", "Person", "Person", "Place", "Quote"]
    # Articles, sentences, mentions and assertions are not drawn.
    assert not any("/article/" in k or "/assertion/" in k for k in model.nodes)


def test_node_takes_its_most_specific_class(model, z: ZGraph) -> None:
    plant = model.nodes[str(z.plant)]
    assert (plant.group, plant.class_iri, plant.class_label) == ("Asset", str(NG.NuclearPowerPlant),
                                                                  "nuclear power plant")
    # A Country is also an Actor and a Place; it is drawn as a country.
    assert model.nodes[str(z.russia)].group == "Country"


def test_node_label_aliases_wikidata_and_evidence(model, z: ZGraph) -> None:
    plant = model.nodes[str(z.plant)]
    assert plant.label == "Zaporizhzhia nuclear power plant"
    assert plant.aliases == ("ZNPP", "Zaporizhzhia NPP")
    assert plant.wikidata == "Q200157"
    assert plant.evidence.total == 3 and len(plant.evidence.sources) == 3
    assert z.plant_sentence in {ev.sentence for ev in plant.evidence.shown}
    article = model.articles[next(ev.article for ev in plant.evidence.shown if ev.sentence == z.plant_sentence)]
    assert (article.title, article.outlet, article.date) == (
        "Russia holds Europe\u2019s largest nuclear plant", "Reuters", "2025-03-20")


def test_relation_edges_carry_the_evidence_of_their_assertion(model, z: ZGraph) -> None:
    edge = next(e for e in model.edges if e.prop == str(NG.controls))
    assert (edge.source, edge.target, edge.kind, edge.label) == (str(z.russia), str(z.plant), "relation", "controls")
    assert edge.id == str(z.controls) == edge.fact
    assert edge.evidence.total == 2 and len(edge.evidence.sources) == 2


def test_event_roles_stances_and_quote_links(model, z: ZGraph) -> None:
    kinds = {(model.nodes[e.source].label, e.label, model.nodes[e.target].label): e.kind for e in model.edges}
    assert kinds[("Trump\u2013Putin phone call", "agent", "Donald Trump")] == "role"
    assert kinds[("Vladimir Putin", "agreed to", "ceasefire")] == "stance"
    assert kinds[("\u201cThe plant is in a precarious state.\u201d", "speaker", "Rafael Grossi")] == "quote"
    role = next(e for e in model.edges if e.label == "agent" and e.source == str(z.call))
    assert role.fact == str(z.call) and role.evidence.total == 1  # supported by the event's evidence


def test_quote_knows_its_speaker_and_event_its_date(model, z: ZGraph) -> None:
    quote = model.nodes[str(z.quote)]
    assert quote.speakers == ((str(z.grossi), "Rafael Grossi"),)
    assert quote.details["text"] == "The plant is in a precarious state."
    assert model.nodes[str(z.call)].details["date"] == "2025-03-18"


@pytest.mark.parametrize("name", ["ZNPP", "zaporizhzhia nuclear power plant", "Zaporizhzhia",
                                  "https://w3id.org/newsgraph/id/entity/wikidata/Q200157", "znpp"])
def test_find_node_by_label_alias_prefix_or_iri(model, z: ZGraph, name: str) -> None:
    assert find_node(model, name).id == str(z.plant)


def test_find_node_unknown_says_what_to_give(model) -> None:
    with pytest.raises(NewsgraphError, match="no entity, event or quote called 'Kherson'"):
        find_node(model, "Kherson")


def test_focus_depth_counts_edges_either_way(model, z: ZGraph) -> None:
    one = neighbourhood(model, str(z.plant), 1)
    assert {model.nodes[k].label for k in one} == {
        "Zaporizhzhia nuclear power plant", "Russia", "Zaporizhzhia Oblast", "ceasefire",
        "\u201cThe plant is in a precarious state.\u201d"}
    two = focus_on(model, "ZNPP", 2)
    assert set(two.nodes) > one and "Ukraine" in {n.label for n in two.nodes.values()}
    assert all(e.source in two.nodes and e.target in two.nodes for e in two.edges)
    assert "within 2 edges" in two.notes[0]


def test_construct_result_draws_its_nodes_and_triples(z: ZGraph, model) -> None:
    result = run_query(z.ds, "CONSTRUCT { ?p ng:leaderOf ?x } WHERE { ?p ng:leaderOf ?x }")
    part = select_constructed(model, result.graph)
    assert sorted(n.label for n in part.nodes.values()) == ["IAEA", "Rafael Grossi", "Russia", "Vladimir Putin"]
    assert [e.label for e in part.edges] == ["leader of", "leader of"]
    assert all(e.evidence.total == 1 for e in part.edges)  # evidence comes from the full graph


def test_construct_of_a_derived_link_is_drawn_without_evidence(z: ZGraph, model) -> None:
    derived = Graph()
    derived.add((z.putin, NG.relatedTo, z.plant))
    part = select_constructed(model, derived)
    assert [(e.kind, e.label, e.evidence.total) for e in part.edges] == [("derived", "related to", 0)]


def test_construct_naming_nothing_is_an_error(model) -> None:
    empty = Graph()
    empty.add((NG.Person, RDF.type, NG.Person))
    with pytest.raises(NewsgraphError, match="names none of the graph"):
        select_constructed(model, empty)


def test_cap_keeps_the_most_attested_and_says_what_was_left_out(model, z: ZGraph) -> None:
    part = cap(model, 3)
    assert len(part.nodes) == 3 and str(z.plant) in part.nodes  # three articles attest the plant
    assert "Showing the 3 most central of 11 nodes" in part.notes[-1]
    assert "Left out:" in part.notes[-1] and "Person" in part.notes[-1]
    assert cap(model, 100) is model


def test_layout_is_deterministic_spread_and_finite() -> None:
    ds = synthetic_dataset(600, seed=3)
    m = build_view_model(ds)
    args = (list(m.nodes), [(e.source, e.target) for e in m.edges], {k: n.group for k, n in m.nodes.items()})
    first, second = layout(*args), layout(*args)
    assert first == second and set(first) == set(m.nodes)
    xs = [c for p in first.values() for c in p]
    assert all(math.isfinite(c) for c in xs)
    assert len(set(first.values())) == len(first)  # no two nodes on the same spot
    assert max(xs) - min(xs) > 500  # spread out, not a point


def test_layout_of_isolated_nodes_groups_them_by_class() -> None:
    nodes = [f"p{i}" for i in range(20)] + [f"c{i}" for i in range(20)]
    groups = {n: ("Person" if n[0] == "p" else "Country") for n in nodes}
    pos = layout(nodes, [], groups)

    def centre(prefix: str) -> tuple[float, float]:
        pts = [pos[n] for n in nodes if n[0] == prefix]
        return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))

    (px, py), (cx, cy) = centre("p"), centre("c")
    spread = max(math.dist(pos[n], (px, py)) for n in nodes if n[0] == "p")
    assert math.dist((px, py), (cx, cy)) > spread  # two separate discs


def test_reported_speech_is_drawn_as_a_quote_with_its_speaker() -> None:
    from newsgraph.exports.viewer_synthetic import FactWriter

    w = FactWriter()
    w.article("r1", "Talks", "2025-03-18")
    speaker = w.entity(NG.Person, "Dmitry Peskov", evidence=("r1", "Peskov said talks went well.", "Peskov"))
    said = w.quote(speaker, "talks went well", ("r1", "Peskov said talks went well.", "said"), indirect=True)
    node = build_view_model(w.ds).nodes[str(said)]
    assert (node.group, node.class_label, node.details["indirect"]) == ("Quote", "reported speech", "yes")
    assert node.speakers == ((str(speaker), "Dmitry Peskov"),)


# ------------------------------------------------------------------ the overview


def test_overview_keeps_the_most_important_linked_entities() -> None:
    from newsgraph.exports.html_overview import OVERVIEW_NODES, overview

    model = build_view_model(synthetic_dataset(1_200))
    ov = overview(model)
    shown = set(ov.nodes)
    assert 0 < len(shown) <= OVERVIEW_NODES
    assert {model.nodes[k].group for k in shown}.isdisjoint({"Event", "Quote"})
    linked = {x for link in ov.links if link.a in shown and link.b in shown for x in (link.a, link.b)}
    assert linked == shown  # no isolated node
    # Most important first; no entity left out ranks above the last one kept unless it has no link
    # to the kept ones.
    assert ov.nodes == sorted(ov.nodes, key=lambda k: -ov.rank[k])
    # Every quote is listed under its speaker, and links carry the articles of what they aggregate.
    quotes = [k for k, n in model.nodes.items() if n.group == "Quote" and n.speakers]
    assert sorted(q for qs in ov.quotes_of.values() for q in qs) == sorted(quotes)
    for link in ov.links[:200]:
        expected = set()
        for i in link.edges:
            expected |= model.edges[i].evidence.sources
        for fact in link.events + link.quotes:
            expected |= model.nodes[fact].evidence.sources
        assert link.sources == expected and link.weight == max(1, len(expected))


def test_overview_around_a_focus_starts_with_it(z: ZGraph) -> None:
    from newsgraph.exports.html_overview import overview

    model = build_view_model(z.ds)
    ov = overview(model, focus=str(z.putin))
    assert ov.nodes[0] == str(z.putin)
    names = {model.nodes[k].label for k in ov.nodes}
    # The phone call, leaderOf, and the ceasefire Putin agreed to (Russia its agent, the plant its target).
    assert names == {"Vladimir Putin", "Donald Trump", "Russia", "Zaporizhzhia nuclear power plant"}


def test_communities_are_the_same_in_every_process(tmp_path) -> None:
    import subprocess
    import sys

    code = ("from newsgraph.exports.html_model import build_view_model;"
            "from newsgraph.exports.html_overview import overview;"
            "from newsgraph.exports.viewer_synthetic import synthetic_dataset;"
            "ov = overview(build_view_model(synthetic_dataset(400)));"
            "print(sorted(ov.community.items()))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert len(runs) == 1
