"""Incremental, idempotent builds into a store: add, replace and remove articles.

What resolution needs is kept beside the graph, so a build never re-reads old articles:
the state database (`state.sqlite` in the store directory) holds, per article, its
identifier, content hash, the whole `Extraction` as JSON (to rebuild its graph when an
entity IRI changes) and a light copy without text (to re-run `resolve` over every article
in a second or two).  JSON of the dataclasses, written generically so new fields come
along; never pickle.

One commit (a chunk of new articles, or a removal) goes like this:

1. resolve(all articles after the commit) once, and compare with the resolution the store
   holds: which entity IRIs changed, which old articles point to changed IRIs;
2. the first transactions rewrite those old articles' graphs (200 per transaction) and the
   entity descriptions they need;
3. then one transaction per article: drop its previous version (same identifier, other
   hash) if any, insert its graph, add or delete the entity descriptions whose support
   changed with it.

Each transaction is atomic (Oxigraph; one SPARQL Update on a server), so Ctrl-C or a
crash leaves the store as it was before the article in flight, with every mention
pointing to a described entity.  The state database marks a commit as pending until its
last transaction; a store opened with a pending commit is reconciled first (re-resolve,
rewrite what differs), so resolution is exact again before anything else happens.
"""
from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import importlib
import json
import logging
import os
import sqlite3
import time
import typing
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, URIRef
from rdflib.namespace import PROV

from newsgraph.errors import InputError, StoreError
from newsgraph.extract.values import Extraction
from newsgraph.graph import iris
from newsgraph.graph.build import (
    BuildInfo,
    build_dataset,
    describe_build,
    describe_entities,
    new_dataset,
)
from newsgraph.graph.store import (
    Change,
    SparqlStore,
    Store,
    StoreDir,
    StoreLock,
    check_store_dir,
    is_remote,
)
from newsgraph.ontology import NG
from newsgraph.resolve import Resolution, ResolvedEntity, resolve

log = logging.getLogger(__name__)

STATE_FILE = "state.sqlite"
REWRITE_BATCH = 200  # older articles rewritten per transaction when resolution changes their entities
ARTICLE_PREFIX = iris.BASE + "article/"
SHARED_GRAPHS = {str(iris.ENTITIES_GRAPH), str(iris.BUILD_GRAPH), str(iris.ONTOLOGY_GRAPH)}
Triple = tuple[Any, Any, Any]


# ---------------------------------------------------------------------------- JSON codec


def encode(value: Any) -> Any:
    """A dataclass tree as JSON-ready data; each dataclass tagged with its class.

    >>> from newsgraph.extract.values import Sentence
    >>> encode(Sentence(0, 5, "Hello"))
    {'$': 'newsgraph.extract.values:Sentence', 'start': 0, 'end': 5, 'text': 'Hello'}
    """
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is tuple or kind is list:
        if all(type(v) in _PLAIN_TYPES for v in value):
            return list(value)
        return [encode(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"$": f"{kind.__module__}:{kind.__qualname__}"}
        for name in _field_names(kind):
            v = getattr(value, name)
            out[name] = v if type(v) in _PLAIN_TYPES else encode(v)
        return out
    if isinstance(value, enum.Enum):
        return {"$enum": f"{kind.__module__}:{kind.__qualname__}", "value": encode(value.value)}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [encode(v) for v in items]
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (str, int, float, bool)):
        return value
    raise StoreError(f"cannot store a {kind.__name__} value as JSON: {value!r}")


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


@functools.lru_cache(maxsize=256)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _resolve_class(tag: str) -> Any:
    module, _, qualname = tag.partition(":")
    if not module.startswith("newsgraph.") and module != "newsgraph":
        raise StoreError(f"refusing to load class {tag!r} from outside newsgraph")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        names = [f.name for f in dataclasses.fields(cls)]
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # noqa: BLE001 - an annotation that cannot be evaluated: fall back to tuples
            hints = {}
        _HINTS[cls] = {name: hints.get(name) for name in names}  # exactly the init fields
    return _HINTS[cls]


def _container(hint: Any) -> type:
    try:
        return _container_cached(hint)
    except TypeError:  # an unhashable annotation
        return _container_of(hint)


@functools.lru_cache(maxsize=1024)
def _container_cached(hint: Any) -> type:
    return _container_of(hint)


def _container_of(hint: Any) -> type:
    """list, set or frozenset when the annotation asks for one; tuple otherwise (frozen values)."""
    origin = typing.get_origin(hint)
    if origin in (list, set, frozenset, tuple):
        return origin  # type: ignore[no-any-return]
    if origin is typing.Union or str(origin) == "types.UnionType":
        for arg in typing.get_args(hint):
            if typing.get_origin(arg) in (list, set, frozenset, tuple) or arg in (list, set, frozenset, tuple):
                return typing.get_origin(arg) or arg  # type: ignore[no-any-return]
    if hint in (list, set, frozenset):
        return hint  # type: ignore[no-any-return]
    return tuple


def decode(data: Any, hint: Any = None) -> Any:
    """The inverse of `encode`: rebuild dataclasses, tuples and dicts.

    >>> from newsgraph.extract.values import Sentence
    >>> decode(encode(Sentence(0, 5, "Hello")))
    Sentence(start=0, end=5, text='Hello')
    """
    kind = type(data)
    if kind in _PLAIN_TYPES:
        return data
    if kind is dict and "$" in data:  # the common case first: a dataclass
        cls = _resolve_class(data["$"])
        hints = _hints(cls)
        kwargs = {}
        for k, v in data.items():
            if k in hints:
                kwargs[k] = v if type(v) in _PLAIN_TYPES else decode(v, hints[k])
        return cls(**kwargs)
    if isinstance(data, list):
        if all(type(v) in _PLAIN_TYPES for v in data):  # names, offsets
            return _container(hint)(data) if hint is not None else tuple(data)
        item_hint = None
        args = typing.get_args(hint) if hint is not None else ()
        if args:
            item_hint = args[0]
        items = [decode(v, item_hint) for v in data]
        return _container(hint)(items)
    if isinstance(data, dict):
        if "$" in data:
            cls = _resolve_class(data["$"])
            hints = _hints(cls)
            kwargs = {k: decode(v, hints.get(k)) for k, v in data.items() if k in hints}
            return cls(**kwargs)
        if "$enum" in data:
            return _resolve_class(data["$enum"])(decode(data["value"]))
        if "$dict" in data:
            return {_hashable(decode(k)): decode(v) for k, v in data["$dict"]}
    return data


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def extraction_json(extraction: Extraction) -> str:
    """The whole extraction as JSON, checked to read back equal (so a new field type the
    codec cannot carry is an error at write time, not a corrupt store later)."""
    text = json.dumps(encode(extraction), ensure_ascii=False, separators=(",", ":"))
    if decode(json.loads(text)) != extraction:
        raise StoreError(f"article {extraction.article.id}: its extraction does not survive a JSON "
                         "round trip; a new value type needs support in newsgraph.graph.incremental")
    return text


def light(extraction: Extraction) -> Extraction:
    """What resolution reads: the article without its text, and its local entities.

    Sentences, mentions and every other per-span list are dropped: they are 20x larger and
    resolution groups entities, it does not read spans.
    """
    changes: dict[str, Any] = {"article": dataclasses.replace(extraction.article, text="")}
    for f in dataclasses.fields(extraction):
        value = getattr(extraction, f.name)
        if f.name not in ("article", "entities") and isinstance(value, tuple):
            changes[f.name] = ()
    return dataclasses.replace(extraction, **changes)


# ---------------------------------------------------------------------------- state database


@dataclass(frozen=True)
class ArticleRecord:
    aid: str
    identifier: str
    content_hash: str


class StateDB:
    """Per-article extractions and identifiers, in SQLite beside the graph.

    Rows are content-addressed (article id = hash of the text) and written *before* the
    graph transaction that adds the article, so a row without a graph is only a cache (an
    interrupted build re-uses it instead of running spaCy again); the graph decides what
    is in the store.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS article (
                aid TEXT PRIMARY KEY, identifier TEXT NOT NULL, content_hash TEXT NOT NULL,
                model TEXT NOT NULL, light TEXT NOT NULL, full BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS article_identifier ON article(identifier);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS resolution (digest TEXT PRIMARY KEY, data BLOB NOT NULL);
            """
        )

    def save_resolution(self, resolution: Resolution, digest: str) -> None:
        """Keep the resolution of the store's articles: the next build starts from it instead of
        resolving every article again (half the cost of adding to a large store)."""
        position = {id(e): i for i, e in enumerate(resolution.entities)}
        doc = {"entities": [encode(e) for e in resolution.entities],
               "index": [[aid, key, position[id(e)]] for (aid, key), e in resolution.index.items()]}
        data = zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)
        self.db.execute("DELETE FROM resolution")
        self.db.execute("INSERT INTO resolution VALUES (?, ?)", (digest, data))

    def load_resolution(self, digest: str) -> Resolution | None:
        row = self.db.execute("SELECT data FROM resolution WHERE digest = ?", (digest,)).fetchone()
        if row is None:
            return None
        try:
            doc = json.loads(zlib.decompress(row[0]).decode("utf-8"))
            entities = tuple(decode(e) for e in doc["entities"])
            index = {(aid, key): entities[i] for aid, key, i in doc["index"]}
            return Resolution(entities=entities, index=index)
        except (StoreError, TypeError, ValueError, KeyError, IndexError):
            return None  # written by another version: resolve again

    def put(self, extraction: Extraction, model: str) -> None:
        a = extraction.article
        full = zlib.compress(extraction_json(extraction).encode("utf-8"), 6)
        lite = json.dumps(encode(light(extraction)), ensure_ascii=False, separators=(",", ":"))
        self.db.execute("INSERT OR REPLACE INTO article VALUES (?,?,?,?,?,?)",
                        (a.id, a.identifier, a.content_hash, model, lite, full))

    def delete(self, aids: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM article WHERE aid = ?", [(a,) for a in aids])

    def records(self) -> dict[str, ArticleRecord]:
        rows = self.db.execute("SELECT aid, identifier, content_hash FROM article")
        return {aid: ArticleRecord(aid, ident, h) for aid, ident, h in rows}

    def full(self, aid: str) -> Extraction:
        row = self.db.execute("SELECT full FROM article WHERE aid = ?", (aid,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no stored extraction for article {aid}")
        return decode(json.loads(zlib.decompress(row[0]).decode("utf-8")))  # type: ignore[no-any-return]

    def cached(self, aid: str, model: str) -> Extraction | None:
        row = self.db.execute("SELECT full FROM article WHERE aid = ? AND model = ?", (aid, model)).fetchone()
        if row is None:
            return None
        try:
            return decode(json.loads(zlib.decompress(row[0]).decode("utf-8")))  # type: ignore[no-any-return]
        except (StoreError, TypeError, ValueError):
            return None  # written by another version: extract again

    def lights(self, aids: Iterable[str]) -> dict[str, Extraction]:
        wanted = set(aids)
        out: dict[str, Extraction] = {}
        for aid, text in self.db.execute("SELECT aid, light FROM article"):
            if aid in wanted:
                out[aid] = decode(json.loads(text))
        return out

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def close(self) -> None:
        self.db.close()


@functools.lru_cache(maxsize=1)
def resolver_fingerprint() -> str:
    """A hash of the code resolution depends on: a saved resolution from other code is not reused."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for folder in ("resolve", "extract"):
        for path in sorted((root / folder).glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def resolution_digest(aids: Iterable[str]) -> str:
    text = resolver_fingerprint() + "\n" + "\n".join(sorted(aids))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------- graph pieces


def _entity_key(entity: ResolvedEntity) -> Any:
    try:
        hash(entity)
        return entity
    except TypeError:  # a resolver that puts lists or dicts in its values
        return repr(entity)


def entity_iri(entity: ResolvedEntity) -> URIRef:
    from newsgraph.graph.build import entity_node

    return entity_node(entity)


def describe(entities: Iterable[ResolvedEntity]) -> dict[URIRef, frozenset[Triple]]:
    """Entity description triples (as build.py writes them), grouped by entity IRI."""
    ds = new_dataset()
    chosen = list(entities)
    describe_entities(ds, Resolution(entities=tuple(chosen), index={}))
    out: dict[URIRef, set[Triple]] = defaultdict(set)
    for s, p, o in ds.graph(iris.ENTITIES_GRAPH):
        out[s].add((s, p, o))  # type: ignore[index]
    for e in chosen:
        out.setdefault(entity_iri(e), set())
    return {k: frozenset(v) for k, v in out.items()}


def article_graph(extraction: Extraction, resolution: Resolution, info: BuildInfo) -> list[tuple[Any, ...]]:
    """The quads of one article's named graph, exactly as a full build writes them."""
    return article_graphs([extraction], resolution, info).get(extraction.article.id, [])


def article_graphs(
    extractions: Sequence[Extraction], resolution: Resolution, info: BuildInfo
) -> dict[str, list[tuple[Any, ...]]]:
    """The quads of each article's named graph, by article id, from one `build_dataset` call
    (one call for many articles: the ontology and build graphs are made once, not per article)."""
    if not extractions:
        return {}
    used = {(ex.article.id, e.key) for ex in extractions for e in ex.entities}
    mine = tuple({id(resolution.index[k]): resolution.index[k] for k in used
                  if k in resolution.index}.values())
    ds = build_dataset(list(extractions), Resolution(entities=mine, index=resolution.index), info)
    out: dict[str, list[tuple[Any, ...]]] = {ex.article.id: [] for ex in extractions}
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = g.identifier if hasattr(g, "identifier") else g  # type: ignore[union-attr]
        aid = article_iri_of(str(name))
        if aid in out:
            out[aid].append((s, p, o, name))
        elif str(name) not in SHARED_GRAPHS:
            log.warning("build wrote to graph %s, which incremental builds do not manage", name)
    return out


def article_iri_of(graph_name: str) -> str | None:
    """The article id of an article graph IRI (None for other graphs)."""
    if graph_name.startswith(ARTICLE_PREFIX):
        rest = graph_name[len(ARTICLE_PREFIX):]
        if rest and "/" not in rest:
            return rest
    return None


def mapping(resolution: Resolution, aids: Iterable[str] | None = None) -> dict[str, dict[str, URIRef]]:
    """article id -> {local entity key -> entity IRI}."""
    wanted = set(aids) if aids is not None else None
    out: dict[str, dict[str, URIRef]] = defaultdict(dict)
    iri_of: dict[int, URIRef] = {}  # by object identity: hashing a big ResolvedEntity is not free
    for (aid, key), entity in resolution.index.items():
        if wanted is not None and aid not in wanted:
            continue
        k = id(entity)
        if k not in iri_of:
            iri_of[k] = entity_iri(entity)
        out[aid][key] = iri_of[k]
    return out


def changed_entities(old: Resolution, new: Resolution) -> tuple[list[ResolvedEntity], list[ResolvedEntity]]:
    """Entities of `old` not in `new`, and of `new` not in `old` (each hashed once)."""
    def index(res: Resolution) -> dict[Any, list[ResolvedEntity]]:
        out: dict[Any, list[ResolvedEntity]] = defaultdict(list)
        for e in res.entities:
            out[hash(_entity_key(e))].append(e)
        return out

    old_by, new_by = index(old), index(new)
    gone = [e for h, es in old_by.items() for e in es if e not in new_by.get(h, ())]
    came = [e for h, es in new_by.items() for e in es if e not in old_by.get(h, ())]
    return gone, came


# ---------------------------------------------------------------------------- results


@dataclass
class CommitStats:
    added: int = 0
    replaced: int = 0
    skipped: int = 0
    removed: int = 0
    rewritten: int = 0
    reused_extractions: int = 0
    entities: int = 0
    quads: int = 0
    seconds: float = 0.0
    resolve_seconds: float = 0.0  # loading the stored entities and resolving them all
    rewrite_seconds: float = 0.0  # rewriting older articles whose entities changed IRI
    problems: list[InputError] = field(default_factory=list)
    validation: Any = None


# ---------------------------------------------------------------------------- the store


class IncrementalStore:
    """A store opened for writing, with the state that makes builds incremental.

    >>> import tempfile
    >>> with IncrementalStore.open(tempfile.mkdtemp() + "/s") as inc:
    ...     sorted(inc.live)
    []
    """

    def __init__(self, store: Store, state: StateDB, lock: StoreLock | None, store_dir: StoreDir | None) -> None:
        self.store = store
        self.state = state
        self.lock = lock
        self.store_dir = store_dir
        graphs = store.graph_names()
        present = {aid for g in graphs if (aid := article_iri_of(g)) is not None}
        records = state.records()
        unknown = present - set(records)
        if unknown:
            raise StoreError(
                f"{store.location}: {len(unknown)} article graph(s) were not written by newsgraph's "
                f"incremental build (e.g. {min(unknown)}); refusing to change this store"
            )
        self.live: dict[str, ArticleRecord] = {aid: records[aid] for aid in present}
        self.has_ontology = str(iris.ONTOLOGY_GRAPH) in graphs
        self._lights: dict[str, Extraction] | None = None
        self._resolution: Resolution | None = None
        if state.get_meta("pending"):
            log.warning("%s: the last build was interrupted; reconciling the store", store.location)
            self.reconcile()

    # -- opening ------------------------------------------------------------

    @classmethod
    def open(cls, location: str | os.PathLike[str], *, state_dir: str | os.PathLike[str] | None = None
             ) -> IncrementalStore:
        """Open (or create) a store for writing: a directory, or an http(s) SPARQL server.

        A server's state lives in `state_dir` (default: ~/.local/state/newsgraph/<hash of url>).
        """
        if is_remote(location):
            url = str(location)
            sdir = Path(state_dir) if state_dir else (
                Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state"))
                / "newsgraph" / hashlib.sha256(url.encode()).hexdigest()[:16])
            check_store_dir(sdir, create=True)
            lock = StoreLock(sdir, exclusive=True).acquire()
            try:
                return cls(SparqlStore(url), StateDB(sdir / STATE_FILE), lock, None)
            except BaseException:
                lock.release()
                raise
        sd = StoreDir.open(location, write=True)
        try:
            return cls(sd.store, StateDB(sd.path / STATE_FILE), None, sd)
        except BaseException:
            sd.close()
            raise

    def close(self) -> None:
        self.state.close()
        if self.store_dir is not None:
            self.store_dir.close()
        if self.lock is not None:
            self.lock.release()

    def __enter__(self) -> IncrementalStore:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what the store holds ---------------------------------------------------

    def lights(self) -> dict[str, Extraction]:
        if self._lights is None:
            self._lights = self.state.lights(self.live)
            missing = set(self.live) - set(self._lights)
            if missing:
                raise StoreError(f"{self.store.location}: no stored extraction for {len(missing)} article(s)")
        return self._lights

    def resolution(self) -> Resolution:
        """The resolution of every article in the store (what its entity graph describes)."""
        if self._resolution is None:
            cached = self.state.load_resolution(resolution_digest(self.live))
            if cached is None:
                lights = self.lights()
                cached = resolve([lights[a] for a in sorted(lights)])
            self._resolution = cached
        return self._resolution

    def find(self, ref: str) -> list[str]:
        """Article ids for an id, an article IRI, or an identifier (file path or URL)."""
        ref = ref.strip().strip("<>")
        aid = article_iri_of(ref) or ref
        if aid in self.live:
            return [aid]
        matches = [a for a, r in self.live.items() if r.identifier == ref]
        if not matches:
            resolved = str(Path(ref).resolve()) if not is_remote(ref) else ref
            matches = [a for a, r in self.live.items()
                       if not is_remote(r.identifier) and str(Path(r.identifier).resolve()) == resolved]
        return sorted(matches)

    # -- committing ---------------------------------------------------------------

    def commit(
        self,
        new: Sequence[Extraction],
        remove: Iterable[str] = (),
        *,
        info: BuildInfo,
        model: str = "",
        on_step: Callable[[str], None] | None = None,
    ) -> CommitStats:
        """Add `new` articles (replacing live ones with the same identifier) and remove `remove`.

        Articles whose content is already in the store are skipped.
        """
        started = time.perf_counter()
        stats = CommitStats()
        by_identifier = {r.identifier: aid for aid, r in self.live.items()}
        to_add: list[tuple[Extraction, str | None]] = []
        seen: set[str] = set()
        for ex in sorted(new, key=lambda e: e.article.id):
            aid = ex.article.id
            if aid in self.live or aid in seen:
                stats.skipped += 1
                continue
            seen.add(aid)
            old = by_identifier.get(ex.article.identifier)
            to_add.append((ex, old if old is not None and old != aid else None))
        removing = sorted(set(remove) & set(self.live))
        replaced = {old for _, old in to_add if old is not None}
        if not to_add and not removing:
            stats.seconds = round(time.perf_counter() - started, 2)
            return stats

        for ex, _ in to_add:  # rows first: a row without a graph is only a cache
            self.state.put(ex, model)
        clock = time.perf_counter()
        old_res = self.resolution()
        lights = dict(self.lights())
        gone = set(removing) | replaced
        after = {a: e for a, e in lights.items() if a not in gone}
        for ex, _ in to_add:
            after[ex.article.id] = light(ex)
        new_res = resolve([after[a] for a in sorted(after)])
        stats.resolve_seconds = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()
        self.state.set_meta("pending", json.dumps({"started": time.time()}))

        plan = _Plan(self, old_res, new_res)
        # transaction 0: old articles whose entities changed IRI, and the build activity
        affected = plan.affected_articles(set(self.live) - gone)
        change = Change()
        if to_add:
            activity = _activity_quads(info, [ex.article.id for ex, _ in to_add])
            change.insert.extend(q for q in activity if q[1] != PROV.used)
        if not self.has_ontology:
            change.insert.extend(_ontology_quads())
        # rewrites in batches: each batch is one transaction that leaves every mention pointing
        # to a described entity, and memory stays bounded when thousands of articles change
        for start in range(0, max(1, len(affected)), REWRITE_BATCH):
            batch = affected[start:start + REWRITE_BATCH]
            rewritten = article_graphs([self.state.full(aid) for aid in batch], new_res, info)
            for aid in batch:
                change.drop_graphs.append(iris.article_iri(aid))
                change.insert.extend(rewritten[aid])
                plan.set_refs(aid, plan.new_map.get(aid, {}))
            plan.entity_changes(change)
            self.store.apply(change)
            change = Change()
        self.has_ontology = True
        stats.rewritten = len(affected)
        stats.rewrite_seconds = round(time.perf_counter() - clock, 2)
        if on_step:
            on_step("rewrote")
        # one transaction per article
        used = {q[2]: q for q in (activity if to_add else []) if q[1] == PROV.used}
        graphs = article_graphs([ex for ex, _ in to_add], new_res, info)
        for ex, old in to_add:
            aid = ex.article.id
            change = Change()
            if old is not None:
                change.drop_graphs.append(iris.article_iri(old))
                change.delete.extend(self._activity_links(old))
                plan.set_refs(old, {})
            quads = graphs.pop(aid)
            change.insert.extend(quads)
            change.insert.append(used[iris.article_iri(aid)])
            plan.set_refs(aid, plan.new_map.get(aid, {}))
            plan.entity_changes(change)
            self.store.apply(change)
            self.live[aid] = ArticleRecord(aid, ex.article.identifier, ex.article.content_hash)
            if old is not None:
                self.live.pop(old, None)
                self.state.delete([old])
                stats.replaced += 1
            else:
                stats.added += 1
            stats.quads += len(quads)
            if on_step:
                on_step(aid)
        for aid in removing:
            change = Change(drop_graphs=[iris.article_iri(aid)], delete=self._activity_links(aid))
            plan.set_refs(aid, {})
            plan.entity_changes(change)
            self.store.apply(change)
            self.live.pop(aid, None)
            self.state.delete([aid])
            stats.removed += 1
        self._lights = after
        self._resolution = new_res
        self.state.save_resolution(new_res, resolution_digest(self.live))
        self.state.set_meta("pending", None)
        stats.entities = len(new_res.entities)
        stats.seconds = round(time.perf_counter() - started, 2)
        return stats

    def _activity_links(self, aid: str) -> list[tuple[Any, ...]]:
        article = iris.article_iri(aid)
        rows = self.store.query(f"SELECT ?act ?a WHERE {{ GRAPH <{iris.BUILD_GRAPH}> {{ ?act <{PROV.used}> ?a }} }}",
                                {"a": article}).rows
        return [(row[0], PROV.used, article, iris.BUILD_GRAPH) for row in rows]

    # -- repair -------------------------------------------------------------------

    def reconcile(self) -> int:
        """Make the store agree with resolve(its articles) again, after an interrupted commit.

        Reads what the store actually holds (which entity each article's mentions attest,
        and the whole entity graph), so it is exact whatever step was interrupted.
        Returns the number of article graphs rewritten.
        """
        self._lights = None
        self._resolution = None
        res = self.resolution()
        expected = mapping(res)
        attested: dict[str, set[str]] = defaultdict(set)
        rows = self.store.query(
            f"SELECT ?g ?e WHERE {{ GRAPH ?g {{ ?m <{NG.attests}> ?e ; a <{NG.Mention}> }} }}"
        ).rows
        for g, e in rows:
            aid = article_iri_of(str(g))
            if aid is not None:
                attested[aid].add(str(e))
        info = BuildInfo(version="reconcile", model="", settings={})
        rewritten = 0
        for aid in sorted(self.live):
            want = {str(i) for i in expected.get(aid, {}).values()}
            if not attested[aid] <= want:
                extraction = self.state.full(aid)
                change = Change(drop_graphs=[iris.article_iri(aid)],
                                insert=article_graph(extraction, res, info))
                self.store.apply(change)
                rewritten += 1
        current = {(s, p, o) for s, p, o, _ in self.store.triples(iris.ENTITIES_GRAPH)}
        wanted = {t for triples in describe(res.entities).values() for t in triples}
        g = iris.ENTITIES_GRAPH
        self.store.apply(Change(delete=[(*t, g) for t in current - wanted],
                                insert=[(*t, g) for t in wanted - current]))
        self.state.save_resolution(res, resolution_digest(self.live))
        self.state.set_meta("pending", None)
        return rewritten


def _activity_quads(info: BuildInfo, aids: Sequence[str]) -> list[tuple[Any, ...]]:
    ds = new_dataset()
    describe_build(ds, info, list(aids))
    return [(s, p, o, iris.BUILD_GRAPH) for s, p, o in ds.graph(iris.BUILD_GRAPH)]


def _ontology_quads() -> list[tuple[Any, ...]]:
    from newsgraph.graph.build import include_ontology

    ds = new_dataset()
    include_ontology(ds)
    return [(s, p, o, iris.ONTOLOGY_GRAPH) for s, p, o in ds.graph(iris.ONTOLOGY_GRAPH)]


class _Plan:
    """Which entity descriptions the store must hold at each step of a commit.

    Only entities that differ between the old and the new resolution ("touched") can
    change: an unchanged ResolvedEntity has the same members, so the same articles point
    to it before, during and after the commit.  A touched IRI is described while at least
    one article graph in the store points to it; its description is the new resolution's
    when the IRI exists there, else the old one's (an entity that only a not-yet-replaced
    article still supports).
    """

    def __init__(self, inc: IncrementalStore, old: Resolution, new: Resolution) -> None:
        self.old_map = mapping(old, inc.live)
        self.new_map = mapping(new)
        self.refs: dict[URIRef, set[str]] = defaultdict(set)
        self.article_refs: dict[str, set[URIRef]] = {}
        for aid, keys in self.old_map.items():
            targets = set(keys.values())
            self.article_refs[aid] = targets
            for iri in targets:
                self.refs[iri].add(aid)
        gone, came = changed_entities(old, new)
        self.touched = {entity_iri(e) for e in gone} | {entity_iri(e) for e in came}
        self.old_desc = describe(e for e in old.entities if entity_iri(e) in self.touched)
        self.new_desc = describe(e for e in new.entities if entity_iri(e) in self.touched)
        self.new_iris = {entity_iri(e) for e in new.entities}
        # the store starts consistent with the old resolution
        self.current: dict[URIRef, frozenset[Triple]] = dict(self.old_desc)
        self.pending: set[URIRef] = set(self.touched)

    def affected_articles(self, keep: set[str]) -> list[str]:
        """Articles staying in the store whose entities change IRI: their graphs are rewritten."""
        return sorted(a for a in keep if self.old_map.get(a, {}) != self.new_map.get(a, {}))

    def set_refs(self, aid: str, keys: dict[str, URIRef]) -> None:
        before = self.article_refs.get(aid, set())
        after = set(keys.values())
        for iri in before - after:
            self.refs[iri].discard(aid)
        for iri in after - before:
            self.refs[iri].add(aid)
        self.article_refs[aid] = after
        self.pending |= (before ^ after) & self.touched

    def _desired(self, iri: URIRef) -> frozenset[Triple]:
        if not self.refs.get(iri):
            return frozenset()
        if iri in self.new_iris:
            return self.new_desc.get(iri, frozenset())
        return self.old_desc.get(iri, frozenset())

    def entity_changes(self, change: Change) -> None:
        """Add to `change` the description edits for the IRIs whose support changed."""
        g = iris.ENTITIES_GRAPH
        for iri in sorted(self.pending):
            have = self.current.get(iri, frozenset())
            want = self._desired(iri)
            if have != want:
                change.delete.extend((*t, g) for t in have - want)
                change.insert.extend((*t, g) for t in want - have)
                self.current[iri] = want
        self.pending = set()


# ---------------------------------------------------------------------------- builds


def build_into_store(
    paths: Sequence[str | os.PathLike[str]],
    location: str | os.PathLike[str],
    *,
    n_process: int = 1,
    batch_size: int = 16,
    commit_every: int = 500,
    check_shapes: bool = True,
    state_dir: str | os.PathLike[str] | None = None,
    kb_files: Sequence[str | os.PathLike[str]] = (),
    on_problem: Callable[[InputError], None] | None = None,
    on_articles_read: Callable[[int], None] | None = None,
    on_article: Callable[[str], None] | None = None,
) -> CommitStats:
    """Add the articles under `paths` to the store at `location` (created if needed).

    Unchanged articles (same content hash) are skipped before spaCy runs; an article whose
    identifier is in the store with another hash replaces it.  Articles are extracted in
    chunks of `commit_every`, and each chunk is resolved once and committed article by
    article (see the module docstring).
    """
    from newsgraph import __version__
    from newsgraph.api import read_unique
    from newsgraph.extract.pipeline import extract_articles, load_pipeline, model_description

    started = time.perf_counter()
    total = CommitStats()
    with IncrementalStore.open(location, state_dir=state_dir) as inc:
        articles = read_unique(paths, total.problems)
        for problem in total.problems:
            if on_problem:
                on_problem(problem)
        fresh = [a for a in articles if a.id not in inc.live]
        total.skipped = len(articles) - len(fresh)
        if on_articles_read:
            on_articles_read(len(fresh))
        if not fresh:
            total.entities = len(inc.resolution().entities) if inc.live else 0
            total.seconds = round(time.perf_counter() - started, 2)
            return total
        kb = tuple(str(k) for k in kb_files)
        nlp = load_pipeline(None, kb) if kb else load_pipeline()
        kb_hash = hashlib.sha256(b"".join(Path(k).read_bytes() for k in kb)).hexdigest()[:12] if kb else "-"
        model = f"newsgraph {__version__}; {model_description(nlp)}; kb {kb_hash}"
        info = BuildInfo(version=__version__, model=model_description(nlp),
                         settings={"extractors": list(nlp.pipe_names)})
        validations = []
        for start in range(0, len(fresh), max(1, commit_every)):
            chunk = fresh[start:start + max(1, commit_every)]
            done: dict[str, Extraction] = {}
            todo = []
            for article in chunk:
                cached = inc.state.cached(article.id, model)
                if cached is not None and cached.article == article:
                    done[article.id] = cached
                    total.reused_extractions += 1
                    if on_article:
                        on_article(article.id)
                else:
                    todo.append(article)
            kwargs: dict[str, Any] = {"kb_files": kb} if kb else {}
            for extraction in extract_articles(todo, n_process=n_process, batch_size=batch_size, **kwargs):
                inc.state.put(extraction, model)
                done[extraction.article.id] = extraction
                if on_article:
                    on_article(extraction.article.id)
            extractions = [done[a.id] for a in chunk]
            stats = inc.commit(extractions, info=info, model=model)
            for name in ("added", "replaced", "rewritten", "quads"):
                setattr(total, name, getattr(total, name) + getattr(stats, name))
            total.entities = stats.entities
            if check_shapes:
                validations.append(_validate_articles(inc, extractions, info))
        if check_shapes:
            total.validation = _merge_reports(validations)
    total.seconds = round(time.perf_counter() - started, 2)
    return total


def _validate_articles(inc: IncrementalStore, extractions: Sequence[Extraction], info: BuildInfo) -> Any:
    """SHACL on what this chunk added: its article graphs and the entities they name.

    Checked on the graph as built, not as read back: Oxigraph stores integer subtypes
    (xsd:nonNegativeInteger) as xsd:integer, which the shapes would flag.
    """
    from newsgraph.graph.validate import validate

    res = inc.resolution()
    ds = Dataset()
    targets: set[URIRef] = set()
    for ex in extractions:
        for s, p, o, g in article_graph(ex, res, info):
            ds.add((s, p, o, g))  # type: ignore[arg-type]
            if p == NG.attests:
                targets.add(o)  # type: ignore[arg-type]
    chosen = [e for e in res.entities if entity_iri(e) in targets]
    for triples in describe(chosen).values():
        for s, p, o in triples:
            ds.add((s, p, o, iris.ENTITIES_GRAPH))  # type: ignore[arg-type]
    return validate(ds)


def _merge_reports(reports: list[Any]) -> Any:
    from newsgraph.graph.validate import ValidationReport

    violations = tuple(v for r in reports for v in r.violations)
    return ValidationReport(conforms=all(r.conforms for r in reports), violations=violations)


def remove_from_store(
    location: str | os.PathLike[str], refs: Sequence[str], *, state_dir: str | os.PathLike[str] | None = None
) -> CommitStats:
    """Take articles out (by id, article IRI or identifier); entities only they supported go too."""
    from newsgraph import __version__

    with IncrementalStore.open(location, state_dir=state_dir) as inc:
        aids: list[str] = []
        for ref in refs:
            found = inc.find(ref)
            if not found:
                raise StoreError(f"{ref}: no such article in {location} (give its id, IRI or "
                                 "the file path/URL it was built from)")
            aids.extend(found)
        info = BuildInfo(version=__version__, model="", settings={})
        return inc.commit([], aids, info=info)


def iter_live(location: str | os.PathLike[str]) -> Iterator[ArticleRecord]:
    """The articles a store directory holds (for `newsgraph stats`-like listings)."""
    with IncrementalStore.open(location) as inc:
        yield from sorted(inc.live.values(), key=lambda r: r.identifier)


__all__ = [
    "ArticleRecord",
    "CommitStats",
    "IncrementalStore",
    "StateDB",
    "build_into_store",
    "decode",
    "encode",
    "remove_from_store",
]
