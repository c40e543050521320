"""Cleaning, decoding, headlines and metadata helpers, plus properties checked with hypothesis."""

from __future__ import annotations

import gzip
import logging
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.ingest import Article, InputError, read_articles
from newsgraph.ingest.clean import MAX_TOKEN_CHARS, clean_inline, clean_text, decode_bytes
from newsgraph.ingest.language import guess_language
from newsgraph.ingest.meta import iso_date, split_authors
from newsgraph.ingest.plaintext import headline
from newsgraph.ingest.webpage import neutralise_doctype

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("a\u2028b\u2029c", "a\nb\n\nc"),
        ("a\x00b\x07c\x1bd\x7fe", "abcde"),
        ("don\x92t \x93quote\x94 \x9f", "don’t “quote”"),
        ("a \t  b\t\tc", "a b c"),
        ("a\u00a0\u2009b", "a b"),
        ("trailing   \nspaces\t\n", "trailing\nspaces"),
        ("  leading", "leading"),
        ("a\n\n\n\n\nb", "a\n\nb"),
        ("a\n \n\t\n\nb", "a\n\nb"),
        ("\n\n\na\n\n\n", "a"),
        ("Cafe\u0301", "Café"),
        ("Ze\u200blensky \u200d \ufeffx", "Zelensky x"),
        ("\u202eMark Rutte\u202c and \u2066Olaf\u2069", "Mark Rutte and Olaf"),
        ("a\x85b", "a\nb"),
        ("\x1b[31mred\x1b[0m \x1bPstring\x1b\\ok \x1b]8;;http://x\x07link\x1b]8;;\x07", "red ok link"),
        ("\ufeffstart", "start"),
        ("lone \ud800 and \udfff", "lone and"),
        ("pair \ud83d\ude00 ok", "pair 😀 ok"),
        ("News\nBody one.\nNews\nBody two.\nNews", "News\nBody one.\nBody two."),
        ("Para A.\n\nPara B.\n\nPara A.\n\nPara C.", "Para A.\n\nPara B.\n\nPara C."),
        ("Block\nline\n\nBlock\nline\n\nEnd", "Block\nline\n\nEnd"),
        ("", ""),
        (" \n\t\n ", ""),
    ],
    ids=repr,
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_every_format_character_of_this_python_is_removed() -> None:
    """The hard-coded class must cover Unicode's Cf category as this Python knows it."""
    import sys

    kept = [cp for cp in range(sys.maxunicode + 1)
            if unicodedata.category(chr(cp)) == "Cf" and clean_text(f"a{chr(cp)}b") != "ab"]
    assert kept == []


def test_long_tokens_are_dropped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    ok = "x" * MAX_TOKEN_CHARS
    with caplog.at_level(logging.WARNING, logger="newsgraph.ingest"):
        assert clean_text(f"keep {ok} drop {ok}y end", "src.txt") == f"keep {ok} drop end"
    (record,) = caplog.records
    assert record.name == "newsgraph.ingest" and "src.txt" in record.getMessage()
    caplog.clear()
    assert clean_text("short words only") == "short words only"
    assert not caplog.records


def test_cleaning_is_linear_on_adversarial_input() -> None:
    """Many tokens just under the limit, a giant token, a giant line: all must be quick."""
    near = ("y" * MAX_TOKEN_CHARS + " ") * 2_000
    giant = "z" * 3_000_000
    start = time.perf_counter()
    assert clean_text(near).count(" ") == 1_999
    assert clean_text(giant) == ""
    assert len(clean_text("word " * 1_000_000)) == 4_999_999
    assert time.perf_counter() - start < 5


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300))
@settings(max_examples=300, deadline=None)
def test_clean_text_properties(raw: str) -> None:
    text = clean_text(raw)
    assert not CONTROL.search(text)
    assert not re.search("[\ud800-\udfff]", text)
    assert unicodedata.is_normalized("NFC", text)
    assert "\n\n\n" not in text and "\r" not in text
    assert text == text.strip()
    assert all(line == line.strip() and "  " not in line for line in text.split("\n"))
    lines = [line for line in text.split("\n") if line]
    assert len(lines) == len(set(lines))
    assert clean_text(text) == text  # idempotent: clean text read again gives the same id


@pytest.mark.parametrize(
    "data, text",
    [
        (b"plain ascii", "plain ascii"),
        ("Kyiv – Київ".encode(), "Kyiv – Київ"),
        (b"\xef\xbb\xbfbom", "bom"),
        ("Straße".encode("utf-16"), "Straße"),
        ("Straße".encode("utf-16-le"), "Straße"),
        ("Straße".encode("utf-16-be"), "Straße"),
        ("Straße".encode("utf-32"), "Straße"),
        ("Élysée Müller café".encode("latin-1"), "Élysée Müller café"),
        ("“quoted” – dash…".encode("cp1252"), "“quoted” – dash…"),
        (
            "Москва заявила о продолжении переговоров".encode("cp1251"),
            "Москва заявила о продолжении переговоров",
        ),
        ("caf\u00e9 ok".encode("utf-8") + b" \x80", "caf\u00e9 ok \udc80"),
        (b"stray\x00nul", "stray\x00nul"),
    ],
    ids=repr,
)
def test_decode_bytes(data: bytes, text: str) -> None:
    assert decode_bytes(data, "f.txt") == text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (not text: a PNG image)"),
        (b"\x7fELF\x02\x01\x01", "binary file (not text: an executable)"),
        (bytes(range(256)) * 4, "binary file (not text)"),
        (b"\x00\x01\x02\x03" * 100, "binary file (not text)"),
    ],
    ids=["empty", "png", "elf", "all-bytes", "low-controls"],
)
def test_decode_bytes_refuses(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(data, "f.bin")
    assert caught.value.reason == reason and caught.value.source == "f.bin"


@pytest.mark.parametrize(
    "text, title",
    [
        (
            "Trump, Putin agree halt to energy attacks\n\nBody.",
            "Trump, Putin agree halt to energy attacks",
        ),
        ("Is this the end of the war?\nBody follows here.", "Is this the end of the war?"),
        ("Short headline\nBy Jane Doe\n\nBody.", "Short headline"),
        ("Putin agreed to a halt on Tuesday.\n\nBody.", None),  # a sentence
        ("Talks go on. Video / AFP\nBody.", None),  # a sentence break inside
        ("Talks go on, Kremlin says,\nBody.", None),
        ("Only one line and nothing else", None),
        ("Headline\n\nBody.", None),  # one word
        ("12345 67890\n\nBody.", None),  # no letters
        (" ".join(["word"] * 26) + "\n\nBody.", None),
        ("x" * 151 + " y\n\nBody.", None),
        ("Ukraine: the latest news on the talks\n\nBody.", "Ukraine: the latest news on the talks"),
        ("Russia vs. Ukraine: Talks in Riyadh\n\nBody.", "Russia vs. Ukraine: Talks in Riyadh"),
        ("Mr. Putin goes to Washington\n\nBody.", "Mr. Putin goes to Washington"),
    ],
    ids=repr,
)
def test_headline(text: str, title: str | None) -> None:
    assert headline(text) == title


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2019-03-05", "2019-03-05"),
        ("2019-3-5", "2019-03-05"),
        ("2019/03/05 10:00", "2019-03-05"),
        ("2025-03-18T21:04:00+00:00", "2025-03-18"),
        ("Tue, 18 Mar 2025 10:00:00 GMT", "2025-03-18"),
        ("2019-02-30", None),
        ("last Tuesday", None),
        ("", None),
        (20190305, None),
        (None, None),
    ],
)
def test_iso_date(value: object, expected: str | None) -> None:
    assert iso_date(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Jane Doe, John Roe", ("Jane Doe", "John Roe")),
        (
            "Jane Doe; John Roe and Ann Lee & Bo Chan",
            ("Jane Doe", "John Roe", "Ann Lee", "Bo Chan"),
        ),
        ('Star Parker, "Cortney OBrien"', ("Star Parker", "Cortney OBrien")),
        ("By Anderson Cooper", ("Anderson Cooper",)),
        (["Ann Lee", {"name": "Bo Chan"}, 3, ""], ("Ann Lee", "Bo Chan")),
        ("", ()),
        (None, ()),
    ],
)
def test_split_authors(value: object, expected: tuple[str, ...]) -> None:
    assert split_authors(value) == expected


def test_clean_inline_joins_lines() -> None:
    assert clean_inline("  Putin\n\n and\tTrump \x07") == "Putin and Trump"


def test_guess_language_claims_only_clear_english() -> None:
    english = "The talks between the two leaders were held in Riyadh and they said that it was " * 3
    assert guess_language(english) == "en"
    assert (
        guess_language("Die Gespräche zwischen den beiden Staatschefs fanden in Riad statt " * 3)
        is None
    )
    assert guess_language("Переговоры между двумя лидерами прошли в Эр-Рияде " * 5) is None
    assert guess_language("Too short to tell.") is None


@pytest.mark.parametrize(
    "markup, expected",
    [
        ("<!DOCTYPE html><p>x</p>", "<!DOCTYPE html><p>x</p>"),
        ('<!doctype x [<!ENTITY a "b">]><p>&a;&amp;</p>', "<!DOCTYPE html><p>&amp;</p>"),
        ('<!DOCTYPE x [<!ENTITY % p SYSTEM "http://e/x">%p;]><p>t</p>', "<!DOCTYPE html><p>t</p>"),
        ('<!DOCTYPE x [<!ENTITY a "b">', "<!DOCTYPE html>"),  # never closed: cut to the end
        ("no tags <!DOCTYPE", "no tags <!DOCTYPE"),
    ],
)
def test_neutralise_doctype(markup: str, expected: str) -> None:
    assert neutralise_doctype(markup) == expected


_EXTENSIONS = [".txt", ".md", ".html", ".jsonl", ".json", ".txt.gz", ".jsonl.gz", ".weird"]


@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.text(max_size=200).map(
            lambda t: (f'{{"text": {t!r}}}').encode("utf-8", "surrogatepass")
        ),
    ),
    extension=st.sampled_from(_EXTENSIONS),
)
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_read_articles_never_raises(tmp_path: Path, data: bytes, extension: str) -> None:
    path = tmp_path / f"fuzz{extension}"
    path.write_bytes(gzip.compress(data) if extension.endswith(".gz") else data)
    items = list(read_articles([path]))
    assert items, "every file gives at least one article or error"
    for item in items:
        assert isinstance(item, (Article, InputError))
        if isinstance(item, Article):
            assert item.text and item.text == clean_text(item.text)
        else:
            assert item.source == str(path) and item.reason and "\n" not in item.reason
