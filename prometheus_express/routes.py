"""Requests other than a plain scrape: basic auth, OPTIONS, other methods, the favicon,
the ?name[]= filter, and a request body. MetricsServer loads this on the first such request.

route(server, client, request, response)
names = query_names("name[]=boots&name[]=temperature_celsius")
"""

from . import _sockets
from ._port import seconds_since
from .http import Reject

_ALLOW = "GET, HEAD, OPTIONS"


def route(server, client, request, response):
    """Answer a request that is not a plain GET or HEAD of the metrics page."""
    if request.length:
        _read_body(server, client, request.length - (len(client.head) - client.end))
    if server._auth is not None and request.authorization != server._auth:
        raise Reject(401, 'WWW-Authenticate: Basic realm="metrics"\r\n')
    if request.method == "OPTIONS":
        response.simple(200, "Allow: %s\r\n" % _ALLOW, "")
    elif request.method not in ("GET", "HEAD"):
        raise Reject(405, "Allow: %s\r\n" % _ALLOW)
    elif request.path == "/favicon.ico":  # as client_python: browsers ask for it
        response.simple(200, "", "")
    else:
        registry = server.registry
        names = query_names(request.query)
        if names:
            registry = registry.restricted_registry(names)
        server._metrics(request, response, registry)


def _read_body(server, client, remaining):
    """Read a request body (bounded) and throw it away: left unread, it makes close() send
    RST, and the client may lose the answer."""
    remaining = min(remaining, server.max_body)
    view = server._view
    while remaining > 0:
        n = _sockets.recv_into(client.sock, view[: min(remaining, len(view))])
        if n == 0:
            return
        if n is None:
            if seconds_since(client.start) > server.read_timeout:
                return
            _sockets.wait((client.sock,), (), 0.01)
        else:
            remaining -= n


def _unquote(text):
    # Percent-decoding of a query string key or value; "+" is a space.
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == "%":
            try:
                out.append(int(text[i + 1 : i + 3], 16))
                i += 3
                continue
            except ValueError:
                pass
        out.extend(text[i].encode("utf-8"))
        i += 1
    try:
        return bytes(out).decode("utf-8")
    except UnicodeError:
        raise Reject(400) from None


def query_names(query):
    """The values of name[] in a query string."""
    # client_python's filter: /metrics?name[]=a&name[]=b serves only those series.
    names = []
    for pair in query.split("&") if query else ():
        eq = pair.find("=")
        if eq > 0 and _unquote(pair[:eq]) == "name[]":
            names.append(_unquote(pair[eq + 1 :]))
    return names
