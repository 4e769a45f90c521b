"""prometheus_express.remote_write: the request each send makes, byte for byte, and every way it
fails, against a scripted receiver on a fake socket pool (tests/fakesock.py).

tests/live/test_remote_write.py sends to a real Prometheus and reads the samples back;
tests/oracle decodes the encoding with cramjam and Google's protobuf.
"""

from fakesock import CPYTHON, MICROPYTHON, PORTS, Board, FakePool, parse_request
from support import board_registry, raises
from wire import series, snappy_decode

from prometheus_express import CollectorRegistry, Counter, Gauge
from prometheus_express import remote_write as rw
from prometheus_express.__about__ import __version__
from prometheus_express.double import double
from prometheus_express.remote_write import RemoteWriter, remote_write

URL = "http://192.0.2.5:9090/api/v1/write"
NO_CONTENT = b"HTTP/1.1 204 No Content\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\n"
NOW = 1700000000  # the wall clock's seconds in these tests


class Clock:
    """The wall clock remote_write reads, set to `now` (None: a board's unset clock)."""

    def __init__(self, now=NOW):
        self.now = now

    def __enter__(self):
        self.saved = rw.wall_time
        rw.wall_time = lambda: self.now
        return self

    def __exit__(self, *exc):
        rw.wall_time = self.saved
        return False


def _registry():
    registry = CollectorRegistry()
    Counter("boots", "Boots", registry=registry).inc(3)
    g = Gauge("temperature_celsius", "Air", ["sensor"], registry=registry)
    g.labels("bme280").set(21.5)
    g.labels('a"b').set(2**53)
    return registry


def _sent(pool, answer=NO_CONTENT, **options):
    """The request remote_write sent to a receiver answering `answer`, parsed."""
    peer = pool.peer([answer], eof=True)
    with Clock():
        remote_write(URL, socket_pool=pool, **options)
    assert peer.closes == 1 and pool.open == []
    return parse_request(peer.received)


def _samples(body):
    data, _, _ = snappy_decode(body)
    return series(data)


def test_the_request_is_remote_write_1_0():
    for p in PORTS:
        pool = FakePool(p)
        with Board(p):
            request = _sent(pool, registry=_registry(), job="greenhouse", instance="pico-1")
        assert (request.method, request.target, request.version) == (
            "POST",
            "/api/v1/write",
            "HTTP/1.1",
        )
        headers = dict(request.headers)
        assert headers["host"] == "192.0.2.5:9090"
        assert headers["content-type"] == "application/x-protobuf"
        assert headers["content-encoding"] == "snappy"
        assert headers["x-prometheus-remote-write-version"] == "0.1.0"
        assert headers["user-agent"] == "prometheus_express/" + __version__
        assert request.framing == "chunked"
        found = {}
        for labels, value, timestamp in _samples(request.body):
            assert timestamp == NOW * 1000
            assert [name for name, _ in labels] == sorted(name for name, _ in labels)
            found[tuple(labels)] = value
        job = [("instance", "pico-1"), ("job", "greenhouse")]
        bits = {}
        for text in ("3.0", "21.5", "9007199254740992.0"):
            bits[text] = int.from_bytes(double(text), "little")
        assert found[tuple([("__name__", "boots_total")] + job)] == bits["3.0"]
        reading = [("__name__", "temperature_celsius")] + job + [("sensor", "bme280")]
        assert found[tuple(reading)] == bits["21.5"]
        big = [("__name__", "temperature_celsius")] + job + [("sensor", 'a"b')]
        assert found[tuple(big)] == bits["9007199254740992.0"]


def test_a_series_own_job_label_wins():
    registry = CollectorRegistry()
    Gauge("g", "G", ["job"], registry=registry).labels("own").set(1)
    request = _sent(FakePool(), registry=registry, job="added")
    labels = [dict(labels) for labels, _, _ in _samples(request.body)]
    assert labels == [{"__name__": "g", "job": "own"}]


def test_no_labels_are_added_unless_asked():
    registry = CollectorRegistry()
    Gauge("g", "G", registry=registry).set(1)
    request = _sent(FakePool(), registry=registry)
    assert [labels for labels, _, _ in _samples(request.body)] == [[("__name__", "g")]]


def test_auth_and_headers():
    registry = board_registry()
    request = _sent(FakePool(), registry=registry, auth=("writer", "s3cret"))
    assert dict(request.headers)["authorization"] == "Basic d3JpdGVyOnMzY3JldA=="
    request = _sent(
        FakePool(), registry=registry, bearer_token="abc", headers={"X-Scope-OrgID": "fleet"}
    )
    headers = dict(request.headers)
    assert headers["authorization"] == "Bearer abc"
    assert headers["x-scope-orgid"] == "fleet"


def _readings(n, step):
    """A registry of n labelled readings: a body of many chunks."""
    registry = CollectorRegistry()
    g = Gauge("reading", "A reading", ["sensor"], registry=registry)
    for i in range(n):
        g.labels("sensor-%d" % i).set(i * step)
    return registry


def test_the_body_leaves_in_chunks_of_the_buffer():
    registry = _readings(200, 1.5)
    pool = FakePool()
    peer = pool.peer([NO_CONTENT], eof=True)
    saved = rw.buffer_size
    rw.buffer_size = 256
    try:
        with Clock():
            remote_write(URL, registry, socket_pool=pool)
    finally:
        rw.buffer_size = saved
    data = bytes(peer.received)
    body = data[data.find(b"\r\n\r\n") + 4 :]
    sizes = []
    while True:
        eol = body.find(b"\r\n")
        size = int(body[:eol], 16)
        if not size:
            break
        sizes.append(size)
        body = body[eol + 2 + size + 2 :]
    assert len(sizes) > 3 and max(sizes) == 256, sizes
    assert len(_samples(parse_request(data).body)) == 200


def test_each_send_carries_whole_chunks_and_the_head_goes_with_the_first():
    # A small send (the head alone, a chunk's size line) would wait on Nagle's algorithm and
    # the receiver's delayed ACK.
    registry = _readings(1000, 1.37)
    pool = FakePool()
    peer = pool.peer([NO_CONTENT], eof=True)
    with Clock():
        remote_write(URL, registry, socket_pool=pool)
    request = parse_request(peer.received)
    assert len(request.body) > 2 * rw.buffer_size
    chunks = (len(request.body) + rw.buffer_size - 1) // rw.buffer_size
    assert peer.sends == chunks, (peer.sends, chunks)


def test_the_buffer_size_must_fit_a_chunk_s_size_line():
    saved = rw.buffer_size
    try:
        for size in (63, 0x10000):
            rw.buffer_size = size
            pool = FakePool()
            with Clock():
                e = raises(ValueError, remote_write, URL, board_registry(), socket_pool=pool)
            assert "64 to 65535" in str(e) and pool.connects == []
    finally:
        rw.buffer_size = saved


def test_the_receiver_s_refusal_is_the_error():
    answer = (
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Length: 14\r\n\r\nout of bounds\n"
    )
    for p in PORTS:
        pool = FakePool(p)
        pool.peer([answer], eof=True)
        with Board(p), Clock():
            e = raises(OSError, remote_write, URL, board_registry(), socket_pool=pool)
        assert str(e) == "remote write to %s failed: 400 Bad Request: out of bounds" % URL, str(e)
        assert e.status == 400  # a caller that retries tells 4xx from 5xx by it
        assert pool.open == []


def test_an_unreachable_receiver():
    for p in PORTS:
        pool = FakePool(p)  # no peer: connection refused
        with Board(p), Clock():
            e = raises(OSError, remote_write, URL, board_registry(), socket_pool=pool)
        assert str(e).startswith(
            "remote write to %s failed: cannot reach 192.0.2.5:9090: " % URL
        ), str(e)
        assert getattr(e, "status", None) is None
        assert pool.open == []


def test_no_answer():
    pool = FakePool()
    pool.peer([], eof=True)  # takes the request, closes without a word
    with Clock():
        e = raises(OSError, remote_write, URL, board_registry(), socket_pool=pool)
    assert str(e) == "remote write to %s failed: no answer" % URL, str(e)
    assert pool.open == []


def test_a_board_without_a_clock_is_told_how_to_set_it():
    pool = FakePool(MICROPYTHON)
    with Clock(None):
        e = raises(RuntimeError, remote_write, URL, board_registry(), socket_pool=pool)
    assert "wall clock" in str(e) and "ntptime" in str(e) and "adafruit_ntp" in str(e)
    assert pool.connects == []


def test_bad_arguments_raise_before_any_socket():
    for url, words in (
        ("ftp://192.0.2.5/write", "http:// or https://"),
        ("192.0.2.5:9090/api/v1/write", "http:// or https://"),
        ("http://:9090/api/v1/write", "no host"),
        ("http://host:port/api/v1/write", "bad port"),
        ("https://host/api/v1/push", "ssl_context"),
    ):
        e = raises(ValueError, RemoteWriter, url)
        assert words in str(e), (url, str(e))
    e = raises(ValueError, RemoteWriter, URL, auth=("a", "b"), bearer_token="t")
    assert "not both" in str(e)
    e = raises(ValueError, RemoteWriter, URL, keep=-1)
    assert "keep" in str(e)


def test_the_url_s_parts():
    writer = RemoteWriter("http://[::1]:9090")
    assert (writer.host, writer.port, writer.path) == ("::1", 9090, "/")
    writer = RemoteWriter("https://prometheus-prod.grafana.net/api/prom/push", ssl_context=object())
    assert (writer.host, writer.port, writer.path) == (
        "prometheus-prod.grafana.net",
        443,
        "/api/prom/push",
    )


def test_kept_rounds_go_oldest_first_once_the_receiver_is_back():
    registry = CollectorRegistry()
    counter = Counter("rounds", "Rounds", registry=registry)
    pool = FakePool(CPYTHON)
    writer = RemoteWriter(URL, socket_pool=pool, keep=2)
    with Clock() as clock:
        for _ in range(3):  # the receiver is down: each round is kept, the oldest dropped
            counter.inc()
            clock.now += 1
            e = raises(OSError, writer.send, registry)
            assert "cannot reach" in str(e)
        assert len(writer.kept) == 2
        peers = [pool.peer([NO_CONTENT], eof=True) for _ in range(3)]
        counter.inc()
        clock.now += 1
        writer.send(registry)
    assert writer.kept == []
    sent = [_samples(parse_request(peer.received).body) for peer in peers]
    # rounds 2, 3 (kept) and 4 (now); round 1 was dropped
    rounds = [
        [(v, ts) for labels, v, ts in s if dict(labels)["__name__"] == "rounds_total"] for s in sent
    ]
    assert rounds == [
        [(int.from_bytes(double("%d.0" % n), "little"), (NOW + n) * 1000)] for n in (2, 3, 4)
    ]
    assert pool.open == []


def test_a_refused_kept_round_is_dropped_and_the_rest_wait():
    registry = board_registry()
    pool = FakePool()
    writer = RemoteWriter(URL, socket_pool=pool, keep=3)
    refused = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 14\r\n\r\nout of bounds\n"
    unavailable = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
    with Clock():
        pool.peer([unavailable], eof=True)
        e = raises(OSError, writer.send, registry)  # 503: kept, may pass later
        assert "503" in str(e) and len(writer.kept) == 1
        pool.peer([refused], eof=True)
        e = raises(OSError, writer.send, registry)  # the kept round is refused: dropped
        assert "400" in str(e) and len(writer.kept) == 1  # this round's, still to send
        pool.peer([NO_CONTENT], eof=True)
        pool.peer([NO_CONTENT], eof=True)
        writer.send(registry)
    assert writer.kept == [] and pool.open == []


class _Growing:
    """A collector with one more sample each time it is asked: the page changes between the
    two passes of a send."""

    def __init__(self):
        self.n = 0

    def collect(self):
        from prometheus_express.core import GaugeMetricFamily

        self.n += 1
        family = GaugeMetricFamily("growing", "More each time", labels=["i"])
        for i in range(self.n):
            family.add_metric([str(i)], i)
        return [family]


def test_a_page_that_changes_during_the_send_is_an_error_not_a_hang():
    registry = CollectorRegistry()
    registry.register(_Growing())
    pool = FakePool()
    peer = pool.peer([], eof=False)  # would wait for the rest of the body forever
    with Clock():
        e = raises(OSError, remote_write, URL, registry, socket_pool=pool)
    assert str(e) == (
        "remote write to %s failed: the page changed while it was sent (a series came or went "
        "in between); send again" % URL
    ), str(e)
    assert peer.closes == 1 and pool.open == []


class _Context:
    """An ssl_context stand-in (CircuitPython's ssl over socketpool has the same call):
    records wrap_socket's server_hostname, and fails the handshake when told to."""

    def __init__(self, error=None):
        self.error = error
        self.hostnames = []

    def wrap_socket(self, sock, server_hostname=None):
        self.hostnames.append(server_hostname)
        if self.error is not None:
            raise self.error
        return sock


def test_https_wraps_the_socket_for_the_host():
    context = _Context()
    pool = FakePool()
    peer = pool.peer([NO_CONTENT], eof=True)
    with Clock():
        remote_write(
            "https://metrics.example:443/api/prom/push",
            board_registry(),
            socket_pool=pool,
            ssl_context=context,
        )
    assert context.hostnames == ["metrics.example"]
    assert pool.connects[0][0] == ("metrics.example", 443)
    assert dict(parse_request(peer.received).headers)["host"] == "metrics.example:443"
    assert pool.open == []


def test_a_failed_handshake_is_an_os_error_on_one_line():
    context = _Context(ValueError("\nThe certificate is not correctly signed by the trusted CA\n"))
    pool = FakePool()
    pool.peer([NO_CONTENT], eof=True)
    url = "https://metrics.example/api/prom/push"
    with Clock():
        e = raises(
            OSError, remote_write, url, board_registry(), socket_pool=pool, ssl_context=context
        )
    assert str(e) == (
        "remote write to %s failed: TLS with metrics.example: The certificate is not correctly "
        "signed by the trusted CA" % url
    ), str(e)
    assert pool.open == []
