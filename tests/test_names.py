"""graph/names.py: IRIs of resolved entities and events, minted once and kept by stores."""
from __future__ import annotations

import dataclasses
from typing import Any

from newsgraph.graph import iris
from newsgraph.graph.names import ENTITY, assign_names, pointers_of
from newsgraph.resolve import resolve
from newsgraph.resolve.events import resolve_events


def named(extractions: list[Any], previous: Any = None) -> dict[str, str]:
    res = resolve(extractions)
    return {k: str(v) for k, v in assign_names(res, resolve_events(extractions, res), previous).entities.items()}


def test_two_groups_voting_the_same_label_get_distinct_iris(make_extraction: Any) -> None:
    """A KB entry and an unlinked name can both be labelled "Kremlin": the second by key gets a suffix
    ("Organization:kremlin" sorts before "kb:kremlin")."""
    kb = make_extraction("Kremlin said.", [("Kremlin", "Organization", None, ["Kremlin"])], identifier="a.txt")
    kb = dataclasses.replace(kb, entities=(dataclasses.replace(kb.entities[0], kb_id="kremlin"),))
    plain = make_extraction("Kremlin said.\nMore.", [("Kremlin", "Organization", None, ["Kremlin"])], identifier="b.txt")
    names = named([kb, plain])
    assert names["Organization:kremlin"] == iris.BASE + "entity/organization/kremlin"
    assert names["kb:kremlin"].startswith(iris.BASE + "entity/organization/kremlin-")
    assert named([plain, kb]) == names  # whatever the input order


def test_a_wikidata_iri_is_never_inherited_by_an_unlinked_group(make_extraction: Any) -> None:
    """An article that loses its link (re-extracted without it) must not keep …/wikidata/Q7747."""
    linked = make_extraction("Putin spoke.", [("Putin", "Person", "Q7747", ["Putin"])], identifier="a.txt")
    unlinked = make_extraction("Putin spoke.", [("Putin", "Person", None, ["Putin"])], identifier="a.txt")
    res = resolve([linked])
    events = resolve_events([linked], res)
    previous = pointers_of(res, events, assign_names(res, events))
    assert previous[unlinked.article.id][(ENTITY, "Person:Putin")] == iris.BASE + "entity/wikidata/Q7747"
    assert named([unlinked], previous) == {"Person:putin": iris.BASE + "entity/person/putin"}
