"""The networkx projection: edges weighted by sources, paths that show their evidence, exports."""
from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest

from newsgraph.graph import analytics
from newsgraph.graph.store import MemoryStore, OxigraphStore
from tests.test_query_store import CALL, PLANT, PUTIN, RUSSIA, TRUMP, UKRAINE, small_graph


@pytest.fixture(params=["rdflib", "oxigraph"])
def graph(request: pytest.FixtureRequest) -> nx.Graph:
    if request.param == "rdflib":
        store = MemoryStore(small_graph())
    else:
        store = OxigraphStore()
        store.load_dataset(small_graph())
    return analytics.project(store)


def test_relation_edges_are_weighted_by_sources(graph: nx.Graph) -> None:
    occupies = graph.edges[str(RUSSIA), str(PLANT)]
    assert occupies["weight"] == 2 and occupies["kinds"] == "relation:occupies"
    assert graph.edges[str(RUSSIA), str(UKRAINE)]["weight"] == 1
    assert graph.edges[str(TRUMP), str(PUTIN)]["kinds"] == "event"  # the call joins its parties
    assert str(CALL) not in graph  # events are edges, not nodes


def test_path_with_the_evidence_of_each_hop(graph: nx.Graph) -> None:
    a = analytics.find_entity(graph, "zaporizhzhia nuclear power plant")
    b = analytics.find_entity(graph, "Ukraine")
    hops = analytics.connection(graph, a, b)
    assert [(graph.nodes[h.source]["label"], graph.nodes[h.target]["label"]) for h in hops] == [
        ("Zaporizhzhia nuclear power plant", "Russia"), ("Russia", "Ukraine")]
    assert [h.sentence for h in hops] == ["Russia occupies the Zaporizhzhia plant.", "Russia controls part of Ukraine."]
    assert analytics.connection(graph, a, analytics.find_entity(graph, "Donald Trump")) == []


def test_centrality_and_communities(graph: nx.Graph) -> None:
    top = analytics.central(graph, 1, "degree")
    assert top[0].label == "Russia"
    groups = [set(analytics.labels(graph, g)) for g in analytics.communities(graph)]
    assert {"Donald Trump", "Vladimir Putin"} in groups


def test_exports_read_back(graph: nx.Graph, tmp_path: Path) -> None:
    back = nx.read_graphml(analytics.write_graphml(graph, tmp_path / "g.graphml"))
    assert back.number_of_edges() == graph.number_of_edges()
    assert nx.read_gexf(analytics.write_gexf(graph, tmp_path / "g.gexf")).number_of_nodes() == graph.number_of_nodes()
    nodes, edges = analytics.write_csv(graph, tmp_path / "csv")
    rows = list(csv.DictReader(edges.open(encoding="utf-8")))
    assert len(rows) == graph.number_of_edges()
    assert {r["weight"] for r in rows} >= {"2"}
    assert len(list(csv.DictReader(nodes.open(encoding="utf-8")))) == graph.number_of_nodes()


@pytest.mark.slow
def test_sample_corpus_greenland_to_zaporizhzhia(sample_build: object) -> None:
    """The question from the issue, on the real build: every hop has a sentence."""
    graph = analytics.project(MemoryStore(sample_build.dataset))  # type: ignore[attr-defined]
    a = analytics.find_entity(graph, "Greenland")
    b = analytics.find_entity(graph, "Zaporizhzhia")
    hops = analytics.connection(graph, a, b)
    assert 1 <= len(hops) <= 4
    assert all(h.sentence for h in hops)


def test_graphml_and_gexf_carry_what_analyze_computes(graph: nx.Graph, tmp_path: Path) -> None:
    """Gephi / yEd users get the centralities and communities of `newsgraph analyze` (issue 18)."""
    ranked = {r.node: r.score for r in analytics.central(graph, graph.number_of_nodes(), "pagerank")}
    groups = analytics.communities(graph)
    for back in (nx.read_graphml(analytics.write_graphml(graph, tmp_path / "g.graphml")),
                 nx.read_gexf(analytics.write_gexf(graph, tmp_path / "g.gexf"))):
        by_label = {d["label"]: d for _, d in back.nodes(data=True)}
        for node, score in ranked.items():
            d = by_label[graph.nodes[node]["label"]]
            assert abs(float(d["pagerank"]) - score) < 1e-9
            assert float(d["degree"]) == graph.degree(node, weight="weight")
            assert 0.0 <= float(d["betweenness"]) <= 1.0
        for i, group in enumerate(groups, 1):
            assert {int(by_label[graph.nodes[n]["label"]]["community"]) for n in group} == {i}
    assert max(by_label.values(), key=lambda d: float(d["pagerank"]))["label"] == \
        graph.nodes[analytics.central(graph, 1, "pagerank")[0].node]["label"]
