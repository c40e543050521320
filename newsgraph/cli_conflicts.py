"""`newsgraph conflicts`: the disagreements between sources, as a report a person reads.

The report is the `conflicts` named query, grouped: one block per conflict, one line per
side with its values, and under it each article (outlet, date) and the sentence that says so.
It reads whatever `newsgraph query` reads: a build folder, a graph file, a store or a URL.
"""
from __future__ import annotations

import json
import sys
import textwrap
from collections import defaultdict
from typing import Any

import click

from newsgraph.cli import _fail, main

WIDTH = 100


def _value(cell: dict[str, str] | None) -> str:
    return cell["value"] if cell else ""


def _source_name(row: dict[str, Any]) -> str:
    """The outlet, else the article's title, else its file name."""
    title = _value(row.get("title"))
    name = _value(row.get("outlet")) or (textwrap.shorten(title, 50, placeholder="...") if title else "")
    return name or _value(row.get("file")).replace("\\", "/").rsplit("/", 1)[-1] or _value(row.get("article"))


def conflict_report(rows: list[dict[str, Any]]) -> str:
    """Readable text of the conflicts query's rows (SPARQL JSON bindings)."""
    conflicts: dict[str, dict[str, Any]] = {}
    for row in rows:
        c = conflicts.setdefault(_value(row.get("conflict")), {
            "label": _value(row.get("label")), "subject": _value(row.get("subjectLabel")) or _value(row.get("subject")),
            "attribute": _value(row.get("attribute")), "sides": defaultdict(dict)})
        claim = c["sides"][int(_value(row.get("side")) or 0)].setdefault(_value(row.get("claim")), {
            "value": _value(row.get("statedAs")) or _value(row.get("value")), "sources": []})
        source = (_source_name(row),
                  _value(row.get("date")), _value(row.get("sentence")))
        if source not in claim["sources"]:
            claim["sources"].append(source)
    if not conflicts:
        return "No conflicts: the sources do not contradict each other on any claim newsgraph reads.\n"
    out = [f"{len(conflicts)} conflict(s) between sources"]
    for n, c in enumerate(sorted(conflicts.values(), key=lambda c: c["label"]), start=1):
        out.append(f"\n{n}. {c['attribute']} of {c['subject']}")
        for side in sorted(c["sides"]):
            claims = c["sides"][side]
            values = " / ".join(dict.fromkeys(f'"{cl["value"]}"' for cl in claims.values()))
            out.append(f"   side {side}: {values}")
            for cl in claims.values():
                for outlet, date, sentence in cl["sources"]:
                    where = f"{outlet}, {date}" if date else outlet
                    text = textwrap.shorten(sentence.replace("\n", " "), WIDTH - 12, placeholder=" ...")
                    out.append(f"      - {where}: {text}")
    return "\n".join(out) + "\n"


@main.command()
@click.argument("graph", default="newsgraph-out")
@click.option("--json", "as_json", is_flag=True, help="The query's rows as SPARQL JSON results instead.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Stop after this many s (0: never).")
def conflicts(graph: str, as_json: bool, timeout: float) -> None:
    """List where sources disagree: claims about one thing that cannot all be true.

    GRAPH is a build folder, a graph file, a store directory or a SPARQL URL.  Numbers are
    compared with their hedges ("about two hours" and "almost two hours" agree, "more than
    an hour and a half" and "about two hours" do not); a person's status ("former" against
    sitting), the holder of an office, the year of a one-time event and an actor's stance
    (agreed against rejected) are compared too.  The same rows come from
    `newsgraph query conflicts GRAPH`.

    \b
    Examples:
      newsgraph conflicts newsgraph-out
      newsgraph conflicts newsgraph-store --json
    """
    from newsgraph.errors import NewsgraphError
    from newsgraph.graph.query import named_queries
    from newsgraph.graph.store_query import run_with_timeout

    try:
        data = run_with_timeout(graph, named_queries()["conflicts"], fmt="json", timeout=timeout)
    except NewsgraphError as exc:
        _fail(str(exc))
    if as_json:
        sys.stdout.buffer.write(data)
        return
    rows = json.loads(data)["results"]["bindings"]
    click.echo(conflict_report(rows), nl=False)
