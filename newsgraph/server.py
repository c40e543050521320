"""`newsgraph serve`: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1.

Standard clients (YASGUI, SPARQLWrapper, curl) work: GET `?query=`, POST form
(`query=`) or POST `application/sparql-query`, with content negotiation for SPARQL
JSON / XML / CSV / TSV results and Turtle / N-Triples / N-Quads / TriG / RDF-XML / JSON-LD
graphs (the `Accept` header, or `format=json` etc.).  CORS is open so a browser YASGUI can call it.

What it refuses, and why:

* updates (POST `update=` or `application/sparql-update`): the endpoint is read-only;
  stores change only through `newsgraph build` / `remove`, which keep resolution right;
* SERVICE, and FROM / FROM NAMED of anything but the store's own graphs, unless started with
  --allow-remote; every update form (LOAD included) always.  Each worker parses the query
  (escapes expanded, as engines do) and reads the refusals off its algebra: see
  `graph/safety.py` and `graph/store_query.run_store_query`, the one way in;
* queries that run past `timeout` seconds: each query runs in a worker process that is
  killed and replaced at the deadline (neither engine can interrupt a query itself);
* more than `max_rows` rows or triples: a SPARQL JSON or XML answer is cut there and says
  so in its head (`link` to the endpoint's /limits note; the `X-Newsgraph-Truncated: true`
  header too); CSV, TSV and RDF syntaxes cannot say so, and such an answer is refused (422).

A GET without a query is answered with the SPARQL 1.1 Service Description (Turtle unless
another RDF syntax is asked for), or the HTML form when a browser asks for HTML first.
Accept decides the format; `format=` / `output=` only when Accept names no type we serve.
Slow queries never starve the quick ones: see `WorkerPool`.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import queue
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from newsgraph.errors import NewsgraphError, QueryError, StoreError
from newsgraph.graph.safety import tokens, unescape

log = logging.getLogger(__name__)

RESULT_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/javascript": "json",
    "application/javascript": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/plain": "table",
}
GRAPH_MEDIA = {
    "text/turtle": "turtle",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",  # Turtle is N3 (SPARQLWrapper's N3 asks for these)
    "text/rdf+n3": "turtle",
    "application/n3": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/n-quads": "nquads",
    "text/x-nquads": "nquads",
    "application/trig": "trig",
    "application/x-trig": "trig",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/x-json+ld": "jsonld",
    "application/json": "jsonld",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "table": "text/plain; charset=utf-8", "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples", "nquads": "application/n-quads", "trig": "application/trig",
    "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json",
}
FORMAT_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "text": "table",
                  "turtle": "turtle", "ttl": "turtle", "n3": "turtle", "nt": "ntriples", "ntriples": "ntriples",
                  "n-triples": "ntriples", "nquads": "nquads", "nq": "nquads", "n-quads": "nquads",
                  "trig": "trig", "rdfxml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml",
                  "jsonld": "jsonld", "json-ld": "jsonld"}
GRAPH_FORMATS = ("turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld")
# formats whose results can say they were cut (the `link` of the results' head); an answer
# in any other format past --max-rows is refused rather than silently cut
SIGNALS_TRUNCATION = ("json", "xml")


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword after the prologue.

    >>> query_form("PREFIX x: <http://x/> # SELECT\\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    try:
        query = unescape(query)  # the text the engines run (see graph/safety.py)
    except QueryError:
        pass  # the worker refuses it with the reason; any format will do for that
    for tok in tokens(query):
        word = tok.text.upper()
        if tok.kind == "word" and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return word
    return "SELECT"


def _accepted(accept: str) -> list[str]:
    """The media types of an Accept header, best first (q-values honoured, q=0 dropped)."""
    choices = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q > 0 and media:
            choices.append((-q, i, media.lower()))
    return [media for _, _, media in sorted(choices)]


def negotiate(accept: str | None, form: str, explicit: str | None = None) -> str | None:
    """The output format: the Accept header first, `format=` (or `output=`) second.

    A media type named in Accept wins; a wildcard (`*/*`, a browser's default) or no Accept
    lets `format=` decide, then the default (SPARQL JSON, or Turtle for graphs).  None when
    Accept names only types we lack and no format= rescues it (HTTP 406).  SPARQLWrapper
    sends both (`format=rdf+xml` or `n3` with the right Accept): Accept must win.  When
    Accept's first choice is a type we lack (a browser's text/html), format= decides.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", "SELECT")
    'json'
    >>> negotiate("application/rdf+xml", "CONSTRUCT", "xml"), negotiate("*/*", "CONSTRUCT", "nt")
    ('rdfxml', 'ntriples')
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table = GRAPH_MEDIA if graph else RESULT_MEDIA
    default = "turtle" if graph else "json"
    asked = _explicit(explicit, graph)
    wildcard = not accept
    for rank, media in enumerate(_accepted(accept or "")):
        if media in table:
            # a browser's Accept puts text/html first and application/xml later: there the
            # user's format= is the request, not the browser's list
            return asked if asked and rank > 0 else table[media]
        if media in ("*/*", "application/*", "text/*"):
            wildcard = True
            break
    if asked:
        return asked
    return default if wildcard else None


def _explicit(name: str | None, graph: bool) -> str | None:
    """The format a `format=` value names, fitted to the query form (None: none we know)."""
    if not name:
        return None
    table = GRAPH_MEDIA if graph else RESULT_MEDIA
    fmt = FORMAT_ALIASES.get(name.lower()) or table.get(name.lower())
    if fmt is None:
        return None
    if graph and fmt not in GRAPH_FORMATS:
        return {"json": "jsonld", "xml": "rdfxml"}.get(fmt, "turtle")
    if not graph and fmt in GRAPH_FORMATS:
        return "json"
    return fmt


# ---------------------------------------------------------------------------- workers


def _watch_server(pid: int) -> None:
    """End this worker when the server is gone, even mid-query (the engines release the GIL
    while they evaluate): a server killed without its cleanup leaves no query running."""
    while True:
        time.sleep(0.5)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def _worker_main(conn: Any, location: str, engine: str, allow_remote: bool, server: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    threading.Thread(target=_watch_server, args=(server,), daemon=True).start()
    from newsgraph.graph.store import open_store
    from newsgraph.graph.store_query import run_store_query, serialize_result

    try:
        store = open_store(location, engine=engine)
        run_store_query(store, "ASK { ?s a ng:Article FILTER(?s != ?s) }")  # the parser's first-use costs
        conn.send(("ready", None))
    except Exception as exc:  # noqa: BLE001 - reported to the server, which refuses to start
        conn.send(("error", str(exc)))
        return
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = run_store_query(store, request["query"], request.get("bindings"), allow_remote=allow_remote,
                                     limit=request["limit"], checked=request.get("checked"))
            if result.truncated and request["fmt"] not in SIGNALS_TRUNCATION:
                conn.send(("ok", b"", True))  # refused by the server: this format cannot say it was cut
                continue
            body = serialize_result(result, request["fmt"], link=request.get("link") if result.truncated else None)
            conn.send(("ok", body, result.truncated))
        except NewsgraphError as exc:
            conn.send(("error", str(exc), False))
        except Exception as exc:  # noqa: BLE001 - an engine bug must not kill the worker
            conn.send(("error", f"the query failed: {type(exc).__name__}: {exc}", False))


def _context() -> Any:
    """Workers come from a fork server that has imported the store code once: a replacement
    starts in milliseconds, not the seconds a fresh interpreter takes (which, while slow
    queries run, is CPU the quick ones need).  `spawn` where there is no fork server."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["newsgraph.graph.store", "newsgraph.graph.store_query",
                                "rdflib.plugins.sparql.parser", "rdflib.plugins.sparql.algebra"])
    return ctx


class Worker:
    """One query process; killed and replaced when a query runs past the timeout."""

    def __init__(self, location: str, engine: str, allow_remote: bool) -> None:
        ctx = _context()
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, location, engine, allow_remote, os.getpid()),
                                daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(120):
            self.kill()
            raise StoreError(f"{location}: the query worker did not start within 120 s")
        status, message = self.conn.recv()
        if status != "ready":
            self.kill()
            raise StoreError(message)

    def send(self, request: Mapping[str, Any]) -> None:
        self.conn.send(dict(request))

    def wait(self, seconds: float) -> bool:
        return bool(self.conn.poll(max(0.0, seconds)))

    def reply(self) -> tuple[bytes, bool]:
        reply = self.conn.recv()
        if reply[0] == "ok":
            return reply[1], reply[2]
        raise QueryError(reply[1])

    def lower_priority(self) -> None:
        """Nice the process (a slow query yields the CPU to quick ones); it is retired after."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.proc.pid or 0, 19)  # background work: the weakest share
        except (AttributeError, OSError):
            pass

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class PoolBusy(Exception):
    """No worker came free within the query's timeout."""


class WorkerPool:
    """`size` query processes for quick queries, whatever the slow ones do.

    A query still running after `slow_after` seconds is slow: its worker is niced and a
    fresh worker is started in its place (up to `2 * size` in all), so slow queries never
    take the workers the quick ones need (issue 17: two slow queries made a simple one
    wait 29 s).  The slow query's worker is retired when it answers or is killed at the
    timeout, which brings the pool back to `size`.  A query waits up to `queue_wait` s
    for a free worker (a replacement takes a second or two to start); its own timeout
    starts when a worker takes it.
    """

    def __init__(self, location: str, *, size: int = 4, engine: str = "oxigraph", allow_remote: bool = False,
                 slow_after: float = 0.5, queue_wait: float = 60.0) -> None:
        self.location, self.engine, self.allow_remote = location, engine, allow_remote
        self.size, self.slow_after, self.queue_wait = max(1, size), slow_after, queue_wait
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.all: list[Worker] = []
        self.planned = 0  # workers alive or starting
        self.closed = False
        for _ in range(self.size):
            self.planned += 1
            self._add()

    def _add(self) -> None:
        try:
            worker = Worker(self.location, self.engine, self.allow_remote)
        except StoreError:
            with self.lock:
                self.planned -= 1
            raise
        with self.lock:
            if self.closed:
                worker.kill()
                return
            self.all.append(worker)
        self.idle.put(worker)

    def _add_quietly(self) -> None:
        try:
            self._add()
        except StoreError as exc:
            log.warning("could not start a query worker: %s", exc)

    def _grow(self, limit: int) -> None:
        with self.lock:
            if self.closed or self.planned >= limit:
                return
            self.planned += 1
        threading.Thread(target=self._add_quietly, daemon=True).start()  # off the request path

    def _retire(self, worker: Worker) -> None:
        worker.kill()
        with self.lock:
            if worker in self.all:
                self.all.remove(worker)
            self.planned -= 1
        self._grow(self.size)

    def run(self, request: Mapping[str, Any], timeout: float) -> tuple[bytes, bool]:
        try:
            worker = self.idle.get(timeout=self.queue_wait)
        except queue.Empty:
            raise PoolBusy from None
        deadline = time.monotonic() + timeout
        slow = False
        try:
            worker.send(request)
            if not worker.wait(min(self.slow_after, deadline - time.monotonic())):
                slow = True
                worker.lower_priority()
                self._grow(2 * self.size)
                if not worker.wait(deadline - time.monotonic()):
                    raise TimeoutError
            result = worker.reply()
        except QueryError:
            if slow:
                self._retire(worker)
            else:
                self.idle.put(worker)  # the query failed, the worker is fine
            raise
        except TimeoutError:
            self._retire(worker)
            raise
        except (EOFError, OSError) as exc:
            self._retire(worker)
            raise QueryError(f"the query worker died ({exc})") from exc
        if slow:
            self._retire(worker)
        else:
            self.idle.put(worker)
        return result

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers = list(self.all)
        for worker in workers:
            worker.kill()


# ---------------------------------------------------------------------------- HTTP


@dataclass
class EndpointConfig:
    timeout: float = 30.0
    max_rows: int = 10_000
    allow_remote: bool = False


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
SD_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "N-Triples", "N-Quads", "TriG", "RDF_XML", "JSON-LD")


def service_description(endpoint: str, config: EndpointConfig, location: str, fmt: str = "turtle") -> bytes:
    """The SPARQL 1.1 Service Description of this endpoint (what a GET without a query returns).

    It names the endpoint (`sd:endpoint`), the language (SPARQL 1.1 Query only: no update),
    the result formats, and that the default graph is the union of the named graphs.
    """
    from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

    sd, formats = Namespace(SD), Namespace(FORMATS)
    g = Graph()
    g.bind("sd", sd)
    g.bind("formats", formats)
    service = URIRef(endpoint)
    g.add((service, RDF.type, sd.Service))
    g.add((service, sd.endpoint, service))
    g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    g.add((service, sd.feature, sd.UnionDefaultGraph))
    for name in SD_FORMATS:
        g.add((service, sd.resultFormat, formats[name]))
    dataset, default = BNode("dataset"), BNode("default")
    g.add((service, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    g.add((dataset, sd.defaultGraph, default))
    g.add((default, RDF.type, sd.Graph))
    g.add((service, RDFS.label, Literal("newsgraph SPARQL endpoint")))
    remote = "allowed" if config.allow_remote else "refused"
    g.add((service, RDFS.comment, Literal(
        f"Read-only SPARQL 1.1 Query endpoint over the newsgraph store {Path(location).name}. "
        f"Updates and LOAD are refused; SERVICE and FROM of other graphs are {remote}. "
        f"Each query stops after {config.timeout:g} s. SPARQL JSON and XML answers longer than "
        f"{config.max_rows} rows are cut and carry a link to {endpoint.rsplit('/', 1)[0]}/limits in their head; "
        "answers in other formats that long are refused with HTTP 422.")))
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "nquads": "nt", "trig": "turtle",
                     "rdfxml": "xml", "jsonld": "json-ld"}[fmt]
    return g.serialize(format=rdflib_format, encoding="utf-8")  # type: ignore[return-value]


PAGE = """<!doctype html><meta charset="utf-8"><title>newsgraph SPARQL endpoint</title>
<h1>newsgraph SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 Protocol endpoint at <code>{url}</code> over <code>{location}</code>.
GET or POST <code>query=</code>; results as SPARQL JSON, XML, CSV, TSV; graphs as Turtle, N-Triples,
N-Quads, TriG, RDF/XML, JSON-LD. Timeout {timeout:g} s, at most {max_rows:,} rows per answer.
Its <a href="{url}?format=turtle">service description</a> (Turtle) is what a GET without a query returns
to a client that does not ask for HTML.</p>
<form action="{url}" method="get"><textarea name="query" rows="8" cols="80">SELECT ?entity ?label WHERE {{
  ?entity a ng:Person ; rdfs:label ?label }} LIMIT 20</textarea><br>
<select name="format"><option>text</option><option>json</option><option>csv</option></select>
<button>Run</button></form>
"""

LIMITS = """This endpoint cuts answers at {max_rows} rows (or triples): newsgraph serve --max-rows {max_rows}.
A SPARQL JSON or XML answer that was cut names this page in the "link" of its head (and the
X-Newsgraph-Truncated: true header); an answer in CSV, TSV or an RDF syntax that long is refused
with HTTP 422, since those formats cannot say they were cut.  Add LIMIT / OFFSET to page through.
"""


PARSER_LOCK = threading.Lock()


def make_handler(pool: WorkerPool, config: EndpointConfig, location: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "newsgraph-sparql/1"
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, fmt: str, *args: Any) -> None:
            log.info("%s %s", self.address_string(), fmt % args)

        def _base(self) -> str:
            return f"http://{self.headers.get('Host') or '%s:%d' % self.server.server_address[:2]}"

        def _send(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "X-Newsgraph-Truncated, X-Newsgraph-Max-Rows")
            self.send_header("Vary", "Accept")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            # headers and body in one write: two small writes meet Nagle's algorithm and the
            # client's delayed ACK, 40 ms per answer on loopback
            self._headers_buffer.append(b"\r\n")
            if self.command != "HEAD":
                self._headers_buffer.append(body)
            self.flush_headers()

        def _error(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
            self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

        def do_OPTIONS(self) -> None:
            self.send_response(HTTPStatus.NO_CONTENT)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if "query" in params or "update" in params:
                return self._answer(params)
            if url.path == "/limits":
                return self._send(200, LIMITS.format(max_rows=config.max_rows).encode(), "text/plain; charset=utf-8")
            if url.path not in ("/", "/sparql", "/query"):
                return self._error(404, f"no such resource {url.path}; the endpoint is /sparql")
            self._describe(url.path, params)

        do_HEAD = do_GET

        def _describe(self, path: str, params: Mapping[str, list[str]]) -> None:
            """HTML for a browser (it asks for text/html first), else the service description."""
            endpoint = self._base() + "/sparql"
            explicit = (params.get("format") or params.get("output") or [""])[0] or None
            accepted = _accepted(self.headers.get("Accept") or "")
            html_first = bool(accepted) and accepted[0] in ("text/html", "application/xhtml+xml")
            if html_first and not explicit:
                page = PAGE.format(url=endpoint, location=location, timeout=config.timeout, max_rows=config.max_rows)
                return self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")
            fmt = negotiate(self.headers.get("Accept"), "DESCRIBE", explicit)
            if fmt is None:
                return self._error(406, "the service description comes as Turtle, N-Triples, RDF/XML or JSON-LD")
            body = service_description(endpoint, config, location, fmt)
            ctype = CONTENT_TYPES["ntriples" if fmt == "nquads" else "turtle" if fmt == "trig" else fmt]
            self._send(200, body, ctype)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            url = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if ctype == "application/sparql-update":
                return self._error(403, "this endpoint is read-only: SPARQL Update is refused "
                                        "(change the store with newsgraph build / newsgraph remove)")
            if ctype == "application/sparql-query":
                params["query"] = [body]
            elif ctype in ("application/x-www-form-urlencoded", ""):
                for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
            else:
                return self._error(415, f"unsupported Content-Type {ctype!r}; use "
                                        "application/x-www-form-urlencoded or application/sparql-query")
            self._answer(params)

        def _answer(self, params: Mapping[str, list[str]]) -> None:
            if "update" in params:
                return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            queries = params.get("query", [])
            if len(queries) != 1 or not queries[0].strip():
                return self._error(400, "give exactly one non-empty 'query' parameter")
            if params.get("default-graph-uri") or params.get("named-graph-uri"):
                return self._error(400, "default-graph-uri / named-graph-uri are not supported; "
                                        "the default graph is the union of the store's graphs (use GRAPH or FROM)")
            text = queries[0]
            form = query_form(text)
            # SPARQLWrapper repeats its format in format=, output= and results=: any of them may carry it
            explicit = next((v[0] for k in ("format", "output", "results") if (v := params.get(k)) and v[0]), None)
            fmt = negotiate(self.headers.get("Accept"), form, explicit)
            if fmt is None:
                return self._error(406, "none of the requested media types is supported; results come as "
                                        "SPARQL JSON/XML, CSV, TSV; graphs as Turtle, N-Triples, N-Quads, TriG, "
                                        "RDF/XML, JSON-LD")
            started = time.perf_counter()
            from newsgraph.graph.safety import inspect_query
            from newsgraph.graph.store_query import ALL_PREFIXES

            try:  # parsed once here (cached per text), not once in each worker that gets it
                with PARSER_LOCK:  # rdflib's parser (pyparsing) is not safe in two threads at once
                    checked = inspect_query(text, ALL_PREFIXES)
            except QueryError as exc:
                return self._error(400, str(exc))
            request = {"query": text, "fmt": fmt, "limit": config.max_rows, "link": self._base() + "/limits",
                       "checked": checked}
            try:
                body, truncated = pool.run(request, config.timeout)
            except PoolBusy:
                return self._error(503, f"every query worker stayed busy for {pool.queue_wait:g} s; try again",
                                   {"Retry-After": "1"})
            except TimeoutError:
                return self._error(503, f"the query ran past the timeout of {config.timeout:g} s and was stopped")
            except QueryError as exc:
                return self._error(400, str(exc))
            headers = {"X-Newsgraph-Truncated": "true" if truncated else "false",
                       "X-Newsgraph-Seconds": f"{time.perf_counter() - started:.3f}"}
            if truncated:
                headers["X-Newsgraph-Max-Rows"] = str(config.max_rows)
                if fmt not in SIGNALS_TRUNCATION:
                    return self._error(422, f"the answer has more than {config.max_rows} rows (newsgraph serve "
                                            f"--max-rows) and {fmt} cannot say it was cut: add LIMIT / OFFSET, "
                                            "or ask for SPARQL JSON or XML, which are cut and say so", headers)
            self._send(200, body, CONTENT_TYPES[fmt], headers)

    return Handler


class EndpointServer(ThreadingHTTPServer):
    """One thread per connection, and a listen backlog that holds a burst of clients
    (socketserver's default of 5 reset connections under 16 clients: issue 17)."""

    request_queue_size = 128
    daemon_threads = True


def serve(
    location: str,
    *,
    host: str = "127.0.0.1",
    port: int = 7879,
    workers: int = 4,
    timeout: float = 30.0,
    max_rows: int = 10_000,
    allow_remote: bool = False,
    engine: str = "oxigraph",
    ready: Any = None,
) -> None:
    """Serve `location` until interrupted.  `ready(url)` is called once it listens."""
    from newsgraph.graph.store import StoreLock, check_store_dir, is_remote, is_store_dir

    lock = None
    if not is_remote(location) and Path(location).is_dir() and is_store_dir(location):
        check_store_dir(Path(location), create=False)
        lock = StoreLock(Path(location), exclusive=False).acquire()  # no build while we serve
    pool = None
    try:
        pool = WorkerPool(location, size=workers, engine=engine, allow_remote=allow_remote)
        config = EndpointConfig(timeout=timeout, max_rows=max_rows, allow_remote=allow_remote)
        try:
            httpd = EndpointServer((host, port), make_handler(pool, config, location))
        except OSError as exc:
            raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        url = f"http://{host}:{httpd.server_address[1]}/sparql"
        if ready:
            ready(url)
        previous = signal.signal(signal.SIGTERM, _stop)  # `kill` stops the workers too
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            httpd.server_close()
    finally:
        if pool is not None:
            pool.close()
        if lock is not None:
            lock.release()


def _stop(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def describe_config(**kwargs: Any) -> str:
    return json.dumps(kwargs, sort_keys=True)
