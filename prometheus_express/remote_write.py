"""Remote write: send a registry's samples to Prometheus, Mimir, Thanos or Grafana Cloud.

remote_write("http://192.0.2.5:9090/api/v1/write", job="greenhouse", instance="pico-1")

Each call sends every sample of the page the exporter would serve (text format 0.0.4: the same
names and labels), stamped with the wall clock, as one remote-write 1.0 request: a protobuf
WriteRequest, snappy-compressed, in HTTP chunks. The body is encoded twice, once to learn its
length (snappy's header) and once to send, through one small buffer: a send needs the same
memory for 20 series or 2,000.
"""

from . import _sockets
from ._port import const, seconds_since, ticks, wall_time
from .auth import basic_auth
from .client import connect, describe, host_port, read_answer
from .registry import REGISTRY
from .snappy import SnappyWriter
from .write_request import each_sample, series_size, time_series

# Bytes of each HTTP chunk the compressed body leaves in (the buffer holds them with their
# framing, and then the answer). 64 to 65535; set it on the module: buffer_size = 512.
buffer_size = 1024
# A chunk's size line, "%04x\r\n" (4 hex digits, zeros first: chunks of 65535 bytes at most),
# its closing CRLF, and the last chunk "0\r\n\r\n": the room the buffer keeps for framing.
_SIZE_LINE = const(6)
_FRAMING = const(13)

_HEAD = (
    "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: prometheus_express/%s\r\n"
    "Content-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\n"
    "X-Prometheus-Remote-Write-Version: 0.1.0\r\nTransfer-Encoding: chunked\r\n"
    "Connection: close\r\n%s\r\n"
)


def remote_write(
    url,
    registry=REGISTRY,
    job=None,
    instance=None,
    timeout=30,
    auth=None,
    bearer_token=None,
    headers=None,
    socket_pool=None,
    ssl_context=None,
):
    """Send the registry's samples to url once (see RemoteWriter for the arguments).

    Raises OSError naming the url and why (the receiver's status and words, or the network's
    error): a 5xx, 429 or a network error may succeed if tried again, a 4xx will not.
    """
    writer = RemoteWriter(
        url, job, instance, timeout, auth, bearer_token, headers, socket_pool, ssl_context
    )
    writer.send(registry)


class RemoteWriter:
    """A remote-write destination, and the rounds kept for it while it cannot be reached.

    url: http:// or https://, with the receiver's path ("/api/v1/write" for Prometheus,
    "/api/v1/push" for Mimir and Grafana Cloud). job, instance: labels added to every series
    that has no label of that name. timeout: seconds each connect, send or receive may wait.
    auth: (user, password) for basic auth; bearer_token: a token for "Authorization: Bearer";
    headers: a dict of more headers (X-Scope-OrgID for a multi-tenant Mimir, ...).
    socket_pool: a socketpool.SocketPool on CircuitPython (default: the socket module).
    ssl_context: for https:// (CircuitPython: ssl.create_default_context(); MicroPython:
    ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); CPython: ssl.create_default_context()).
    keep: how many rounds send() keeps while the receiver cannot be reached, to send them,
    oldest first, once it can; a kept round is held whole in RAM (its compressed body).
    """

    def __init__(
        self,
        url,
        job=None,
        instance=None,
        timeout=30,
        auth=None,
        bearer_token=None,
        headers=None,
        socket_pool=None,
        ssl_context=None,
        keep=0,
    ):
        self.url = url
        if url.startswith("https://"):
            if ssl_context is None:
                raise ValueError("%s: https needs an ssl_context" % url)
            default_port = 443
        elif url.startswith("http://"):
            default_port = 80
        else:
            raise ValueError("%s: the url must start with http:// or https://" % url)
        rest = url[url.find("//") + 2 :]
        slash = rest.find("/")
        self.authority = rest if slash < 0 else rest[:slash]
        self.path = "/" if slash < 0 else rest[slash:]
        self.host, self.port = host_port(self.authority, default_port, url)
        if auth is not None and bearer_token is not None:
            raise ValueError("give auth or bearer_token, not both")
        lines = ""
        if auth is not None:
            lines += "Authorization: %s\r\n" % basic_auth(auth)
        if bearer_token is not None:
            lines += "Authorization: Bearer %s\r\n" % bearer_token
        for name, value in (headers or {}).items():
            lines += "%s: %s\r\n" % (name, value)
        self._headers = lines
        self.labels = []
        if job is not None:
            self.labels.append(("job", str(job)))
        if instance is not None:
            self.labels.append(("instance", str(instance)))
        self.timeout = timeout
        self._pool = socket_pool
        self._ssl = ssl_context
        if keep < 0:
            raise ValueError("keep must be 0 or more, not %r" % keep)
        self.keep = keep
        self.kept = []  # compressed bodies not yet sent, oldest first

    def send(self, registry=REGISTRY):
        """Send the registry's samples now, after any kept rounds; raise OSError if that fails.

        With keep, a round that could not be sent (network, 5xx, 429) is kept, the oldest
        dropped beyond keep; a round the receiver refused (other 4xx) is dropped."""
        timestamp = _now_ms()
        if not self.keep:
            self._post(_Round(registry, self.labels, timestamp))
            return
        body = bytearray()
        _Round(registry, self.labels, timestamp).encode(body.extend)
        self.kept.append(bytes(body))
        del body
        while self.kept:
            try:
                self._post(self.kept[0])
            except OSError as e:
                if not _retryable(e):
                    self.kept.pop(0)
                del self.kept[: -self.keep]  # the newest `keep` rounds stay
                raise
            self.kept.pop(0)

    def _post(self, body):
        # One request, one answer, one socket, closed whatever happens. body: a _Round to
        # encode while sending, or the bytes of a kept one.
        if not 64 <= buffer_size <= 0xFFFF:  # a chunk's size line has 4 hex digits
            raise ValueError("remote_write.buffer_size must be 64 to 65535, not %r" % buffer_size)
        failed = "remote write to %s failed: " % self.url
        sock = self._connect(failed)
        try:
            from .__about__ import __version__

            head = _HEAD % (self.path, self.authority, __version__, self._headers)
            buf = bytearray(buffer_size + _FRAMING)
            try:
                request = _Body(sock, buf, head.encode())
                if isinstance(body, _Round):
                    body.encode(request.write)
                else:
                    request.write(body)
                request.finish()
                sent = None
            except _Changed:  # the body cannot be finished: no answer to wait for
                raise OSError(
                    failed + "the page changed while it was sent (a series came or went in "
                    "between); send again"
                ) from None
            except OSError as e:  # the receiver may have answered and closed early (401, 413)
                sent = e
            answer = read_answer(lambda view: _recv(sock, view), buf, _stop)
        finally:
            _sockets.close(sock)
        if answer is None:
            raise OSError(failed + ("no answer" if sent is None else describe(sent)))
        status, reason, text = answer
        if 200 <= status < 300 and sent is None:
            return
        raise _Refused(status, failed + "%d %s%s" % (status, reason, ": " + text if text else ""))

    def _connect(self, failed):
        pool = _sockets.default_pool() if self._pool is None else self._pool
        start = ticks()
        limit = 1e9 if self.timeout is None else self.timeout
        try:
            sock = connect(
                pool,
                self.host,
                self.port,
                self.authority,
                self.timeout,
                lambda: limit - seconds_since(start),
            )
        except OSError as e:
            raise OSError(failed + str(e)) from None
        try:
            sock.settimeout(self.timeout)  # blocking from here on, as TLS needs
            if self._ssl is not None:
                sock = self._ssl.wrap_socket(sock, server_hostname=self.host)
        except Exception as e:
            _sockets.close(sock)
            # MicroPython's mbedTLS messages span lines: one line here.
            why = " ".join(describe(e).split())
            raise OSError(failed + "TLS with %s: %s" % (self.authority, why)) from None
        return sock


class _Round:
    """One round's samples, stamped with one time: encoded twice, to size it, then to send."""

    def __init__(self, registry, labels, timestamp):
        self.registry = registry
        self.labels = labels
        self.timestamp = timestamp

    def _each(self, use):
        # use(labels, value_text, timestamp_ms) for each sample of the page, with the
        # writer's labels added.
        def visit(labels, value, stamp):
            for name, label_value in self.labels:  # a series' own label of the name wins
                for have, _ in labels:
                    if have == name:
                        break
                else:
                    labels.append((name, label_value))
            use(labels, value, self.timestamp if stamp is None else int(stamp))

        each_sample(self.registry, visit)

    def encode(self, write):
        """Write the compressed body as pieces to write()."""
        size = [0]

        def count(labels, value, stamp):
            size[0] += series_size(labels, stamp)

        def send(labels, value, stamp):
            snappy.write(time_series(labels, value, stamp))

        self._each(count)
        snappy = SnappyWriter(write, size[0])
        try:
            self._each(send)
            snappy.finish()
        except ValueError:  # more or fewer bytes than counted: a line that read in pass 1
            raise _Changed() from None  # reads again, so the page itself changed


class _Body:
    """The request's head, then its body in HTTP/1.1 chunks of buffer_size bytes, framed in the
    buffer: each send() carries whole chunks, head included, because a small send meets
    Nagle's algorithm and the receiver's delayed ACK, and waits 40 ms or more."""

    def __init__(self, sock, buf, head):
        self.sock = sock
        self.buf = buf  # buffer_size + _FRAMING bytes
        self.fill = 0
        if len(head) + _FRAMING + 64 > len(self.buf):  # too many headers to share: apart
            _send_all(sock, head)
        else:
            self.buf[: len(head)] = head
            self.fill = len(head)
        self._open()

    def _open(self):
        self.size_line = self.fill
        self.fill += _SIZE_LINE

    def write(self, data):
        data = memoryview(data)
        end = len(self.buf) - _FRAMING + _SIZE_LINE  # after the data: its CRLF, the last chunk
        while data:
            if self.fill == end:  # a full chunk goes once more data comes: the last one
                self._close()  # leaves with the end of the body, in finish()
                self._send()
                self._open()
            n = min(len(data), end - self.fill)
            self.buf[self.fill : self.fill + n] = data[:n]
            self.fill += n
            data = data[n:]

    def _close(self):
        n = self.fill - self.size_line - _SIZE_LINE
        if not n:  # no data: no chunk (an empty one would end the body)
            self.fill = self.size_line
            return
        self.buf[self.size_line : self.size_line + _SIZE_LINE] = b"%04x\r\n" % n
        self.buf[self.fill : self.fill + 2] = b"\r\n"
        self.fill += 2

    def _send(self):
        _send_all(self.sock, memoryview(self.buf)[: self.fill])
        self.fill = 0

    def finish(self):
        """End the body with the last chunk, and send what is left."""
        self._close()
        self.buf[self.fill : self.fill + 5] = b"0\r\n\r\n"
        self.fill += 5
        self._send()


class _Changed(Exception):
    """The page had other series on the second pass than on the first."""


class _Refused(OSError):
    """The receiver answered with an error status (args: the status, the message)."""

    @property
    def status(self):
        """The receiver's HTTP status: 5xx and 429 may pass if sent again, other 4xx will not."""
        return self.args[0]

    def __str__(self):
        return self.args[1]


def _retryable(e):
    # Network errors, 5xx and 429 may pass later; any other answer would be refused again.
    if isinstance(e, _Refused):
        return e.status >= 500 or e.status == 429
    return True


def _now_ms():
    now = wall_time()
    if now is None:
        raise RuntimeError(
            "remote write needs the wall clock, and this board's is not set (it reads before "
            "2020): set it first, on MicroPython with ntptime.settime() once on the network, "
            "on CircuitPython with rtc.RTC().datetime from an NTP library such as adafruit_ntp"
        )
    # A board's whole seconds stay exact; a float of seconds is a double here (CPython,
    # MicroPython unix), where a board's single-precision float would be 2 minutes off.
    return now * 1000 if isinstance(now, int) else int(now * 1000)


def _send_all(sock, data):
    view = memoryview(data)
    while view:
        n = sock.send(view) if hasattr(sock, "send") else sock.write(view)
        if not n:
            raise OSError("the connection stopped taking data")
        view = view[n:]


def _recv(sock, view):
    # Blocking, with the timeout: bytes read, 0 when the peer closed (or time ran out).
    if hasattr(sock, "recv_into"):  # CPython, CircuitPython
        return sock.recv_into(view) or 0
    # MicroPython: recv() returns what has come (readinto waits to fill the view); its TLS
    # sockets have only read().
    data = sock.recv(len(view)) if hasattr(sock, "recv") else sock.read(len(view))
    if not data:
        return 0
    view[: len(data)] = data
    return len(data)


def _stop():
    # A blocking read never says "nothing yet".
    return False
