"""Fuzz of the request parser and the exporter: thousands of generated and mutated requests.

Each request is split at random points and delivered over random poll() rounds, to servers on
several ports' fake sockets, a few clients at a time. After each: any answer is one well-formed
HTTP/1.1 response (and the exact one for a request whose answer is known), a complete head always
gets an answer, every accepted socket was closed exactly once, nothing leaked, and the next
Prometheus scrape gets the exact page. Each test prints how many inputs it tried.

The inputs come from a seeded generator written here (MicroPython's random lacks most of
CPython's), so every run tries the same inputs and a failure names the case that replays it.
FUZZ_SEED=n picks other inputs, FUZZ_SCALE=n tries n times as many (environment variables).
"""

import os
import sys
import time

from fakesock import (
    CPYTHON,
    ESP32S3,
    MICROPYTHON,
    PICO_W,
    PROMETHEUS_ACCEPT,
    PROMETHEUS_HEAD,
    REASONS,
    SMALL_BUILD,
    WIZNET5K,
    Board,
    FakePool,
    blank_line_end,
    owes_answer,
    well_formed,
)
from support import board_registry

from prometheus_express.exposition import generate_latest as text_page
from prometheus_express.http import Reject, Request, head_end
from prometheus_express.openmetrics.exposition import generate_latest as om_page
from prometheus_express.server import MetricsServer

_MICROPYTHON = sys.implementation.name != "cpython"


def _env(name, default):
    getenv = getattr(os, "getenv", None)
    value = getenv(name) if getenv else None
    return int(value) if value else default


SEED = _env("FUZZ_SEED", 20250607)
SCALE = _env("FUZZ_SCALE", 1)


class _Rng:
    """xorshift32 (Marsaglia 2003): the same numbers on every runtime."""

    def __init__(self, seed):
        self.x = (seed & 0xFFFFFFFF) or 1

    def below(self, n):
        x = self.x
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.x = x
        return x % n

    def chance(self, percent):
        return self.below(100) < percent

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def noise(self, n):
        out = bytearray(n)
        for i in range(n):
            out[i] = self.below(256)
        return bytes(out)


# -- what the answers must be (client_python's content types) ---------------------------------

TEXT_004 = "text/plain; version=0.0.4; charset=utf-8"
OM_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8"
PLAIN = "text/plain; charset=utf-8"
ALLOW = "GET, HEAD, OPTIONS"
# base64("user:pass") (RFC 4648)
AUTH_LINE = "Authorization: Basic dXNlcjpwYXNz"

# (Accept header or None, the Content-Type client_python answers, OpenMetrics?)
ACCEPTS = (
    (PROMETHEUS_ACCEPT, OM_TYPE + "; escaping=allow-utf-8", True),
    (None, TEXT_004, False),
    ("text/plain", TEXT_004, False),
    ("*/*", TEXT_004, False),
    ("application/openmetrics-text", OM_TYPE, True),
    ("application/openmetrics-text;version=1.0.0", OM_TYPE + "; escaping=underscores", True),
    (
        "text/plain;version=1.0.0;escaping=allow-utf-8",
        "text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8",
        False,
    ),
    ("application/openmetrics-text;version=0.0.1", TEXT_004, False),
    # A version the Content-Type would echo with a control character: passed over.
    ("application/openmetrics-text;version=1.0.0\x7f", TEXT_004, False),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", TEXT_004, False),
)
# (request target, the name[] filter it asks for)
TARGETS = (
    ("/metrics", None),
    ("/metrics", None),
    ("/", None),
    ("/a/b/c", None),
    ("http://192.0.2.10:8000/metrics", None),
    ("/metrics?x=1", None),
    ("/metrics?name[]=board_boots_total", ("board_boots_total",)),
    (
        "/metrics?name%5B%5D=board_temperature_celsius&name[]=nope",
        ("board_temperature_celsius", "nope"),
    ),
)

# Bytes a mutation inserts: what parsers trip on (line ends, separators, digits other than
# ASCII, whitespace other than ASCII, invalid UTF-8) and pieces of the syntax.
TOKENS = (
    b"\r",
    b"\n",
    b"\r\n",
    b"\n\n",
    b"\r\n\r\n",
    b" ",
    b"\t",
    b":",
    b"/",
    b"?",
    b"%",
    b"%zz",
    b"%-1",
    b"=",
    b"&",
    b";",
    b",",
    b"name[]=",
    b"\x00",
    b"\x01",
    b"\x7f",
    b"\xff",
    b"\xc3\xa9",  # e acute
    b"\xc2\xb2",  # superscript two: str.isdigit() says True, int() refuses it
    b"\xd9\xa1",  # Arabic-Indic one
    b"\xef\xbc\x91",  # fullwidth one
    b"\xc2\x85",  # NEL
    b"\xc2\xa0",  # no-break space
    b"\xe2\x80\xa8",  # line separator
    b"0",
    b"9",
    b"-1",
    b"99999999999999999999",
    b"HTTP/1.1",
    b"HTTP/1.0",
    b"HEAD ",
    b"GET ",
    b"POST ",
    b"Content-Length: ",
    b"Content-Length: 5\r\n",
    b"Accept: ",
    b"application/openmetrics-text;version=",
    b"text/plain;version=1.",
    b"application/openmetrics-text;version=1.\x7f",
    AUTH_LINE.encode() + b"\r\n",
    b"http://",
    b"*",
)


class _Expect:
    """The one answer a request must get; body None: a response to HEAD, Content-Length `length`."""

    def __init__(self, status, content_type, body, length=None, allow=False, version="HTTP/1.1"):
        self.status = status
        self.content_type = content_type
        self.body = body
        self.length = length
        self.allow = allow  # an Allow header
        self.version = version  # HTTP/1.0 must get Content-Length


class _Case:
    """One client: the request bytes, and how they are delivered."""

    def __init__(self, data, expect, maybe_head):
        self.data = data
        self.expect = expect  # _Expect, or None: any well-formed answer
        self.maybe_head = maybe_head  # the answer may be a response to HEAD (no body)
        self.script = None
        self.eof = True  # after the script the client shuts down its side
        self.send_plan = ()
        self.reset = False  # the script ends in ECONNRESET


class _Pages:
    # The pages the server must send, rendered by the library's whole-page writers once each.
    def __init__(self, registry):
        self.registry = registry
        self.cache = {}

    def get(self, om, names=None):
        key = (om, names)
        if key not in self.cache:
            registry = self.registry
            if names:
                registry = registry.restricted_registry(list(names))
            self.cache[key] = (om_page if om else text_page)(registry)
        return self.cache[key]


# -- requests ----------------------------------------------------------------------------------


def _join(eol, first, headers):
    return (first + eol + eol.join(headers) + eol + eol if headers else first + eol + eol).encode()


def _scrape_request(rng, pages, auth):
    """A GET or HEAD of the page, varied as clients vary it; its exact answer."""
    method = rng.pick(("GET", "GET", "GET", "HEAD"))
    version = "HTTP/1.0" if rng.chance(20) else "HTTP/1.1"
    accept, content_type, om = rng.pick(ACCEPTS)
    target, names = rng.pick(TARGETS)
    eol = "\n" if rng.chance(10) else "\r\n"
    headers = ["Host: 192.0.2.10:8000", "User-Agent: fuzz/1.0"]
    if accept is not None:
        name = rng.pick(("Accept", "accept", "ACCEPT"))
        value = rng.pick(("", " ", " \t")) + accept + rng.pick(("", " ", "\t"))
        headers.insert(rng.below(3), name + ":" + value)
    for _ in range(rng.below(4)):
        line = "X-Fuzz-%d: %s" % (rng.below(1000), "v" * rng.below(200))
        headers.insert(rng.below(len(headers) + 1), line)
    authorized = not auth or rng.chance(85)
    if auth and authorized:
        headers.insert(rng.below(len(headers) + 1), AUTH_LINE)
    body = b""
    if method == "GET" and rng.chance(10):
        body = rng.noise(rng.below(300))
        headers.append("Content-Length: %d" % len(body))
    lead = eol if rng.chance(5) else ""
    data = lead.encode() + _join(eol, "%s %s %s" % (method, target, version), headers) + body
    if not authorized:
        expect = _error(401, method == "HEAD")
    else:
        page = pages.get(om, names)
        if method == "HEAD":
            expect = _Expect(200, content_type, None, len(page))
        else:
            expect = _Expect(200, content_type, page, version=version)
    return data, expect


def _error(status, head_only=False):
    # The short text/plain page of an error status (Response.simple)
    body = ("%d %s\n" % (status, REASONS[status])).encode()
    if head_only:
        return _Expect(status, PLAIN, None, len(body))
    return _Expect(status, PLAIN, body)


_BAD_REQUEST_LINES = (
    b"GET / HTTP/2.0",
    b"GET / HTTP/1.2",
    b"GET / http/1.1",
    b"GET /metrics",
    b"GET",
    b"GET / HTTP/1.1 extra",
    b"GET  / HTTP/1.1",
    b"get /metrics HTTP/1.1",
    b"G3T /metrics HTTP/1.1",
    b"GET metrics HTTP/1.1",
    b"GET ftp://host/metrics HTTP/1.1",
    b"GET /\xff\xfe HTTP/1.1",
)
_BAD_HEADER_LINES = (
    b"Accept text/plain",
    b": no name",
    b"Accept : text/plain",
    b"Accept\t: text/plain",
    b" folded continuation",
    b"\tfolded",
    b"Accept: a\rInjected: b",
    b"Host: x\r",
    b"Content-Length: -1",
    b"Content-Length: 1.5",
    b"Content-Length: 0x10",
    b"Content-Length: 1 2",
    b"Content-Length: \xc2\xb2",  # superscript two: CPython's isdigit() says True
    b"Content-Length: \xd9\xa1",  # Arabic-Indic one: CPython's int() reads 1
    b"X: \xff",
)


def _other_request(rng, pages, auth):
    """Any other request the exporter must answer in one known way."""
    kind = rng.below(9)
    authorized = not auth or rng.chance(85)
    extra = [AUTH_LINE] if auth and authorized else []
    if kind == 0:  # another method, maybe with a body
        method = rng.pick(("POST", "PUT", "DELETE", "PATCH", "BREW"))
        body = rng.noise(rng.below(200)) if rng.chance(50) else b""
        headers = ["Host: x"] + extra
        if body or rng.chance(30):
            headers.append("Content-Length: %d" % len(body))
        data = _join("\r\n", "%s /metrics HTTP/1.1" % method, headers) + body
        if not authorized:
            return data, _error(401)
        expect = _error(405)
        expect.allow = True
        return data, expect
    if kind == 1:  # OPTIONS
        data = _join("\r\n", "OPTIONS %s HTTP/1.1" % rng.pick(("*", "/metrics")), extra)
        if not authorized:
            return data, _error(401)
        return data, _Expect(200, PLAIN, b"", allow=True)
    if kind == 2:  # the favicon
        method = rng.pick(("GET", "HEAD"))
        data = _join("\r\n", "%s /favicon.ico HTTP/1.1" % method, ["Host: x"] + extra)
        if not authorized:
            return data, _error(401, method == "HEAD")
        if method == "HEAD":
            return data, _Expect(200, PLAIN, None, 0)
        return data, _Expect(200, PLAIN, b"")
    if kind == 3:  # a malformed request line
        return rng.pick(_BAD_REQUEST_LINES) + b"\r\nHost: x\r\n\r\n", _error(400)
    if kind == 4:  # a malformed header line
        line = rng.pick(_BAD_HEADER_LINES)
        return b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + line + b"\r\n\r\n", _error(400)
    if kind == 5:  # a head longer than max_head, maybe in one header
        size = 2100 + rng.below(3000)
        if rng.chance(50):
            data = b"GET /metrics HTTP/1.1\r\nX-Big: " + b"a" * size + b"\r\n\r\n"
        else:
            data = b"GET /metrics HTTP/1.1\r\n" + b"X-Many: b\r\n" * (size // 11) + b"\r\n"
        return data, _error(431)
    if kind == 6:  # binary garbage that cannot start a request line
        first = rng.below(256)
        while 65 <= first <= 90 or first in (10, 13):
            first = rng.below(256)
        return bytes((first,)) + rng.noise(rng.below(400)), _error(400)
    if kind == 7:  # a TLS ClientHello
        return b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + rng.noise(64), _error(400)
    # Pipelined: a second request (or garbage) right after the first, which alone is answered
    data, expect = _scrape_request(rng, pages, auth)
    if expect.body is not None and expect.body and rng.chance(50):
        return data + PROMETHEUS_HEAD, expect
    return data + rng.noise(rng.below(300)), expect


def _mutate(rng, data):
    """data with one to four random edits: bytes changed, inserted, deleted, duplicated, cut."""
    for _ in range(1 + rng.below(4)):
        at = rng.below(len(data) + 1)
        kind = rng.below(8)
        if kind == 0 and data:  # one byte replaced
            at = min(at, len(data) - 1)
            data = data[:at] + bytes((rng.below(256),)) + data[at + 1 :]
        elif kind == 1 and data:  # one bit flipped
            at = min(at, len(data) - 1)
            data = data[:at] + bytes((data[at] ^ (1 << rng.below(8)),)) + data[at + 1 :]
        elif kind in (2, 3):  # a token inserted
            data = data[:at] + rng.pick(TOKENS) + data[at:]
        elif kind == 4:  # a few bytes deleted
            data = data[:at] + data[at + 1 + rng.below(8) :]
        elif kind == 5:  # a stretch repeated
            data = data[:at] + data[at : at + rng.below(60)] + data[at:]
        elif kind == 6:  # cut short
            data = data[:at]
        else:  # one line end made odd
            eol = data.find(b"\r\n", at)
            if eol >= 0:
                odd = rng.pick((b"\n", b"\r", b"\r\r\n", b"\n\r", b"\r\n\r\n", b""))
                data = data[:eol] + odd + data[eol + 2 :]
    return data


def _case(rng, pages, auth):
    kind = rng.below(100)
    if kind < 30:
        data, expect = _scrape_request(rng, pages, auth)
    elif kind < 55:
        data, expect = _other_request(rng, pages, auth)
    elif kind < 95:  # a known request, mutated: only well-formedness is known
        if rng.chance(50):
            data = _scrape_request(rng, pages, auth)[0]
        else:
            data = _other_request(rng, pages, auth)[0]
        data, expect = _mutate(rng, data), None
    else:  # noise, maybe after a plausible start
        start = rng.pick((b"", b"GET ", b"GET /metrics HTTP/1.1\r\n", b"\r\n"))
        data, expect = start + rng.noise(rng.below(600)), None
    return _Case(data, expect, _maybe_head(data))


def _maybe_head(data):
    # A response to HEAD has no body; a mutated request may still begin with HEAD.
    at = 0
    while at < len(data) and data[at] in b"\r\n":
        at += 1
    return data[at : at + 5] == b"HEAD "


def _deliver(rng, case, stall):
    """The case's script: its bytes split at random points, with poll rounds of nothing."""
    data = case.data
    script = []
    speed = rng.below(4)
    if speed == 1 and len(data) > 600:
        speed = 2  # a long trickle would only cost time
    at = 0
    while at < len(data):
        if speed == 0:  # all at once
            n = len(data)
        elif speed == 1:  # a trickle
            n = 1 + rng.below(6)
        else:
            n = 1 + rng.below(len(data))
        script.append(data[at : at + n])
        at += n
        for _ in range(rng.below(3) if speed != 1 else rng.below(2)):
            script.append(None)  # one recv() that finds nothing
    if rng.chance(2):  # the connection reset somewhere
        script.insert(rng.below(len(script) + 1), OSError(104, "ECONNRESET"))
        case.reset = True
    case.script = script
    case.eof = not stall
    if rng.chance(10):  # partial sends, and now and then a full send buffer
        plan = []
        for _ in range(40):
            plan.append(0 if rng.chance(3) else 1 + rng.below(400))
        case.send_plan = plan


# -- the checks ------------------------------------------------------------------------------


def _owes_answer(case, max_head):
    # A client that shuts its side gets an answer if fakesock.owes_answer says so; one that
    # stalls gets one (408 at the latest) once it has sent anything.
    if case.reset:
        return False
    return bool(case.data) if not case.eof else owes_answer(case.data, max_head)


def _check_answer(case, client, pages, max_head, where):
    raw = bytes(client.received)
    if not raw:
        assert not _owes_answer(case, max_head), "%s: no answer to %r" % (where, case.data[:300])
        assert case.expect is None or case.reset, "%s: no answer" % where
        return
    try:
        r = well_formed(raw, case.maybe_head)
    except Exception as e:
        message = "%s: %r answered %r: %r" % (where, case.data[:300], raw[:300], e)
        raise AssertionError(message) from None
    content_type = r.header("content-type")
    expect = case.expect
    if expect is not None:
        if expect.body is None:
            assert r.body is None, (where, r.status)
            assert r.header("content-length") == str(expect.length), where
        else:
            assert r.body == expect.body, (where, r.status, r.body[:200])
        assert (r.status, content_type) == (expect.status, expect.content_type), where
        assert expect.version == "HTTP/1.1" or r.framing == "length", where
        assert (r.header("allow") == ALLOW) == expect.allow, where
    elif r.status == 200 and r.body and content_type != PLAIN:
        # A mutated scrape: the page in the format the Content-Type names, or, for a request
        # whose target may hold a ?name[] filter, only lines of it.
        page = pages.get(content_type.startswith("application/openmetrics-text"))
        if b"?" not in case.data:
            assert r.body == page, (where, case.data[:300])
        else:
            for line in r.body.split(b"\n"):
                assert line in page.split(b"\n"), (where, line)


# -- the runs ----------------------------------------------------------------------------------


def _now():
    if hasattr(time, "ticks_ms"):  # MicroPython
        return time.ticks_ms() / 1000
    return time.monotonic()


def _serve(server, clients, seconds=20.0):
    # poll() until every client was closed, without sleeping between rounds: a fake socket
    # is ready the moment its script says so. `seconds` only stops a server that hangs.
    start = _now()
    while True:
        done = True
        for client in clients:
            if not client.closes:
                done = False
        if done:
            return
        assert _now() - start < seconds, "clients still open after %s s" % seconds
        server.poll()


class _Run:
    """One server on one port's fake sockets, fed cases; counts what it tried."""

    def __init__(self, p, rng, auth=False):
        self.p = p
        self.rng = rng
        self.auth = auth
        self.board = Board(p)
        self.board.__enter__()
        self.pool = FakePool(p)
        self.registry = board_registry()
        self.pages = _Pages(self.registry)
        self.server = MetricsServer(
            8000,
            registry=self.registry,
            socket_pool=self.pool,
            auth=("user", "pass") if auth else None,
        )
        # Generous: a loaded machine must not turn a known answer into a 408. Clients that
        # stall get a short one of their own.
        self.server.read_timeout = self.server.write_timeout = 5.0
        self.scrape = PROMETHEUS_HEAD
        if auth:
            self.scrape = PROMETHEUS_HEAD[:-2] + AUTH_LINE.encode() + b"\r\n\r\n"
        self.tried = 0

    def group(self, number):
        """A few clients at once (one that stalls alone), then a scrape; number: the first's."""
        rng = self.rng
        stall = rng.chance(2)
        size = 1 if stall else 1 + rng.below(3)
        if self.p.backlog is not None:
            size = min(size, self.p.backlog)  # WIZnet: one connection queued at a time
        cases = []
        for _ in range(size):
            case = _case(rng, self.pages, self.auth)
            _deliver(rng, case, stall)
            cases.append(case)
        self.server.read_timeout = 0.02 if stall else 5.0
        clients = []
        for case in cases:
            client = self.pool.connect(case.script, eof=case.eof, send_plan=case.send_plan)
            assert not client.refused, self.p
            clients.append(client)
        try:
            _serve(self.server, clients)
            for i in range(size):
                where = "%s seed %d case %d" % (self.p, SEED, number + i)
                assert clients[i].closes == 1, where
                _check_answer(cases[i], clients[i], self.pages, self.server.max_head, where)
        except BaseException:
            print("failed on: %r" % [c.data for c in cases])
            raise
        self.tried += size
        self.server.read_timeout = 5.0
        self.healthy(number)
        # Checked: the pool forgets them (thousands of clients would fill a MicroPython heap).
        del self.pool.clients[:]
        return size

    def healthy(self, number):
        client = self.pool.connect([self.scrape])
        _serve(self.server, [client])
        r = client.response()
        where = "%s seed %d scrape after case %d" % (self.p, SEED, number)
        content_type = r.header("content-type")
        assert (r.status, content_type) == (200, OM_TYPE + "; escaping=allow-utf-8"), where
        assert r.body == self.pages.get(True), where
        assert client.unread == 0, where  # the whole head read before close (no RST)
        assert self.pool.open == [self.pool.listener()], (where, self.pool.open)
        assert self.pool.violations == [], (where, self.pool.violations)

    def close(self):
        try:
            self.server.close()
            assert self.pool.open == [], self.pool.open
            for sock in self.pool.listeners:
                assert sock.closes == 1
            for client in self.pool.clients:
                assert client.sock is None or client.sock.closes == 1
        finally:
            self.board.__exit__(None, None, None)


# (port, share of the requests, basic auth)
_RUNS = (
    (CPYTHON, 4, False),
    (MICROPYTHON, 2, False),
    (ESP32S3, 1, False),
    (PICO_W, 1, False),
    (WIZNET5K, 1, False),
    (SMALL_BUILD, 1, True),
)


def test_fuzz_server():
    total = 3000 * SCALE
    shares = 0
    for _, share, _ in _RUNS:
        shares += share
    rng = _Rng(SEED)
    tried = 0
    started = _now()
    for p, share, auth in _RUNS:
        run = _Run(p, rng, auth)
        try:
            while run.tried < total * share // shares:
                run.group(tried + run.tried)
        finally:
            run.close()
        tried += run.tried
    print(
        "test_fuzz_server: %d requests (seed %d), each followed by a scrape, in %.1f s"
        % (tried, SEED, _now() - started)
    )
    assert tried >= total


def test_fuzz_request_parser():
    # Request and head_end alone, many more inputs: Request takes any head and either parses
    # it or rejects it with 400, and the server's incremental head_end search finds the
    # blank line an independent line-by-line reading finds.
    total = (10000 if _MICROPYTHON else 20000) * SCALE
    rng = _Rng(SEED + 1)
    pages = _Pages(board_registry())
    parsed = rejected = 0
    started = _now()
    for number in range(total):
        data = _case(rng, pages, rng.chance(20)).data
        if rng.chance(30):
            data = _mutate(rng, data)
        end = blank_line_end(data)
        where = "seed %d input %d: %r" % (SEED + 1, number, data[:300])
        assert head_end(data, 0) == end, where
        assert _incremental_end(rng, data) == end, where
        if end < 0:
            continue
        try:
            request = Request(data[:end])
        except Reject as e:
            assert e.args == (400,), where
            rejected += 1
            continue
        except Exception as e:
            raise AssertionError("%s: %r" % (where, e)) from None
        parsed += 1
        assert request.method.isalpha() and request.method.isupper(), where
        assert request.version in ("HTTP/1.0", "HTTP/1.1"), where
        assert request.path.startswith("/") or request.path == "*", where
        assert isinstance(request.length, int) and request.length >= 0, where
        assert request.accept is None or "\r" not in request.accept, where
    print(
        "test_fuzz_request_parser: %d inputs (seed %d), %d heads parsed, %d rejected, in %.1f s"
        % (total, SEED + 1, parsed, rejected, _now() - started)
    )
    assert parsed and rejected


def _incremental_end(rng, data):
    # As MetricsServer._receive searches: each piece from 3 bytes before it.
    head = bytearray()
    at = 0
    while at < len(data):
        n = 1 + rng.below(40)
        start = max(len(head) - 3, 0)
        head.extend(data[at : at + n])
        at += n
        end = head_end(head, start)
        if end >= 0:
            return end
    return -1


def test_content_length_in_other_digits_is_refused():
    # Found by the fuzz: CPython's str.isdigit() takes any Unicode digit, so "²" made int()
    # raise ValueError (the client got no answer), and "١" (Arabic-Indic one) read as 1.
    # Content-Length is ASCII digits (RFC 9110 8.6), as MicroPython's isdigit() has it.
    for value in (b"\xc2\xb2", b"\xd9\xa1", b"1\xef\xbc\x92"):
        head = b"POST /metrics HTTP/1.1\r\nContent-Length: " + value + b"\r\n\r\n"
        try:
            Request(head)
        except Reject as e:
            assert e.args == (400,), value
        else:
            raise AssertionError("Content-Length %r was taken" % value)
        run = _Run(CPYTHON, _Rng(1))
        try:
            client = run.pool.connect([head], eof=True)
            _serve(run.server, [client])
            assert client.response().status == 400, value
            run.healthy(0)
        finally:
            run.close()
