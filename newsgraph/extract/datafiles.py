"""The rule data shipped in newsgraph/extract/data: lexicons as CSV (or plain text) files.

One reader for all of them, so every lexicon may start with '#' comment lines that say
what its columns mean.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources


def data_file(name: str) -> str:
    """The text of newsgraph/extract/data/NAME."""
    return resources.files("newsgraph.extract").joinpath(f"data/{name}").read_text(encoding="utf-8")


def csv_rows(name: str) -> csv.DictReader[str]:
    """The rows of a data CSV by column name, its '#' comment lines left out."""
    return csv.DictReader(line for line in data_file(name).splitlines() if not line.startswith("#"))


def data_lines(name: str) -> Iterator[str]:
    """The entries of a one-word-a-line data file: comments ('#' to the end of a line) and blank
    lines left out."""
    for line in data_file(name).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line
