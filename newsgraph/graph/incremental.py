"""Incremental, idempotent builds into a store: add, replace and remove articles.

What the graph derives from is kept beside it, so a build never re-reads old articles:
the state database (`state.sqlite` in the store directory) holds, per article, its
identifier, content hash, the whole `Extraction` as JSON (to rebuild its graph), a light
copy without text, sentences or mentions (`build.light`: what resolution and the shared
graphs read), and the IRIs its graph points to ("pointers", see `names.py`).  JSON of the
dataclasses, written generically so new fields come along; never pickle.

The store holds what a one-shot `build_dataset` of the same articles would write, except
that an IRI once published stays (`names.assign_names` with the stored pointers): a new
article that changes a label vote or joins a group renames nothing.  One commit (a chunk
of new articles, or a removal) goes like this:

1. resolve entities and events over the light copies of all articles after the commit,
   name them keeping the stored pointers, and compute what the shared graphs (every graph
   drawn from more than one article) say, as plain statements (`shared_statements`); the
   descriptions whose digest differs from the one recorded in the state database are all
   that changes there (see `graph.shared`);
2. the first transactions replace the changed descriptions and rewrite the older articles
   whose pointers changed (merged or split groups; 200 per transaction);
3. then one transaction per article: drop its previous version (same identifier, other
   hash) if any, insert its graph;
4. last, the removals and the descriptions no article supports any more.

Each transaction is atomic (Oxigraph; one SPARQL Update on a server), so Ctrl-C or a
crash leaves the store as it was before the article in flight, with every article
pointing to described entities and events.  The state database marks a commit as pending
until its last transaction; a store opened with a pending commit is reconciled first
(re-resolve, compare the graphs themselves, rewrite what differs, record the digests
again), so it is exact again before anything else happens.

Garbage collection is paused during a commit: loading 10,000 light copies makes a million
small objects, and the collector's repeated scans of them cost more than the work itself.
What survives the commit (the store's resolved world, kept for validation and the next
commit) is then frozen (`gc.freeze`), or the first collection after it would scan all of it
once more (0.8 s at 10,000 articles).  These are acyclic values, which reference counting
frees when the next commit replaces them.
"""
from __future__ import annotations

import dataclasses
import enum
import functools
import gc
import hashlib
import importlib
import inspect
import json
import logging
import os
import sqlite3
import time
import typing
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import PROV, RDF

from newsgraph.errors import InputError, StoreError
from newsgraph.extract.limits import DEFAULT_LIMITS, Limits
from newsgraph.extract.values import Extraction
from newsgraph.graph import iris
from newsgraph.graph.build import (
    ArticleGraphWriter,
    BuildInfo,
    describe_build,
    include_ontology,
    light,
    new_dataset,
    shared_statements,
)
from newsgraph.graph.names import Names, Pointers, assign_names, pointers_of
from newsgraph.graph.packed import SCHEMA, pack, scalar_hint, unpack
from newsgraph.graph.shared import SharedStatements
from newsgraph.graph.sources import Backing, Touched, backing_under
from newsgraph.graph.store import (
    Change,
    SparqlStore,
    Store,
    StoreDir,
    StoreLock,
    check_store_dir,
    from_ox,
    is_remote,
    PENDING_FILE,
    mark_pending,
    ox_quad,
)
from newsgraph.ontology import NG
from newsgraph.resolve import Resolution, resolve
from newsgraph.resolve.events import EventResolution, resolve_events

log = logging.getLogger(__name__)

STATE_FILE = "state.sqlite"
REWRITE_BATCH = 200  # older articles rewritten per transaction when their entities or events change IRI
LIGHT_VERSION = f"3-{SCHEMA}"  # bump when `light` keeps more; SCHEMA changes with the fields (`packed`)
SHARED_VERSION = "2"  # bump when `graph.shared` digests change meaning: the next commit compares graphs
ARTICLE_PREFIX = iris.BASE + "article/"
NAMED_PREFIXES = (iris.BASE + "entity/", iris.BASE + "event/")  # IRIs that `names` assigns
Quad = tuple[Any, Any, Any, Any]


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


@functools.lru_cache(maxsize=256)
def _resolve_class(tag: str) -> Any:
    """The class a tag names (cached: a store decodes every article's light copy on each commit)."""
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

    A store decodes every article's light copy on each commit, so the work that depends on
    the annotation alone (which container, which item annotation, which field decoders) is
    done once per annotation and class by `_decoder` and `_class_decoder`, not per value.

    >>> from newsgraph.extract.values import Sentence
    >>> decode(encode(Sentence(0, 5, "Hello")))
    Sentence(start=0, end=5, text='Hello')
    """
    return _decoder(hint)(data)


Decoder = Callable[[Any], Any]
_DECODERS: dict[Any, Decoder] = {}  # annotation -> its decoder
_CLASS_DECODERS: dict[str, Decoder] = {}  # class tag -> the decoder of its dataclass


def _decoder(hint: Any) -> Decoder:
    """The decoder of values annotated `hint` (None: no annotation)."""
    try:
        return _DECODERS[hint]
    except KeyError:
        _DECODERS[hint] = decoder = _compile(hint)
        return decoder
    except TypeError:  # an unhashable annotation
        return _compile(hint)


def _compile(hint: Any) -> Decoder:
    """A decoder for `hint`: plain values as they are, dataclasses by their tag, lists as the
    container the annotation asks for (items by its first argument); the rest as `_decode_other`."""
    container = _container(hint)
    args = typing.get_args(hint) if hint is not None else ()
    item_hint = args[0] if args else None  # its decoder looked up per list: None's items are None's

    def decode_value(data: Any) -> Any:
        kind = type(data)
        if kind in _PLAIN_TYPES:
            return data
        if kind is dict and "$" in data:
            return _class_decoder(data["$"])(data)
        if kind is list:
            if _PLAIN_TYPES.issuperset(map(type, data)):  # names, offsets
                return container(data)
            item = _decoder(item_hint)
            return container([item(v) for v in data])
        return _decode_other(data, hint)

    return decode_value


def _decode_other(data: Any, hint: Any) -> Any:
    """What JSON does not give (list and dict subclasses), enums and dicts."""
    if isinstance(data, list):
        return _container(hint)([decode(v, typing.get_args(hint)[0] if typing.get_args(hint) else None)
                                 for v in data])
    if isinstance(data, dict):
        if "$" in data:
            return _class_decoder(data["$"])(data)
        if "$enum" in data:
            return _resolve_class(data["$enum"])(decode(data["value"]))
        if "$dict" in data:
            return {_hashable(decode(k)): decode(v) for k, v in data["$dict"]}
    return data


def _class_decoder(tag: str) -> Decoder:
    """The decoder of the dataclass a tag names (only classes of newsgraph: `_resolve_class`)."""
    try:
        return _CLASS_DECODERS[tag]
    except KeyError:
        _CLASS_DECODERS[tag] = decoder = _compile_class(_resolve_class(tag))
        return decoder


def _compile_class(cls: type) -> Decoder:
    """Decode the fields the JSON has (others it may have, from older versions, are dropped) by
    their annotations.  With all fields, an instance of a plain dataclass (`_plain_init`) gets
    them without its generated __init__, which would only copy them one by one: the JSON object
    itself becomes its __dict__, after decoding only the fields that can hold more than a plain
    value (`packed.scalar_hint`); otherwise cls(**fields), so that missing fields take their
    defaults as they always did."""
    hints = _hints(cls)
    fields = tuple((name, _decoder(hint)) for name, hint in hints.items())
    nested = tuple((name, decode_field) for name, decode_field in fields if not scalar_hint(hints[name]))
    plain = _plain_init(cls)
    exact = frozenset(hints) | {"$"}
    new = object.__new__
    set_attr = object.__setattr__

    def decode_class(data: dict[str, Any]) -> Any:
        if plain and data.keys() == exact:
            own = data.copy()
            del own["$"]
            for name, decode_field in nested:
                v = own[name]
                if type(v) not in _PLAIN_TYPES:
                    own[name] = decode_field(v)
            obj: Any = new(cls)
            set_attr(obj, "__dict__", own)
            return obj
        kwargs = {}
        for name, decode_field in fields:
            if name in data:
                v = data[name]
                kwargs[name] = v if type(v) in _PLAIN_TYPES else decode_field(v)
        return cls(**kwargs)

    return decode_class


def _plain_init(cls: type) -> bool:
    """Whether cls(**fields) only sets each field: a dataclass with the __init__ dataclasses
    wrote (compiled from a string: not one written by hand), taking exactly its fields, with no
    __post_init__ and no slots (so instances have a __dict__).  When unsure: False, the slow way."""
    init: Any = getattr(cls, "__init__", None)
    code = getattr(init, "__code__", None)
    if code is None or code.co_filename != "<string>":
        return False
    try:
        params = list(inspect.signature(init).parameters)[1:]  # without self
    except (TypeError, ValueError):
        return False
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    return (params == [f.name for f in fields] and all(f.init for f in fields)
            and not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__"))


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


def light_json(extraction: Extraction) -> str:
    """The light copy a store keeps of an article (`build.light`), packed (`packed`)."""
    return _json(pack(light(extraction), Extraction))


def unpack_light(data: Any) -> Extraction:
    """The light copy `light_json` packed."""
    return unpack(data, Extraction)  # type: ignore[no-any-return]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------------------- state database


@dataclass(frozen=True)
class ArticleRecord:
    aid: str
    identifier: str
    content_hash: str


class StateDB:
    """Per-article extractions, identifiers and published IRIs, in SQLite beside the graph.

    Rows are content-addressed (article id = hash of the text) and written *before* the
    graph transaction that adds the article, so a row without a graph is only a cache (an
    interrupted build re-uses it instead of running spaCy again); the graph decides what
    is in the store.  The `pointers` table holds, per article, the IRI each of its local
    entities and events points to: what the next resolution must keep (`names.assign_names`).
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
            CREATE TABLE IF NOT EXISTS pointers (aid TEXT PRIMARY KEY, data TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS backing (aid TEXT PRIMARY KEY, data TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS shared (
                graph TEXT NOT NULL, subject TEXT NOT NULL, digest TEXT NOT NULL,
                PRIMARY KEY (graph, subject)) WITHOUT ROWID;
            DROP TABLE IF EXISTS resolution;
            """
        )
        if self.get_meta("light") != LIGHT_VERSION:
            self._renew_lights()

    def _renew_lights(self) -> None:
        """Light copies written by an older version lack what `light` keeps now: remake them."""
        for (aid,) in self.db.execute("SELECT aid FROM article").fetchall():
            self.db.execute("UPDATE article SET light = ? WHERE aid = ?",
                            (light_json(self.full(aid)), aid))
        self.set_meta("light", LIGHT_VERSION)

    def put(self, extraction: Extraction, model: str) -> None:
        a = extraction.article
        full = zlib.compress(extraction_json(extraction).encode("utf-8"), 6)
        self.db.execute("INSERT OR REPLACE INTO article VALUES (?,?,?,?,?,?)",
                        (a.id, a.identifier, a.content_hash, model, light_json(extraction), full))

    def delete(self, aids: Iterable[str]) -> None:
        rows = [(a,) for a in aids]
        self.db.executemany("DELETE FROM article WHERE aid = ?", rows)
        self.db.executemany("DELETE FROM pointers WHERE aid = ?", rows)
        self.db.executemany("DELETE FROM backing WHERE aid = ?", rows)

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
                out[aid] = unpack_light(json.loads(text))
        return out

    def pointers(self, aids: Iterable[str]) -> Pointers:
        """What the graphs of `aids` point to (articles with no row yet are left out)."""
        wanted = set(aids)
        return {aid: {(kind, local): iri for kind, local, iri in json.loads(data)}
                for aid, data in self.db.execute("SELECT aid, data FROM pointers") if aid in wanted}

    def put_pointers(self, pointers: Pointers) -> None:
        rows = [(aid, _json(sorted([kind, local, iri] for (kind, local), iri in p.items())))
                for aid, p in pointers.items()]
        self.db.executemany("INSERT OR REPLACE INTO pointers VALUES (?, ?)", rows)

    def backings(self, aids: Iterable[str]) -> dict[str, Backing]:
        """What each of `aids` backs under its pointers (`sources.backed`); articles written by
        an older version have no row (their backing is computed again)."""
        wanted = set(aids)
        return {aid: tuple(json.loads(data))  # type: ignore[misc]
                for aid, data in self.db.execute("SELECT aid, data FROM backing") if aid in wanted}

    def put_backings(self, backings: Mapping[str, Backing]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO backing VALUES (?, ?)",
                            [(aid, _json(list(b))) for aid, b in backings.items()])

    def shared_digests(self) -> dict[tuple[str, str], str] | None:
        """The digest of every description in the store's shared graphs (None: not recorded, or
        recorded by another version; the next commit compares the graphs themselves)."""
        if self.get_meta("shared") != SHARED_VERSION:
            return None
        return {(g, s): d for g, s, d in self.db.execute("SELECT graph, subject, digest FROM shared")}

    def put_shared_digests(self, digests: Mapping[tuple[Any, Any], str],
                           gone: Iterable[tuple[str, str]] = (), *, complete: bool = False) -> None:
        """Record digests by (graph, subject) (`complete`: these are all of them, replacing the table)."""
        if complete:
            self.db.execute("DELETE FROM shared")
        self.db.executemany("DELETE FROM shared WHERE graph = ? AND subject = ?", list(gone))
        self.db.executemany("INSERT OR REPLACE INTO shared VALUES (?, ?, ?)",
                            [(str(g), str(s), d) for (g, s), d in digests.items()])
        if complete:
            self.set_meta("shared", SHARED_VERSION)

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


# ---------------------------------------------------------------------------- graph pieces


@dataclass(frozen=True)
class World:
    """What a store's graphs derive from, beyond each article's own extraction: the resolution
    of all its articles, their events, the IRIs of both, and what each article points to."""

    resolution: Resolution
    events: EventResolution
    names: Names
    pointers: Pointers

    @classmethod
    def of(cls, lights: dict[str, Extraction], previous: Pointers) -> World:
        """Resolve the (light) extractions of every article, keeping the IRIs `previous` gives."""
        ordered = [lights[a] for a in sorted(lights)]
        resolution = resolve(ordered)
        events = resolve_events(ordered, resolution)
        names = assign_names(resolution, events, previous)
        return cls(resolution, events, names, pointers_of(resolution, events, names))


def article_graphs(extractions: Sequence[Extraction], world: World) -> dict[str, list[Quad]]:
    """The quads of each article's named graph, by article id, exactly as a full build writes them."""
    out: dict[str, list[Quad]] = {}
    for extraction in extractions:
        triples: set[Any] = set()
        ArticleGraphWriter(triples, extraction, world.resolution, world.events, world.names).write()
        graph = iris.article_iri(extraction.article.id)
        out[extraction.article.id] = [(s, p, o, graph) for s, p, o in triples]
    return out


def statements_of(world: World, lights: dict[str, Extraction], touched: Touched | None = None,
                  backings: Mapping[str, Backing] | None = None) -> SharedStatements:
    """What the shared graphs say for these articles (`describe_shared`), not rendered yet
    (`touched`: only the support counts a commit may change; see `sources.Touched`)."""
    return shared_statements([lights[a] for a in sorted(lights)], world.resolution, world.events, world.names,
                             touched, backings)



def canonical(quads: Iterable[Quad]) -> set[Quad]:
    """Quads as Oxigraph stores them: it canonicalizes literals ("0.70" -> 0.7), so compare like with like."""
    mem = ox.Store()
    mem.extend(ox_quad(q) for q in quads)
    return {(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name))  # type: ignore
            for q in mem}


def article_iri_of(graph_name: str) -> str | None:
    """The article id of an article graph IRI (None for other graphs)."""
    if graph_name.startswith(ARTICLE_PREFIX):
        rest = graph_name[len(ARTICLE_PREFIX):]
        if rest and "/" not in rest:
            return rest
    return None


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
    shared_changes: int = 0  # descriptions written or cleared in the shared graphs (quads if compared whole)
    seconds: float = 0.0
    resolve_seconds: float = 0.0  # loading every article's light copy and resolving them all
    rewrite_seconds: float = 0.0  # rewriting older articles whose entities or events changed IRI
    problems: list[InputError] = field(default_factory=list)
    validation: Any = None


# ---------------------------------------------------------------------------- the store


F = typing.TypeVar("F", bound=Callable[..., Any])


def _without_gc(method: F) -> F:
    """Run `method` with the garbage collector paused (see the module docstring)."""
    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        if not gc.isenabled():
            return method(*args, **kwargs)
        gc.disable()
        try:
            return method(*args, **kwargs)
        finally:
            gc.freeze()
            gc.enable()
    return run  # type: ignore[return-value]


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
        self._world: World | None = None
        self._statements: SharedStatements | None = None
        if state.get_meta("pending") or (store_dir is not None and (store_dir.path / PENDING_FILE).exists()):
            log.warning("%s: the last build was interrupted; reconciling the store", store.location)
            self.reconcile()

    def _pending(self, pending: bool) -> None:
        """Mark a commit as under way (state database, and a file readers check) or done."""
        if pending:
            self.state.set_meta("pending", json.dumps({"started": time.time()}))
        if self.store_dir is not None:
            mark_pending(self.store_dir.path, pending)
        if not pending:
            self.state.set_meta("pending", None)

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

    def world(self) -> World:
        """Resolution, events and IRIs of every article in the store (what its graphs describe)."""
        if self._world is None:
            self._world = World.of(self.lights(), self.state.pointers(self.live))
        return self._world

    def statements(self) -> SharedStatements:
        """What the shared graphs say (kept from the last commit: validation reads it again).
        After a commit, support counts it did not change are only marked kept (`shared.keep`)."""
        if self._statements is None:
            self._statements = statements_of(self.world(), self.lights())
        return self._statements

    def names(self) -> Names:
        """The IRIs this store gives its entities and events (differ from a one-shot build's only
        where a store kept an IRI that a later label vote or merge would have changed)."""
        return self.world().names

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

    def shared_graphs(self) -> set[str]:
        """Graphs of the store that are neither an article's, the build's nor the ontology's."""
        fixed = {str(iris.BUILD_GRAPH), str(iris.ONTOLOGY_GRAPH)}
        return {g for g in self.store.graph_names() if article_iri_of(g) is None and g not in fixed}

    def shared_diff(self, statements: SharedStatements) -> tuple[list[Quad], list[Quad]]:
        """(insert, delete) that make the shared graphs say `statements`, from the graphs themselves
        (for a store whose digests are not recorded, and for `reconcile`)."""
        wanted = canonical(statements.quads())
        have: set[Quad] = set()
        for g in self.shared_graphs() | {str(q[3]) for q in wanted}:
            have.update(self.store.triples(URIRef(g)))
        return list(wanted - have), list(have - wanted)

    def shared_change(self, statements: SharedStatements) -> tuple[Change, Change, int]:
        """What makes the shared graphs say `statements`: a change that writes every new or changed
        description (applied first), one that clears the descriptions no article supports any more
        (applied last), and how many descriptions differ.  Digests are recorded in the state
        database; without them the graphs themselves are compared."""
        digests = statements.digests()
        known = self.state.shared_digests()
        if known is None:
            insert, delete = self.shared_diff(statements)
            self.state.put_shared_digests(digests, complete=True)
            return Change(insert=insert), Change(delete=delete), len(insert) + len(delete)
        changed = {(g, s): d for (g, s), d in digests.items() if known.get((str(g), str(s))) != d}
        gone = known.keys() - {(str(g), str(s)) for g, s in digests} - {(str(g), str(s)) for g, s in statements.kept}
        first = Change(clear=[(g, s) for g, s in changed if (str(g), str(s)) in known],
                       insert=list(statements.quads(changed)))
        last = Change(clear=[(URIRef(g), URIRef(s)) for g, s in sorted(gone)])
        self.state.put_shared_digests(changed, gone)
        return first, last, len(changed) + len(gone)

    # -- committing ---------------------------------------------------------------

    @_without_gc
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

        Articles whose content is already in the store are skipped.  Transactions, in order:
        the shared graphs' additions with the older articles whose IRIs changed (batches of
        REWRITE_BATCH), one per new article, then the removals with the shared graphs'
        deletions; so at every step each article points to described entities and events.
        """
        started = time.perf_counter()
        stats = CommitStats()
        to_add = self._to_add(new)
        stats.skipped = len(new) - len(to_add)
        seen = {ex.article.id for ex, _ in to_add}
        removing = sorted(set(remove) & set(self.live))
        replaced = {old for _, old in to_add if old is not None}
        if not to_add and not removing:
            stats.seconds = round(time.perf_counter() - started, 2)
            return stats

        for ex, _ in to_add:  # rows first: a row without a graph is only a cache
            self.state.put(ex, model)
        clock = time.perf_counter()
        gone = set(removing) | replaced
        previous = self.state.pointers(self.live)
        for ex, old in to_add:  # a new version of an article votes like the old one (same local keys)
            if old in previous:
                previous[ex.article.id] = previous[old]
        after = {a: e for a, e in self.lights().items() if a not in gone}
        for ex, _ in to_add:
            after[ex.article.id] = light(ex)
        world = World.of(after, previous)
        stats.resolve_seconds = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()
        kept = sorted(set(self.live) - gone)
        affected = [a for a in kept if previous.get(a) != world.pointers.get(a, {})]
        self._pending(True)
        self.state.put_pointers({a: world.pointers.get(a, {}) for a in [*affected, *seen]})
        backings, fresh, touched = self._backings(gone, set(affected), seen, previous, world, after)
        self.state.put_backings(fresh)
        statements = statements_of(world, after, touched, backings)
        change, last, stats.shared_changes = self.shared_change(statements)

        # first: what the new state describes, and the older articles whose IRIs changed
        activity = _activity_quads(info, sorted(seen)) if to_add else []
        change.insert.extend(q for q in activity if q[1] != PROV.used)
        if not self.has_ontology:
            change.insert.extend(_ontology_quads())
        self._rewrite(affected, world, change)
        self.has_ontology = True
        stats.rewritten = len(affected)
        stats.rewrite_seconds = round(time.perf_counter() - clock, 2)
        if on_step:
            on_step("rewrote")
        # then one transaction per new article
        used = {q[2]: q for q in activity if q[1] == PROV.used}
        graphs = article_graphs([ex for ex, _ in to_add], world)
        for ex, old in to_add:
            aid = ex.article.id
            change = Change(insert=graphs.pop(aid))
            stats.quads += len(change.insert)
            if old is not None:
                change.drop_graphs.append(iris.article_iri(old))
                change.delete.extend(self._activity_links(old))
            change.insert.append(used[iris.article_iri(aid)])
            self.store.apply(change)
            self.live[aid] = ArticleRecord(aid, ex.article.identifier, ex.article.content_hash)
            if old is not None:
                self.live.pop(old, None)
                self.state.delete([old])
                stats.replaced += 1
            else:
                stats.added += 1
            if on_step:
                on_step(aid)
        # last: removals, and what no article describes any more
        change = last
        for aid in removing:
            change.drop_graphs.append(iris.article_iri(aid))
            change.delete.extend(self._activity_links(aid))
        self.store.apply(change)
        for aid in removing:
            self.live.pop(aid, None)
        self.state.delete(removing)
        stats.removed = len(removing)
        self._lights, self._world, self._statements = after, world, statements
        self.store.flush()  # an embedded store holds every write in memory until flushed
        self._pending(False)
        stats.entities = len(world.resolution.entities)
        stats.seconds = round(time.perf_counter() - started, 2)
        return stats

    def _backings(self, gone: set[str], repointed: set[str], seen: set[str], previous: Pointers, world: World,
                  after: Mapping[str, Extraction]) -> tuple[dict[str, Backing], dict[str, Backing], Touched | None]:
        """What every article backs after this commit (`sources.backed`), the backings to record
        (added and repointed articles, and those an older version did not record), and what the
        commit touched: what the articles it removes or repoints backed before, and what those it
        adds or repoints back now.  Touched is None, to count everything, when the store has no
        digests to compare with or an older article's backing cannot be told."""
        stored = self.state.backings(self.live)
        fresh = {a: backing_under(after[a], world.pointers.get(a, {}))
                 for a in sorted(after) if a in seen or a in repointed or a not in stored}
        backings = {a: fresh[a] if a in fresh else stored[a] for a in after}
        if self.state.get_meta("shared") != SHARED_VERSION:
            return backings, fresh, None
        lights = self.lights()
        try:
            before = [stored[a] if a in stored else backing_under(lights[a], previous.get(a, {}))
                      for a in sorted(gone | repointed)]
        except KeyError:
            return backings, fresh, None
        return backings, fresh, Touched.of([*before, *(fresh[a] for a in sorted(seen | repointed))])

    def _to_add(self, new: Sequence[Extraction]) -> list[tuple[Extraction, str | None]]:
        """The articles of `new` not in the store yet (each once, by id), with the id of the live
        article each replaces (same identifier, other content) or None."""
        by_identifier = {r.identifier: aid for aid, r in self.live.items()}
        out: dict[str, tuple[Extraction, str | None]] = {}
        for ex in sorted(new, key=lambda e: e.article.id):
            aid = ex.article.id
            if aid not in self.live and aid not in out:
                old = by_identifier.get(ex.article.identifier)
                out[aid] = (ex, old if old != aid else None)
        return list(out.values())

    def _rewrite(self, aids: Sequence[str], world: World, first: Change | None = None) -> None:
        """Rebuild the graphs of `aids` from their stored extractions, REWRITE_BATCH per transaction
        (memory stays bounded when thousands change); `first` goes with the first batch."""
        change = first or Change()
        for start in range(0, max(1, len(aids)), REWRITE_BATCH):
            batch = aids[start:start + REWRITE_BATCH]
            graphs = article_graphs([self.state.full(aid) for aid in batch], world)
            for aid in batch:
                change.drop_graphs.append(iris.article_iri(aid))
                change.insert.extend(graphs[aid])
            self.store.apply(change)
            change = Change()

    def _activity_links(self, aid: str) -> list[Quad]:
        article = iris.article_iri(aid)
        rows = self.store.query(f"SELECT ?act ?a WHERE {{ GRAPH <{iris.BUILD_GRAPH}> {{ ?act <{PROV.used}> ?a }} }}",
                                {"a": article}).rows
        return [(row[0], PROV.used, article, iris.BUILD_GRAPH) for row in rows]  # type: ignore[misc]

    # -- repair -------------------------------------------------------------------

    @_without_gc
    def reconcile(self) -> int:
        """Make the store agree with its articles again, after an interrupted commit.

        Reads what the store actually holds (which entities and events each article graph
        attests, and every shared graph), so it is exact whatever step was interrupted.
        Returns the number of article graphs rewritten.
        """
        self._lights = self._world = self._statements = None
        world = self.world()
        attested: dict[str, set[str]] = defaultdict(set)
        rows = self.store.query(f"SELECT ?g ?e WHERE {{ GRAPH ?g {{ ?m <{NG.attests}> ?e }} }}").rows
        for g, e in rows:
            aid = article_iri_of(str(g))
            if aid is not None:
                attested[aid].add(str(e))
        stale = []
        for aid in sorted(self.live):
            want = set(world.pointers.get(aid, {}).values())
            named = {e for e in attested[aid] if e.startswith(NAMED_PREFIXES)}
            if not named <= want:
                stale.append(aid)
        statements = self.statements()
        insert, delete = self.shared_diff(statements)
        self._rewrite(stale, world, Change(delete=delete, insert=insert))
        self.state.put_shared_digests(statements.digests(), complete=True)
        self.state.put_pointers({a: world.pointers.get(a, {}) for a in self.live})
        lights = self.lights()
        self.state.put_backings({a: backing_under(lights[a], world.pointers.get(a, {})) for a in self.live})
        self.store.flush()
        self._pending(False)
        return len(stale)


def _activity_quads(info: BuildInfo, aids: Sequence[str]) -> list[Quad]:
    ds = new_dataset()
    describe_build(ds, info, list(aids))
    return [(s, p, o, iris.BUILD_GRAPH) for s, p, o in ds.graph(iris.BUILD_GRAPH)]


def _ontology_quads() -> list[Quad]:
    ds = new_dataset()
    include_ontology(ds)
    return [(s, p, o, iris.ONTOLOGY_GRAPH) for s, p, o in ds.graph(iris.ONTOLOGY_GRAPH)]


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
    limits: Limits = DEFAULT_LIMITS,
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
        articles = read_unique(paths, total.problems, limits)
        for problem in total.problems:
            if on_problem:
                on_problem(problem)
        fresh = [a for a in articles if a.id not in inc.live]
        total.skipped = len(articles) - len(fresh)
        if on_articles_read:
            on_articles_read(len(fresh))
        if not fresh:
            total.entities = len(inc.world().resolution.entities) if inc.live else 0
            total.seconds = round(time.perf_counter() - started, 2)
            return total
        kb = tuple(str(k) for k in kb_files)
        nlp = load_pipeline(None, kb) if kb else load_pipeline()
        kb_hash = hashlib.sha256(b"".join(Path(k).read_bytes() for k in kb)).hexdigest()[:12] if kb else "-"
        model = f"newsgraph {__version__}; {model_description(nlp)}; kb {kb_hash}"
        if limits != DEFAULT_LIMITS:  # extractions cut by other limits are not reused
            model += f"; {limits}"
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
            kwargs: dict[str, Any] = {"kb_files": kb, "limits": limits} if kb else {"limits": limits}
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
                validations.append(_validate_articles(inc, extractions))
        if check_shapes:
            total.validation = _merge_reports(validations)
    total.seconds = round(time.perf_counter() - started, 2)
    return total


def _validate_articles(inc: IncrementalStore, extractions: Sequence[Extraction]) -> Any:
    """SHACL on what this chunk added: its article graphs and the shared descriptions they name.

    Checked on the graph as built, not as read back: Oxigraph stores integer subtypes
    (xsd:nonNegativeInteger) as xsd:integer, which the shapes would flag.
    """
    from newsgraph.graph.validate import validate

    world = inc.world()
    ds = Dataset()
    named: set[Any] = set()
    for quads in article_graphs(extractions, world).values():
        for s, p, o, g in quads:
            ds.add((s, p, o, g))  # type: ignore[arg-type]
            named.update(t for t in (s, o) if str(t).startswith(NAMED_PREFIXES))
    statements = inc.statements()
    # and the classes of what those name: a merged event's place (described by the article that
    # named it first) must be typed for the shapes to see it is a place; its own description is
    # checked with that article
    around: set[Any] = set()
    for s, p, o, g in statements.quads(k for k in statements.descriptions if k[1] in named):
        ds.add((s, p, o, g))  # type: ignore[arg-type]
        if str(o).startswith(NAMED_PREFIXES) and o not in named:
            around.add(o)
    for s, p, o, g in statements.quads(k for k in statements.descriptions if k[1] in around):
        if p == RDF.type:
            ds.add((s, p, o, g))  # type: ignore[arg-type]
    return validate(ds, checked_elsewhere=frozenset(str(n) for n in around))


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
