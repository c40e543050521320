"""The viewer's overview: the entities that matter most and the weighted links between them.

A page of hundreds of articles holds thousands of nodes; drawn as they are they
make an unreadable hairball (quotes alone are 40% of the nodes).  The overview
reduces the graph to what a reader can take in at a glance:

* entities only (people, organizations, countries, places, assets); a quote
  folds into its speaker (the page lists it in the speaker's panel), an event
  into links between its parties;
* one *link* per pair of entities, aggregating the relations and stances
  between them, the events they share and the quotes in which one speaks of the
  other, weighted by the number of distinct articles behind any of these;
* the most important entities (articles that attest them, then PageRank on the
  linked graph), with no isolated node: an entity is kept only if it links to
  another kept entity;
* communities (Louvain, networkx) to colour by.

>>> from newsgraph.exports.html_model import ViewModel
>>> ov = overview(ViewModel({}, [], {}))
>>> ov.nodes, ov.links
([], [])
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from newsgraph.exports.html_model import ViewModel

# Nodes of the default view: enough for an overview, few enough for labels to be read.
OVERVIEW_NODES = 150
# Groups folded away in the overview: events become links between their parties, quotes a count.
FOLDED_GROUPS = frozenset({"Event", "Quote"})
# Communities given a colour of their own; the rest share a neutral one.
COLOURED_COMMUNITIES = 10


@dataclass
class Link:
    """What joins two entities, all kinds together, with the articles behind it."""

    a: str
    b: str
    edges: list[int] = field(default_factory=list)  # indices of model.edges between a and b
    events: list[str] = field(default_factory=list)  # events both take part in
    quotes: list[str] = field(default_factory=list)  # quotes in which one speaks of the other
    sources: set[str] = field(default_factory=set)

    @property
    def weight(self) -> int:
        """Articles behind the link; one for a link no article supports (a query's derived edge)."""
        return max(1, len(self.sources))


@dataclass
class Overview:
    nodes: list[str]  # the default view, most important first
    links: list[Link]  # between every two linked entities of the model, not only the overview's
    rank: dict[str, float]  # importance of each entity, 0..1
    community: dict[str, int]  # entity -> community index (0 = largest coloured), -1 = uncoloured
    communities: list[list[str]]  # coloured communities, members most important first
    quotes_of: dict[str, list[str]]  # speaker -> their quotes


def is_entity(model: ViewModel, node_id: str) -> bool:
    node = model.nodes.get(node_id)
    return node is not None and node.group not in FOLDED_GROUPS


def build_links(model: ViewModel) -> tuple[list[Link], dict[str, list[str]]]:
    """Every pair of entities joined by a relation, a stance, a shared event or a quote."""
    links: dict[tuple[str, str], Link] = {}

    def link(x: str, y: str) -> Link | None:
        if x == y:
            return None
        key = (x, y) if x < y else (y, x)
        if key not in links:
            links[key] = Link(*key)
        return links[key]

    parties: dict[str, set[str]] = defaultdict(set)  # event or quote -> entities it names
    speakers: dict[str, set[str]] = defaultdict(set)
    for i, edge in enumerate(model.edges):
        s_ent, t_ent = is_entity(model, edge.source), is_entity(model, edge.target)
        if s_ent and t_ent:
            found = link(edge.source, edge.target)
            if found is not None:
                found.edges.append(i)
                found.sources |= edge.evidence.sources
        elif s_ent != t_ent:
            entity, other = (edge.source, edge.target) if s_ent else (edge.target, edge.source)
            parties[other].add(entity)
            if edge.kind == "quote" and edge.prop.endswith("speaker") and other == edge.source:
                speakers[other].add(entity)
    quotes_of: dict[str, list[str]] = defaultdict(list)
    for fact, names in sorted(parties.items()):
        node = model.nodes[fact]
        quote = node.group == "Quote"
        for speaker in sorted(speakers.get(fact, ())):
            quotes_of[speaker].append(fact)
        for x, y in combinations(sorted(names), 2):
            if quote and x not in speakers[fact] and y not in speakers[fact]:
                continue  # two entities a quote mentions are not linked by it; its speaker is
            found = link(x, y)
            if found is None:
                continue
            (found.quotes if quote else found.events).append(fact)
            found.sources |= node.evidence.sources
    return [links[k] for k in sorted(links)], dict(quotes_of)


def importance(model: ViewModel, graph: nx.Graph) -> dict[str, float]:
    """Articles that attest an entity and its PageRank on the linked graph, half each, in 0..1."""
    entities = [k for k in model.nodes if is_entity(model, k)]
    if not entities:
        return {}
    pagerank = nx.pagerank(graph, weight="w") if graph.number_of_edges() else {}
    top_pr = max(pagerank.values(), default=0.0) or 1.0
    top_art = max((len(model.nodes[k].evidence.sources) for k in entities), default=0) or 1
    return {k: round(0.5 * len(model.nodes[k].evidence.sources) / top_art
                     + 0.5 * pagerank.get(k, 0.0) / top_pr, 4)
            for k in entities}


def pick(ranked: list[str], graph: nx.Graph, size: int) -> list[str]:
    """The `size` most important entities of which none is isolated among the others.

    The top `size` first; those that link to none of the others leave, and the next most
    important entities that link to one already kept take their places (adding a node that
    has a link isolates nobody).
    """
    pool = [k for k in ranked if graph.degree(k)]
    kept = set(pool[:size])
    kept = {k for k in kept if any(n in kept for n in graph.neighbors(k))}
    for k in pool[size:]:
        if len(kept) >= size:
            break
        if any(n in kept for n in graph.neighbors(k)):
            kept.add(k)
    return [k for k in ranked if k in kept]


def focused(focus: str, ranked: list[str], graph: nx.Graph, size: int) -> list[str]:
    """The focus and its most important linked entities (none isolated: each links to the focus)."""
    if focus not in graph:
        return [focus]
    near = set(graph.neighbors(focus))
    return [focus] + [k for k in ranked if k in near][: size - 1]


def overview(model: ViewModel, size: int = OVERVIEW_NODES, focus: str | None = None) -> Overview:
    """The default view of a model (around `focus` when given) and the links the page draws."""
    links, quotes_of = build_links(model)
    graph = nx.Graph()
    graph.add_nodes_from(k for k in model.nodes if is_entity(model, k))
    for found in links:
        graph.add_edge(found.a, found.b, w=found.weight)
    rank = importance(model, graph)
    ranked = sorted(rank, key=lambda k: (-rank[k], model.nodes[k].label, k))
    if focus is not None and is_entity(model, focus):
        nodes = focused(focus, ranked, graph, size)
    else:
        nodes = pick(ranked, graph, size)
    community, communities = colour_communities(graph, nodes, rank)
    return Overview(nodes, links, rank, community, communities, quotes_of)


def colour_communities(graph: nx.Graph, shown: list[str], rank: dict[str, float]
                       ) -> tuple[dict[str, int], list[list[str]]]:
    """Louvain communities of the linked graph; the ones most present in the view get colours."""
    names = sorted(k for k in graph if graph.degree(k))
    if not names:
        return {}, []
    # Integer nodes: Louvain iterates sets of nodes, and sets of strings change order with each
    # process's hash seed; sets of small integers do not, so the colours are the same every run.
    number = {k: i for i, k in enumerate(names)}
    linked = nx.Graph()
    linked.add_nodes_from(range(len(names)))
    linked.add_weighted_edges_from(
        sorted((number[a], number[b], w) for a, b, w in graph.edges(data="w")), weight="w")
    found = [{names[i] for i in c}
             for c in nx.community.louvain_communities(linked, weight="w", seed=7)]
    in_view = set(shown)
    weight = [sum(rank.get(k, 0.0) for k in c if k in in_view) for c in found]
    order = sorted(range(len(found)), key=lambda i: (-weight[i], -len(found[i]), min(found[i])))
    coloured = [i for i in order if weight[i] > 0][:COLOURED_COMMUNITIES]
    community: dict[str, int] = {}
    members: list[list[str]] = []
    for index, i in enumerate(coloured):
        members.append(sorted(found[i], key=lambda k: (-rank.get(k, 0.0), k)))
        for k in found[i]:
            community[k] = index
    return community, members
