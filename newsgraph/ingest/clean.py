"""Turn raw bytes or strings into the clean text that `Article.create` receives.

Every reader goes through here so that the same story gets the same clean text,
and therefore the same id, whatever format it came in.  Everything is linear in
the size of the input: a 5 MB paragraph must not take minutes.
"""
from __future__ import annotations

import codecs
import logging
import re
import unicodedata

from newsgraph.errors import InputError
from newsgraph.ingest.widgets import strip_widgets

logger = logging.getLogger("newsgraph.ingest")

#: A run of non-whitespace longer than this is base64 or garbage, never a word.
MAX_TOKEN_CHARS = 1_000

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.epub)"),
    (b"\x1f\x8b", "gzip data (name the file .gz)"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"wOFF", "a web font"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
)

# UTF-8 encodings of UTF-16 surrogates (as written by 'surrogatepass'): never valid UTF-8.
_ENCODED_SURROGATE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls except \t and \n (the line breaks are mapped to \n before this runs),
# plus the two non-characters U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# Line and paragraph breaks other than \n (str.translate with a dict is slow on big texts).
# NEL (U+0085) is a line break too (Unicode's NEXT LINE), not cp1252's ellipsis byte.
_NEWLINES = (("\r\n", "\n"), ("\r", "\n"), ("\v", "\n"), ("\f", "\n"), ("\x85", "\n"),
             ("\u2028", "\n"), ("\u2029", "\n\n"))
# C1 controls in news text are mostly cp1252 punctuation that went through a Latin-1
# decoder ("don\x92t", "\x93quoted\x94"): those become the punctuation, the rest is dropped.
_C1 = re.compile("[\x80-\x9f]")
_C1_AS_CP1252 = {chr(b): bytes([b]).decode("cp1252")
                 for b in b"\x80\x82\x84\x91\x92\x93\x94\x95\x96\x97\x99"}
# Terminal escape sequences (ECMA-48): CSI "ESC [ ... final", OSC "ESC ] ... BEL or ESC \\",
# DCS/SOS/PM/APC strings, and two-character escapes; C1 CSI (U+009B) too.  The text around them
# is kept: a log or a terminal capture pasted into a file still names people.
# A string sequence counts only with its terminator, so a stray ESC never swallows text.
_ESCAPE_SEQUENCE = re.compile(
    "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]"
    "|\x1b[\\]PX^_][^\x07\x1b]{0,4096}(?:\x07|\x1b\\\\)"
    "|\x1b[()*+\\-./#%][0-~]"
    "|\x1b[@-OQ-WYZ\\\\78=>c]")
# Unicode format characters (category Cf): zero-width spaces and joiners, bidi embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069), soft hyphens, word joiners, tags.
# Invisible, they make "Mark\u200b Rutte" a second name and let U+202E reverse what a page or
# a terminal shows.  Up to Unicode 15 (tests/test_ingest_clean.py checks this Python's table).
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]")
# ZWNJ and ZWJ spell words in Arabic, Persian and Indic scripts: kept between two such letters.
_JOINERS = "\u200c\u200d"
_JOINING_SCRIPT = re.compile("[\u0590-\u1dff\ua000-\ud7ff]")
# The lookbehind makes only token starts try the long match, which keeps this linear.
_LONG_TOKEN = re.compile(rf"(?<!\S)\S{{{MAX_TOKEN_CHARS + 1},}}")
_HSPACE = re.compile(r"[^\S\n]+")
# Controls that real text files do not contain in numbers (line breaks and tabs excluded).
_BINARY_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_URL = re.compile(r"[<(\[]?(?:(?:https?|ftp|file)://|www\.)\S+?[>)\].,;]*", re.IGNORECASE)
_ASCII_BYTES = bytes(range(128))
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


def decode_bytes(data: bytes, source: str, *, warn: bool = True) -> str:
    """Decode a text file whose encoding nobody told us, or refuse it as binary.

    UTF-8 (with or without BOM) and BOM-marked UTF-16/32 are certain; anything else
    is guessed: cp1252 for mostly-ASCII Western text, else charset_normalizer.
    Stray undecodable bytes in otherwise good UTF-8 come back as lone surrogates,
    which `clean_text` removes.  Every guess, and every dropped byte, is logged as a
    warning naming the file and the encoding used (unless `warn` is false: a sniff of
    a file's head that is decoded again later).

    >>> decode_bytes("Café".encode("utf-16"), "a.txt")
    'Café'
    >>> decode_bytes(b"Caf\\xe9 cr\\xe8me", "a.txt", warn=False)
    'Café crème'
    """
    if not data:
        raise InputError(source, "empty file")
    text = _decode_marked(data)
    note = None
    if text is None:
        for magic, what in _MAGIC:
            if data.startswith(magic):
                raise InputError(source, f"binary file (not text: {what})")
        text, note = _decode_unmarked(data)
    if text is None or _looks_binary(text):
        raise InputError(source, "binary file (not text)")
    if note and warn:
        logger.warning("%s: %s", source, note)
    return text


def _decode_marked(data: bytes) -> str | None:
    """Decode by byte-order mark; damaged bytes are kept as surrogates or U+FFFD, not fatal."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            errors = "surrogateescape" if encoding == "utf-8" else "replace"
            return data[len(bom):].decode(encoding, errors)
    return None


def _decode_unmarked(data: bytes) -> tuple[str | None, str | None]:
    """Guess the encoding of bytes without a BOM: (text or None, a warning or None)."""
    nuls = data.count(0)
    if nuls > len(data) // 4:
        text = _decode_utf16_without_bom(data)
        return text, "no byte-order mark; decoded as UTF-16" if text is not None else None
    data = _ENCODED_SURROGATE.sub(b"", data)
    text = data.decode("utf-8", "surrogateescape")
    bad = len(_ESCAPED_BYTE.findall(text))
    if not bad:
        return text, None
    high = _count_high(data)
    if high - bad >= bad:  # mostly valid multi-byte UTF-8 with a few damaged bytes
        return text, f"decoded as UTF-8; {bad} invalid UTF-8 byte(s) dropped"
    return _decode_legacy(data)


def _decode_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text has a NUL in almost every odd (LE) or even (BE) byte; binary data does not."""
    even, odd = data[0::2], data[1::2]
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros and zeros.count(0) >= 0.9 * len(zeros):
            try:
                return data[: len(data) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_legacy(data: bytes) -> tuple[str | None, str | None]:
    """Decode bytes that are not UTF-8.

    Latin-script text has few high bytes among many ASCII letters, and cp1252 is then by
    far the likeliest (charset_normalizer mistakes short French for cp1250).  Other
    scripts (cp1251 Cyrillic, Greek, ...) are left to the detector.
    """
    high = _count_high(data)
    letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    guessed = "not UTF-8; decoded as cp1252 (Windows Latin-1), a guess"
    if high <= 0.3 * (letters + high):
        return _cp1252(data), guessed
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a trafilatura dependency
        return _cp1252(data), guessed
    best = from_bytes(data).best()
    if best is None:
        return None, None
    return str(best), f"not UTF-8; decoded as {best.encoding}, a guess"


def _count_high(data: bytes) -> int:
    """Number of bytes >= 0x80, counted without a per-byte Python loop."""
    return len(data.translate(None, _ASCII_BYTES))


def _cp1252(data: bytes) -> str:
    """cp1252, dropping its five undefined bytes (Latin-1 would turn them into C1 controls)."""
    return data.decode("cp1252", errors="ignore")


def _looks_binary(text: str) -> bool:
    """Many control characters mean binary data; a few stray NULs are just dirt.

    Terminal escape sequences do not count: coloured log output is text.
    """
    head = text[:65_536]
    if "\x1b" in head or "\x9b" in head:
        head = _ESCAPE_SEQUENCE.sub("", head)
    controls = len(_BINARY_CONTROL.findall(head))
    sample = min(len(text), 65_536)
    return controls > max(8, sample // 20)


def clean_text(text: str, source: str = "<text>", *, widgets: bool = True) -> str:
    """Normalise text so offsets and ids are stable; may return '' (the caller refuses that).

    Removes lone surrogates, terminal escape sequences (the text between them stays) and
    control characters (C1 ones that are cp1252 punctuation become that punctuation), maps
    every line break to \\n (NEL and U+2028 too), removes format characters (zero-width,
    bidi controls, soft hyphens; a joiner inside an Arabic or Indic word stays), applies NFC,
    drops tokens longer than MAX_TOKEN_CHARS (logged), collapses horizontal whitespace,
    strips lines, keeps only the first of identical lines (web pages repeat blocks) and
    leaves at most one blank line between paragraphs.  With `widgets` (the default, for
    article bodies) each line also loses the page furniture scrapers glue into it: name
    cards, photo credits, video players, "Read more" links, newsletter boxes (see `widgets`).

    >>> clean_text("  Putin\\t\\tspoke.\\r\\n\\r\\n\\r\\n\\r\\nNews\\nNews\\x00\\n")
    'Putin spoke.\\n\\nNews'
    """
    if _SURROGATE.search(text):
        # Pair up what can be paired, drop the rest.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    for old, new in _NEWLINES:
        if old in text:
            text = text.replace(old, new)
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    if _C1.search(text):
        text = _C1.sub(lambda m: _C1_AS_CP1252.get(m.group(), ""), text)
    text = _CONTROL.sub("", text)
    text = text.removeprefix("\ufeff")
    if _FORMAT.search(text):  # before NFC: a removed joiner may leave marks to compose
        text = _FORMAT.sub(_drop_format, text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _drop_long_tokens(text, source)
    seen: set[str] = set()
    out: list[str] = []
    for line in text.split("\n"):
        line = _HSPACE.sub(" ", line).strip()
        if line and widgets:
            line = strip_widgets(line)
        if line:
            if line in seen:
                continue
            seen.add(line)
        elif not out or not out[-1]:
            continue  # no leading blank lines, no runs of blank lines
        out.append(line)
    return "\n".join(out).strip()


def _drop_format(match: re.Match[str]) -> str:
    """'' for a format character; a joiner inside a word of a script that needs it stays."""
    char, text, at = match.group(), match.string, match.start()
    if (char in _JOINERS and 0 < at < len(text) - 1 and _JOINING_SCRIPT.match(text, at - 1)
            and _JOINING_SCRIPT.match(text, at + 1)):
        return char
    return ""


def _drop_long_tokens(text: str, source: str) -> str:
    """Remove runs of non-space characters too long to be words, and say so."""
    dropped: list[int] = []

    def _drop(match: re.Match[str]) -> str:
        dropped.append(len(match.group()))
        return ""

    text = _LONG_TOKEN.sub(_drop, text)
    if dropped:
        logger.warning("%s: dropped %d token(s) longer than %d characters (longest %d): "
                       "base64 or garbage, not words", source, len(dropped), MAX_TOKEN_CHARS,
                       max(dropped))
    return text


def clean_inline(value: str) -> str:
    """Clean a one-line metadata value (title, author, outlet) the same way as text.

    >>> clean_inline(" Trump,\\n Putin  agree ")
    'Trump, Putin agree'
    """
    return " ".join(clean_text(value, widgets=False).split())


def require_text(text: str, source: str, line: int | None = None) -> str:
    """Return the cleaned text, or raise the error every reader gives for nothing left
    (or for nothing but links: a bookmark is not an article).

    >>> require_text("https://example.org/story", "a.txt")
    Traceback (most recent call last):
    ...
    newsgraph.errors.InputError: a.txt: only a URL, no article text
    """
    if not text:
        raise InputError(source, "no text after cleaning", line=line)
    if len(text) < 10_000 and all(_URL.fullmatch(word) for word in text.split()):
        raise InputError(source, "only a URL, no article text", line=line)
    return text
