"""Remove page furniture that scrapers glue into article bodies, before any NLP sees it.

Scraped news text (newspaper3k, trafilatura) keeps the text of link widgets, hover
cards, photo credits, video players and newsletter boxes.  Left in, they become
garbage entities ("Eric SasseSenate") and facts.  The rules here are shapes of widgets,
never lists of names:

* a name card: a linked name, the same person's full name whose last word repeats the
  linked name's last word (often glued to what follows: "TrumpGOP"), a few headlines,
  and a closing "MORE" ("President Trump Donald John TrumpGOP senators balk ... MORE on
  Thursday" -> "President Trump on Thursday");
* photo credits: "(AP Photo/Evan Vucci, File)", "REUTERS/Lucy Nicholson" or
  "Photograph: Name/Agency" ending a caption, "Name/Agency" starting one, "| Name/Agency"
  (what follows such a credit on the same line is a teaser of another story);
* video players ("JUST WATCHED ... Replay More Videos ... MUST WATCH ... 02:28"), image
  toggles ("Enlarge this image toggle caption ..."), share buttons;
* whole lines of boilerplate: advertisement markers, "Read more: <headline>",
  "Related ...", "Headline | Author Read more" link lists, newsletter sign-ups,
  membership pitches ending in their button ("... LEARN MORE");
* a lowercase word glued to a capitalised one ("saidCalifornia" -> "said California");
  capitalised joins are left alone, they are mostly names (YouTube, McDonald, BuzzFeed).

`strip_widgets` works on one line (a paragraph) at a time and is applied until nothing
changes, so cleaning clean text again changes nothing.  Every pattern is anchored or
bounded, so the cost stays linear in the line length.
"""
from __future__ import annotations

import re

# --- name cards ("... MORE") -------------------------------------------------------

_MORE = re.compile(r"(?:(?<=\S) |(?<=[a-z]))MORE(?!\w)")
#: A card (legal name plus headlines) is at most this long; real ones are under 800.
_CARD_MAX = 1_200
_TOKEN = re.compile(r"\([^()\s]{1,22}\)|[^\s()]+")
_PARTICLES = frozenset({"de", "van", "von", "der", "da", "del", "di", "du", "la", "le", "bin",
                        "al"})


def _pieces(segment: str) -> list[tuple[str, int, int]]:
    """Name-like pieces of `segment` as (text, start, end), with ("", i, i) between runs.

    A run is a sequence of capitalised words, bracketed nicknames and particles
    separated by one space; words are cut at a lower-to-upper (or lower-to-digit) join,
    which is where a card's last name meets the linked name before it or the headline
    after it.  A lowercase word or a word starting with punctuation ends the run.
    """
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(segment):
        word, start = m.group(), m.start()
        if out and out[-1][0] and start != out[-1][2] + 1:
            out.append(("", start, start))
        if word.startswith("("):
            out.append((word, start, m.end()))
            continue
        if word in _PARTICLES:
            out.append((word, start, m.end()))
            continue
        # split at lower->Upper and lower->digit joins
        cuts = [0] + [k + 1 for k in range(len(word) - 1)
                      if word[k].islower() and (word[k + 1].isupper() or word[k + 1].isdigit())]
        cuts.append(len(word))
        for a, b in zip(cuts, cuts[1:]):
            part = word[a:b]
            if part[:1].isupper():
                out.append((part, start + a, start + b))
            else:
                out.append(("", start + a, start + a))
                break
    return out


def _card_cut(segment: str) -> int | None:
    """Where the linked name ends in `segment` (text before a MORE), or None if no card.

    Within a run of name pieces, a candidate is a pair of equal pieces i < j with at
    least one piece between (the legal name is two words or more); piece j ends the
    legal name.  The linked name ends at the last candidate i that comes before every
    candidate j: in "Joe Biden Joe Biden" that is the first "Biden", not the first "Joe".
    """
    pieces = _pieces(segment)
    run: list[tuple[str, int, int]] = []
    for piece in pieces + [("", len(segment), len(segment))]:
        if piece[0]:
            run.append(piece)
            continue
        cut = _run_cut(run)
        if cut is not None:
            return cut
        run = []
    return None


def _run_cut(run: list[tuple[str, int, int]]) -> int | None:
    """End offset of the linked name in one run of pieces, or None (linear in the run)."""
    words = [w if w[-1].islower() and not w.startswith("(") and w not in _PARTICLES else None
             for w, _, _ in run]
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    first_end = None
    for j, word in enumerate(words):
        if word is None:
            continue
        if first_end is None and word in first and first[word] < j - 1:
            first_end = j
        first.setdefault(word, j)
        last[word] = j
    if first_end is None:
        return None
    for i in range(first_end - 1, -1, -1):
        word = words[i]
        if word is not None and last[word] >= i + 2:
            return run[i][2]
    return None  # pragma: no cover - first_end's own pair always qualifies


def _strip_cards(line: str) -> str:
    """Remove every name card of `line`, keeping the linked name and what follows MORE."""
    if "MORE" not in line:
        return line
    out: list[str] = []
    kept = 0  # everything before `kept` is already decided
    after_more = 0  # a card never spans another MORE: windows are disjoint, cost is linear
    for m in _MORE.finditer(line):
        lo = max(after_more, m.start() - _CARD_MAX)
        after_more = m.end()
        cut = _card_cut(line[lo:m.start()])
        if cut is None:
            continue
        out.append(line[kept:lo + cut])
        kept = m.end()
    if not out:
        return line
    out.append(line[kept:])
    return "".join(out)


# --- photo credits ------------------------------------------------------------------

_AGENCY = (
    r"(?:Reuters|REUTERS|AP(?: Photos?| Images)?|Associated Press|AFP|Getty Images|Getty|"
    r"EPA(?:-EFE)?|Shutterstock|iStock(?:photo)?|Redux(?: Pictures)?|Newscom|ZUMA(?: Press| Wire)?|"
    r"Sipa(?: USA)?|SIPA|NurPhoto|Bloomberg|POLITICO|Politico|Pool|Handout|Staff|UPI|Xinhua|"
    r"TASS|Sputnik|Anadolu(?: Agency)?|Polaris|Alamy|Flickr|Wikimedia Commons|dpa|"
    r"picture-alliance|Zuma|CQ[- ]Roll Call(?:, Inc\.| Inc\.)?|[Tt]he Washington Post|"
    r"[Tt]he New York Times|USA TODAY(?: Network)?|SCNG|Contributor|Courtesy)"
)
_NAME = r"[A-Z][\w.'’\-]*(?: (?:[A-Z][\w.'’\-]*|de|van|von|la|da|del|bin|al|for)){0,5}"
_SLASHED = (rf"(?:(?:the )?{_NAME} ?/ ?)+{_AGENCY}(?:(?: via | for | ?/ ?){_NAME})*"
            r"(?:,? ?/?(?:File|FILE)(?: Photo)?)?")
_LEAD_AGENCY = rf"(?:REUTERS|Reuters|AFP|AP Photo|EPA)/{_NAME}(?:/(?:File|FILE)(?: Photo)?)?"
_CREDIT = rf"(?:{_SLASHED}|{_LEAD_AGENCY}|{_NAME} \| {_AGENCY}(?: \| {_AGENCY})?|Getty Images)"
_LABEL = r"(?:Photo(?:graph(?:er)?|s)?|Image|Credit|Photo illustration|Photoillustration)"

_PAREN_CREDIT = re.compile(
    rf" ?\((?:[^()\n]{{0,40}}\b{_LABEL}(?: by|:) [^()\n]{{1,120}}|"
    rf"{_SLASHED}[^()\n]{{0,30}}|{_LEAD_AGENCY}[^()\n]{{0,30}})\)"
)
# A credit ending a caption (after a sentence end or at the start of the line).
_LABELLED = rf"{_LABEL}(?: by|:) (?:{_CREDIT}|[^.!?\n]{{1,100}})\.?"
_TAIL_CREDIT = re.compile(
    rf"(?:^|(?<=[.!?”\"’)\]])) ?(?:(?:©|\(c\))? ?(?:19|20)\d\d )?(?:{_CREDIT}|{_LABELLED})"
    rf"(?: (?:{_CREDIT}|{_LABELLED}))*(?: More)?$"
    # after a comma only the unmistakable "First Last/Agency" shape
    rf"|, [A-Z][\w'’\-]*(?: [A-Z][\w'’\-]*){{0,3}}/{_AGENCY}(?: via {_AGENCY})?$"
)
# "... caption. | Name/Agency <teaser of another story>" (Politico) or "... | Name/Agency".
_PIPE_CREDIT = re.compile(
    rf" \| (?:{_CREDIT}|{_NAME}(?: ?/ ?{_NAME})+)"
    rf"(?:; (?:{_CREDIT}|{_NAME}(?: ?/ ?{_NAME})+))*(?: .*)?$"
)
# A credit opening a caption: "Alex Brandon/AP President Donald Trump watches ..."
_LEAD_CREDIT = re.compile(rf"^(?:{_SLASHED}|Getty Images) (?=[A-Z\"“])")

# --- players, toggles, share buttons --------------------------------------------------

_VIDEO = re.compile(
    r"JUST WATCHED .{0,300}? Replay More Videos \.\.\. MUST WATCH(?: .{0,300}? \d{1,2}:\d{2}\b)?"
)
_TOGGLE = re.compile(
    r"(?:Enlarge this image|Hide caption|Previous Next|toggle caption)"
    r"(?: (?:Enlarge this image|Hide caption|Previous Next|toggle caption))*"
    r"(?: (?:{c})(?: (?:{c}))*)?".format(c=_CREDIT)
)
# NPR repeats a credit after its image toggle: "Enlarge this image toggle caption X/Y X/Y".
_DOUBLED_CREDIT = re.compile(r"^(?P<credit>[^.!?]{1,80}/[^.!?]{1,60}) (?P=credit)$")
_SHARE_PREFIX = re.compile(r"^(?:Facebook Twitter Pinterest|Share on Facebook Share on Twitter) ")

# --- whole lines --------------------------------------------------------------------

_BOILERPLATE_LINE = re.compile(
    r"(?:ADVERTISEMENT|Advertisement:?|AD|Story Continued Below|Loading\.\.\.|CLOSE|"
    r"Slideshow \(\d+ Images?\)|Enlarge this image|Replay More Videos|"
    r"(?:Share|SHARE)(?: this| This| THIS)?(?: article| ARTICLE| story| STORY)?:?"
    r"(?: (?:Share|Tweet|Post|Email|"
    r"Facebook|Twitter|Pinterest|WhatsApp|LinkedIn|Reddit|Pocket|Print))*|"
    r"(?:Read|READ) (?:more|More|MORE)(?: here)?[.:]?|Related(?: articles| stories| coverage)?:?|"
    r"RELATED(?: ARTICLES| STORIES| COVERAGE)?.{0,40})$"
)
# "Read more: <headline>", "Related: <headline>", "SEE ALSO: <headline>": a link, not text.
_LINK_LINE = re.compile(
    r"^(?:Read more|READ MORE|Read More|Related|RELATED|See also|SEE ALSO|More from [^:\n]{1,40})"
    r"(?: from [^:\n]{1,40})?:.{0,250}$"
)
# "Headline | Author Read more" (lists of links to other stories).
_PIPE_READ_MORE = re.compile(r"^.{1,200} \| .{1,60} Read more$")
_SIGN_UP = re.compile(r"(?i)\b(?:sign(?:ing)? up|subscribe)\b")
_NEWSLETTER = re.compile(r"(?i)\b(?:newsletters?|inbox)\b")
_NEWSLETTER_MAX = 400
# A membership or subscription pitch that ends in its button ("... Join NRPLUS. LEARN MORE").
_PITCH = re.compile(r"(?i)\b(?:join|member(?:ship)?s?|subscri\w*|donate|support)\b.{0,800}"
                    r"\b(?:learn more|subscribe(?: now| today)?|donate(?: now)?|join now)[.!]?$")
_PITCH_MAX = 1_000


def _is_boilerplate(line: str) -> bool:
    """True for a line that is nothing but a widget (ad marker, link, sign-up box, pitch)."""
    if _BOILERPLATE_LINE.match(line) or _LINK_LINE.match(line) or _PIPE_READ_MORE.match(line):
        return True
    if len(line) > _PITCH_MAX:
        return False
    low = line.lower()  # cheap guards before the case-insensitive searches
    if (len(line) <= _NEWSLETTER_MAX and ("sign" in low or "subscri" in low)
            and ("newsletter" in low or "inbox" in low)
            and _SIGN_UP.search(line) is not None and _NEWSLETTER.search(line) is not None):
        return True
    return (low.endswith(("more", "more.", "more!", "subscribe", "subscribe.", "subscribe!",
                          "now", "now.", "now!", "today", "today.", "today!", "donate", "donate.",
                          "donate!"))
            and _PITCH.search(line) is not None)


# --- glued words ---------------------------------------------------------------------

# A lowercase word glued to a capitalised one ("saidCalifornia", "theNational") lost the
# space between two words.  Capitalised joins ("YouTube", "McDonald", "BuzzFeed") are
# names and stay; so do handles, URLs, short lowercase heads ("iPhone", "eBay", "bioRxiv")
# and prefixes that take a capital ("antiSemitism").
_GLUED_WORD = re.compile(
    r"(?<![\w@#/.:=?&%+\-'’])(?!(?:anti|post|semi|super|ultra|multi|hyper|mega|micro|cyber)[A-Z])"
    r"(?P<left>[a-z]{4,}|the|and|for|but|was|has)(?P<right>[A-Z][a-z]{2,})(?![\w@/])"
)

_JOIN = re.compile(r"[a-z][A-Z]")
# Every credit shape has one of these; lines without them skip the credit patterns.
_CREDIT_HINT = re.compile(r"/|\||Getty|Photo|Image|Credit")
_SPACES = re.compile(r" {2,}")
_MAX_ROUNDS = 8


def strip_widgets(line: str) -> str:
    """Remove widget text from one line (single-spaced, stripped); '' if it was all widget.

    >>> strip_widgets("Rep. Ken Buck Kenneth (Ken) Robert BuckThe Hill's Morning Report MORE "
    ...               "(R-Colo.) asked.")
    'Rep. Ken Buck (R-Colo.) asked.'
    >>> strip_widgets("Trump speaks in Washington, March 7, 2018. REUTERS/Kevin Lamarque")
    'Trump speaks in Washington, March 7, 2018.'
    >>> strip_widgets("Support for DeSantis and McDonald's grew on YouTube.")
    "Support for DeSantis and McDonald's grew on YouTube."
    """
    for _ in range(_MAX_ROUNDS):
        before = line
        line = _one_round(line)
        if line == before:
            break
    return line


def _one_round(line: str) -> str:
    if not line or _is_boilerplate(line):
        return ""
    line = _strip_cards(line)
    if "WATCH" in line:
        line = _VIDEO.sub("", line)
    line = _TOGGLE.sub("", line) if ("caption" in line or "Enlarge" in line
                                     or "Previous Next" in line) else line
    line = _DOUBLED_CREDIT.sub("", line.strip())
    line = _SHARE_PREFIX.sub("", line)
    if _CREDIT_HINT.search(line):
        line = _PAREN_CREDIT.sub("", line)
        line = _PIPE_CREDIT.sub("", line)
        line = _LEAD_CREDIT.sub("", line)
        line = _TAIL_CREDIT.sub("", line)
    if _JOIN.search(line):
        line = _GLUED_WORD.sub(r"\g<left> \g<right>", line)
    line = _SPACES.sub(" ", line).strip()
    return "" if _is_boilerplate(line) else line
