"""The `newsgraph` command: messages, exit codes and files, through click's CliRunner.

In-process, so the builds share the spaCy model loaded for the session.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import newsgraph
from newsgraph.cli import EXIT_INVALID_GRAPH, EXIT_NOTHING_READ, EXIT_SKIPPED, EXIT_USAGE, main
from newsgraph.exports.rdf import EXPORT_FILES

GRAPH_FILES = sorted(EXPORT_FILES.values())


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def assert_clear_error(result: Result, code: int | None = None) -> None:
    """A user error: non-zero exit, a 'newsgraph: ...' message on stderr (after the skipped inputs), no traceback."""
    assert result.exit_code != 0
    if code is not None:
        assert result.exit_code == code, result.stderr
    message = [line for line in result.stderr.splitlines() if not line.startswith("skipped ")]
    assert message and message[0].startswith("newsgraph: "), result.stderr
    assert "Traceback" not in result.output


GOOD_TEXT = (
    "Putin and Trump agree on a pause\n\n"
    "Vladimir Putin and Donald Trump agreed on Tuesday to pause strikes on energy targets in Ukraine, "
    "the Kremlin said.\n"
)


# ---------------------------------------------------------------- help


# Commands whose help is known to be broken, with the reason (strict: the test says when it is fixed).
KNOWN_BAD_HELP: dict[str, str] = {}
COMMANDS = [
    pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BAD_HELP[c])) if c in KNOWN_BAD_HELP else c
    for c in sorted(main.commands)
]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_shows_an_example(command: str | None) -> None:
    result = run(*([command] if command else []), "--help")
    assert result.exit_code == 0
    assert "Example" in result.output, f"`newsgraph {command} --help` has no example"
    assert f"newsgraph {command or ''}".strip() in result.output.split("Example", 1)[1]


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and newsgraph.__version__ in result.output


# ---------------------------------------------------------------- build


@pytest.mark.slow
def test_build_sample_writes_every_format_and_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", "--sample", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert set(GRAPH_FILES) <= {p.name for p in out.iterdir()}
    assert "Built the graph of 3 article(s)" in result.stdout
    for name in GRAPH_FILES:
        assert str(out / name) in result.stdout
    assert "conforms" in result.stdout


@pytest.mark.slow
def test_build_reports_bad_files_and_goes_on(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inputs / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = run("build", inputs, "-o", out, "-q")
    assert result.exit_code == EXIT_SKIPPED == 4, result.output  # built, but not everything
    assert "binary.txt" in result.stderr and "empty.txt" in result.stderr
    assert "good.txt" not in result.stderr
    assert "Built the graph of 1 article(s)" in result.stdout and "2 input(s) skipped" in result.stdout
    assert set(GRAPH_FILES) <= {p.name for p in out.iterdir()}


@pytest.mark.slow
def test_build_with_nothing_readable_fails_clearly(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "binary.txt").write_bytes(b"\x7fELF\x00\x01\x02" * 100)
    (inputs / "empty.txt").write_bytes(b"")
    result = run("build", inputs, tmp_path / "missing.txt", "-o", tmp_path / "out", "-q")
    assert_clear_error(result, EXIT_NOTHING_READ)
    assert "nothing could be read" in result.stderr
    assert "binary.txt" in result.stderr and "missing.txt" in result.stderr


@pytest.mark.slow
def test_failed_build_keeps_the_previous_graph(tmp_path: Path, sample_out: Path, sample_build: Any) -> None:
    out = tmp_path / "out"
    shutil.copytree(sample_out, out)
    before = {name: (out / name).read_bytes() for name in GRAPH_FILES}
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("build", tmp_path / "empty.txt", "-o", out, "-q")
    assert result.exit_code == EXIT_NOTHING_READ
    assert {name: (out / name).read_bytes() for name in GRAPH_FILES} == before


def test_build_without_input_is_a_usage_error() -> None:
    result = run("build")
    assert_clear_error(result, EXIT_USAGE)
    assert "--sample" in result.stderr


# ---------------------------------------------------------------- query, validate, stats


@pytest.mark.slow
def test_query_evidence_as_csv(sample_out: Path, sample_build: Any) -> None:
    result = run("query", "evidence", sample_out, "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) > 100
    assert {"fact", "sentence", "extractor", "confidence"} <= set(rows[0])
    assert all(0 <= float(r["confidence"]) <= 1 for r in rows)
    assert any(r["sentence"] for r in rows)


@pytest.mark.slow
def test_query_with_a_bound_parameter(sample_out: Path, sample_build: Any) -> None:
    result = run("query", "evidence", sample_out, "-f", "json", "-p",
                 "fact=https://w3id.org/newsgraph/id/entity/wikidata/Q7747")
    assert result.exit_code == 0, result.output
    facts = {b["fact"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]}
    assert facts == {"https://w3id.org/newsgraph/id/entity/wikidata/Q7747"}


@pytest.mark.slow
@pytest.mark.parametrize("bad", ["SELECT", "SELECT ?x WHERE { ?x ng: }", "SELEC * WHERE {}"])
def test_malformed_query_fails_clearly(sample_out: Path, sample_build: Any, bad: str) -> None:
    result = run("query", bad, sample_out)
    assert_clear_error(result)
    assert "SPARQL" in result.stderr or "query" in result.stderr.lower()


@pytest.mark.parametrize("where", ["no-such-folder", "empty-folder"])
def test_query_without_a_graph_fails_clearly(tmp_path: Path, where: str) -> None:
    (tmp_path / "empty-folder").mkdir()
    result = run("query", "evidence", tmp_path / where)
    assert_clear_error(result)
    assert str(tmp_path / where) in result.stderr


@pytest.mark.slow
def test_validate_a_good_graph(sample_out: Path, sample_build: Any) -> None:
    result = run("validate", sample_out)
    assert result.exit_code == 0, result.output
    assert "conforms" in result.stdout


def test_validate_a_broken_graph(tmp_path: Path) -> None:
    bad = tmp_path / "bad.trig"
    bad.write_text(
        "@prefix ng: <https://w3id.org/newsgraph/ontology#> .\n"
        "<https://w3id.org/newsgraph/id/graph/entities> {\n"
        "  <https://w3id.org/newsgraph/id/entity/person/x> a ng:Person .\n}\n",
        encoding="utf-8",
    )
    result = run("validate", bad)
    assert result.exit_code == EXIT_INVALID_GRAPH
    assert "https://w3id.org/newsgraph/id/entity/person/x" in result.stdout
    assert "rdfs:label" in result.stdout or "label" in result.stdout


def test_validate_an_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "graph.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    result = run("validate", bad)
    assert_clear_error(result)
    assert "graph.ttl" in result.stderr


@pytest.mark.slow
def test_stats_prints_counts(sample_out: Path, sample_build: Any) -> None:
    result = run("stats", sample_out)
    assert result.exit_code == 0, result.output
    lines = {line.split(":")[0].strip(): line for line in result.stdout.splitlines() if ":" in line}
    assert lines["articles"].split()[-1] == "3"
    assert int(lines["entities"].split()[-1].replace(",", "")) == sample_build.stats.entities
    assert int(lines["statements"].split()[-1].replace(",", "")) == sample_build.stats.triples


# ---------------------------------------------------------------- Python API


@pytest.mark.slow
def test_python_api_builds_the_sample(sample_build: Any, sample_out: Path) -> None:
    assert sample_build.stats.articles == 3
    assert sample_build.problems == []
    assert sample_build.validation is not None and sample_build.validation.conforms
    assert set(GRAPH_FILES) <= {p.name for p in sample_build.written.values()}
    assert sample_build.stats.triples > 1000 and sample_build.stats.entities > 10
