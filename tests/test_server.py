"""prometheus_express.server: the exporter keeps serving, whatever clients and ports do.

Every fault case runs in a _Rig, whose exit checks that no socket leaked, that every accepted
socket was closed exactly once, that no fake saw a call that would have hung a real port, and
(check=True) that the next Prometheus scrape is answered 200 with the registry's page, framed.
Bodies are compared with the library's own whole-page renderers: that checks the transport.
"""

import sys

from fakesock import (
    CPYTHON,
    ESP32S2,
    ESP32S3,
    MICROPYTHON,
    PICO_W,
    PORTS,
    PROMETHEUS_HEAD,
    SMALL_BUILD,
    WIZNET5K,
    Board,
    FakePool,
    Malformed,
    Pause,
    run,
)
from support import Unloaded, Utf8Names, board_registry, module, raises

from prometheus_express import CollectorRegistry, Gauge
from prometheus_express._sockets import error_number
from prometheus_express.blocking import await_http_request
from prometheus_express.exposition import generate_latest as text_page
from prometheus_express.openmetrics.exposition import generate_latest as om_page
from prometheus_express.server import MetricsServer, start_http_server

# What client_python answers for each Accept header (test_negotiation checks the choice).
OM_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8"
TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
ALLOW = "GET, HEAD, OPTIONS"
# base64("user:pass") (RFC 4648)
AUTH_HEADER = b"Authorization: Basic dXNlcjpwYXNz\r\n"


def _get(path="/metrics", version="HTTP/1.1", headers=b"", method="GET"):
    return ("%s %s %s\r\nHost: 192.0.2.10:8000\r\n" % (method, path, version)).encode() + (
        headers + b"\r\n"
    )


def _with_header(head, line):
    # head with one more header line before the blank line.
    return head[:-2] + line + b"\r\n"


class _Failing:
    # A custom collector whose collect() raises `error` the first `times` times.
    def __init__(self, error, times=1):
        self.error = error
        self.times = times

    def collect(self):
        if self.times:
            self.times -= 1
            raise self.error
        return []


class _Rig:
    """A server on a fake port, checked on exit (see the module docstring)."""

    def __init__(self, p=CPYTHON, registry=None, cls=MetricsServer, check=True, before=None, **kw):
        self.p = p
        self.check = check
        self.head = PROMETHEUS_HEAD
        if kw.get("auth"):
            self.head = _with_header(PROMETHEUS_HEAD, AUTH_HEADER)
        self.board = Board(p)
        self.board.__enter__()
        # What the server prints on the console, kept instead: a test that makes a collector
        # fail takes what it expects out of rig.printed; anything left there fails the test.
        self.errors_module = module("prometheus_express.errors")
        self.print_traceback = self.errors_module.print_traceback
        self.printed = []
        self.errors_module.print_traceback = self.printed.append
        try:
            self.pool = FakePool(p)
            if before is not None:
                before(self.pool)
            self.registry = board_registry() if registry is None else registry
            self.server = cls(8000, registry=self.registry, socket_pool=self.pool, **kw)
        except BaseException:
            self.errors_module.print_traceback = self.print_traceback
            self.board.__exit__(None, None, None)
            raise
        self.server.read_timeout = 0.05
        self.server.write_timeout = 0.5

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                if self.check:
                    self.healthy()
                self.server.close()
                assert self.pool.open == [], "%s: sockets leaked: %r" % (self.p, self.pool.open)
                for sock in self.pool.listeners:
                    assert sock.closes == 1, (self.p, "listener closed %d times" % sock.closes)
                self.all_closed_once()
                assert self.pool.violations == [], self.pool.violations
                assert self.printed == [], "printed on the console: %r" % self.printed
        finally:
            self.server.close()
            self.errors_module.print_traceback = self.print_traceback
            self.board.__exit__(None, None, None)
        return False

    def request(self, *script, **kw):
        """A client that sends script; returns it once the server closed it."""
        client = self.pool.connect(list(script), **kw)
        assert not client.refused
        run(self.server, lambda: client.closes > 0)
        return client

    def settle(self):
        # Until every client that connected was answered, dropped or refused.
        run(self.server, lambda: all(c.refused or c.closes for c in self.pool.clients))

    def healthy(self):
        self.settle()
        run(self.server, lambda: self.pool.listener() is not None)  # maybe still rebuilding
        # A test may have shrunk the limits to provoke a timeout; the health scrape must not
        # depend on how fast a loaded machine renders, so it gets generous ones.
        self.server.read_timeout = self.server.write_timeout = 5.0
        expected = om_page(self.registry)
        client = self.request(self.head)
        r = client.response()
        assert (r.status, r.reason) == (200, "OK"), (self.p, r.status, r.body)
        assert r.header("content-type") == OM_TYPE
        assert r.header("connection") == "close"
        assert r.body == expected, self.p
        assert client.unread == 0  # the whole head was read before close (no RST)
        self.all_closed_once()

    def all_closed_once(self):
        for c in self.pool.clients:
            if c.sock is not None:
                assert c.sock.closes == 1, (self.p, "closed %d times" % c.sock.closes)

    def errors(self, kind):
        return (
            self.registry.get_sample_value("prometheus_express_http_errors_total", {"kind": kind})
            or 0
        )

    def rebuilds(self):
        return self.registry.get_sample_value("prometheus_express_listener_rebuilds_total")


# -- every port, no faults ------------------------------------------------------------------


def test_scrape_on_every_port():
    for p in PORTS:
        with _Rig(p) as rig:
            expected = text_page(rig.registry)
            client = rig.request(_get())
            r = client.response()
            assert (r.status, r.header("content-type")) == (200, TEXT_TYPE)
            assert r.body == expected
            assert r.framing == "length"


def test_long_page_on_every_port():
    for p in PORTS:
        with _Rig(p, registry=board_registry(60)) as rig:
            expected = om_page(rig.registry)
            assert len(expected) > rig.server.buffer_size
            r = rig.request(PROMETHEUS_HEAD).response()
            assert (r.status, r.framing) == (200, "chunked")
            assert r.body == expected


# -- accept() -------------------------------------------------------------------------------


def test_accept_not_now():
    # EAGAIN and timeouts in each port's own form are "nobody waits", not failures.
    for p in PORTS:
        with _Rig(p, self_metrics=True) as rig:
            rig.pool.accept_errors.extend([p.again(), p.timeout(), p.again(), p.timeout()])
            run(rig.server, lambda: not rig.pool.accept_errors)
            assert rig.errors("accept") == 0, p
            assert rig.pool.bind_attempts == 1


def test_accept_reset_backs_off():
    for p in PORTS:
        with _Rig(p, self_metrics=True) as rig:
            rig.pool.accept_errors.append(p.error("ECONNRESET"))
            run(rig.server, lambda: not rig.pool.accept_errors)
            assert rig.errors("accept") == 1
            assert rig.rebuilds() == 0
            assert rig.pool.bind_attempts == 1


def test_accept_out_of_sockets_error():
    for p in (CPYTHON, ESP32S3, PICO_W, WIZNET5K):
        with _Rig(p, self_metrics=True) as rig:
            rig.pool.accept_errors.append(RuntimeError("Out of sockets"))
            run(rig.server, lambda: not rig.pool.accept_errors)
            assert rig.errors("accept") == 1
            assert rig.rebuilds() == 0


def test_accept_any_error_recovers():
    # Whatever accept() raises once, on whichever port, the next scrape is served.
    for p in PORTS:
        for error in _connection_errors(p) + (p.again(), p.timeout()):
            with _Rig(p) as rig:
                rig.pool.accept_errors.append(error)
                run(rig.server, lambda: not rig.pool.accept_errors)


def _enotconn_codes(p):
    # A port's own ENOTCONN; without an errno module, every platform's.
    return (p.codes["ENOTCONN"],) if p.errno_module else (107, 128)


def test_accept_enotconn_rebuilds_the_listener_at_once():
    for p in PORTS:
        for code in _enotconn_codes(p):
            with _Rig(p, self_metrics=True) as rig:
                old = rig.pool.listener()
                rig.pool.kill_listener(OSError(code))
                rig.server.poll()
                assert old.closes == 1, (p, code)
                assert rig.pool.listener() not in (None, old)
                assert rig.rebuilds() == 1
                assert rig.errors("accept") == 1


def test_accept_wiznet_driver_codes_rebuild_the_listener():
    for p in (WIZNET5K, CPYTHON, SMALL_BUILD):
        for code in (3, 4, 7):
            with _Rig(p, self_metrics=True) as rig:
                old = rig.pool.listener()
                rig.pool.kill_listener(OSError(code))
                rig.server.poll()
                assert old.closes == 1
                assert rig.rebuilds() == 1


def test_repeated_accept_failures_rebuild_the_listener():
    for p in (CPYTHON, ESP32S3):
        with _Rig(p, self_metrics=True) as rig:
            n = rig.server.max_accept_errors
            old = rig.pool.listener()
            rig.pool.kill_listener(p.error("ECONNRESET"))
            run(rig.server, lambda old=old: old.closes)
            assert rig.errors("accept") == n
            assert rig.rebuilds() == 1
            assert rig.pool.bind_attempts == 2


def test_rebuild_that_fails_is_tried_again():
    with _Rig(CPYTHON, self_metrics=True) as rig:
        old = rig.pool.listener()
        rig.pool.kill_listener(OSError(107))
        rig.pool.bind_errors.append(CPYTHON.error("EADDRINUSE"))
        rig.server.poll()
        assert old.closes == 1
        assert rig.pool.listener() is None
        assert rig.pool.open == []  # the socket whose bind failed was closed
        run(rig.server, lambda: rig.pool.listener() is not None)
        assert rig.rebuilds() == 1
        assert rig.pool.bind_attempts == 3


def test_pico_w_out_of_sockets_frees_one():
    # Pico W: 5 TCP sockets. The listener and 4 silent connections (a browser's preconnects)
    # hold them all; the scrape that comes next must still be answered.
    with _Rig(PICO_W, self_metrics=True) as rig:
        rig.server.read_timeout = 1.0
        idle = []
        for _ in range(rig.server.max_clients):
            idle.append(rig.pool.connect([]))
            run(rig.server, lambda: idle[-1].sock is not None)
        assert len(rig.pool.open) == PICO_W.sockets
        scrape = rig.pool.connect([PROMETHEUS_HEAD])
        run(rig.server, lambda: scrape.closes or scrape.refused)
        assert not scrape.refused, "the queued scrape was reset"
        assert scrape.response().status == 200
        for c in idle:
            assert c.received == bytearray()
        rig.server.read_timeout = 0.05


def test_fault_handling_that_cannot_load_does_not_stop_the_server():
    # Out of file descriptors (the unix port, CPython) or of memory, recovery.py cannot load
    # just when accept() fails: the oldest waiting connection goes instead, poll() raises
    # nothing, and the server serves on.
    with _Rig(CPYTHON) as rig:
        silent = rig.pool.connect([])
        run(rig.server, lambda: silent.sock is not None)
        with Unloaded("prometheus_express.recovery"):
            sys.modules["prometheus_express.recovery"] = None  # any import of it fails
            try:
                rig.pool.accept_errors.append(OSError(24, "EMFILE"))  # 24 on every platform
                rig.server.poll()
            finally:
                del sys.modules["prometheus_express.recovery"]
        assert silent.closes == 1
        assert rig.pool.accept_errors == []


# -- recv() ---------------------------------------------------------------------------------


def test_recv_not_now_in_every_form():
    for p in PORTS:
        with _Rig(p) as rig:
            rig.server.read_timeout = 5.0  # the head comes in parts: no 408 on a slow machine
            head = PROMETHEUS_HEAD
            half = len(head) // 2
            r = rig.request(
                head[:10], None, p.again(), p.timeout(), head[10:half], None, head[half:]
            ).response()
            assert r.status == 200, p
            rig.server.read_timeout = 0.05


def _connection_errors(p):
    return (
        p.error("ECONNRESET"),
        p.error("ENOTCONN"),
        OSError(107),
        OSError(128),
        OSError(3),
        OSError(4),
        OSError(7),
        RuntimeError("Out of sockets"),
    )


def test_recv_errors_drop_the_client():
    for p in PORTS:
        for error in _connection_errors(p):
            with _Rig(p, self_metrics=True) as rig:
                client = rig.request(PROMETHEUS_HEAD[:30], error)
                assert client.received == bytearray()
                assert rig.errors("socket") + rig.errors("other") == 1
                assert rig.pool.bind_attempts == 1  # the listener is fine


def test_peer_closing_early_is_dropped_quietly():
    with _Rig(CPYTHON, self_metrics=True) as rig:
        client = rig.request(PROMETHEUS_HEAD[:30], eof=True)
        assert client.received == bytearray()
        client = rig.request(eof=True)
        assert client.received == bytearray()


# -- send() ---------------------------------------------------------------------------------


def test_send_not_now_and_partial_sends():
    for p in PORTS:
        for plan in ([0, p.timeout(), 1, 0, p.again(), 1, 1], [1] * 4000, [2048, 0, 2048]):
            with _Rig(p, registry=board_registry(40)) as rig:
                expected = om_page(rig.registry)
                r = rig.request(PROMETHEUS_HEAD, send_plan=plan).response()
                assert (r.status, r.framing) == (200, "chunked")
                assert r.body == expected


def test_wiznet_takes_2048_bytes_a_send():
    class Big(MetricsServer):
        buffer_size = 6000

    with _Rig(WIZNET5K, registry=board_registry(60), cls=Big) as rig:
        expected = om_page(rig.registry)
        assert 2048 < len(expected) < Big.buffer_size - 300
        client = rig.request(PROMETHEUS_HEAD)
        r = client.response()
        assert (r.status, r.framing) == (200, "length")
        assert r.body == expected
        assert client.sends == (len(client.received) + 2047) // 2048  # 2048 bytes each


def test_send_errors_close_once():
    for p in PORTS:
        for error in _connection_errors(p):
            for plan in ([error], [100, error]):
                with _Rig(p, registry=board_registry(40), self_metrics=True) as rig:
                    client = rig.request(PROMETHEUS_HEAD, send_plan=list(plan))
                    # No error page after the connection failed, even before the first byte
                    assert len(client.received) == (100 if len(plan) > 1 else 0)
                    raises(Malformed, client.response)
                    assert rig.errors("socket") + rig.errors("other") == 1
                    assert rig.errors("render") == 0


def test_stalled_send_times_out():
    # Short page: the stall is at finish(); long page: at the first chunk, while rendering.
    for p in (CPYTHON, MICROPYTHON, ESP32S3):
        for children in (0, 40):
            with _Rig(p, registry=board_registry(children), self_metrics=True) as rig:
                rig.server.write_timeout = 0.03
                client = rig.request(PROMETHEUS_HEAD, send_plan=[0] * 2000)
                assert client.received == bytearray()
                assert rig.errors("timeout") == 1
                assert rig.errors("render") == 0  # no 500 tried on the stalled connection
                client.send_plan = []


# -- close() --------------------------------------------------------------------------------


def test_close_errors_never_escape():
    for p in PORTS:
        for error in _connection_errors(p) + (p.again(), p.timeout()):
            with _Rig(p) as rig:
                r = rig.request(PROMETHEUS_HEAD, close_error=error).response()
                assert r.status == 200
                gone = rig.request(PROMETHEUS_HEAD[:9], eof=True, close_error=error)  # dropped
                assert gone.received == bytearray()


# -- bind() ---------------------------------------------------------------------------------


def _cannot_listen(pool, error):
    # The error names the address, keeps the errno, and says what the socket layer said.
    e = raises(OSError, MetricsServer, 8000, "0.0.0.0", socket_pool=pool)
    assert "0.0.0.0:8000" in str(e), e
    assert str(error) in str(e), e
    assert error_number(e) == error_number(error), (e, error)
    return e


def test_bind_fails_at_once_on_cpython_naming_the_address():
    # A taken port on CPython is another program's: no retries, as client_python.
    with Board(CPYTHON):
        pool = FakePool(CPYTHON)
        in_use = CPYTHON.error("EADDRINUSE")
        pool.bind_errors.extend([in_use, in_use])
        _cannot_listen(pool, in_use)
        assert pool.bind_attempts == 1
        assert pool.open == []


def test_port_out_of_range_is_a_value_error_naming_it():
    for port in (-1, 65536, 70000):
        e = raises(ValueError, MetricsServer, port, socket_pool=FakePool(CPYTHON))
        assert str(port) in str(e), e


def test_bind_retries_while_the_address_is_in_use():
    for p in (MICROPYTHON, ESP32S3, WIZNET5K, SMALL_BUILD):
        in_use = p.error("EADDRINUSE")

        def before(pool, in_use=in_use):
            pool.bind_errors.extend([in_use, in_use])

        with _Rig(p, before=before) as rig:
            assert rig.pool.bind_attempts == 3
            assert len(rig.pool.open) == 1


def test_bind_value_error_before_circuitpython_9():
    def before(pool):
        pool.bind_errors.append(ValueError("address in use"))

    with _Rig(ESP32S2, before=before) as rig:
        assert rig.pool.bind_attempts == 2


def test_bind_other_errors_raise_at_once():
    # 112 is EADDRINUSE only on newlib: on Linux it is not "in use", so no retry.
    for p, error in (
        (CPYTHON, OSError(112)),
        (ESP32S3, OSError(98)),
        (CPYTHON, OSError(13)),
        (WIZNET5K, RuntimeError("Use bind to set the port before listen!")),
    ):
        with Board(p):
            pool = FakePool(p)
            pool.bind_errors.append(error)
            _cannot_listen(pool, error)
            assert pool.bind_attempts == 1
            assert pool.open == []


def test_bind_any_other_error_then_a_new_server():
    for p in PORTS:
        for error in _connection_errors(p) + (p.again(), p.timeout()):
            with Board(p):
                pool = FakePool(p)
                pool.bind_errors.append(error)
                _cannot_listen(pool, error)
                assert pool.bind_attempts == 1
                assert pool.open == []
                registry = board_registry()
                with MetricsServer(8000, registry=registry, socket_pool=pool) as server:
                    client = pool.connect([PROMETHEUS_HEAD])
                    run(server, lambda c=client: c.closes)
                    assert client.response().body == om_page(registry)
                assert pool.open == []


def test_out_of_sockets_at_start_raises():
    with Board(PICO_W):
        pool = FakePool(PICO_W)
        error = RuntimeError("Out of sockets")
        pool.socket_errors.append(error)
        _cannot_listen(pool, error)
        assert pool.open == []


def test_buffer_size_below_minimum():
    class Tiny(MetricsServer):
        buffer_size = 100

    pool = FakePool(CPYTHON)
    e = raises(ValueError, Tiny, 8000, socket_pool=pool)
    assert "buffer_size" in str(e)
    assert pool.open == []


# -- rendering ------------------------------------------------------------------------------


def test_collector_errors_answer_500():
    for p in (CPYTHON, MICROPYTHON, ESP32S3):
        for error in (MemoryError(), ValueError("broken collector"), KeyError("x")):
            registry = CollectorRegistry()
            registry.register(_Failing(error))  # first: it fails before a byte is written
            Gauge("board_up", "Up.", registry=registry).set(1)
            with _Rig(p, registry=registry, self_metrics=True) as rig:
                r = rig.request(PROMETHEUS_HEAD).response()
                assert (r.status, r.framing) == (500, "length")
                assert r.header("content-type").startswith("text/plain")
                assert rig.errors("render") == 1
                assert rig.printed == [error]  # its traceback, once
                del rig.printed[:]


def test_collector_error_after_the_first_chunk_cuts_the_body():
    # Prometheus must see a broken page, not a short one it would take as complete.
    for error, kind in ((MemoryError(), "render"), (ValueError("x"), "render")):
        with _Rig(CPYTHON, registry=board_registry(60), self_metrics=True) as rig:
            rig.registry.register(_Failing(error))
            client = rig.request(PROMETHEUS_HEAD)
            assert bytes(client.received).startswith(b"HTTP/1.1 200 OK\r\n")
            raises(Malformed, client.response)
            assert rig.errors(kind) == 1
            assert rig.printed == [error]
            del rig.printed[:]


def test_collector_error_http_1_0_long_page_answers_500():
    with _Rig(CPYTHON, registry=board_registry(60)) as rig:
        error = MemoryError()
        rig.registry.register(_Failing(error))
        r = rig.request(_get(version="HTTP/1.0")).response()
        assert (r.status, r.framing) == (500, "length")
        assert rig.printed == [error]
        del rig.printed[:]


def test_collector_error_on_head():
    with _Rig(CPYTHON) as rig:
        error = ValueError("x")
        rig.registry.register(_Failing(error))
        r = rig.request(_get(method="HEAD")).response(head_request=True)
        assert r.status == 500
        assert rig.printed == [error]
        del rig.printed[:]


# -- HTTP behaviour -------------------------------------------------------------------------


def test_framing_by_version_and_length():
    with _Rig(CPYTHON, registry=board_registry(60)) as rig:
        long_page = text_page(rig.registry)
        assert len(long_page) > 2 * rig.server.buffer_size
        r = rig.request(_get(version="HTTP/1.0")).response()
        assert (r.status, r.framing, r.body) == (200, "length", long_page)
        assert r.header("transfer-encoding") is None
        r = rig.request(_get()).response()
        assert (r.status, r.framing, r.body) == (200, "chunked", long_page)
    with _Rig(CPYTHON) as rig:
        short_page = text_page(rig.registry)
        for version in ("HTTP/1.0", "HTTP/1.1"):
            r = rig.request(_get(version=version)).response()
            assert (r.status, r.framing, r.body) == (200, "length", short_page)


def test_head_gives_length_without_body():
    for children in (3, 60):
        with _Rig(CPYTHON, registry=board_registry(children)) as rig:
            page = text_page(rig.registry)
            for version in ("HTTP/1.0", "HTTP/1.1"):
                client = rig.request(_get(method="HEAD", version=version))
                r = client.response(head_request=True)
                assert r.status == 200
                assert r.header("content-length") == str(len(page))
                assert r.header("content-type") == TEXT_TYPE


def test_accept_negotiation():
    with _Rig(CPYTHON) as rig:
        text = text_page(rig.registry)
        om = om_page(rig.registry)
        for accept, content_type, body in (
            (None, TEXT_TYPE, text),
            ("text/html,application/xhtml+xml,*/*;q=0.8", TEXT_TYPE, text),
            ("text/plain;version=0.0.4", TEXT_TYPE, text),
            (
                "text/plain;version=1.0.0",
                "text/plain; version=1.0.0; charset=utf-8; escaping=underscores",
                text,
            ),
            (
                "application/openmetrics-text",
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
                om,
            ),
        ):
            headers = b"" if accept is None else ("Accept: %s\r\n" % accept).encode()
            r = rig.request(_get(headers=headers)).response()
            assert r.status == 200
            assert r.header("content-type") == content_type, accept
            assert r.body == body, accept


def test_the_exporter_escapes_names_as_the_scrape_asks():
    with Utf8Names():
        registry = board_registry()
        Gauge("board.voltage", "Supply voltage.", ["rail.name"], registry=registry).labels(
            "3v3"
        ).set(3.3)
        # check=False: the rig's own health scrape expects the page with underscores.
        with _Rig(CPYTHON, registry=registry, check=False) as rig:
            for accept, om, escaping in (
                ("text/plain;version=1.0.0;escaping=allow-utf-8", False, "allow-utf-8"),
                ("text/plain;version=1.0.0;escaping=dots", False, "dots"),
                ("application/openmetrics-text;version=1.0.0;escaping=values", True, "values"),
                ("application/openmetrics-text;version=1.0.0", True, "underscores"),
                (None, False, "underscores"),
            ):
                headers = b"" if accept is None else ("Accept: %s\r\n" % accept).encode()
                r = rig.request(_get(headers=headers)).response()
                assert r.status == 200
                if accept is not None:
                    assert r.header("content-type").endswith("escaping=" + escaping), accept
                page = (om_page if om else text_page)(rig.registry, escaping)
                assert r.body == page, accept
                assert b"board.voltage" in page if escaping == "allow-utf-8" else b"board_" in page


def test_enormous_content_type_is_still_framed():
    # The Accept header's version is echoed: a very long one overflows the front room.
    with _Rig(CPYTHON) as rig:
        version = "1." + "0" * 400
        accept = "application/openmetrics-text;version=%s" % version
        r = rig.request(_get(headers=("Accept: %s\r\n" % accept).encode())).response()
        assert r.status == 200
        assert version in r.header("content-type")
        assert r.body == om_page(rig.registry)


def test_name_filter():
    both = board_registry()
    Gauge("board_voltage", "Supply voltage.", registry=both).set(3.3)
    only = CollectorRegistry()
    Gauge("board_voltage", "Supply voltage.", registry=only).set(3.3)
    with _Rig(CPYTHON, registry=both) as rig:
        for query in (
            "name[]=board_voltage",
            "name%5B%5D=board%5Fvoltage",
            "x=1&name[]=board_voltage",
        ):
            r = rig.request(_get("/metrics?" + query)).response()
            assert r.status == 200
            assert r.body == text_page(only), query
        r = rig.request(_get("/metrics?name[]=nothing_here")).response()
        assert (r.status, r.body) == (200, b"")
        r = rig.request(_get("/metrics?name[]=%ff")).response()
        assert r.status == 400


def test_basic_auth():
    with _Rig(CPYTHON, auth=("user", "pass"), self_metrics=True) as rig:
        r = rig.request(_get()).response()
        assert r.status == 401
        assert r.header("www-authenticate") == 'Basic realm="metrics"'
        r = rig.request(_get(headers=b"Authorization: Basic dXNlcjp3cm9uZw==\r\n")).response()
        assert r.status == 401
        r = rig.request(_get(method="HEAD")).response(head_request=True)
        assert r.status == 401
        assert rig.errors("unauthorized") == 3
        expected = text_page(rig.registry)
        r = rig.request(_get(headers=AUTH_HEADER)).response()
        assert (r.status, r.body) == (200, expected)


def test_methods():
    with _Rig(CPYTHON) as rig:
        client = rig.request(
            _get(method="POST", headers=b"Content-Length: 11\r\n"), None, b"hello", b" body"
        )
        r = client.response()
        assert (r.status, r.header("allow")) == (405, ALLOW)
        assert client.unread == 0  # the body was read before close
        for method in ("PUT", "DELETE"):
            r = rig.request(_get(method=method)).response()
            assert (r.status, r.header("allow")) == (405, ALLOW)
        r = rig.request(b"OPTIONS * HTTP/1.1\r\n\r\n").response()
        assert (r.status, r.header("allow"), r.body) == (200, ALLOW, b"")
        r = rig.request(_get(method="OPTIONS")).response()
        assert (r.status, r.header("allow")) == (200, ALLOW)
        r = rig.request(_get("/favicon.ico")).response()
        assert (r.status, r.body) == (200, b"")
        r = rig.request(_get("/")).response()  # any other path serves the page
        assert (r.status, r.body) == (200, text_page(rig.registry))


def test_request_body_that_never_comes():
    with _Rig(CPYTHON) as rig:
        head = _get(method="POST", headers=b"Content-Length: 100\r\n")
        r = rig.request(head, b"0123456789").response()
        assert r.status == 405


def test_pipelined_requests_are_drained():
    with _Rig(CPYTHON) as rig:
        client = rig.request(_get(), _get("/second"))
        r = client.response()
        assert (r.status, r.body) == (200, text_page(rig.registry))
        assert client.unread == 0


def test_partial_head_past_read_timeout_is_408():
    with _Rig(CPYTHON, self_metrics=True) as rig:
        client = rig.request(PROMETHEUS_HEAD[:40])
        r = client.response()
        assert (r.status, r.framing) == (408, "length")
        # The rest comes long after the read_timeout, however late the server polls.
        client = rig.request(PROMETHEUS_HEAD[:40], Pause(60), PROMETHEUS_HEAD[40:])
        assert client.response().status == 408
        assert rig.errors("bad_request") == 2


def test_idle_connection_closes_silently():
    with _Rig(CPYTHON, self_metrics=True) as rig:
        client = rig.request()
        assert client.received == bytearray()
        client = rig.request(Pause(60), PROMETHEUS_HEAD)  # long after the read_timeout
        assert client.received == bytearray()
        assert rig.errors("timeout") == 2


def test_slow_but_in_time():
    with _Rig(CPYTHON) as rig:
        rig.server.read_timeout = 5.0  # far more than the pauses, even on a loaded machine
        head = PROMETHEUS_HEAD
        client = rig.request(head[:5], Pause(0.02), head[5:50], Pause(0.02), head[50:])
        assert client.response().status == 200
        rig.server.read_timeout = 0.05


def test_oversized_head_is_431():
    with _Rig(CPYTHON, self_metrics=True) as rig:
        big = b"X-Big: " + b"a" * (rig.server.max_head + 100) + b"\r\n"
        head = _get(headers=big)
        client = rig.request(head[:1000], head[1000:2000], head[2000:])
        assert client.response().status == 431
        assert client.unread == 0
        fits = _get(headers=b"X-Pad: " + b"b" * (rig.server.max_head - 80) + b"\r\n")
        assert len(fits) <= rig.server.max_head
        assert rig.request(fits).response().status == 200


def test_garbage_is_400_at_once():
    hello = b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + bytes(range(40))
    for data in (hello, b"\x00\x01\x02\x03", b"get /metrics HTTP/1.1\r\n\r\n", b"\xff\xfe\r\n\r\n"):
        with _Rig(CPYTHON) as rig:
            rig.server.read_timeout = 5.0  # a 400 must not wait for it
            client = rig.pool.connect([data])
            assert rig.server.poll()
            assert client.closes == 1
            assert client.response().status == 400
            rig.server.read_timeout = 0.05


def test_max_clients_evicts_the_oldest():
    with _Rig(CPYTHON) as rig:
        rig.server.read_timeout = 5.0
        idle = []
        for _ in range(rig.server.max_clients + 1):
            idle.append(rig.pool.connect([]))
            run(rig.server, lambda: idle[-1].sock is not None)
        assert [c.closes for c in idle] == [1, 0, 0, 0, 0]
        client = rig.request(PROMETHEUS_HEAD)
        assert client.response().status == 200
        assert [c.closes for c in idle] == [1, 1, 0, 0, 0]
        assert idle[0].received == idle[1].received == bytearray()
        rig.server.read_timeout = 0.05


def test_a_new_connection_waits_while_the_waiting_ones_are_fresh():
    # A client that has just connected has its request in flight: evicting it would answer
    # it with a reset. The newcomer waits in the listen queue for a quarter of read_timeout.
    with _Rig(CPYTHON) as rig:
        rig.server.read_timeout = 5.0
        idle = []
        for _ in range(rig.server.max_clients):
            idle.append(rig.pool.connect([]))
            run(rig.server, lambda: idle[-1].sock is not None)
        scrape = rig.pool.connect([PROMETHEUS_HEAD])
        for _ in range(20):
            assert not rig.server.poll()
        assert [c.closes for c in idle] == [0] * len(idle)
        assert scrape.sock is None, "accepted, though every waiting client is fresh"
        rig.server.read_timeout = 0.05  # now the oldest has waited long enough
        run(rig.server, lambda: scrape.closes)
        assert scrape.response().status == 200
        assert idle[0].closes == 1


def test_accept_out_of_file_descriptors_frees_one():
    # The unix port and CPython run out of descriptors (EMFILE 24, ENFILE 23: the same number
    # on every platform) where CircuitPython raises RuntimeError.
    # With a client still sending its head, such errors wait for it, not for a new listener
    # (rebuilding would reset the connection waiting to be accepted).
    for error in (OSError(24), OSError(23)):
        with _Rig(CPYTHON, self_metrics=True) as rig:
            rig.server.read_timeout = 1.0
            idle = rig.pool.connect([])
            run(rig.server, lambda idle=idle: idle.sock is not None)
            rig.pool.accept_errors.extend([error] * 5)  # max_accept_errors: else a rebuild
            scrape = rig.pool.connect([PROMETHEUS_HEAD])
            run(rig.server, lambda scrape=scrape: scrape.closes)
            assert scrape.response().status == 200
            assert rig.errors("accept") == 5
            assert rig.rebuilds() == 0
            assert rig.pool.bind_attempts == 1
            rig.server.read_timeout = 0.05


def test_two_prometheus_replicas_at_once():
    with _Rig(CPYTHON) as rig:
        rig.server.read_timeout = 5.0  # b's head comes in two parts: no 408 on a slow machine
        expected = om_page(rig.registry)
        a = rig.pool.connect([PROMETHEUS_HEAD])
        b = rig.pool.connect([PROMETHEUS_HEAD[:100], None, PROMETHEUS_HEAD[100:]])
        assert run(rig.server, lambda: a.closes and b.closes) == 2
        assert a.response().body == b.response().body == expected
        rig.server.read_timeout = 0.05


# -- lifecycle ------------------------------------------------------------------------------


def test_close_closes_everything():
    for p in (CPYTHON, WIZNET5K):  # WIZnet: a second close() would raise
        with _Rig(p, check=False) as rig:
            rig.server.read_timeout = 5.0
            clients = []
            for script in ([], [PROMETHEUS_HEAD[:20]]):  # one at a time: WIZnet's backlog is 1
                clients.append(rig.pool.connect(script))
                run(rig.server, lambda c=clients[-1]: c.sock is not None)
            rig.server.close()
            assert rig.pool.open == []
            assert [c.closes for c in clients] == [1, 1]
            rig.server.close()
            late = rig.pool.connect([PROMETHEUS_HEAD])
            assert late.refused
            assert not rig.server.poll()


def test_context_manager():
    with Board(CPYTHON):
        pool = FakePool(CPYTHON)
        with MetricsServer(8000, registry=board_registry(), socket_pool=pool) as server:
            server.read_timeout = 0.05
            client = pool.connect([PROMETHEUS_HEAD])
            run(server, lambda: client.closes)
            assert client.response().status == 200
            assert len(pool.open) == 1
        assert pool.open == []
        assert pool.listeners[0].closes == 1


def test_context_manager_closes_on_error():
    with Board(CPYTHON):
        pool = FakePool(CPYTHON)
        try:
            with MetricsServer(8000, registry=board_registry(), socket_pool=pool):
                raise KeyError("in the block")
        except KeyError:
            pass
        assert pool.open == []


def test_await_http_request():
    with _Rig(CPYTHON) as rig:
        rig.server.read_timeout = 5.0  # the head comes in two parts: no 408 on a slow machine
        client = rig.pool.connect([PROMETHEUS_HEAD[:50], None, PROMETHEUS_HEAD[50:]])
        await_http_request(rig.server)
        assert client.response().body == om_page(rig.registry)
        other = board_registry(7)
        client = rig.pool.connect([_get()])
        await_http_request(rig.server, other)
        assert client.response().body == text_page(other)
        rig.server.registry = rig.registry


def test_await_http_request_on_closed_server():
    with _Rig(CPYTHON, check=False) as rig:
        rig.server.close()
        e = raises(ValueError, await_http_request, rig.server)
        assert "closed" in str(e)


def test_a_listener_that_always_polls_ready_does_not_spin():
    # CircuitPython on the Pico W polls its listener ready whether or not a client waits. When
    # accept() then finds nobody, the next wait sleeps without it, as if nothing were ready.
    with _Rig(PICO_W) as rig:
        server = rig.server
        fresh = rig.board.fresh
        blocking = module("prometheus_express.blocking")
        waits = []

        def wait(readers, writers, seconds):
            watched = server._listener in readers
            waits.append((watched, seconds))
            return watched  # ready at once if it is watched; else the sleep passes

        real = fresh.wait
        fresh.wait = wait
        try:
            for _ in range(4):
                assert not server.poll()
                blocking.idle(server)
        finally:
            fresh.wait = real
        # Watched, then a short sleep without it: a scrape waits at most that sleep.
        assert waits == [(True, 0.5), (False, 0.05), (True, 0.5), (False, 0.05)], waits
        # A real client is still accepted and answered.
        client = rig.pool.connect([PROMETHEUS_HEAD])
        run(server, lambda: client.closes)
        assert client.response().status == 200


def test_serve_forever_until_close():
    with _Rig(CPYTHON, check=False) as rig:
        server = rig.server

        class Stopper:
            def collect(self):
                server.close()
                return []

        rig.registry.register(Stopper())
        client = rig.pool.connect([PROMETHEUS_HEAD])
        server.serve_forever()
        assert client.response().status == 200
        assert rig.pool.open == []  # serve_forever closes the server when it ends


def test_start_http_server():
    try:
        import threading  # noqa: F401

        threads = True
    except ImportError:  # MicroPython, CircuitPython: the caller's loop polls
        threads = False
    with Board(CPYTHON):
        pool = FakePool(CPYTHON)
        registry = board_registry()
        result = start_http_server(0, registry=registry, socket_pool=pool)
        if threads:
            server, thread = result
            assert thread.daemon
            # As client_python's: the port the OS picked, and server_close().
            assert server.server_port == server.port == 40000
            assert server.server_address == ("0.0.0.0", 40000)
            assert server.server_close == server.close
        else:
            server = result
        try:
            assert isinstance(server, MetricsServer)
            client = pool.connect([PROMETHEUS_HEAD])
            if threads:
                import time

                for _ in range(2000):
                    if client.closes:
                        break
                    time.sleep(0.001)
            else:
                run(server, lambda: client.closes)
            assert client.response().body == om_page(registry)
        finally:
            if threads:
                server.shutdown()
                thread.join(5)
                assert not thread.is_alive()
            server.close()
        assert pool.open == []


# -- self_metrics ---------------------------------------------------------------------------


def test_self_metrics():
    with _Rig(CPYTHON, self_metrics=True) as rig:
        registry = rig.registry
        for _ in range(3):
            rig.request(PROMETHEUS_HEAD)
        assert registry.get_sample_value("prometheus_express_scrapes_total") == 3
        rig.request(b"\x16\x03\x01")  # 400
        rig.request(PROMETHEUS_HEAD[:20])  # 408
        rig.request()  # silent: timeout
        rig.request(_get(method="HEAD"))  # a scrape too
        assert rig.errors("bad_request") == 2
        assert rig.errors("timeout") == 1
        assert registry.get_sample_value("prometheus_express_scrapes_total") == 4
        page = om_page(registry).decode()
        assert "prometheus_express_scrapes_total 4.0\n" in page
    # close() takes the exporter's own metrics out of the registry
    assert b"prometheus_express" not in om_page(registry)


def test_self_metrics_twice_on_one_registry():
    registry = board_registry()
    with _Rig(CPYTHON, registry=registry, self_metrics=True) as rig:
        second = FakePool(CPYTHON)
        raises(
            ValueError,
            MetricsServer,
            8001,
            registry=registry,
            socket_pool=second,
            self_metrics=True,
        )
        assert second.open == [], "the second server's listener leaked"
        assert rig.rebuilds() == 0
