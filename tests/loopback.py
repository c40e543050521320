"""A loopback listener that records every connection, and the SPARQL tricks of issue 17.

Test modules import what they use: `from loopback import Listener, refused_queries`.

`Listener` is a real HTTP server on 127.0.0.1 (a thread, started and stopped by the test):
a query that got past the safety check and made an engine call out shows up in `hits`.
It answers every request at once with an empty SPARQL JSON result, so an engine that does
call it (the positive controls) gets an answer instead of hanging.
"""
from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

EMPTY_RESULTS = b'{"head": {"vars": []}, "results": {"bindings": []}}'
SECRET = "newsgraph-secret-7f3a"  # in the local file a query must never read


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        text = urllib.parse.unquote_plus(body.decode("utf-8", "replace"))
        self.server.hits.append(f"{self.command} {self.path} {text}".strip())  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(EMPTY_RESULTS)))
        self.end_headers()
        self.wfile.write(EMPTY_RESULTS)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args: Any) -> None:
        pass


class Listener:
    """An HTTP server on 127.0.0.1:<free port> in a thread; `hits` lists the requests it got
    ("METHOD path body", the body URL-decoded)."""

    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        self.httpd.daemon_threads = True
        self.httpd.timeout = 5
        self.hits: list[str] = []
        self.httpd.hits = self.hits  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def __enter__(self) -> Listener:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def secret_file(folder: Path) -> Path:
    """A Turtle file whose one statement holds SECRET: a query that reads it shows SECRET."""
    path = folder / "secret.ttl"
    path.write_text(f'<http://example.org/s> <http://example.org/p> "{SECRET}" .\n', encoding="utf-8")
    return path


@dataclass(frozen=True)
class Trick:
    name: str
    query: str  # {url}: the listener; {file}: the secret file's file: IRI; {dir}: its folder's
    reason: str  # what the refusal must name (a regex)


# \\u in these strings is a backslash and a u in the query text, as a user would type it
TRICKS = [
    Trick("service", "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }", "SERVICE"),
    Trick("service-escaped-u", "SELECT * WHERE { SE\\u0052VICE <{url}> { ?s ?p ?o } }", "SERVICE"),
    Trick("service-escaped-U", "SELECT * WHERE { SE\\U00000052VICE <{url}> { ?s ?p ?o } }", "SERVICE"),
    Trick("service-all-escaped", "SELECT * WHERE { \\u0053\\u0045\\u0052\\u0056\\u0049\\u0043\\u0045 <{url}> { ?s ?p ?o } }",
          "SERVICE"),
    Trick("service-mixed-case", "select * where { sErViCe <{url}> { ?s ?p ?o } }", "SERVICE"),
    Trick("service-silent-nested", "SELECT * WHERE { ?x ?y ?z OPTIONAL { { SELECT * WHERE { "
          "SERVICE SILENT <{url}> { ?s ?p ?o } } } } }", "SERVICE"),
    Trick("service-in-filter-exists", "SELECT * WHERE { ?x ?y ?z FILTER NOT EXISTS { GRAPH ?g { "
          "SERVICE <{url}> { ?s ?p ?o } } } }", "SERVICE"),
    Trick("service-in-projection", "SELECT (EXISTS { SERVICE <{url}> { ?s ?p ?o } } AS ?e) WHERE { }", "SERVICE"),
    Trick("service-prefixed-name", "PREFIX r: <{url}> SELECT * WHERE { SERVICE r:sparql { ?s ?p ?o } }", "SERVICE"),
    Trick("service-variable", "SELECT * WHERE { VALUES ?u { <{url}> } SERVICE ?u { ?s ?p ?o } }", "SERVICE"),
    Trick("service-after-escaped-newline",  # a comment for the text as typed, code once unescaped
          "SELECT * WHERE { ?x ?y ?z # note\\u000A SERVICE <{url}> { ?s ?p ?o }\n}", "SERVICE"),
    Trick("service-double-escaped", "SELECT * WHERE { SE\\u005Cu0052VICE <{url}> { ?s ?p ?o } }", "escape"),
    Trick("from-file", "SELECT * FROM <{file}> WHERE { ?s ?p ?o }", "FROM"),
    Trick("from-escaped", "SELECT * FR\\u004FM <{file}> WHERE { ?s ?p ?o }", "FROM"),
    Trick("from-mixed-case", "select * from <{file}> where { ?s ?p ?o }", "FROM"),
    Trick("from-named-file", "SELECT * FROM NAMED <{file}> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM NAMED"),
    Trick("from-relative-to-base", "BASE <{dir}> SELECT * FROM <secret.ttl> WHERE { ?s ?p ?o }", "FROM"),
    Trick("from-prefix-redeclared", "PREFIX ng: <{dir}> SELECT * FROM ng:secret.ttl WHERE { ?s ?p ?o }", "FROM"),
    Trick("from-listener", "CONSTRUCT { ?s ?p ?o } FROM <{url}data.ttl> WHERE { ?s ?p ?o }", "FROM"),
    Trick("describe-from", "DESCRIBE ?s FROM <{file}> WHERE { ?s ?p ?o }", "FROM"),
    Trick("load", "LOAD <{url}data.ttl>", "SPARQL Update.*LOAD"),
    Trick("load-escaped", "LO\\u0041D <{file}> INTO GRAPH <urn:x:g>", "SPARQL Update.*LOAD"),
    Trick("load-mixed-case", "lOaD SILENT <{url}data.ttl>", "SPARQL Update.*LOAD"),
    Trick("insert-data", "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }", "SPARQL Update.*INSERT"),
    Trick("delete-where", "DELETE WHERE { ?s ?p ?o }", "SPARQL Update.*DELETE"),
    Trick("modify", "WITH <urn:x:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
          "SPARQL Update"),
    Trick("drop-all", "DROP ALL", "SPARQL Update.*DROP"),
    Trick("clear-escaped", "\\u0043LEAR ALL", "SPARQL Update.*CLEAR"),
    Trick("copy", "COPY DEFAULT TO <urn:x:g>", "SPARQL Update.*COPY"),
    Trick("query-then-load", "SELECT * WHERE { ?s ?p ?o } ; LOAD <{url}data.ttl>", "refused|syntax error"),
]


def fill(trick: Trick, listener: Listener, secret: Path) -> str:
    """The trick's query text with the listener's URL and the secret file's IRIs put in."""
    return (trick.query.replace("{url}", listener.url).replace("{file}", secret.resolve().as_uri())
            .replace("{dir}", secret.parent.resolve().as_uri() + "/"))


def trick_ids() -> Iterator[str]:
    return (t.name for t in TRICKS)
