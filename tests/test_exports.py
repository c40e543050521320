"""exports/: every RDF format reads back as the graph that was built; writes are atomic."""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from newsgraph.errors import ExportError, NewsgraphError
from newsgraph.exports import rdf
from newsgraph.exports.atomic import atomic_path, write_text_atomic
from newsgraph.exports.rdf import EXPORT_FILES, write_exports
from newsgraph.extract.names import name_key
from newsgraph.graph import iris
from newsgraph.graph.build import BuildInfo, build_dataset
from newsgraph.graph.validate import validate
from newsgraph.resolve import resolve

INFO = BuildInfo(version="0.0.test", model="en_core_web_sm 3.8.0", settings={})

# Names that break naive serializers or IRI minting.
NASTY_NAMES = {
    "double quotes": 'The "Peace" Council',
    "triple quotes": 'Say """yes""" Party',
    "single quotes": "O'Brien's '''Group'''",
    "angle brackets": "<script>alert(1)</script> Ltd",
    "backslashes": "Back\\slash \\u0041 \\n Corp",
    "trailing backslash": "Ends With Backslash\\",
    "newline": "New\nLine Agency",
    "crlf and tab": "Carriage\r\nReturn\tTab Institute",
    "emoji": "Sunflower 🌻 Fund 🇺🇦",
    "zwj emoji": "Family 👨\u200d👩\u200d👧 Trust",
    "arabic": "فلاديمير بوتين",
    "hebrew": "בנימין נתניהו",
    "mixed bidi": "Kyiv \u200fكييف\u200e Office",
    "zero-width space": "Zelen\u200bskyy Foundation",
    "soft hyphen": "Kyiv Soft\u00adHyphen Trust",
    "bom and word joiner": "\ufeffNATO\u2060 Command",
    "control characters": "Bell\x07 and \x1b Escape Corp",
    "combining accents": "Nicola\u0301s Maduro",
    "braces pipes carets": "{Curly} |Pipe| ^Caret^ `Tick` Group",
    "percent and hash": "100% Owned #1 Company?x=y&z",
    "very long": "The " + "Very " * 60 + "Long Name",
}
FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')


@pytest.fixture(scope="module")
def nasty_extraction(make_extraction: Callable[..., Any]) -> Any:
    lines = [f"{name} said on Tuesday that talks would go on." for name in NASTY_NAMES.values()]
    text = "\n\n".join(lines) + "\nVladimir Putin agreed.\n"
    entities = [(name, "Organization", None, [name]) for name in NASTY_NAMES.values()]
    entities.append(("Vladimir Putin", "Person", "Q7747", ["Vladimir Putin"]))
    return make_extraction(
        text, entities, identifier='dir with "quotes"/<odd> \\name\n.txt',
        title='Title with "quotes", a\nnewline and 🌻', date="2025-03-18",
    )


@pytest.fixture(scope="module")
def nasty_ds(nasty_extraction: Any) -> Dataset:
    return build_dataset([nasty_extraction], resolve([nasty_extraction]), INFO)


@pytest.fixture(scope="module")
def nasty_out(nasty_ds: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_exports(nasty_ds, tmp_path_factory.mktemp("nasty"))


def named_graphs(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def entity_iri_of(ds: Dataset, name: str) -> URIRef:
    (node,) = ds.graph(iris.ENTITIES_GRAPH).subjects(RDFS.label, Literal(name))
    return node  # type: ignore[return-value]


def test_the_nasty_graph_is_valid(nasty_ds: Dataset) -> None:
    report = validate(nasty_ds)
    assert report.conforms, report.summary()


@pytest.mark.parametrize("case", list(NASTY_NAMES))
def test_entity_iri_from_a_nasty_name_is_valid(nasty_ds: Dataset, case: str) -> None:
    node = entity_iri_of(nasty_ds, NASTY_NAMES[case])
    assert str(node).startswith(iris.BASE + "entity/organization/")
    assert not FORBIDDEN_IN_IRI.search(str(node))
    assert len(str(node)) < 1000
    pyoxigraph.NamedNode(str(node))  # oxigraph validates IRIs strictly (RFC 3987)


@pytest.mark.parametrize("case", ["double quotes", "angle brackets", "emoji", "arabic", "hebrew", "backslashes"])
def test_entity_iri_slug_decodes_to_the_folded_name(nasty_ds: Dataset, case: str) -> None:
    """Readable names stay readable: the last segment percent-decodes to the folded name."""
    node = entity_iri_of(nasty_ds, NASTY_NAMES[case])
    segment = unquote(str(node).rsplit("/", 1)[1])
    assert segment == re.sub(r"\s+", "-", NASTY_NAMES[case].casefold())


def test_distinct_nasty_names_get_distinct_iris(nasty_ds: Dataset) -> None:
    nodes = {entity_iri_of(nasty_ds, name) for name in NASTY_NAMES.values()}
    assert len(nodes) == len(NASTY_NAMES)


@pytest.mark.parametrize("fmt", list(EXPORT_FILES))
def test_export_union_is_isomorphic(nasty_ds: Dataset, nasty_out: dict[str, Path], fmt: str) -> None:
    if fmt == "turtle":
        back: Graph = Graph().parse(nasty_out[fmt], format="turtle")
    else:
        back = union(Dataset().parse(nasty_out[fmt], format=fmt))
    assert isomorphic(back, union(nasty_ds))
    assert len(back) == len(union(nasty_ds))


@pytest.mark.parametrize("fmt", ["trig", "nquads", "json-ld"])
def test_export_keeps_every_named_graph(nasty_ds: Dataset, nasty_out: dict[str, Path], fmt: str) -> None:
    back = named_graphs(Dataset().parse(nasty_out[fmt], format=fmt))
    want = named_graphs(nasty_ds)
    assert set(back) == set(want)
    for name, graph in want.items():
        assert isomorphic(back[name], graph), name


@pytest.mark.parametrize("fmt", list(EXPORT_FILES))
@pytest.mark.parametrize("case", ["newline", "triple quotes", "zwj emoji", "mixed bidi", "control characters",
                                  "trailing backslash"])
def test_nasty_label_round_trips_exactly(nasty_ds: Dataset, nasty_out: dict[str, Path], fmt: str,
                                         case: str) -> None:
    node = entity_iri_of(nasty_ds, NASTY_NAMES[case])
    back = Graph().parse(nasty_out[fmt], format=fmt) if fmt == "turtle" else union(
        Dataset().parse(nasty_out[fmt], format=fmt))
    assert back.value(node, RDFS.label) == Literal(NASTY_NAMES[case])


@pytest.mark.parametrize(("fmt", "oxformat"), [
    ("turtle", pyoxigraph.RdfFormat.TURTLE),
    ("trig", pyoxigraph.RdfFormat.TRIG),
    ("nquads", pyoxigraph.RdfFormat.N_QUADS),
    ("json-ld", pyoxigraph.RdfFormat.JSON_LD),
])
def test_export_parses_with_a_second_strict_parser(nasty_ds: Dataset, nasty_out: dict[str, Path], fmt: str,
                                                   oxformat: Any) -> None:
    """Oxigraph (the store engine's parser) must accept the files too, with the same statement count."""
    quads = list(pyoxigraph.parse(path=nasty_out[fmt], format=oxformat))
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(union(nasty_ds))


@pytest.mark.parametrize("fmt", list(EXPORT_FILES))
def test_export_is_utf8(nasty_out: dict[str, Path], fmt: str) -> None:
    data = nasty_out[fmt].read_bytes()
    text = data.decode("utf-8")  # raises if it is not
    assert not data.startswith(b"\xef\xbb\xbf")  # no BOM
    if fmt != "json-ld":  # JSON may escape, the RDF text formats must not need to
        assert "🌻" in text and "فلاديمير" in text


def test_exports_are_utf8_under_an_ascii_locale(nasty_ds: Dataset, nasty_out: dict[str, Path],
                                               tmp_path: Path) -> None:
    """Same bytes whatever the locale: LC_ALL=C without Python's UTF-8 mode or locale coercion."""
    out = tmp_path / "c-locale"
    script = textwrap.dedent(f"""
        import locale, sys
        assert locale.getpreferredencoding(False).lower() in ("ansi_x3.4-1968", "ascii"), locale.getpreferredencoding(False)
        from rdflib import Dataset
        from newsgraph.exports.rdf import write_exports
        ds = Dataset()
        ds.parse({str(nasty_out['nquads'])!r}, format="nquads")
        write_exports(ds, {str(out)!r})
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8", "PYTHONIOENC"))}
    env.update(LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False,
                          encoding="utf-8", errors="replace", timeout=120)
    assert proc.returncode == 0, proc.stderr
    for fmt, name in EXPORT_FILES.items():
        data = (out / name).read_bytes()
        data.decode("utf-8")
        back = Graph().parse(data=data, format=fmt) if fmt == "turtle" else union(
            Dataset().parse(data=data, format=fmt))
        assert isomorphic(back, union(nasty_ds)), fmt
    assert sorted((out / "graph.nq").read_text("utf-8").splitlines()) == sorted(
        nasty_out["nquads"].read_text("utf-8").splitlines())


# ---------------------------------------------------------------- IRIs, property-based

plausible_names = st.text(min_size=2, max_size=40).filter(lambda s: sum(c.isalpha() for c in s) >= 2)
tricky_names = st.text(
    st.sampled_from(list("abAB -.'_\u00ad\u200b\u200d\u200f\u2019\u0301é\u00df\u212a\u0130\t\n\x00İıﬁ\"<>\\")),
    min_size=2, max_size=8,
).filter(lambda s: sum(c.isalpha() for c in s) >= 2)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=plausible_names, cls=st.sampled_from(["Person", "Organization", "Country", "Place", "Asset"]))
def test_any_name_mints_a_valid_iri(name: str, cls: str) -> None:
    iri = iris.entity_iri(cls, name)
    assert not FORBIDDEN_IN_IRI.search(str(iri))
    pyoxigraph.NamedNode(str(iri))
    assert iris.entity_iri(cls, name) == iri  # deterministic


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=tricky_names, b=tricky_names)
def test_names_that_resolution_keeps_apart_get_distinct_iris(a: str, b: str) -> None:
    """Two resolved entities of one class must never share an IRI (it would carry two labels)."""
    if name_key(a) != name_key(b):
        assert iris.entity_iri("Person", a) != iris.entity_iri("Person", b)


@pytest.mark.parametrize(("a", "b", "same_iri"), [
    ("Zelenskyy", "Zelen\u00adskyy", False),  # resolution keeps them apart, so must the IRIs
    ("Kyiv", "Ky\u200biv", False),
    ("AAA", "AA\tA", False),
    ("Vladimir Putin", "Vladimir\tPutin", True),  # one entity: a tab is whitespace, not nothing
    ("Vladimir Putin", "vladimir  putin", True),
])
def test_invisible_characters_in_names(a: str, b: str, same_iri: bool) -> None:
    assert (name_key(a) == name_key(b)) == same_iri
    assert (iris.entity_iri("Person", a) == iris.entity_iri("Person", b)) == same_iri


@pytest.mark.parametrize("bad", ["http://x/a b", "http://x/<a>", 'http://x/"', "ftp://x/a", "urn:x", "http://x/\n"])
def test_check_iri_refuses_invalid_iris(bad: str) -> None:
    with pytest.raises(NewsgraphError):
        iris.check_iri(bad)


@pytest.mark.parametrize("qid", ["Q7747", "Q1"])
def test_wikidata_iri(qid: str) -> None:
    assert iris.wikidata_iri(qid) == URIRef(f"http://www.wikidata.org/entity/{qid}")


@pytest.mark.parametrize("bad", ["q7747", "Q", "Q12a", "P31", "Q1 ", "Q1/../x"])
def test_wikidata_iri_refuses_non_items(bad: str) -> None:
    with pytest.raises(NewsgraphError):
        iris.wikidata_iri(bad)


# ---------------------------------------------------------------- atomic writes


@pytest.fixture(scope="module")
def good_export(nasty_ds: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("good") / "out"
    write_exports(nasty_ds, out)
    return out


@pytest.fixture()
def previous(good_export: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding a good export, and the bytes of each file."""
    out = tmp_path / "out"
    shutil.copytree(good_export, out)
    return out, {fmt: (out / name).read_bytes() for fmt, name in EXPORT_FILES.items()}


def assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORT_FILES.values()), "temp file left behind"
    for fmt, data in before.items():
        assert (out / EXPORT_FILES[fmt]).read_bytes() == data, f"{fmt} was changed"


def small_ds(label: str) -> Dataset:
    ds = Dataset()
    ds.graph(iris.ENTITIES_GRAPH).add((URIRef(iris.BASE + "entity/person/x"), RDFS.label, Literal(label)))
    return ds


def export(ds: Dataset, out: Path, fmt: str) -> None:
    """The public path: write_exports picks the writer of each format (rdflib or Oxigraph)."""
    write_exports(ds, out, [fmt])


@pytest.mark.parametrize("fmt", list(EXPORT_FILES))
def test_serializer_failing_midway_keeps_the_previous_file(
    previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    out, before = previous

    def broken_rdflib(self: Graph, destination: Any = None, *args: Any, **kwargs: Any) -> Any:
        if destination is not None:
            Path(destination).write_text("@prefix half: <http://half", encoding="utf-8")
        raise OSError("disk full")

    def broken_oxigraph(items: Any, output: Any = None, *args: Any, **kwargs: Any) -> Any:
        if output is not None:
            Path(output).write_text("@prefix half: <http://half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(Graph, "serialize", broken_rdflib)
    monkeypatch.setattr(pyoxigraph, "serialize", broken_oxigraph)
    with pytest.raises(ExportError, match="disk full"):
        export(small_ds("new"), out, fmt)
    assert_untouched(out, before)


def big_ds_with(bad: Any) -> Dataset:
    ds = small_ds("fine")
    for i in range(2000):  # enough statements that a partial file would reach the disk first
        ds.graph(iris.ENTITIES_GRAPH).add((URIRef(f"{iris.BASE}entity/person/p{i}"), RDFS.label, Literal(f"p{i}")))
    ds.graph(iris.ENTITIES_GRAPH).add(bad)
    return ds


UNWRITABLE = {
    # a lone surrogate cannot be encoded as UTF-8: the serializer fails half-way
    "lone surrogate": (URIRef(iris.BASE + "entity/person/zz"), RDFS.label, Literal("bad \ud800 x")),
    # an IRI made without iris.check_iri: no RDF syntax can write a space in an IRI
    "space in an IRI": (URIRef(iris.BASE + "entity/person/a b"), RDFS.label, Literal("x")),
}


@pytest.mark.parametrize("fmt", list(EXPORT_FILES))
@pytest.mark.parametrize("case", list(UNWRITABLE))
def test_unwritable_term_keeps_the_previous_file(previous: tuple[Path, dict[str, bytes]], fmt: str,
                                                 case: str) -> None:
    """A term no serializer can write is an ExportError (a message, not a traceback); old file kept."""
    out, before = previous
    with pytest.raises(ExportError):
        export(big_ds_with(UNWRITABLE[case]), out, fmt)
    assert_untouched(out, before)


@pytest.mark.parametrize("fmt", list(EXPORT_FILES))
def test_file_that_does_not_read_back_is_refused(
    previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    out, before = previous
    monkeypatch.setattr(rdf, "_read_back", lambda path, fmt: set())
    monkeypatch.setattr(pyoxigraph, "parse", lambda *args, **kwargs: iter(()))
    with pytest.raises(ExportError, match="does not read back"):
        export(small_ds("new"), out, fmt)
    assert_untouched(out, before)


@pytest.mark.parametrize("fmt", list(EXPORT_FILES))
def test_successful_write_replaces_the_file(previous: tuple[Path, dict[str, bytes]], fmt: str) -> None:
    out, before = previous
    export(small_ds("brand new"), out, fmt)
    assert "brand new" in (out / EXPORT_FILES[fmt]).read_text("utf-8")
    assert (out / EXPORT_FILES[fmt]).read_bytes() != before[fmt]
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORT_FILES.values())


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        write_exports(small_ds("x"), tmp_path, ["rdfxml"])


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_atomic_path_cleans_up_on_any_error(tmp_path: Path, error: BaseException) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(type(error)), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise error
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_atomic_write_creates_missing_folders_and_writes_utf8(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "x.txt"
    write_text_atomic(target, "Київ 🌻 \u200f")
    assert target.read_bytes() == "Київ 🌻 \u200f".encode()


def test_new_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    """mkstemp makes 0600 files; an export must be readable like any file the user creates."""
    umask = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "x.txt", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "x.txt").stat().st_mode) == 0o644


def test_exports_get_ordinary_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        written = write_exports(small_ds("x"), tmp_path)
    finally:
        os.umask(umask)
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in written.values()} == {
        name: 0o644 for name in EXPORT_FILES.values()}


def test_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text("utf-8") == "new"


def test_the_output_folder_is_replaced_whole_and_keeps_other_files(tmp_path: Path) -> None:
    """The staging folder replaces the output folder in one step; files newsgraph did not write
    stay, temporary files and staging folders of killed builds go."""
    from newsgraph.exports.outset import clean_stale, staged_folder, swappable

    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("old", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / ".graph.trig.0123456789ab.tmp").write_text("half", encoding="utf-8")
    (tmp_path / ".out.staging-dead").mkdir()
    assert swappable(out)
    with staged_folder(out) as stage:
        assert stage.parent == out.parent and stage.name.startswith(".out.staging-")
        (stage / "graph.ttl").write_text("new", encoding="utf-8")
        assert (out / "graph.ttl").read_text(encoding="utf-8") == "old"  # nothing seen before the swap
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == {
        "graph.ttl": "new", "notes.txt": "mine"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    with pytest.raises(RuntimeError), staged_folder(out) as stage:  # a failed build changes nothing
        (stage / "graph.ttl").write_text("broken", encoding="utf-8")
        raise RuntimeError("serializer failed")
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    (out / "sub").mkdir()
    assert not swappable(out) and clean_stale(out) == []


def test_a_name_ending_in_a_dot_exports_a_file_rdflib_reads(tmp_path: Path) -> None:
    """Oxigraph writes an IRI ending in '.' as a prefixed name ending in '\\.', which rdflib
    (newsgraph validate, stats) cannot parse: entity IRIs never end in a dot."""
    from rdflib import Dataset, Literal, URIRef
    from rdflib.namespace import RDFS

    from newsgraph.exports.rdf import write_fast
    from newsgraph.graph import iris

    iri = iris.entity_iri("Organization", "Walt Disney Co.")
    assert not str(iri).endswith(".")
    ds = Dataset()
    ds.bind("ngid", iris.BASE)
    ds.graph(iris.ENTITIES_GRAPH).add((iri, RDFS.label, Literal("Walt Disney Co.")))
    for fmt, name in (("trig", "g.trig"), ("turtle", "g.ttl")):
        write_fast(ds, tmp_path / name, fmt)
        back = Dataset().parse(tmp_path / name, format=fmt)
        assert (URIRef(str(iri)), RDFS.label, Literal("Walt Disney Co.")) in set(
            (s, p, o) for s, p, o, _ in back.quads((None, None, None, None)))
