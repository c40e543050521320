"""The same input gives the same graph, byte for byte once sorted, whatever the order it is read in."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

import newsgraph
from newsgraph.graph import iris

pytestmark = pytest.mark.slow

# Statements that name the input file: they change when the files do, by design.
FILE_NAMING = ("<http://purl.org/dc/terms/identifier>", "<https://w3id.org/newsgraph/ontology#sourceFile>")


def sorted_nquads(ds: Dataset, *, ignore_file_names: bool = False) -> list[str]:
    lines = ds.serialize(format="nquads").splitlines()
    if ignore_file_names:
        lines = [line for line in lines if not any(f" {p} " in line for p in FILE_NAMING)]
    return sorted(line for line in lines if line.strip())


def first_difference(a: list[str], b: list[str]) -> str:
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    return f"{len(only_a)} only in the first, {len(only_b)} only in the second:\n" + "\n".join(
        ["- " + x for x in only_a[:5]] + ["+ " + x for x in only_b[:5]]
    )


@pytest.fixture(scope="module")
def sample_files() -> list[Path]:
    files = sorted(newsgraph.sample_corpus_path().glob("*.txt"))
    assert len(files) == 3
    return files


def test_reversed_input_order_gives_the_same_graph(sample_build: Any, sample_files: list[Path]) -> None:
    """A second build (files named one by one, last first) equals the shared build of the folder."""
    reverse = newsgraph.build(sample_files[::-1], check_shapes=False)
    a, b = sorted_nquads(sample_build.dataset), sorted_nquads(reverse.dataset)
    assert a == b, first_difference(a, b)


def test_renamed_and_reordered_copies_give_the_same_graph(
    sample_build: Any, sample_files: list[Path], tmp_path: Path
) -> None:
    """Copies under other names sort in the opposite order, and go through spaCy one per batch:
    only the statements naming the files differ."""
    folder = tmp_path / "zz-other-folder"
    folder.mkdir()
    for i, src in enumerate(sample_files):
        shutil.copyfile(src, folder / f"{9 - i}_copy of {src.stem}.txt")
    copy = newsgraph.build([folder], check_shapes=False, batch_size=1)
    assert copy.stats.articles == 3
    a = sorted_nquads(sample_build.dataset, ignore_file_names=True)
    b = sorted_nquads(copy.dataset, ignore_file_names=True)
    assert a == b, first_difference(a, b)
    # and the statements that were dropped above really only name files
    names = {line for line in copy.dataset.serialize(format="nquads").splitlines() if any(p in line for p in FILE_NAMING)}
    assert names and all("copy of" in line or "<https://w3id.org/newsgraph/ontology>" in line for line in names)


def test_entity_iris_are_unique_per_resolved_entity(sample_build: Any) -> None:
    """Two resolved entities sharing one IRI would merge silently (and carry two labels)."""
    from rdflib import RDFS

    described = set(sample_build.dataset.graph(iris.ENTITIES_GRAPH).subjects(RDFS.label))
    assert len(described) == len(sample_build.resolution.entities)


def test_graph_files_are_written_identically(sample_build: Any, sample_out: Path, tmp_path: Path) -> None:
    """Serializing the same dataset twice gives the same N-Quads file once sorted."""
    from newsgraph.exports.rdf import write_exports

    write_exports(sample_build.dataset, tmp_path, ["nquads"])
    first = sorted((sample_out / "graph.nq").read_text("utf-8").splitlines())
    second = sorted((tmp_path / "graph.nq").read_text("utf-8").splitlines())
    assert first == second


def test_no_blank_nodes_in_the_sample_graph(sample_build: Any) -> None:
    assert not any(line.startswith("_:") or " _:" in line for line in sorted_nquads(sample_build.dataset))
    assert iris.BUILD_GRAPH in {g.identifier for g in sample_build.dataset.graphs()}
