r"""Refuse SPARQL that would reach outside the store: SERVICE, FROM <elsewhere>, LOAD, updates.

Both rdflib and pyoxigraph follow `SERVICE <http://...>`, and rdflib fetches any
`FROM <iri>` it does not hold (`file:` included), so a query typed into `newsgraph
query` or sent to `newsgraph serve` could read local files or make this machine call
other hosts.  The check therefore looks at what an engine would *run*, not at the text
as typed (issue 17: `SE\u0052VICE` passed a check on the text, and rdflib, which
expands `\u` escapes before parsing as the SPARQL spec says, called the URL):

1. `unescape` applies the spec's `\uXXXX` / `\UXXXXXXXX` step once.  The result is the
   text every engine is given, so no engine sees an escape the check did not; a text that
   still holds an escape afterwards (`\u005Cu0052`: a second round would change it) is
   refused, because a second unescaping engine would read it differently.
2. `inspect_query` parses that text with rdflib's SPARQL 1.1 parser and translates it to
   its algebra (prefixed names and BASE resolved), and lists the SERVICE nodes anywhere in
   it and the FROM / FROM NAMED IRIs.  A text that does not parse as a query but parses
   as an update is refused as an update; anything else that does not parse is a syntax
   error (nothing runs).
3. pyoxigraph has no parser of its own to call without running the query, so the algebra
   is cross-checked with a token scan of the same text (strings, IRIs, comments skipped):
   a SERVICE or FROM keyword the scan sees but the parser did not is refused too, in case
   the two parsers ever read one text differently.

`rdflib_loading_off()` also turns rdflib's graph loading (`SPARQL_LOAD_GRAPHS`) off, so
even a FROM that got through would select from the store and never fetch.

>>> check_query('SELECT * WHERE { ?s ?p "SERVICE <http://x>" }').form
'SELECT'
>>> check_query('SELECT * WHERE { SE\\u0052VICE <http://example.org/sparql> { ?s ?p ?o } }')
Traceback (most recent call last):
...
newsgraph.errors.QueryError: the query uses SERVICE <http://example.org/sparql>, which makes the engine call another server; refused (pass --allow-remote to allow it)
"""
from __future__ import annotations

import re
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from newsgraph.errors import QueryError

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})

_TOKEN = re.compile(
    r'''(?P<comment>\#[^\n]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                   |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)
      | (?P<word>[A-Za-z_\u00c0-\uffff][A-Za-z0-9_.\-\u00b7-\uffff]*(?::[^\s{}()\[\],;<>"'#]*)?
               |:[^\s{}()\[\],;<>"'#]*)
      | (?P<space>\s+)
      | (?P<other>.)''',
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(query: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL text (no comments, no whitespace)."""
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind not in ("comment", "space"):
            yield Token(kind, m.group(), m.start())


@dataclass(frozen=True)
class Scan:
    """What the checks need from a query, found in one pass and cached per query text."""

    toks: tuple[Token, ...]
    words: frozenset[str]
    prefixes: tuple[tuple[str, str], ...]
    has_from: bool


@lru_cache(maxsize=512)
def scan(query: str) -> Scan:
    toks = tuple(tokens(query))
    words = frozenset(t.text.upper() for t in toks if t.kind == "word")
    return Scan(toks, words, tuple(_prefixes(list(toks)).items()), "FROM" in words)


def _prefixes(toks: list[Token]) -> dict[str, str]:
    declared: dict[str, str] = {}
    for i, tok in enumerate(toks[:-2]):
        if tok.kind == "word" and tok.text.upper() == "PREFIX" and toks[i + 2].kind == "iri":
            declared[toks[i + 1].text.rstrip(":")] = toks[i + 2].text[1:-1]
    return declared


# ---------------------------------------------------------------------------- unescaping

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# what rdflib's own pre-parse step would still expand (it also takes \U with 4 digits)
_LEFTOVER = re.compile(r"\\u[0-9a-f]{4}", re.IGNORECASE)


def unescape(query: str) -> str:
    r"""The query after SPARQL's codepoint-escape step (section 19.2), done once.

    Engines are given this text, never the original: rdflib would expand the escapes
    itself (so a keyword can be spelt `SE\u0052VICE`), pyoxigraph only inside strings and
    IRIs; giving both the expanded text makes them read the text the check read.

    >>> unescape(r'SE\u0052VICE <http://x\U0000002Fy>')
    'SERVICE <http://x/y>'
    >>> unescape(r'SELECT * { ?s ?p "\u005Cu0052" }')
    Traceback (most recent call last):
    ...
    newsgraph.errors.QueryError: the query still holds an escape (\u0052) after its \u escapes are expanded; refused, because an engine that expands escapes again would read another query than the one checked
    """
    def expand(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"the query has the escape {m.group()}, which is not a Unicode character; refused")
        return chr(code)

    text = _ESCAPE.sub(expand, query)
    left = _LEFTOVER.search(text)
    if left:
        raise QueryError(
            f"the query still holds an escape ({left.group()}) after its \\u escapes are expanded; "
            "refused, because an engine that expands escapes again would read another query "
            "than the one checked"
        )
    return text


# ---------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class CheckedQuery:
    """What a query would do, read from rdflib's algebra of its unescaped text.

    `text` is what the engines must be given (see `unescape`); `services` holds each
    SERVICE target (an IRI, or `?var`); `datasets` each FROM / FROM NAMED as
    ("FROM" | "FROM NAMED", IRI), prefixed names and relative IRIs resolved.
    """

    text: str
    form: str
    services: tuple[str, ...]
    datasets: tuple[tuple[str, str], ...]


_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
          "DescribeQuery": "DESCRIBE"}
_UPDATES = {"Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
            "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
            "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT"}


def rdflib_loading_off() -> None:
    """Stop rdflib from fetching the IRI of a FROM / FROM NAMED graph it does not hold.

    rdflib's default (`SPARQL_LOAD_GRAPHS = True`) parses such an IRI as a URL, `file:`
    included; newsgraph's queries only ever read the store.  Called at import and again
    before each rdflib query, so no other code can have turned loading back on.
    """
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


rdflib_loading_off()


def _syntax_error(exc: Exception, text: str) -> QueryError:
    """A pyparsing error as a message that names the line and column (and shows the line)."""
    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    msg = getattr(exc, "msg", None) or str(exc)
    if line is None or col is None:
        return QueryError(f"SPARQL syntax error: {msg}")
    near = text.splitlines()[line - 1].strip() if 0 < line <= len(text.splitlines()) else ""
    shown = f' (in "{near[:80]}")' if near else ""
    return QueryError(f"SPARQL syntax error at line {line}, column {col}: {msg}{shown}")


def _update_forms(text: str) -> list[str] | None:
    """The operations of `text` if it parses as a SPARQL Update request, else None."""
    from rdflib.plugins.sparql.parser import UpdateUnit

    try:
        parsed = UpdateUnit.parse_string(text, parse_all=True)[0]
    except Exception:  # noqa: BLE001 - not an update either: the caller reports the query error
        return None
    return [_UPDATES.get(op.name, op.name) for op in parsed.request or []]


def _walk(node: object) -> Iterator[object]:
    """Every node of an rdflib algebra / parse tree (CompValues, lists, ParseResults)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))  # type: ignore[call-overload]


def _service_targets(algebra: object) -> tuple[str, ...]:
    targets = []
    for node in _walk(algebra):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            term = node["term"]  # type: ignore[index]
            targets.append(term.n3() if type(term).__name__ == "Variable" else str(term))
    return tuple(targets)


_PN_LOCAL_ESC = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


def _dataset_clauses(algebra: object) -> tuple[tuple[str, str], ...]:
    """FROM / FROM NAMED IRIs as Oxigraph reads them.

    rdflib keeps a prefixed name's escapes (`ngid:graph\\/entities` gives `.../graph\\/entities`,
    which no store holds); Oxigraph, like the spec, drops the backslash.  An IRI cannot hold
    a backslash, so dropping it here only ever matches the graph the engine will read.
    """
    clauses = []
    for clause in getattr(algebra, "datasetClause", None) or []:
        # (CompValue.get returns the key itself for a missing key: test with `in`)
        if "default" in clause:
            clauses.append(("FROM", _PN_LOCAL_ESC.sub(r"\1", str(clause["default"]))))
        elif "named" in clause:
            clauses.append(("FROM NAMED", _PN_LOCAL_ESC.sub(r"\1", str(clause["named"]))))
    return tuple(clauses)


@lru_cache(maxsize=512)
def _inspect(query: str, prefixes: tuple[tuple[str, str], ...]) -> CheckedQuery:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import Query

    text = unescape(query)
    try:
        parsed = Query.parse_string(text, parse_all=True)  # rdflib's parseQuery minus its own unescaping
    except Exception as exc:  # noqa: BLE001 - pyparsing raises ParseException and friends
        updates = _update_forms(text)
        if updates is not None:
            raise QueryError(
                f"this is a SPARQL Update ({', '.join(dict.fromkeys(updates))}); newsgraph runs queries only "
                "(SELECT, ASK, CONSTRUCT, DESCRIBE) and never changes a store through SPARQL"
            ) from exc
        raise _syntax_error(exc, text) from exc
    try:
        algebra = translateQuery(parsed, initNs=dict(prefixes)).algebra
    except Exception as exc:  # noqa: BLE001 - unknown prefixes and the like
        raise QueryError(f"SPARQL error: {exc}") from exc
    return CheckedQuery(text, _FORMS.get(algebra.name, "SELECT"), _service_targets(algebra),
                        _dataset_clauses(algebra))


def inspect_query(query: str, default_prefixes: Mapping[str, str] | None = None) -> CheckedQuery:
    """Parse `query` (escapes expanded) and say what it would do; QueryError for updates and bad syntax.

    `default_prefixes` are the prefixes the engines predeclare (a query's own PREFIX wins).
    Cached per text: the CLI and the endpoint's workers see the same queries again and again.

    >>> inspect_query("PREFIX e: <http://127.0.0.1:9/> SELECT * { SERVICE e:s { ?s ?p ?o } }").services
    ('http://127.0.0.1:9/s',)
    >>> inspect_query("BASE <file:///tmp/> SELECT * FROM NAMED <secret.ttl> { ?s ?p ?o }").datasets
    (('FROM NAMED', 'file:///tmp/secret.ttl'),)
    """
    return _inspect(query, tuple(sorted((default_prefixes or {}).items())))


# ---------------------------------------------------------------------------- refusing

_REMOTE_HINT = "refused (pass --allow-remote to allow it)"


def refuse_remote(checked: CheckedQuery, *, allow_remote: bool = False,
                  known_graphs: Container[str] | None = None) -> None:
    """Raise QueryError for SERVICE, or a FROM / FROM NAMED that is not one of `known_graphs`.

    `known_graphs` are the store's own named graphs: `FROM <g>` of one of them only chooses
    what the query reads.  Any other IRI is refused whatever its scheme (`http:`, `file:`,
    `urn:`): rdflib would try to fetch it if graph loading were on.
    """
    _cross_check(checked)
    if allow_remote:
        return
    if checked.services:
        raise QueryError(f"the query uses SERVICE {_shown(checked.services[0])}, which makes the engine "
                         f"call another server; {_REMOTE_HINT}")
    for keyword, iri in checked.datasets:
        if known_graphs is None or iri not in known_graphs:
            raise QueryError(f"the query reads {keyword} <{iri}>, which is not a graph of this store and "
                             f"would be fetched from outside; {_REMOTE_HINT}")


def _shown(target: str) -> str:
    return target if target.startswith("?") else f"<{target}>"


def _cross_check(checked: CheckedQuery) -> None:
    """Refuse a text whose tokens show SERVICE, FROM or an update keyword the parser did not see.

    pyoxigraph parses the text itself, with a parser we cannot call without running the query;
    should it ever read a keyword where rdflib's read none, this catches it.
    """
    words = scan(checked.text).words
    updates = sorted(UPDATE_KEYWORDS & words)
    if updates:
        raise QueryError(f"the query has the update keyword {updates[0]}; newsgraph runs queries only "
                         "(SELECT, ASK, CONSTRUCT, DESCRIBE) and never changes a store through SPARQL")
    if "SERVICE" in words and not checked.services:
        raise QueryError("the query's text has SERVICE where the SPARQL parser found none; refused, "
                         "because the two engines could read it differently")
    if "FROM" in words and not checked.datasets:
        raise QueryError("the query's text has FROM where the SPARQL parser found none; refused, "
                         "because the two engines could read it differently")


def check_query(
    query: str,
    *,
    allow_remote: bool = False,
    known_graphs: Container[str] | None = None,
    default_prefixes: Mapping[str, str] | None = None,
) -> CheckedQuery:
    """Parse `query` and refuse updates, and SERVICE / FROM elsewhere (unless `allow_remote`).

    Returns the checked query: run `.text`, the unescaped text that was checked.

    >>> check_query("SELECT * FROM <https://w3id.org/newsgraph/id/graph/entities> WHERE { ?s ?p ?o }",
    ...             known_graphs={"https://w3id.org/newsgraph/id/graph/entities"}).datasets
    (('FROM', 'https://w3id.org/newsgraph/id/graph/entities'),)
    >>> check_query("SELECT * FR\\u004FM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    newsgraph.errors.QueryError: the query reads FROM <file:///etc/passwd>, which is not a graph of this store and would be fetched from outside; refused (pass --allow-remote to allow it)
    """
    checked = inspect_query(query, default_prefixes)
    refuse_remote(checked, allow_remote=allow_remote, known_graphs=known_graphs)
    return checked
