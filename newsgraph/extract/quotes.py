"""Quotations in news text and who said them.

`find_quotes(doc)` is pure: a parsed spaCy Doc in, `QuoteSpan` values out, with
character offsets into `doc.text`.  It applies the conventions of English news
writing, never knowledge of particular articles:

1. **Quotation marks.**  Curly double quotes, straight double quotes and curly
   single quotes (the house style of some outlets) are paired inside a paragraph
   (a line of the text).  A straight quote opens when it stands before a word
   and closes after one; an even number of straight quotes in a paragraph is
   paired in order.  A curly right single quote between letters ("Russia's") or
   after a space ("'90s") is an apostrophe, not a quotation mark.
2. **Continued quotations.**  News style leaves a quotation open at the end of a
   paragraph that the next paragraph continues, and reopens it there; a scraped
   text may have lost the paragraph break, leaving an opening mark right after
   a finished sentence inside an open quotation.  Both stretches are returned,
   with the same speaker.  Any other unbalanced mark is skipped with a warning.
3. **Attribution**, tried in this order for each quoted stretch:
   a. the quotation is (part of) the complement of a reporting verb: walk up the
      dependency tree from the quoted words to the first reporting verb; its
      subject is the speaker ("X said the 'leaders agreed ...'", "'A,' X said").
      The quoted words must be in the verb's complement, not in its subject or
      in a prepositional adjunct ("Trump said in a 'Truth Social' post" quotes a
      name, not Trump);
      Words in the content of a named person's source noun ("Trump's comments
      -- including that a deal has a 'very good chance' --", "Kim's statement
      that 'peace is near'") are that person's;
   b. the attribution clause follows the closing mark after a comma:
      "'...,' she said", "'...,' said Kristine Berzina, director of ..."
      (a surface rule, robust to the parser's errors on all-caps text);
   c. a colon after a reporting clause introduces the quotation ("X said:");
      a bare name before a colon is a headline attribution ("Tusk: '...'");
   d. "according to X";
   e. a quotation that is a sentence on its own and has no attribution continues
      the speaker of the quotation just before it (same or previous sentence, or
      the split "'A,' she said, 'B.'"), with a lower confidence;
   f. else, right after a sentence whose subject is a named person and which
      quotes nothing ("Bush had harsh words for North Korea. '...'"), it is
      that person's, with a lower confidence still.
4. **Speaker span.**  The subject noun phrase with its pre-modifiers and
   "of"-phrases ("Ukraine's Foreign Minister Andriy Sybiga", "the leaders of
   the UK"), without appositions or relative clauses after a name ("Kristine
   Berzina", not "..., managing director of ..."); a subject that is a document
   ("the Kremlin statement said", "Trump's post said") gives the name that owns
   it; a participle ("..., saying") or a conjoined verb takes the subject of the
   verb it depends on; "prompted X to accuse ..." (object control) takes X.
5. **Embedded posts.**  A scraped tweet keeps its signature, "... — Donald J.
   Trump (@realDonaldTrump) January 31, 2019": the signed paragraph is a direct
   quotation of that name (cue "post"), unless the prose already quotes it whole.
6. **Nested quotations** ("X said, 'Y called it "a disaster"'") are Y's when a
   reporting verb inside the outer quotation has them as its complement and its
   subject, inside too, is not the outer speaker's "I"/"we".  Inside a double
   quotation, straight single quotes count as quotation marks.
7. **Datelines.**  "WASHINGTON (Reuters) -", "SEOUL, South Korea (AP) —", "NEW
   YORK —", "Washington (CNN)" at the start of a paragraph name a place: never
   a speaker, nor part of one (the parser often makes them the subject).
8. **Indirect speech.**  A reporting verb marked `| indirect` in the data file
   with a finite clausal complement ("Zelenskyy said his country would ...",
   "X warned that ...", "..., the Kremlin said"), or "according to X, ...",
   gives a quote with `indirect=True` whose text is the reported clause.  Clauses
   that contain quotation marks are left to the direct rules.

Everything is linear in the length of the Doc: marks are found in one pass,
tokens are looked up by bisection, and dependency walks are bounded.
Sentences longer than `MAX_SENTENCE_TOKENS` are skipped with a warning (the
parse of such a "sentence", usually a list or a table, is not trustworthy).

>>> QuoteSpan(0, 5, "Hello", 7, 9, "he", "say", False, 0.9).speaker_text
'he'
"""
from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Token

from newsgraph.extract.datafiles import data_lines

log = logging.getLogger("newsgraph.extract")

# A "sentence" longer than this is a list, a table or a run-on scrape: skip it.
MAX_SENTENCE_TOKENS = 250
# How far up the dependency tree a quotation may sit below its reporting verb.
MAX_WALK = 40
# How many tokens after a closing mark the trailing attribution may span
# ("," + "Ukraine's Foreign Minister Andriy Sybiga said" is 8).
MAX_TRAIL = 14
# Longest speaker noun phrase kept whole; longer subjects are cut to their head.
MAX_SPEAKER_TOKENS = 20

CONF_PARSE = 0.9  # reporting verb found through the dependency tree
CONF_TRAILING = 0.85  # '"...," X said' read off the surface
CONF_COLON = 0.8  # 'X said: "..."'
CONF_ACCORDING = 0.75  # '"...", according to X'
CONF_CHAIN = 0.8  # the same quotation continued across a paragraph break
CONF_SPLIT = 0.85  # '"A," X said, "B."'
CONF_HEADLINE = 0.6  # 'Tusk: "..."'
CONF_CONTINUED = 0.6  # a quoted sentence that continues the previous speaker
CONF_INTRODUCED = 0.45  # 'X had harsh words for Y. "..."': the person the sentence before is about
CONF_UNATTRIBUTED = 0.3  # a quoted sentence whose speaker is not stated nearby
CONF_INDIRECT = 0.6
CONF_NESTED = 0.7  # a quotation inside a quotation, attributed inside it
CONF_POST = 0.85  # an embedded post signed '— Name (@handle) Month D, YYYY'

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# An arc through which a quotation hangs off a verb as an adjunct, not as content.
ADJUNCT_DEPS = frozenset({"prep", "agent", "npadvmod", "advmod", "dative", "obl"})
# Light-verb idioms that report speech with a that-clause ("made it clear that ...").
LIGHT_VERB_CUES = frozenset({"make clear", "make plain"})
CLAUSAL_DEPS = frozenset({"ccomp", "relcl", "advcl", "acl", "xcomp", "parataxis"})
# Right dependents kept in a speaker phrase: "the leaders of the UK, France and Spain".
SPEAKER_RIGHT_DEPS = frozenset({"compound", "flat", "nummod", "amod", "nmod", "cc", "conj", "case"})

DOUBLE_OPEN, DOUBLE_CLOSE, STRAIGHT = "\u201c", "\u201d", '"'
SINGLE_OPEN, SINGLE_CLOSE = "\u2018", "\u2019"
_OPEN_CONTEXT = "([{<\u2014\u2013-/:;" + DOUBLE_OPEN + SINGLE_OPEN
_CLOSE_CONTEXT = ".,;:!?)]}>\u2014\u2013-\u2026" + DOUBLE_CLOSE + SINGLE_CLOSE + STRAIGHT
_QUOTE_CHARS = frozenset(STRAIGHT + DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN)
_SENTENCE_END = re.compile(r"[.!?\u2026][)\]]?\s*$")
_PARAGRAPH = re.compile(r"[^\n]+")
_MONTH_NAMES = ("January|February|March|April|May|June|July|August|September|October|November|December"
                "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
# The signature an embedded post (a tweet) keeps when a page is scraped to text:
# "... — Donald J. Trump (@realDonaldTrump) January 31, 2019" at the end of a paragraph.
_POST_SIGNATURE = re.compile(
    r"\s[\u2014\u2013-]{1,2}\s*(?P<name>[^\s()@\u2014\u2013-][^()\n\u2014\u2013]{0,60}?)\s*\(@\w{1,30}\)\s*"
    rf"(?:{_MONTH_NAMES})\.?\s+\d{{1,2}},\s+\d{{4}}[ \t]*$",
    re.MULTILINE,
)
_CAP = r"[A-Z][A-Za-z.'\u2019-]*"
_CAPS = r"[A-Z][A-Z.'\u2019-]+"
_AGENCY = r"\([A-Z][A-Za-z .&/-]{0,30}\)"
_REGION = rf"(?:,[ \t]*{_CAP}(?:[ \t]+{_CAP}){{0,2}})?"
# A dateline opens a wire story's first paragraph: "WASHINGTON (Reuters) -", "SEOUL, South
# Korea (AP) —", "NEW YORK —", "Washington (CNN)".  It names where, never who.
_DATELINE = re.compile(
    rf"^[ \t]*(?:{_CAPS}(?:[ \t]+{_CAPS}){{0,3}}{_REGION}(?:[ \t]*{_AGENCY})?[ \t]*[\u2014\u2013-]{{1,2}}"
    rf"|{_CAP}(?:[ \t]+{_CAP}){{0,2}}{_REGION}[ \t]*{_AGENCY}(?:[ \t]*[\u2014\u2013-]{{1,2}})?)(?=[ \t])",
    re.MULTILINE,
)
_POST_LINK = re.compile(r"\s*(?:\S*pic\.twitter\.com/\S*|https?://\S+)\s*$")


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation: the quoted words, their speaker (if stated) and how sure we are.

    Offsets are character offsets into `doc.text`; `text` is `doc.text[start:end]`,
    the words as written without the quotation marks (and without the comma that
    hands over to the attribution).  `speaker_*` is the span of the noun phrase
    or pronoun that is the subject of the reporting verb, or of "according to X";
    `cue` is the lemma of the reporting expression ("say", "call for",
    "according to"), None for continued or headline quotes.  `indirect` quotes
    are reported speech without quotation marks; their text is the reported clause.
    """

    start: int
    end: int
    text: str
    speaker_start: int | None
    speaker_end: int | None
    speaker_text: str | None
    cue: str | None
    indirect: bool
    confidence: float


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class ReportingLexicon:
    """Rule data read from `newsgraph/extract/data/*.txt`."""

    lemma_of_form: dict[str, str]  # "said" -> "say", "say" -> "say"
    indirect: frozenset[str]  # lemmas that also report speech without quotes
    phrases: dict[str, frozenset[str]]  # "call" -> {"for"}, "make" -> {"clear", "plain"}
    source_nouns: frozenset[str]  # "statement", "post", ...


@lru_cache(maxsize=1)
def reporting_lexicon() -> ReportingLexicon:
    """Load the reporting verbs, reporting phrases and source nouns (cached).

    >>> lex = reporting_lexicon()
    >>> lex.lemma_of_form["said"], "say" in lex.indirect, "for" in lex.phrases["call"]
    ('say', True, True)
    """
    lemma_of_form: dict[str, str] = {}
    indirect: set[str] = set()
    for line in data_lines("reporting_verbs.txt"):
        words, _, flags = line.partition("|")
        lemma, *forms = words.split()
        for form in (lemma, *forms):
            lemma_of_form.setdefault(form.lower(), lemma)
        if "indirect" in flags:
            indirect.add(lemma)
    phrases: dict[str, set[str]] = {}
    for line in data_lines("reporting_phrases.txt"):
        verb, word = line.split()[:2]
        phrases.setdefault(verb, set()).add(word.lower())
    return ReportingLexicon(
        lemma_of_form=lemma_of_form,
        indirect=frozenset(indirect),
        phrases={k: frozenset(v) for k, v in phrases.items()},
        source_nouns=frozenset(w.lower() for w in data_lines("source_nouns.txt")),
    )


def _is_caps(tok: Token) -> bool:
    return tok.is_upper and len(tok.text) > 1


def reporting_cue(tok: Token, lex: ReportingLexicon | None = None) -> str | None:
    """The reporting expression headed by `tok` ("say", "call for"), or None.

    A verb from the data file counts when spaCy tags it as a verb, or, in
    all-caps text (where the small model's tags are unreliable), by its form.
    A phrase ("call for", "make clear") needs its second word as a dependent.
    """
    lex = lex or reporting_lexicon()
    lower = tok.lower_
    lemma = lex.lemma_of_form.get(lower)
    if lemma is None and tok.pos_ == "VERB":
        lemma = tok.lemma_.lower()
    if lemma is None:
        return None
    verbal = tok.pos_ == "VERB" or (_is_caps(tok) and lower in lex.lemma_of_form)
    if not verbal:
        return None
    words = lex.phrases.get(lemma)
    if words:
        for child in tok.children:
            if child.lower_ in words:
                return f"{lemma} {child.lower_}"
    return lemma if lemma in lex.lemma_of_form and lex.lemma_of_form[lemma] == lemma else None


# --------------------------------------------------------------------------- quotation marks

OPEN, CLOSE, AMBIGUOUS = 1, 2, 3
_Report = Callable[..., None]  # log.warning, or log.debug when quiet


@dataclass(frozen=True)
class _Stretch:
    """One contiguous quoted stretch: text offsets and the marks around it."""

    start: int  # first character of the quoted words
    end: int  # one past the last
    open_mark: int
    close_mark: int | None  # None: ends where a continuation reopens the quotation
    chain: int  # stretches of one quotation continued across breaks share a chain


def _straight_kind(text: str, i: int, lo: int, hi: int) -> int:
    """Opening or closing, from the characters around a straight double quote."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    opens = prev.isspace() or prev in _OPEN_CONTEXT
    closes = nxt.isspace() or nxt in _CLOSE_CONTEXT
    if opens and not closes:
        return OPEN
    if closes and not opens:
        return CLOSE
    return AMBIGUOUS


def _curly_kind(text: str, i: int, lo: int, hi: int) -> int:
    """Curly quotes say which way they face, except when mistyped before a word."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if text[i] == DOUBLE_OPEN:
        if not prev.isspace() and prev in ".,!?;…" and (nxt.isspace() or nxt in ".,;"):
            return CLOSE  # 'election,“ she wrote': a left quote typed as a closing one
        return OPEN
    if (prev.isspace() or prev in "([") and nxt.isalnum():
        return OPEN  # '”It is ...': a right quote typed as an opening one
    return CLOSE


def _single_kind(text: str, i: int, lo: int, hi: int) -> int | None:
    """Quotation role of a curly single quote, None when it is an apostrophe.

    An apostrophe joins letters ("Russia's", "rock 'n' roll") or elides the
    start of a word after a space ("'90s", "'em"); a closing single quote
    follows a word and precedes a space or punctuation.  "leaders' talks"
    (plural possessive) looks like a closing quote: it is returned as
    AMBIGUOUS, a weak closer used only when no better one follows.
    """
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if text[i] == SINGLE_OPEN:
        if prev.isalnum():
            return None
        if nxt.isspace() or nxt.isdigit() or text[i + 1 : i + 3].lower() == "n\u2019":
            return None
        return OPEN
    if prev.isspace() or prev in _OPEN_CONTEXT:
        return None
    if nxt.isalnum():
        return None
    if prev in "sS" and nxt.isspace():
        return AMBIGUOUS
    return CLOSE


def _opens_paragraph(text: str, lo: int, hi: int) -> str | None:
    """Which kind of quotation mark ("double" or "single") opens the paragraph text[lo:hi]."""
    j = lo
    while j < hi and text[j].isspace():
        j += 1
    if j >= hi:
        return None
    ch = text[j]
    if ch in (DOUBLE_OPEN, STRAIGHT) or (ch == DOUBLE_CLOSE and _curly_kind(text, j, lo, hi) == OPEN):
        return "double"
    if ch == SINGLE_OPEN:
        return "single"
    return None


def _pair_marks(
    text: str, marks: list[tuple[int, int]], lo: int, hi: int, continues: bool, report: _Report
) -> Iterator[tuple[int, int | None, bool]]:
    """Pair classified marks of one family in a paragraph.

    Yields (open mark, close mark or None, joined to the next stretch).  An
    opening mark inside an open quotation closes it implicitly when the text so
    far ends a sentence (the continued-quotation convention); a quotation still
    open at the end of the paragraph continues only when the next paragraph
    opens with a quotation mark (`continues`).
    """
    open_at: int | None = None
    weak_close: int | None = None
    for pos, kind in marks:
        if kind == AMBIGUOUS and text[pos] == SINGLE_CLOSE:
            # "leaders' talks": a closing quote only if a quotation is open, and only
            # when no clearer closing mark follows
            if open_at is not None and weak_close is None:
                weak_close = pos
            continue
        if kind == AMBIGUOUS:
            kind = CLOSE if open_at is not None else OPEN
        if kind == OPEN:
            if open_at is None:
                open_at = pos
            elif weak_close is not None:
                yield open_at, weak_close, False
                open_at, weak_close = pos, None
            elif _SENTENCE_END.search(text, open_at + 1, pos):
                yield open_at, None, True
                open_at = pos
            else:
                report("quotation mark at %d is never closed; skipped", open_at)
                open_at = pos
        else:
            if open_at is None:
                report("closing quotation mark at %d opens nothing; skipped", pos)
                continue
            yield open_at, pos, False
            open_at, weak_close = None, None
    if open_at is not None:
        if weak_close is not None:
            yield open_at, weak_close, False
        elif continues:
            yield open_at, None, True
        else:
            report("quotation opened at %d is not closed in its paragraph; skipped", open_at)


def _paragraph_marks(text: str, lo: int, hi: int) -> dict[str, list[tuple[int, int]]]:
    """Classified quotation marks of a paragraph, by family.

    Straight double quotes form their own family unless the paragraph also has
    curly double quotes: some outlets (and pasted tweets) mix the two, so then
    they are one family, each straight quote classified by its context.
    """
    doubles: list[tuple[int, int]] = []
    singles: list[tuple[int, int]] = []
    curly = False
    skip = -1
    for i in range(lo, hi):
        ch = text[i]
        if i == skip:
            continue
        if ch in (SINGLE_OPEN, SINGLE_CLOSE) and i + 1 < hi and text[i + 1] == ch:
            # Two single quotes typeset as one double quote ("‘‘war on drugs.’’")
            curly = True
            doubles.append((i, OPEN if ch == SINGLE_OPEN else CLOSE))
            skip = i + 1
        elif ch == STRAIGHT:
            doubles.append((i, _straight_kind(text, i, lo, hi)))
        elif ch in (DOUBLE_OPEN, DOUBLE_CLOSE):
            curly = True
            doubles.append((i, _curly_kind(text, i, lo, hi)))
        elif ch in (SINGLE_OPEN, SINGLE_CLOSE):
            kind = _single_kind(text, i, lo, hi)
            if kind is not None:
                singles.append((i, kind))
    return {"double" if curly else "straight": doubles, "single": singles}


def _straight_pairs(
    text: str, marks: list[tuple[int, int]], lo: int, hi: int, continues: bool, report: _Report
) -> Iterator[tuple[int, int | None, bool]]:
    """Straight quotes: an even count pairs in order unless a pair is back to front."""
    if marks and len(marks) % 2 == 0:
        pairs = [(marks[k], marks[k + 1]) for k in range(0, len(marks), 2)]
        if not any(a[1] == CLOSE and b[1] == OPEN for a, b in pairs):
            for a, b in pairs:
                yield a[0], b[0], False
            return
    yield from _pair_marks(text, marks, lo, hi, continues, report)


def find_stretches(text: str, *, quiet: bool = False, nested: list[_Stretch] | None = None) -> list[_Stretch]:
    """All quoted stretches of a text, in order, nested quotations removed (and put into
    `nested` when a list is given).

    Unbalanced marks are skipped with a warning (a debug message if `quiet`).

    >>> [text[s.start:s.end] for text in ['He said: "We are ready." Then he left.']
    ...  for s in find_stretches(text)]
    ['We are ready.']
    """
    report: _Report = log.debug if quiet else log.warning
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    raw: list[tuple[int, int | None, bool, int, str]] = []  # open, close, joined, para end, family
    for k, (lo, hi) in enumerate(paragraphs):
        nxt = _opens_paragraph(text, *paragraphs[k + 1]) if k + 1 < len(paragraphs) else None
        for family, marks in _paragraph_marks(text, lo, hi).items():
            if not marks:
                continue
            cont = nxt == ("single" if family == "single" else "double")
            pairs = (
                _straight_pairs(text, marks, lo, hi, cont, report)
                if family == "straight"
                else _pair_marks(text, marks, lo, hi, cont, report)
            )
            for open_at, close_at, joined in pairs:
                raw.append((open_at, close_at, joined, hi, family))
    raw.sort()
    # A stretch joined to the next ends where its family's next opening mark stands
    # (or at the end of its paragraph); joined stretches form one chain.
    next_open: dict[int, int] = {}
    last_open: dict[str, int] = {}
    for open_at, _, _, _, family in raw:
        kind = "single" if family == "single" else "double"
        if kind in last_open:
            next_open[last_open[kind]] = open_at
        last_open[kind] = open_at
    stretches: list[_Stretch] = []
    chains = 0
    pending: dict[str, int | None] = {}
    for open_at, close_at, joined, para_end, family in raw:
        kind = "single" if family == "single" else "double"
        chain = pending.get(kind)
        if chain is None:
            chains += 1
            chain = chains
        pending[kind] = chain if joined else None
        end = close_at if close_at is not None else min(next_open.get(open_at, para_end), para_end)
        width = 2 if text[open_at] in (SINGLE_OPEN, SINGLE_CLOSE) and text[open_at + 1 : open_at + 2] == text[open_at] else 1
        start, stop = _trim(text, open_at + width, end)
        if stop <= start or not any(ch.isalnum() for ch in text[start:stop]):
            continue
        stretches.append(_Stretch(start, stop, open_at, close_at, chain))
    return _drop_nested(stretches, report, nested)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces, and the comma that hands over to an attribution ('"A," she said')."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _drop_nested(stretches: list[_Stretch], report: _Report,
                 nested: list[_Stretch] | None = None) -> list[_Stretch]:
    """Keep outer quotations; drop quotations inside them (into `nested`, if given) and
    stretches that cross them."""
    kept: list[_Stretch] = []
    outer_end = -1
    for s in sorted(stretches, key=lambda s: (s.open_mark, -(s.end))):
        if s.open_mark < outer_end:
            if s.end > outer_end and s.close_mark is not None:
                report("quotation at %d crosses another; skipped", s.open_mark)
            elif nested is not None:
                nested.append(s)
            continue
        kept.append(s)
        outer_end = s.close_mark if s.close_mark is not None else s.end
    return kept


@dataclass(frozen=True)
class _Post:
    """An embedded post: its words and the name it is signed with (character offsets)."""

    start: int
    end: int
    name_start: int
    name_end: int


def find_posts(text: str) -> list[_Post]:
    """Embedded posts (tweets) kept in a scraped text: a paragraph signed
    '— Name (@handle) Month D, YYYY' is the words of Name, without quotation marks.

    A link at the end of the post ("pic.twitter.com/...") is not part of its
    words.  A post of several lines is scraped as several paragraphs that the
    cleaned text no longer tells from the article's own: only the signed one is kept.

    >>> t = "Intro.\\n\\nWe are ready. \\u2014 Jane Roe (@janeroe) May 1, 2020\\n\\nMore."
    >>> [(t[p.start:p.end], t[p.name_start:p.name_end]) for p in find_posts(t)]
    [('We are ready.', 'Jane Roe')]
    """
    posts: list[_Post] = []
    for m in _POST_SIGNATURE.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        end = m.start()
        link = _POST_LINK.search(text, start, end)
        if link is not None:
            end = link.start()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(ch.isalnum() for ch in text[start:end]):
            posts.append(_Post(start, end, m.start("name"), m.end("name")))
    return posts


# --------------------------------------------------------------------------- the parse


class _Index:
    """Constant-time-ish lookups from characters to tokens and sentences."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]
        self.sent_starts: list[int] = []
        self.sent_ends: list[int] = []
        for sent in doc.sents:
            self.sent_starts.append(sent.start)
            self.sent_ends.append(sent.end)

    def token_at(self, char: int) -> int:
        """Index of the token that contains (or is the last to start before) `char`."""
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def first_token_from(self, char: int) -> int:
        return bisect.bisect_left(self.starts, char)

    def sentence_of(self, i: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, i) - 1)


def dateline_ends(doc: Doc) -> dict[int, int]:
    """Datelines of a Doc: start character -> end character (cached on the Doc).

    >>> import spacy
    >>> text = 'SEOUL (AP) \u2014 "No," Moon said.\\nNEW YORK is big.'
    >>> dateline_ends(spacy.blank("en")(text))
    {0: 12}
    """
    return _datelines(doc)[0]


def _datelines(doc: Doc) -> tuple[dict[int, int], list[int]]:
    """(dateline start -> end, the start of every line), computed once per Doc (Doc.text
    joins every token: reading it per token would make the rules quadratic)."""
    cached = doc.user_data.get("newsgraph_datelines")
    if cached is None:
        text = doc.text
        ends = {m.start(): m.end() for m in _DATELINE.finditer(text)}
        lines = [0] + [m.end() for m in re.finditer("\n", text)] if ends else []
        cached = (ends, lines)
        doc.user_data["newsgraph_datelines"] = cached
    return cached


def in_dateline(tok: Token) -> bool:
    """Whether a token is part of a dateline ("WASHINGTON (Reuters) -")."""
    ends, lines = _datelines(tok.doc)
    if not ends:
        return False
    end = ends.get(lines[bisect.bisect_right(lines, tok.idx) - 1])
    return end is not None and tok.idx < end


def _subject(verb: Token, depth: int = 0) -> Token | None:
    """The subject of a verb, inherited along participles, conjuncts and xcomps.

    "Nielsen welcomed the statement and called for ..." (conj), "Putin ...,
    saying it was too small" (advcl), "Tusk appears to have answered ...,
    saying" (xcomp) all take the subject of the verb they hang from; a
    participle modifying a noun ("a statement saying") takes that noun; a
    passive takes the "by" agent; a relative pronoun takes its antecedent.
    """
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and not in_dateline(c)]
    if subjects:
        # two subjects are a misparse; the one nearest the verb is the likelier
        child = min(subjects, key=lambda c: abs(verb.i - c.i))
        if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
            return verb.head
        return child
    for child in verb.children:
        if child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    if depth >= 4 or verb.head.i == verb.i:
        return None
    if verb.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # object control: "prompted the party to accuse ...", "urged him to say ..."
        obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if obj is not None:
            return obj
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        if verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children):
            return None  # "if the world rejected ...": its own clause, not a participle
        return _subject(verb.head, depth + 1)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    return None


def _clause_subject_before(verb: Token) -> Token | None:
    """The name that opens the clause before a participle the parser left without a subject.

    In "..., Trump commended Manafort, saying he 'refused to break'" the small
    model may make "saying" the root; news grammar makes its subject that of the
    clause just before the comma.  Read off the surface: that clause (back to the
    previous comma) opens with a person's or an organization's name and has a
    past-tense verb (or one the parser took for a past participle).
    """
    doc = verb.doc
    if verb.tag_ != "VBG" or verb.i == 0 or doc[verb.i - 1].text != ",":
        return None
    start = verb.sent.start
    k = verb.i - 2
    while k >= start and doc[k].text != ",":
        k -= 1
    clause = doc[k + 1 : verb.i - 1]
    if not len(clause) or clause[0].ent_type_ not in ("PERSON", "ORG") or clause[0].ent_iob_ != "B":
        return None
    if not any(t.tag_ in ("VBD", "VBN") for t in clause[1:]):  # the parser may tag it as a participle
        return None
    end = clause[0].i
    while end + 1 < verb.i and doc[end + 1].ent_iob_ == "I":
        end += 1
    return doc[end]


def _speaker_tokens(subj: Token, lex: ReportingLexicon) -> tuple[int, int]:
    """Token range [a, b) of the speaker phrase headed by `subj` (see module docstring)."""
    if subj.lower_ in lex.source_nouns or subj.lemma_.lower() in lex.source_nouns:
        for child in subj.children:
            if child.i < subj.i and child.dep_ in ("poss", "compound") and (
                child.pos_ == "PROPN" or child.ent_type_
            ):
                a = child.left_edge.i
                b = child.i + 1
                det = subj.doc[a - 1] if a > 0 else None
                if det is not None and det.lower_ == "the" and det.head.i == subj.i:
                    a -= 1
                return a, b
    left = subj.left_edge.i
    right = subj.i
    named = subj.pos_ == "PROPN" or subj.ent_type_ in ("PERSON", "ORG")
    for child in subj.rights:
        # keep "the leaders of the UK", "prime minister, Donald Tusk"; not "Berzina, director of ..."
        if (
            child.dep_ in SPEAKER_RIGHT_DEPS
            or (child.dep_ == "prep" and not named)
            or (child.dep_ == "appos" and not named and child.pos_ == "PROPN")
        ):
            right = child.right_edge.i
        elif child.dep_ == "punct":
            continue
        else:
            break
    doc = subj.doc
    while left < right and (doc[left].is_punct or doc[left].dep_ == "cc"):
        left += 1
    while right > left and doc[right].is_punct:
        right -= 1
    if right - left + 1 > MAX_SPEAKER_TOKENS:
        left = max(left, subj.i - 4)
        right = subj.i
    return left, right + 1


def _is_content_arc(verb: Token, child: Token, clausal: bool, lex: ReportingLexicon) -> bool:
    """Whether words reached through `child` are what `verb` reports."""
    if child.dep_ in SUBJECT_DEPS:
        return False
    if child.dep_ in ADJUNCT_DEPS:
        lemma = lex.lemma_of_form.get(verb.lower_, verb.lemma_.lower())
        return child.lower_ in lex.phrases.get(lemma, ()) or clausal
    return True


@dataclass(frozen=True)
class _Attribution:
    speaker: tuple[int, int] | None  # token range
    cue: str | None
    confidence: float
    anchor_end: int  # last token of quote + attribution: where a continuation may follow


# --------------------------------------------------------------------------- attribution rules


class _Attributor:
    def __init__(self, doc: Doc, index: _Index, lex: ReportingLexicon, stretches: Sequence[_Stretch]) -> None:
        self.doc = doc
        self.text = doc.text
        self.ix = index
        self.lex = lex
        self.quoted = [(s.start, s.end) for s in stretches]
        self.quoted_starts = [a for a, _ in self.quoted]

    def _in_quotation(self, a: int, b: int) -> bool:
        """Whether tokens a..b-1 overlap any quoted stretch (a speaker never speaks from inside one)."""
        start, end = self.doc[a].idx, self.doc[b - 1].idx + len(self.doc[b - 1])
        k = bisect.bisect_right(self.quoted_starts, end - 1) - 1
        return k >= 0 and self.quoted[k][1] > start

    def _speaker_outside(self, subj: Token | None, lo: int, hi: int) -> tuple[int, int] | None:
        """Speaker token range, or None if the subject lies inside the quotation itself."""
        if subj is None or lo <= subj.i <= hi or in_dateline(subj):
            return None
        a, b = _speaker_tokens(subj, self.lex)
        while a < b and in_dateline(self.doc[a]):
            a += 1  # a dateline is never part of the speaker
        if a <= hi and b > lo:  # the phrase runs into the quotation: keep the side of the head
            if subj.i < lo:
                b = lo
            else:
                a = hi + 1
        if b <= a or self._in_quotation(a, b):
            return None
        return a, b

    def _speaker_inside(self, subj: Token | None, lo: int, hi: int, within: tuple[int, int]) -> tuple[int, int] | None:
        """Speaker token range inside the outer quotation `within`, outside the nested one lo..hi."""
        if subj is None or lo <= subj.i <= hi or not within[0] <= subj.idx < within[1]:
            return None
        if subj.pos_ == "PRON" and subj.lower_ in ("i", "we", "me", "us", "you"):
            return None  # the outer speaker quoting themselves: that is the outer quotation's speaker
        a, b = _speaker_tokens(subj, self.lex)
        first = self.ix.first_token_from(within[0])
        last = self.ix.token_at(within[1] - 1)
        a, b = max(a, first), min(b, last + 1)
        if b <= a or (a <= hi and b > lo):
            return None
        return a, b

    def _owner_of_words(self, node: Token, child: Token, lo: int, hi: int) -> tuple[int, int] | None:
        """Speaker of words quoted in the content of a possessed source noun: "Trump's comments
        -- including that a deal has a 'very good chance' --", "Kim's statement that 'peace is near'"."""
        if node.pos_ != "NOUN" or child.dep_ in ("compound", "poss", "amod", "nmod", "det"):
            return None
        if node.lower_ not in self.lex.source_nouns and node.lemma_.lower() not in self.lex.source_nouns:
            return None
        poss = next((c for c in node.children if c.dep_ == "poss" and (c.pos_ == "PROPN" or c.ent_type_)), None)
        if poss is None:
            return None
        speaker = self._speaker_outside(poss, lo, hi)
        while speaker is not None and speaker[1] - speaker[0] > 1 and self.doc[speaker[1] - 1].dep_ == "case":
            speaker = (speaker[0], speaker[1] - 1)  # "Kim's" -> "Kim"
        return speaker

    def by_parse(self, lo: int, hi: int, within: tuple[int, int] | None = None) -> _Attribution | None:
        """Rule a: a reporting verb whose complement contains the quoted words.

        `within`: the quoted words are a quotation inside another one (character
        range): the verb and its speaker must be inside that outer quotation.
        """
        doc = self.doc
        roots = [t for t in doc[lo : hi + 1] if not lo <= t.head.i <= hi or t.head.i == t.i]
        words = [t for t in roots if not t.is_punct]
        roots = words or roots
        for root in roots[:50]:
            child, node, clausal = root, root.head, False
            for _ in range(MAX_WALK):
                if node.i == child.i:
                    break
                clausal = clausal or child.dep_ in CLAUSAL_DEPS
                if within is not None and not within[0] <= node.idx < within[1]:
                    break
                owner = self._owner_of_words(node, child, lo, hi)
                if owner is not None:
                    return _Attribution(owner, node.lemma_.lower(), CONF_PARSE, max(hi, owner[1] - 1))
                cue = reporting_cue(node, self.lex)
                if cue is not None:
                    if not _is_content_arc(node, child, clausal, self.lex):
                        break
                    if within is None:
                        subj = _subject(node)
                        if subj is None:
                            subj = _clause_subject_before(node)
                        speaker = self._speaker_outside(subj, lo, hi)
                    else:
                        speaker = self._speaker_inside(_subject(node), lo, hi, within)
                    if speaker is None:
                        break
                    end = max(hi, speaker[1] - 1, node.i)
                    return _Attribution(speaker, cue, CONF_PARSE, end)
                child, node = node, node.head
        return None

    def by_trailing(self, stretch: _Stretch, lo: int, hi: int) -> _Attribution | None:
        """Rule b: '"...," X said' / '"...," said X' right after the closing mark."""
        if stretch.close_mark is None:
            return None
        doc, text = self.doc, self.text
        separated = text[stretch.end - 1 : stretch.close_mark].rstrip()[-1:] in (",", "?", "!", "\u2014", "-")
        separated = separated or text[stretch.close_mark : stretch.close_mark + 1] in (",",)
        j = self.ix.first_token_from(stretch.close_mark + 1)
        while j < len(doc) and doc[j].is_punct and doc[j].text in (",", "\u2014", "\u2013", "-"):
            separated = True
            j += 1
        if not separated or j >= len(doc) or doc[j].is_punct:
            return None
        para_end = text.find("\n", stretch.close_mark)
        para_end = len(text) if para_end < 0 else para_end
        first = j
        if doc[first].idx >= para_end:
            return None
        limit = min(len(doc), first + MAX_TRAIL)
        for k in range(first, limit):
            tok = doc[k]
            if tok.idx >= para_end or tok.is_quote or (tok.is_punct and tok.text in ".!?;"):
                break
            cue = reporting_cue(tok, self.lex)
            if cue is None:
                continue
            before = doc[first:k]
            if all(t.pos_ in ("ADV", "AUX", "PART") or t.is_punct for t in before):
                # inverted: 'said Kristine Berzina, managing director of ...'
                subj = _subject(tok)
                if subj is None or subj.i <= k:
                    subj = self._noun_after(k)
                speaker = self._speaker_outside(subj, lo, hi)
            else:
                subj = _subject(tok)
                if subj is not None and first <= subj.i < k:
                    speaker = self._speaker_outside(subj, lo, hi)
                    if speaker is not None and speaker[0] > first and not all(
                        t.pos_ in ("ADV", "CCONJ", "PUNCT") for t in doc[first : speaker[0]]
                    ):
                        speaker = None
                else:  # the parser lost the subject (all-caps text): take the words before the verb
                    words = [t for t in before if not t.is_punct]
                    nominal = all(t.pos_ in ("PROPN", "PRON", "DET", "NOUN", "ADJ", "PART") for t in words)
                    speaker = (first, k) if words and nominal and len(words) <= 8 else None
                    while speaker and doc[speaker[1] - 1].pos_ in ("ADV", "AUX"):
                        speaker = (speaker[0], speaker[1] - 1)
                    if speaker and self._in_quotation(*speaker):
                        speaker = None
            if speaker is None:
                return None
            return _Attribution(speaker, cue, CONF_TRAILING, max(k, speaker[1] - 1))
        return None

    def _noun_after(self, k: int) -> Token | None:
        """The head of the noun phrase right after a verb ('said the leaders of ...')."""
        doc = self.doc
        for tok in doc[k + 1 : min(len(doc), k + 8)]:
            if tok.pos_ in ("PROPN", "NOUN", "PRON"):
                head = tok
                while head.head.i > head.i and head.dep_ in ("compound", "amod", "flat"):
                    head = head.head
                return head
            if tok.pos_ not in ("DET", "ADJ", "ADV"):
                return None
        return None

    def by_colon(self, stretch: _Stretch, lo: int, hi: int) -> _Attribution | None:
        """Rule c: 'X said: "..."'; a bare name before a colon: 'Tusk: "..."'."""
        doc, text = self.doc, self.text
        before = text[: stretch.open_mark].rstrip(" \t")
        if not before.endswith(":"):
            return None
        colon = self.ix.token_at(len(before) - 1)
        sent = self.ix.sentence_of(colon)
        sent_start = max(self.ix.sent_starts[sent], colon - 40)
        for k in range(colon - 1, sent_start - 1, -1):
            cue = reporting_cue(doc[k], self.lex)
            if cue is not None:
                speaker = self._speaker_outside(_subject(doc[k]), lo, hi)
                if speaker is not None:
                    return _Attribution(speaker, cue, CONF_COLON, hi)
                break
        # Headline style: the colon follows nothing but a name at the start of a line.
        line_start = before.rfind("\n") + 1
        first = self.ix.first_token_from(line_start)
        span = doc[first:colon]
        if (
            0 < len(span) <= 6
            and not self._in_quotation(first, colon)
            and all(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in span)
            and any(t.ent_type_ in ("PERSON", "ORG") for t in span)
        ):
            return _Attribution((first, colon), None, CONF_HEADLINE, hi)
        return None

    def by_according(self, lo: int, hi: int) -> _Attribution | None:
        """Rule d: '"...," according to X' / 'According to X, "..."' in the same sentence."""
        doc = self.doc
        for s in {self.ix.sentence_of(lo), self.ix.sentence_of(hi)}:
            a, b = self.ix.sent_starts[s], self.ix.sent_ends[s]
            for tok in doc[a:b]:
                if lo <= tok.i <= hi or tok.lower_ != "according":
                    continue
                to = tok.i + 1 < len(doc) and doc[tok.i + 1]
                if not to or to.lower_ != "to":
                    continue
                obj = next((c for c in to.children if c.dep_ == "pobj"), None)
                speaker = self._speaker_outside(obj, lo, hi)
                if speaker is not None:
                    return _Attribution(speaker, "according to", CONF_ACCORDING, max(hi, speaker[1] - 1))
        return None


def _token_range(index: _Index, stretch: _Stretch) -> tuple[int, int]:
    lo = index.first_token_from(stretch.start)
    hi = index.token_at(stretch.end - 1)
    return lo, max(lo, hi)


def _is_quoted_term(doc: Doc, lo: int, hi: int) -> bool:
    """A quoted pre-nominal modifier is a term or a name, not a quotation.

    In 'young "Dreamer" immigrants' or 'a "Truth Social" post' the quoted
    words modify the noun after them: the writer flags a word, nobody is quoted.
    """
    roots = [t for t in doc[lo : hi + 1] if not t.is_punct and not lo <= t.head.i <= hi]
    if bool(roots) and all(t.dep_ in ("compound", "amod", "nmod", "nummod") and t.head.i > hi for t in roots):
        return True
    return _is_quoted_name(doc, lo, hi)


MAX_NAME_WORDS = 4


def _is_quoted_name(doc: Doc, lo: int, hi: int) -> bool:
    """A short run of capitalised words after "the" is a name the writer flags: "what it called
    the 'Peace Games'", "the 'Squad'".  A name is not a quotation (nobody's words are given)."""
    words = [t for t in doc[lo : hi + 1] if not t.is_punct]
    if not words or len(words) > MAX_NAME_WORDS or not all(t.text[:1].isupper() for t in words):
        return False
    k = lo - 1
    while k >= 0 and (doc[k].is_quote or doc[k].is_punct and doc[k].text in "\u201c\u2018\"'"):
        k -= 1
    return k >= 0 and doc[k].lower_ == "the" and doc[k].sent.start == doc[lo].sent.start


def _stands_alone(text: str, stretch: _Stretch) -> bool:
    """A quoted sentence: it opens a sentence and ends one, with nothing attached after."""
    before = text[: stretch.open_mark].rstrip(" \t")
    if before and before[-1] not in ".!?\n" + DOUBLE_CLOSE + STRAIGHT + SINGLE_CLOSE:
        return False
    if not _SENTENCE_END.search(text, stretch.start, stretch.end):
        return False
    if stretch.close_mark is None:
        return True
    after = text[stretch.close_mark + 1 : stretch.close_mark + 3].lstrip(" \t")
    return not after or after[0] in "\n" + DOUBLE_OPEN + STRAIGHT + SINGLE_OPEN or after[0].isupper()


def find_quotes(doc: Doc) -> list[QuoteSpan]:
    """Direct and indirect quotations of a parsed Doc, in text order.

    Needs the dependency parse (sentences and arcs) and, for better speakers,
    the named entities.  See the module docstring for the rules.
    """
    return sorted(iter_quotes(doc), key=lambda q: (q.start, q.end))


def iter_quotes(doc: Doc) -> Iterator[QuoteSpan]:
    """Generator behind `find_quotes` (direct quotations first, then indirect speech)."""
    if not doc.has_annotation("DEP"):
        log.warning("find_quotes needs a dependency parse; the Doc has none")
        return
    lex = reporting_lexicon()
    index = _Index(doc)
    text = doc.text
    nested: list[_Stretch] = []
    stretches = find_stretches(text, nested=nested)
    attributor = _Attributor(doc, index, lex, stretches)
    ranges: list[tuple[int, int]] = []
    found: list[_Attribution | None] = []
    skipped: set[int] = set()
    for k, stretch in enumerate(stretches):
        lo, hi = _token_range(index, stretch)
        ranges.append((lo, hi))
        found.append(None)
        longest = max(
            index.sent_ends[s] - index.sent_starts[s] for s in (index.sentence_of(lo), index.sentence_of(hi))
        )
        if longest > MAX_SENTENCE_TOKENS:
            log.warning("quotation at %d is in a %d-token sentence; skipped", stretch.start, longest)
            skipped.add(k)
        elif _is_quoted_term(doc, lo, hi):
            log.debug("quoted words at %d are a term, not a quotation", stretch.start)
            skipped.add(k)
        else:
            found[k] = (
                attributor.by_parse(lo, hi)
                or attributor.by_trailing(stretch, lo, hi)
                or attributor.by_colon(stretch, lo, hi)
                or attributor.by_according(lo, hi)
            )
    _share_within_chains(stretches, found)
    _continue_speakers(text, index, stretches, ranges, found, skipped)
    if _introduced_speakers(doc, index, lex, stretches, ranges, found, skipped):
        _continue_speakers(text, index, stretches, ranges, found, skipped)
    posts = _drop_repeats(text, find_posts(text), stretches, found)
    yield from _post_quotes(doc, index, posts)
    for k, stretch in enumerate(stretches):
        att = found[k]
        if k in skipped or any(p.start <= stretch.start < p.end for p in posts):
            continue  # inside an embedded post: the post is the quotation
        if att is None or att.speaker is None:
            if not _stands_alone(text, stretch):
                log.debug("quoted words at %d have no speaker (a name or a scare quote)", stretch.start)
                continue
            yield QuoteSpan(stretch.start, stretch.end, text[stretch.start : stretch.end],
                            None, None, None, None, False, CONF_UNATTRIBUTED)
            continue
        a, b = att.speaker
        s_start, s_end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        yield QuoteSpan(
            stretch.start, stretch.end, text[stretch.start : stretch.end],
            s_start, s_end, text[s_start:s_end], att.cue, False, att.confidence,
        )
    yield from _nested_quotes(doc, index, attributor, stretches, nested)
    yield from iter_indirect(doc, index, lex, [(s.start, s.end) for s in stretches]
                             + [(p.start, p.end) for p in posts])


_WORD = re.compile(r"\w+")
REPEAT_SHARE = 0.8  # a post and a quotation sharing this share of their words are one quotation


def _words(text: str) -> set[str]:
    """The lower-cased words of a text, to compare two copies of one quotation."""
    return {w.lower() for w in _WORD.findall(text)}


def _drop_repeats(text: str, posts: list[_Post], stretches: Sequence[_Stretch],
                  found: Sequence[_Attribution | None]) -> list[_Post]:
    """Embedded posts that the article's prose does not already quote whole.

    Articles often quote a post in full and then embed it: one quotation, kept
    once (the prose copy, with its attribution).  A prose quotation of part of
    the post ("..., saying that 'the account was compromised'") is a quotation
    of its own, and the post is kept too.  Copies share REPEAT_SHARE of the
    larger one's words.
    """
    quoted = [_words(text[st.start : st.end]) for k, st in enumerate(stretches) if found[k] is not None]
    kept = []
    for post in posts:
        words = _words(text[post.start : post.end])
        if not any(len(words & q) >= REPEAT_SHARE * max(len(words), len(q)) for q in quoted):
            kept.append(post)
    return kept


def _post_quotes(doc: Doc, index: _Index, posts: Sequence[_Post]) -> Iterator[QuoteSpan]:
    """Embedded posts as direct quotations of the name they are signed with."""
    text = doc.text
    for post in posts:
        a = index.first_token_from(post.name_start)
        b = index.token_at(post.name_end - 1) + 1
        if b <= a:
            continue
        s_start, s_end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        yield QuoteSpan(post.start, post.end, text[post.start : post.end],
                        s_start, s_end, text[s_start:s_end], "post", False, CONF_POST)


def _nested_quotes(doc: Doc, index: _Index, attributor: _Attributor, stretches: Sequence[_Stretch],
                   nested: Sequence[_Stretch]) -> Iterator[QuoteSpan]:
    """Quotations inside quotations, attributed inside them.

    A speaker quoting someone else ('Trump wrote, "Trudeau said that \'tariffs
    were insulting\' and he \'will not be pushed around\'"') gives that other
    person's words: the nested quotation is theirs when a reporting verb inside
    the outer quotation has it as its complement (rule a) and its subject, also
    inside, is not the outer speaker's "I" or "we".
    """
    text = doc.text
    starts = [st.start for st in stretches]
    nested = sorted([*nested, *(x for st in stretches for x in _straight_singles(text, st))], key=lambda x: x.start)
    for inner in nested:
        k = bisect.bisect_right(starts, inner.start) - 1
        if k < 0 or not stretches[k].start <= inner.start < stretches[k].end:
            continue
        outer = stretches[k]
        lo, hi = _token_range(index, inner)
        att = attributor.by_parse(lo, hi, within=(outer.start, outer.end))
        if att is None or att.speaker is None:
            continue
        a, b = att.speaker
        s_start, s_end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        yield QuoteSpan(inner.start, inner.end, text[inner.start : inner.end],
                        s_start, s_end, text[s_start:s_end], att.cue, False, CONF_NESTED)


def _straight_singles(text: str, outer: _Stretch) -> Iterator[_Stretch]:
    """Quotations in straight single quotes inside a double-quoted one ("... saying that,
    'tariffs were insulting' and ...").  Outside a quotation a straight single quote is
    an apostrophe as often as not, so it is read only here: an opening one stands before
    a word after a space or a bracket, a closing one after a word or a stop before a
    space or a stop; one between letters ("Justin's") is an apostrophe.
    """
    open_at: int | None = None
    for i in range(outer.start, outer.end):
        if text[i] != "'":
            continue
        prev = text[i - 1] if i > outer.start else " "
        nxt = text[i + 1] if i + 1 < outer.end else " "
        if prev.isalnum() and nxt.isalnum():
            continue
        if open_at is None and (prev.isspace() or prev in "([\u2014-") and nxt.isalnum():
            open_at = i
        elif open_at is not None and (prev.isalnum() or prev in ".,!?") and not nxt.isalnum():
            start, stop = _trim(text, open_at + 1, i)
            if stop > start:
                yield _Stretch(start, stop, open_at, i, -1)
            open_at = None


def _share_within_chains(stretches: Sequence[_Stretch], found: list[_Attribution | None]) -> None:
    """Stretches of one quotation continued across breaks share the speaker found for any of them."""
    by_chain: dict[int, _Attribution] = {}
    for stretch, att in zip(stretches, found):
        if att is not None and stretch.chain not in by_chain:
            by_chain[stretch.chain] = att
    for k, stretch in enumerate(stretches):
        if found[k] is None and stretch.chain in by_chain:
            att = by_chain[stretch.chain]
            found[k] = replace(att, confidence=min(att.confidence, CONF_CHAIN))


def _continue_speakers(
    text: str,
    index: _Index,
    stretches: Sequence[_Stretch],
    ranges: Sequence[tuple[int, int]],
    found: list[_Attribution | None],
    skipped: set[int],
) -> None:
    """Rule e: an unattributed quoted sentence continues the speaker just before it.

    '"A," she said, "B."' continues across the attribution; '"A," she said.
    "B."' continues into the next sentence (or the next paragraph when B opens
    it).  A quotation further away, or one inside a sentence (a scare quote),
    is not continued: the speaker may have changed.
    """
    prev: int | None = None
    for k, stretch in enumerate(stretches):
        att = found[k]
        if att is not None:
            prev = k
            continue
        if prev is None or k in skipped:
            continue
        p_att = found[prev]
        assert p_att is not None
        p_stretch = stretches[prev]
        between = text[(p_stretch.close_mark or p_stretch.end) + 1 : stretch.open_mark]
        lo, _ = ranges[k]
        if (
            p_stretch.close_mark is not None
            and len(between) < 80
            and "\n" not in between
            and between.rstrip().endswith(",")
            and not _SENTENCE_END.search(between.rstrip(" ,"))
        ):
            found[k] = replace(p_att, confidence=min(p_att.confidence, CONF_SPLIT), anchor_end=ranges[k][1])
            prev = k
            continue
        if not _stands_alone(text, stretch):
            continue
        anchor_sent = index.sentence_of(p_att.anchor_end)
        if index.sentence_of(lo) - anchor_sent <= 1:
            found[k] = replace(p_att, confidence=min(p_att.confidence, CONF_CONTINUED), anchor_end=ranges[k][1])
            prev = k


def _introduced_speakers(
    doc: Doc,
    index: _Index,
    lex: ReportingLexicon,
    stretches: Sequence[_Stretch],
    ranges: Sequence[tuple[int, int]],
    found: list[_Attribution | None],
    skipped: set[int],
) -> bool:
    """Rule f: a quoted sentence with no attribution right after a sentence about a person.

    News introduces a quotation with a sentence whose subject is the speaker
    and whose verb is not one of saying: "Bush had harsh words for North Korea.
    '... axis of evil.'", "Warren was blunt.\n\n'We will win.'".  The sentence
    before must have a named person (PERSON entity) as the subject of its main
    verb and no quotation of its own.  Returns whether any speaker was found.
    """
    text = doc.text
    added = False
    for k, stretch in enumerate(stretches):
        if found[k] is not None or k in skipped or not _stands_alone(text, stretch):
            continue
        lo, _ = ranges[k]
        s = index.sentence_of(lo)
        if s == 0 or index.sent_starts[s] < lo - 2:
            continue  # the quotation must open its sentence
        a, b = index.sent_starts[s - 1], index.sent_ends[s - 1]
        if any(t.is_quote for t in doc[a:b]) or "\n\n\n" in text[doc[a].idx : stretch.open_mark]:
            continue
        root = next((t for t in doc[a:b] if t.head.i == t.i), None)
        subj = _subject(root) if root is not None else None
        if subj is None or subj.ent_type_ != "PERSON" or in_dateline(subj):
            continue
        first, end = _speaker_tokens(subj, lex)
        found[k] = _Attribution((first, end), None, CONF_INTRODUCED, ranges[k][1])
        added = True
    return added


# --------------------------------------------------------------------------- indirect speech


def _finite_clause(head: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in head.children)


def iter_indirect(
    doc: Doc, index: _Index, lex: ReportingLexicon, direct: Sequence[tuple[int, int]] = ()
) -> Iterator[QuoteSpan]:
    """Reported speech: 'X said (that) CLAUSE', 'CLAUSE, X said', 'According to X, CLAUSE'.

    The clause must be finite (have a subject), the reporting verb not negated
    ("did not say that ..." reports nothing), and the clause free of quotation
    marks (those are direct quotations, found above).
    """
    text = doc.text
    all_marks = [i for i, ch in enumerate(text) if ch in _QUOTE_CHARS]

    direct = sorted(direct)
    direct_starts = [a for a, _ in direct]

    def has_mark(a: int, b: int) -> bool:
        """A quotation mark in or right next to text[a:b], or a direct quotation overlapping it."""
        j = bisect.bisect_left(all_marks, a - 2)
        if j < len(all_marks) and all_marks[j] < b + 2:
            return True
        k = bisect.bisect_right(direct_starts, b) - 1
        return k >= 0 and direct[k][1] > a

    for s_idx, (s_start, s_end) in enumerate(zip(index.sent_starts, index.sent_ends)):
        if s_end - s_start > MAX_SENTENCE_TOKENS:
            log.warning("sentence at %d has %d tokens; no indirect speech read from it",
                        doc[s_start].idx, s_end - s_start)
            continue
        for tok in doc[s_start:s_end]:
            clause_head, cue, speaker_tok = _indirect_parts(tok, lex)
            if clause_head is None:
                continue
            a, b = clause_head.left_edge.i, clause_head.right_edge.i
            if cue == "according to":
                bounds = _clause_without_according(tok, clause_head)
                if bounds is None:
                    continue
                a, b = bounds
            while a < b and (doc[a].dep_ == "mark" and doc[a].lower_ == "that" or doc[a].is_punct or doc[a].is_space):
                a += 1
            while b > a and (doc[b].is_punct or doc[b].is_space):
                b -= 1
            if b - a < 2 or speaker_tok is None or a <= speaker_tok.i <= b:
                continue
            start, end = doc[a].idx, doc[b].idx + len(doc[b])
            if "\n" in text[min(start, speaker_tok.idx) : max(end, speaker_tok.idx)]:
                continue  # a clause (or its speaker) across a paragraph break is a misparse
            if has_mark(start, end) or text[start] == "'" or text[end - 1] == "'":
                continue
            sa, sb = _speaker_tokens(speaker_tok, lex)
            if sa <= b and sb > a:
                continue
            sp_start, sp_end = doc[sa].idx, doc[sb - 1].idx + len(doc[sb - 1])
            yield QuoteSpan(start, end, text[start:end], sp_start, sp_end, text[sp_start:sp_end],
                            cue, True, CONF_INDIRECT)


def _indirect_parts(tok: Token, lex: ReportingLexicon) -> tuple[Token | None, str | None, Token | None]:
    """(reported clause head, cue, speaker head) when `tok` reports speech indirectly."""
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        to = tok.doc[tok.i + 1]
        obj = next((c for c in to.children if c.dep_ == "pobj"), None)
        head = tok.head
        if obj is None or head.i == tok.i or head.pos_ not in ("VERB", "AUX") or not _finite_clause(head):
            return None, None, None
        return head, "according to", obj
    cue = reporting_cue(tok, lex)
    if cue is None:
        return None, None, None
    if cue in LIGHT_VERB_CUES:
        # "made (it) clear that ...": the clause hangs off "clear" or off the verb
        adjective = next((c for c in tok.children if c.lower_ == cue.split()[1]), None)
        heads = [tok] + ([adjective] if adjective is not None else [])
        clause = next(
            (c for h in heads for c in h.children
             if c.dep_ in ("ccomp", "advcl") and c is not adjective and _finite_clause(c)
             and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)),
            None,
        )
    elif cue.split()[0] in lex.indirect:
        clause = next((c for c in tok.children if c.dep_ == "ccomp" and _finite_clause(c)), None)
    else:
        return None, None, None
    if any(c.dep_ == "neg" for c in tok.children):
        return None, None, None
    if clause is None:
        return None, None, None
    if any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in clause.children):
        return None, None, None  # "asked whether ...": a question, not a statement
    subj = _subject(tok)
    if subj is None or subj.lower_ in ("it",) and subj.dep_ == "expl":
        return None, None, None
    return clause, cue, subj


def _clause_without_according(according: Token, head: Token) -> tuple[int, int] | None:
    """The clause of 'According to X, CLAUSE' (or 'CLAUSE, according to X') without the phrase."""
    a, b = head.left_edge.i, head.right_edge.i
    pa, pb = according.left_edge.i, according.right_edge.i
    if pa <= a:
        a = pb + 1
    elif pb >= b:
        b = pa - 1
    else:
        return None
    return a, b
