"""The interactive HTML viewer: one self-contained page that works with the network cut off.

The page embeds the viewer's own script (a Canvas 2D renderer, see docs/viewer.md
for why not vis-network or sigma.js), its style, and the graph as JSON: no CDN, no
web font, no request of any kind (its Content-Security-Policy forbids them).
Everything from article text reaches the page as JSON data and is shown with
`textContent`, never parsed as HTML; characters that reorder text are shown as marks.

>>> import tempfile, pathlib
>>> from newsgraph.graph.build import new_dataset
>>> page = write_html(new_dataset(), pathlib.Path(tempfile.mkdtemp()) / "graph.html")
>>> "window.newsgraph" in page.read_text(encoding="utf-8")
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
from newsgraph.exports.html_overview import Overview, overview
from newsgraph.exports.html_model import (
    LEGEND_ORDER,
    OTHER_GROUP,
    ViewModel,
    ViewNode,
    build_view_model,
    cap,
    find_node,
    focus_on,
    iter_sources,
    select_constructed,
)

# Above this many nodes a page is "large": the view moves a picture of itself while it pans or zooms.
PHYSICS_MAX_NODES = 1_500
# Beyond this many nodes only the most central are drawn (with a note saying what was left out).
DEFAULT_MAX_NODES = 10_000

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


# ------------------------------------------------------------------ the data the page reads


def script_json(value: object) -> str:
    """JSON that is safe inside <script>: no '<', '>' or '&' can end the element or open a comment.

    >>> script_json({"a": "</script><!--"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = visible_controls(json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


# Characters that reorder or hide text (a name with U+202E draws "evil.com" as "moc.live"): each is
# shown as a visible mark instead.  Joiners (U+200C, U+200D) and marks (U+200E, U+200F) stay:
# words of Persian, Hindi or emoji need them, and they cannot reverse a run of text.
CONTROL_MARKS = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
    "\u200b": "ZWSP", "\u2060": "WJ", "\ufeff": "BOM", "\u061c": "ALM",
}
_CONTROLS = re.compile("[" + "".join(CONTROL_MARKS) + "]")


def visible_controls(text: str) -> str:
    """Text with every bidi override, embedding, isolate and zero-width space shown as a mark.

    >>> visible_controls("\u202emoc.live")
    '\u2039RLO\u203amoc.live'
    """
    return _CONTROLS.sub(lambda m: "\u2039" + CONTROL_MARKS[m.group(0)] + "\u203a", text)


def node_size(sources: int, degree: int) -> float:
    """Bigger for entities more articles attest (degree when nothing attests them)."""
    weight = sources if sources else degree
    return round(min(40.0, 9.0 + 6.0 * math.sqrt(weight)), 1)


def edge_width(sources: int) -> float:
    """One pixel per supporting article, up to eight."""
    return float(min(8, max(1, sources)))


# Longest label, alias and sentence the page carries (a 600 kB "name" would freeze any drawing).
MAX_LABEL_CHARS = 160
MAX_ALIASES = 40
MAX_SENTENCE_CHARS = 2_000
# Colours of communities (Tableau 10 again, in an order that keeps neighbours apart) and the rest.
COMMUNITY_COLOURS = ("#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#B07AA1",
                     "#76B7B2", "#EDC948", "#FF9DA7", "#9C755F", "#8CD17D")
UNCOLOURED = "#BAB0AC"


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, saying how long the text was when it is cut.

    >>> clip("a" * 10, 4)
    'aaa… (10 characters)'
    """
    if len(text) <= limit:
        return text
    return text[: limit - 1] + f"\u2026 ({len(text):,} characters)"


def sentence_excerpt(sentence: str, anchor: str | None) -> str:
    """The sentence, or the part of a very long one around its anchor."""
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    at = sentence.find(anchor) if anchor else -1
    start = max(0, at - MAX_SENTENCE_CHARS // 2) if at >= 0 else 0
    return ("\u2026" if start else "") + sentence[start : start + MAX_SENTENCE_CHARS] + "\u2026"


class PageData:
    """Turns a ViewModel into the compact JSON the page's script reads."""

    def __init__(self, model: ViewModel, title: str, large: bool, focus: str | None = None) -> None:
        self.model = model
        self.title = title
        self.large = large
        self.focus = focus
        self.articles: dict[str, int] = {}
        self.sentences: dict[str, int] = {}
        self.evidence: list[dict[str, object]] = []
        self.evidence_index: dict[str, int] = {}

    def article(self, key: str) -> int:
        if key not in self.articles:
            self.articles[key] = len(self.articles)
        return self.articles[key]

    def sentence(self, text: str | None, anchor: str | None = None) -> int:
        if text is None:
            return -1
        text = sentence_excerpt(text, anchor)
        if text not in self.sentences:
            self.sentences[text] = len(self.sentences)
        return self.sentences[text]

    def evidence_of(self, fact: str, shown: tuple, total: int) -> int:
        if not shown:
            return -1
        if fact not in self.evidence_index:
            items = [
                [self.sentence(ev.sentence, ev.anchor), self.article(ev.article),
                 clip(ev.anchor, MAX_LABEL_CHARS) if ev.anchor else ev.anchor,
                 None if ev.confidence is None else round(ev.confidence, 2), ev.extractor]
                for ev in shown
            ]
            self.evidence_index[fact] = len(self.evidence)
            self.evidence.append({"total": total, "items": items})
        return self.evidence_index[fact]

    def conflicts_of(self, node: ViewNode) -> list[dict[str, object]]:
        return [
            {"label": clip(c.label, MAX_LABEL_CHARS),
             "claims": [[claim.side, clip(claim.stated, MAX_LABEL_CHARS),
                         self.article(claim.article) if claim.article else -1,
                         self.sentence(claim.sentence, claim.stated)] for claim in c.claims]}
            for c in node.conflict_sides
        ]

    def to_json(self, positions: dict[str, tuple[float, float]], ov: Overview,
                local: dict[str, tuple[float, float]]) -> dict[str, object]:
        model = self.model
        for key in sorted(set(iter_sources(model))):
            self.article(key)
        degree = model.degree()
        nodes = []
        for node in model.nodes.values():
            x, y = positions[node.id]
            ev = node.evidence
            item: dict[str, object] = {
                "id": node.id, "label": clip(node.label, MAX_LABEL_CHARS), "group": node.group,
                "cls": node.class_label, "clsIri": node.class_iri,
                "aliases": [clip(a, MAX_LABEL_CHARS) for a in node.aliases[:MAX_ALIASES]],
                "moreAliases": max(0, len(node.aliases) - MAX_ALIASES), "wd": node.wikidata,
                "x": x, "y": y, "size": node_size(len(ev.sources), degree[node.id]),
                "imp": ov.rank.get(node.id, 0.0), "com": ov.community.get(node.id, -1),
                "src": sorted(self.article(a) for a in ev.sources),
                "ev": self.evidence_of(node.id, ev.shown, ev.total),
                "details": {k: clip(v, MAX_SENTENCE_CHARS) for k, v in node.details.items()},
                "speakers": [[i, clip(label, MAX_LABEL_CHARS)] for i, label in node.speakers],
                "conflicts": self.conflicts_of(node), "outlets": node.outlets,
                "quotes": ov.quotes_of.get(node.id, []),
            }
            if node.id in local:
                item["ox"], item["oy"] = local[node.id]
            nodes.append(item)
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
        links = [
            [link.a, link.b, link.weight, link.edges, link.events, link.quotes,
             sorted(self.article(a) for a in link.sources)]
            for link in ov.links
        ]
        present = {n.group for n in model.nodes.values()}
        groups = [
            {"name": g, "label": GROUP_STYLE[g][0], "color": GROUP_STYLE[g][1],
             "border": darker(GROUP_STYLE[g][1]), "shape": GROUP_STYLE[g][2]}
            for g in LEGEND_ORDER if g in present
        ]
        communities = [
            {"color": COMMUNITY_COLOURS[i % len(COMMUNITY_COLOURS)], "size": len(members),
             "label": ", ".join(clip(model.nodes[k].label, 40) for k in members[:3])}
            for i, members in enumerate(ov.communities)
        ]
        articles = [
            {"iri": a.iri, "title": clip(a.title, MAX_SENTENCE_CHARS), "date": a.date,
             "outlet": clip(a.outlet, MAX_LABEL_CHARS) if a.outlet else a.outlet, "url": a.url}
            for a in (model.articles[k] for k in self.articles)
        ]
        return {
            "meta": {
                "title": self.title, "large": self.large,
                "notes": model.notes, "totalNodes": model.total_nodes, "totalEdges": model.total_edges,
                "focus": self.focus, "uncoloured": UNCOLOURED,
            },
            "groups": groups, "props": prop_list, "articles": articles,
            "sentences": list(self.sentences), "nodes": nodes, "edges": edges,
            "evidence": self.evidence, "links": links, "overview": ov.nodes, "communities": communities,
        }


def darker(colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * factor):02X}" for c in (r, g, b))


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


def render_page(model: ViewModel, title: str, focus: str | None = None) -> str:
    """The complete HTML page for a view model (its default view around `focus`, an IRI, if given)."""
    data = PageData(model, visible_controls(title), len(model.nodes) > PHYSICS_MAX_NODES, focus)
    weight = {k: float(len(n.evidence.sources)) for k, n in model.nodes.items()}
    groups = {k: n.group for k, n in model.nodes.items()}
    positions = layout(list(model.nodes), [(e.source, e.target) for e in model.edges], groups, weight)
    ov = overview(model, focus=focus)
    shown = set(ov.nodes)
    local = layout(ov.nodes, [(x.a, x.b) for x in ov.links if x.a in shown and x.b in shown],
                   groups, {k: ov.rank.get(k, 0.0) * 100 for k in ov.nodes})
    viewer_js = asset("viewer.js")
    if re.search(r"</script|<!--", viewer_js, re.IGNORECASE):
        raise ExportError("viewer.js contains '</script' or '<!--' and cannot be inlined safely")
    values = {
        "CSP": html.escape(content_security_policy([viewer_js]), quote=False).replace('"', "&quot;"),
        "VERSION": html.escape(__version__),
        "TITLE": html.escape(visible_controls(title)),
        "VIEWER_CSS": asset("viewer.css"),
        "DATA": script_json(data.to_json(positions, ov, local)),
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
    focus_iri = find_node(model, focus).id if focus is not None else None
    target = Path(path)
    try:
        write_text_atomic(target, render_page(model, title or default_title(model), focus_iri))
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
