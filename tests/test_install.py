"""Issue 18: a clean install runs every command.

A machine that has more installed than newsgraph declares hides a missing requirement (PageRank
needs scipy, which networkx does not require).  So each command runs in a real process where
every installed package that pyproject.toml's dependencies do not bring in (directly or through
their own requirements) cannot be imported, as on a clean install; optional imports of the
libraries (orjson, colorama, ...) then fall back as they would there.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from newsgraph import sample_corpus_path
from tests.test_query_store import small_graph

ROOT = Path(__file__).resolve().parent.parent
# run newsgraph with the modules named in argv[1] (a JSON list) made unimportable
CLEAN = """
import json, sys
blocked = frozenset(json.loads(sys.argv.pop(1)))

class NotInstalled:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r} (not declared by newsgraph)", name=name)
        return None

sys.meta_path.insert(0, NotInstalled)
from newsgraph.cli import main
main()
"""


def declared_closure() -> set[str]:
    """The distributions pyproject.toml's dependencies install, with their requirements' requirements."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(r) for r in project["dependencies"]]
    found: set[str] = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in found or (req.marker is not None and not req.marker.evaluate({"extra": ""})):
            continue
        found.add(name)
        try:
            sub = [Requirement(r) for r in metadata.requires(req.name) or []]
        except metadata.PackageNotFoundError:
            continue  # not installed here: it cannot be what a command imported either
        for r in sub:
            if r.marker is None or any(r.marker.evaluate({"extra": e}) for e in ["", *req.extras]):
                todo.append(r)
    return found


def undeclared_modules() -> list[str]:
    """Top-level modules installed here whose distributions nothing in pyproject.toml brings in."""
    allowed = declared_closure() | {"newsgraph"}
    return sorted(top for top, dists in metadata.packages_distributions().items()
                  if top not in sys.stdlib_module_names
                  and not {canonicalize_name(d) for d in dists} & allowed)


def run_clean(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`newsgraph ARGS` in a process that cannot import what newsgraph does not declare."""
    return subprocess.run([sys.executable, "-c", CLEAN, json.dumps(undeclared_modules()), *args],
                          capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("install") / "g.nq"
    small_graph().serialize(path, format="nquads")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with `build --sample` run in it the clean way: out/ (files) and store/ (a store)."""
    folder = tmp_path_factory.mktemp("install-build")
    for args in (["build", "--sample", "-o", "out", "-q"], ["build", "--sample", "--store", "store", "-q"]):
        proc = run_clean(args, folder)
        assert proc.returncode == 0, proc.stderr
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("command", [
    ["analyze", "{graph}"],  # default PageRank: scipy (issue 18)
    ["analyze", "store", "--centrality", "betweenness", "--gexf", "g.gexf", "--graphml", "g.graphml",
     "--csv", "tables"],
    ["query", "who-controls", "{graph}", "-f", "json"],
    ["query", "evidence", "out", "-f", "csv", "--engine", "rdflib"],
    ["query", "entities", "--store", "store", "-f", "xml"],
    ["stats", "out"],
    ["validate", "out/graph.trig"],
    ["entities", "out", "--merges"],
    ["view", "out", "-o", "view.html"],
    ["conflicts", "out"],
    ["export", "store", "-o", "exported", "--format", "trig,turtle"],
    ["serve", "--help"],
    ["remove", "--store", "store", str(sample_corpus_path() / "000_86a9999493ebc42c.txt")],  # last: it changes the store
])
def test_commands_run_with_only_the_declared_packages(command: list[str], graph_file: Path, built: Path) -> None:
    """`build --sample` (both ways, in the fixture) and then every other command."""
    proc = run_clean([a.replace("{graph}", str(graph_file)) for a in command], built)
    assert proc.returncode == 0, proc.stderr + "\n(declare what is missing in pyproject.toml's dependencies)"


def test_the_clean_process_does_block_undeclared_packages(tmp_path: Path) -> None:
    """Control: something installed here but not declared (pytest) cannot be imported in it."""
    assert "pytest" in undeclared_modules()
    proc = subprocess.run([sys.executable, "-c", CLEAN.replace("from newsgraph.cli import main\nmain()",
                                                               "import pytest"), json.dumps(undeclared_modules())],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 1 and "not declared by newsgraph" in proc.stderr


# -- the README's commands and query are the real ones ---------------------------------------


def readme_blocks(language: str) -> list[str]:
    """The README's fenced blocks of `language` ("" for plain fences), in order."""
    blocks: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```") and current is None:
            current = []
            blocks.append((line[3:].strip(), current))
        elif line.startswith("```"):
            current = None
        elif current is not None:
            current.append(line)
    return ["\n".join(lines) for lang, lines in blocks if lang == language]


def test_readme_commands_parse() -> None:
    """Every `newsgraph ...` line of the README's shell blocks names a command and options it has
    (`serve --store` did not exist: issue 18)."""
    import click

    from newsgraph.cli import main

    lines = [line for block in readme_blocks("bash") for line in block.splitlines()
             if line.startswith("newsgraph ")]
    assert any(line.startswith("newsgraph serve --store") for line in lines)
    for line in lines:
        name, *args = shlex.split(line, comments=True)[1:]
        command = main.commands[name]
        command.make_parser(click.Context(command, info_name=name)).parse_args(args)  # UsageError if not


def test_readme_evidence_query_is_the_shipped_one() -> None:
    from newsgraph.graph.query import named_queries

    shown = next(b for b in readme_blocks("sparql") if "ng:attests ?fact" in b)
    body = [line for line in shown.strip().splitlines() if not line.startswith("PREFIX")]
    shipped = [line for line in named_queries()["evidence"].strip().splitlines() if not line.startswith("#")]
    assert body == shipped
    output = next(b for b in readme_blocks("") if b.startswith("$ newsgraph query evidence"))
    columns = re.search(r"SELECT (.*)", shown).group(1).replace("?", "").split()  # type: ignore[union-attr]
    assert output.splitlines()[1].split(",") == columns
