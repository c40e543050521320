"""Node positions computed in Python, so that the page draws at once.

vis-network's physics takes minutes to settle thousands of nodes in the browser,
and with physics off its own layout is a useless ring.  So the page gets
positions from here: a vectorised Fruchterman-Reingold layout of each connected
component's most connected nodes (networkx's own spring layout takes 6 s for
1,500 nodes), the other nodes of the component set around the neighbour that
reaches them first, nodes without edges gathered in one disc per class, and
the pieces packed on shelves.  Small pages then let physics polish this start;
large pages draw it as it is.

>>> pos = layout(["a", "b", "c"], [("a", "b")], {"a": "Person", "b": "Person", "c": "Place"})
>>> sorted(pos) == ["a", "b", "c"] and all(len(p) == 2 for p in pos.values())
True
"""
from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np

SPACING = 70.0  # pixels between neighbouring nodes at zoom 1
CORE_SIZE = 1000  # nodes per component laid out by forces; the rest are placed around them
ITERATIONS = 60
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))

Positions = dict[str, tuple[float, float]]


def fruchterman_reingold(n: int, edges: np.ndarray, rng: np.random.Generator,
                         iterations: int = ITERATIONS) -> np.ndarray:
    """Positions of n nodes in about the unit disc; edges is an (m, 2) array of indices.

    Dense repulsion (n x n) is fine up to CORE_SIZE nodes; a weak pull to the centre
    keeps parts that are joined only through outer nodes from drifting apart.
    """
    if n == 1:
        return np.zeros((1, 2))
    pos = rng.uniform(-1.0, 1.0, size=(n, 2))
    k = math.sqrt(4.0 / n)
    temperature = 0.2
    cooling = temperature / (iterations + 1)
    src, dst = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, int), np.zeros(0, int))
    for _ in range(iterations):
        # x and y apart: two contiguous n x n float32 arrays are several times faster than (n, n, 2).
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        inverse = dx * dx + dy * dy
        np.fill_diagonal(inverse, np.inf)
        np.maximum(inverse, 1e-6, out=inverse)
        np.divide(k * k, inverse, out=inverse)
        disp = np.column_stack(((dx * inverse).sum(axis=1), (dy * inverse).sum(axis=1))).astype(float)
        if len(src):
            pull = pos[src] - pos[dst]
            pull *= np.linalg.norm(pull, axis=1, keepdims=True) / k
            np.subtract.at(disp, src, pull)
            np.add.at(disp, dst, pull)
        disp -= pos * (0.1 / k) * np.linalg.norm(pos, axis=1, keepdims=True)
        length = np.linalg.norm(disp, axis=1, keepdims=True)
        pos += disp * (np.minimum(length, temperature) / np.maximum(length, 1e-9))
        temperature -= cooling
    pos -= pos.mean(axis=0)
    radius = np.linalg.norm(pos, axis=1).max()
    return pos / radius if radius > 0 else pos


def sunflower(count: int, spacing: float = SPACING, start: float = 0.0) -> np.ndarray:
    """`count` evenly spread points in a disc (Vogel's spiral), the first at the centre."""
    idx = np.arange(count, dtype=float)
    radius = spacing * 0.55 * np.sqrt(idx)
    angle = start + idx * GOLDEN_ANGLE
    return np.column_stack((radius * np.cos(angle), radius * np.sin(angle)))


def layout_component(graph: nx.Graph, members: list[int], weight: Sequence[float],
                     rng: np.random.Generator) -> np.ndarray:
    """Positions (in pixels, centred on 0) of one connected component, in `members` order."""
    degree = dict(graph.degree(members))
    ranked = sorted(members, key=lambda v: (-degree[v], -weight[v], v))
    core = ranked[:CORE_SIZE]
    where = {v: i for i, v in enumerate(core)}
    core_edges = np.array(
        [(where[a], where[b]) for a, b in graph.subgraph(core).edges()], dtype=int
    ).reshape(-1, 2)
    unit = fruchterman_reingold(len(core), core_edges, rng)
    placed: dict[int, np.ndarray] = {
        v: unit[i] * SPACING * 0.75 * math.sqrt(len(core)) for i, v in enumerate(core)
    }
    place_around_parents(graph, core, placed)
    return np.array([placed[v] for v in members])


def place_around_parents(graph: nx.Graph, core: list[int], placed: dict[int, np.ndarray]) -> None:
    """Set each node not yet placed in a sunflower around the neighbour that reaches it first."""
    children: dict[int, int] = defaultdict(int)
    queue = deque(core)
    while queue:
        parent = queue.popleft()
        base = placed[parent]
        outward = math.atan2(base[1], base[0])
        for child in sorted(graph.neighbors(parent)):
            if child in placed:
                continue
            j = children[parent] = children[parent] + 1
            angle = outward + (j - 1) * GOLDEN_ANGLE
            radius = SPACING * (0.9 + 0.45 * math.sqrt(j))
            placed[child] = base + radius * np.array((math.cos(angle), math.sin(angle)))
            queue.append(child)


def pack(pieces: list[np.ndarray]) -> list[np.ndarray]:
    """Translate the pieces (each centred on 0) onto shelves, biggest first, centred overall."""
    radii = [float(np.linalg.norm(p, axis=1).max()) + SPACING for p in pieces]
    order = sorted(range(len(pieces)), key=lambda i: -radii[i])
    width = math.sqrt(sum((2 * r) ** 2 for r in radii)) * 1.15
    x = y = row_height = 0.0
    offsets: dict[int, np.ndarray] = {}
    for i in order:
        d = 2 * radii[i]
        if x > 0 and x + d > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        offsets[i] = np.array((x + radii[i], y + radii[i]))
        x += d
        row_height = max(row_height, d)
    moved = [pieces[i] + offsets[i] for i in range(len(pieces))]
    if moved:
        everything = np.vstack(moved)
        centre = (everything.min(axis=0) + everything.max(axis=0)) / 2
        moved = [m - centre for m in moved]
    return moved


def layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    groups: Mapping[str, str],
    weight: Mapping[str, float] | None = None,
    seed: int = 7,
) -> Positions:
    """x, y in pixels for every node: deterministic for the same input."""
    index = {node: i for i, node in enumerate(nodes)}
    weights = [float((weight or {}).get(node, 0.0)) for node in nodes]
    graph = nx.Graph()
    graph.add_nodes_from(range(len(nodes)))
    graph.add_edges_from((index[a], index[b]) for a, b in edges if a != b and a in index and b in index)
    rng = np.random.default_rng(seed)
    pieces: list[np.ndarray] = []
    owners: list[list[int]] = []
    lonely: dict[str, list[int]] = defaultdict(list)
    for comp in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c))):
        members = sorted(comp)
        if len(members) == 1:
            lonely[groups.get(nodes[members[0]], "")].append(members[0])
            continue
        pieces.append(layout_component(graph, members, weights, rng))
        owners.append(members)
    for group in sorted(lonely):
        members = sorted(lonely[group], key=lambda v: (-weights[v], nodes[v]))
        pieces.append(sunflower(len(members)))
        owners.append(members)
    positions: Positions = {}
    for members, placed in zip(owners, pack(pieces)):
        for v, (x, y) in zip(members, placed):
            positions[nodes[v]] = (round(float(x), 1), round(float(y), 1))
    return positions
