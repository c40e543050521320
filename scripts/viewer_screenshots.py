"""The screenshots of docs/viewer.md, taken from real pages in headless Chromium.

    python scripts/viewer_screenshots.py [--build /tmp/view300/out] [--out docs/img]

--build is a build of news articles (the benchmark's seeded 300 AllSides articles; see
benchmarks/bench_viewer.py, which makes it).  Four pictures:

* viewer-overview.png: the page as it opens (the overview);
* viewer-expanded.png: an entity of the overview selected and expanded (its neighbours added);
* viewer-timeline.png: the timeline brushed to a few months, the view following it;
* viewer-conflict.png: an entity the sources disagree about, its panel showing each side.  When
  the build has no conflict, the story of tests/test_across_sources.py (three wires that
  disagree) is built for it;

and sample-graph.png (the README's): the built-in sample corpus, the plant selected.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def open_page(browser, path: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 860})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-ready=true]", state="attached", timeout=120_000)
    return page


def settle(page) -> None:
    for _ in range(80):
        if page.evaluate("() => window.newsgraph.settled()"):
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(150)


def conflict_page(folder: Path, news_page: Path) -> Path:
    """The news page if it shows a conflict, else the page of the across-sources story."""
    import json
    import re

    text = news_page.read_text("utf-8")
    data = json.loads(re.search(r'id="ng-data">(.*?)</script>', text, re.DOTALL).group(1))
    if any(n["conflicts"] for n in data["nodes"]):
        return news_page
    import newsgraph
    from test_across_sources import write_story

    write_story(folder / "wires")
    return newsgraph.build([folder / "wires"], out_dir=folder / "wires-out").written["html"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", type=Path, default=Path("/tmp/view300/out"))
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    args = ap.parse_args(argv)

    from browser import CHROMIUM_ARGS, chromium_executable
    from playwright.sync_api import sync_playwright

    from newsgraph.cli_view import read_graph
    from newsgraph.exports.html import write_html

    folder = Path(tempfile.mkdtemp(prefix="viewer-shots-"))
    news = write_html(read_graph(args.build), folder / "news.html")
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True)
        page = open_page(browser, news)
        page.screenshot(path=str(args.out / "viewer-overview.png"))
        print(page.evaluate("() => window.newsgraph.view()"))

        # An entity of the overview, ranked a little below the top, expanded into the view.
        labels = page.evaluate("() => window.newsgraph.labels()")
        chosen = labels[min(12, len(labels) - 1)]["id"]
        point = page.evaluate("(id) => window.newsgraph.toScreen(id)", chosen)
        page.mouse.click(point["x"], point["y"])
        page.locator("#ng-expand").click()
        settle(page)
        page.screenshot(path=str(args.out / "viewer-expanded.png"))
        page.locator("#ng-undo").click()
        page.keyboard.press("Escape")
        settle(page)

        box = page.locator("#ng-timeline svg").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + 30)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.65, box["y"] + 30, steps=5)
        page.mouse.move(box["x"] + box["width"] * 0.72, box["y"] + 30, steps=5)
        page.mouse.up()
        settle(page)
        page.screenshot(path=str(args.out / "viewer-timeline.png"))
        page.close()

        target = conflict_page(folder, news)
        page = open_page(browser, target)
        disputed = page.evaluate(
            "() => window.newsgraph.data.nodes.filter(n => n.conflicts.length)"
            ".sort((a, b) => b.src.length - a.src.length)[0].id")
        page.evaluate("(id) => window.newsgraph.select(id)", disputed)
        settle(page)
        page.locator("#ng-panel .ng-conflicts-box").scroll_into_view_if_needed()
        page.screenshot(path=str(args.out / "viewer-conflict.png"))
        page.close()

        import newsgraph
        from newsgraph.api import sample_corpus_path

        sample = newsgraph.build([sample_corpus_path()], out_dir=folder / "sample").written["html"]
        page = open_page(browser, sample)
        page.evaluate("() => window.newsgraph.select(window.newsgraph.search('Zaporizhzhia nuclear')[0])")
        settle(page)
        page.screenshot(path=str(args.out / "sample-graph.png"))
        page.close()
        browser.close()
    for name in ("viewer-overview", "viewer-expanded", "viewer-timeline", "viewer-conflict", "sample-graph"):
        print(args.out / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
