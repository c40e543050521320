"""A folder of every kind of bad input file, and a build of it measured (time, peak memory, exit).

`make_bad_folder(folder)` writes the files (also used by tests/test_bad_folder.py); each entry of
`BAD_FILES` says what a careful tool must do with it: skip it with a reason containing the given
words (SKIP), or read it, maybe cut, with a warning naming it (READ) or silently (CLEAN).

    python benchmarks/bad_inputs.py [--out /tmp/bad-out] [--keep-folder /tmp/bad-in]

runs `newsgraph build FOLDER -o OUT` in a child process (ru_maxrss of the child is its peak RSS),
then checks: the exit code (4: built, something skipped), that every SKIP file is named on stderr
with its reason, that every READ file is named in a warning, and that every output re-parses.
Article text here is invented (names of real politicians only where a name must be one).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

GOOD = ("Dutch Prime Minister Mark Rutte met German Chancellor Olaf Scholz in Berlin on Monday. "
        "The two leaders discussed energy prices, Rutte told reporters after the meeting.\n\n"
        "Scholz said Germany would keep buying gas from Norway.")
SKIP, READ, CLEAN = "skip", "read", "clean"


@dataclass(frozen=True)
class Bad:
    name: str
    data: bytes
    expect: str  # SKIP, READ (with a warning naming the file) or CLEAN
    words: str  # what the skip reason or the warning must contain (lower case)


def _words(n: int, seed: int) -> str:
    rng = random.Random(seed)
    vocab = ["the", "minister", "said", "talks", "would", "continue", "government", "market",
             "prices", "rose", "after", "week", "officials", "energy", "plan", "council"]
    return " ".join(rng.choice(vocab) for _ in range(n))


def _mentions(n: int) -> str:
    names = ["Mark Rutte", "Olaf Scholz", "Emmanuel Macron", "Pedro Sanchez", "Giorgia Meloni",
             "Berlin", "Paris", "Madrid", "Rome", "The Hague", "NATO", "the European Union"]
    sentences = []
    for i in range(0, n, 4):
        a, b, c, d = (names[(i + k) % len(names)] for k in range(4))
        sentences.append(f"{a} met {b} and {c} in {d}.")
    return " ".join(sentences)


def _nested_html(depth: int) -> bytes:
    body = ("<p>Finance ministers from twelve countries agreed on Friday to a common plan for "
            "bank deposits, the chair of the meeting said in Brussels.</p>"
            "<p>The plan will be reviewed next year, officials said.</p>")
    return ("<html><head><title>Ministers agree deposit plan</title></head><body>"
            + "<div>" * depth + body + "</div>" * depth + "</body></html>").encode()


XML_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rss version="2.0"><channel><title>Feed</title>
<item><title>Bomb</title><description>&d;&d;&d;&d;</description></item>
</channel></rss>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>T</title><description>&secret;</description></item>
</channel></rss>
"""

RSS = ("""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title>
<item><title>Ministers meet</title><link>https://example.org/news/1</link>
<pubDate>Mon, 02 Mar 2020 10:00:00 GMT</pubDate>
<description>""" + GOOD.replace("\n\n", " ") + """</description></item>
</channel></rss>
""").encode()


def _jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def bad_files() -> list[Bad]:
    """Every kind of bad input the issue lists, with what must happen to it."""
    rng = random.Random(17)
    good = GOOD.encode()
    ansi = ("\x1b[1m\x1b[31mMark Rutte\x1b[0m met \x1b[4mOlaf Scholz\x1b[24m in Berlin on Monday.\x1b[K\n"
            "\x1b]0;title\x07The two leaders discussed energy prices.\x1b[2J\x1b[H\n") * 3
    para = _words(900_000, 1)  # about 5 MB, one paragraph, no sentence end
    return [
        Bad("good.txt", good, CLEAN, ""),
        Bad("empty.txt", b"", SKIP, "empty file"),
        Bad("whitespace.txt", b" \n\t\n  ", SKIP, "empty file"),
        Bad("random.bin", rng.randbytes(20_000), SKIP, "unsupported file type"),
        Bad("random.txt", rng.randbytes(20_000), SKIP, "binary file"),
        Bad("image.png", b"\x89PNG\r\n\x1a\n" + rng.randbytes(2000), SKIP, "unsupported file type"),
        Bad("pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj" + rng.randbytes(500), SKIP, "pdf"),
        Bad("notes.csv", b"a,b\n1,2\n", SKIP, "unsupported file type"),
        Bad("latin1.txt", GOOD.replace("Monday", "Montag, caf\u00e9 cr\u00e8me").encode("latin-1"),
            READ, "cp1252"),
        Bad("broken-utf8.txt", good.replace(b"Berlin", b"Berl\xc3n\xff") + " Pr\u00e9sident".encode(),
            READ, "invalid utf-8"),
        Bad("utf16.txt", GOOD.encode("utf-16"), CLEAN, ""),
        Bad("nel.txt", GOOD.replace("\n\n", "\u0085").encode(), CLEAN, ""),
        Bad("markup.md", ("# Ministers meet\n\n<script>alert(1)</script> **" + GOOD + "** "
                          "<img src=x onerror=alert(2)>").encode(), CLEAN, ""),
        Bad("injection.txt", (GOOD + '\n\nHe said "> } ; DROP ALL ; INSERT DATA { <a> <b> <c> } #'
                              " and '; DELETE WHERE { ?s ?p ?o } and ${jndi:ldap://x/a}.").encode(),
            CLEAN, ""),
        Bad("big-paragraph.txt", para.encode(), READ, "characters"),
        Bad("many-mentions.txt", _mentions(20_000).encode(), READ, "mentions"),
        Bad("giant-token.txt", (GOOD + "\n\n" + "QUJD" * 150_000 + "\n\nRutte left.").encode(),
            READ, "longer than"),
        Bad("terminal.txt", ansi.encode(), CLEAN, ""),
        Bad("bidi.txt", ("Dutch Prime Minister Mark\u200b Rutte met \u202eOlaf Scholz\u202c in "
                         "Berlin.\n\nMark Rutte said the talks went well. Ma\u2060rk Rut\u200dte "
                         "left on Tuesday.").encode(), CLEAN, ""),
        Bad("bomb.xml", XML_BOMB, SKIP, "dtd"),
        Bad("xxe.rss", XXE, SKIP, "dtd"),
        Bad("feed.xml", RSS, CLEAN, ""),
        Bad("nested.html", _nested_html(5000), CLEAN, ""),
        Bad("url-only.txt", b"https://example.org/news/2020/03/02/ministers-meet?ref=rss\n", SKIP,
            "only a url"),
        Bad("urls.jsonl", _jsonl([{"text": "https://example.org/a https://example.org/b"}]),
            SKIP, "only a url"),
        Bad("duplicate-ids.jsonl", _jsonl([
            {"id": "story-1", "url": "https://example.org/s1", "text": GOOD},
            {"id": "story-1", "url": "https://example.org/s1",
             "text": GOOD.replace("Monday", "Tuesday")},
        ]), READ, "same identifier"),
        Bad("bad-lines.jsonl", b'{"text": "Rutte spoke."}\n{"text": \n[1,2]\n', SKIP, "malformed json"),
        Bad("truncated.jsonl.gz", gzip.compress(_jsonl([{"text": GOOD}] * 50))[:-40], SKIP, "gzip"),
        Bad("fake.txt.gz", b"plain text, not gzip", SKIP, "corrupt gzip"),
        Bad("deep.json", b"[" * 100_000 + b"]" * 100_000, SKIP, "nested too deeply"),
        Bad("controls-only.txt", b"\x01\x02\x03\x07 \x1b\n", SKIP, "no text after cleaning"),
    ]


def make_bad_folder(folder: Path) -> list[Bad]:
    """Write every bad file into `folder` (created); return the list."""
    folder.mkdir(parents=True, exist_ok=True)
    files = bad_files()
    for bad in files:
        (folder / bad.name).write_bytes(bad.data)
    os.mkfifo(folder / "pipe.txt")  # opening it would block forever
    return files


def check_outputs(out: Path) -> list[str]:
    """Problems with the build folder: any export that does not parse, any temporary file."""
    import pyoxigraph as ox
    from rdflib import Dataset

    problems = []
    formats = {"graph.ttl": ox.RdfFormat.TURTLE, "graph.trig": ox.RdfFormat.TRIG,
               "graph.nq": ox.RdfFormat.N_QUADS}
    for name, fmt in formats.items():
        try:
            n = sum(1 for _ in ox.parse(path=str(out / name), format=fmt))
            if n == 0:
                problems.append(f"{name}: empty")
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            problems.append(f"{name}: {exc}")
    for name, fmt in (("graph.jsonld", "json-ld"), ("graph.trig", "trig"), ("graph.nq", "nquads")):
        try:  # rdflib too: what newsgraph's own readers (validate, stats, query --engine rdflib) use
            Dataset().parse(out / name, format=fmt)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{name} (rdflib): {str(exc)[:200]}")
    try:
        from rdflib import Graph

        Graph().parse(out / "graph.ttl", format="turtle")
    except Exception as exc:  # noqa: BLE001
        problems.append(f"graph.ttl (rdflib): {str(exc)[:200]}")
    html = (out / "graph.html").read_text(encoding="utf-8")
    if "\u202e" in html or "\x1b" in html:
        problems.append("graph.html: raw bidi override or escape character")
    problems += [f"temporary file left: {p.name}" for p in out.parent.glob(".*tmp*")]
    problems += [f"temporary file left: {p.name}" for p in out.glob(".*")]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--keep-folder", type=Path, default=None)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="newsgraph-bad-"))
    folder = args.keep_folder or tmp / "in"
    out = args.out or tmp / "out"
    files = make_bad_folder(folder)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "newsgraph.cli", "build", str(folder), "-o", str(out),
                           "-q"], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    err = proc.stderr.lower()
    print(proc.stdout)
    print(proc.stderr)
    missing = []
    for bad in files:
        if bad.expect == CLEAN:
            continue
        lines = [line for line in err.splitlines() if bad.name.lower() in line]
        if not any(bad.words in line for line in lines):
            missing.append(f"{bad.name}: expected '{bad.words}' ({bad.expect}), got {lines[:2]}")
    if "pipe.txt" not in err:
        missing.append("pipe.txt: not named")
    problems = check_outputs(out) if proc.returncode in (0, 4) else ["no outputs"]
    print(f"files: {len(files) + 1}   exit code: {proc.returncode}   wall: {seconds:.1f} s   "
          f"peak RSS: {peak_mb:.0f} MB")
    print(f"bad files not named with their reason: {len(missing)}")
    for line in missing:
        print("  " + line)
    print(f"output problems: {len(problems)}")
    for line in problems:
        print("  " + line)
    ok = proc.returncode == 4 and not missing and not problems and seconds < 180 and peak_mb < 2048
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
