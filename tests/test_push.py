"""prometheus_express.push: the request each call sends, byte for byte, and every way it fails.

The gateway is a scripted peer on a fake socket pool (tests/fakesock.py): each test checks the
request it received (request line, headers, framing, body equal to generate_latest), and that
the one socket was closed exactly once. Expected URL paths are written out from client_python's
rules (_escape_grouping_key: base64url for "" and values with "/" or " ", else quote_plus);
on CPython they are also compared with what client_python itself builds.
"""

import time

from fakesock import CPYTHON, MICROPYTHON, PORTS, Board, FakePool, Pause, parse_request
from support import board_registry, raises

from prometheus_express import CollectorRegistry
from prometheus_express.exposition import generate_latest
from prometheus_express.push import delete_from_gateway, push_to_gateway, pushadd_to_gateway

OK = b"HTTP/1.1 200 OK\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nContent-Length: 0\r\n\r\n"
TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8"  # client_python's CONTENT_TYPE_PLAIN_0_0_4
GATEWAY = "192.0.2.5:9091"
ADDRESS = ("192.0.2.5", 9091)


def _push(p, answer=(OK,), call=push_to_gateway, args=None, peer_options=None, pool=None, **kw):
    # One call against a scripted gateway; returns (the peer, the pool). Checks the socket.
    pool = pool or FakePool(p)
    peer = pool.peer(list(answer), **(peer_options or {"eof": True}))
    kw["socket_pool"] = pool
    with Board(p):
        call(*(args or (GATEWAY, "job", board_registry())), **kw)
    assert pool.open == [], "sockets left open: %r" % pool.open
    assert peer.closes == 1, "closed %d times" % peer.closes
    assert pool.violations == [], pool.violations
    return peer, pool


def _failing_push(p, answer, expect, peer_options=None, pool=None, **kw):
    # The call must raise OSError whose message contains expect; the socket closed once.
    pool = pool or FakePool(p)
    peer = pool.peer(list(answer), **(peer_options or {"eof": True}))
    with Board(p):
        e = raises(
            OSError, push_to_gateway, GATEWAY, "job", board_registry(), socket_pool=pool, **kw
        )
    assert expect in str(e), "%r lacks %r" % (str(e), expect)
    assert pool.open == [], pool.open
    assert peer.sock is None or peer.closes == 1
    assert pool.violations == [], pool.violations
    return str(e), peer


def test_push_sends_put_with_the_page():
    registry = board_registry()
    peer, pool = _push(CPYTHON, args=(GATEWAY, "job", registry))
    request = parse_request(peer.received)
    assert request.method == "PUT"
    assert request.target == "/metrics/job/job"
    assert request.headers[0] == ("host", GATEWAY)
    assert request.header("content-type") == TEXT_TYPE
    assert request.header("connection") == "close"
    assert request.header("authorization") is None
    assert request.framing == "length"  # it fitted the buffer
    assert request.body == generate_latest(registry)
    assert peer.closes == 1
    # connect() waited up to the timeout; then the socket went non-blocking.
    assert pool.connects == [(ADDRESS, 30)]
    assert peer.sock.timeout == 0


def test_exact_request_head():
    peer, _ = _push(CPYTHON, args=(GATEWAY, "job", CollectorRegistry()))
    assert bytes(peer.received) == (
        b"PUT /metrics/job/job HTTP/1.1\r\nHost: 192.0.2.5:9091\r\n"
        b"Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
        b"Content-Length: 0\r\nConnection: close\r\n\r\n"
    )


def test_pushadd_sends_post_and_delete_sends_delete():
    registry = board_registry()
    peer, _ = _push(CPYTHON, call=pushadd_to_gateway, args=(GATEWAY, "job", registry))
    request = parse_request(peer.received)
    assert request.method == "POST"
    assert request.body == generate_latest(registry)
    peer, _ = _push(CPYTHON, call=delete_from_gateway, args=(GATEWAY, "job", {"instance": "x"}))
    request = parse_request(peer.received)
    assert request.method == "DELETE"
    assert request.target == "/metrics/job/job/instance/x"
    assert request.header("content-type") == TEXT_TYPE  # client_python sends it too
    assert request.header("content-length") == "0"
    assert request.body == b""


def test_a_long_page_streams_in_chunks_on_every_port():
    registry = board_registry(200)
    page = generate_latest(registry)
    import prometheus_express.push as push

    assert len(page) > 4 * push.buffer_size
    for p in PORTS:
        peer, _ = _push(p, args=(GATEWAY, "job", registry))
        request = parse_request(peer.received)
        assert request.framing == "chunked", p
        assert request.body == page, p
        # Streamed: no chunk larger than the one buffer.
        rest = bytes(peer.received)
        rest = rest[rest.find(b"\r\n\r\n") + 4 :]
        while rest:
            eol = rest.find(b"\r\n")
            size = int(rest[:eol], 16)
            assert size <= push.buffer_size, (p, size)
            rest = rest[eol + 2 + size + 2 :]
            if not size:
                break


def test_a_smaller_buffer_makes_smaller_chunks():
    import prometheus_express.push as push

    registry = board_registry(10)
    saved = push.buffer_size
    push.buffer_size = 400
    try:
        peer, _ = _push(MICROPYTHON, args=(GATEWAY, "job", registry))
        request = parse_request(peer.received)
        assert request.framing == "chunked"
        assert request.body == generate_latest(registry)
        push.buffer_size = 100
        e = raises(ValueError, push_to_gateway, GATEWAY, "job", registry, socket_pool=FakePool())
        assert "buffer_size" in str(e)
    finally:
        push.buffer_size = saved


# client_python: _escape_grouping_key(k, v) for job and each key, keys sorted.
ESCAPED = (
    ({"instance": "a/b"}, "/metrics/job/job/instance@base64/YS9i"),
    ({"instance": "a/"}, "/metrics/job/job/instance@base64/YS8="),  # padding kept
    ({"path": "/??"}, "/metrics/job/job/path@base64/Lz8_"),  # base64url: "_" for "/"
    ({"path": "/?>"}, "/metrics/job/job/path@base64/Lz8-"),  # and "-" for "+"
    ({"room": "a b"}, "/metrics/job/job/room@base64/YSBi"),  # a space: base64 too
    ({"empty": ""}, "/metrics/job/job/empty@base64/="),
    ({"name": "caf\u00e9"}, "/metrics/job/job/name/caf%C3%A9"),  # quote_plus: UTF-8, upper hex
    ({"q": "a+b&c=d~_.-"}, "/metrics/job/job/q/a%2Bb%26c%3Dd~_.-"),  # "~_.-" stay
    ({"b": 2, "a": 1.5}, "/metrics/job/job/a/1.5/b/2"),  # sorted; values through str()
    ({}, "/metrics/job/job"),
)


def test_grouping_key_escaping():
    for key, path in ESCAPED:
        peer, _ = _push(CPYTHON, args=(GATEWAY, "job", CollectorRegistry(), key))
        assert parse_request(peer.received).target == path, (key, path, peer.received[:100])
    # The job is escaped the same way.
    peer, _ = _push(CPYTHON, args=(GATEWAY, "my job", CollectorRegistry()))
    assert parse_request(peer.received).target == "/metrics/job@base64/bXkgam9i"


def _urls(call, *args):
    # The URL a call builds, through client_python's handler protocol.
    seen = []

    def handler(url, method, timeout, headers, data):
        seen.append(url)
        return lambda: None

    call(*args, handler=handler)
    return seen[0]


def test_urls_equal_client_python_urls():
    try:
        import prometheus_client
    except ImportError:  # MicroPython: the written-out paths above stand
        return
    r = CollectorRegistry()
    for key, _ in ESCAPED + (({"job": "x/y", "k\u00e9y": "v"}, None),):
        for gateway in ("gw:9091", "http://gw:9091/", "https://gw/base"):
            mine = _urls(push_to_gateway, gateway, "j/ob", r, key)
            theirs = _urls(prometheus_client.push_to_gateway, gateway, "j/ob", r, key)
            assert mine == theirs, (mine, theirs)
            mine = _urls(delete_from_gateway, gateway, "job", key)
            assert mine == _urls(prometheus_client.delete_from_gateway, gateway, "job", key)


def test_handler_is_called_as_client_python_calls_it():
    calls = []

    def handler(url, method, timeout, headers, data):
        calls.append((url, method, timeout, headers, data))
        return lambda: calls.append("sent")

    registry = board_registry()
    pool = FakePool()
    pushadd_to_gateway("gw", "job", registry, None, 5, handler, socket_pool=pool, auth=("u", "p"))
    assert calls == [
        (
            "http://gw/metrics/job/job",
            "POST",
            5,
            [("Content-Type", TEXT_TYPE), ("Authorization", "Basic dTpw")],
            generate_latest(registry),
        ),
        "sent",
    ]
    delete_from_gateway("https://gw", "job", handler=handler)
    assert calls[2] == (
        "https://gw/metrics/job/job",
        "DELETE",
        30,
        [("Content-Type", TEXT_TYPE)],
        b"",
    )
    assert pool.open == [] and pool.connects == []  # the handler did the work


def test_basic_auth_header():
    peer, _ = _push(CPYTHON, auth=("user", "pass"))
    # base64("user:pass") (RFC 4648)
    assert parse_request(peer.received).header("authorization") == "Basic dXNlcjpwYXNz"


def test_gateway_forms():
    cases = (
        ("http://192.0.2.5:9091", ADDRESS, "192.0.2.5:9091", "/metrics/job/job"),
        ("http://192.0.2.5:9091/", ADDRESS, "192.0.2.5:9091", "/metrics/job/job"),
        ("192.0.2.5:9091/proxy/", ADDRESS, "192.0.2.5:9091", "/proxy/metrics/job/job"),
        ("pushgateway.local", ("pushgateway.local", 80), "pushgateway.local", "/metrics/job/job"),
        ("[2001:db8::5]:9091", ("2001:db8::5", 9091), "[2001:db8::5]:9091", "/metrics/job/job"),
    )
    for gateway, address, host, target in cases:
        peer, pool = _push(CPYTHON, args=(gateway, "job", CollectorRegistry()))
        request = parse_request(peer.received)
        assert pool.connects[0][0] == address, (gateway, pool.connects)
        assert request.header("host") == host
        assert request.target == target


def test_bad_gateways_and_options_raise_before_any_socket():
    pool = FakePool()
    r = board_registry()
    for gateway, word in (
        ("https://gw:9091", "TLS"),
        ("gw:port", "port"),
        (":9091", "host"),
    ):
        e = raises(ValueError, push_to_gateway, gateway, "job", r, socket_pool=pool)
        assert word in str(e), str(e)
    e = raises(ValueError, push_to_gateway, "gw", "job", r, compression="gzip", socket_pool=pool)
    assert "compression" in str(e)
    assert pool.connects == [] and pool.open == []


def test_timeout_reaches_connect():
    _, pool = _push(MICROPYTHON, timeout=2.5)
    assert pool.connects == [(ADDRESS, 2.5)]
    _, pool = _push(MICROPYTHON, timeout=None)
    assert pool.connects == [(ADDRESS, None)]


def test_any_2xx_is_success():
    for answer in (
        b"HTTP/1.1 202 Accepted\r\n\r\n",
        b"HTTP/1.0 204 No Content\r\n\r\n",
        b"HTTP/1.1 204\r\n\r\n",  # no reason phrase
    ):
        _push(CPYTHON, answer=(answer,))
    # The answer may come in pieces, and late.
    _push(MICROPYTHON, answer=(None, b"HTTP/1.1 2", Pause(0.05), b"00 OK\r\n", b"\r\n"))
    # No need to wait for the connection to close once the head is in.
    _push(CPYTHON, answer=(b"HTTP/1.1 200 OK\r\n\r\n",), peer_options={"eof": False})


def test_error_status_raises_with_the_gateway_s_words():
    body = b"pushed metrics are invalid or inconsistent with existing metrics: x\n"
    answer = (
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    ) + body
    for p in PORTS:
        message, _ = _failing_push(p, (answer,), "400 Bad Request", peer_options={"eof": False})
        assert message == (
            "push to http://192.0.2.5:9091/metrics/job/job failed: 400 Bad Request: "
            "pushed metrics are invalid or inconsistent with existing metrics: x"
        ), message
    message, _ = _failing_push(CPYTHON, (b"HTTP/1.1 404 Not Found\r\n\r\n",), "404 Not Found")
    assert message.endswith("failed: 404 Not Found"), message
    message, _ = _failing_push(CPYTHON, (b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n",), "301")


def test_unreachable_gateway():
    for p in PORTS:
        pool = FakePool(p)  # no peer: connection refused
        with Board(p):
            e = raises(OSError, push_to_gateway, GATEWAY, "job", board_registry(), socket_pool=pool)
        assert str(e).startswith("cannot reach 192.0.2.5:9091: "), str(e)
        assert pool.open == []
    for error in (CPYTHON.timeout(), OSError(-2, "Name or service not known")):
        pool = FakePool()
        pool.connect_errors.append(error)
        e = raises(OSError, push_to_gateway, GATEWAY, "job", board_registry(), socket_pool=pool)
        assert str(e) == "cannot reach 192.0.2.5:9091: %s" % error, str(e)
        assert pool.open == []
    # CircuitPython: every socket taken.
    pool = FakePool()
    pool.socket_errors.append(RuntimeError("Out of sockets"))
    e = raises(OSError, push_to_gateway, GATEWAY, "job", board_registry(), socket_pool=pool)
    assert str(e) == "cannot reach 192.0.2.5:9091: Out of sockets", str(e)


def _ticks_ms():
    # A monotonic clock in whole milliseconds, the one push's own timeout reads: MicroPython's
    # ticks, else monotonic_ns (CPython, CircuitPython). Not time.time(): CircuitPython counts
    # it in whole seconds, and a single-precision float cannot tell 0.3 s apart at 1.7e9.
    if hasattr(time, "ticks_ms"):
        return time.ticks_ms()
    return time.monotonic_ns() // 1000000


def _ms_since(start):
    if hasattr(time, "ticks_diff"):
        return time.ticks_diff(time.ticks_ms(), start)
    return time.monotonic_ns() // 1000000 - start


def test_no_answer_times_out():
    for p in (CPYTHON, MICROPYTHON):
        start = _ticks_ms()
        message, peer = _failing_push(
            p, (), "no answer within 0.3 s", peer_options={"eof": False}, timeout=0.3
        )
        # push gives up only once its clock says more than 0.3 s passed, and this is the same
        # clock, read earlier and later: the bound holds however slow the machine is.
        assert _ms_since(start) >= 300, _ms_since(start)
        assert message.startswith("push to http://192.0.2.5:9091/metrics/job/job failed: ")
        assert peer.received  # the request went out


def test_a_gateway_that_never_reads_times_out():
    # The send buffer stays full (EAGAIN on every send).
    message, _ = _failing_push(
        CPYTHON,
        (),
        "could not send within 0.2 s",
        peer_options={"eof": False, "send_plan": [0] * 1000},
        timeout=0.2,
    )


def test_closed_without_an_answer():
    _failing_push(MICROPYTHON, (), "failed: the connection closed without an answer")
    _failing_push(CPYTHON, (CPYTHON.error("ECONNRESET"),), "closed without an answer")
    _failing_push(CPYTHON, (b"garbage\r\n\r\n",), "closed without an answer")
    # A status code is no answer without the HTTP version before it.
    _failing_push(CPYTHON, (b"SPAM 200 OK\r\n\r\n",), "closed without an answer")
    # Nor is a head with a broken header line (a bare CR, a space before the colon).
    for head in (b"HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", b"HTTP/1.1 200 OK\r\nX : 1\r\n\r\n"):
        _failing_push(CPYTHON, (head,), "closed without an answer")


def test_answers_are_read_as_the_server_reads_requests():
    # Bare LF line ends and any case of header name, as http.Request takes them.
    body = b"too large\n"
    for answer in (
        b"HTTP/1.1 413 Request Entity Too Large\ncontent-LENGTH: 10\n\n" + body,
        b"HTTP/1.1 413 Request Entity Too Large\r\nCONTENT-LENGTH:10\r\n\r\n" + body,
    ):
        # The peer never closes: push must stop at Content-Length, not wait for the end.
        message, _ = _failing_push(CPYTHON, (answer,), "413", peer_options={"eof": False})
        assert message.endswith("failed: 413 Request Entity Too Large: too large"), message
    _push(CPYTHON, answer=(b"HTTP/1.1 200 OK\nDate: x\n\n",))


class _Addresses(FakePool):
    """A FakePool whose getaddrinfo gives the entries listed (5-tuples, as every port's does),
    and records the family of each socket made. Connecting to an address in late waits
    late[address] seconds, then refuses; or, for None, waits the socket's whole timeout, then
    times out (a host that drops packets)."""

    def __init__(self, personality, entries, late=None):
        FakePool.__init__(self, personality)
        self.entries = entries
        self.late = late or {}
        self.families = []

    def getaddrinfo(self, host, port, *rest):
        return self.entries

    def socket(self, family=2, type=1, proto=0):
        sock = FakePool.socket(self, family, type, proto)
        self.families.append(family)
        pool = self
        connect = sock.connect

        def connect_late(address):
            if address not in pool.late:
                return connect(address)
            pool.connects.append((address, sock.timeout))
            seconds = pool.late[address]
            time.sleep(sock.timeout if seconds is None else seconds)  # at least that long
            if seconds is None:
                raise pool.personality.timeout()
            raise pool.personality.error("ECONNREFUSED")

        sock.connect = connect_late
        return sock


AF_INET6 = 10
SOCK_DGRAM = 2
V6 = ("::1", 9091, 0, 0)
V4 = ("127.0.0.1", 9091)
# What CPython and MicroPython's unix port give for a "localhost" listed as ::1 first, then
# 127.0.0.1: each address for TCP, UDP (and raw) sockets. Only TCP entries are tried.
LOCALHOST = (
    (AF_INET6, FakePool.SOCK_STREAM, 6, "", V6),
    (AF_INET6, SOCK_DGRAM, 17, "", V6),
    (FakePool.AF_INET, FakePool.SOCK_STREAM, 6, "", V4),
    (FakePool.AF_INET, SOCK_DGRAM, 17, "", V4),
)


def test_each_address_is_tried_until_one_connects():
    for p in PORTS:
        # ::1 refuses (the gateway listens on IPv4 only): 127.0.0.1 carries the push.
        pool = _Addresses(p, LOCALHOST)
        pool.connect_errors.append(p.error("ECONNREFUSED"))
        registry = board_registry()
        peer, _ = _push(p, args=("localhost:9091", "job", registry), pool=pool)
        assert [a for a, _ in pool.connects] == [V6, V4], (p, pool.connects)
        assert pool.families == [AF_INET6, FakePool.AF_INET], p
        assert pool.connects[0][1] == 30  # the first try may take the whole timeout
        assert pool.connects[1][1] <= 30  # the second what is left of it
        request = parse_request(peer.received)
        assert request.header("host") == "localhost:9091"
        assert request.body == generate_latest(registry), p
    # No timeout: every try waits as long as the OS does.
    pool = _Addresses(MICROPYTHON, LOCALHOST)
    pool.connect_errors.append(MICROPYTHON.error("ECONNREFUSED"))
    _push(MICROPYTHON, args=("localhost:9091", "job", registry), pool=pool, timeout=None)
    assert pool.connects == [(V6, None), (V4, None)]
    # An address that answers first is the only one tried.
    pool = _Addresses(CPYTHON, LOCALHOST[2:] + LOCALHOST[:2])
    _push(CPYTHON, args=("localhost:9091", "job", registry), pool=pool)
    assert pool.connects == [(V4, 30)]


def test_when_every_address_fails_the_last_error_says_why():
    refused = CPYTHON.error("ECONNREFUSED")
    pool = _Addresses(CPYTHON, LOCALHOST)
    pool.connect_errors.extend([CPYTHON.error("ENOTCONN"), refused])
    e = raises(
        OSError, push_to_gateway, "localhost:9091", "job", board_registry(), socket_pool=pool
    )
    assert str(e) == "cannot reach localhost:9091 (2 addresses tried): %s" % refused, str(e)
    assert [a for a, _ in pool.connects] == [V6, V4]
    assert pool.open == []  # both sockets closed
    # getaddrinfo finds nothing at all.
    pool = _Addresses(CPYTHON, [])
    e = raises(
        OSError, push_to_gateway, "localhost:9091", "job", board_registry(), socket_pool=pool
    )
    assert str(e) == "cannot reach localhost:9091: no address", str(e)
    assert pool.connects == []


def test_the_addresses_share_the_timeout():
    # ::1 drops packets: its try takes the whole 0.25 s, and no time is left for 127.0.0.1.
    pool = _Addresses(CPYTHON, LOCALHOST, late={V6: None})
    registry = CollectorRegistry()
    args = ("localhost:9091", "job", registry)
    e = raises(OSError, push_to_gateway, *args, socket_pool=pool, timeout=0.25)
    assert str(e) == "cannot reach localhost:9091: %s" % CPYTHON.timeout(), str(e)
    assert pool.connects == [(V6, 0.25)]
    assert pool.open == []
    # ::1 refuses after 0.25 s of an 8.25 s timeout: 127.0.0.1 gets what is left, at most 8 s
    # (sums exact in binary floats, single precision too).
    pool = _Addresses(MICROPYTHON, LOCALHOST, late={V6: 0.25})
    _push(MICROPYTHON, args=args, pool=pool, timeout=8.25)
    assert [a for a, _ in pool.connects] == [V6, V4]
    assert pool.connects[0][1] == 8.25
    assert pool.connects[1][1] <= 8, pool.connects


def test_a_send_error_reports_the_early_answer_or_the_error():
    # The gateway refused before reading the body and closed: its answer is the news.
    reset = CPYTHON.error("ECONNRESET")
    answer = b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 13\r\n\r\nUnauthorized\n"
    _failing_push(
        CPYTHON,
        (answer,),
        "failed: 401 Unauthorized: Unauthorized",
        peer_options={"eof": True, "send_plan": [10, reset]},
    )
    # No answer: the send error is.
    message, _ = _failing_push(
        CPYTHON, (), "failed: ", peer_options={"eof": True, "send_plan": [10, reset]}
    )
    assert message.endswith(str(reset)), message
    # Even a 200 after a failed send is no success: the body did not all go.
    _failing_push(CPYTHON, (OK,), "200 OK", peer_options={"eof": True, "send_plan": [reset]})


def test_a_collector_error_propagates_and_the_socket_closes():
    class Broken:
        def collect(self):
            raise ValueError("sensor unplugged")

    registry = board_registry()
    registry.register(Broken())
    pool = FakePool()
    pool.peer([OK], eof=True)
    e = raises(ValueError, push_to_gateway, GATEWAY, "job", registry, socket_pool=pool)
    assert str(e) == "sensor unplugged"
    assert pool.open == []
    assert pool.connects  # it failed while sending, not before


def test_names_load_lazily():
    import prometheus_express
    import prometheus_express.exposition as exposition
    import prometheus_express.push as push

    assert prometheus_express.push_to_gateway is push.push_to_gateway
    assert prometheus_express.pushadd_to_gateway is push.pushadd_to_gateway
    assert exposition.delete_from_gateway is push.delete_from_gateway
    assert exposition.push_to_gateway is push.push_to_gateway
