"""prometheus_express._sockets: every port's socket quirks behind a few calls, on fake ports."""

import sys
import time

from fakesock import (
    CPYTHON,
    ESP32S2,
    LINUX,
    MICROPYTHON,
    NEWLIB,
    PORTS,
    WIZNET5K,
    FakePool,
    Pause,
    _load_sockets,
    load_recovery,
    load_sockets,
)
from support import module, raises

_sockets = module("prometheus_express._sockets")
recovery = module("prometheus_express.recovery")  # what bind and accept errors mean

# Every number a platform uses (docs/platforms.md: Linux, newlib, macOS).
EVERY_AGAIN = (11, 35)
EVERY_TIMEDOUT = (110, 116, 60)
EVERY_IN_USE = (98, 112, 48)
EVERY_NOTCONN = (107, 128, 57)


def _host_errno():
    try:
        import errno
    except ImportError:
        import uerrno as errno
    return errno


# -- errno classification ------------------------------------------------------------------


def test_host_errno_classification():
    errno = _host_errno()
    assert _sockets.would_block(OSError(errno.EAGAIN))
    assert _sockets.would_block(OSError(errno.ETIMEDOUT))
    assert recovery.address_in_use(OSError(errno.EADDRINUSE))
    assert recovery.listener_dead(OSError(errno.ENOTCONN))
    assert not _sockets.would_block(OSError(errno.ECONNRESET))
    assert not recovery.listener_dead(OSError(errno.ECONNRESET))
    assert not recovery.address_in_use(OSError(errno.ECONNRESET))


def test_linux_numbers():
    s = load_sockets(LINUX)
    r = load_recovery(LINUX)
    assert s.would_block(OSError(11)) and s.would_block(OSError(110))
    assert r.address_in_use(OSError(98))
    assert r.listener_dead(OSError(107))
    # newlib's numbers mean something else on Linux (116 ESTALE, 112 EHOSTDOWN)
    assert not s.would_block(OSError(116))
    assert not r.address_in_use(OSError(112))
    assert not r.listener_dead(OSError(128))
    assert not r.listener_dead(OSError(104)) and not s.would_block(OSError(104))


def test_newlib_numbers():
    # Every CircuitPython port and MicroPython esp32.
    s = load_sockets(NEWLIB)
    r = load_recovery(NEWLIB)
    assert s.would_block(OSError(11)) and s.would_block(OSError(116))
    assert r.address_in_use(OSError(112))
    assert r.listener_dead(OSError(128))
    assert not r.address_in_use(OSError(98))
    assert not r.listener_dead(OSError(107))
    assert not s.would_block(OSError(110))
    assert not r.listener_dead(OSError(104)) and not s.would_block(OSError(104))


def test_without_errno_module_every_platform_number_counts():
    # Small CircuitPython builds have no errno module: the fallback lists every platform.
    s = load_sockets(None)
    r = load_recovery(None)
    assert s.errno is None
    for code in EVERY_AGAIN + EVERY_TIMEDOUT:
        assert s.would_block(OSError(code)), code
    for code in EVERY_IN_USE:
        assert r.address_in_use(OSError(code)), code
    for code in EVERY_NOTCONN:
        assert r.listener_dead(OSError(code)), code
    assert not s.would_block(OSError(104)) and not r.listener_dead(OSError(104))


def test_wiznet_driver_codes_mean_a_dead_listener():
    for codes in (LINUX, NEWLIB, None):
        s = load_sockets(codes)
        r = load_recovery(codes)
        for code in (3, 4, 7):
            assert r.listener_dead(OSError(code)), (codes, code)
            assert not s.would_block(OSError(code))
            assert not r.address_in_use(OSError(code))


def test_would_block_cpython_forms():
    # CPython: BlockingIOError carries errno 11; a timeout is TimeoutError with errno None.
    again = CPYTHON.again()
    timeout = CPYTHON.timeout()
    assert _sockets.would_block(again)
    assert _sockets.would_block(timeout)
    assert getattr(timeout, "errno", None) in (None, "timed out")


def test_would_block_named_timeout_class():
    # The WIZnet library's own timeout classes carry no errno: the class name says it.
    class SocketTimeout(Exception):
        pass

    assert _sockets.would_block(SocketTimeout("no data"))
    assert not _sockets.would_block(RuntimeError("Out of sockets"))
    assert not _sockets.would_block(ValueError("x"))


def test_errno_from_args_when_errno_attribute_is_missing():
    # CPython's OSError(11) has errno None and the number in args.
    e = OSError(11)
    assert _sockets.error_number(e) == 11
    # (MicroPython gives every exception an errno attribute: args[0], here a str)
    assert not isinstance(_sockets.error_number(RuntimeError("Out of sockets")), int)
    assert _sockets.error_number(OSError()) is None


def test_value_error_is_address_in_use():
    # CircuitPython before 9 raises ValueError for a failed bind.
    assert recovery.address_in_use(ValueError("address in use"))
    assert not recovery.address_in_use(RuntimeError("Out of sockets"))


def test_out_of_sockets_is_not_classified():
    e = RuntimeError("Out of sockets")
    assert not _sockets.would_block(e)
    assert not recovery.listener_dead(e)
    assert not recovery.address_in_use(e)


# -- listen, accept ------------------------------------------------------------------------


def test_listen_binds_nonblocking_with_reuseaddr():
    pool = FakePool(CPYTHON)
    sock = _sockets.listen(pool, "0.0.0.0", 8000, 3)
    assert sock.address == ("0.0.0.0", 8000)
    assert sock.backlog == 3
    assert sock.timeout == 0
    assert (pool.SOL_SOCKET, pool.SO_REUSEADDR, 1) in sock.options
    assert pool.open == [sock]
    _sockets.close(sock)
    assert pool.open == []


def test_listen_without_reuseaddr():
    # CircuitPython before 9 has no SO_REUSEADDR.
    pool = FakePool(ESP32S2, reuseaddr=False)
    sock = _sockets.listen(pool, "0.0.0.0", 8000, 1)
    assert sock.options == []
    assert sock.timeout == 0
    _sockets.close(sock)


def test_listen_closes_the_socket_when_bind_fails():
    pool = FakePool(CPYTHON)
    pool.bind_errors.append(CPYTHON.error("EADDRINUSE"))
    e = raises(OSError, _sockets.listen, pool, "0.0.0.0", 8000, 1)
    assert recovery.address_in_use(e)
    assert pool.open == []


def test_listen_out_of_sockets():
    pool = FakePool(CPYTHON)
    pool.socket_errors.append(RuntimeError("Out of sockets"))
    raises(RuntimeError, _sockets.listen, pool, "0.0.0.0", 8000, 1)
    assert pool.open == []


def test_accept_none_when_nobody_waits():
    for p in PORTS:
        pool = FakePool(p)
        s = load_sockets(p.codes if p.errno_module else None)
        listener = s.listen(pool, "0.0.0.0", 8000, 2)
        assert s.accept(listener) is None
        pool.accept_errors.append(p.timeout())
        assert s.accept(listener) is None
        assert pool.violations == [], p
        s.close(listener)


def test_accept_makes_the_socket_nonblocking():
    # CircuitPython: an accepted socket may come back blocking, or with the listener's timeout.
    for p in PORTS:
        pool = FakePool(p)
        listener = _sockets.listen(pool, "0.0.0.0", 8000, 2)
        listener.settimeout(5)  # what an inherited timeout would be
        client = pool.connect([b"x"])
        conn = _sockets.accept(listener)
        assert conn is client.sock
        assert conn.timeout == 0, p
        conn.settimeout(0)
        _sockets.close(conn)
        _sockets.close(listener)
        assert pool.open == []


def test_accept_errors_propagate():
    pool = FakePool(CPYTHON)
    listener = _sockets.listen(pool, "0.0.0.0", 8000, 2)
    pool.accept_errors.append(CPYTHON.error("ECONNRESET"))
    pool.accept_errors.append(RuntimeError("Out of sockets"))
    e = raises(OSError, _sockets.accept, listener)
    assert _sockets.error_number(e) == 104
    raises(RuntimeError, _sockets.accept, listener)
    _sockets.close(listener)


def test_accept_closes_a_socket_it_cannot_configure():
    pool = FakePool(CPYTHON)
    listener = _sockets.listen(pool, "0.0.0.0", 8000, 2)
    client = pool.connect([b"x"])

    def broken(seconds):
        raise OSError(9)

    original = listener.accept

    def accept():
        conn, addr = original()
        conn.settimeout = broken
        return conn, addr

    listener.accept = accept
    raises(OSError, _sockets.accept, listener)
    assert client.closes == 1
    _sockets.close(listener)
    assert pool.open == []


# -- recv_into, send, close ----------------------------------------------------------------


def test_recv_into_every_read_path():
    for p in PORTS:
        s = load_sockets(p.codes if p.errno_module else None)
        pool = FakePool(p)
        conn = pool.connected([b"hello ", None, b"world", p.timeout()], eof=True)
        assert hasattr(conn, "recv_into") == (p.reads != "recv")
        buf = bytearray(8)
        view = memoryview(buf)
        assert s.recv_into(conn, view) == 6
        assert bytes(buf[:6]) == b"hello "
        assert s.recv_into(conn, view) is None  # EAGAIN
        assert s.recv_into(conn, view[:3]) == 3
        assert bytes(buf[:3]) == b"wor"
        assert s.recv_into(conn, view) == 2
        assert bytes(buf[:2]) == b"ld"
        assert s.recv_into(conn, view) is None, p  # a timeout is "nothing yet" too
        assert s.recv_into(conn, view) == 0  # the peer closed
        assert pool.violations == []


def test_recv_into_on_recv_only_socket():
    # MicroPython: no recv_into, and readinto must not be used (it drops partial data).
    pool = FakePool(MICROPYTHON)
    conn = pool.connected([b"abcdef"])
    assert not hasattr(conn, "recv_into")
    buf = bytearray(b"..........")
    assert _sockets.recv_into(conn, memoryview(buf)[2:6]) == 4
    assert buf == bytearray(b"..abcd....")
    assert _sockets.recv_into(conn, memoryview(buf)) == 2
    assert buf == bytearray(b"efabcd....")


def test_recv_into_errors_propagate():
    for p in PORTS:
        for error in (
            p.error("ECONNRESET"),
            p.error("ENOTCONN"),
            OSError(3),
            OSError(4),
            OSError(7),
            RuntimeError("Out of sockets"),
        ):
            pool = FakePool(p)
            conn = pool.connected([error])
            s = load_sockets(p.codes if p.errno_module else None)
            got = raises(Exception, s.recv_into, conn, memoryview(bytearray(4)))
            assert got is error, (p, error)


def test_recv_into_waits_out_a_pause():
    pool = FakePool(CPYTHON)
    conn = pool.connected([Pause(0.02), b"late"])
    view = memoryview(bytearray(8))
    assert _sockets.recv_into(conn, view) is None
    time.sleep(0.03)
    assert _sockets.recv_into(conn, view) == 4


def test_send_partial_and_full_buffer():
    pool = FakePool(CPYTHON)
    conn = pool.connected([], send_plan=[1, 0, CPYTHON.timeout(), 2048, 3])
    data = memoryview(b"x" * 3000)
    assert _sockets.send(conn, data) == 1
    assert _sockets.send(conn, data) == 0  # BlockingIOError
    assert _sockets.send(conn, data) == 0  # TimeoutError
    assert _sockets.send(conn, data) == 2048
    assert _sockets.send(conn, data) == 3
    assert len(conn.client.received) == 1 + 2048 + 3


def test_send_returning_none_is_zero():
    # MicroPython: send (and write) may return None when the buffer is full.
    pool = FakePool(MICROPYTHON)
    conn = pool.connected([], send_plan=[0, 5])
    assert conn.send(b"abc") is None  # the fake behaves as the port
    assert _sockets.send(conn, b"abcdefgh") == 5
    conn.client.send_plan.append(0)
    assert _sockets.send(conn, b"abc") == 0


def test_send_takes_at_most_2048_on_wiznet():
    pool = FakePool(WIZNET5K)
    conn = pool.connected([])
    assert _sockets.send(conn, memoryview(bytearray(5000))) == 2048


def test_send_eagain_on_every_port():
    for p in PORTS:
        pool = FakePool(p)
        s = load_sockets(p.codes if p.errno_module else None)
        conn = pool.connected([], send_plan=[0, p.timeout()])
        assert s.send(conn, b"abc") == 0, p
        assert s.send(conn, b"abc") == 0, p
        assert s.send(conn, b"abc") == 3, p


def test_send_errors_propagate():
    for p in PORTS:
        s = load_sockets(p.codes if p.errno_module else None)
        for error in (p.error("ECONNRESET"), p.error("ENOTCONN"), OSError(4), OSError(7)):
            pool = FakePool(p)
            conn = pool.connected([], send_plan=[error])
            assert raises(Exception, s.send, conn, b"abc") is error


def test_close_never_raises():
    pool = FakePool(WIZNET5K)
    conn = pool.connected([])
    _sockets.close(conn)
    raises(RuntimeError, conn.close)  # the WIZnet socketpool raises on a second close
    _sockets.close(conn)  # but not through _sockets
    assert conn.closes == 3
    for error in (OSError(104), OSError(4), RuntimeError("boom"), MemoryError()):
        pool = FakePool(CPYTHON)
        conn = pool.connected([], close_error=error)
        _sockets.close(conn)
        assert conn.closes == 1
        assert pool.open == []


def test_close_records_unread_request_bytes():
    pool = FakePool(CPYTHON)
    head = b"GET / HTTP/1.1\r\n\r\n"
    conn = pool.connected([head, b"more"])
    assert _sockets.recv_into(conn, memoryview(bytearray(5))) == 5
    _sockets.close(conn)
    assert conn.client.unread == len(head) - 5 + len(b"more")


# -- wait, default_pool --------------------------------------------------------------------


def test_wait_on_sockets_it_cannot_poll_returns():
    s = load_sockets(LINUX)  # its own _pollable: the package's module keeps polling
    pool = FakePool(CPYTHON)
    conn = pool.connected([])
    for _ in range(3):
        # It sleeps instead of raising, and says nothing polled ready.
        assert s.wait((conn,), (conn,), 0.01) is False
        assert s.wait((), (), 0.001) is False
    assert conn.closes == 0
    assert pool.violations == []
    if sys.implementation.name == "cpython":
        # poll() cannot register these sockets at all (as with CircuitPython's socketpool):
        # polling is off for good. MicroPython registers them and fails in poll() instead,
        # which sleeps that once.
        assert s._pollable is False


def test_wait_on_a_real_socket_says_whether_one_polled_ready():
    # A copy of its own: fake sockets elsewhere may have turned polling off for good.
    s = _load_sockets(LINUX)
    socket = s.default_pool()
    listener = s.listen(socket, "127.0.0.1", 0, 4)
    client = None
    try:
        assert s.wait((listener,), (), 0.001) is False  # nobody connects
        address = listener.getsockname() if hasattr(listener, "getsockname") else None
        if address is None:  # MicroPython: no getsockname, so no port to connect to
            return
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        client.connect(address)
        assert s.wait((listener,), (), 30) is True  # a connection waits
    finally:
        s.close(listener)
        if client is not None:
            client.close()


def test_default_pool_is_the_socket_module():
    import socket

    assert _sockets.default_pool() is socket
