"""`newsgraph serve`: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1.

Standard clients (YASGUI, SPARQLWrapper, curl) work: GET `?query=`, POST form
(`query=`) or POST `application/sparql-query`, with content negotiation for SPARQL
JSON / XML / CSV / TSV results and Turtle / N-Triples / RDF-XML / JSON-LD graphs (the
`Accept` header, or `format=json` etc.).  CORS is open so a browser YASGUI can call it.

What it refuses, and why:

* updates (POST `update=` or `application/sparql-update`): the endpoint is read-only;
  stores change only through `newsgraph build` / `remove`, which keep resolution right;
* SERVICE, and FROM / FROM NAMED of anything but the store's own graphs, unless started with
  --allow-remote; every update form (LOAD included) always.  Each worker parses the query
  (escapes expanded, as engines do) and reads the refusals off its algebra: see
  `graph/safety.py` and `graph/store_query.run_store_query`, the one way in;
* queries that run past `timeout` seconds: each query runs in a worker process that is
  killed and replaced at the deadline (neither engine can interrupt a query itself);
* more than `max_rows` rows or triples: the answer is cut there and says so in the
  `X-Newsgraph-Truncated: true` header.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import queue
import signal
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
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/plain": "table",
}
GRAPH_MEDIA = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "table": "text/plain; charset=utf-8", "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json",
}
FORMAT_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "text": "table",
                  "turtle": "turtle", "ttl": "turtle", "nt": "ntriples", "ntriples": "ntriples",
                  "rdfxml": "rdfxml", "jsonld": "jsonld", "json-ld": "jsonld"}


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


def negotiate(accept: str | None, form: str, explicit: str | None = None) -> str | None:
    """The output format for an Accept header (q-values honoured); None when nothing fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", "SELECT")
    'json'
    >>> negotiate("application/rdf+xml", "CONSTRUCT"), negotiate("*/*", "CONSTRUCT")
    ('rdfxml', 'turtle')
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table = GRAPH_MEDIA if graph else RESULT_MEDIA
    default = "turtle" if graph else "json"
    if explicit:
        fmt = FORMAT_ALIASES.get(explicit.lower()) or table.get(explicit.lower())
        if fmt is None:
            return None
        if graph and fmt in ("json", "xml", "csv", "tsv", "table"):
            return {"json": "jsonld", "xml": "rdfxml"}.get(fmt, "turtle")
        if not graph and fmt in ("turtle", "ntriples", "rdfxml", "jsonld"):
            return default
        return fmt
    if not accept:
        return default
    choices = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        choices.append((-q, i, media.lower()))
    for negq, _, media in sorted(choices):
        if negq == 0:
            continue
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


# ---------------------------------------------------------------------------- workers


def _worker_main(conn: Any, location: str, engine: str, allow_remote: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    from newsgraph.graph.store import open_store
    from newsgraph.graph.store_query import run_store_query, serialize_result

    try:
        store = open_store(location, engine=engine)
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
            result = run_store_query(store, request["query"], request.get("bindings"),
                                     allow_remote=allow_remote, limit=request["limit"])
            body = serialize_result(result, request["fmt"])
            conn.send(("ok", body, result.truncated))
        except NewsgraphError as exc:
            conn.send(("error", str(exc), False))
        except Exception as exc:  # noqa: BLE001 - an engine bug must not kill the worker
            conn.send(("error", f"the query failed: {type(exc).__name__}: {exc}", False))


class Worker:
    """One query process; killed and replaced when a query runs past the timeout."""

    def __init__(self, location: str, engine: str, allow_remote: bool) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, location, engine, allow_remote), daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(120):
            self.kill()
            raise StoreError(f"{location}: the query worker did not start within 120 s")
        status, message = self.conn.recv()
        if status != "ready":
            self.kill()
            raise StoreError(message)

    def run(self, request: Mapping[str, Any], timeout: float) -> tuple[bytes, bool]:
        self.conn.send(dict(request))
        if not self.conn.poll(timeout):
            raise TimeoutError
        reply = self.conn.recv()
        if reply[0] == "ok":
            return reply[1], reply[2]
        raise QueryError(reply[1])

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class WorkerPool:
    def __init__(self, location: str, *, size: int = 2, engine: str = "oxigraph", allow_remote: bool = False) -> None:
        self.location, self.engine, self.allow_remote = location, engine, allow_remote
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.all: list[Worker] = []
        for _ in range(max(1, size)):
            self._add()

    def _add(self) -> None:
        worker = Worker(self.location, self.engine, self.allow_remote)
        self.all.append(worker)
        self.idle.put(worker)

    def run(self, request: Mapping[str, Any], timeout: float) -> tuple[bytes, bool]:
        worker = self.idle.get()
        try:
            result = worker.run(request, timeout)
        except QueryError:
            self.idle.put(worker)  # the query failed, the worker is fine
            raise
        except TimeoutError:
            worker.kill()
            self.all.remove(worker)
            threading.Thread(target=self._add, daemon=True).start()  # a fresh worker, off the request path
            raise
        except (EOFError, OSError, BrokenPipeError) as exc:
            worker.kill()
            self.all.remove(worker)
            threading.Thread(target=self._add, daemon=True).start()
            raise QueryError(f"the query worker died ({exc})") from exc
        self.idle.put(worker)
        return result

    def close(self) -> None:
        for worker in list(self.all):
            worker.kill()


# ---------------------------------------------------------------------------- HTTP


@dataclass
class EndpointConfig:
    timeout: float = 30.0
    max_rows: int = 10_000
    allow_remote: bool = False


PAGE = """<!doctype html><meta charset="utf-8"><title>newsgraph SPARQL endpoint</title>
<h1>newsgraph SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 Protocol endpoint at <code>{url}sparql</code> over <code>{location}</code>.
GET or POST <code>query=</code>; results as SPARQL JSON, XML, CSV, TSV; graphs as Turtle, N-Triples,
RDF/XML, JSON-LD. Timeout {timeout:g} s, at most {max_rows:,} rows per answer.</p>
<form action="sparql" method="get"><textarea name="query" rows="8" cols="80">SELECT ?entity ?label WHERE {{
  ?entity a ng:Person ; rdfs:label ?label }} LIMIT 20</textarea><br>
<select name="format"><option>text</option><option>json</option><option>csv</option></select>
<button>Run</button></form>
"""


def make_handler(pool: WorkerPool, config: EndpointConfig, location: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "newsgraph-sparql/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt: str, *args: Any) -> None:
            log.info("%s %s", self.address_string(), fmt % args)

        def _send(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "X-Newsgraph-Truncated")
            self.send_header("Vary", "Accept")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

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
            if "query" not in params and "update" not in params:
                if url.path in ("/", "/sparql", "/query"):
                    host = f"http://{self.headers.get('Host', 'localhost')}/"
                    page = PAGE.format(url=host, location=location, timeout=config.timeout, max_rows=config.max_rows)
                    return self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")
                return self._error(404, f"no such resource {url.path}; the endpoint is /sparql")
            self._answer(params)

        do_HEAD = do_GET

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
            explicit: str | None = (params.get("format") or params.get("output") or [""])[0] or None
            fmt = negotiate(self.headers.get("Accept"), form, explicit)
            if fmt is None:
                return self._error(406, "none of the requested media types is supported; results come as "
                                        "SPARQL JSON/XML, CSV, TSV; graphs as Turtle, N-Triples, RDF/XML, JSON-LD")
            started = time.perf_counter()
            try:
                body, truncated = pool.run({"query": text, "fmt": fmt, "limit": config.max_rows}, config.timeout)
            except TimeoutError:
                return self._error(503, f"the query ran past the timeout of {config.timeout:g} s and was stopped")
            except QueryError as exc:
                return self._error(400, str(exc))
            headers = {"X-Newsgraph-Truncated": "true" if truncated else "false",
                       "X-Newsgraph-Seconds": f"{time.perf_counter() - started:.3f}"}
            if truncated:
                headers["X-Newsgraph-Max-Rows"] = str(config.max_rows)
            self._send(200, body, CONTENT_TYPES[fmt], headers)

    return Handler


def serve(
    location: str,
    *,
    host: str = "127.0.0.1",
    port: int = 7879,
    workers: int = 2,
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
            httpd = ThreadingHTTPServer((host, port), make_handler(pool, config, location))
        except OSError as exc:
            raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        httpd.daemon_threads = True
        url = f"http://{host}:{httpd.server_address[1]}/sparql"
        if ready:
            ready(url)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            httpd.server_close()
    finally:
        if pool is not None:
            pool.close()
        if lock is not None:
            lock.release()


def describe_config(**kwargs: Any) -> str:
    return json.dumps(kwargs, sort_keys=True)
