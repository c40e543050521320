"""Light copies as positional JSON: each dataclass a list of its field values, in field order.

A store reads the light copy of every article on each commit (`incremental`), ~110 MB of
tagged JSON at 10,000 articles, of which most is repeated class tags and field names.  The
annotations already say which class each field holds, so a light copy needs neither: packed,
it is less than half the size, and parsing and rebuilding it take about half the time.

Positions are only meaningful for the classes they were packed with, so `SCHEMA` (a digest of
every class, field and annotation reachable from `Extraction`) is part of the light-copy
version: when a field changes, stores remake their light copies from the full extractions,
which keep the self-describing tagged form.  A value whose type the annotation does not name
exactly (a subclass, say) is stored tagged and decoded as such.

>>> from newsgraph.extract.values import LocalEntity
>>> e = LocalEntity("Person:ada", "Ada Lovelace", "Person", ("Ada",))
>>> pack(e, LocalEntity)
['Person:ada', 'Ada Lovelace', 'Person', ['Ada'], None, None]
>>> unpack(pack(e, LocalEntity), LocalEntity) == e
True
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import typing
from collections.abc import Callable
from typing import Any

from newsgraph.errors import StoreError
from newsgraph.extract.values import Extraction

Unpacker = Callable[[Any], Any]
_SCALARS = (str, int, float, bool, type(None))


def pack(value: Any, hint: Any) -> Any:
    """`value` as JSON-ready data, positionally where `hint` names its class."""
    from newsgraph.graph.incremental import encode

    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is hint and dataclasses.is_dataclass(kind):
        return [pack(getattr(value, name), field_hint) for name, field_hint in _fields(kind)]
    if kind in (tuple, list) and _container(hint) is not None:
        item = _item(hint)
        return [v if type(v) in _SCALARS else pack(v, item) for v in value]
    return encode(value)  # tagged: dicts, enums, subclasses, unannotated values


def unpack(data: Any, hint: Any) -> Any:
    """The inverse of `pack` for values annotated `hint`."""
    return _unpacker(hint)(data)


@functools.lru_cache(maxsize=256)
def _unpacker(hint: Any) -> Unpacker:
    """The unpacker of values annotated `hint`, made once per annotation."""
    from newsgraph.graph.incremental import decode

    if scalar_hint(hint):
        return _same
    if _optional_of(hint) is not None:
        inner = _unpacker(_optional_of(hint))
        return lambda data: None if data is None else inner(data)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _class_unpacker(hint)
    container = _container(hint)
    if container is not None:
        item_hint = _item(hint)
        if scalar_hint(item_hint):
            return container  # type: ignore[return-value]  # tuple(["a", "b"]): no per-item call
        item = _unpacker(item_hint)
        return lambda data: container(map(item, data))
    return lambda data: decode(data, hint)


def _class_unpacker(cls: type) -> Unpacker:
    """Rows of `cls` become instances without its __init__ (see `incremental._plain_init`): the
    row zipped with the field names is the instance's __dict__, its nested fields unpacked."""
    from newsgraph.graph.incremental import _plain_init, decode

    fields = _fields(cls)
    names = tuple(name for name, _ in fields)
    nested = tuple((name, _unpacker(field_hint)) for name, field_hint in fields if not scalar_hint(field_hint))
    plain = _plain_init(cls)
    new, set_attr = object.__new__, object.__setattr__

    def unpack_class(row: Any) -> Any:
        if type(row) is dict:
            return decode(row)  # stored tagged
        if len(row) != len(names):
            raise StoreError(f"a light copy of {cls.__name__} has {len(row)} fields, not {len(names)}")
        own = dict(zip(names, row))
        for name, unpack_field in nested:
            v = own[name]
            if v is not None:
                own[name] = unpack_field(v)
        if not plain:
            return cls(**own)
        obj = new(cls)
        set_attr(obj, "__dict__", own)
        return obj

    return unpack_class


def _same(data: Any) -> Any:
    return data


@functools.lru_cache(maxsize=256)
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints.get(f.name)) for f in dataclasses.fields(cls))  # type: ignore[arg-type]


def scalar_hint(hint: Any) -> bool:
    """Whether values annotated `hint` are plain JSON scalars (str, numbers, None, or a union of them)."""
    if hint in _SCALARS:
        return True
    origin = typing.get_origin(hint)
    if origin is typing.Union or str(origin) == "types.UnionType":
        return all(arg in _SCALARS for arg in typing.get_args(hint))
    return False


def _optional_of(hint: Any) -> Any:
    """X for `X | None` (None for any other annotation)."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or str(origin) == "types.UnionType":
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(hint)) == 2:
            return args[0]
    return None


def _container(hint: Any) -> type | None:
    origin = typing.get_origin(hint)
    return origin if origin in (tuple, list) else None


def _item(hint: Any) -> Any:
    """The item annotation of tuple[X, ...] or list[X] (None when it has none)."""
    args = [a for a in typing.get_args(hint) if a is not Ellipsis]
    return args[0] if len(args) == 1 else None


def _schema(cls: type, seen: dict[str, str]) -> None:
    """Every class reachable from `cls` with its fields and their annotations."""
    key = f"{cls.__module__}:{cls.__qualname__}"
    if key in seen:
        return
    fields = _fields(cls)
    seen[key] = ";".join(f"{name}={hint!r}" for name, hint in fields)
    for _, hint in fields:
        for arg in (hint, *typing.get_args(hint), *(a for t in typing.get_args(hint) for a in typing.get_args(t))):
            if isinstance(arg, type) and dataclasses.is_dataclass(arg):
                _schema(arg, seen)


def _schema_digest() -> str:
    seen: dict[str, str] = {}
    _schema(Extraction, seen)
    text = "\n".join(f"{k} {v}" for k, v in sorted(seen.items()))
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


SCHEMA = _schema_digest()
