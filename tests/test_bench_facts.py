"""benchmarks/bench_facts.py: the review file of sampled facts, on a real build of the sample corpus."""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import newsgraph

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_facts.py"


@pytest.fixture(scope="module")
def bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_facts", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_facts"] = module
    spec.loader.exec_module(module)
    return module


def corpus_text() -> str:
    """The sample articles' text, white space collapsed (as in the review file's cells)."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(newsgraph.sample_corpus_path().glob("*.txt")))
    return re.sub(r"\s+", " ", text)


def test_missing_data_file_is_a_clear_error(bench: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "articles.jsonl.gz"
    assert bench.main(["--data", str(missing), "--out", str(tmp_path / "r.md")]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "--data" in err and "Traceback" not in err
    assert not (tmp_path / "r.md").exists()


@pytest.mark.slow
def test_review_file_has_a_row_and_a_sentence_per_fact(bench: Any, sample_build: Any, tmp_path: Path) -> None:
    facts = bench.collect_facts(sample_build.dataset)
    counts = bench.distribution(facts)
    for kind in bench.KINDS:
        assert counts[kind]["total"] == len(facts[kind]) >= 3, kind  # the sample corpus has every kind
        assert sum(counts[kind]["by"].values()) == counts[kind]["total"]
    assert "Statement" in counts["event"]["by"] and "leaderOf" in counts["relation"]["by"]
    assert set(counts["quote"]["by"]) <= {"Quote", "ReportedSpeech"}

    sample = bench.sample_facts(sample_build.dataset, facts, 3, seed=0)
    md, twin = bench.write_review(sample, counts, {"data": "sample corpus"}, tmp_path / "out" / "review.md")
    text = md.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert [int(r.split("|")[1]) for r in rows] == list(range(1, 13))  # 3 of each of the 4 kinds
    assert text.count("| # | fact | sentence | article | correct? (y/n) |") == 4
    sentence_cells = {}
    for row in rows:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert len(cells) == 5 and cells[1] and cells[4] == "", row  # the reviewer's column is empty
        assert "**" in cells[2] or "is not in this sentence" in cells[2], row  # the anchor in bold
        sentence_cells[int(cells[0])] = cells[2]
    assert not list(md.parent.glob("*.tmp"))  # written atomically: no temporary file left

    data = json.loads(twin.read_text(encoding="utf-8"))
    assert [f["number"] for f in data["facts"]] == list(range(1, 13))
    assert [f["kind"] for f in data["facts"]] == [k for k in bench.KINDS for _ in range(3)]
    source = corpus_text()
    for fact in data["facts"]:
        ev = fact["evidence"]
        assert fact["correct"] is None and ev["article_id"] and ev["sentence"], fact
        assert re.sub(r"\s+", " ", ev["sentence"]).strip() in source  # the article's own sentence
        assert ev["anchor_place"] in ("inside", "partly", "outside"), ev
        shown = sentence_cells[fact["number"]].replace("**", "").replace(" ", "")
        assert bench._cell(ev["sentence"]).replace(" ", "") in shown  # the row shows that sentence

    again = bench.sample_facts(sample_build.dataset, bench.collect_facts(sample_build.dataset), 3, seed=0)
    assert [f.iri for k in bench.KINDS for f in again[k]] == [f["iri"] for f in data["facts"]]  # seeded
    other = bench.sample_facts(sample_build.dataset, bench.collect_facts(sample_build.dataset), 3, seed=1)
    assert [f.iri for k in bench.KINDS for f in other[k]] != [f["iri"] for f in data["facts"]]
