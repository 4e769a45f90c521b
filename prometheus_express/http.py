"""HTTP/1.1 for the exporter: request heads in, framed responses out through one buffer.

request = Request(head_bytes)          # raises Reject(status) for what it cannot accept
response = Response(sock, view, deadline_seconds, head_only, chunked)
response.start("HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\n")
response.write("a piece")              # as many as it takes
response.finish()                      # Content-Length if it fit, else chunked
"""

from . import _sockets
from ._port import const, seconds_since, ticks

# The buffer keeps room at the front for the status line, headers and a chunk size, and at
# the back for a chunk's CRLF and the last chunk, so each piece leaves in one send(): two
# small sends meet Nagle's algorithm and delayed ACKs, and wait 40 ms.
_FRONT = const(256)
_BACK = const(7)
MIN_BUFFER = const(327)  # _FRONT + _BACK + 64 bytes of body
_BATCH = const(128)  # characters joined before they are encoded into the buffer
_LAST = b"\r\n0\r\n\r\n"
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    405: "Method Not Allowed",
    408: "Request Timeout",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
}


class Reject(Exception):
    """A request answered with an error status; args: the status, maybe extra header lines."""

    # MicroPython: no Exception.__init__ to extend, so the fields stay in args.


class Timeout(Exception):
    """A client did not finish in time."""


class Request:
    """The parts of a request head the exporter uses."""

    def __init__(self, head):
        # head: the bytes up to the blank line.
        line, values = split_head(head, ("accept", "authorization", "content-length"))
        parts = line.split(" ")
        if len(parts) != 3 or parts[2] not in ("HTTP/1.0", "HTTP/1.1"):
            raise Reject(400)
        self.method, target, self.version = parts
        if not self.method.isalpha() or not self.method.isupper():
            raise Reject(400)
        if target.startswith("http://") or target.startswith("https://"):
            at = target.find("/", target.find("//") + 2)  # absolute form: keep the path
            target = target[at:] if at > 0 else "/"
        if not target.startswith("/") and target != "*":
            raise Reject(400)
        at = target.find("?")
        self.path = target if at < 0 else target[:at]
        self.query = "" if at < 0 else target[at + 1 :]
        self.accept, self.authorization, length = values
        if length is None:
            length = "0"
        # bytes: ASCII digits only (CPython's str.isdigit() takes any Unicode digit)
        if not length.encode().isdigit():
            raise Reject(400)
        self.length = int(length)


def split_head(head, names):
    """The first line of a request's or a response's head (the bytes up to the blank line),
    and the values of the lower-case header names asked for, in their order (None if absent).
    The first line is "" if the head is malformed."""
    # Only the headers asked for are kept: a head full of others costs no RAM.
    values = [None] * len(names)
    first = ""
    try:
        lines = bytes(head).decode("utf-8").split("\n")  # a bare LF ends lines too
    except UnicodeError:
        return "", values
    for line in lines:
        if line.endswith("\r"):
            line = line[:-1]
        if not first:  # CRLFs before the request line are allowed
            first = line.strip()
        elif "\r" in line:  # a bare CR (RFC 9112 2.2); the Accept value is echoed back
            return "", values
        elif line:  # not the blank line that ends the head
            colon = line.find(":")
            # Folded lines and spaces before the colon are forbidden (RFC 9112).
            if colon < 1 or line[0] in " \t" or line[colon - 1] in " \t":
                return "", values
            name = line[:colon].lower()
            if name in names:
                values[names.index(name)] = line[colon + 1 :].strip()
    return first, values


def head_end(head, start):
    """Index just past the blank line that ends the head, or -1 if it has not come yet."""
    # The first empty line wins, whichever line ends (CRLF or a bare LF) come before or after.
    crlf = head.find(b"\n\r\n", start)
    lf = head.find(b"\n\n", start)
    if lf >= 0 and (crlf < 0 or lf < crlf):
        return lf + 2
    return crlf + 3 if crlf >= 0 else -1


class Response:
    """One response, streamed: a body that fits the buffer goes with Content-Length,
    a longer one in chunks (HTTP/1.1) or kept aside until its length is known (HTTP/1.0)."""

    def __init__(self, sock, view, timeout, head_only, chunked):
        self.sock = sock
        self.view = view
        self.timeout = timeout
        self.head_only = head_only  # HEAD: the body's length is counted, never sent
        self.chunked = chunked

    def start(self, head):
        """Begin again with a status line and headers (not the framing ones)."""
        self.head = head
        self.sent = False
        self.broken = False  # the connection failed while sending
        self.fill = _FRONT
        self.length = 0
        self.spill = []
        self.pending = []
        self.pending_chars = 0
        self.started = ticks()

    def simple(self, status, headers="", body=None):
        """A short text/plain response."""
        reason = REASONS[status]
        self.start(
            "HTTP/1.1 %d %s\r\n%sContent-Type: text/plain; charset=utf-8\r\n"
            % (status, reason, headers)
        )
        self.write("%d %s\n" % (status, reason) if body is None else body)
        self.finish()

    def write(self, piece):
        """Add a str piece of the body."""
        # Pieces are joined and encoded a few hundred characters at a time: one by one,
        # encoding and copying cost more than the small pieces the renderers write.
        self.pending.append(piece)
        self.pending_chars += len(piece)
        if self.pending_chars >= _BATCH:
            self._take()

    def _take(self):
        data = "".join(self.pending).encode("utf-8")
        del self.pending[:]
        self.pending_chars = 0
        if self.head_only:
            self.length += len(data)
            return
        view = self.view
        end = len(view) - _BACK
        at = 0
        while at < len(data):
            if self.fill == end:
                self._flush()
            n = min(end - self.fill, len(data) - at)
            if n == len(data):
                view[self.fill : self.fill + n] = data
            else:
                view[self.fill : self.fill + n] = memoryview(data)[at : at + n]
            self.fill += n
            at += n

    def _flush(self):
        # The buffer is full: send it as a chunk, or keep it aside for an HTTP/1.0 client.
        body = self.fill - _FRONT
        if not self.chunked:
            self.spill.append(bytes(self.view[_FRONT : self.fill]))
            self.length += body
        else:
            prefix = "%x\r\n" % body
            if not self.sent:
                prefix = (
                    self.head + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n%s" % prefix
                )
            self.view[self.fill : self.fill + 2] = b"\r\n"
            self._send_framed(prefix, self.fill + 2)
        self.fill = _FRONT

    def finish(self):
        """Send what is left, framed."""
        self._take()
        body = self.fill - _FRONT
        if self.sent:  # chunked: the rest, then the last chunk
            if body:
                self.view[self.fill : self.fill + _BACK] = _LAST
                self._send_framed("%x\r\n" % body, self.fill + _BACK)
            else:
                self._send(_LAST[2:])
            return
        # self.length: the bytes a HEAD request counted, or an HTTP/1.0 page kept aside
        length = self.length + body
        header = self.head + "Content-Length: %d\r\nConnection: close\r\n\r\n" % length
        if self.head_only:
            self._send(header)
        elif self.spill:  # HTTP/1.0: the page kept aside, now that its length is known
            self._send(header)
            for piece in self.spill:
                self._send(piece)
            self.spill = []
            self._send(self.view[_FRONT : self.fill])
        else:
            self._send_framed(header, self.fill)

    def _send_framed(self, prefix, stop):
        # prefix goes just before the body in the buffer's front room, so one send() does.
        prefix = prefix.encode("utf-8")
        if len(prefix) <= _FRONT:
            start = _FRONT - len(prefix)
            self.view[start:_FRONT] = prefix
            self._send(self.view[start:stop])
        else:  # an enormous Content-Type echoed from the Accept header
            self._send(prefix)
            self._send(self.view[_FRONT:stop])

    def _send(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        view = memoryview(data)
        done = 0
        try:
            while done < len(view):
                n = _sockets.send(self.sock, view[done:])
                if n:
                    done += n
                    self.sent = True
                elif seconds_since(self.started) > self.timeout:
                    raise Timeout()
                else:
                    _sockets.wait((), (self.sock,), 0.01)
        except Exception:
            self.sent = self.broken = True  # no error page can follow
            raise
