"""The KB ruler marks the names spaCy's EntityRuler marked with one token pattern per name, faster."""
from __future__ import annotations

import gzip
import json
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from newsgraph.extract.kb import default_kb
from newsgraph.extract.kb_ruler import KBRuler, kb_names
from newsgraph.extract.pipeline import _base_names, load_pipeline

ALLSIDES = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides-news-2018-2020" / "articles.jsonl.gz"


def _token_patterns(names: list[Any]) -> list[dict]:
    """The EntityRuler patterns the ruler replaces: exact forms, or lower case with capitals kept."""
    patterns = []
    for n in names:
        if n.exact:
            pattern = [{"ORTH": w} for w in n.words]
        else:
            pattern = [{"LOWER": w.lower()} if w.islower() or not w.isalpha() else {"LOWER": w.lower(), "IS_LOWER": False}
                       for w in n.words]
        patterns.append({"label": n.label, "pattern": pattern, "id": n.entry_id})
    return patterns


@pytest.fixture(scope="module")
def before_ruler() -> Any:
    nlp = load_pipeline()
    names = _base_names(nlp)
    return nlp, names[: names.index("newsgraph_kb_ruler")]


def _ents(doc: Any) -> list[tuple[int, int, str, str]]:
    return [(e.start, e.end, e.label_, e.ent_id_) for e in doc.ents]


def test_capitalised_words_of_a_name_must_be_capitalised(before_ruler: Any) -> None:
    nlp, upto = before_ruler
    with nlp.select_pipes(enable=upto):
        doc = nlp("The Supreme Court ruled, but a supreme court in one state did not. NATO met; nato did not.")
    nlp.get_pipe("newsgraph_kb_ruler")(doc)
    marked = [e.text for e in doc.ents]
    assert "Supreme Court" in marked and "supreme court" not in marked
    assert "NATO" in marked and "nato" not in marked


@pytest.mark.slow
@pytest.mark.skipif(not ALLSIDES.exists(), reason="the AllSides data set is not beside the checkout")
def test_same_entities_as_the_entity_ruler_on_real_news(before_ruler: Any) -> None:
    nlp, upto = before_ruler
    names = kb_names(default_kb(), nlp.make_doc)
    reference = nlp.__class__(nlp.vocab).add_pipe("entity_ruler", config={"validate": False})
    reference.add_patterns(_token_patterns(names))
    ruler = KBRuler(nlp.vocab, names)
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in islice(fh, 40)]
    marked = 0
    with nlp.select_pipes(enable=upto):
        for doc in nlp.pipe(texts):
            ours, theirs = ruler(doc.copy()), reference(doc.copy())
            assert _ents(ours) == _ents(theirs)
            marked += len(ours.ents)
    assert marked > 100  # the news names the KB knows: countries, leaders, bodies
