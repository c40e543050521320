"""Reading a built graph back: from an output folder or a single RDF file."""
from __future__ import annotations

import os
from pathlib import Path

from rdflib import Dataset

from newsgraph.errors import NewsgraphError

FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld"}


def graph_file(path: str | os.PathLike[str]) -> tuple[Path, str]:
    """The file and format to read for `path`: a build's output folder means its graph.trig."""
    p = Path(path)
    if p.is_dir():
        for name in ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld"):
            if (p / name).exists():
                return p / name, FORMATS[Path(name).suffix]
        raise NewsgraphError(f"{p}: no graph.trig, graph.nq, graph.ttl or graph.jsonld in this folder; "
                             "build one with: newsgraph build INPUT -o " + str(p))
    if not p.exists():
        raise NewsgraphError(f"{p}: no such file or folder")
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise NewsgraphError(f"{p}: unknown graph format; use .trig, .nq, .ttl, .nt or .jsonld")
    return p, fmt


def load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """A Dataset whose default graph is the union of its named graphs (what queries expect).

    `path` may also be a store directory (`newsgraph build --store`): its graph is read through
    Oxigraph's serializer, with the ontology's datatypes restored (see graph/store.py).
    """
    from newsgraph.graph.store import is_store_dir

    if Path(path).is_dir() and is_store_dir(path):
        return _store_dataset(Path(path))
    file, fmt = graph_file(path)
    ds = Dataset(default_union=True)
    try:
        ds.parse(file, format=fmt)
    except Exception as exc:
        raise NewsgraphError(f"{file}: not a readable {fmt} graph: {exc}") from exc
    return ds


def _store_dataset(path: Path) -> Dataset:
    import pyoxigraph as ox

    from newsgraph.graph.store import StoreDir, integer_ranges, restored_quads

    with StoreDir.open(path, write=False) as sd:
        data = ox.serialize(restored_quads(sd.store.ox, integer_ranges()), format=ox.RdfFormat.N_QUADS)
    ds = Dataset(default_union=True)
    ds.parse(data=data, format="nquads")
    return ds
