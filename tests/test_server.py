"""The SPARQL endpoint, tested as users meet it: a real `newsgraph serve` process, queried by
SPARQLWrapper and by plain HTTP; and pushing a build into a real `oxigraph serve` server."""
from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from loopback import SECRET, TRICKS, Listener, fill, secret_file

from newsgraph.graph.build import BuildInfo
from newsgraph.graph.incremental import IncrementalStore
from newsgraph.server import negotiate, query_form

pytestmark = pytest.mark.slow
INFO = BuildInfo(version="test", model="none", settings={})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with a few hundred hand-made articles (enough for a slow cartesian product)."""
    from newsgraph.extract.values import Extraction, LocalEntity, Mention, Sentence
    from newsgraph.ingest.article import Article

    path = tmp_path_factory.mktemp("served") / "store"
    extractions = []
    for i in range(60):
        text = f"Vladimir Putin met Leader{i} in City{i % 7}."
        art = Article.create(text, identifier=f"a{i}.txt", title=f"Story {i}", date="2025-03-18")
        ents = (LocalEntity("p", "Vladimir Putin", "Person", ("Vladimir Putin",), "Q7747"),
                LocalEntity("l", f"Leader{i}", "Person", (f"Leader{i}",)),
                LocalEntity("c", f"City{i % 7}", "City", (f"City{i % 7}",)))
        spans = [(0, 14, "p", "Person"), (19, 19 + len(f"Leader{i}"), "l", "Person")]
        mentions = tuple(Mention(s, e, text[s:e], k, c, 0, "test", 0.8) for s, e, k, c in spans)
        extractions.append(Extraction(art, (Sentence(0, len(text), text),), ents, mentions))
    with IncrementalStore.open(path) as inc:
        inc.commit(extractions, info=INFO)
    return path


@contextlib.contextmanager
def serving(*args: str) -> Iterator[str]:
    """`newsgraph serve ARGS --port P` in a real process; yields its /sparql URL, stops it after."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from newsgraph.cli import main; main()", "serve", *args, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_for(url, proc)
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def endpoint(store_dir: Path) -> Iterator[str]:
    with serving(str(store_dir), "--timeout", "2", "--max-rows", "50", "--workers", "1") as url:
        yield url


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def get(endpoint: str, query: str, accept: str = "application/sparql-results+json") -> tuple[int, dict[str, str], bytes]:
    return http(endpoint + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})


def test_sparqlwrapper_select_and_construct(endpoint: str) -> None:
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery("SELECT ?l WHERE { ?e a ng:Person ; rdfs:label ?l } ORDER BY ?l LIMIT 3")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]  # type: ignore[index]
    assert [r["l"]["value"] for r in rows] == ["Leader0", "Leader1", "Leader10"]
    client.setMethod("POST")
    client.setQuery("CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e rdfs:label 'Vladimir Putin' ; rdfs:label ?l }")
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    assert b"Vladimir Putin" in turtle  # type: ignore[operator]


@pytest.mark.parametrize(("accept", "ctype", "check"), [
    ("text/csv", "text/csv", lambda b: b.splitlines()[0] == b"n"),
    ("text/tab-separated-values", "text/tab-separated-values", lambda b: b.splitlines()[0] == b"?n"),
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: b"<sparql" in b),
    ("application/sparql-results+json", "application/sparql-results+json",
     lambda b: json.loads(b)["results"]["bindings"][0]["n"]["value"] == "60"),
])
def test_content_negotiation(endpoint: str, accept: str, ctype: str, check: Any) -> None:
    status, headers, body = get(endpoint, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a ng:Article }", accept)
    assert status == 200 and headers["Content-Type"].startswith(ctype) and check(body)


def test_updates_and_remote_access_are_refused(endpoint: str) -> None:
    status, _, body = http(endpoint, b"INSERT DATA { <http://x/a> <http://x/b> 1 }",
                           {"Content-Type": "application/sparql-update"})
    assert status == 403 and b"read-only" in body
    status, _, _ = http(endpoint, urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
                        {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    status, _, body = get(endpoint, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 400 and b"SERVICE" in body
    status, _, body = get(endpoint, "SELECT * WHERE { ?s ?p }")
    assert status == 400 and b"line 1, column" in body


def test_serve_takes_store_like_the_other_commands(store_dir: Path) -> None:
    """The README's `newsgraph serve --store DIR` (issue 18): build, query and remove take --store."""
    with serving("--store", str(store_dir), "--workers", "1") as url:
        status, _, body = get(url, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a ng:Article }")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "60"


@pytest.fixture(scope="module")
def rdflib_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`serve --store FILE --engine rdflib`: the endpoint on the other engine."""
    from rdflib import RDFS, Dataset, Literal, URIRef

    path = tmp_path_factory.mktemp("rdflib-served") / "g.trig"
    ds = Dataset()
    ds.graph(URIRef("https://w3id.org/newsgraph/id/graph/entities")).add(
        (URIRef("https://w3id.org/newsgraph/id/entity/city/kyiv"), RDFS.label, Literal("Kyiv")))
    ds.serialize(path, format="trig")
    with serving("--store", str(path), "--engine", "rdflib", "--workers", "1", "--timeout", "5") as url:
        yield url


@pytest.mark.parametrize("which", ["endpoint", "rdflib_endpoint"])
def test_every_trick_is_refused_by_the_endpoint(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Issue 17 over HTTP: GET and POST each trick; 400 naming the reason, the listener untouched."""
    url = request.getfixturevalue(which)
    secret = secret_file(tmp_path)
    with Listener() as listener:
        for trick in TRICKS:
            text = fill(trick, listener, secret)
            for status, _, body in (get(url, text, "*/*"),
                                    http(url, text.encode(), {"Content-Type": "application/sparql-query"})):
                message = body.decode("utf-8", "replace")
                assert status == 400 and re.search(trick.reason, message), (trick.name, status, message)
                assert SECRET not in message
        assert listener.hits == [], listener.hits
        status, _, body = get(url, f"ASK {{ ?s ?p ?o }} # SERVICE <{listener.url}>")  # legitimate: answered
        assert status == 200 and json.loads(body)["boolean"] is True
        assert listener.hits == []


def test_result_cap_and_timeout(endpoint: str) -> None:
    status, headers, body = get(endpoint, "SELECT ?s WHERE { ?s ?p ?o }")
    assert status == 200 and headers["X-Newsgraph-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 50
    started = time.monotonic()
    status, _, body = get(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    assert status == 503 and b"timeout" in body
    assert time.monotonic() - started < 15
    status, _, body = get(endpoint, "ASK { ?s a ng:Article }")  # a fresh worker answers the next query
    assert status == 200 and json.loads(body)["boolean"] is True


def test_negotiation_rules() -> None:
    assert negotiate(None, "SELECT") == "json"
    assert negotiate("text/html", "SELECT") is None
    assert negotiate("application/n-triples", "DESCRIBE") == "ntriples"
    assert query_form("ASK {}") == "ASK"


# -- a real Oxigraph server as the store -------------------------------------------------


@pytest.fixture()
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/query?query=ASK%7B%7D", proc)
        yield url
    finally:
        stop(proc)


def test_push_to_an_oxigraph_server(oxigraph_server: str, tmp_path: Path, make_extraction: Any) -> None:
    a = make_extraction("Vladimir Putin met Donald Trump.",
                        [("Vladimir Putin", "Person", "Q7747", ["Vladimir Putin"]),
                         ("Donald Trump", "Person", None, ["Donald Trump"])], identifier="a.txt")
    b = make_extraction("Putin spoke.", [("Putin", "Person", None, ["Putin"])], identifier="b.txt")
    state = tmp_path / "state"
    with IncrementalStore.open(oxigraph_server, state_dir=state) as inc:
        inc.commit([b], info=INFO)
    with IncrementalStore.open(oxigraph_server, state_dir=state) as inc:
        stats = inc.commit([a], info=INFO)  # b's Putin becomes Q7747: rewritten on the server
        assert stats.rewritten == 1
        rows = inc.store.query(
            "SELECT ?e (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m <https://w3id.org/newsgraph/ontology#attests> ?e } "
            "GROUP BY ?e ORDER BY ?e").rows
        counts = {str(e).rsplit("/", 1)[-1]: int(n.toPython()) for e, n in rows}  # type: ignore[union-attr]
        assert counts["Q7747"] == 2
        inc.commit([], [a.article.id], info=INFO)
        assert len(inc.live) == 1
    from newsgraph.graph.store_query import run_with_timeout

    out = run_with_timeout(oxigraph_server, "SELECT ?l WHERE { GRAPH ngid:graph\\/entities { ?e rdfs:label ?l } }", fmt="csv", timeout=20)
    assert out.decode().split() == ["l", "Putin"]


# -- the SPARQL 1.1 Protocol as clients use it (issue 18) ---------------------------------

PUTIN = "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e rdfs:label 'Vladimir Putin' ; rdfs:label ?l }"
ONE_ROW = "SELECT ?l WHERE { ?e rdfs:label ?l FILTER(?l = 'Vladimir Putin') } LIMIT 1"


def _rdflib_labels(data: bytes | str, fmt: str) -> set[str]:
    from rdflib import RDFS, Dataset

    ds = Dataset()
    ds.parse(data=data, format=fmt)
    return {str(o) for _, _, o, _ in ds.quads((None, RDFS.label, None, None))}


@pytest.mark.parametrize("fmt", ["JSON", "XML", "CSV", "TSV"])
def test_sparqlwrapper_select_in_every_results_format(endpoint: str, fmt: str) -> None:
    import SPARQLWrapper as sw

    client = sw.SPARQLWrapper(endpoint)
    client.setQuery(ONE_ROW)
    client.setReturnFormat(getattr(sw, fmt))
    result = client.query()
    converted = result.convert()
    if fmt == "JSON":
        assert converted["results"]["bindings"][0]["l"]["value"] == "Vladimir Putin"  # type: ignore[index]
    elif fmt == "XML":  # a minidom document of SPARQL XML results
        assert converted.getElementsByTagName("literal")[0].firstChild.data == "Vladimir Putin"  # type: ignore[union-attr]
    else:
        text = converted.decode()  # type: ignore[union-attr]
        assert text.splitlines() == (["l", "Vladimir Putin"] if fmt == "CSV" else ["?l", '"Vladimir Putin"'])


@pytest.mark.parametrize(("fmt", "ctype"), [("RDFXML", "application/rdf+xml"), ("XML", "application/rdf+xml"),
                                            ("TURTLE", "text/turtle"), ("N3", "text/turtle"),
                                            ("JSONLD", "application/ld+json")])
def test_sparqlwrapper_construct_in_every_graph_format(endpoint: str, fmt: str, ctype: str) -> None:
    """SPARQLWrapper sends format=<its name> and the right Accept: Accept must win (issue 18's 406)."""
    import SPARQLWrapper as sw

    client = sw.SPARQLWrapper(endpoint)
    client.setQuery(PUTIN)
    client.setReturnFormat(getattr(sw, fmt))
    result = client.query()
    assert result.info()["content-type"].startswith(ctype)
    converted = result.convert()
    if fmt in ("RDFXML", "XML", "JSONLD"):  # SPARQLWrapper parses these into an rdflib Graph
        assert {str(o) for o in converted.objects()} == {"Vladimir Putin"}  # type: ignore[union-attr]
    else:
        assert _rdflib_labels(converted, "turtle") == {"Vladimir Putin"}  # type: ignore[arg-type]


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/n-quads", "nquads"),
    ("application/trig", "trig"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_construct_over_raw_http_in_six_syntaxes(endpoint: str, accept: str, rdflib_format: str) -> None:
    status, headers, body = get(endpoint, PUTIN, accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert _rdflib_labels(body, rdflib_format) == {"Vladimir Putin"}


def test_accept_wins_over_format_and_format_over_a_wildcard(endpoint: str) -> None:
    query = urllib.parse.urlencode({"query": ONE_ROW, "format": "json"})
    status, headers, _ = http(f"{endpoint}?{query}", headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    status, headers, _ = http(f"{endpoint}?{urllib.parse.urlencode({'query': ONE_ROW, 'format': 'tsv'})}",
                              headers={"Accept": browser})
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    status, _, body = http(f"{endpoint}?{query}", headers={"Accept": "image/png"})
    assert status == 200 and json.loads(body)["results"]["bindings"]  # format= rescues an unknown Accept
    status, _, _ = get(endpoint, ONE_ROW, "image/png")
    assert status == 406


def test_service_description_names_the_endpoint(endpoint: str) -> None:
    from rdflib import Graph, Namespace, URIRef

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    for accept, fmt in (("text/turtle", "turtle"), (None, "turtle"), ("application/rdf+xml", "xml"),
                        ("application/ld+json", "json-ld")):
        status, headers, body = http(endpoint, headers={"Accept": accept} if accept else {})
        assert status == 200, (accept, body)
        g = Graph().parse(data=body, format=fmt)
        service = URIRef(endpoint)
        assert (service, sd.endpoint, service) in g
        assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
        assert (service, sd.supportedLanguage, sd.SPARQL11Update) not in g
        assert len(set(g.objects(service, sd.resultFormat))) == 10
    status, headers, body = http(endpoint, headers={"Accept": "text/html,*/*;q=0.8"})  # a browser gets the form
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"<form" in body


def test_truncation_is_said_in_the_results_or_refused(endpoint: str) -> None:
    """--max-rows 50: JSON and XML answers are cut and carry a link in their head; CSV is refused."""
    from xml.dom.minidom import parseString

    everything = "SELECT ?s WHERE { ?s ?p ?o }"
    status, _, body = get(endpoint, everything, "application/sparql-results+json")
    doc = json.loads(body)
    assert status == 200 and len(doc["results"]["bindings"]) == 50
    note = doc["head"]["link"][0]
    status, _, text = http(note)
    assert status == 200 and b"50 rows" in text
    status, _, body = get(endpoint, everything, "application/sparql-results+xml")
    links = parseString(body).getElementsByTagName("link")
    assert status == 200 and links[0].getAttribute("href") == note
    status, headers, body = get(endpoint, everything, "text/csv")
    assert status == 422 and b"--max-rows" in body and headers["X-Newsgraph-Truncated"] == "true"
    status, _, body = get(endpoint, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 50", "text/csv")
    assert status == 200 and len(body.splitlines()) == 51  # within the cap: nothing said, nothing cut
    status, _, body = get(endpoint, ONE_ROW, "application/sparql-results+json")
    assert "link" not in json.loads(body)["head"]


def test_curl_as_the_readme_shows_it(endpoint: str) -> None:
    """The README's curl lines, run by curl itself."""
    curl = shutil.which("curl")
    assert curl, "curl is part of the test environment"
    out = subprocess.run([curl, "-s", "-H", "Accept: text/csv", "--data-urlencode", f"query={ONE_ROW}", endpoint],
                         capture_output=True, check=True).stdout
    assert out.decode().split("\n")[:2] == ["l", "Vladimir Putin"]
    out = subprocess.run([curl, "-s", "-H", "Accept: application/n-quads", "--data-urlencode",
                          f"query={PUTIN}", endpoint], capture_output=True, check=True).stdout
    assert out.decode().strip().endswith('"Vladimir Putin" .')
    out = subprocess.run([curl, "-s", endpoint], capture_output=True, check=True).stdout
    assert b"sd:endpoint" in out


def test_a_slow_query_does_not_starve_a_quick_one(store_dir: Path) -> None:
    """One worker (issue 17: two slow queries made a simple one wait 29 s): the slow query's
    worker is niced and a fresh one takes the quick queries; the slow one ends at the timeout."""
    import threading

    with serving(str(store_dir), "--workers", "1", "--timeout", "8") as url:
        slow: list[int] = []
        cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        thread = threading.Thread(target=lambda: slow.append(get(url, cartesian)[0]))
        thread.start()
        time.sleep(1.0)
        waits = []
        for _ in range(5):
            started = time.monotonic()
            status, _, body = get(url, "ASK { ?s a ng:Article }")
            waits.append(time.monotonic() - started)
            assert status == 200 and json.loads(body)["boolean"] is True
        thread.join()
    assert slow == [503]
    assert max(waits) < 4, waits  # without the second worker the first would wait out the 8 s


def test_sparqlwrapper_construct_as_n_triples(endpoint: str) -> None:
    """SPARQLWrapper has no N-Triples constant: a client sets the Accept header itself."""
    import SPARQLWrapper as sw

    client = sw.SPARQLWrapper(endpoint)
    client.setQuery(PUTIN)
    client.setReturnFormat(sw.N3)
    client.setOnlyConneg(True)
    client.addCustomHttpHeader("Accept", "application/n-triples")
    result = client.query()
    assert result.info()["content-type"].startswith("application/n-triples")
    assert _rdflib_labels(result.convert(), "nt") == {"Vladimir Putin"}  # type: ignore[arg-type]
