"""prometheus_express.http: request heads in, framed responses out through one buffer."""

from fakesock import (
    CPYTHON,
    MICROPYTHON,
    PROMETHEUS_ACCEPT,
    PROMETHEUS_HEAD,
    WIZNET5K,
    FakePool,
    Malformed,
    parse_response,
)
from support import raises

from prometheus_express.http import (
    MIN_BUFFER,
    REASONS,
    Reject,
    Request,
    Response,
    Timeout,
    head_end,
)

# -- Request -------------------------------------------------------------------------------


def _status(head):
    # The status a head is rejected with, or None if it parses.
    try:
        Request(head)
    except Reject as e:
        return e.args[0]
    return None


def test_prometheus_head():
    r = Request(PROMETHEUS_HEAD[: head_end(PROMETHEUS_HEAD, 0)])
    assert r.method == "GET"
    assert r.path == "/metrics"
    assert r.query == ""
    assert r.version == "HTTP/1.1"
    assert r.accept == PROMETHEUS_ACCEPT
    assert r.authorization is None
    assert r.length == 0


def test_query_and_version():
    r = Request(b"HEAD /metrics?name[]=a&x=1 HTTP/1.0\r\n\r\n")
    assert (r.method, r.path, r.query, r.version) == (
        "HEAD",
        "/metrics",
        "name[]=a&x=1",
        "HTTP/1.0",
    )
    r = Request(b"GET /? HTTP/1.1\r\n\r\n")
    assert (r.path, r.query) == ("/", "")


def test_bare_lf_lines():
    r = Request(b"GET /x HTTP/1.1\nAccept: text/plain\nContent-Length: 3\n\n")
    assert (r.path, r.accept, r.length) == ("/x", "text/plain", 3)


def test_blank_lines_before_request_line():
    r = Request(b"\r\nGET / HTTP/1.1\r\n\r\n")
    assert r.path == "/"


def test_header_names_case_insensitive_values_trimmed():
    r = Request(
        b"GET / HTTP/1.1\r\nACCEPT:   text/plain;version=0.0.4  \r\n"
        b"content-LENGTH: 12\r\nAuthorization: Basic abc\r\nX-Other: y\r\n\r\n"
    )
    assert r.accept == "text/plain;version=0.0.4"
    assert r.length == 12
    assert r.authorization == "Basic abc"


def test_methods_accepted_by_the_parser():
    for method in ("GET", "HEAD", "POST", "OPTIONS", "DELETE", "BREW"):
        assert Request(("%s / HTTP/1.1\r\n\r\n" % method).encode()).method == method


def test_malformed_request_lines():
    for head in (
        b"",
        b"\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /\r\n\r\n",
        b"GET / HTTP/2.0\r\n\r\n",
        b"GET / HTTP/1.2\r\n\r\n",
        b"GET / http/1.1\r\n\r\n",
        b"GET / HTTP/1.1 extra\r\n\r\n",
        b"GET  / HTTP/1.1\r\n\r\n",
        b"get / HTTP/1.1\r\n\r\n",
        b"G3T / HTTP/1.1\r\n\r\n",
        b"GET metrics HTTP/1.1\r\n\r\n",
        b"GET ftp://host/metrics HTTP/1.1\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    ):
        assert _status(head) == 400, head


def test_bad_header_lines():
    for line in (
        b"Accept text/plain",
        b": no name",
        b"Accept : text/plain",
        b"Accept\t: text/plain",
        b" folded continuation",
        b"\tfolded continuation",
        b"Accept: a\rInjected: b",
    ):
        head = b"GET / HTTP/1.1\r\nHost: x\r\n" + line + b"\r\n\r\n"
        assert _status(head) == 400, line


def test_obs_fold_is_refused():
    # RFC 9112 5.2: a server must reject obs-fold (or replace it); we reject.
    head = b"GET / HTTP/1.1\r\nAccept: text/plain,\r\n application/openmetrics-text\r\n\r\n"
    assert _status(head) == 400


def test_content_length():
    assert Request(b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").length == 0
    assert Request(b"POST / HTTP/1.1\r\nContent-Length: 65537\r\n\r\n").length == 65537
    for value in (b"-1", b"abc", b"", b"1.5", b"0x10", b"1 2"):
        head = b"POST / HTTP/1.1\r\nContent-Length: " + value + b"\r\n\r\n"
        assert _status(head) == 400, value


def test_absolute_form_targets():
    r = Request(b"GET http://192.0.2.10:8000/metrics?name[]=up HTTP/1.1\r\n\r\n")
    assert (r.path, r.query) == ("/metrics", "name[]=up")
    r = Request(b"GET https://example.com/a/b HTTP/1.1\r\n\r\n")
    assert (r.path, r.query) == ("/a/b", "")
    r = Request(b"GET http://192.0.2.10:8000 HTTP/1.1\r\n\r\n")
    assert (r.path, r.query) == ("/", "")


def test_asterisk_form():
    r = Request(b"OPTIONS * HTTP/1.1\r\n\r\n")
    assert (r.method, r.path) == ("OPTIONS", "*")


def test_reject_carries_status_and_headers():
    e = Reject(401, "WWW-Authenticate: Basic\r\n")
    assert e.args == (401, "WWW-Authenticate: Basic\r\n")
    assert Reject(400).args == (400,)


# -- head_end ------------------------------------------------------------------------------


def test_head_end():
    assert head_end(b"GET / HTTP/1.1\r\n\r\n", 0) == 18
    assert head_end(b"GET / HTTP/1.1\r\n\r\nbody", 0) == 18
    assert head_end(b"GET / HTTP/1.1\n\nbody", 0) == 16
    assert head_end(b"GET / HTTP/1.1\r\nHost: x\r\n", 0) == -1
    assert head_end(b"GET / HTTP/1.1\r\n", 0) == -1
    head = bytearray(b"GET / HTTP/1.1\r\nHost: x\r\n\r")
    assert head_end(head, 0) == -1
    start = len(head) - 3  # as the server searches: from just before the new bytes
    head.extend(b"\nrest")
    assert head_end(head, start) == len(head) - 4


def test_head_end_first_blank_line_wins():
    # A bare-LF head followed by CRLFs further on (a body, a pipelined request).
    data = b"GET / HTTP/1.0\n\nGET / HTTP/1.1\r\n\r\n"
    assert head_end(data, 0) == 16
    assert Request(data[: head_end(data, 0)]).version == "HTTP/1.0"
    # A line ended by LF, then a CRLF blank line
    assert head_end(b"GET / HTTP/1.1\n\r\n", 0) == 17


# -- Response ------------------------------------------------------------------------------

HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"


def _respond(pieces, size=MIN_BUFFER, chunked=True, head_only=False, p=CPYTHON, plan=(), head=HEAD):
    pool = FakePool(p)
    conn = pool.connected([], send_plan=plan)
    response = Response(conn, memoryview(bytearray(size)), 2.0, head_only, chunked)
    response.start(head)
    for piece in pieces:
        response.write(piece)
    response.finish()
    assert pool.violations == []
    return conn.client


_TEXT = "abcdefghijklmnopqrstuvwxyz" * 300


def _pieces(n):
    # n bytes of text in pieces of varied sizes (str, as the renderers write).
    pieces = []
    i = 0
    size = 1
    while i < n:
        take = min(size, n - i)
        text = _TEXT[i : i + take]
        pieces.append(text)
        i += take
        size = size * 3 % 97 + 1
    return pieces


def _joined(pieces):
    return "".join(pieces).encode()


def test_every_length_is_framed_right():
    # HTTP/1.1: Content-Length while the body fits the buffer, chunked from one byte more.
    for size in (MIN_BUFFER, 400):
        framings = []
        for n in range(0, 3 * size):
            pieces = _pieces(n)
            client = _respond(pieces, size)
            r = client.response()
            assert r.status == 200
            assert r.body == _joined(pieces), (size, n)
            assert r.header("connection") == "close"
            assert r.header("content-type") == "text/plain; charset=utf-8"
            framings.append(r.framing)
            if r.framing == "length":
                assert client.sends == 1, (size, n)  # head and body in one send()
        threshold = framings.index("chunked")
        assert framings[threshold:] == ["chunked"] * (len(framings) - threshold)
        assert framings[:threshold] == ["length"] * threshold
        # The body room: at least 64 bytes (MIN_BUFFER), less than the buffer.
        assert 64 < threshold < size, threshold


def test_http_1_0_gets_content_length_for_any_length():
    for n in (0, 1, 63, 64, 65, 200, 1000, 3000):
        pieces = _pieces(n)
        r = _respond(pieces, chunked=False).response()
        assert r.framing == "length", n
        assert r.body == _joined(pieces)


def test_head_only_counts_the_body():
    for n in (0, 10, 1000):
        for chunked in (True, False):
            client = _respond(_pieces(n), chunked=chunked, head_only=True)
            r = client.response(head_request=True)
            assert r.header("content-length") == str(n)
            assert r.header("transfer-encoding") is None


def test_multibyte_text_split_across_chunks():
    pieces = ["\u00b5\u20ac\U0001f600" * 7] * 20
    r = _respond(pieces).response()
    assert r.framing == "chunked"
    assert r.body.decode("utf-8") == "".join(pieces)


def test_one_large_piece():
    piece = "x" * 5000
    r = _respond([piece]).response()
    assert r.framing == "chunked"
    assert r.body == piece.encode()


def test_enormous_head_still_framed():
    # A Content-Type longer than the buffer's front room goes in a send of its own.
    head = HEAD + "X-Long: " + "v" * 400 + "\r\n"
    for n in (5, 1000):
        pieces = _pieces(n)
        for chunked in (True, False):
            r = _respond(pieces, head=head, chunked=chunked).response()
            assert r.body == _joined(pieces)
            assert r.header("x-long") == "v" * 400


def test_partial_sends():
    pieces = _pieces(700)
    for plan in ([1] * 2000, [0, 200, CPYTHON.again(), 1, CPYTHON.timeout(), 150] * 3):
        r = _respond(pieces, plan=plan).response()
        assert r.body == _joined(pieces)
    client = _respond(pieces, size=4096, p=WIZNET5K)  # at most 2048 bytes a send()
    assert client.sends == 1
    pieces = _pieces(3500)
    client = _respond(pieces, size=4096, p=WIZNET5K)
    assert client.sends == 2
    assert client.response().body == _joined(pieces)


def test_micropython_send_returning_none():
    pieces = _pieces(300)
    r = _respond(pieces, p=MICROPYTHON, plan=[0, 5, 0, 50] * 10).response()
    assert r.body == _joined(pieces)


def test_send_that_never_goes_times_out():
    pool = FakePool(CPYTHON)
    conn = pool.connected([], send_plan=[0] * 2000)
    response = Response(conn, memoryview(bytearray(MIN_BUFFER)), 0.02, False, True)
    response.start(HEAD)
    response.write("abc")
    raises(Timeout, response.finish)
    assert conn.client.received == bytearray()


def test_send_error_propagates():
    error = CPYTHON.error("ECONNRESET")
    pool = FakePool(CPYTHON)
    conn = pool.connected([], send_plan=[10, error])
    response = Response(conn, memoryview(bytearray(MIN_BUFFER)), 1.0, False, True)
    response.start(HEAD)

    def respond():
        response.write("x" * 500)
        response.finish()

    assert raises(OSError, respond) is error
    assert len(conn.client.received) == 10


def test_chunked_response_cut_short_is_malformed():
    # What a client sees when rendering fails after the first chunk went.
    pool = FakePool(CPYTHON)
    conn = pool.connected([])
    response = Response(conn, memoryview(bytearray(MIN_BUFFER)), 1.0, False, True)
    response.start(HEAD)
    response.write("x" * 500)
    assert response.sent
    raises(Malformed, parse_response, conn.client.received)


def test_simple():
    pool = FakePool(CPYTHON)
    conn = pool.connected([])
    response = Response(conn, memoryview(bytearray(MIN_BUFFER)), 1.0, False, True)
    response.simple(405, "Allow: GET, HEAD, OPTIONS\r\n")
    r = conn.client.response()
    assert (r.status, r.reason) == (405, "Method Not Allowed")
    assert r.header("allow") == "GET, HEAD, OPTIONS"
    assert r.header("content-type").startswith("text/plain")
    assert r.body.decode().startswith("405")


def test_simple_every_status():
    # Reason phrases as RFC 9110 names them.
    for status, reason in (
        (200, "OK"),
        (400, "Bad Request"),
        (401, "Unauthorized"),
        (405, "Method Not Allowed"),
        (408, "Request Timeout"),
        (431, "Request Header Fields Too Large"),
        (500, "Internal Server Error"),
    ):
        assert REASONS[status] == reason
        pool = FakePool(CPYTHON)
        conn = pool.connected([])
        Response(conn, memoryview(bytearray(MIN_BUFFER)), 1.0, False, True).simple(status)
        r = conn.client.response()
        assert (r.status, r.reason, r.framing) == (status, reason, "length")


def test_simple_with_empty_body_and_head_only():
    pool = FakePool(CPYTHON)
    conn = pool.connected([])
    response = Response(conn, memoryview(bytearray(MIN_BUFFER)), 1.0, False, True)
    response.simple(200, "", "")
    r = conn.client.response()
    assert (r.status, r.body, r.header("content-length")) == (200, b"", "0")
    conn = pool.connected([])
    response = Response(conn, memoryview(bytearray(MIN_BUFFER)), 1.0, True, True)
    response.simple(401, 'WWW-Authenticate: Basic realm="metrics"\r\n')
    r = conn.client.response(head_request=True)
    assert r.status == 401
    assert int(r.header("content-length")) > 0


def test_restart_after_spill():
    # HTTP/1.0: a page kept aside, then thrown away for an error page.
    pool = FakePool(CPYTHON)
    conn = pool.connected([])
    response = Response(conn, memoryview(bytearray(MIN_BUFFER)), 1.0, False, False)
    response.start(HEAD)
    response.write("y" * 1000)
    assert not response.sent
    response.simple(500)
    r = conn.client.response()
    assert r.status == 500
    assert b"y" not in r.body


def test_response_parser_is_strict():
    # The harness's parser must refuse what Prometheus would misread, or the tests prove little.
    good = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    assert parse_response(good).body == b"ok"
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
    assert parse_response(chunked).body == b"ok"
    for bad in (
        b"HTTP/1.1 200 OK\r\n\r\nok",  # no framing
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok",  # cut short
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nok",  # more than said
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\nok",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\nX: y\r\n\r\nok",  # bare LF
        b"HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 2\r\n\r\nok",  # bare CR
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n",  # head never ends
        chunked[:-2],  # no end of the last chunk
        chunked[:-7],  # no last chunk
        chunked + b"x",  # bytes after the last chunk
        chunked.replace(b"2\r\nok", b"3\r\nok"),
        b"HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n",
    ):
        raises(Malformed, parse_response, bad)
    raises(Malformed, parse_response, good, True)  # HEAD: no body may follow
