"""The HTML viewer as a reader meets it, against pyvis's default page measured in the same run.

Two parts, each in headless Debian Chromium with every request that leaves the page aborted:

1. **Real news**: the page of a seeded build of 300 AllSides articles (`--build DIR`; built
   there from `--n` articles sampled with `--seed`, the sample of bench_build.py, when DIR has
   no graph yet: a few minutes).  Printed: seconds to write the page (`newsgraph view`: load the
   graph, model, layout, page), when it is drawn and clickable (navigation start until the first
   frame with its handlers on), a real mouse click on a node until its panel shows, what the
   default view draws (`window.newsgraph.view()`: nodes, links, labels of 11 px or more,
   isolated nodes, quote nodes), console errors and requests.  pyvis's default page of the same
   graph (`Network(cdn_resources="in_line")`, default physics) beside it: how long until it is drawn (its
   stabilisation, capped at --baseline-timeout), and what it draws.
2. **Scale**: synthetic graphs (`newsgraph.exports.viewer_synthetic`) of --sizes nodes, drawn
   whole ("Everything"): write and ready seconds, the longest main-thread task, a search pick,
   and frames per second while panning and zooming, driven two ways: a real mouse drag / wheel
   (frames the page drew per second; Playwright's input rate bounds it) and a pan or zoom step
   on every animation frame (what the page can draw).  pyvis's page (vis-network) of the
   largest size gets the same per-frame pan for comparison.

    python benchmarks/bench_viewer.py [--build /tmp/view300/out] [--sizes 500 2000 10000]
                                      [--no-baseline] [--baseline-timeout 60]

pyvis (the baseline) is in the `bench` extra: pip install -e '.[bench]'.
"""
from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

LONGTASKS = """
window.__longest = 0;
try {
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
  }).observe({ type: "longtask", buffered: true });
} catch (e) {}
"""

SELECT = """async (id) => {
  const t0 = performance.now();
  window.newsgraph.select(id);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
}"""

# Frames counted from inside the page while the test drives input from outside.
COUNT_START = """() => { window.__f = {raf: 0, t0: performance.now(), d0: window.newsgraph.stats().frames};
  const tick = () => { window.__f.raf++; if (!window.__f.stop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""
COUNT_STOP = """() => { const f = window.__f; f.stop = true; const s = (performance.now() - f.t0) / 1000;
  return {raf: f.raf / s, drawn: (window.newsgraph.stats().frames - f.d0) / s}; }"""

# One pan or zoom step per animation frame for `ms`: frames drawn per second.
PER_FRAME = """([kind, ms]) => new Promise(resolve => {
  const g = window.newsgraph, d0 = g.stats().frames, t0 = performance.now();
  let i = 0;
  function step(t) {
    i++;
    if (kind === "pan") g.panBy(i % 120 < 60 ? 4 : -4, 2 * Math.sin(i / 10));
    else g.zoomBy(i % 120 < 60 ? 1.02 : 1 / 1.02);
    if (t - t0 < ms) requestAnimationFrame(step);
    else setTimeout(() => resolve((g.stats().frames - d0) / ((performance.now() - t0) / 1000)), 0);
  }
  requestAnimationFrame(step);
})"""

# The same per-frame pan on a vis-network page (pyvis's): frames it drew per second.
VIS_PER_FRAME = """(ms) => new Promise(resolve => {
  let drawn = 0, i = 0; const t0 = performance.now();
  network.on("afterDrawing", () => drawn++);
  const p0 = network.getViewPosition();
  function step(t) {
    i++;
    network.moveTo({ position: { x: p0.x + (i % 120 < 60 ? i % 60 : 60 - i % 60) * 4, y: p0.y }, animation: false });
    if (t - t0 < ms) requestAnimationFrame(step);
    else resolve(drawn / ((performance.now() - t0) / 1000));
  }
  requestAnimationFrame(step);
})"""

PYVIS_DRAWN = """(cap) => new Promise(resolve => {
  const t0 = performance.now();
  const done = (how) => resolve({ drawn: (performance.now() - t0) / 1000, how: how,
    nodes: network.body.data.nodes.length, edges: network.body.data.edges.length });
  network.once("stabilizationIterationsDone", () => done("stabilised"));
  setTimeout(() => done("timeout"), cap);
})"""


def launch(pw):
    from browser import CHROMIUM_ARGS, chromium_executable

    path = chromium_executable()
    if path is None:
        sys.exit("bench_viewer: Chromium not found; apt-get install -y chromium")
    return pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)


class Page:
    """A page with the network blocked, its console errors and the requests it tried."""

    def __init__(self, browser, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.add_init_script(LONGTASKS)
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.path = path

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def open(self, wait_ready: bool = True) -> float:
        started = time.perf_counter()
        self.page.goto(self.path.as_uri(), wait_until="domcontentloaded" if not wait_ready else "load",
                       timeout=300_000)
        if wait_ready:
            self.page.wait_for_selector("html[data-ready=true]", state="attached", timeout=300_000)
        return time.perf_counter() - started

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def background(self) -> tuple[float, float]:
        """A point of the canvas with no node under it (where a drag pans)."""
        box = self.page.locator("#ng-network canvas").bounding_box()
        for y in range(80, int(box["height"]) - 80, 9):
            for x in range(80, int(box["width"]) - 80, 9):
                if self.js("(a) => window.newsgraph.nodeAt(a[0], a[1])", [box["x"] + x, box["y"] + y]) is None:
                    return box["x"] + x, box["y"] + y
        return box["x"] + 5, box["y"] + 5

    def mouse_fps(self) -> dict[str, float]:
        """Frames drawn per second during a real mouse drag, then a real wheel zoom."""
        mouse = self.page.mouse
        x, y = self.background()
        mouse.move(x, y)
        mouse.down()
        self.js(COUNT_START)
        for i in range(150):
            mouse.move(x + (i % 60) * 3, y + (i % 30))
        pan = self.js(COUNT_STOP)
        mouse.up()
        self.page.wait_for_timeout(300)
        self.js(COUNT_START)
        for i in range(150):
            mouse.wheel(0, -15 if i % 60 < 30 else 15)
        zoom = self.js(COUNT_STOP)
        self.page.wait_for_timeout(300)
        return {"pan_mouse": pan["drawn"], "zoom_mouse": zoom["drawn"], "raf_pan": pan["raf"]}

    def frame_fps(self) -> dict[str, float]:
        return {"pan_frame": self.js(PER_FRAME, ["pan", 2000]), "zoom_frame": self.js(PER_FRAME, ["zoom", 2000])}

    def close(self) -> None:
        self.page.close()


# ------------------------------------------------------------------ 1. the 300-article page


FOCUS = "Donald Trump"  # the focus page timed (`newsgraph view DIR --focus ...`)


def ensure_build(folder: Path, n: int, seed: int, data: Path) -> Path:
    if (folder / "graph.trig").exists() or (folder / "graph.nq").exists():
        return folder
    from bench_build import sample_lines

    import newsgraph

    lines = sample_lines(data, n, seed)
    folder.mkdir(parents=True, exist_ok=True)
    sample = folder.parent / f"allsides-{n}-seed{seed}.jsonl.gz"
    with gzip.open(sample, "wt", encoding="utf-8") as fh:
        fh.writelines(line if line.endswith("\n") else line + "\n" for line in lines)
    print(f"building {len(lines)} articles (seed {seed}) into {folder} ...", file=sys.stderr, flush=True)
    newsgraph.build([sample], out_dir=folder)
    return folder


def measure_news(browser, build: Path, folder: Path, baseline: bool, cap_s: float) -> dict:
    from newsgraph.cli_view import read_graph
    from newsgraph.exports.html import write_html
    from newsgraph.exports.html_model import build_view_model
    from newsgraph.graph.load import load_dataset

    started = time.perf_counter()
    load_dataset(build)
    rdflib_s = time.perf_counter() - started
    started = time.perf_counter()
    ds = read_graph(build)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    path = write_html(ds, folder / "news.html")
    written = time.perf_counter() - started
    started = time.perf_counter()
    write_html(ds, folder / "focus.html", focus=FOCUS)
    focus_s = time.perf_counter() - started
    row: dict = {"load": loaded, "rdflib_load": rdflib_s, "write": written, "focus": focus_s,
                 "mb": path.stat().st_size / 1e6}
    page = Page(browser, path)
    row["wall"] = page.open()
    row["ready"] = page.js("() => window.newsgraph.readyAt") / 1000
    row["longest"] = page.js("() => window.__longest")
    row.update(page.js("() => window.newsgraph.view()"))
    row["labels_px"] = sorted({item["size"] for item in page.js("() => window.newsgraph.labels()")})
    top = page.js("() => window.newsgraph.labels()[0].id")
    point = page.js("(id) => window.newsgraph.toScreen(id)", top)
    started = time.perf_counter()
    page.page.mouse.click(point["x"], point["y"])
    page.page.wait_for_selector("#ng-panel:not([hidden])")
    row["click_panel_ms"] = (time.perf_counter() - started) * 1000
    row["clicked"] = page.js("() => window.newsgraph.selected()") == [top]
    row["errors"], row["blocked"] = list(page.errors), list(page.blocked)
    page.close()
    if baseline:
        model = build_view_model(ds)
        row["pyvis"] = measure_pyvis(browser, model, folder / "news-pyvis.html", cap_s)
        degree = model.degree()
        row["pyvis"]["isolated"] = sum(1 for k in model.nodes if not degree[k])
        row["pyvis"]["quotes"] = sum(1 for n in model.nodes.values() if n.group == "Quote")
    return row


def pyvis_network(model):
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")  # pyvis inlines vis-network; its default links a CDN
    started = time.perf_counter()
    for node in model.nodes.values():
        net.add_node(node.id, label=node.label, title=node.class_label)
    for edge in model.edges:
        net.add_edge(edge.source, edge.target, title=edge.label)
    return net, time.perf_counter() - started


def measure_pyvis(browser, model, path: Path, cap_s: float, fps: bool = False) -> dict:
    """pyvis's default page: until drawn (its stabilisation), or, with `fps`, its renderer alone.

    With `fps` physics is off (`toggle_physics(False)`): at 10,000 nodes vis-network's
    stabilisation does not yield for minutes, and what is compared is drawing while panning.
    """
    net, add_s = pyvis_network(model)
    if fps:
        net.toggle_physics(False)
    net.write_html(str(path))
    page = Page(browser, path)
    page.open(wait_ready=False)
    result: dict = {"add_s": add_s}
    if fps:
        page.page.wait_for_function("() => typeof network !== 'undefined'", timeout=300_000)
        result["pan_frame"] = page.js(VIS_PER_FRAME, 3000)
    else:
        result.update(page.js(PYVIS_DRAWN, cap_s * 1000))
    result["blocked"] = len(page.blocked)
    page.close()
    return result


# ------------------------------------------------------------------ 2. scale


def measure_size(browser, n: int, folder: Path, baseline: bool, cap_s: float, largest: bool) -> dict:
    from newsgraph.exports.html import write_html
    from newsgraph.exports.viewer_synthetic import synthetic_dataset

    ds = synthetic_dataset(n)
    started = time.perf_counter()
    path = write_html(ds, folder / f"viewer-{n}.html")
    row: dict = {"n": n, "write": time.perf_counter() - started, "mb": path.stat().st_size / 1e6}
    page = Page(browser, path)
    row["wall"] = page.open()
    row["ready"] = page.js("() => window.newsgraph.readyAt") / 1000
    row["longest"] = page.js("() => window.__longest")
    page.page.locator("#ng-mode-all").click()
    page.page.wait_for_timeout(300)
    row["drawn"] = page.js("() => window.newsgraph.view().nodes")
    target = page.js("() => window.newsgraph.search('Entity 1')[0]")
    row["select"] = page.js(SELECT, target)
    page.js("() => window.newsgraph.setMode('all')")
    page.page.keyboard.press("Escape")
    row.update(page.mouse_fps())
    row.update(page.frame_fps())
    row["errors"] = len(page.errors) + len(page.blocked)
    page.close()
    if baseline and largest:
        from newsgraph.exports.html_model import build_view_model

        row["pyvis"] = measure_pyvis(browser, build_view_model(ds), folder / f"pyvis-{n}.html", cap_s, fps=True)
    return row


def main(argv: list[str] | None = None) -> int:
    from bench_build import DEFAULT_DATA

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", type=Path, default=Path("/tmp/view300/out"),
                    help="a build of the AllSides sample (made there when missing)")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10_000])
    ap.add_argument("--no-news", action="store_true", help="skip the 300-article page")
    ap.add_argument("--no-baseline", action="store_true", help="skip pyvis's pages")
    ap.add_argument("--baseline-timeout", type=float, default=60.0, help="cap on pyvis's page, seconds")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-viewer-"))
    news = None
    rows = []
    with sync_playwright() as pw:
        browser = launch(pw)
        if not args.no_news:
            build = ensure_build(args.build, args.n, args.seed, args.data)
            news = measure_news(browser, build, folder, not args.no_baseline, args.baseline_timeout)
            print(f"  measured the news page: {news}", file=sys.stderr, flush=True)
        for n in args.sizes:
            rows.append(measure_size(browser, n, folder, not args.no_baseline, args.baseline_timeout,
                                     n == max(args.sizes)))
            print(f"  measured {n:,} nodes: {rows[-1]}", file=sys.stderr, flush=True)
        browser.close()

    print(f"\nnewsgraph viewer, headless Chromium, network blocked (pages in {folder})")
    if news is not None:
        print(f"\n1. The page of {args.build} (seeded AllSides build)")
        print(f"   read the graph {news['load']:.1f} s (Oxigraph's parser; rdflib's load_dataset: "
              f"{news['rdflib_load']:.1f} s), write the page {news['write']:.1f} s, {news['mb']:.1f} MB; "
              f"a --focus {FOCUS!r} page: read + {news['focus']:.1f} s")
        print(f"   drawn and clickable at {news['ready']:.2f} s after navigation start "
              f"(wall {news['wall']:.2f} s; longest task {news['longest']:.0f} ms); "
              f"click on a node -> panel {news['click_panel_ms']:.0f} ms (selected: {news['clicked']})")
        print(f"   default view: {news['nodes']} nodes, {news['edges']} links, {news['labelled']} labels "
              f">= 11 px (sizes {news['labels_px']}), {news['isolated']} isolated, {news['quotes']} quote nodes")
        print(f"   console errors: {len(news['errors'])}, requests leaving the page: {len(news['blocked'])}")
        if "pyvis" in news:
            b = news["pyvis"]
            shown = f"{b['drawn']:.1f} s" if b["how"] == "stabilised" else f"not within {args.baseline_timeout:.0f} s"
            print(f"   pyvis default page, same graph: drawn after its stabilisation: {shown}; "
                  f"draws {b['nodes']:,} nodes, {b['edges']:,} edges, {b['isolated']:,} isolated, "
                  f"{b['quotes']:,} quote nodes; add_node/add_edge {b['add_s']:.1f} s; "
                  f"requests leaving the page: {b['blocked']}")
    print("\n2. Scale (synthetic graphs, the whole graph drawn)")
    print(f"{'nodes':>7} {'MB':>5} {'write s':>8} {'ready s':>8} {'longest ms':>10} {'select ms':>9} "
          f"{'pan fps':>8} {'zoom fps':>8} {'pan fps':>8} {'zoom fps':>8} {'errors':>6}")
    print(f"{'':>52} {'(mouse)':>8} {'(wheel)':>8} {'(frame)':>8} {'(frame)':>8}")
    for r in rows:
        print(f"{r['n']:>7,} {r['mb']:>5.1f} {r['write']:>8.2f} {r['ready']:>8.2f} {r['longest']:>10.0f} "
              f"{r['select']:>9.0f} {r['pan_mouse']:>8.1f} {r['zoom_mouse']:>8.1f} {r['pan_frame']:>8.1f} "
              f"{r['zoom_frame']:>8.1f} {r['errors']:>6}")
    for r in rows:
        if "pyvis" in r:
            b = r["pyvis"]
            print(f"\npyvis page (vis-network), {r['n']:,} nodes, physics off: "
                  f"pan, one step per frame: {b['pan_frame']:.1f} fps "
                  f"(newsgraph: {r['pan_frame']:.1f} fps); add_node/add_edge {b['add_s']:.1f} s "
                  f"(newsgraph's whole write: {r['write']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
