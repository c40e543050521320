"""How fast the HTML viewer writes and draws, against pyvis's own page measured in the same run.

For each size (500, 2,000 and 10,000 nodes by default) it makes a synthetic graph
in the full newsgraph model (`newsgraph.exports.viewer_synthetic`), writes the
viewer page, loads it in headless Debian Chromium with the network blocked, and
prints:

  write s     model + layout + page, in Python
  ready s     from navigation start until the network is drawn and stable
              (physics finished and switched off, or no physics: first draw)
  wall s      from `goto` until then, as the test harness sees it
  longest ms  the longest main-thread task during the load (a frozen tab shows here)
  click ms    selecting a node from the search box until it is drawn selected
  zoom ms     a zoom until the frame is drawn

The baseline, in the same run: pyvis's default page for the smallest size
(`Network(cdn_resources="in_line")`, default physics), timed until its physics
finishes stabilising (capped at --baseline-timeout seconds), and pyvis's
`add_node` path for every size (its membership test is O(n^2)).

    python benchmarks/bench_viewer.py [--sizes 500 2000 10000] [--no-baseline]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

LONGTASKS = """
window.__longest = 0;
try {
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
  }).observe({ type: "longtask", buffered: true });
} catch (e) {}
"""

CLICK = """async (id) => {
  const v = window.newsgraphViewer, t0 = performance.now();
  const drawn = new Promise(r => v.network.once("afterDrawing", r));
  v.select(id); v.network.redraw(); await drawn;
  return performance.now() - t0;
}"""

ZOOM = """async () => {
  const n = window.newsgraphViewer.network, t0 = performance.now();
  const drawn = new Promise(r => n.once("afterDrawing", r));
  n.moveTo({ scale: n.getScale() * 1.5 }); await drawn;
  return performance.now() - t0;
}"""

PYVIS_SETTLED = """(cap) => new Promise(resolve => {
  const t0 = performance.now();
  let done = null;
  network.once("stabilizationIterationsDone", () => { done = performance.now(); });
  const poll = setInterval(() => {
    const settled = done !== null && network.physics.stabilized;
    if (settled || performance.now() - t0 > cap) {
      clearInterval(poll);
      resolve({ iterationsDone: done, settled: settled ? performance.now() : null });
    }
  }, 100);
})"""


def launch(pw):
    from browser import CHROMIUM_ARGS, chromium_executable

    path = chromium_executable()
    if path is None:
        sys.exit("bench_viewer: Chromium not found; apt-get install -y chromium")
    return pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)


def blocked_page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.add_init_script(LONGTASKS)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    return page


def measure_viewer(browser, path: Path) -> dict[str, float]:
    page = blocked_page(browser)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-ready=true]", state="attached", timeout=300_000)
    wall = time.perf_counter() - started
    ready = page.evaluate("() => window.newsgraphViewer.readyAt") / 1000
    drawn = page.evaluate("() => window.newsgraphViewer.drawnNodeIds().length")
    longest = page.evaluate("() => window.__longest")
    target = page.evaluate("() => window.newsgraphViewer.search('Entity 1')[0]")
    click = page.evaluate(CLICK, target)
    zoom = page.evaluate(ZOOM)
    page.close()
    if errors:
        print(f"  console errors: {errors[:3]}", file=sys.stderr)
    return {"ready": ready, "wall": wall, "drawn": drawn, "longest": longest, "click": click, "zoom": zoom}


def pyvis_add_nodes(model) -> float:
    """Seconds pyvis's own Network takes to receive the nodes and edges (its add_node is O(n^2))."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    started = time.perf_counter()
    for node in model.nodes.values():
        net.add_node(node.id, label=node.label, title=node.class_label)
    for edge in model.edges:
        net.add_edge(edge.source, edge.target, title=edge.label)
    return time.perf_counter() - started, net


def measure_pyvis_page(browser, net, folder: Path, cap_s: float) -> dict[str, float | None]:
    path = folder / "pyvis.html"
    net.write_html(str(path))
    page = blocked_page(browser)
    page.goto(path.as_uri(), wait_until="domcontentloaded")
    result = page.evaluate(PYVIS_SETTLED, cap_s * 1000)
    page.close()
    return {k: (v / 1000 if v is not None else None) for k, v in result.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10_000])
    ap.add_argument("--no-baseline", action="store_true", help="skip pyvis's page and add_node timings")
    ap.add_argument("--baseline-timeout", type=float, default=60.0, help="cap on pyvis's page, seconds")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from newsgraph.exports.html import PHYSICS_MAX_NODES, write_html
    from newsgraph.exports.html_model import build_view_model
    from newsgraph.exports.viewer_synthetic import synthetic_dataset

    folder = Path(tempfile.mkdtemp(prefix="bench-viewer-"))
    rows = []
    with sync_playwright() as pw:
        browser = launch(pw)
        for n in args.sizes:
            ds = synthetic_dataset(n)
            started = time.perf_counter()
            page = write_html(ds, folder / f"viewer-{n}.html")
            write_s = time.perf_counter() - started
            row = {"n": n, "write": write_s, "mb": page.stat().st_size / 1e6,
                   "physics": n <= PHYSICS_MAX_NODES, **measure_viewer(browser, page)}
            if not args.no_baseline:
                model = build_view_model(ds)
                row["pyvis_add"], net = pyvis_add_nodes(model)
                if n == min(args.sizes):
                    row["pyvis_page"] = measure_pyvis_page(browser, net, folder, args.baseline_timeout)
            rows.append(row)
            print(f"  measured {n:,} nodes", file=sys.stderr)
        browser.close()

    print(f"\nnewsgraph viewer, headless Chromium, network blocked (pages in {folder})\n")
    print(f"{'nodes':>7} {'physics':>7} {'MB':>5} {'write s':>8} {'ready s':>8} {'wall s':>7} "
          f"{'longest ms':>10} {'click ms':>9} {'zoom ms':>8} {'drawn':>7}")
    for r in rows:
        print(f"{r['n']:>7,} {('on' if r['physics'] else 'off'):>7} {r['mb']:>5.1f} {r['write']:>8.2f} "
              f"{r['ready']:>8.2f} {r['wall']:>7.2f} {r['longest']:>10.0f} {r['click']:>9.0f} "
              f"{r['zoom']:>8.0f} {r['drawn']:>7,}")
    if args.no_baseline:
        return 0
    print("\nbaseline, same run: pyvis 0.3.2")
    print("(pyvis's add_node/add_edge calls alone, against newsgraph's whole write: model, layout, page)")
    print(f"{'nodes':>7} {'pyvis add_node s':>17} {'newsgraph write s':>18} {'pyvis/newsgraph':>16}")
    for r in rows:
        print(f"{r['n']:>7,} {r['pyvis_add']:>17.2f} {r['write']:>18.2f} {r['pyvis_add'] / r['write']:>15.2f}x")
    for r in rows:
        if "pyvis_page" in r:
            base = r["pyvis_page"]
            shown = f"{base['iterationsDone']:.1f} s" if base["iterationsDone"] else f"> {args.baseline_timeout:.0f} s"
            settled = f"{base['settled']:.1f} s" if base["settled"] else f"not within {args.baseline_timeout:.0f} s"
            print(f"\npyvis default page, {r['n']:,} nodes: drawn after its stabilisation at {shown}, "
                  f"physics settled: {settled}")
            if base["settled"]:
                print(f"newsgraph page, same graph: drawn and stable at {r['ready']:.1f} s "
                      f"({base['settled'] / r['ready']:.1f}x faster to settle)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
