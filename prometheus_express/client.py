"""The client side of HTTP/1.1, shared by push and remote write: where a URL's authority points,
and what the server answered.

host, port = host_port("[::1]:9091", 80, url)
sock = connect(pool, host, port, "[::1]:9091", timeout, left)   # or OSError("cannot reach ...")
status, reason, text = read_answer(recv, buf, more)   # or None
"""

from . import _sockets
from .http import head_end, split_head


def host_port(authority, port, url):
    """(host, port) of "host", "host:port" or "[v6]:port"; port is the scheme's default."""
    host = authority
    colon = authority.rfind(":")
    if colon > authority.rfind("]"):  # "[::1]:9091": the colon after the bracket
        host = authority[:colon]
        try:
            port = int(authority[colon + 1 :])
        except ValueError:
            raise ValueError("bad port in %r" % url) from None
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host:
        raise ValueError("no host in %r" % url)
    return host, port


def connect(pool, host, port, authority, timeout, left):
    """A socket connected to one of host's addresses; else OSError("cannot reach authority:
    why"). timeout: seconds for the first try (None: as long as the OS waits); each later try
    gets what left() says is left of it."""
    # Each address in turn, as client_python does (socket.create_connection): "localhost"
    # may give ::1 first to a server that listens on IPv4 only. The first that connects is
    # used.
    error = None
    try:
        addresses = pool.getaddrinfo(host, port)
    except MemoryError:
        raise
    except Exception as e:  # OSError: a name that does not resolve
        addresses = ()
        error = e
    tried = 0
    for info in addresses:
        if info[1] and info[1] != pool.SOCK_STREAM:
            continue  # CPython, MicroPython unix: each address comes for UDP and raw too
        seconds = timeout
        if tried and seconds is not None:
            seconds = left()
            if seconds <= 0:
                break
        tried += 1
        try:
            return _sockets.connect(pool, info, seconds)
        except MemoryError:
            raise
        except Exception as e:  # OSError; CircuitPython: RuntimeError("Out of sockets")
            error = e
    where = authority
    if tried > 1:
        where += " (%d addresses tried)" % tried
    raise OSError(
        "cannot reach %s: %s" % (where, "no address" if error is None else describe(error))
    )


def read_answer(recv, buf, more):
    """(status, reason, the text of an error's body) once the head is in; None if the
    connection closed first, more() said to stop waiting, or the answer is not HTTP.

    recv(view): bytes read into view, 0 when the peer closed, None when none are there yet
    (then more() waits a little and says whether to go on). What does not fit buf is not read.
    """
    view = memoryview(buf)
    got = 0
    end = -1
    length = None
    while got < len(buf):
        try:
            n = recv(view[got:])
        except OSError:  # reset: what came is all there is
            n = 0
        if n == 0:
            break
        if n is None:
            if not more():
                break
            continue
        got += n
        if end < 0:
            end = head_end(buf[:got], 0)  # not past got: the request was framed in buf
            if end < 0:
                continue
            line, values = split_head(view[:end], ("content-length",))
            parts = line.split(" ", 2) + ["", ""]  # the reason may be missing
            # bytes: ASCII digits only (CPython's str.isdigit() takes any Unicode digit)
            if not parts[0].startswith("HTTP/") or not parts[1].encode().isdigit():
                return None
            status = int(parts[1])
            reason = parts[2]
            if 200 <= status < 300:
                return status, reason, ""
            if values[0] is not None and values[0].encode().isdigit():
                length = int(values[0])
        if length is not None and got >= end + length:
            break
    if end < 0:
        return None
    # The server's words on one line (a Go multi-error spans several).
    return status, reason, " ".join(_text(buf[end:got]).split())[:300]


def describe(e):
    """What an exception says, or its type's name when it says nothing."""
    return str(e) or type(e).__name__


def _text(data):
    # The buffer may end inside a UTF-8 sequence.
    try:
        return bytes(data).decode("utf-8")
    except UnicodeError:
        return bytes([b for b in bytes(data) if b < 128]).decode()
