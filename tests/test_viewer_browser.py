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
from newsgraph.exports.viewer_synthetic import synthetic_dataset

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


def test_page_draws_every_node_offline_without_errors(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    assert_clean(v)
    expected = drawable_count(z.ds)
    assert expected == 11
    assert len(v.drawn_nodes()) == expected
    assert v.js("() => window.newsgraphViewer.drawnEdgeCount()") == 12
    # Physics ran, then stopped.
    assert v.js("() => window.newsgraphViewer.network.physics.physicsEnabled") is False
    assert "11 nodes" in v.page.locator("#ng-status").inner_text()


def test_search_selects_the_plant_and_clicking_it_shows_evidence(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    v.search("Zaporizhzhia")
    assert v.selected() == [str(z.plant)]
    assert "Zaporizhzhia Oblast" in v.page.locator("#ng-results").inner_text()  # other matches listed
    v.page.locator("#ng-panel-close").click()
    assert v.page.locator("#ng-panel").is_hidden()
    v.click_node(str(z.plant))
    assert v.selected() == [str(z.plant)]
    text = v.panel_text()
    assert z.plant_sentence in text
    assert "Russia holds Europe\u2019s largest nuclear plant \u2014 Reuters, 2025-03-20" in text
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


def test_edge_panel_shows_the_relation_evidence(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    v.search("Russia")
    v.page.locator("#ng-panel .ng-links button", has_text="controls").click()
    assert v.js("() => window.newsgraphViewer.network.getSelectedEdges()") == [str(z.controls)]
    text = v.panel_text()
    assert "Russia \u2192 controls \u2192 Zaporizhzhia nuclear power plant" in text
    assert "Evidence (2)" in text and z.plant_sentence in text and "confidence 0.80" in text


def test_quote_shows_its_speaker(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    v.search("precarious")
    assert v.selected() == [str(z.quote)]
    assert "Speaker\nRafael Grossi" in v.panel_text().replace("\t", "\n")
    v.page.locator("#ng-panel .ng-speakers button").click()
    assert v.selected() == [str(z.grossi)]


def test_filters_by_class_property_article_and_date(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    v.page.locator("input[data-group=Person]").uncheck()
    assert len(v.drawn_nodes()) == 8
    v.page.locator("input[data-group=Person]").check()
    v.page.locator("input[data-prop$='#controls']").uncheck()
    assert v.js("() => window.newsgraphViewer.drawnEdgeCount()") == 11
    v.page.locator("#ng-reset").click()
    # Only the BBC article (a3): what it attests.
    v.page.locator("#ng-articles-none").click()
    assert len(v.drawn_nodes()) == 0
    v.page.locator("input[data-article$='/article/a3']").check()
    labels = v.js("() => window.newsgraphViewer.drawnNodeIds().map(id => window.newsgraphViewer.network.body.nodes[id].options.label)")
    assert "Rafael Grossi" in labels and "Donald Trump" not in labels
    v.page.locator("#ng-reset").click()
    v.page.locator("#ng-date-from").fill("2025-03-19")
    v.page.locator("#ng-date-from").dispatch_event("change")
    drawn = v.drawn_nodes()
    assert str(z.plant) in drawn and str(z.call) not in drawn  # the call is only in the 18 March article
    assert_clean(v)


def test_show_neighbours_of_a_node(viewer, z: ZGraph, z_page: Path) -> None:
    v = viewer(z_page)
    v.search("Zaporizhzhia nuclear")
    v.page.locator("#ng-panel-depth").select_option("1")
    v.page.locator("#ng-show-neighbours").click()
    assert "within 1 step" in v.page.locator("#ng-focus-text").inner_text()
    assert len(v.drawn_nodes()) == 5  # the plant, Russia, the oblast, the ceasefire, the quote
    v.page.locator("#ng-focus-depth").select_option("2")
    assert len(v.drawn_nodes()) > 5
    v.page.locator("#ng-focus-clear").click()
    assert len(v.drawn_nodes()) == 11


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
    counts = v.js("""() => ({img: document.querySelectorAll('img').length,
                           scripts: document.querySelectorAll('script').length,
                           svgInPanel: document.querySelectorAll('#ng-panel svg, #ng-sidebar li svg:not(.ng-legend-icon)').length,
                           links: Array.from(document.querySelectorAll('a')).map(a => a.href)})""")
    assert counts == {"img": 0, "scripts": 3, "svgInPanel": 0, "links": []}  # javascript: URL not linked
    v.page.wait_for_timeout(200)
    assert_clean(v)


def test_large_graph_is_drawn_at_once_without_physics(viewer, tmp_path: Path) -> None:
    ds = synthetic_dataset(PHYSICS_MAX_NODES + 100)
    v = viewer(write_html(ds, tmp_path / "big.html"), timeout_ms=20_000)
    assert_clean(v)
    assert len(v.drawn_nodes()) == drawable_count(ds) == PHYSICS_MAX_NODES + 100
    assert v.js("() => window.newsgraphViewer.data.meta.physics") is False
    assert v.js("() => window.newsgraphViewer.readyAt") < 10_000  # ms; about 1.5 s here
    v.search("Entity 7")
    assert v.selected() == [v.js("() => window.newsgraphViewer.search('Entity 7')[0]")]


def test_capped_page_says_what_was_left_out(viewer, tmp_path: Path) -> None:
    v = viewer(write_html(synthetic_dataset(400), tmp_path / "cap.html", max_nodes=150))
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
    assert len(v.drawn_nodes()) == drawable_count(sample_build.dataset)
    v.search("Zaporizhzhia")
    selected = v.selected()
    assert len(selected) == 1
    label = v.page.locator("#ng-panel h2").inner_text()
    assert "Zaporizhzhia" in label
    v.click_node(selected[0])
    assert "Zaporizhzhia" in v.page.locator("#ng-panel .ng-evidence").inner_text()


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
    everything = len(v.drawn_nodes())
    label_of = "id => window.newsgraphViewer.network.body.nodes[id].options.label"
    v.page.locator("#ng-disputed").check()
    disputed = set(v.js(f"() => window.newsgraphViewer.drawnNodeIds().map({label_of})"))
    assert {"Joe Biden", "Crimea", "Ukraine"} <= disputed and len(disputed) < everything
    v.search("Crimea")
    v.click_node(v.selected()[0])
    panel = v.panel_text()
    assert "sources disagree" in panel.lower(), panel  # the heading is drawn in capitals
    assert "year of annex" in panel and "2014" in panel and "2015" in panel, panel
    v.page.locator("#ng-reset").click()
    assert len(v.drawn_nodes()) == everything
    v.page.locator("#ng-min-sources").fill("2")
    v.page.locator("#ng-min-sources").dispatch_event("change")
    several = set(v.js(f"() => window.newsgraphViewer.drawnNodeIds().map({label_of})"))
    assert "Joe Biden" in several and "Tokyo" not in several  # Biden: three wires; Tokyo: one
    assert_clean(v)
