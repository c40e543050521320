"""First entity extractor: spaCy's named entities mapped onto the ontology classes.

`find_entities(doc)` is pure (a Doc in, values out) so it is testable without a
pipeline; the `newsgraph_entities` component only stores its result on the Doc.
Richer recognition (knowledge base, assets, coreference) plugs in as further
components that read and rewrite `doc._.ng_entities` / `doc._.ng_mentions`.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.extract.countries import country_code, country_name
from newsgraph.extract.extensions import register_extensions
from newsgraph.extract.names import clean_name, name_key
from newsgraph.extract.values import LocalEntity, Mention

EXTRACTOR = "spacy-ner"
NER_CONFIDENCE = 0.7

# spaCy (OntoNotes) label -> ontology class.  NORP (nationalities), dates, numbers,
# products, works of art, laws and languages are not entities of the contract.
NER_CLASSES: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",  # promoted to Country when the name is a state
    "LOC": "Place",
    "FAC": "Place",
}


def entity_class_for(label: str, name: str) -> str | None:
    """The ontology class of an NER span, or None when it is not a contract entity."""
    cls = NER_CLASSES.get(label)
    if cls in ("Place", "Organization") and label != "FAC" and country_code(name):
        return "Country"
    return cls


def is_plausible_name(name: str) -> bool:
    """Reject spans that are not names: empty, no letters, or one stray character."""
    letters = sum(ch.isalpha() for ch in name)
    return letters >= 2


def _sentence_index(doc: Doc) -> dict[int, int]:
    return {sent.start: i for i, sent in enumerate(doc.sents)}


def find_entities(doc: Doc) -> tuple[list[LocalEntity], list[Mention]]:
    """Map the Doc's named entities to local entities and their mentions.

    Mentions whose names fold to the same key are one entity; a lone surname
    ("Putin") joins the person whose full name ends with it in the same article.
    """
    sent_of_token: dict[int, int] = {}
    for i, sent in enumerate(doc.sents):
        for tok in sent:
            sent_of_token[tok.i] = i
    raw: list[tuple[Span, str, str]] = []
    for ent in doc.ents:
        name = clean_name(ent.text)
        cls = entity_class_for(ent.label_, name)
        if cls is None or not is_plausible_name(name):
            continue
        if cls == "Country":
            name = country_name(country_code(name) or "") or name
        raw.append((ent, name, cls))

    entities: dict[str, dict[str, Any]] = {}
    for ent, name, cls in raw:
        key = f"{cls}:{name_key(name)}"
        info = entities.setdefault(key, {"name": name, "cls": cls, "forms": set()})
        info["forms"].add(clean_name(ent.text))
        if len(name) > len(info["name"]):
            info["name"] = name
    surname_of = _surname_targets(entities)

    mentions: list[Mention] = []
    for ent, name, cls in raw:
        key = f"{cls}:{name_key(name)}"
        key = surname_of.get(key, key)
        if key != f"{cls}:{name_key(name)}":
            entities[key]["forms"].add(clean_name(ent.text))
        mentions.append(
            Mention(
                start=ent.start_char,
                end=ent.end_char,
                text=ent.text,
                entity=key,
                entity_class=cls,
                sentence=sent_of_token.get(ent.start, 0),
                extractor=EXTRACTOR,
                confidence=NER_CONFIDENCE,
                ner_label=ent.label_,
            )
        )
    used = {m.entity for m in mentions}
    local = [
        LocalEntity(key=k, name=v["name"], entity_class=v["cls"], surface_forms=tuple(sorted(v["forms"])))
        for k, v in sorted(entities.items())
        if k in used
    ]
    return local, mentions


def _surname_targets(entities: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Map one-word person keys to the unique longer person name ending in that word."""
    people = [k for k, v in entities.items() if v["cls"] == "Person"]
    targets: dict[str, str] = {}
    for short in people:
        words = short.split(":", 1)[1].split()
        if len(words) != 1:
            continue
        longer = [k for k in people if k != short and k.split(":", 1)[1].split()[-1] == words[0]]
        if len(longer) == 1:
            targets[short] = longer[0]
    return targets


@Language.factory("newsgraph_entities", default_config={})
def make_entity_component(nlp: Language, name: str) -> EntityComponent:
    """spaCy factory: `nlp.add_pipe("newsgraph_entities")`."""
    return EntityComponent()


class EntityComponent:
    """Stores `find_entities(doc)` on `doc._.ng_entities` and `doc._.ng_mentions`."""

    def __init__(self) -> None:
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        entities, mentions = find_entities(doc)
        doc._.ng_entities = entities
        doc._.ng_mentions = mentions
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)
