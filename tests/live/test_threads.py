"""CPython's exporter serves from a thread while the program writes: real threads, real sockets.

Every page scraped while other threads add, remove and change series must hold every series
that was never removed, and parse. close() and shutdown() from another thread stop the server
cleanly; shutdown() returns only once serve_forever() has ended, as client_python's does.
(tests/test_concurrency.py replays the same interleavings deterministically on every runtime.)
"""

import sys
import threading

import live
from prometheus_client.parser import text_string_to_metric_families

from prometheus_express import CollectorRegistry, Counter, Gauge
from prometheus_express.histogram import Histogram
from prometheus_express.server import MetricsServer

PAGES = 120


def _scrape_text(port):
    raw, reset = live.exchange(port, b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    assert not reset
    response = live.parse_response(raw)
    assert response.status == 200, response.body[:300]
    return response.body.decode("utf-8")


class _Threads:
    # Runs writer functions in loops until stopped; the first exception any raised is kept.
    def __init__(self, *loops):
        self.stop = threading.Event()
        self.errors = []
        self.threads = [threading.Thread(target=self._run, args=(f,)) for f in loops]

    def _run(self, step):
        try:
            while not self.stop.is_set():
                step()
        except BaseException as e:
            self.errors.append(e)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(30)
        assert self.errors == []
        return False


class _Switching:
    # Threads switch every microsecond instead of every 5 ms: the unlucky moments come often.
    def __enter__(self):
        self.was = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)

    def __exit__(self, *exc):
        sys.setswitchinterval(self.was)
        return False


def test_every_page_holds_every_series_never_removed():
    # Children come and go, oldest first, each name once: removing one shifts all the others.
    # A page must hold every child that was there when it began and was still there at its end.
    registry = CollectorRegistry()
    g = Gauge("churn", "Children come and go", ["k"], registry=registry)
    c = Counter("hits", "Hits", ["k"], registry=registry)
    h = Histogram("lat", "Latency", buckets=(0.1, 1), registry=registry)
    alive = []
    guard = threading.Lock()
    state = {"n": 0}
    extra = []

    def churn():
        n = state["n"] = state["n"] + 1
        g.labels("t%d" % n).set(n)
        with guard:
            alive.append("t%d" % n)
        if len(alive) > 30:
            with guard:
                oldest = alive.pop(0)
            if n % 2:
                g.remove(oldest)
            else:
                g.remove_by_labels({"k": oldest})
        if n % 13 == 0:  # collectors come and go too
            extra.append(Gauge("extra%d" % n, "d", registry=registry))
            if len(extra) > 2:
                registry.unregister(extra.pop(0))

    def write():
        c.labels("a").inc()
        h.observe(0.5)

    server = MetricsServer(live.free_port(), "127.0.0.1", registry=registry)
    serving = threading.Thread(target=server.serve_forever)
    serving.start()
    short = []
    try:
        with _Switching(), _Threads(churn, write):
            for _ in range(PAGES):
                with guard:
                    before = set(alive)
                page = _scrape_text(server.port)
                with guard:
                    must = before & set(alive)
                families = {f.name: f for f in text_string_to_metric_families(page)}
                have = {s.labels.get("k") for s in families["churn"].samples}
                if must - have:
                    short.append(sorted(must - have))
                lat = {s.name: s.value for s in families["lat"].samples if "le" not in s.labels}
                inf = [s.value for s in families["lat"].samples if s.labels.get("le") == "+Inf"]
                # One histogram snapshot: +Inf bucket, count and sum agree (each observe adds 0.5).
                assert inf == [lat["lat_count"]], page
                assert lat["lat_sum"] == 0.5 * lat["lat_count"], page
    finally:
        server.shutdown()
        serving.join(30)
    assert not serving.is_alive()
    assert short == [], "%d of %d pages missed live series: %s" % (len(short), PAGES, short[:3])


def test_a_set_between_another_threads_inc_is_never_lost():
    # One thread incs 200 times while another sets 100000 once: whenever the set lands, the
    # incs after it add to it. A set lost inside an inc leaves the value below 100000.
    g = Gauge("g", "d", registry=None)
    lost = 0
    with _Switching():
        for _ in range(300):
            g.set(0)
            t = threading.Thread(target=lambda: [g.inc() for _ in range(200)])
            t.start()
            g.set(100000)
            t.join(30)
            if g._value < 100000:
                lost += 1
    assert lost == 0, "%d of 300 sets lost" % lost


def test_close_from_another_thread_while_serving():
    registry = CollectorRegistry()
    Gauge("g", "d", registry=registry).set(1)
    for _ in range(10):
        server = MetricsServer(live.free_port(), "127.0.0.1", registry=registry)
        failures = []

        def serve(server=server, failures=failures):
            try:
                server.serve_forever()
            except BaseException as e:
                failures.append(e)

        serving = threading.Thread(target=serve)
        serving.start()
        with _Threads(lambda server=server: _scrape_or_refused(server.port)):
            _scrape_text(server.port)
            server.close()
            serving.join(30)
        assert not serving.is_alive()
        assert failures == []
        assert server._listener is None and server._clients == []


def _scrape_or_refused(port):
    try:
        _scrape_text(port)
    except (ConnectionRefusedError, ConnectionResetError, AssertionError, ValueError):
        pass  # the server closed between this client's connect and its answer


def test_shutdown_returns_once_serve_forever_has_stopped():
    registry = CollectorRegistry()
    server = MetricsServer(live.free_port(), "127.0.0.1", registry=registry)
    serving = threading.Thread(target=server.serve_forever)
    serving.start()
    _scrape_text(server.port)  # serving, and now idle in its wait
    server.shutdown()
    # The loop has ended and closed everything; the thread is left to return from it.
    assert not server._looping
    assert server._listener is None and server._clients == []
    serving.join(30)
    assert not serving.is_alive()
    raw = None
    try:
        raw = live.exchange(server.port, b"GET / HTTP/1.1\r\n\r\n", timeout=2)
    except (ConnectionRefusedError, ConnectionResetError):
        pass
    assert raw is None, "the port still answered after shutdown()"


def test_shutdown_before_serve_forever_starts_returns_and_serve_forever_ends_at_once():
    server = MetricsServer(live.free_port(), "127.0.0.1", registry=CollectorRegistry())
    server.shutdown()
    serving = threading.Thread(target=server.serve_forever)
    serving.start()
    serving.join(30)
    assert not serving.is_alive()
    assert server._listener is None


def test_start_http_server_on_port_0_tells_the_port_as_client_python_does():
    import prometheus_client as pc

    from prometheus_express import start_http_server

    for library, start in ((pc, pc.start_http_server), (None, start_http_server)):
        server, thread = start(0, addr="127.0.0.1", registry=CollectorRegistry())
        try:
            assert server.server_port > 0
            assert server.server_address[:2] == ("127.0.0.1", server.server_port)
            raw, _ = live.exchange(server.server_port, b"GET /metrics HTTP/1.0\r\n\r\n")
            assert live.parse_response(raw).status == 200, library
        finally:
            server.shutdown()
            server.server_close()
        thread.join(30)
        assert not thread.is_alive()


def test_lazy_names_looked_up_by_threads_at_once():
    # The package loads some names on first use; threads asking at the same moment (a scrape
    # thread and the program) must all get them.
    import prometheus_express as pe

    names = ("Histogram", "Summary", "Enum", "GaugeMetricFamily", "Sample", "choose_encoder")
    errors = []

    def ask():
        try:
            for name in names:
                getattr(pe, name)
        except BaseException as e:
            errors.append(e)

    with _Switching():
        for _ in range(100):
            for name in names:
                pe.__dict__.pop(name, None)  # asked for the first time again
            threads = [threading.Thread(target=ask) for _ in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
    assert errors == [], errors[:3]
