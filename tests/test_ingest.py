"""read_articles: the readers, folder walking, determinism and the sample corpus."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from newsgraph.ingest import (
    SUPPORTED_EXTENSIONS,
    Article,
    InputError,
    read_articles,
    sample_corpus_dir,
)

DATA = Path(__file__).parent / "data" / "ingest"
CORPUS = sample_corpus_dir()
ALLSIDES = Path("/work/shared/data/allsides-news-2018-2020/articles.jsonl.gz")
STORY = (
    "Kremlin says talks will go on\n\nKremlin spokesman Dmitry Peskov said on Monday that "
    "talks with Washington would continue in Riyadh next week.\n"
)


def read(*paths: str | os.PathLike[str]) -> list[Article | InputError]:
    return list(read_articles(paths))


def articles(items: list[Article | InputError]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def errors(items: list[Article | InputError]) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


def only_article(path: str | os.PathLike[str]) -> Article:
    items = read(path)
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


# --- the sample corpus ------------------------------------------------------


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    items = read(CORPUS)
    assert not errors(items)
    return articles(items)


def test_corpus_reads_three_articles_in_path_order(corpus: list[Article]) -> None:
    assert [Path(a.identifier).name[:3] for a in corpus] == ["000", "001", "002"]
    assert all(a.identifier == str(CORPUS / Path(a.identifier).name) for a in corpus)
    assert len({a.id for a in corpus}) == 3


def test_corpus_repeated_block_is_kept_once(corpus: list[Article]) -> None:
    raw = (CORPUS / "000_86a9999493ebc42c.txt").read_text(encoding="utf-8")
    text = corpus[0].text
    for snippet in (
        "Key European countries back Denmark in the face of Trump's",
        "Six major European countries have declared their support",
        'Donald Tusk: "One for all, and all for one!',
        "Editor's choice",
    ):
        assert raw.count(snippet) >= 2
        assert text.count(snippet) == 1, snippet
    assert (  # the "Related articles" heading before the repeated block is a widget, removed
        "AFP file photo.\n\nEditor's choice\nNews\nKey European countries back Denmark in "
        "the face of Trump's continuing insistence on taking over Greenland\n\nSix major "
        "European countries"
    ) in text
    assert "Related articles" in raw and "Related articles" not in text
    assert text.endswith("(click the image to read the full article).\n\nPopular")


def test_corpus_headline_becomes_title_and_stays_in_text(corpus: list[Article]) -> None:
    headline = "Trump, Putin agree halt to Ukraine energy attacks but no ceasefire"
    assert corpus[0].title == headline
    assert corpus[0].text.startswith(headline + "\n\n")


@pytest.mark.parametrize("index", [1, 2])
def test_corpus_first_sentence_is_not_a_title(corpus: list[Article], index: int) -> None:
    assert corpus[index].title is None
    first_line = corpus[index].text.split("\n", 1)[0]
    assert corpus[index].text.startswith(first_line) and len(first_line) > 100


def test_corpus_ids_are_the_hash_of_the_clean_text(corpus: list[Article]) -> None:
    for article in corpus:
        digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        assert article.id == digest[:16]
        assert article.content_hash == f"sha256:{digest}"
        assert article.language == "en"
        assert "  " not in article.text and "\n\n\n" not in article.text
        assert "\u00a0" not in article.text


# --- determinism and ids ----------------------------------------------------


def test_same_folder_twice_gives_the_same_sequence(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(CORPUS, tmp_path / "data" / "corpus")

    def fingerprint() -> list[tuple[str, ...]]:
        return [
            (type(i).__name__, i.id, i.identifier)
            if isinstance(i, Article)
            else (type(i).__name__, str(i))
            for i in read(tmp_path / "data")
        ]

    first = fingerprint()
    assert len(first) > 20
    assert fingerprint() == first


def test_folder_files_are_sorted_by_path_not_creation(tmp_path: Path) -> None:
    for rel in ["z.txt", "m/b.txt", "a.txt", "m/a/c.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(
            f"Story from {rel} about the talks in Riyadh.", encoding="utf-8"
        )
    found = [Path(a.identifier).relative_to(tmp_path).as_posix() for a in articles(read(tmp_path))]
    assert found == ["a.txt", "m/a/c.txt", "m/b.txt", "z.txt"]


def test_explicit_paths_keep_their_given_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_text(f"Article {name} on the Riyadh talks.", encoding="utf-8")
    items = read(tmp_path / "b.txt", str(tmp_path / "a.txt"))
    assert [Path(a.identifier).name for a in articles(items)] == ["b.txt", "a.txt"]


def test_id_depends_on_text_not_on_file_name_or_format(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "other-name.text").write_text(
        STORY.replace("\n", "\r\n") + "\n\n\n", encoding="utf-8"
    )
    (tmp_path / "story.jsonl").write_text(json.dumps({"text": STORY}) + "\n", encoding="utf-8")
    (tmp_path / "changed.txt").write_text(STORY.replace("Monday", "Tuesday"), encoding="utf-8")
    one, other, record, changed = (
        only_article(tmp_path / n)
        for n in ("one.txt", "other-name.text", "story.jsonl", "changed.txt")
    )
    assert one.id == other.id == record.id
    assert one.identifier != other.identifier
    assert changed.id != one.id


def test_a_single_path_string_is_not_iterated_by_character() -> None:
    assert len(articles(list(read_articles(str(CORPUS))))) == 3


# --- folders, names, extensions ---------------------------------------------


def test_folder_skips_hidden_files_and_names_unknown_ones(tmp_path: Path) -> None:
    files = {
        "a.txt": "Visible article about Kyiv.",
        ".hidden.txt": "Hidden article.",
        ".git/inside.txt": "Inside a hidden folder.",
        "notes.xyz": "Unknown extension.",
        "image.png": "not really a png",
        "sub/b.md": "# Sub heading here\n\nNested article about Moscow.",
        "sub/c.ndjson": json.dumps({"text": "Record about Riyadh."}),
    }
    for rel, content in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(content, encoding="utf-8")
    items = read(tmp_path)
    assert [(Path(e.source).name, e.reason.split(" (")[0]) for e in errors(items)] == [
        ("image.png", "unsupported file type '.png' in a folder"),
        ("notes.xyz", "unsupported file type '.xyz' in a folder"),
    ]
    assert [a.text.split("\n")[0] for a in articles(items)] == [
        "Visible article about Kyiv.",
        "Sub heading here",
        "Record about Riyadh.",
    ]


def test_explicit_unknown_extension_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "wire.log"
    path.write_text("Wire copy: Moscow said talks would go on.", encoding="utf-8")
    assert only_article(path).text == "Wire copy: Moscow said talks would go on."
    assert only_article(path).identifier == str(path)


def test_explicit_unknown_binary_file_is_refused() -> None:
    (error,) = read(DATA / "image.png")
    assert isinstance(error, InputError)
    assert error.source == str(DATA / "image.png")
    assert error.reason.startswith("binary file")


def test_missing_path_is_an_error_value_and_reading_goes_on() -> None:
    items = read("no/such/file.txt", DATA / "article.md")
    assert isinstance(items[0], InputError)
    assert items[0].source == "no/such/file.txt" and "no such file" in items[0].reason
    assert isinstance(items[1], Article)


def test_supported_extensions() -> None:
    assert SUPPORTED_EXTENSIONS == {
        ".txt",
        ".text",
        ".md",
        ".html",
        ".htm",
        ".jsonl",
        ".ndjson",
        ".json",
        ".xml",
        ".rss",
        ".atom",
    }


# --- gzip -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, payload",
    [
        ("story.txt.gz", STORY.encode("utf-8")),
        ("STORY.TXT.GZ", STORY.encode("utf-8")),
        (
            "story.jsonl.gz",
            (json.dumps({"text": STORY, "url": "https://e.com/s"}) + "\n").encode("utf-8"),
        ),
        ("story.json.gz", json.dumps([{"text": STORY}]).encode("utf-8")),
        ("story.html.gz", f"<html><body><article><p>{STORY}</p></article></body></html>".encode()),
    ],
)
def test_gz_is_decompressed_transparently(tmp_path: Path, name: str, payload: bytes) -> None:
    (tmp_path / name).write_bytes(gzip.compress(payload))
    plain = tmp_path / "plain.txt"
    plain.write_text(STORY, encoding="utf-8")
    article = only_article(tmp_path / name)
    assert "Kremlin spokesman Dmitry Peskov" in article.text
    if "txt" in name.lower() or "json" in name:
        assert article.id == only_article(plain).id


def test_gz_files_are_found_in_folders(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(STORY.encode()))
    (tmp_path / "b.gz").write_bytes(gzip.compress(STORY.encode()))  # no inner extension: named
    items = read(tmp_path)
    assert [Path(a.identifier).name for a in articles(items)] == ["a.txt.gz"]
    assert [e.reason.split(" (")[0] for e in errors(items)] == ["unsupported file type without extension in a folder"]


# --- plain text and Markdown ------------------------------------------------


def test_text_reader_sets_identifier_title_and_keeps_headline() -> None:
    article = only_article(DATA / "latin1.txt")
    assert article.identifier == str(DATA / "latin1.txt")
    assert article.title == "Élysée backs Kyiv"
    assert article.text.startswith("Élysée backs Kyiv\n\nLe président français")


def test_markdown_reader_strips_heading_marks() -> None:
    article = only_article(DATA / "article.md")
    assert article.title == "Zelensky backs energy truce"
    assert article.text.startswith("Zelensky backs energy truce\n\nUkrainian President")
    assert "\n\nReaction in Europe\n\n" in article.text
    assert "#" not in article.text


# --- HTML -------------------------------------------------------------------


def test_html_reader_extracts_text_and_metadata() -> None:
    article = only_article(DATA / "article.html")
    assert article.title == "Putin agrees to pause energy strikes"
    assert article.date == "2025-03-18"
    assert article.source == "Example News"
    assert article.url == "https://news.example.com/world/putin-energy-pause"
    assert article.authors == ("Jane Doe",)
    assert article.language == "en"
    assert article.identifier == str(DATA / "article.html")
    assert "halt attacks on Ukrainian energy facilities for 30 days" in article.text
    assert "prisoner exchange" in article.text
    for marker in ("SCRIPT_MARKER", "STYLE_MARKER", "window.tracker", "font-family", "Copyright"):
        assert marker not in article.text
        assert marker not in (article.title or "")


def test_html_declared_legacy_charset_is_honoured(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        "</head><body><article><p>Le pr\xe9sident a d\xe9clar\xe9 \x93nous continuerons\x94 "
        "les discussions avec Kyiv et Moscou cette semaine \x96 selon l\x92Elys\xe9e.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("latin-1"))
    text = only_article(path).text
    assert "Le président a déclaré “nous continuerons” les discussions" in text
    assert "– selon l’Elysée" in text


def test_html_without_article_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text(
        "<html><head><title>Nothing</title></head><body></body></html>", encoding="utf-8"
    )
    (error,) = read(path)
    assert isinstance(error, InputError) and error.reason == "no article text in HTML"


def test_html_reader_reports_unusable_trafilatura(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "trafilatura", None)
    (error, after) = read(DATA / "article.html", DATA / "article.md")
    assert isinstance(error, InputError) and "trafilatura is not usable" in error.reason
    assert isinstance(after, Article)


# --- JSON Lines and JSON ----------------------------------------------------


def test_jsonl_reader_reads_good_lines_around_bad_ones() -> None:
    path = str(DATA / "articles.jsonl")
    items = read(path)
    kinds = [
        (type(i).__name__, i.line if isinstance(i, InputError) else i.identifier) for i in items
    ]
    assert kinds == [
        ("Article", "https://example.com/a1"),
        ("InputError", 2),
        ("InputError", 3),
        ("InputError", 5),
        ("Article", f"{path}#6"),
        ("InputError", 7),
        ("Article", f"{path}#8"),
    ]
    first, second, third = articles(items)
    assert (first.title, first.date, first.source, first.url, first.authors) == (
        "EU extends sanctions on Russia",
        "2019-03-05",
        "Reuters",
        "https://example.com/a1",
        ("Jane Doe", "John Roe"),
    )
    assert first.text == (
        "The European Union extended sanctions on Russia on Tuesday.\n\n"
        "The measures target banks and energy firms."
    )
    assert second.authors == ("Ann Lee", "Bo Chan") and second.date == "2019-03-06"
    assert third.source == "Associated Press"
    reasons = [e.reason for e in errors(items)]
    assert reasons[0].startswith("malformed JSON: Expecting ',' delimiter")
    assert reasons[1].startswith("no article text")
    assert reasons[2] == "expected a JSON object, got list"
    assert reasons[3].startswith("malformed JSON: Unterminated string")
    assert all(e.source == path and str(e).startswith(f"{path}:{e.line}: ") for e in errors(items))


def test_json_reader_reads_a_list_and_reports_bad_items() -> None:
    path = str(DATA / "articles.json")
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    assert items[0].identifier == "https://example.com/swap" and items[0].title == "Prisoner swap"
    assert items[1].reason == "item 2: empty article text" and items[1].source == path
    assert items[2].identifier == f"{path}#3"


def test_json_reader_reads_a_single_object() -> None:
    article = only_article(DATA / "single.json")
    assert article.identifier == str(DATA / "single.json")
    assert (article.title, article.date, article.language) == ("Single", "2025-03-18", "en")


@pytest.mark.skipif(not ALLSIDES.exists(), reason="shared AllSides dump not present")
def test_allsides_dump_format(tmp_path: Path) -> None:
    """The first lines of the real dump, copied to a small file, read without a single error."""
    sample = tmp_path / "allsides.jsonl.gz"
    with gzip.open(ALLSIDES, "rb") as src, gzip.open(sample, "wb") as dst:
        lines = [src.readline() for _ in range(40)]
        dst.writelines(lines)
    records = [json.loads(line) for line in lines]
    items = read(sample)
    assert len(items) == 40 and not errors(items)
    for article, record in zip(items, records):
        assert article.identifier == article.url == record["url"]
        assert article.date == record["date"] and article.source == record["source"]
        assert article.title == " ".join(record["title"].split())
        assert len(article.text) > 400
        assert all(a and "," not in a for a in article.authors)
