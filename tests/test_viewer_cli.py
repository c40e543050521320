"""`newsgraph view`: whole graph, --focus/--depth, --query, --max-nodes, and its errors."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import zaporizhzhia_graph
from click.testing import CliRunner

from newsgraph.cli import main


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "graph.trig"
    zaporizhzhia_graph().ds.serialize(destination=str(path), format="trig")
    return path


def labels(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="ng-data">(.*?)</script>', html, re.DOTALL).group(1))
    return sorted(n["label"] for n in data["nodes"])


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["view", *args], catch_exceptions=False)


def test_view_whole_graph(graph_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.html"
    result = run(str(graph_file), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    assert len(labels(out)) == 11


def test_view_focus_and_depth(graph_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.html"
    assert run(str(graph_file), "-o", str(out), "--focus", "ZNPP", "--depth", "1").exit_code == 0
    assert labels(out) == ["Russia", "Zaporizhzhia Oblast", "Zaporizhzhia nuclear power plant",
                           "ceasefire", "\u201cThe plant is in a precarious state.\u201d"]


def test_view_construct_query(graph_file: Path, tmp_path: Path) -> None:
    query = tmp_path / "leaders.rq"
    query.write_text("CONSTRUCT { ?p ng:leaderOf ?x } WHERE { ?p ng:leaderOf ?x }", encoding="utf-8")
    out = tmp_path / "q.html"
    result = run(str(graph_file), "-o", str(out), "--query", str(query))
    assert result.exit_code == 0, result.output
    assert labels(out) == ["IAEA", "Rafael Grossi", "Russia", "Vladimir Putin"]


def test_view_max_nodes(graph_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    assert run(str(graph_file), "-o", str(out), "--max-nodes", "2").exit_code == 0
    assert len(labels(out)) == 2


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--focus", "Kherson"], "no entity, event or quote called 'Kherson'", 1),
        (["--query", "{query}"], "--query needs a CONSTRUCT query (this one is a SELECT)", 2),
        (["--max-nodes", "0"], "0 is not in the range", 2),
    ],
)
def test_view_errors_say_what_to_do(graph_file: Path, tmp_path: Path, args: list[str], message: str,
                                    code: int) -> None:
    query = tmp_path / "select.rq"
    query.write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", encoding="utf-8")
    out = tmp_path / "never.html"
    args = [a.replace("{query}", str(query)) for a in args]
    result = CliRunner().invoke(main, ["view", str(graph_file), "-o", str(out), *args])
    assert result.exit_code == code
    assert message in result.output
    assert not out.exists()


def test_view_missing_graph(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["view", str(tmp_path / "nothing-here")])
    assert result.exit_code == 1 and "no such file or folder" in result.output


def test_view_reads_the_graph_as_load_dataset_does(graph_file: Path) -> None:
    """Oxigraph's parser (fast) and rdflib's (the reference) give the viewer the same model."""
    from newsgraph.cli_view import read_graph
    from newsgraph.exports.html_model import build_view_model
    from newsgraph.graph.load import load_dataset

    fast, reference = build_view_model(read_graph(graph_file)), build_view_model(load_dataset(graph_file))
    assert fast.nodes == reference.nodes and fast.edges == reference.edges
    assert fast.articles == reference.articles


def test_view_focus_page_names_its_focus(graph_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    assert run(str(graph_file), "-o", str(out), "--focus", "Putin").exit_code == 0
    data = json.loads(re.search(r'<script type="application/json" id="ng-data">(.*?)</script>',
                                out.read_text("utf-8"), re.S).group(1))
    putin = next(n["id"] for n in data["nodes"] if n["label"] == "Vladimir Putin")
    assert data["meta"]["focus"] == putin and data["overview"][0] == putin


def test_view_unreadable_graph_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.trig"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["view", str(bad), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "broken.trig: not a readable trig graph" in result.output
