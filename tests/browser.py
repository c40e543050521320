"""Fixtures for the viewer tests: hand-made graphs in the full model, and headless Chromium.

Chromium is Debian's (`apt-get install chromium`), driven by Playwright with
`executable_path`, so no browser is ever downloaded.  Every request that is not
for a file:// URL is aborted and recorded, so a test can assert the page asked
for nothing.  Under CI (CI=true) a missing Chromium or Playwright fails the
browser tests; elsewhere they are skipped with the reason.

Test modules import what they use: `from browser import viewer, zaporizhzhia_graph`.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, URIRef

from newsgraph.exports.viewer_synthetic import FactWriter
from newsgraph.ontology import NG

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-default-apps", "--disable-sync", "--metrics-recording-only",
]
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(1)</script>"


# ------------------------------------------------------------------ graphs


@dataclass
class ZGraph:
    """The Zaporizhzhia test graph and the IRIs the tests look for."""

    ds: Dataset
    plant: URIRef
    region: URIRef
    russia: URIRef
    putin: URIRef
    grossi: URIRef
    quote: URIRef
    call: URIRef
    controls: URIRef  # the assertion of Russia controls the plant
    plant_sentence: str = ""


def zaporizhzhia_graph() -> ZGraph:
    """Three articles about the plant: entities, relations, events, a stance and a quote."""
    w = FactWriter()
    w.article("a1", "Trump, Putin agree halt to Ukraine energy attacks", "2025-03-18", "AFP",
              "https://example.org/a1")
    w.article("a2", "Russia holds Europe\u2019s largest nuclear plant", "2025-03-20", "Reuters")
    w.article("a3", "IAEA warns over Zaporizhzhia", "2025-04-02", "BBC")
    s_call = "Donald Trump and Vladimir Putin agreed Tuesday on a halt in attacks in a phone call."
    s_plant = "Russian troops have held the Zaporizhzhia nuclear power plant since March 2022."
    s_region = "The plant lies in the Zaporizhzhia Oblast of southern Ukraine."
    putin = w.entity(NG.Person, "Vladimir Putin", aliases=["Putin"], wikidata="Q7747",
                     evidence=[("a1", s_call, "Vladimir Putin")])
    trump = w.entity(NG.Person, "Donald Trump", aliases=["Trump"], wikidata="Q22686",
                     evidence=[("a1", s_call, "Donald Trump")])
    russia = w.entity(NG.Country, "Russia", wikidata="Q159",
                      evidence=[("a2", s_plant, "Russian"), ("a1", "Russia said it agreed.", "Russia")])
    ukraine = w.entity(NG.Country, "Ukraine", wikidata="Q212", evidence=[("a3", s_region, "Ukraine")])
    plant = w.entity(NG.NuclearPowerPlant, "Zaporizhzhia nuclear power plant",
                     aliases=["ZNPP", "Zaporizhzhia NPP"], wikidata="Q200157",
                     evidence=[("a2", s_plant, "Zaporizhzhia nuclear power plant"),
                               ("a3", s_region, "The plant"),
                               ("a1", "Trump spoke of power plants.", "power plants")])
    region = w.entity(NG.Region, "Zaporizhzhia Oblast", evidence=[("a3", s_region, "Zaporizhzhia Oblast")])
    iaea = w.entity(NG.InternationalOrganization, "IAEA", aliases=["International Atomic Energy Agency"],
                    evidence=[("a3", "The IAEA said the plant was safe for now.", "IAEA")])
    grossi = w.entity(NG.Person, "Rafael Grossi",
                      evidence=[("a3", "Rafael Grossi, head of the IAEA, spoke.", "Rafael Grossi")])
    controls = w.relation(russia, NG.controls, plant, [("a2", s_plant, "held"), ("a1", "Russia controls it.", "controls")])
    w.relation(plant, NG.locatedIn, region, ("a3", s_region, "lies in"))
    w.relation(region, NG.partOf, ukraine, ("a3", s_region, "of"))
    w.relation(putin, NG.leaderOf, russia, ("a1", "President Vladimir Putin of Russia.", "President"))
    w.relation(grossi, NG.leaderOf, iaea, ("a3", "Rafael Grossi, head of the IAEA, spoke.", "head of"))
    call = w.event(NG.PhoneCall, ("a1", s_call, "phone call"), label="Trump\u2013Putin phone call",
                   agents=[trump], participants=[putin], date="2025-03-18")
    truce = w.event(NG.Ceasefire, ("a1", "a 30-day halt to strikes on energy targets", "halt"),
                    agents=[russia], targets=[plant], duration="P30D")
    w.relation(putin, NG.agreedTo, truce, ("a1", "Putin agreed to pause strikes on energy targets.", "agreed"))
    quote = w.quote(grossi, "The plant is in a precarious state.",
                    ("a3", "\u201cThe plant is in a precarious state,\u201d Grossi said.", "said"),
                    mentions=[plant])
    return ZGraph(w.ds, plant, region, russia, putin, grossi, quote, call, controls, s_plant)


def hostile_graph() -> Dataset:
    """An article whose title, outlet, names and sentences are HTML and script."""
    w = FactWriter()
    w.article("h1", XSS_SCRIPT, "2025-05-01", XSS_IMG, "javascript:alert(1)")
    sentence = f"Officials named {XSS_IMG} and {XSS_SCRIPT} in </script><script>alert(2)</script> talks."
    img = w.entity(NG.Person, XSS_IMG, aliases=['"><svg onload=alert(1)>', 'href="javascript:alert(1)"'],
                   evidence=[("h1", sentence, XSS_IMG)])
    script = w.entity(NG.Organization, XSS_SCRIPT, evidence=[("h1", sentence, XSS_SCRIPT)])
    w.relation(img, NG.affiliatedWith, script, ("h1", sentence, "and"))
    w.quote(img, "<b onmouseover=alert(1)>bold</b> & {{7*7}} ${alert(1)}", ("h1", sentence, "named"),
            mentions=[script])
    return w.ds


# ------------------------------------------------------------------ Chromium


def chromium_executable() -> str | None:
    """Debian's chromium, or the one NEWSGRAPH_CHROMIUM names."""
    named = os.environ.get("NEWSGRAPH_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    path = chromium_executable()
    if path is None:
        _unavailable("Chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class Viewer:
    """A loaded viewer page and what it did: requests, console errors, dialogs."""

    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def drawn_nodes(self) -> set[str]:
        return set(self.js("() => window.newsgraph.drawnNodeIds()"))

    def view(self) -> dict[str, Any]:
        """What is drawn now: counts of nodes, edges, labels (11 px or more), isolated nodes, quotes."""
        return self.js("() => window.newsgraph.view()")

    def settle(self) -> None:
        """Wait until the layout has stopped moving (a refit animates for about half a second)."""
        self.page.wait_for_selector("html[data-ready=true]", state="attached")
        for _ in range(60):
            if self.js("() => window.newsgraph.settled()"):
                break
            self.page.wait_for_timeout(50)

    def panel_text(self) -> str:
        return self.page.locator("#ng-panel").inner_text()

    def click_node(self, node_id: str) -> None:
        """A real mouse click where the page drew the node."""
        self.settle()
        point = self.js("(id) => window.newsgraph.toScreen(id)", node_id)
        self.page.mouse.click(point["x"], point["y"])

    def search(self, text: str) -> None:
        box = self.page.locator("#ng-search")
        box.fill(text)
        box.press("Enter")

    def selected(self) -> list[str]:
        return self.js("() => window.newsgraph.selected()")

    def labels(self) -> set[str]:
        return {item["text"] for item in self.js("() => window.newsgraph.labels()")}


@pytest.fixture
def viewer(chromium: Any) -> Iterator[Any]:
    """open(path) loads a page with the network blocked and waits until it is drawn and stable."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)  # a missing element fails in seconds, not in half a minute
    opened: list[Viewer] = []

    def open_page(path: Path, timeout_ms: int = 30_000) -> Viewer:
        page = context.new_page()
        v = Viewer(page)
        page.on("request", lambda r: v.requests.append(r.url))
        page.on("console", lambda m: v.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: v.errors.append(str(e)))

        def on_dialog(dialog: Any) -> None:
            v.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

        def route(r: Any) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                v.blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(Path(path).resolve().as_uri())
        # A selector, not a JS predicate: the page's CSP forbids the eval a predicate needs.
        page.wait_for_selector("html[data-ready=true]", state="attached", timeout=timeout_ms)
        opened.append(v)
        return v

    yield open_page
    context.close()
