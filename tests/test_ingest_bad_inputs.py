"""Every bad input gives one clear InputError naming the file (and line), or is cleaned and read.

None of them may raise, hang, or stop the files after it from being read.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import random
import re
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from newsgraph.ingest import Article, InputError, read_articles
from newsgraph.ingest import files as ingest_files
from newsgraph.ingest import reader as ingest_reader

DATA = Path(__file__).parent / "data" / "ingest"
GOOD = DATA / "article.md"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SURROGATE = re.compile("[\ud800-\udfff]")


def _random_bytes(size: int) -> bytes:
    return random.Random(1234).randbytes(size)


def _depth_bomb_json() -> bytes:
    return b"[" * 200_000 + b"]" * 200_000


# name -> (file name, bytes, expected reason prefix)
ERRORS: dict[str, tuple[str, bytes | Path, str]] = {
    "empty file": ("empty.txt", DATA / "empty.txt", "empty file"),
    "whitespace-only file": ("whitespace.txt", DATA / "whitespace.txt", "empty file"),
    "empty jsonl": ("empty.jsonl", b"", "empty file"),
    "blank-lines-only jsonl": ("blank.jsonl", b"\n  \n\r\n", "empty file"),
    "whitespace-only json": ("blank.json", b"  \n ", "empty file"),
    "empty html": ("empty.html", b"", "empty file"),
    "png bytes as .png": ("image.png", DATA / "image.png", "binary file (not text: a PNG image)"),
    "png bytes as .txt": ("image.txt", DATA / "image.png", "binary file"),
    "png bytes as .jsonl": ("image.jsonl", DATA / "image.png", "binary file"),
    "png bytes as .html": ("image.html", DATA / "image.png", "binary file"),
    "random bytes as .txt": ("noise.txt", _random_bytes(4096), "binary file (not text)"),
    "random bytes as .json": ("noise.json", _random_bytes(4096), "binary file (not text)"),
    "pdf as .txt": (
        "doc.txt",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        "binary file (not text: a PDF",
    ),
    "gzip data without .gz": (
        "packed.txt",
        gzip.compress(b"hello world"),
        "binary file (not text: gzip",
    ),
    "not gzip despite .gz": ("fake.txt.gz", b"plain text, not gzip", "corrupt gzip file"),
    "malformed single json": (
        "bad.json",
        b'{"text": "x",\n "title": }',
        "malformed JSON: Expecting value",
    ),
    "json depth bomb": ("deep.json", _depth_bomb_json(), "malformed JSON: nested too deeply"),
    "json without text": ("notext.json", b'{"title": "T"}', "no article text"),
    "json text not a string": ("num.json", b'{"text": 42}', "article text is a int"),
    "empty json list": ("none.json", b"[]", "empty JSON list"),
    "html without body text": (
        "blank.html",
        b"<html><head><title>T</title></head><body></body></html>",
        "no article text in HTML",
    ),
    "only control characters": (
        "controls.txt",
        b"\x01\x02\x03\x07 \x1b\n",
        "no text after cleaning",
    ),
    "only a giant token": ("token.txt", b"QUJD" * 300_000, "no text after cleaning"),
}


def _materialise(tmp_path: Path, name: str, content: bytes | Path) -> Path:
    path = tmp_path / name
    path.write_bytes(content.read_bytes() if isinstance(content, Path) else content)
    return path


@pytest.mark.parametrize("case", list(ERRORS), ids=list(ERRORS))
def test_bad_file_gives_one_error_naming_it_and_reading_goes_on(tmp_path: Path, case: str) -> None:
    name, content, reason = ERRORS[case]
    path = _materialise(tmp_path, name, content)
    items = list(read_articles([path, GOOD]))
    assert len(items) == 2, items
    error, after = items
    assert isinstance(error, InputError)
    assert error.source == str(path)
    assert error.reason.startswith(reason), error.reason
    assert "\n" not in str(error) and str(error).startswith(f"{path}")
    assert isinstance(after, Article)


def _check_clean(article: Article) -> None:
    assert not CONTROL.search(article.text)
    assert not SURROGATE.search(article.text)
    assert unicodedata.is_normalized("NFC", article.text)
    article.text.encode("utf-8")  # strictly encodable


# name -> (file name, bytes, check on the one Article)
CLEANED: dict[str, tuple[str, bytes | Path, Callable[[Article], bool]]] = {
    "latin-1 text": (
        "latin1.txt",
        DATA / "latin1.txt",
        lambda a: "Le président français a déclaré à Paris" in a.text and "naïveté" in a.text,
    ),
    "cp1252 smart quotes": (
        "quotes.txt",
        "“Peace now” – he said… it’s €5".encode("cp1252"),
        lambda a: a.text == "“Peace now” – he said… it’s €5",
    ),
    "utf-16 with BOM": (
        "utf16_bom.txt",
        DATA / "utf16_bom.txt",
        lambda a: a.title == "Überraschung in Kiew" and "Präsident sagte" in a.text,
    ),
    "utf-16-be with BOM": (
        "be.txt",
        b"\xfe\xff" + "Kyiv – Київ, talks".encode("utf-16-be"),
        lambda a: a.text == "Kyiv – Київ, talks",
    ),
    "utf-32 with BOM": (
        "u32.txt",
        "Kyiv – Київ".encode("utf-32"),
        lambda a: a.text == "Kyiv – Київ",
    ),
    "utf-8 with BOM": ("bom.txt", b"\xef\xbb\xbfKyiv talks", lambda a: a.text == "Kyiv talks"),
    "utf-16 without BOM": (
        "nobom.txt",
        "Talks in Riyadh went on all day.".encode("utf-16-le"),
        lambda a: a.text == "Talks in Riyadh went on all day.",
    ),
    "cp1251 Cyrillic": (
        "ru.txt",
        (
            "Путин и Трамп договорились о прекращении ударов по энергетике "
            "Украины. Переговоры продолжатся."
        ).encode("cp1251"),
        lambda a: a.text.startswith("Путин и Трамп договорились"),
    ),
    "non-English utf-8": (
        "non_english.txt",
        DATA / "non_english.txt",
        lambda a: (
            a.language is None
            and a.title == "Переговоры в Эр-Рияде"
            and "双方同意继续对话。" in a.text
        ),
    ),
    "NUL bytes": (
        "nul_bytes.txt",
        DATA / "nul_bytes.txt",
        lambda a: (
            a.text == "Moscow said on Monday that talks would go on.\nThe Kremlin gave no date."
        ),
    ),
    "control characters": (
        "control_chars.txt",
        DATA / "control_chars.txt",
        lambda a: (
            # U+0085 is NEL, a line break (cp1252's ellipsis byte only in text decoded as Latin-1)
            a.text == "Kremlin statement\n\nPeskov said\nthe talks\nwere useful.\nNo date was set."
        ),
    ),
    "lone surrogates in a text file": (
        "lone_surrogate.txt",
        DATA / "lone_surrogate.txt",
        lambda a: a.text == "Kyiv said the deal holds and today. Stray byte in café text.",
    ),
    "lone surrogates in a JSON string": (
        "lone_surrogate.jsonl",
        DATA / "lone_surrogate.jsonl",
        lambda a: a.text == "Kyiv said the deal 😀 holds.",
    ),
    "surrogateescape-written bytes": (
        "escaped.txt",
        "Café in Kyiv \udc80\udcff closed.".encode("utf-8", "surrogateescape"),
        lambda a: a.text == "Café in Kyiv closed.",
    ),
    "zero-width and bidi characters removed": (
        "zw.txt",
        "Zelen\u200bsky and Ne\u200dtanyahu met \u202eMark\u2060 Rutte\u202c, \u00adsoft".encode(),
        lambda a: a.text == "Zelensky and Netanyahu met Mark Rutte, soft",
    ),
    "joiners inside a Persian word kept": (
        "fa.txt",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 said Tehran.".encode(),
        lambda a: "\u200c" in a.text,
    ),
    "terminal escape sequences removed, their text kept": (
        "term.txt",
        (b"\x1b[1;31mMark Rutte\x1b[0m met \x1b[4mOlaf Scholz\x1b[24m.\x1b[K\n"
         b"\x1b]0;window title\x07Talks went on.\x1b[2J\x1b[H\x1b(B\n") * 20,
        lambda a: a.text == "Mark Rutte met Olaf Scholz.\nTalks went on.",
    ),
    "NEL is a line break": (
        "nel.txt",
        "First line of the story\u0085Second line.".encode(),
        lambda a: a.text == "First line of the story\nSecond line.",
    ),
    "decomposed accents become NFC": (
        "nfd.txt",
        unicodedata.normalize("NFD", "Café Zürich").encode(),
        lambda a: a.text == "Café Zürich",
    ),
    "CR-only line ends": (
        "mac.txt",
        b"Title of the story\r\rBody line one.\rBody line two.",
        lambda a: (
            a.text == "Title of the story\n\nBody line one.\nBody line two."
            and a.title == "Title of the story"
        ),
    ),
    "HTML with script": (
        "article.html",
        DATA / "article.html",
        lambda a: (
            "SCRIPT_MARKER" not in a.text
            and "STYLE_MARKER" not in a.text
            and "NOSCRIPT_MARKER" not in a.text
            and "energy facilities" in a.text
        ),
    ),
    "HTML external entity": (
        "external_entity.html",
        DATA / "external_entity.html",
        lambda a: (
            "root:" not in a.text
            and "&xxe;" not in a.text
            and a.text.startswith("The leaked file says and this paragraph")
        ),
    ),
}


@pytest.mark.parametrize("case", list(CLEANED), ids=list(CLEANED))
def test_dirty_file_is_cleaned_and_read(tmp_path: Path, case: str) -> None:
    name, content, check = CLEANED[case]
    path = _materialise(tmp_path, name, content)
    (article,) = list(read_articles([path]))
    assert isinstance(article, Article), article
    _check_clean(article)
    assert check(article), repr(article.text)


def test_billion_laughs_finishes_fast_and_harmlessly() -> None:
    start = time.perf_counter()
    items = list(read_articles([DATA / "billion_laughs.html"]))
    assert time.perf_counter() - start < 5
    assert len(items) == 1
    item = items[0]
    if isinstance(item, Article):
        assert len(item.text) < 1_000 and "lol" not in item.text
        assert (
            item.text
            == "Talks between Moscow and Washington resumed in Riyadh on Monday, officials said."
        )
    else:
        assert item.source == str(DATA / "billion_laughs.html")


def test_malformed_json_lines_between_good_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": f"Good article number {i}."}) if i % 3 else "{oops"
        for i in range(1, 31)
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_articles([path]))
    assert len(items) == 30
    assert [i.line for i in items if isinstance(i, InputError)] == list(range(3, 31, 3))
    assert [a.text for a in items if isinstance(a, Article)] == [
        f"Good article number {i}." for i in range(1, 31) if i % 3
    ]
    assert all(
        str(e).startswith(f"{path}:{e.line}: malformed JSON: Expecting property name")
        for e in items
        if isinstance(e, InputError)
    )


def test_truncated_jsonl_gz_reads_what_it_can_then_reports(tmp_path: Path) -> None:
    rng = random.Random(7)
    lines = [
        json.dumps({"text": f"Article {i} " + " ".join(str(rng.random()) for _ in range(30))})
        for i in range(400)
    ]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(read_articles([path, GOOD]))
    good = [i for i in items[:-2] if isinstance(i, Article)]
    assert len(good) > 50 and good[0].text.startswith("Article 0 ")
    assert isinstance(items[-2], InputError) and items[-2].reason.startswith("corrupt gzip file")
    assert items[-2].line == len(good) + 1 or items[-2].line == len(good)
    assert isinstance(items[-1], Article)


def test_five_megabyte_single_paragraph(tmp_path: Path) -> None:
    sentence = "Russian forces shelled the Ukrainian city of Kharkiv on Tuesday, officials said. "
    path = tmp_path / "huge.txt"
    path.write_text(sentence * (5_000_000 // len(sentence) + 1), encoding="utf-8")
    start = time.perf_counter()
    (article,) = list(read_articles([path]))
    elapsed = time.perf_counter() - start
    assert isinstance(article, Article)
    assert len(article.text) >= 5_000_000 - 1 and "\n" not in article.text
    assert article.title is None
    assert elapsed < 5, elapsed


def test_600k_character_token_is_dropped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "token.txt"
    path.write_text(
        "Sanctions news\n\nBefore the blob " + "A" * 600_000 + " after the blob.", encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING, logger="newsgraph.ingest"):
        (article,) = list(read_articles([path]))
    assert isinstance(article, Article)
    assert article.text == "Sanctions news\n\nBefore the blob after the blob."
    warnings = [
        r for r in caplog.records if r.name == "newsgraph.ingest" and r.levelno == logging.WARNING
    ]
    assert len(warnings) == 1 and str(path) in warnings[0].getMessage()
    assert "600000" in warnings[0].getMessage()


def test_jsonl_line_positions_with_bad_utf8_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(
        b'\xef\xbb\xbf{"text": "first"}\n\n{"text": "caf\xe9 \xff broken bytes"}\n'
        b'{"text": "line\\u2028separator"}\n'
    )
    items = list(read_articles([path]))
    assert [a.text for a in items if isinstance(a, Article)] == [
        "first",
        "caf broken bytes",
        "line\nseparator",
    ]
    assert [a.identifier for a in items] == [f"{path}#1", f"{path}#3", f"{path}#4"]


def test_json_line_with_lone_surrogate_escape(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "A\\ud800B", "title": "T\\udfff"}\n', encoding="utf-8")
    (article,) = list(read_articles([path]))
    assert isinstance(article, Article) and article.text == "AB" and article.title == "T"


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (error,) = list(read_articles([fifo]))
    assert isinstance(error, InputError) and error.reason == "not a regular file"


@pytest.mark.parametrize(
    "name, payload",
    [
        ("big.txt", b"Moscow talks. " * 100),
        ("big.txt.gz", gzip.compress(b"Moscow talks. " * 100)),
        ("big.json.gz", gzip.compress(json.dumps({"text": "Moscow talks. " * 100}).encode())),
    ],
)
def test_documents_over_the_size_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, payload: bytes
) -> None:
    monkeypatch.setattr(ingest_files, "MAX_DOCUMENT_BYTES", 1000)
    path = tmp_path / name
    path.write_bytes(payload)
    (error,) = list(read_articles([path]))
    assert isinstance(error, InputError) and error.reason.startswith("file too large")


def test_web_pages_have_their_own_smaller_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_files, "MAX_HTML_BYTES", 1000)
    body = "<p>Moscow talks went on all day in Riyadh, officials said.</p>" * 40
    (tmp_path / "big.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    (tmp_path / "big.txt").write_text(body, encoding="utf-8")
    page, text = list(read_articles([tmp_path / "big.html", tmp_path / "big.txt"]))
    assert isinstance(page, InputError) and page.reason.startswith("file too large")
    assert isinstance(text, Article)


def test_unexpected_reader_failure_becomes_an_error_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(path: str, compressed: bool):  # type: ignore[no-untyped-def]
        raise ValueError("reader bug")
        yield  # pragma: no cover

    monkeypatch.setitem(ingest_reader.READERS, ".text", boom)
    path = tmp_path / "x.text"
    path.write_text("anything", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="newsgraph.ingest"):
        error, after = list(read_articles([path, GOOD]))
    assert (
        isinstance(error, InputError) and error.reason == "could not read: ValueError: reader bug"
    )
    assert isinstance(after, Article)
    assert any("unexpected error" in r.getMessage() for r in caplog.records)


def test_a_reused_identifier_with_other_text_is_warned_and_the_last_kept(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from newsgraph.api import read_unique

    path = tmp_path / "dump.jsonl"
    first = {"url": "https://example.org/story", "text": "Lisbon port reopened on Monday."}
    second = {"url": "https://example.org/story", "text": "Lisbon port reopened on Tuesday."}
    path.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="newsgraph.ingest"):
        (article,) = read_unique([path], [])
    assert article.text == second["text"]
    assert any(str(path) in r.getMessage() and "same identifier https://example.org/story" in r.getMessage()
               for r in caplog.records)


def test_decoding_guesses_are_warned_with_the_file_and_the_encoding(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    latin = _materialise(tmp_path, "latin.txt", "Caf\u00e9 cr\u00e8me in Lisbon.".encode("latin-1"))
    broken = _materialise(tmp_path, "broken.txt", "Caf\u00e9 in Lisb\u00f3n and Porto".encode() + b"\xff.")
    with caplog.at_level(logging.WARNING, logger="newsgraph.ingest"):
        assert all(isinstance(a, Article) for a in read_articles([latin, broken]))
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith(str(latin)) and "cp1252" in m for m in messages), messages
    assert any(m.startswith(str(broken)) and "1 invalid UTF-8 byte(s) dropped" in m for m in messages)


def test_xml_with_a_dtd_is_refused_by_name_and_a_feed_is_read(tmp_path: Path) -> None:
    bomb = _materialise(tmp_path, "feed.xml", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
                        b'<rss><channel><item><description>&a;</description></item></channel></rss>')
    feed = _materialise(tmp_path, "news.rss", b'<rss version="2.0"><channel><item><title>Port</title>'
                        b"<link>https://example.org/p</link><description>&lt;p&gt;Lisbon port reopened."
                        b"&lt;/p&gt;&lt;p&gt;Ships waited.&lt;/p&gt;</description></item></channel></rss>")
    error, article = list(read_articles([bomb, feed]))
    assert isinstance(error, InputError) and error.source == str(bomb) and "DTD" in error.reason
    assert isinstance(article, Article)
    assert article.text == "Lisbon port reopened.\n\nShips waited." and article.url == "https://example.org/p"


def test_deeply_nested_html_still_yields_its_text(tmp_path: Path) -> None:
    body = "<p>Lisbon port reopened on Monday after a strike, the harbour authority said.</p>"
    page = _materialise(tmp_path, "deep.html", ("<html><body>" + "<div>" * 3000 + body
                                                + "</div>" * 3000 + "</body></html>").encode())
    (article,) = list(read_articles([page]))
    assert isinstance(article, Article), article
    assert article.text.startswith("Lisbon port reopened on Monday")
