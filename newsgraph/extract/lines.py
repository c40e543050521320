"""A line break ends a sentence.

News text often has one paragraph per line and headlines, captions and
credits without a final full stop; spaCy's parser would run them into the
next sentence.  This component, placed before the parser, marks the first
token after a line break as a sentence start (the parser keeps such marks).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("newsgraph_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Mark every token that follows a line break as the start of a sentence."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            if not doc[i].is_space:
                doc[i].is_sent_start = True
    return doc
