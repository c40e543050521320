"""The entity graph as a networkx graph: centrality, communities, paths with their evidence.

The projection keeps entities as nodes and joins two entities by an edge when
* a relation links them (`ng:controls`, ... read from the `ng:Assertion`s, so every edge
  keeps the sentences that state it),
* they take part in the same event (agent, participant, target, location), or
* they are mentioned in the same sentence (until relations and events are extracted
  everywhere this is what connects most of the graph; leave it out with `kinds`).
An edge's `weight` is the number of distinct articles (sources) behind it, and it
carries up to `MAX_EVIDENCE` evidence sentences.

It reads the store through SPARQL only, so it works on every backend.

>>> g = nx.Graph()
>>> g.add_edge("a", "b", weight=2, kinds="sentence", evidence=[("art", "A met B.")])
>>> g.add_edge("b", "c", weight=1, kinds="relation:controls", evidence=[("art", "B holds C.")])
>>> [(h.source, h.target, h.sentence) for h in connection(g, "a", "c")]
[('a', 'b', 'A met B.'), ('b', 'c', 'B holds C.')]
"""
from __future__ import annotations

import csv
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise
from pathlib import Path

import networkx as nx

from newsgraph.errors import NewsgraphError
from newsgraph.graph import iris
from newsgraph.graph.store import Store

MAX_EVIDENCE = 5
EDGE_KINDS = ("relations", "events", "sentences")

ENTITIES_QUERY = f"""
SELECT ?e ?label ?cls (GROUP_CONCAT(DISTINCT ?alt; separator="|") AS ?aliases) WHERE {{
  GRAPH <{iris.ENTITIES_GRAPH}> {{ ?e a ?cls ; rdfs:label ?label . OPTIONAL {{ ?e skos:altLabel ?alt0 }} }}
  BIND(COALESCE(?alt0, "") AS ?alt)  # rdflib cannot GROUP_CONCAT an unbound variable
}} GROUP BY ?e ?label ?cls
"""
RELATIONS_QUERY = """
SELECT ?s ?p ?o ?article ?sentence WHERE {
  ?a a ng:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?p rdfs:subPropertyOf* ng:relatedTo .
  ?ev ng:attests ?a ; ng:inArticle ?article .
  OPTIONAL { ?ev ng:inSentence/ng:sentenceText ?sentence }
}
"""
EVENTS_QUERY = """
SELECT ?event ?x ?article ?sentence WHERE {
  VALUES ?role { ng:agent ng:participant ng:target ng:location }
  ?event ?role ?x .
  ?ev ng:attests ?event ; ng:inArticle ?article .
  OPTIONAL { ?ev ng:inSentence/ng:sentenceText ?sentence }
}
"""
SENTENCES_QUERY = """
SELECT ?sentence ?text ?article ?e WHERE {
  ?m a ng:Mention ; ng:attests ?e ; ng:inSentence ?sentence ; ng:inArticle ?article .
  ?sentence ng:sentenceText ?text .
}
"""


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


class _Edges:
    def __init__(self) -> None:
        self.sources: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.evidence: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)

    def add(self, a: str, b: str, kind: str, article: str, sentence: str | None) -> None:
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        self.sources[key].add(article)
        self.kinds[key].add(kind)
        ev = self.evidence[key]
        if sentence and len(ev) < MAX_EVIDENCE and (article, sentence) not in ev:
            ev.append((article, sentence))


def project(store: Store, kinds: Sequence[str] = EDGE_KINDS) -> nx.Graph:
    """The weighted entity graph of a store (see the module docstring)."""
    from newsgraph.graph.store_query import run_store_query

    unknown = set(kinds) - set(EDGE_KINDS)
    if unknown:
        raise NewsgraphError(f"unknown edge kind(s) {sorted(unknown)}; choose from {', '.join(EDGE_KINDS)}")
    graph = nx.Graph()
    for e, label, cls, aliases in run_store_query(store, ENTITIES_QUERY).rows:
        node = str(e)
        classes = graph.nodes[node]["cls"] + "," + _short(str(cls)) if node in graph else _short(str(cls))
        graph.add_node(node, label=str(label), cls=classes, aliases=str(aliases or ""))
    edges = _Edges()
    if "relations" in kinds:
        for s, p, o, article, sentence in run_store_query(store, RELATIONS_QUERY).rows:
            edges.add(str(s), str(o), "relation:" + _short(str(p)), str(article), sentence and str(sentence))
    if "events" in kinds:
        members: dict[str, set[str]] = defaultdict(set)
        said: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        for event, x, article, sentence in run_store_query(store, EVENTS_QUERY).rows:
            members[str(event)].add(str(x))
            said[str(event)].append((str(article), sentence and str(sentence)))
        for event_iri, xs in members.items():
            for a, b in combinations(sorted(xs), 2):
                for source, text in said[event_iri]:
                    edges.add(a, b, "event", source, text)
    if "sentences" in kinds:
        by_sentence: dict[str, tuple[str, str, set[str]]] = {}
        for sent, sent_text, art, e in run_store_query(store, SENTENCES_QUERY).rows:
            key = str(sent)
            if key not in by_sentence:
                by_sentence[key] = (str(sent_text), str(art), set())
            by_sentence[key][2].add(str(e))
        for words, source, ents in by_sentence.values():
            for a, b in combinations(sorted(ents), 2):
                edges.add(a, b, "sentence", source, words)
    for (a, b), sources in edges.sources.items():
        for node in (a, b):
            if node not in graph:
                graph.add_node(node, label=_short(node), cls="", aliases="")
        graph.add_edge(a, b, weight=len(sources), kinds=",".join(sorted(edges.kinds[(a, b)])),
                       evidence=edges.evidence[(a, b)], sources=sorted(sources))
    return graph


@dataclass(frozen=True)
class Ranked:
    node: str
    label: str
    score: float


def central(graph: nx.Graph, n: int = 20, method: str = "pagerank") -> list[Ranked]:
    """The `n` most central entities: PageRank (weighted), weighted degree, or betweenness.

    Betweenness is exact up to 5,000 nodes and sampled (k=500, fixed seed) above, where the
    exact O(V·E) computation would take minutes.
    """
    if graph.number_of_nodes() == 0:
        return []
    if method == "pagerank":
        scores = nx.pagerank(graph, weight="weight")
    elif method == "degree":
        scores = dict(graph.degree(weight="weight"))
    elif method == "betweenness":
        k = None if graph.number_of_nodes() <= 5000 else 500
        scores = nx.betweenness_centrality(graph, k=k, seed=0)
    else:
        raise NewsgraphError(f"unknown centrality {method!r}; choose pagerank, degree or betweenness")
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], graph.nodes[kv[0]].get("label", kv[0])))
    return [Ranked(node, graph.nodes[node].get("label", node), float(score)) for node, score in ranked[:n]]


def communities(graph: nx.Graph, *, min_size: int = 2) -> list[list[str]]:
    """Louvain communities (weighted, seed 0 so runs agree), largest first."""
    if graph.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=0)
    groups = [sorted(c, key=lambda n: graph.nodes[n].get("label", n)) for c in found if len(c) >= min_size]
    return sorted(groups, key=lambda c: (-len(c), graph.nodes[c[0]].get("label", c[0])))


def find_entity(graph: nx.Graph, name: str) -> str:
    """The node for an IRI, a label or an alternative label (case-insensitive)."""
    if name in graph:
        return name
    wanted = name.strip().casefold()
    hits = [n for n, d in graph.nodes(data=True) if str(d.get("label", "")).casefold() == wanted]
    if not hits:
        hits = [n for n, d in graph.nodes(data=True)
                if wanted in {a.casefold() for a in str(d.get("aliases", "")).split("|") if a}]
    if not hits:  # "Zaporizhzhia" finds "Zaporizhzhia nuclear power plant"
        hits = [n for n, d in graph.nodes(data=True) if wanted in str(d.get("label", "")).casefold()]
    if not hits:
        raise NewsgraphError(f"no entity called {name!r} in the graph; list them with: newsgraph query entities")
    return min(hits, key=lambda n: -graph.degree(n, weight="weight"))


@dataclass(frozen=True)
class Hop:
    source: str
    target: str
    kinds: str
    weight: int
    article: str | None
    sentence: str | None


def connection(graph: nx.Graph, a: str, b: str) -> list[Hop]:
    """The shortest path from `a` to `b` (fewest hops; among those, the best-sourced),
    with the evidence sentence of every hop.  Empty when they are not connected."""
    try:
        path = nx.shortest_path(graph, a, b, weight=lambda u, v, d: 1.0 + 1.0 / (1 + d.get("weight", 1)))
    except nx.NetworkXNoPath:
        return []
    hops = []
    for u, v in pairwise(path):
        data = graph.edges[u, v]
        article, sentence = (data.get("evidence") or [(None, None)])[0]
        hops.append(Hop(u, v, data.get("kinds", ""), int(data.get("weight", 1)), article, sentence))
    return hops


MEASURES = ("pagerank", "degree", "betweenness", "community")


def node_measures(graph: nx.Graph) -> dict[str, dict[str, float | int]]:
    """What `newsgraph analyze` computes, per node, for the files Gephi and yEd read: the three
    centralities of `central` (PageRank, weighted degree, betweenness) and the Louvain community
    of `communities` (1 = the largest; 0 = in none, a node alone or in a pair's leftovers)."""
    if graph.number_of_nodes() == 0:
        return {}
    pagerank = nx.pagerank(graph, weight="weight")
    k = None if graph.number_of_nodes() <= 5000 else 500
    betweenness = nx.betweenness_centrality(graph, k=k, seed=0)
    community = {n: i for i, group in enumerate(communities(graph), 1) for n in group}
    return {n: {"pagerank": float(pagerank[n]), "degree": float(graph.degree(n, weight="weight")),
                "betweenness": float(betweenness[n]), "community": community.get(n, 0)} for n in graph}


def _flat(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes are all strings or numbers (what GraphML and GEXF accept),
    with the measures of `node_measures` on every node."""
    flat = nx.Graph()
    measures = node_measures(graph)
    for n, d in graph.nodes(data=True):
        flat.add_node(n, label=str(d.get("label", "")), cls=str(d.get("cls", "")), aliases=str(d.get("aliases", "")),
                      **measures[n])
    for u, v, d in graph.edges(data=True):
        evidence = " || ".join(s for _, s in d.get("evidence", []))
        flat.add_edge(u, v, weight=int(d.get("weight", 1)), kinds=str(d.get("kinds", "")),
                      sources=" ".join(d.get("sources", [])), evidence=evidence)
    return flat


def write_graphml(graph: nx.Graph, path: str | os.PathLike[str]) -> Path:
    from newsgraph.exports.atomic import atomic_path

    with atomic_path(path) as tmp:
        nx.write_graphml(_flat(graph), tmp)
    return Path(path)


def write_gexf(graph: nx.Graph, path: str | os.PathLike[str]) -> Path:
    from newsgraph.exports.atomic import atomic_path

    with atomic_path(path) as tmp:
        nx.write_gexf(_flat(graph), tmp)
    return Path(path)


def write_csv(graph: nx.Graph, folder: str | os.PathLike[str]) -> tuple[Path, Path]:
    """nodes.csv (id, label, class, aliases, the measures of `node_measures`) and edges.csv
    (source, target, weight, ...)."""
    from newsgraph.exports.atomic import atomic_path

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    flat = _flat(graph)
    with atomic_path(out / "nodes.csv") as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "label", "class", "aliases", "weighted_degree", "pagerank", "betweenness", "community"])
        for n, d in sorted(flat.nodes(data=True)):
            w.writerow([n, d["label"], d["cls"], d["aliases"], flat.degree(n, weight="weight"),
                        f"{d['pagerank']:.6g}", f"{d['betweenness']:.6g}", d["community"]])
    with atomic_path(out / "edges.csv") as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "target", "weight", "kinds", "sources", "evidence"])
        for u, v, d in sorted(flat.edges(data=True)):
            w.writerow([u, v, d["weight"], d["kinds"], d["sources"], d["evidence"]])
    return out / "nodes.csv", out / "edges.csv"


def labels(graph: nx.Graph, nodes: Iterable[str]) -> list[str]:
    return [str(graph.nodes[n].get("label", n)) for n in nodes]


__all__ = [
    "Hop",
    "Ranked",
    "central",
    "communities",
    "connection",
    "find_entity",
    "node_measures",
    "project",
    "write_csv",
    "write_gexf",
    "write_graphml",
]
