"""Push a registry to a Prometheus Pushgateway, over the exporter's socket layer.

push_to_gateway("192.0.2.5:9091", "greenhouse", registry, {"board": "a/b"}, timeout=10)
"""

from . import _sockets
from ._port import seconds_since, ticks
from .auth import base64, basic_auth
from .client import connect, describe, host_port, read_answer
from .exposition import generate_latest, write_text
from .http import MIN_BUFFER, Response, Timeout
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
    exchange, each of the gateway's addresses tried in turn within it (None: wait as long as
    the OS does); socket_pool: a socketpool.SocketPool (default: the socket module); auth:
    (user, password) for basic auth; handler: called as client_python calls it instead of the
    socket layer (the body is then built whole).
    Raises OSError saying why when the gateway is unreachable or answers other than 2xx.
    """
    _Push("PUT", gateway, job, grouping_key, timeout, auth).send(
        registry, handler, compression, socket_pool
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
    _Push("POST", gateway, job, grouping_key, timeout, auth).send(
        registry, handler, compression, socket_pool
    )


def delete_from_gateway(
    gateway, job, grouping_key=None, timeout=30, handler=None, socket_pool=None, auth=None
):
    """Delete the group (DELETE)."""
    _Push("DELETE", gateway, job, grouping_key, timeout, auth).send(
        None, handler, None, socket_pool
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


class _Push:
    """One call to the gateway: its method and URL, how long it may take, as whom."""

    def __init__(self, method, gateway, job, grouping_key, timeout, auth):
        self.method = method
        self.timeout = timeout
        self.limit = 1e9 if timeout is None else timeout
        self.auth = auth
        # client_python's URL: http:// unless the gateway names http or https; no trailing "/".
        if not (gateway.startswith("http://") or gateway.startswith("https://")):
            gateway = "http://" + gateway
        self.gateway = gateway.rstrip("/")
        self.path = _path(job, grouping_key)
        self.url = self.gateway + self.path

    def send(self, registry, handler, compression, pool):
        """Send the registry's page (None: no body, for DELETE); raise OSError if that fails."""
        if compression is not None:
            raise ValueError("compression is not supported: the body is sent as it is rendered")
        if self.method != "DELETE" and registry is None:
            registry = REGISTRY
        if handler is not None:
            # client_python's handler protocol (CPython: its basic_auth_handler, tls_auth_handler).
            headers = [("Content-Type", CONTENT_TYPE_PLAIN_0_0_4)]
            if self.auth is not None:
                headers.append(("Authorization", basic_auth(self.auth)))
            data = b"" if registry is None else generate_latest(registry)
            handler(
                url=self.url, method=self.method, timeout=self.timeout, headers=headers, data=data
            )()
            return
        if self.gateway.startswith("https://"):
            raise ValueError(
                "%s: prometheus_express has no TLS; use an http:// gateway (or, on CPython, "
                "a handler such as client_python's default_handler)" % self.gateway
            )
        if buffer_size < MIN_BUFFER:
            raise ValueError("push.buffer_size must be at least %d" % MIN_BUFFER)
        authority = self.gateway[7:]
        slash = authority.find("/")
        if slash >= 0:  # a path prefix, as behind a reverse proxy
            self.path = authority[slash:] + self.path
            authority = authority[:slash]
        self.authority = authority
        self.host, self.port = host_port(authority, 80, self.gateway)
        self._exchange(registry, _sockets.default_pool() if pool is None else pool)

    def _left(self):
        # Seconds left of the timeout.
        return self.limit - seconds_since(self.start)

    def _more(self, sock):
        # The answer is not there yet: wait a little, while the timeout lasts.
        if self._left() < 0:
            return False
        _sockets.wait((sock,), (), 0.05)
        return True

    def _exchange(self, registry, pool):
        # One request, one answer, one socket, closed whatever happens.
        self.start = ticks()
        sock = connect(pool, self.host, self.port, self.authority, self.timeout, self._left)
        failed = "push to %s failed: " % self.url
        try:
            buf = bytearray(buffer_size)
            try:
                error = self._request(sock, buf, registry)
            except Timeout:
                raise OSError(failed + "could not send within %s s" % self.timeout) from None
            answer = read_answer(
                lambda view: _sockets.recv_into(sock, view), buf, lambda: self._more(sock)
            )
            if answer is None:
                if error is not None:
                    raise OSError(failed + describe(error)) from None
                if self._left() < 0:
                    raise OSError(failed + "no answer within %s s" % self.timeout)
                raise OSError(failed + "the connection closed without an answer")
            status, reason, text = answer
            if 200 <= status < 300 and error is None:
                return
            if error is not None and not text:
                text = describe(error)
            raise OSError(failed + "%d %s%s" % (status, reason, ": " + text if text else ""))
        finally:
            _sockets.close(sock)

    def _request(self, sock, buf, registry):
        # The request, sent; the OSError sending raised, if any: the gateway may have answered
        # and closed early (401, 413), and then its answer is the news. http.Response frames
        # any HTTP/1.1 message: Content-Length when the body fits the buffer, else chunked
        # (Go's net/http, and so the Pushgateway, takes both).
        request = Response(sock, memoryview(buf), self._left(), head_only=False, chunked=True)
        auth = basic_auth(self.auth)
        request.start(
            "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\n%s"
            % (
                self.method,
                self.path,
                self.authority,
                CONTENT_TYPE_PLAIN_0_0_4,
                "" if auth is None else "Authorization: %s\r\n" % auth,
            )
        )
        try:
            if registry is not None:
                write_text(request.write, registry)
            request.finish()
        except OSError as e:
            return e
        return None
