"""A folder of every kind of bad file (benchmarks/bad_inputs.py) builds: each bad file named with its
reason, every output re-parsing, the exit code saying that something was skipped.

The two files that exist to cost time (a 6 MB paragraph, 20,000 mentions) are left out here: the
limits they hit are tested on small texts in test_limits.py, and the benchmark builds them all.
"""
from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import EXIT_SKIPPED, main

pytestmark = pytest.mark.slow

_SPEC = importlib.util.spec_from_file_location(
    "bad_inputs", Path(__file__).resolve().parents[1] / "benchmarks" / "bad_inputs.py")
bad_inputs = importlib.util.module_from_spec(_SPEC)  # type: ignore[arg-type]
sys.modules["bad_inputs"] = bad_inputs  # its dataclasses look their module up
_SPEC.loader.exec_module(bad_inputs)  # type: ignore[union-attr]

EXPENSIVE = {"big-paragraph.txt", "many-mentions.txt"}


def test_every_bad_file_is_named_with_its_reason_and_the_outputs_parse(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    files = bad_inputs.make_bad_folder(folder)
    for name in EXPENSIVE:
        (folder / name).unlink()
    with caplog.at_level(logging.WARNING):
        result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "-q"],
                                    catch_exceptions=False)
    assert result.exit_code == EXIT_SKIPPED, result.output
    said = (result.stderr + "\n" + caplog.text).lower()
    for bad in files:
        if bad.expect == bad_inputs.CLEAN or bad.name in EXPENSIVE:
            continue
        lines = [line for line in said.splitlines() if bad.name.lower() in line]
        assert any(bad.words in line for line in lines), (bad.name, bad.words, lines)
    assert "pipe.txt" in said
    assert bad_inputs.check_outputs(out) == []
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "\u202e" not in ttl and "\x1b" not in ttl and "\u200b" not in ttl
    # the names behind the zero-width and bidi characters, and the coloured ones, are one node
    assert ttl.count('rdfs:label "Mark Rutte"') <= 1 and "Mark Rutte" in ttl
