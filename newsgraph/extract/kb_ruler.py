"""The KB ruler: every name of the knowledge base marked as an entity before spaCy's NER runs.

It does what spaCy's EntityRuler did with one token pattern per name ({"LOWER": w, "IS_LOWER":
False} per capitalised word, {"ORTH": w} for acronyms), and gives the same entities, but matches
with two PhraseMatchers (one on LOWER, one on ORTH) and checks the case of each match after: the
Matcher tried all 500 token patterns at every token and cost about 15% of the base model's time;
the phrase matchers look a name up by its tokens.

A capitalised word of a name must not be lower case in the text ("the Supreme Court", not "a
supreme court"); lower-case words of a name ("of", "the") may be either.  Of overlapping names
the longest wins, then the first, and a token NER-free spans already hold is left alone (the
EntityRuler's rules).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from newsgraph.extract.entities import GENERATED_PREFIXES, KB_LABELS
from newsgraph.extract.kb import KnowledgeBase, default_kb


@dataclass(frozen=True)
class KBName:
    """One name of a KB entry as the ruler matches it."""

    label: str  # spaCy entity label (PERSON, ORG, GPE, ...)
    entry_id: str  # the KB id, set as the span's ent_id
    words: tuple[str, ...]  # the name's tokens
    exact: bool  # acronyms and short names match their exact form only


class KBRuler:
    """Marks KB names in a Doc (see the module docstring)."""

    def __init__(self, vocab: Vocab, names: Iterable[KBName]) -> None:
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.exact = PhraseMatcher(vocab, attr="ORTH")
        self.names: dict[int, KBName] = {}
        for n, name in enumerate(names):
            key = f"kb-name-{n}"
            (self.exact if name.exact else self.lower).add(key, [Doc(vocab, words=list(name.words))])
            self.names[vocab.strings[key]] = name

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for key, start, end in [*self.lower(doc), *self.exact(doc)]:
            name = self.names[key]
            if start != end and (name.exact or _case_fits(doc[start:end], name)):
                found.append((start, end, name))
        found.sort(key=lambda m: (m[1] - m[0], -m[0]), reverse=True)
        taken: set[int] = set()
        spans = []
        for start, end, name in found:
            if any(t.ent_type for t in doc[start:end]) or start in taken or end - 1 in taken:
                continue
            spans.append(Span(doc, start, end, label=name.label, span_id=name.entry_id))
            taken.update(range(start, end))
        if spans:
            doc.ents = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in spans)] + spans
        return doc


def _case_fits(span: Span, name: KBName) -> bool:
    """Capitalised words of the name are not lower case in the text."""
    return all(not (tok.is_lower and not word.islower() and word.isalpha()) for tok, word in zip(span, name.words))


def kb_names(kb: KnowledgeBase, make_doc: Callable[[str], Doc]) -> list[KBName]:
    """The names of every KB entry (label and aliases), as the ruler matches them: acronyms and
    names of three characters or fewer in their exact form, others in any case but lower."""
    names = []
    for entry in kb.entries:
        if entry.id.startswith(GENERATED_PREFIXES):
            continue  # found by name after NER: thousands of names would crowd the ruler
        label = KB_LABELS[entry.top_class]
        if entry.entity_class in ("City", "Region", "Territory", "Country"):
            label = "GPE"
        for alias in dict.fromkeys((entry.label, *entry.aliases)):
            words = tuple(t.text for t in make_doc(alias))
            if words:
                names.append(KBName(label, entry.id, words, alias.isupper() or len(alias) <= 3))
    return names


@Language.factory("newsgraph_kb_ruler", default_config={"kb_files": []})
def make_kb_ruler(nlp: Language, name: str, kb_files: list[str]) -> KBRuler:
    """spaCy factory: `nlp.add_pipe("newsgraph_kb_ruler", before="ner", config={"kb_files": [...]})`."""
    return KBRuler(nlp.vocab, kb_names(default_kb(kb_files), nlp.make_doc))
