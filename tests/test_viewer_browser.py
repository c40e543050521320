"""The viewer page in headless Chromium, with the network blocked.

Needs Debian's chromium and the playwright package (see tests/browser.py);
under CI a missing browser fails these tests instead of skipping them.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from browser import XSS_IMG, XSS_SCRIPT, ZGraph, chromium, hostile_graph, viewer, zaporizhzhia_graph
from rdflib import Graph

from newsgraph.exports.html import PHYSICS_MAX_NODES, write_html
from newsgraph.exports.html_model import union_view
from newsgraph.exports.viewer_synthetic import FactWriter, synthetic_dataset
from newsgraph.ontology import NG

pytestmark = pytest.mark.browser
FIXTURES = (chromium, viewer)  # from tests/browser.py; tests take them by name

# Counted independently of the viewer's own model: every typed entity, event and quote.
DRAWABLE = """
SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
  VALUES ?top { ng:Actor ng:Place ng:Asset ng:Event ng:Quote ng:ReportedSpeech }
  ?class rdfs:subClassOf* ?top .
  ?n a ?class .
}"""


def drawable_count(ds: Graph) -> int:
    from newsgraph.graph.query import run_query

    return int(next(iter(run_query(union_view(ds), DRAWABLE)))[0])


@pytest.fixture(scope="module")
def z() -> ZGraph:
    return zaporizhzhia_graph()


@pytest.fixture(scope="module")
def z_page(z: ZGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(z.ds, tmp_path_factory.mktemp("browser") / "z.html")


def assert_clean(v) -> None:
    assert v.errors == [], f"console errors: {v.errors}"
    assert v.blocked == [], f"the page tried to reach the network: {v.blocked}"
    assert len(v.requests) == 1 and v.requests[0].startswith("file:"), v.requests
    assert v.dialogs == []


def test_overview_is_drawn_offline_without_errors(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    assert_clean(v)
    # The overview: the 8 entities, quotes folded into their speaker, events into links.
    assert v.view() == {"nodes": 8, "edges": 8, "labelled": 8, "isolated": 0, "quotes": 0, "mode": "overview"}
    assert "overview: showing 8 nodes, 8 links" in v.page.locator("#ng-status").inner_text()
    v.page.locator("#ng-mode-all").click()
    expected = drawable_count(z.ds)
    assert expected == 11
    assert len(v.drawn_nodes()) == expected and v.view()["quotes"] == 1
    assert v.js("() => window.newsgraph.drawnEdgeCount()") == 12
    v.page.locator("#ng-undo").click()
    assert v.view()["mode"] == "overview" and v.view()["nodes"] == 8


def test_search_selects_the_plant_and_clicking_it_shows_evidence(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    v.search("Zaporizhzhia")
    assert v.selected() == [str(z.plant)]
    results = v.page.locator("#ng-results").inner_text()
    assert "Zaporizhzhia Oblast" in results  # other matches listed, with type, articles and dates
    assert "nuclear power plant \u00b7 3 articles \u00b7 2025-03-18 \u2013 2025-04-02" in results
    v.page.locator("#ng-panel-close").click()
    assert v.page.locator("#ng-panel").is_hidden() and v.selected() == []
    v.click_node(str(z.plant))
    assert v.selected() == [str(z.plant)]
    text = v.panel_text()
    assert z.plant_sentence in text
    # Evidence grouped by article, newest first, each with its outlet and date.
    assert "Russia holds Europe\u2019s largest nuclear plant\nReuters, 2025-03-20" in text
    assert text.index("IAEA warns over Zaporizhzhia") < text.index("Russia holds Europe")
    assert "confidence 0.85" in text and "nuclear power plant" in text and "ZNPP; Zaporizhzhia NPP" in text
    link = v.page.locator("#ng-panel a", has_text="Q200157")
    assert link.get_attribute("href") == "https://www.wikidata.org/wiki/Q200157"
    assert_clean(v)


def test_search_by_alias_without_accents_or_case(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    v.search("znpp")
    assert v.selected() == [str(z.plant)]
    v.search("putin")
    assert v.selected() == [str(z.putin)]


def test_a_link_shows_what_joins_two_entities_and_its_evidence(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    v.search("Russia")
    v.page.locator("#ng-panel .ng-links button", has_text="controls").click()
    assert v.page.locator("#ng-panel").get_attribute("data-kind") == "link"
    text = v.panel_text()
    assert "controls \u00b7 1 shared event (2 articles)" in text  # the relation and the ceasefire
    assert z.plant_sentence in text and "Russia controls Zaporizhzhia" in text and "event ceasefire" in text
    v.page.locator("#ng-panel .ng-links button", has_text="Russia controls").click()
    assert v.page.locator("#ng-panel").get_attribute("data-id") == str(z.controls)
    text = v.panel_text()
    assert "Russia \u2192 controls \u2192 Zaporizhzhia nuclear power plant" in text
    assert "Evidence (2) \u00b7 2 articles" in text and "confidence 0.80" in text


def test_quote_is_folded_into_its_speaker(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    v.search("Grossi")
    assert "Quotes (1)" in v.panel_text() and "The plant is in a precarious state." in v.panel_text()
    v.search("precarious")  # the quote: its speaker is selected, the quote's words in the panel
    assert v.selected() == [str(z.grossi)]
    assert "Speaker\nRafael Grossi" in v.panel_text().replace("\t", "\n")
    v.page.locator("#ng-panel .ng-speakers button").click()
    assert v.selected() == [str(z.grossi)]
    assert v.view()["quotes"] == 0


def test_filters_by_class_property_article_outlet_and_date(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    v.page.locator("input[data-group=Person]").uncheck()
    v.settle()
    labels = v.js("() => window.newsgraph.drawnNodeIds().map(id => window.newsgraph.data.nodes.find(n => n.id === id).label)")
    assert "Vladimir Putin" not in labels and v.view()["isolated"] == 0
    v.page.locator("input[data-group=Person]").check()
    v.page.locator("#ng-mode-all").click()
    v.page.locator("input[data-prop$='#controls']").uncheck()
    assert v.js("() => window.newsgraph.drawnEdgeCount()") == 11
    v.page.locator("#ng-reset").click()
    # Only the BBC article (a3): what it attests.
    v.page.locator("#ng-articles-none").click()
    assert len(v.drawn_nodes()) == 0
    v.page.locator("input[data-article$='/article/a3']").check()
    labels = v.js("() => window.newsgraph.drawnNodeIds().map(id => window.newsgraph.data.nodes.find(n => n.id === id).label)")
    assert "Rafael Grossi" in labels and "Donald Trump" not in labels
    v.page.locator("#ng-reset").click()
    v.page.locator("input[data-outlet=AFP]").uncheck()
    assert str(z.call) not in v.drawn_nodes() and str(z.plant) in v.drawn_nodes()
    v.page.locator("#ng-reset").click()
    v.page.locator("#ng-date-from").fill("2025-03-19")
    v.page.locator("#ng-date-from").dispatch_event("change")
    drawn = v.drawn_nodes()
    assert str(z.plant) in drawn and str(z.call) not in drawn  # the call is only in the 18 March article
    assert_clean(v)


def test_timeline_brush_filters_the_view(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    box = v.page.locator("#ng-timeline svg").bounding_box()
    # Drag over the right half of the timeline: April only (the BBC article).
    v.page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + 30)
    v.page.mouse.down()
    v.page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + 30, steps=4)
    v.page.mouse.move(box["x"] + box["width"] - 2, box["y"] + 30, steps=4)
    v.page.mouse.up()
    assert v.page.locator("#ng-date-from").input_value() > "2025-03-20"
    drawn = v.drawn_nodes()
    assert str(z.grossi) in drawn and str(z.putin) not in drawn
    v.page.locator("#ng-timeline svg").dblclick()
    assert str(z.putin) in v.drawn_nodes()
    assert v.page.locator("#ng-timeline .ng-tl-event").count() == 1  # the dated phone call


def test_expand_hide_pin_and_undo(viewer, tmp_path: Path) -> None:
    v = viewer(write_html(synthetic_dataset(600), tmp_path / "s.html"))
    assert_clean(v)
    start = v.view()
    assert 0 < start["nodes"] <= 150 and start["isolated"] == 0 and start["quotes"] == 0
    drawn = v.drawn_nodes()
    hub = v.js("() => window.newsgraph.search('Entity 1')[0]")
    v.click_node(hub)
    v.page.locator("#ng-expand").click()
    v.settle()
    grown = v.drawn_nodes()
    assert grown > drawn and v.view()["isolated"] == 0
    # The layout moved to fit the new nodes: all of them are on screen.
    inside = v.js("""() => { const r = document.querySelector('#ng-network canvas').getBoundingClientRect();
        return window.newsgraph.drawnNodeIds().every(id => { const p = window.newsgraph.toScreen(id);
          return p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom; }); }""")
    assert inside
    # A second node expands into the same view.
    other = next(iter(grown - drawn))
    v.js("(id) => window.newsgraph.expand(id)", other)
    v.settle()
    assert v.drawn_nodes() >= grown
    v.page.locator("#ng-undo").click()
    v.settle()
    assert v.drawn_nodes() == grown
    v.page.locator("#ng-undo").click()
    v.settle()
    assert v.drawn_nodes() == drawn
    # Hide, then undo; pin marks the node and keeps it in place.
    v.click_node(hub)
    v.page.locator("#ng-hide").click()
    assert hub not in v.drawn_nodes()
    v.page.keyboard.press("Control+z")
    assert hub in v.drawn_nodes()
    v.click_node(hub)
    v.page.locator("#ng-pin").click()
    assert v.js("() => JSON.parse(decodeURIComponent(window.newsgraph.encodeView().slice(6))).p.length") == 1
    # Several selected at once (shift-click), hidden together.
    labelled = [item["id"] for item in v.js("() => window.newsgraph.labels()") if item["id"] != hub]
    a, b = labelled[0], labelled[-1]  # labels never overlap: each of these nodes stands clear
    v.click_node(a)
    point = v.js("(id) => window.newsgraph.toScreen(id)", b)
    v.page.keyboard.down("Shift")
    v.page.mouse.click(point["x"], point["y"])
    v.page.keyboard.up("Shift")
    assert set(v.selected()) == {a, b}
    v.page.locator("#ng-hide").click()
    assert not ({a, b} & v.drawn_nodes())
    assert_clean(v)


def test_search_of_a_hidden_node_adds_it_and_keeps_the_filters(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    v.page.locator("input[data-group=Person]").uncheck()
    v.page.locator("#ng-min-sources").fill("2")
    v.page.locator("#ng-min-sources").dispatch_event("change")
    assert str(z.putin) not in v.drawn_nodes()
    v.search("Putin")
    assert v.selected() == [str(z.putin)] and str(z.putin) in v.drawn_nodes()
    assert not v.page.locator("input[data-group=Person]").is_checked()
    assert v.page.locator("#ng-min-sources").input_value() == "2"
    assert str(z.grossi) not in v.drawn_nodes()  # the other people stay filtered out


def test_query_page_draws_derived_edges_under_the_default_filter(viewer, z: ZGraph, tmp_path: Path) -> None:
    from newsgraph.graph.query import run_query

    query = """CONSTRUCT { ?p ng:headsStateOf ?c . ?p ng:leaderOf ?c } WHERE { ?p ng:leaderOf ?c }"""
    result = run_query(union_view(z.ds), query)
    v = viewer(write_html(z.ds, tmp_path / "q.html", construct=result.graph))
    assert_clean(v)
    assert v.view()["edges"] >= 2 and v.view()["isolated"] == 0
    v.page.locator("#ng-mode-all").click()
    derived = v.js("""() => window.newsgraph.drawnEdgeIds().filter(id => {
        const e = window.newsgraph.data.edges.find(x => x.id === id);
        return window.newsgraph.data.props[e.p].kind === 'derived'; }).length""")
    assert derived == 2  # Putin -> Russia, Grossi -> IAEA: no sources, drawn all the same


def test_focus_page_selects_its_focus(viewer, z: ZGraph, tmp_path: Path) -> None:
    v = viewer(write_html(z.ds, tmp_path / "f.html", focus="Putin", depth=2))
    assert v.selected() == [str(z.putin)]
    assert v.page.locator("#ng-panel h2").inner_text() == "Vladimir Putin"
    assert v.view()["isolated"] == 0


def test_exports_and_a_link_that_reopens_the_view(viewer, z: ZGraph, z_page: Path, tmp_path: Path) -> None:
    import csv
    import xml.etree.ElementTree as ET

    v = viewer(z_page)
    v.page.locator("input[data-group=Country]").uncheck()
    v.search("Putin")
    with v.page.expect_download() as csv_download:
        v.page.locator("#ng-csv").click()
    rows = list(csv.reader(Path(csv_download.value.path()).read_text("utf-8").splitlines()))
    assert rows[0][:5] == ["row", "id", "label", "class", "articles"]
    labels = {r[2] for r in rows if r[0] == "node"}
    assert len(labels) == v.view()["nodes"] and "Vladimir Putin" in labels and "Russia" not in labels
    assert sum(r[0] == "edge" for r in rows) == v.view()["edges"]
    with v.page.expect_download() as gexf_download:
        v.page.locator("#ng-gexf").click()
    root = ET.parse(gexf_download.value.path()).getroot()
    ns = {"g": "http://gexf.net/1.3"}
    assert len(root.findall(".//g:node", ns)) == v.view()["nodes"]
    assert len(root.findall(".//g:edge", ns)) == v.view()["edges"]
    with v.page.expect_download() as png_download:
        v.page.locator("#ng-png").click()
    assert Path(png_download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    v.page.locator("#ng-link").click()
    url = v.page.url
    assert "#view=" in url
    v.settle()
    before = (v.view(), v.drawn_nodes(), v.selected())
    again = v.page.context.new_page()
    again.goto(url)
    again.wait_for_selector("html[data-ready=true]", state="attached")
    for _ in range(60):  # the reopened view refits too: read it once it stands still, as the first
        if again.evaluate("() => window.newsgraph.settled()"):
            break
        again.wait_for_timeout(50)
    after = (again.evaluate("() => window.newsgraph.view()"), set(again.evaluate("() => window.newsgraph.drawnNodeIds()")),
             again.evaluate("() => window.newsgraph.selected()"))
    # the same nodes, links, selection and mode; how many labels fit depends on where the reopened
    # layout puts the nodes, so it is only asked to show some
    assert after[0]["labelled"] >= 1 and before[0]["labelled"] >= 1
    assert ({**after[0], "labelled": 0}, *after[1:]) == ({**before[0], "labelled": 0}, *before[1:])
    assert not again.locator("input[data-group=Country]").is_checked()
    again.close()


def test_article_list_is_searchable_and_sortable(viewer, z_page: Path) -> None:
    v = viewer(z_page)
    titles = lambda: v.page.locator("#ng-articles .ng-art").all_inner_texts()  # noqa: E731
    assert titles()[0] == "IAEA warns over Zaporizhzhia"  # newest first
    v.page.locator("#ng-articles-sort").select_option("title")
    assert titles() == sorted(titles())
    v.page.locator("#ng-articles-search").fill("reuters")
    assert titles() == ["Russia holds Europe\u2019s largest nuclear plant"]


def test_article_text_is_shown_as_text_and_never_run(viewer, tmp_path: Path) -> None:
    page = write_html(hostile_graph(), tmp_path / "h.html", title=f"</title>{XSS_SCRIPT}")
    v = viewer(page)
    assert v.page.title() == f"</title>{XSS_SCRIPT}"
    assert v.page.locator("#ng-title").inner_text() == f"</title>{XSS_SCRIPT}"
    v.search("img src")
    text = v.panel_text()
    assert XSS_IMG in text and XSS_SCRIPT in text and "</script><script>alert(2)</script>" in text
    for name in (XSS_IMG, XSS_SCRIPT):
        v.page.locator("#ng-search").fill(name)
        v.page.locator("#ng-search").press("Enter")
        v.page.mouse.move(700, 450)
    v.search("onmouseover")  # the quote: its words are text, its speaker a button
    assert "<b onmouseover=alert(1)>bold</b>" in v.panel_text()
    v.page.locator("#ng-mode-all").click()
    assert XSS_IMG in v.labels()
    counts = v.js("""() => ({img: document.querySelectorAll('img').length,
                           scripts: document.querySelectorAll('script').length,
                           svgInPanel: document.querySelectorAll('#ng-panel svg, #ng-sidebar li svg:not(.ng-legend-icon)').length,
                           links: Array.from(document.querySelectorAll('a')).map(a => a.href)})""")
    assert counts == {"img": 0, "scripts": 2, "svgInPanel": 0, "links": []}  # javascript: URL not linked
    v.page.wait_for_timeout(200)
    assert_clean(v)


def test_override_characters_cannot_reverse_text(viewer, tmp_path: Path) -> None:
    w = FactWriter()
    w.article("b1", "Visit \u202emoc.live\u202c now", "2025-01-02", "Wire")
    a = w.entity(NG.Person, "Ann \u202eevil.com", evidence=("b1", "Ann \u202eevil.com met Bo\u200bb.", "Ann"))
    b = w.entity(NG.Person, "Bo\u200bb", evidence=("b1", "Ann \u202eevil.com met Bo\u200bb.", "Bo"))
    w.relation(a, NG.affiliatedWith, b, ("b1", "Ann \u202eevil.com met Bo\u200bb.", "met"))
    v = viewer(write_html(w.ds, tmp_path / "b.html", title="Ann \u202eevil.com"))
    assert v.page.locator("#ng-title").inner_text() == "Ann \u2039RLO\u203aevil.com"
    assert "Ann \u2039RLO\u203aevil.com" in v.labels() and "Bo\u2039ZWSP\u203ab" in v.labels()
    v.search("Ann")
    assert "\u2039RLO\u203aevil.com" in v.panel_text()
    # Each piece of article text sits in its own <bdi>.
    assert v.js("() => document.querySelector('#ng-panel h2 bdi').textContent") == "Ann \u2039RLO\u203aevil.com"
    assert_clean(v)


def test_bad_input_opens_shows_text_as_text_and_stays_responsive(viewer, tmp_path: Path) -> None:
    """600 kB names, 20,000 entities in one article, markup and controls in every field."""
    w = FactWriter()
    w.article("x1", XSS_SCRIPT + "\u202e" + "T" * 600_000, "2025-01-02", XSS_IMG, "https://example.org/x")
    huge = XSS_IMG + "\u202e\u200b" + "N" * 600_000
    hub = w.entity(NG.Person, huge, aliases=[XSS_SCRIPT * 1000], evidence=("x1", huge + " said.", XSS_IMG))
    for i in range(20_000):
        name = f"{XSS_SCRIPT}{i}\u202e"
        other = w.entity(NG.Organization, name, evidence=("x1", f"{name} met {XSS_IMG}.", name))
        if i % 10 == 0:
            w.relation(hub, NG.affiliatedWith, other, ("x1", f"{name} met {XSS_IMG}.", "met"))
    page = write_html(w.ds, tmp_path / "bad.html")
    v = viewer(page, timeout_ms=60_000)
    assert v.js("() => window.newsgraph.readyAt") < 20_000
    assert 0 < v.view()["nodes"] <= 150 and v.view()["isolated"] == 0
    started = v.js("() => performance.now()")
    v.search("N" * 40)
    assert len(v.selected()) == 1 and "(600," in v.page.locator("#ng-panel h2").inner_text()
    assert v.js("() => performance.now()") - started < 5_000
    v.page.locator("#ng-mode-all").click()
    assert v.view()["nodes"] == 10_000  # the cap
    counts = v.js("() => ({img: document.querySelectorAll('img').length, scripts: document.querySelectorAll('script').length})")
    assert counts == {"img": 0, "scripts": 2}
    assert_clean(v)


def test_large_graph_is_drawn_at_once(viewer, tmp_path: Path) -> None:
    ds = synthetic_dataset(PHYSICS_MAX_NODES + 100)
    v = viewer(write_html(ds, tmp_path / "big.html"), timeout_ms=20_000)
    assert_clean(v)
    assert v.view()["nodes"] <= 150
    v.page.locator("#ng-mode-all").click()
    assert len(v.drawn_nodes()) == drawable_count(ds) == PHYSICS_MAX_NODES + 100
    assert v.js("() => window.newsgraph.data.meta.large") is True
    assert v.js("() => window.newsgraph.readyAt") < 10_000  # ms
    v.search("Entity 7")
    assert v.selected() == [v.js("() => window.newsgraph.search('Entity 7')[0]")]


def test_capped_page_says_what_was_left_out(viewer, tmp_path: Path) -> None:
    v = viewer(write_html(synthetic_dataset(400), tmp_path / "cap.html", max_nodes=150))
    v.page.locator("#ng-mode-all").click()
    assert len(v.drawn_nodes()) == 150
    notes = v.page.locator("#ng-notes").inner_text()
    assert "Showing the 150 most central of 400 nodes" in notes and "Left out:" in notes


@pytest.mark.slow
def test_sample_build_page(viewer, sample_build, sample_out: Path) -> None:
    """The page `newsgraph build --sample` writes: all its nodes, and the plant's evidence."""
    page = sample_out / "graph.html"
    assert sample_build.written["html"] == page
    v = viewer(page)
    assert_clean(v)
    assert v.view()["isolated"] == 0 and v.view()["quotes"] == 0 and v.view()["labelled"] >= min(30, v.view()["nodes"])
    v.page.locator("#ng-mode-all").click()
    assert len(v.drawn_nodes()) == drawable_count(sample_build.dataset)
    v.page.locator("#ng-mode-overview").click()
    v.search("Zaporizhzhia")
    selected = v.selected()
    assert len(selected) == 1
    label = v.page.locator("#ng-panel h2").inner_text()
    assert "Zaporizhzhia" in label
    v.click_node(selected[0])
    assert v.selected() == selected
    assert "Zaporizhzhia" in v.page.locator("#ng-panel .ng-evidence-box").inner_text()


@pytest.mark.slow
def test_conflicts_are_marked_and_facts_filter_by_sources(viewer, nlp, tmp_path: Path) -> None:
    """A reader sees which entities the sources dispute, and can keep only what several report."""
    import newsgraph
    from test_across_sources import write_story

    folder = tmp_path / "wires"
    write_story(folder)
    built = newsgraph.build([folder], out_dir=tmp_path / "out")
    v = viewer(built.written["html"])
    assert_clean(v)
    v.page.locator("#ng-mode-all").click()
    everything = len(v.drawn_nodes())
    label_of = "id => window.newsgraph.data.nodes.find(n => n.id === id).label"
    v.page.locator("#ng-disputed").check()
    disputed = set(v.js(f"() => window.newsgraph.drawnNodeIds().map({label_of})"))
    assert {"Joe Biden", "Crimea", "Ukraine"} <= disputed and len(disputed) < everything
    v.search("Crimea")
    v.click_node(v.selected()[0])
    panel = v.panel_text()
    assert "sources disagree" in panel.lower(), panel  # the heading is drawn in capitals
    assert "year of annex" in panel and "2014" in panel and "2015" in panel, panel
    sides = v.page.locator("#ng-panel .ng-side")
    assert sides.count() >= 2  # each side with its articles and sentences
    assert all(sides.nth(i).locator(".ng-sentence").count() >= 1 for i in range(sides.count()))
    v.page.locator("#ng-reset").click()
    assert len(v.drawn_nodes()) == everything
    v.page.locator("#ng-min-sources").fill("2")
    v.page.locator("#ng-min-sources").dispatch_event("change")
    several = set(v.js(f"() => window.newsgraph.drawnNodeIds().map({label_of})"))
    assert "Joe Biden" in several and "Tokyo" not in several  # Biden: three wires; Tokyo: one
    assert_clean(v)


def test_focus_in_the_address_opens_on_that_entity(viewer, z: ZGraph, z_page: Path) -> None:
    """The whole graph's page serves every focus: page.html#focus=NAME, no page to write."""
    v = viewer(z_page)
    v.page.goto(z_page.resolve().as_uri() + "#focus=putin")
    v.page.reload()
    v.page.wait_for_selector("html[data-ready=true]", state="attached")
    v.settle()
    assert v.selected() == [str(z.putin)]
    assert v.page.locator("#ng-panel h2").inner_text() == "Vladimir Putin"
    assert {str(z.putin), str(z.russia)} <= v.drawn_nodes() and v.view()["isolated"] == 0
    assert v.errors == [] and v.blocked == []
