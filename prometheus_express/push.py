"""Push a registry to a Prometheus Pushgateway, over the exporter's socket layer.

push_to_gateway("192.0.2.5:9091", "greenhouse", registry, {"board": "a/b"}, timeout=10)
"""

from . import _sockets
from ._port import seconds_since, ticks
from .auth import base64, basic_auth
from .exposition import generate_latest, write_text
from .http import MIN_BUFFER, Response, Timeout, head_end
from .negotiation import CONTENT_TYPE_PLAIN_0_0_4
from .registry import REGISTRY

# Bytes of the one buffer a push renders its body through (at least http.MIN_BUFFER); a body
# longer than the buffer leaves in chunks. Set it on the module: push.buffer_size = 512.
buffer_size = 1024
_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"


def push_to_gateway(
    gateway,
    job,
    registry,
    grouping_key=None,
    timeout=30,
    handler=None,
    compression=None,
    socket_pool=None,
    auth=None,
):
    """Replace the group's metrics with the registry's (PUT).

    gateway: "host:port" or "http://host:port[/prefix]"; timeout: seconds for the whole
    exchange (None: wait as long as the OS does); socket_pool: a socketpool.SocketPool
    (default: the socket module); auth: (user, password) for basic auth; handler: called
    as client_python calls it instead of the socket layer (the body is then built whole).
    Raises OSError saying why when the gateway is unreachable or answers other than 2xx.
    """
    _use_gateway(
        "PUT",
        gateway,
        job,
        registry,
        grouping_key,
        timeout,
        handler,
        compression,
        socket_pool,
        auth,
    )


def pushadd_to_gateway(
    gateway,
    job,
    registry,
    grouping_key=None,
    timeout=30,
    handler=None,
    compression=None,
    socket_pool=None,
    auth=None,
):
    """Replace only the group's metrics of the same names as the registry's (POST)."""
    _use_gateway(
        "POST",
        gateway,
        job,
        registry,
        grouping_key,
        timeout,
        handler,
        compression,
        socket_pool,
        auth,
    )


def delete_from_gateway(
    gateway, job, grouping_key=None, timeout=30, handler=None, socket_pool=None, auth=None
):
    """Delete the group (DELETE)."""
    _use_gateway(
        "DELETE", gateway, job, None, grouping_key, timeout, handler, None, socket_pool, auth
    )


def _escape(name, value):
    # As client_python (and Pushgateway 0.9+): base64url for "" and values with "/" or
    # " ", which a path segment cannot hold; else the value percent-encoded, as quote_plus.
    value = str(value)
    if value == "":
        return "/%s@base64/=" % name
    data = value.encode("utf-8")
    if "/" in value or " " in value:
        text = base64(data)
        return "/%s@base64/%s" % (name, text.replace("+", "-").replace("/", "_"))
    out = []
    for byte in data:
        char = chr(byte)
        out.append(char if char in _SAFE else "%%%02X" % byte)
    return "/%s/%s" % (name, "".join(out))


def _path(job, grouping_key):
    # Keys in sorted order, as client_python: one group, one URL.
    path = "/metrics" + _escape("job", job)
    if grouping_key:
        for name in sorted(grouping_key):
            path += _escape(str(name), grouping_key[name])
    return path


def _use_gateway(
    method, gateway, job, registry, grouping_key, timeout, handler, compression, pool, auth
):
    if compression is not None:
        raise ValueError("compression is not supported: the body is sent as it is rendered")
    if method != "DELETE" and registry is None:
        registry = REGISTRY
    # client_python's URL: http:// unless the gateway names http or https; no trailing "/".
    if not (gateway.startswith("http://") or gateway.startswith("https://")):
        gateway = "http://" + gateway
    gateway = gateway.rstrip("/")
    path = _path(job, grouping_key)
    url = gateway + path
    if handler is not None:
        # client_python's handler protocol (CPython: its basic_auth_handler, tls_auth_handler).
        headers = [("Content-Type", CONTENT_TYPE_PLAIN_0_0_4)]
        if auth is not None:
            headers.append(("Authorization", basic_auth(auth)))
        data = b"" if registry is None else generate_latest(registry)
        handler(url=url, method=method, timeout=timeout, headers=headers, data=data)()
        return
    if gateway.startswith("https://"):
        raise ValueError(
            "%s: prometheus_express has no TLS; use an http:// gateway (or, on CPython, "
            "a handler such as client_python's default_handler)" % gateway
        )
    if buffer_size < MIN_BUFFER:
        raise ValueError("push.buffer_size must be at least %d" % MIN_BUFFER)
    authority = gateway[7:]
    slash = authority.find("/")
    if slash >= 0:  # a path prefix, as behind a reverse proxy
        path = authority[slash:] + path
        authority = authority[:slash]
    host, port = _host_port(authority)
    _exchange(
        method,
        url,
        authority,
        host,
        port,
        path,
        registry,
        timeout,
        _sockets.default_pool() if pool is None else pool,
        auth,
    )


def _host_port(authority):
    host = authority
    port = 80
    colon = authority.rfind(":")
    if colon > authority.rfind("]"):  # "[::1]:9091": the colon after the bracket
        host = authority[:colon]
        try:
            port = int(authority[colon + 1 :])
        except ValueError:
            raise ValueError("bad port in gateway %r" % authority) from None
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host:
        raise ValueError("no host in gateway %r" % authority)
    return host, port


def _reason(e):
    return str(e) or type(e).__name__


def _exchange(method, url, authority, host, port, path, registry, timeout, pool, auth):
    # One request, one answer, one socket, closed whatever happens.
    start = ticks()
    limit = 1e9 if timeout is None else timeout
    try:
        sock = _sockets.connect(pool, host, port, timeout)
    except MemoryError:
        raise
    except Exception as e:  # OSError; CircuitPython: RuntimeError("Out of sockets")
        raise OSError("cannot reach %s: %s" % (authority, _reason(e))) from None
    failed = "push to %s failed: " % url
    try:
        buf = bytearray(buffer_size)
        # http.Response frames any HTTP/1.1 message: Content-Length when the body fits the
        # buffer, else chunked (Go's net/http, and so the Pushgateway, takes both).
        request = Response(sock, memoryview(buf), limit - seconds_since(start), False, True)
        auth = basic_auth(auth)
        request.start(
            "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\n%s"
            % (
                method,
                path,
                authority,
                CONTENT_TYPE_PLAIN_0_0_4,
                "" if auth is None else "Authorization: %s\r\n" % auth,
            )
        )
        error = None
        try:
            if registry is not None:
                write_text(request.write, registry)
            request.finish()
        except Timeout:
            raise OSError(failed + "could not send within %s s" % timeout) from None
        except OSError as e:
            error = e  # the gateway may have answered and closed early (401, 413): read on
        answer = _answer(sock, buf, start, limit)
        if answer is None:
            if error is not None:
                raise OSError(failed + _reason(error)) from None
            if seconds_since(start) > limit:
                raise OSError(failed + "no answer within %s s" % timeout)
            raise OSError(failed + "the connection closed without an answer")
        status, reason, text = answer
        if 200 <= status < 300 and error is None:
            return
        if error is not None and not text:
            text = _reason(error)
        raise OSError(failed + "%d %s%s" % (status, reason, ": " + text if text else ""))
    finally:
        _sockets.close(sock)


def _answer(sock, buf, start, limit):
    # (status, reason, text of an error's body) once the head is in; None if the connection
    # closed first or time ran out. What does not fit the buffer is not read.
    view = memoryview(buf)
    got = 0
    end = -1
    length = None
    while got < len(buf):
        try:
            n = _sockets.recv_into(sock, view[got:])
        except OSError:  # reset: what came is all there is
            n = 0
        if n == 0:
            break
        if n is None:
            if seconds_since(start) > limit:
                break
            _sockets.wait((sock,), (), 0.05)
            continue
        got += n
        if end < 0:
            end = head_end(buf[:got], 0)  # not past got: the body was rendered in buf
            if end < 0:
                continue
            lines = _text(buf[:end]).split("\n")
            parts = lines[0].strip().split(" ", 2)
            if len(parts) < 2 or not parts[1].isdigit():
                return None
            status = int(parts[1])
            reason = parts[2] if len(parts) > 2 else ""
            if 200 <= status < 300:
                return status, reason, ""
            for line in lines[1:]:
                if line.lower().startswith("content-length:") and line[15:].strip().isdigit():
                    length = int(line[15:].strip())
        if length is not None and got >= end + length:
            break
    if end < 0:
        return None
    # The gateway's words on one line (a Go multi-error spans several).
    return status, reason, " ".join(_text(buf[end:got]).split())[:300]


def _text(data):
    # The buffer may end inside a UTF-8 sequence.
    try:
        return bytes(data).decode("utf-8")
    except UnicodeError:
        return bytes([b for b in bytes(data) if b < 128]).decode()
