"""The HTML page as a file: self-contained, escaped, UTF-8, atomic; no browser needed."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import XSS_IMG, XSS_SCRIPT, hostile_graph, zaporizhzhia_graph

from newsgraph.errors import NewsgraphError
from newsgraph.exports.html import script_json, write_html
from newsgraph.exports.viewer_synthetic import FactWriter
from newsgraph.ontology import NG


class TagCounter(HTMLParser):
    """Counts the elements a browser would create (script contents are not parsed as tags)."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] += 1
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="ng-data">(.*?)</script>', html, re.DOTALL)
    assert match, "the page embeds its data"
    return json.loads(match.group(1))


def inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, re.DOTALL)


@pytest.fixture(scope="module")
def z_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_html(zaporizhzhia_graph().ds, tmp_path_factory.mktemp("page") / "z.html")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_html(hostile_graph(), tmp_path_factory.mktemp("page") / "h.html",
                      title=f"</title>{XSS_SCRIPT}")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["</script><script>alert(1)</script>", "<!-- x", "a & b", "\u2028"])
def test_script_json_cannot_end_the_script_element(value: str) -> None:
    text = script_json({"v": value})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"v": value}


def test_page_loads_nothing_from_anywhere(z_page: str) -> None:
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", z_page, re.IGNORECASE)
    assert "@import" not in z_page and "@font-face" not in z_page
    assert not re.search(r"url\(\s*(?!['\"]?data:)", z_page)
    assert "sourceMappingURL" not in z_page
    for cdn in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "bootstrap", "fonts.googleapis"):
        assert cdn not in z_page  # pyvis' templates link these


def test_csp_allows_exactly_the_inline_scripts(z_page: str) -> None:
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', z_page).group(1))
    scripts = inline_scripts(z_page)
    assert len(scripts) == 1 and "window.newsgraph" in scripts[0]
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "connect-src 'none'" in csp and "unsafe-eval" not in csp


def test_page_data_matches_the_graph(z_page: str) -> None:
    data = page_data(z_page)
    assert len(data["nodes"]) == 11 and len(data["edges"]) == 12 and len(data["articles"]) == 3
    assert data["meta"]["large"] is False
    plant = next(n for n in data["nodes"] if n["label"] == "Zaporizhzhia nuclear power plant")
    assert plant["wd"] == "Q200157" and plant["group"] == "Asset" and len(plant["src"]) == 3
    items = data["evidence"][plant["ev"]]["items"]
    assert any("Zaporizhzhia nuclear power plant since March 2022" in data["sentences"][i[0]] for i in items)
    legend = [g["name"] for g in data["groups"]]
    assert legend == ["Person", "Organization", "Country", "Place", "Asset", "Event", "Quote"]
    assert len({(g["color"], g["shape"]) for g in data["groups"]}) == len(legend)
    widths = {data["props"][e["p"]]["label"]: e["width"] for e in data["edges"]}
    assert widths["controls"] == 2.0 and widths["located in"] == 1.0  # one pixel per source article


def test_overview_folds_quotes_and_events_and_draws_no_isolated_node(z_page: str) -> None:
    data = page_data(z_page)
    by_id = {n["id"]: n for n in data["nodes"]}
    shown = set(data["overview"])
    assert {by_id[i]["group"] for i in shown} <= {"Person", "Organization", "Country", "Place", "Asset"}
    linked = {x for link in data["links"] if link[0] in shown and link[1] in shown for x in link[:2]}
    assert shown == linked  # every node of the default view has a link to another
    grossi = next(n for n in data["nodes"] if n["label"] == "Rafael Grossi")
    assert [by_id[q]["group"] for q in grossi["quotes"]] == ["Quote"]  # folded into its speaker
    # Trump and Putin share the phone call: one link, weighted by its one article.
    trump, putin = (next(n["id"] for n in data["nodes"] if n["label"] == name) for name in ("Donald Trump", "Vladimir Putin"))
    call = next(link for link in data["links"] if {link[0], link[1]} == {trump, putin})
    assert call[2] == 1 and [by_id[e]["label"] for e in call[4]] == ["Trump\u2013Putin phone call"]
    assert all(n["ox"] is not None for n in data["nodes"] if n["id"] in shown)


def test_override_and_zero_width_characters_are_shown_as_marks(tmp_path: Path) -> None:
    w = FactWriter()
    w.article("b1", "Leak at \u202emoc.live\u202c today", "2025-01-02", "Wire\u200b")
    w.entity(NG.Person, "Ann \u202eevil.com", evidence=("b1", "Ann \u202eevil.com wrote \u2066x\u2069.", "Ann"))
    text = write_html(w.ds, tmp_path / "b.html", title="t \u202egnp.exe").read_text("utf-8")
    for char in ("\u202e", "\u202c", "\u200b", "\u2066", "\u2069"):
        assert char not in text
    assert "\u2039RLO\u203amoc.live\u2039PDF\u203a" in text and "\u2039ZWSP\u203a" in text
    assert "<h1 id=\"ng-title\"><bdi>t \u2039RLO\u203agnp.exe</bdi></h1>" in text


def test_huge_names_and_sentences_are_clipped(tmp_path: Path) -> None:
    w = FactWriter()
    w.article("n1", "A" * 600_000, "2025-01-02")
    name = "Very Long Name " * 40_000  # 600 kB
    w.entity(NG.Person, name, aliases=["alias " * 50_000], evidence=("n1", name + " spoke.", "spoke"))
    path = write_html(w.ds, tmp_path / "n.html")
    assert path.stat().st_size < 250_000  # the script and style are 100 kB; 1.8 MB of text is not carried
    data = page_data(path.read_text("utf-8"))
    node = data["nodes"][0]
    assert len(node["label"]) < 200 and node["label"].endswith("(600,000 characters)")
    assert all(len(s) <= 2_002 for s in data["sentences"])


def test_hostile_text_never_reaches_the_page_as_markup(hostile_page: str) -> None:
    for needle in (XSS_IMG, XSS_SCRIPT, "<svg", "<b onmouseover", "</title><script>"):
        assert needle not in hostile_page
    tags = TagCounter()
    tags.feed(hostile_page)
    assert tags.counts["script"] == 2  # data, viewer: nothing else
    assert tags.counts["img"] == tags.counts["svg"] == tags.counts["b"] == 0
    assert tags.handlers == []
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in hostile_page
    data = page_data(hostile_page)
    assert {n["label"] for n in data["nodes"]} >= {XSS_IMG, XSS_SCRIPT}
    assert data["articles"][0]["title"] == XSS_SCRIPT  # kept as text, shown with textContent


def test_viewer_script_never_parses_data_as_html() -> None:
    from newsgraph.exports.html import asset

    script = asset("viewer.js")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script


def test_page_is_utf8_whatever_the_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import locale

    monkeypatch.setattr(locale, "getpreferredencoding", lambda *a, **k: "ascii")
    w = FactWriter()
    w.article("u1", "Zelenskyy \u0437\u0443\u0441\u0442\u0440\u0456\u0432\u0441\u044f in Kyiv", "2025-01-02")
    w.entity(NG.Person, "Nicol\u00e1s Maduro \U0001F1FB\U0001F1EA", evidence=("u1", "Nicol\u00e1s Maduro spoke.", "Maduro"))
    path = write_html(w.ds, tmp_path / "u.html")
    raw = path.read_bytes()
    assert "Nicol\u00e1s Maduro \U0001F1FB\U0001F1EA".encode() in raw
    assert '<meta charset="utf-8">' in raw.decode("utf-8")


def test_written_atomically_readable_and_replaced(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "g.html"
    write_html(zaporizhzhia_graph().ds, target)
    first = target.stat().st_mtime_ns
    write_html(hostile_graph(), target)
    assert target.stat().st_mtime_ns >= first and script_json(XSS_IMG)[1:-1] in target.read_text("utf-8")
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in target.parent.iterdir()] == ["g.html"]  # no temporary file left


def test_large_graph_gets_positions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgraph.exports import html as page
    from newsgraph.exports.viewer_synthetic import synthetic_dataset

    monkeypatch.setattr(page, "PHYSICS_MAX_NODES", 100)  # the real threshold is covered in the browser
    data = page_data(write_html(synthetic_dataset(150), tmp_path / "big.html").read_text("utf-8"))
    assert data["meta"]["large"] is True and len(data["nodes"]) == 150
    assert len({(node["x"], node["y"]) for node in data["nodes"]}) == 150
    small = page_data(write_html(synthetic_dataset(100), tmp_path / "small.html").read_text("utf-8"))
    assert small["meta"]["large"] is False


def test_focus_and_cap_through_write_html(tmp_path: Path) -> None:
    ds = zaporizhzhia_graph().ds
    data = page_data(write_html(ds, tmp_path / "f.html", focus="Putin", depth=1).read_text("utf-8"))
    assert sorted(n["label"] for n in data["nodes"]) == [
        "Russia", "Trump\u2013Putin phone call", "Vladimir Putin", "ceasefire"]
    data = page_data(write_html(ds, tmp_path / "c.html", max_nodes=4).read_text("utf-8"))
    assert len(data["nodes"]) == 4 and "Left out" in data["meta"]["notes"][0]
    with pytest.raises(NewsgraphError):
        write_html(ds, tmp_path / "x.html", focus="nobody at all")
    assert not (tmp_path / "x.html").exists()


def test_same_graph_same_page(tmp_path: Path) -> None:
    """Builds are reproducible, and so is their page (layout seeded, data sorted)."""
    first = write_html(zaporizhzhia_graph().ds, tmp_path / "1.html").read_bytes()
    second = write_html(zaporizhzhia_graph().ds, tmp_path / "2.html").read_bytes()
    assert first == second
