"""Fake socket pools with the ports' personalities, scripted clients, and an HTTP response parser.

    with Board(ESP32S3):                   # the socket layer sees the board's errno numbers
        pool = FakePool(ESP32S3)
        server = MetricsServer(8000, socket_pool=pool)
        client = pool.connect([PROMETHEUS_HEAD, None, ESP32S3.timeout()])
        run(server, lambda: client.closes)
    response = parse_response(client.received)

    pool = FakePool(MICROPYTHON)           # the code under test as the client (push):
    gateway = pool.peer([b"HTTP/1.1 200 OK\r\n\r\n"], eof=True)
    push_to_gateway("192.0.2.5:9091", "job", registry, socket_pool=pool)
    request = parse_request(gateway.received)

A client is a script of what it sends: bytes, None ("nothing yet": one EAGAIN), an exception
(raised by that recv), Pause(seconds), or a function (called, then the script goes on). It
records everything the server sent and how often close() was called. A peer is the same kind
of script on the far end of a connect(). Each socket counts against the port's socket limit
until its first close(). A fake that would have blocked a real port forever records a violation
instead of hanging.

Only the subset every runtime runs: no pytest, no f-strings, no os.path.
"""

import sys
import time

from support import Unloaded, module

# errno numbers by family (docs/platforms.md), never the host's: a test says which port it is.
LINUX = {
    "EAGAIN": 11,
    "EBADF": 9,
    "EINVAL": 22,
    "EADDRINUSE": 98,
    "ECONNABORTED": 103,
    "ECONNRESET": 104,
    "ENOTCONN": 107,
    "ETIMEDOUT": 110,
    "ECONNREFUSED": 111,
}
NEWLIB = {
    "EAGAIN": 11,
    "EBADF": 9,
    "EINVAL": 22,
    "EADDRINUSE": 112,
    "ECONNABORTED": 113,
    "ECONNRESET": 104,
    "ENOTCONN": 128,
    "ETIMEDOUT": 116,
    "ECONNREFUSED": 111,
}

try:
    _BlockingIOError = BlockingIOError
    _TimeoutError = TimeoutError
except NameError:  # MicroPython has only OSError: stand-ins that look the same

    class _BlockingIOError(OSError):
        pass

    class _TimeoutError(OSError):
        pass


# What Prometheus 3 sends when it scrapes (docs/platforms.md), byte for byte as Go writes it.
PROMETHEUS_ACCEPT = (
    "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
    "application/openmetrics-text;version=0.0.1;q=0.5,"
    "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
    "text/plain;version=0.0.4;q=0.3,"
    "*/*;q=0.2"
)
PROMETHEUS_HEAD = (
    "GET /metrics HTTP/1.1\r\n"
    "Host: 192.0.2.10:8000\r\n"
    "User-Agent: Prometheus/3.1.0\r\n"
    "Accept: " + PROMETHEUS_ACCEPT + "\r\n"
    "Accept-Encoding: gzip\r\n"
    "X-Prometheus-Scrape-Timeout-Seconds: 10\r\n"
    "\r\n"
).encode()


def _mark():
    """A reading for _seconds_since()."""
    if hasattr(time, "ticks_ms"):  # MicroPython
        return time.ticks_ms()
    return time.monotonic()


def _seconds_since(mark):
    # MicroPython: ticks_ms wraps, and ticks_ms() / 1000 as a single-precision float is off
    # by up to 0.06 s; ticks_diff measures across the wrap, and the small difference is exact.
    if hasattr(time, "ticks_ms"):
        return time.ticks_diff(time.ticks_ms(), mark) / 1000
    return time.monotonic() - mark


class Personality:
    """How one port's socket layer behaves.

    reads: "recv_into", "recv" or "both"; sockets: the port's limit (RuntimeError beyond);
    send_max: bytes one send() takes at most; send_window: bytes the send buffer holds before
    send() says EAGAIN once (ESP32-S2/S3); none_when_full: MicroPython's send returns None
    instead; accepted: "inherit" (the listener's timeout) or "blocking"; close_twice: a second
    close() raises RuntimeError (WIZnet); backlog: the most the port queues whatever listen()
    asks; cpython: BlockingIOError and TimeoutError; errno_module: False for a build without one.
    """

    def __init__(
        self,
        name,
        codes,
        reads,
        sockets=None,
        send_max=None,
        send_window=None,
        none_when_full=False,
        accepted="inherit",
        close_twice=False,
        backlog=None,
        cpython=False,
        errno_module=True,
    ):
        self.name = name
        self.codes = codes
        self.reads = reads
        self.sockets = sockets
        self.send_max = send_max
        self.send_window = send_window
        self.none_when_full = none_when_full
        self.accepted = accepted
        self.close_twice = close_twice
        self.backlog = backlog
        self.cpython = cpython
        self.errno_module = errno_module

    def __repr__(self):
        return "<%s>" % self.name

    def again(self):
        """The "nothing now" error of a non-blocking socket."""
        if self.cpython:
            return _BlockingIOError(11, "Resource temporarily unavailable")
        return OSError(self.codes["EAGAIN"])

    def timeout(self):
        """The error a socket with a timeout raises when it runs out."""
        if self.cpython:
            return _TimeoutError("timed out")  # errno None
        return OSError(self.codes["ETIMEDOUT"])

    def error(self, name):
        """OSError with this port's number for name ("ECONNRESET", ...)."""
        return OSError(self.codes[name], name)


CPYTHON = Personality("CPython", LINUX, "both", cpython=True)
MICROPYTHON = Personality("MicroPython rp2", LINUX, "recv", send_window=1460, none_when_full=True)
ESP32S2 = Personality(
    "CircuitPython ESP32-S2",
    NEWLIB,
    "recv_into",
    sockets=8,
    send_window=1000,
    accepted="blocking",
)
ESP32S3 = Personality("CircuitPython ESP32-S3", NEWLIB, "recv_into", sockets=8, send_window=1000)
PICO_W = Personality("CircuitPython Pico W", NEWLIB, "recv_into", sockets=5)
WIZNET5K = Personality(
    "WIZnet5k socketpool",
    NEWLIB,
    "recv_into",
    sockets=7,
    send_max=2048,
    accepted="blocking",
    close_twice=True,
    backlog=1,
)
SMALL_BUILD = Personality(
    "CircuitPython without errno", NEWLIB, "recv_into", sockets=8, errno_module=False
)
PORTS = (CPYTHON, MICROPYTHON, ESP32S2, ESP32S3, PICO_W, WIZNET5K, SMALL_BUILD)


class _Errno:
    # A stand-in errno module holding one family's numbers.
    def __init__(self, codes):
        for name in codes:
            setattr(self, name, codes[name])


_loaded = {}


def load_sockets(codes):
    """A fresh prometheus_express._sockets that imported an errno module with these numbers
    (None: a build without errno). The package keeps its own _sockets."""
    key = "none" if codes is None else repr(sorted(codes.items()))
    if key not in _loaded:
        _loaded[key] = _load_sockets(codes)
    return _loaded[key]


def _load_sockets(codes):
    module("prometheus_express._sockets")
    fake = _Errno(codes) if codes is not None else None
    saved = {}
    for name in ("errno", "uerrno"):
        saved[name] = sys.modules.get(name)
        # None: CPython raises ImportError, MicroPython imports None; both leave errno None.
        sys.modules[name] = fake
    try:
        with Unloaded("prometheus_express._sockets"):
            fresh = module("prometheus_express._sockets")
    finally:
        for name in saved:
            if saved[name] is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = saved[name]
    return fresh


def load_recovery(codes):
    """A fresh prometheus_express.recovery whose errno lookups use load_sockets(codes)."""
    with Unloaded("prometheus_express.recovery"):
        fresh = module("prometheus_express.recovery")
    fresh._sockets = load_sockets(codes)
    return fresh


class Board:
    """Within the block, the exporter and push use a _sockets loaded on this port's errno.

    The block's value is that _sockets module.
    """

    def __init__(self, personality):
        self.personality = personality

    def __enter__(self):
        p = self.personality
        self.fresh = load_sockets(p.codes if p.errno_module else None)
        self.users = (
            module("prometheus_express.server"),
            module("prometheus_express.recovery"),
            module("prometheus_express.routes"),
            module("prometheus_express.http"),
            module("prometheus_express.push"),
            module("prometheus_express.blocking"),
        )
        self.saved = [m._sockets for m in self.users]
        for m in self.users:
            m._sockets = self.fresh
        # What recovery does differently on a board (bind retries) follows the personality.
        self.recovery = self.users[1]
        self.was_board = self.recovery.BOARD
        self.recovery.BOARD = not p.cpython
        return self.fresh

    def __exit__(self, *exc):
        for i in range(len(self.users)):
            self.users[i]._sockets = self.saved[i]
        self.recovery.BOARD = self.was_board
        return False


class Pause:
    """A script item: nothing comes for this many seconds after the server first reads here."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.started = None  # a _mark() from the first read here


class Client:
    """One scripted client connection; see the module docstring."""

    def __init__(self, script, eof=False, send_plan=(), close_error=None):
        self.script = list(script)
        self.eof = eof  # after the script: recv gives 0 (True) or nothing, forever (False)
        self.send_plan = list(send_plan)  # per send(): max bytes, 0 = buffer full, or an error
        self.close_error = close_error  # raised by the first close(), after closing
        self.received = bytearray()
        self.sock = None  # the server's end, once accepted
        self.refused = False
        self.sends = 0
        self.unread = None  # request bytes never read when the server closed

    @property
    def closes(self):
        return self.sock.closes if self.sock is not None else 0

    def pending(self):
        """Bytes of the script the server has not read yet."""
        n = 0
        for item in self.script:
            if isinstance(item, (bytes, bytearray)):
                n += len(item)
        return n

    def response(self, head_request=False):
        return parse_response(self.received, head_request)


class _Socket:
    # A socket as pool.socket() makes it: it can bind, listen and accept.
    def __init__(self, pool):
        self.pool = pool
        self.timeout = None  # blocking, as every port makes a socket
        self.closes = 0
        self.backlog = None
        self.dead = None  # an error every accept() raises (the listener died)
        self.options = []
        pool._take()
        pool.open.append(self)

    def _check(self):
        if self.closes:
            raise OSError(self.pool.personality.codes["EBADF"])

    def _nothing(self, what):
        # The error a real socket gives when nothing is ready, by its timeout.
        p = self.pool.personality
        if self.timeout is None:
            self.pool.violations.append("%s on a blocking socket would hang (%s)" % (what, p))
            return p.again()
        if self.timeout > 0:
            return p.timeout()
        return p.again()

    def settimeout(self, seconds):
        self._check()
        self.timeout = seconds

    def setblocking(self, flag):
        self.settimeout(None if flag else 0)

    def setsockopt(self, level, option, value):
        self._check()
        self.options.append((level, option, value))

    def bind(self, address):
        self._check()
        pool = self.pool
        pool.bind_attempts += 1
        if pool.bind_errors:
            raise pool.bind_errors.pop(0)
        self.address = address

    def getsockname(self):
        # As a kernel binds port 0: to a port of its choosing.
        host, port = self.address
        return (host, port or 40000)

    def listen(self, backlog=0):
        self._check()
        limit = self.pool.personality.backlog
        self.backlog = backlog if limit is None else min(backlog, limit)
        self.pool.listeners.append(self)

    def accept(self):
        self._check()
        pool = self.pool
        if self.dead is not None:
            raise self.dead
        if pool.accept_errors:
            raise pool.accept_errors.pop(0)
        if not pool.waiting:
            raise self._nothing("accept")
        pool._take()  # RuntimeError("Out of sockets"): the client keeps waiting
        client = pool.waiting.pop(0)
        conn = _CONN_CLASSES[pool.personality.reads](pool, client)
        if pool.personality.accepted == "inherit":
            conn.timeout = self.timeout
        return conn, ("192.0.2.1", 40000 + len(pool.clients))

    def close(self):
        self.closes += 1
        if self.closes > 1:
            if self.pool.personality.close_twice:
                raise RuntimeError("The socket has been closed.")
            return
        self.pool.open.remove(self)
        if self.backlog is not None:  # a listener: connections queued on it are reset
            for client in self.pool.waiting:
                client.refused = True
            self.pool.waiting = []


class _Conn(_Socket):
    # The server's end of a client connection; or (client None) a socket from pool.socket(),
    # which may listen, or connect() to a peer and then read and send as this end does.
    def __init__(self, pool, client):
        if client is None:
            _Socket.__init__(self, pool)
            self.client = None
            self.window = pool.personality.send_window
            return
        self.pool = pool
        self.timeout = None
        self.closes = 0
        self.backlog = None
        self.client = client
        self.window = pool.personality.send_window
        client.sock = self
        pool.open.append(self)

    def connect(self, address):
        """Connect to the next peer scripted with pool.peer(); refused if there is none."""
        self._check()
        pool = self.pool
        pool.connects.append((address, self.timeout))
        if pool.connect_errors:
            raise pool.connect_errors.pop(0)
        if not pool.peers:
            raise pool.personality.error("ECONNREFUSED")
        self.client = pool.peers.pop(0)
        self.client.sock = self

    def _connected(self):
        self._check()
        if self.client is None:
            raise self.pool.personality.error("ENOTCONN")

    def _read(self, n):
        self._connected()
        client = self.client
        script = client.script
        while script:
            item = script[0]
            if isinstance(item, (bytes, bytearray)):
                data = bytes(item[:n])
                if len(item) > n:
                    script[0] = item[n:]
                else:
                    script.pop(0)
                return data
            if isinstance(item, Pause):
                if item.started is None:
                    item.started = _mark()
                if _seconds_since(item.started) < item.seconds:
                    raise self._nothing("recv")
                script.pop(0)
                continue
            script.pop(0)
            if item is None:
                raise self._nothing("recv")
            if isinstance(item, BaseException):
                raise item
            item()
        if client.eof:
            return b""
        raise self._nothing("recv")

    def send(self, data):
        self._connected()
        client = self.client
        p = self.pool.personality
        n = len(data)
        if client.send_plan:
            item = client.send_plan.pop(0)
            if isinstance(item, BaseException):
                raise item
            if not item:
                return self._full()
            n = min(n, item)
        if p.send_max is not None:
            n = min(n, p.send_max)
        if self.window is not None:
            if self.window == 0:  # ESP32-S2/S3: EAGAIN once the small buffer is full
                self.window = p.send_window
                return self._full()
            n = min(n, self.window)
            self.window -= n
        client.received.extend(bytes(data[:n]))
        client.sends += 1
        return n

    def _full(self):
        p = self.pool.personality
        if self.timeout is None:
            self.pool.violations.append("send on a blocking socket would wait (%s)" % p)
        if p.none_when_full:
            return None
        raise p.again()

    def close(self):
        first = self.closes == 0 and self.client is not None
        if first:
            self.client.unread = self.client.pending()
        _Socket.close(self)
        if first and self.client.close_error is not None:
            raise self.client.close_error


class _IntoConn(_Conn):
    # CircuitPython and the WIZnet socketpool: recv_into only.
    def recv_into(self, buf, nbytes=0):
        data = self._read(nbytes or len(buf))
        buf[: len(data)] = data
        return len(data)


class _RecvConn(_Conn):
    # MicroPython: recv only.
    def recv(self, n):
        return self._read(n)


class _BothConn(_IntoConn):
    # CPython: both.
    def recv(self, n):
        return self._read(n)


_CONN_CLASSES = {"recv_into": _IntoConn, "recv": _RecvConn, "both": _BothConn}


class FakePool:
    """A socket pool (socketpool.SocketPool, or the socket module) with a port's personality.

    Faults go in lists, first first: socket_errors (pool.socket()), bind_errors, accept_errors,
    connect_errors. Every connect() is recorded in connects as (address, the socket's timeout).
    """

    AF_INET = 2
    SOCK_STREAM = 1
    SOL_SOCKET = 1

    def __init__(self, personality=CPYTHON, reuseaddr=True):
        self.personality = personality
        if reuseaddr:  # absent before CircuitPython 9
            self.SO_REUSEADDR = 4
        self.open = []  # sockets not yet closed
        self.listeners = []  # every socket listen() was called on
        self.waiting = []  # clients connected and not yet accepted
        self.clients = []  # every client that connected
        self.socket_errors = []
        self.bind_errors = []
        self.accept_errors = []
        self.connect_errors = []
        self.connects = []
        self.peers = []  # scripted far ends for the next connect() calls
        self.violations = []
        self.bind_attempts = 0

    def _take(self):
        limit = self.personality.sockets
        if limit is not None and len(self.open) >= limit:
            raise RuntimeError("Out of sockets")

    def getaddrinfo(self, host, port, *rest):
        return [(self.AF_INET, self.SOCK_STREAM, 0, "", (host, port))]

    def socket(self, family=2, type=1, proto=0):
        if self.socket_errors:
            raise self.socket_errors.pop(0)
        return _CONN_CLASSES[self.personality.reads](self, None)

    def peer(self, script, **options):
        """The far end the next connect() reaches: a Client whose script is what it answers."""
        client = Client(script, **options)
        self.peers.append(client)
        return client

    def listener(self):
        """The listening socket not yet closed, or None."""
        for sock in self.listeners:
            if not sock.closes:
                return sock
        return None

    def connect(self, script, **options):
        """A client connecting now; refused if nothing listens or the backlog is full."""
        client = Client(script, **options)
        self.clients.append(client)
        listener = self.listener()
        if listener is None or len(self.waiting) >= max(listener.backlog, 1):
            client.refused = True
        else:
            self.waiting.append(client)
        return client

    def connected(self, script, timeout=0, **options):
        """The server's end of a client connection, without a listener (for unit tests)."""
        client = Client(script, **options)
        self.clients.append(client)
        conn = _CONN_CLASSES[self.personality.reads](self, client)
        conn.timeout = timeout
        return conn

    def kill_listener(self, error):
        """From now on the current listener's accept() raises error."""
        self.listener().dead = error


def run(server, until, seconds=3.0):
    """Call server.poll() until until() is true; fail after `seconds`. Returns polls answered."""
    start = _mark()
    answered = 0
    while not until():
        if _seconds_since(start) > seconds:
            raise AssertionError("still waiting after %s s" % seconds)
        if server.poll():
            answered += 1
        else:
            time.sleep(0.001)
    return answered


class Malformed(Exception):
    """The bytes are not one well-framed HTTP/1.1 response."""


class _Message:
    def header(self, name):
        """The one value of header name, or None; Malformed if it came twice."""
        values = [v for n, v in self.headers if n == name]
        if len(values) > 1:
            raise Malformed("%s twice" % name)
        return values[0] if values else None


class HttpResponse(_Message):
    def __init__(self, status_line, headers, body, framing):
        self.version, status, self.reason = status_line.split(" ", 2)
        self.status = int(status)
        self.headers = headers  # [(lower-case name, value)] in order
        self.body = body  # bytes; None for a response to HEAD
        self.framing = framing  # "length", "chunked", or "head"


class HttpRequest(_Message):
    def __init__(self, request_line, headers):
        self.method, self.target, self.version = request_line.split(" ")
        self.headers = headers  # [(lower-case name, value)] in order
        self.body = None  # bytes
        self.framing = None  # "length" or "chunked"


def _head(data):
    # The first line, the headers and the bytes after the head, strictly: CRLF lines only.
    data = bytes(data)
    end = data.find(b"\r\n\r\n")
    if end < 0:
        raise Malformed("the head never ends: %r" % data[:120])
    lines = data[:end].decode("utf-8").split("\r\n")
    headers = []
    for line in lines[1:]:
        colon = line.find(":")
        if colon < 1 or "\r" in line or "\n" in line or line[colon - 1] in " \t":
            raise Malformed("bad header line %r" % line)
        headers.append((line[:colon].lower(), line[colon + 1 :].strip()))
    return lines[0], headers, data[end + 4 :]


def _frame(message, rest, head_only=False):
    # One framing, and nothing after the body.
    length = message.header("content-length")
    coding = message.header("transfer-encoding")
    if length is not None and coding is not None:
        raise Malformed("both Content-Length and Transfer-Encoding")
    if head_only:
        if rest:
            raise Malformed("a body after a response to HEAD: %r" % rest[:80])
        message.framing = "head"
        return message
    if coding is not None:
        if coding != "chunked":
            raise Malformed("Transfer-Encoding %r" % coding)
        message.body = _dechunk(rest)
        message.framing = "chunked"
    elif length is not None:
        if not length.isdigit():
            raise Malformed("Content-Length %r" % length)
        if len(rest) != int(length):
            raise Malformed("Content-Length %s, but %d bytes came" % (length, len(rest)))
        message.body = rest
        message.framing = "length"
    else:
        raise Malformed("a body without framing")
    return message


def parse_response(data, head_request=False):
    """Parse one response strictly: CRLF lines, one framing, nothing after the body."""
    status_line, headers, rest = _head(data)
    parts = status_line.split(" ", 2)
    if len(parts) != 3 or parts[0] not in ("HTTP/1.0", "HTTP/1.1") or not parts[1].isdigit():
        raise Malformed("bad status line %r" % status_line)
    return _frame(HttpResponse(status_line, headers, None, None), rest, head_request)


def parse_request(data):
    """Parse one request as strictly: a request line, CRLF lines, one framing, nothing after."""
    request_line, headers, rest = _head(data)
    parts = request_line.split(" ")
    if len(parts) != 3 or parts[2] != "HTTP/1.1" or not parts[1].startswith("/"):
        raise Malformed("bad request line %r" % request_line)
    return _frame(HttpRequest(request_line, headers), rest)


def _dechunk(data):
    body = bytearray()
    at = 0
    while True:
        eol = data.find(b"\r\n", at)
        if eol < 0:
            raise Malformed("chunked body cut short")
        size_text = data[at:eol].decode()
        if not size_text or size_text.strip() != size_text:
            raise Malformed("bad chunk size %r" % size_text)
        try:
            size = int(size_text, 16)
        except ValueError:
            raise Malformed("bad chunk size %r" % size_text) from None
        at = eol + 2
        if size == 0:
            if data[at:] != b"\r\n":
                raise Malformed("bad end of chunked body %r" % data[at:])
            return bytes(body)
        if len(data) < at + size + 2:
            raise Malformed("chunked body cut short")
        if data[at + size : at + size + 2] != b"\r\n":
            raise Malformed("chunk not followed by CRLF")
        body.extend(data[at : at + size])
        at += size + 2


# -- what any answer must be: for the fuzz tests (fake and real sockets) -------------------

# RFC 9110's reason phrases of the statuses the exporter answers with.
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    405: "Method Not Allowed",
    408: "Request Timeout",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
}


def blank_line_end(data):
    """Index just past the first empty line after the first line, or -1: RFC 9112 2.2 read
    line by line (a line ends at LF; a CR just before it is not part of the line)."""
    start = data.find(b"\n")
    while start >= 0:
        end = data.find(b"\n", start + 1)
        if end < 0:
            return -1
        if data[start + 1 : end] in (b"", b"\r"):
            return end + 1
        start = end
    return -1


def owes_answer(data, max_head):
    """True if a server that got data and then the end of the stream must answer: its head
    ended within the max_head + 4 bytes the server reads, it is longer than max_head, or its
    first byte cannot begin a request line (nor a CRLF before one)."""
    if not data:
        return False
    if data[0] not in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n" or len(data) > max_head:
        return True
    return blank_line_end(data[: max_head + 4]) >= 0


def well_formed(data, maybe_head=False):
    """The response in data, checked as strictly as parse_response, and as a client needs:
    HTTP/1.1, a status the exporter uses with RFC 9110's reason, Connection: close, a
    Content-Type, no control character but HTAB in a field value (RFC 9110 5.5). maybe_head:
    a response to HEAD (no body) is accepted too. Raises Malformed or AssertionError."""
    r = None
    if maybe_head:  # a response to HEAD, or (the head was rejected) a whole one
        try:
            r = parse_response(data, True)
        except Malformed:
            pass
    if r is None:
        r = parse_response(data)
    assert r.version == "HTTP/1.1", r.version
    assert REASONS.get(r.status) == r.reason, (r.status, r.reason)
    assert r.header("connection") == "close"
    assert r.header("content-type")
    for name, value in r.headers:
        for c in value:
            assert c == "\t" or " " <= c != "\x7f", "header %s: %r" % (name, value)
    return r
