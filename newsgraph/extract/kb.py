"""The bundled knowledge base: known entities, countries and who holds which office when.

The KB is data (CSV files in newsgraph/data/kb/), not code.  Users add their
own entity files with `newsgraph build --kb FILE.csv` (same columns as
entities.csv: label, class, wikidata, aliases separated by |, country).
Countries not listed in countries.csv still come from pycountry (without a
Wikidata id), so every sovereign state is known.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import pycountry

from newsgraph.errors import NewsgraphError
from newsgraph.extract.names import name_key

ENTITY_COLUMNS = ("label", "class", "wikidata", "aliases", "country")
# Classes a KB row may use: the ontology's entity classes (checked against the .ttl by a test).
KB_CLASSES = frozenset({
    "Person", "Organization", "GovernmentBody", "InternationalOrganization", "MilitaryForce",
    "MediaOrganization", "Company", "PoliticalParty", "ResearchOrganization", "Country", "Place",
    "City", "Region", "Territory", "WaterBody", "Continent", "Building", "Asset", "Infrastructure",
    "EnergyInfrastructure", "PowerPlant", "NuclearPowerPlant", "OilInstallation", "Pipeline", "Port",
    "Bridge", "Dam", "MineralResource", "Facility",
})
TOP_CLASS = {
    **{c: "Organization" for c in ("Organization", "GovernmentBody", "InternationalOrganization",
                                   "MilitaryForce", "MediaOrganization", "Company", "PoliticalParty",
                                   "ResearchOrganization")},
    **{c: "Place" for c in ("Place", "City", "Region", "Territory", "WaterBody", "Continent", "Building")},
    **{c: "Asset" for c in ("Asset", "Infrastructure", "EnergyInfrastructure", "PowerPlant",
                            "NuclearPowerPlant", "OilInstallation", "Pipeline", "Port", "Bridge", "Dam",
                            "MineralResource", "Facility")},
    "Person": "Person",
    "Country": "Country",
}


class KBError(NewsgraphError):
    """A knowledge-base file has a malformed row."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(f"{source}:{line}: {reason}")


@dataclass(frozen=True)
class KBEntry:
    """A known entity: its canonical label, class, Wikidata id, other names and country."""

    id: str
    label: str
    entity_class: str
    wikidata: str | None
    aliases: tuple[str, ...]
    country: str | None  # ISO alpha-2 of the country it belongs to
    # names found only as a whole NER name, never matched in running text by the KB ruler
    # ("House": "Opera House" and "House Speaker" are not the chamber); "~House" in a CSV
    lookup_aliases: tuple[str, ...] = ()

    @property
    def top_class(self) -> str:
        return TOP_CLASS[self.entity_class]


@dataclass(frozen=True)
class Office:
    """Someone holding a title of a country or organization over a period."""

    title: str
    of: str  # KB id of the country or organization
    holder: str  # KB id of the person
    start: dt.date | None
    end: dt.date | None

    def held_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    entries: tuple[KBEntry, ...]
    offices: tuple[Office, ...]
    adjectives: dict[str, str]  # folded adjective ("russian") -> KB id of the country

    @cached_property
    def by_id(self) -> dict[str, KBEntry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def by_name(self) -> dict[str, KBEntry]:
        index: dict[str, KBEntry] = {}
        for entry in self.entries:  # earlier files win: the bundled KB, then the user's in order
            for name in (entry.label, *entry.aliases, *entry.lookup_aliases):
                index.setdefault(name_key(name), entry)
        return index

    @cached_property
    def all_by_name(self) -> dict[str, tuple[KBEntry, ...]]:
        """Every entry a folded name may denote ("georgia": the country and the US state)."""
        index: dict[str, list[KBEntry]] = {}
        for entry in self.entries:
            for name in dict.fromkeys(name_key(n) for n in (entry.label, *entry.aliases)):
                index.setdefault(name, []).append(entry)
        return {k: tuple(v) for k, v in index.items()}

    def senses(self, name: str) -> tuple[KBEntry, ...]:
        """All entries a name may denote, the one `lookup` gives first."""
        key = name_key(name)
        return self.all_by_name.get(key[4:] if key.startswith("the ") else key, ())

    @cached_property
    def given_names(self) -> frozenset[str]:
        """Folded first names and nicknames (given_names.txt): never a surname on their own."""
        return frozenset(line.strip() for line in _kb_file("given_names.txt").read_text(
            encoding="utf-8").splitlines() if line.strip())

    @cached_property
    def cities(self) -> frozenset[str]:
        """Names of cities of 100,000 people or more (cities.txt, from GeoNames; no ids)."""
        return frozenset(line.strip() for line in _kb_file("cities.txt").read_text(
            encoding="utf-8").splitlines() if line.strip())

    def lookup(self, name: str) -> KBEntry | None:
        """The entry a name denotes (label or alias, folded), or None.

        >>> default_kb().lookup("the Kremlin").label
        'Kremlin'
        """
        key = name_key(name)
        if key.startswith("the "):
            key = key[4:]
        return self.by_name.get(key)

    def country_of_adjective(self, word: str) -> KBEntry | None:
        """'Russian' -> Russia; also accepts country names ('Ukraine' in 'Ukraine energy targets')."""
        kid = self.adjectives.get(name_key(word))
        if kid:
            return self.by_id[kid]
        entry = self.lookup(word)
        return entry if entry and entry.entity_class == "Country" else None

    def holders(self, title: str, of_id: str, on: dt.date | None = None) -> list[KBEntry]:
        """People who held `title` of `of_id` (on a day, when given)."""
        wanted = _title_key(title)
        people = [
            self.by_id[o.holder]
            for o in self.offices
            if o.of == of_id and (_title_key(o.title) == wanted or
                                  (wanted == "leader" and _title_key(o.title) in HEAD_KEYS))
            and (on is None or o.held_on(on))
        ]
        return list(dict.fromkeys(people))


# ISO 3166 lists dependent territories too; news treats them as places, not states.
NOT_SOVEREIGN = frozenset(
    "GL PR GU HK MO AW CW SX BM KY VG VI AS MP FO GI IM JE GG NC PF RE GP MQ YT GF PM WF BL MF TF IO SH "
    "FK GS PN TC MS AI CK NU TK NF CX CC HM BV SJ AX UM EH AQ BQ".split()
)

# Generated by scripts/build_kb.py (sources in data/kb/SOURCES.md): id prefix -> file.  They are
# looked up by name after NER, not matched by the KB ruler (their names are common words too).
GENERATED_FILES = {"state": "us_states.csv", "leg": "legislators.csv"}
GENERATED_PREFIXES = tuple(f"{p}:" for p in GENERATED_FILES)

HEAD_TITLES = {"president", "prime minister", "chancellor", "supreme leader", "leader", "premier"}
# "the Russian leader" is whoever heads it, not its foreign minister (see KnowledgeBase.holders)


def _title_key(title: str) -> str:
    key = name_key(title)
    if key in ("premier", "pm"):
        return "prime minister"
    if key in ("leader", "head of state", "head of government"):
        return "leader"
    return key


HEAD_KEYS = frozenset(_title_key(t) for t in HEAD_TITLES)


def _kb_file(name: str) -> Path:
    return Path(str(resources.files("newsgraph").joinpath(f"data/kb/{name}")))


def _date(value: str, source: str, line: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise KBError(source, line, f"not an ISO date: {value!r}") from None


def _rows(path: Path, columns: Sequence[str]) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KBError(str(path), 0, f"cannot read the file: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise KBError(str(path), 1, f"missing column(s) {', '.join(missing)}; expected {','.join(columns)}")
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            raise KBError(str(path), line, "wrong number of fields (quote values that contain commas)")
        yield line, {k: (v or "").strip() for k, v in row.items()}


def read_entities(path: Path, prefix: str) -> list[KBEntry]:
    """Read an entities CSV; a malformed row, a label given twice (one id) or a Wikidata id given
    twice is an error naming the file and line."""
    entries = []
    seen_ids: dict[str, int] = {}
    seen_qids: dict[str, int] = {}
    for line, row in _rows(path, ENTITY_COLUMNS):
        label, cls, qid = row["label"], row["class"], row["wikidata"]
        if not label:
            raise KBError(str(path), line, "empty label")
        if cls not in KB_CLASSES:
            raise KBError(str(path), line, f"unknown class {cls!r}; use one of {', '.join(sorted(KB_CLASSES))}")
        if qid and not re.fullmatch(r"Q[1-9][0-9]*", qid):
            raise KBError(str(path), line, f"not a Wikidata item id: {qid!r} (expected Q followed by digits)")
        if not name_key(label):
            raise KBError(str(path), line, f"label {label!r} has no letters or digits")
        kid = f"{prefix}:{name_key(label)}"
        if kid in seen_ids:
            raise KBError(str(path), line, f"duplicate id {kid!r}: line {seen_ids[kid]} has the same label")
        if qid and qid in seen_qids:
            raise KBError(str(path), line, f"duplicate Wikidata id {qid}: line {seen_qids[qid]} has it too")
        seen_ids[kid] = line
        if qid:
            seen_qids[qid] = line
        names = [a.strip() for a in row["aliases"].split("|") if a.strip()]
        aliases = tuple(a for a in names if not a.startswith("~"))
        lookup_only = tuple(a[1:].strip() for a in names if a.startswith("~") and a[1:].strip())
        entries.append(KBEntry(kid, label, cls, qid or None, aliases, row["country"] or None, lookup_only))
    return entries


def _countries() -> tuple[list[KBEntry], list[KBEntry], dict[str, str]]:
    entries: list[KBEntry] = []
    capitals: list[KBEntry] = []
    adjectives: dict[str, str] = {}
    known: set[str] = set()
    path = _kb_file("countries.csv")
    for line, row in _rows(path, ("iso2", "wikidata", "name", "aliases", "adjectives", "capital")):
        kid = f"country:{row['iso2']}"
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        entries.append(KBEntry(kid, row["name"], "Country", row["wikidata"] or None, aliases, row["iso2"]))
        for adj in row["adjectives"].split("|"):
            if adj:
                adjectives.setdefault(name_key(adj), kid)
        known.add(row["iso2"])
    for line, row in _rows(path, ("iso2", "capital", "capital_wikidata")):
        qid = row["capital_wikidata"]
        if qid and not re.fullmatch(r"Q[1-9][0-9]*", qid):
            raise KBError(str(path), line, f"not a Wikidata item id: {qid!r} (expected Q followed by digits)")
        if row["capital"]:  # a capital is a city of its own (entities.csv may say more about it)
            capitals.append(KBEntry(f"kb:{name_key(row['capital'])}", row["capital"], "City", qid or None, (),
                                    row["iso2"]))
    for country in pycountry.countries:
        if country.alpha_2 in known or country.alpha_2 in NOT_SOVEREIGN:
            continue
        names = {country.name, getattr(country, "common_name", country.name)}
        label = getattr(country, "common_name", None) or country.name
        entries.append(KBEntry(f"country:{country.alpha_2}", label, "Country", None,
                               tuple(sorted(names - {label})), country.alpha_2))
    return entries, capitals, adjectives


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """(capital KB id, country KB id): a capital names its government in 'Moscow said'."""
    pairs = {}
    for _, row in _rows(_kb_file("countries.csv"), ("iso2", "capital")):
        if row["capital"]:
            pairs[f"kb:{name_key(row['capital'])}"] = f"country:{row['iso2']}"
    return pairs


def load_kb(extra_files: Sequence[str | Path] = ()) -> KnowledgeBase:
    """The bundled KB plus the user's entity files (their rows may add names, not override ours)."""
    countries, capitals, adjectives = _countries()
    entries = countries + read_entities(_kb_file("entities.csv"), "kb")
    listed = {e.id for e in entries}
    entries += [c for c in capitals if c.id not in listed]
    for prefix, file in GENERATED_FILES.items():
        entries += read_entities(_kb_file(file), prefix)
    owner: dict[str, str] = {}
    for e in entries:  # the bundled files together: one entry per Wikidata item
        if e.wikidata and owner.setdefault(e.wikidata, e.id) != e.id:
            raise KBError(str(_kb_file("entities.csv")), 0,
                          f"Wikidata id {e.wikidata} is given to both {owner[e.wikidata]} and {e.id}")
    for i, extra in enumerate(extra_files):
        entries += read_entities(Path(extra), f"user{i}")
    names = {name_key(e.label): e.id for e in entries}
    for e in entries:
        for a in e.aliases:
            names.setdefault(name_key(a), e.id)
    offices = []
    path = _kb_file("offices.csv")
    for line, row in _rows(path, ("title", "of", "holder", "start", "end")):
        of, holder = names.get(name_key(row["of"])), names.get(name_key(row["holder"]))
        if of is None or holder is None:
            raise KBError(str(path), line, f"unknown entity {row['of']!r} or {row['holder']!r}")
        offices.append(Office(row["title"], of, holder, _date(row["start"], str(path), line),
                              _date(row["end"], str(path), line)))
    return KnowledgeBase(tuple(entries), tuple(offices), adjectives)


@lru_cache(maxsize=4)
def _cached_kb(extra: tuple[str, ...]) -> KnowledgeBase:
    return load_kb(extra)


def default_kb(extra_files: Sequence[str | Path] = ()) -> KnowledgeBase:
    """The KB, loaded once per process per set of extra files."""
    return _cached_kb(tuple(str(p) for p in extra_files))


def capital_of(kb: KnowledgeBase, entry: KBEntry) -> KBEntry | None:
    """The country whose capital this city is (for metonymy: 'Kyiv agreed' means Ukraine)."""
    country = _capitals().get(entry.id)
    return kb.by_id.get(country) if country else None


def is_capital_name(name: str) -> bool:
    """Whether a name is a national capital's (countries.csv): "Tehran" is a province's name too."""
    return f"kb:{name_key(name)}" in _capitals()
