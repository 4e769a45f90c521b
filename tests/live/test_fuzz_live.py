"""Fuzz over real loopback sockets: hypothesis makes requests (Prometheus' own, others the
exporter knows, mutated ones, noise), splits them at random points and sends the pieces with
small random pauses, to start_http_server's thread in this process.

Every answer is one well-formed HTTP/1.1 response, a request whose head ended is answered, the
request Prometheus sends gets the page, the exporter thread never dies, and at the end the
process holds exactly the file descriptors it held before the server started.
"""

import os
import socket
import struct
import time

import live
import pytest
from fakesock import Malformed, owes_answer, well_formed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Generous, so that no example waits for it: every client ends its side or goes.
READ_TIMEOUT = 2.0
# About 20 s on a loaded 2-core machine while serve_forever() may sleep 0.5 s after a client
# leaves without a request; a few seconds once it watches the listener then.
EXAMPLES = 200

# Pieces of the syntax and what parsers trip on, for the mutations.
TOKENS = (
    b"\r",
    b"\n",
    b"\r\n",
    b"\r\n\r\n",
    b" ",
    b"\t",
    b":",
    b"?",
    b"%",
    b"\x00",
    b"\x7f",
    b"\xff",
    b"\xc2\xb2",
    b"\xc2\x85",
    b"HTTP/1.0",
    b"HEAD ",
    b"Content-Length: 3\r\n",
    b"Accept: text/plain\r\n",
    b"name[]=live_value",
)


def _open_fds():
    return len(os.listdir("/proc/self/fd"))


@st.composite
def _scrape(draw, port):
    # The request Prometheus sends, as HEAD or HTTP/1.0 now and then, with bare LFs sometimes.
    request = live.prometheus_request(port)
    if draw(st.booleans()):
        request = request.replace(b"HTTP/1.1", b"HTTP/1.0", 1)
    head = draw(st.sampled_from((False, False, True)))
    if head:
        request = b"HEAD" + request[3:]
    if draw(st.sampled_from((False, False, True))):
        request = request.replace(b"\r\n", b"\n")
    return request, ("head" if head else "page")


_OTHERS = (
    b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /metrics?name[]=live_value HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\nX-Big: " + b"a" * 3000 + b"\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n",
)


@st.composite
def _mutated(draw, port):
    if draw(st.booleans()):
        data = draw(_scrape(port))[0]
    else:
        data = draw(st.sampled_from(_OTHERS))
    edits = draw(
        st.lists(
            st.tuples(
                st.integers(0, 4000),
                st.sampled_from(("replace", "insert", "delete", "cut")),
                st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=4)),
            ),
            min_size=1,
            max_size=4,
        )
    )
    for at, kind, piece in edits:
        at = at % (len(data) + 1)
        if kind == "replace":
            data = data[:at] + piece + data[at + len(piece) :]
        elif kind == "insert":
            data = data[:at] + piece + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + len(piece) :]
        else:
            data = data[:at]
    return data, None


@st.composite
def _request(draw, port):
    """(bytes, what they must get: "page", "head" or None for any well-formed answer)."""
    kind = draw(st.sampled_from(("scrape", "other", "mutated", "mutated", "noise")))
    if kind == "scrape":
        return draw(_scrape(port))
    if kind == "other":
        return draw(st.sampled_from(_OTHERS)), None
    if kind == "mutated":
        return draw(_mutated(port))
    start = draw(st.sampled_from((b"", b"GET ", b"GET /metrics HTTP/1.1\r\n")))
    return start + draw(st.binary(max_size=600)), None


@st.composite
def _delivery(draw, size):
    """The split points and the pause before each piece; how the client ends."""
    points = sorted(set(draw(st.lists(st.integers(0, size), max_size=8))))
    pauses = draw(
        st.lists(
            st.sampled_from((0.0, 0.0, 0.0005, 0.002, 0.004)),
            min_size=len(points) + 1,
            max_size=len(points) + 1,
        )
    )
    # half: shut down the sending side and read the answer; close: go without reading
    # (a FIN); reset: go with a RST.
    end = draw(st.sampled_from(("half", "half", "half", "close", "reset")))
    return points, pauses, end


def _exchange(port, data, points, pauses, end):
    """Send data in pieces; the bytes that came back (None when the client left early)."""
    sock = live.connect(port)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        at = 0
        for stop, pause in zip(points + [len(data)], pauses):
            if pause:
                time.sleep(pause)
            try:
                sock.sendall(data[at:stop])
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered and closed early: its answer is still readable
            at = stop
        if end == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        if end != "half":
            return None
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # reset meanwhile
            pass
        return live.read_all(sock)[0]
    finally:
        sock.close()


def _check(server, data, expect, raw, page):
    if raw is None:
        return
    if not raw:
        assert not owes_answer(data, server.server.max_head), "no answer to %r" % data[:300]
        assert expect is None, "no answer to %r" % data[:300]
        return
    head_like = data.lstrip(b"\r\n").startswith(b"HEAD ")
    try:
        r = well_formed(raw, head_like)
    except (Malformed, AssertionError) as e:
        pytest.fail("%r answered %r: %r" % (data[:300], raw[:300], e))
    if expect == "page":
        assert r.status == 200, (data, r.status, r.body)
        assert b"HTTP/1.0" not in data or r.framing == "length", "chunks for HTTP/1.0"
        live.check_page(r.body, 0)
    elif expect == "head":
        assert (r.status, r.body) == (200, None), (data, r.status)
        assert r.header("content-length") == str(len(page)), "HEAD counts what GET sends"


def test_fuzz_over_loopback():
    before = _open_fds()
    server = live.CPythonServer(read_timeout=READ_TIMEOUT, write_timeout=2.0, sndbuf=0)
    tried = []
    started = time.monotonic()
    try:
        page = live.scrape(server).body

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,  # every run tries the same inputs, as tests/oracle's ci profile
            database=None,
            print_blob=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(st.data())
        def exchange(draw_from):
            data, expect = draw_from.draw(_request(server.port), label="request")
            points, pauses, end = draw_from.draw(_delivery(len(data)), label="delivery")
            tried.append(len(data))
            raw = _exchange(server.port, data, points, pauses, end)
            _check(server, data, expect, raw, page)
            server.check_alive()

        exchange()
        live.scrape(server)  # the next scrape gets the right page
        # Clients that left without reading are gone once the server saw them go.
        deadline = time.monotonic() + READ_TIMEOUT + 5
        while _open_fds() != before + 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _open_fds() == before + 1, "open: %d, before the server %d, plus its listener" % (
            _open_fds(),
            before,
        )
    finally:
        server.close()
    assert _open_fds() == before, "file descriptors leaked"
    print(
        "test_fuzz_over_loopback: %d requests (%d bytes) in %.1f s"
        % (len(tried), sum(tried), time.monotonic() - started)
    )
    assert len(tried) >= EXAMPLES
