"""The interactive HTML viewer: one self-contained page that works with the network cut off.

The page embeds vis-network 9.1.2 (its standalone build ships inside the pyvis
package), the viewer's own script and style, and the graph as JSON: no CDN, no
web font, no request of any kind (its Content-Security-Policy forbids them).
pyvis's `Network` is not used for the page itself: its `add_node` is O(n^2),
every `cdn_resources` mode still links bootstrap or vis-network from a CDN,
it inserts the heading unescaped and switches every tooltip to HTML when one
contains "href".  Here everything from article text reaches the page as JSON
data and is shown with `textContent`, never parsed as HTML.

>>> import tempfile, pathlib
>>> from newsgraph.graph.build import new_dataset
>>> page = write_html(new_dataset(), pathlib.Path(tempfile.mkdtemp()) / "graph.html")
>>> "vis-network" in page.read_text(encoding="utf-8")
True
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import Graph

from newsgraph import __version__
from newsgraph.errors import ExportError
from newsgraph.exports.atomic import write_text_atomic
from newsgraph.exports.html_layout import layout
from newsgraph.exports.html_model import (
    LEGEND_ORDER,
    OTHER_GROUP,
    ViewModel,
    build_view_model,
    cap,
    focus_on,
    iter_sources,
    select_constructed,
)

# Above this many nodes physics stays off: positions come from Python as they are.
PHYSICS_MAX_NODES = 1_500
# Beyond this many nodes only the most central are drawn (with a note saying what was left out).
DEFAULT_MAX_NODES = 10_000
VIS_VERSION = "9.1.2"

# Colour (Tableau 10, readable by most colour-blind readers) and vis-network shape per class group.
GROUP_STYLE: dict[str, tuple[str, str, str]] = {
    "Person": ("person", "#4E79A7", "dot"),
    "Organization": ("organization", "#F28E2B", "square"),
    "Country": ("country", "#E15759", "hexagon"),
    "Place": ("place", "#59A14F", "triangle"),
    "Asset": ("asset", "#B07AA1", "diamond"),
    "Event": ("event", "#EDC948", "star"),
    "Quote": ("quote", "#9C755F", "triangleDown"),
    OTHER_GROUP: ("other", "#BAB0AC", "dot"),
}
KIND_STYLE: dict[str, tuple[str, str]] = {
    "relation": ("relation between entities", "#7F8C99"),
    "stance": ("stance of an actor toward an event", "#C05A5A"),
    "role": ("role in an event", "#B89B2E"),
    "quote": ("speaker or subject of a quote", "#8C6D5A"),
    "derived": ("link drawn by the query (not stated in the graph)", "#5F9EA0"),
}
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


# ------------------------------------------------------------------ assets


@cache
def asset(name: str) -> str:
    """A file of newsgraph/exports/assets."""
    return resources.files("newsgraph.exports").joinpath("assets").joinpath(name).read_text(encoding="utf-8")


@cache
def vis_bundle(name: str) -> str:
    """vis-network's standalone JS or CSS, as shipped inside pyvis (no download needed)."""
    try:
        path = resources.files("pyvis").joinpath(f"templates/lib/vis-{VIS_VERSION}/{name}")
        return path.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise ExportError(
            f"cannot read vis-network {VIS_VERSION} ({name}) from the pyvis package: {exc}; "
            "reinstall it with: pip install 'pyvis>=0.3.2,<0.4'"
        ) from exc


# ------------------------------------------------------------------ the data the page reads


def script_json(value: object) -> str:
    """JSON that is safe inside <script>: no '<', '>' or '&' can end the element or open a comment.

    >>> script_json({"a": "</script><!--"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def node_size(sources: int, degree: int) -> float:
    """Bigger for entities more articles attest (degree when nothing attests them)."""
    weight = sources if sources else degree
    return round(min(40.0, 9.0 + 6.0 * math.sqrt(weight)), 1)


def edge_width(sources: int) -> float:
    """One pixel per supporting article, up to eight."""
    return float(min(8, max(1, sources)))


class PageData:
    """Turns a ViewModel into the compact JSON the page's script reads."""

    def __init__(self, model: ViewModel, title: str, physics: bool) -> None:
        self.model = model
        self.title = title
        self.physics = physics
        self.articles: dict[str, int] = {}
        self.sentences: dict[str, int] = {}
        self.evidence: list[dict[str, object]] = []
        self.evidence_index: dict[str, int] = {}

    def article(self, key: str) -> int:
        if key not in self.articles:
            self.articles[key] = len(self.articles)
        return self.articles[key]

    def sentence(self, text: str | None) -> int:
        if text is None:
            return -1
        if text not in self.sentences:
            self.sentences[text] = len(self.sentences)
        return self.sentences[text]

    def evidence_of(self, fact: str, shown: tuple, total: int) -> int:
        if not shown:
            return -1
        if fact not in self.evidence_index:
            items = [
                [self.sentence(ev.sentence), self.article(ev.article), ev.anchor,
                 None if ev.confidence is None else round(ev.confidence, 2), ev.extractor]
                for ev in shown
            ]
            self.evidence_index[fact] = len(self.evidence)
            self.evidence.append({"total": total, "items": items})
        return self.evidence_index[fact]

    def to_json(self, positions: dict[str, tuple[float, float]]) -> dict[str, object]:
        model = self.model
        for key in sorted(set(iter_sources(model))):
            self.article(key)
        degree = model.degree()
        nodes = []
        for node in model.nodes.values():
            x, y = positions[node.id]
            ev = node.evidence
            nodes.append({
                "id": node.id, "label": node.label, "group": node.group, "cls": node.class_label,
                "clsIri": node.class_iri, "aliases": list(node.aliases), "wd": node.wikidata,
                "x": x, "y": y, "size": node_size(len(ev.sources), degree[node.id]),
                "src": sorted(self.article(a) for a in ev.sources),
                "ev": self.evidence_of(node.id, ev.shown, ev.total),
                "details": dict(node.details), "speakers": [list(s) for s in node.speakers],
                "conflicts": list(node.conflicts), "outlets": node.outlets,
            })
        props: dict[str, int] = {}
        prop_list: list[dict[str, str]] = []
        parallel: Counter[frozenset[str]] = Counter()
        edges = []
        for edge in model.edges:
            if edge.prop not in props:
                props[edge.prop] = len(prop_list)
                kind_label, colour = KIND_STYLE.get(edge.kind, KIND_STYLE["relation"])
                prop_list.append({"iri": edge.prop, "label": edge.label, "kind": edge.kind,
                                  "kindLabel": kind_label, "color": colour})
            pair = frozenset((edge.source, edge.target))
            curve = 0.15 * parallel[pair]
            parallel[pair] += 1
            ev = edge.evidence
            edges.append({
                "id": edge.id, "from": edge.source, "to": edge.target, "p": props[edge.prop],
                "width": edge_width(len(ev.sources)), "curve": round(curve, 2),
                "src": sorted(self.article(a) for a in ev.sources),
                "ev": self.evidence_of(edge.fact, ev.shown, ev.total),
                "outlets": edge.outlets,
            })
        present = {n.group for n in model.nodes.values()}
        groups = [
            {"name": g, "label": GROUP_STYLE[g][0], "color": GROUP_STYLE[g][1],
             "border": darker(GROUP_STYLE[g][1]), "shape": GROUP_STYLE[g][2]}
            for g in LEGEND_ORDER if g in present
        ]
        articles = [
            {"iri": a.iri, "title": a.title, "date": a.date, "outlet": a.outlet, "url": a.url}
            for a in (model.articles[k] for k in self.articles)
        ]
        return {
            "meta": {
                "title": self.title, "physics": self.physics, "large": not self.physics,
                "stabilization": stabilization_iterations(len(nodes)), "notes": model.notes,
                "totalNodes": model.total_nodes, "totalEdges": model.total_edges,
            },
            "groups": groups, "props": prop_list, "articles": articles,
            "sentences": list(self.sentences), "nodes": nodes, "edges": edges,
            "evidence": self.evidence,
        }


def darker(colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * factor):02X}" for c in (r, g, b))


def stabilization_iterations(n: int) -> int:
    """Fewer physics steps for bigger pages: positions from Python are already a good start."""
    return 150 if n <= 200 else 60 if n <= 600 else 40


# ------------------------------------------------------------------ the page


def csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: list[str]) -> str:
    """Only the page's own scripts run (no inline handlers, no eval); nothing is fetched."""
    hashes = " ".join(csp_hash(s) for s in scripts)
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def render_page(model: ViewModel, title: str) -> str:
    """The complete HTML page for a view model."""
    physics = len(model.nodes) <= PHYSICS_MAX_NODES
    data = PageData(model, title, physics)
    weight = {k: float(len(n.evidence.sources)) for k, n in model.nodes.items()}
    positions = layout(
        list(model.nodes), [(e.source, e.target) for e in model.edges],
        {k: n.group for k, n in model.nodes.items()}, weight,
    )
    # Without its source-map comment, DevTools would try to fetch vis-network.min.js.map.
    vis_js = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", vis_bundle("vis-network.min.js"))
    viewer_js = asset("viewer.js")
    for name, text in (("vis-network.min.js", vis_js), ("viewer.js", viewer_js)):
        if re.search(r"</script|<!--", text, re.IGNORECASE):
            raise ExportError(f"{name} contains '</script' or '<!--' and cannot be inlined safely")
    values = {
        "CSP": html.escape(content_security_policy([vis_js, viewer_js]), quote=False).replace('"', "&quot;"),
        "VERSION": html.escape(__version__),
        "TITLE": html.escape(title),
        "VIS_CSS": vis_bundle("vis-network.css").replace("</style", "<\\/style"),
        "VIEWER_CSS": asset("viewer.css"),
        "DATA": script_json(data.to_json(positions)),
        "VIS_JS": vis_js,
        "VIEWER_JS": viewer_js,
    }
    # One pass, so that text inserted for one placeholder is never read as another.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], asset("viewer.html"))


def default_title(model: ViewModel) -> str:
    return (f"newsgraph: {model.total_nodes:,} entities, events and quotes from "
            f"{len(model.articles):,} article{'s' if len(model.articles) != 1 else ''}")


def view_model(
    dataset: Graph,
    *,
    focus: str | None = None,
    depth: int = 2,
    construct: Graph | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> ViewModel:
    """The part of the graph a page draws: all of it, a neighbourhood, or a query's result; capped."""
    model = build_view_model(dataset)
    if construct is not None:
        model = select_constructed(model, construct)
    if focus is not None:
        model = focus_on(model, focus, depth)
    return cap(model, max_nodes)


def write_html(
    dataset: Graph,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    focus: str | None = None,
    depth: int = 2,
    max_nodes: int = DEFAULT_MAX_NODES,
    construct: Graph | None = None,
) -> Path:
    """Write the viewer page of `dataset` (a build's Dataset or any Graph) to `path`, atomically.

    `focus` (a label, alias or IRI) draws only what lies within `depth` edges of
    that node; `construct` (the graph a CONSTRUCT query returned) draws only
    the nodes and triples it names.  At most `max_nodes` nodes are drawn, the
    most central ones, and the page says what was left out.  The file is UTF-8
    whatever the platform.
    """
    if max_nodes < 1:
        raise ExportError(f"max_nodes must be at least 1, not {max_nodes}")
    if depth < 0:
        raise ExportError(f"depth must be 0 or more, not {depth}")
    model = view_model(dataset, focus=focus, depth=depth, construct=construct, max_nodes=max_nodes)
    target = Path(path)
    try:
        write_text_atomic(target, render_page(model, title or default_title(model)))
        # The temporary file behind the atomic write is private (0600); a page is for reading.
        target.chmod(0o644)
    except OSError as exc:
        raise ExportError(f"{target}: could not write the HTML viewer: {exc.strerror or exc}") from exc
    return target


__all__ = [
    "DEFAULT_MAX_NODES",
    "PHYSICS_MAX_NODES",
    "render_page",
    "script_json",
    "view_model",
    "write_html",
]
