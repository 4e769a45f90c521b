"""The page for CPython's web stacks, as client_python offers it: a WSGI app, a WSGI server in
a daemon thread, and a handler for http.server. CPython only.

app = make_wsgi_app()                      # mount in Flask, Django, any WSGI server
server, thread = start_wsgi_server(8000)
"""

from ._port import BOARD

if BOARD:
    from .errors import cpython_only

    raise cpython_only(__name__, "wsgiref, http.server, gzip, threading")

import gzip
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlparse
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from .negotiation import choose_encoder
from .registry import REGISTRY


def gzip_accepted(accept_encoding_header):
    """True when an Accept-Encoding header lists gzip (its q value is not weighed)."""
    for coding in (accept_encoding_header or "").split(","):
        if coding.split(";")[0].strip().lower() == "gzip":
            return True
    return False


def _bake_output(registry, accept_header, accept_encoding_header, params, disable_compression):
    """(status, headers, body) of a scrape: the format the Accept header chooses, only the
    series named by ?name[]= when there are any, gzipped when the client takes it."""
    encoder, content_type = choose_encoder(accept_header)
    if "name[]" in params:
        registry = registry.restricted_registry(params["name[]"])
    body = encoder(registry)
    headers = [("Content-Type", content_type)]
    if not disable_compression and gzip_accepted(accept_encoding_header):
        body = gzip.compress(body)
        headers.append(("Content-Encoding", "gzip"))
    return "200 OK", headers, body


def make_wsgi_app(registry=REGISTRY, disable_compression=False):
    """A WSGI app serving the registry: GET on any path, OPTIONS, and 405 for other methods."""

    def prometheus_app(environ, start_response):
        method = environ["REQUEST_METHOD"]
        allow = [("Allow", "OPTIONS,GET")]
        if method == "OPTIONS":
            status, headers, body = "200 OK", allow, b""
        elif method != "GET":  # HEAD too, as client_python answers it
            status = "405 Method Not Allowed"
            headers = allow
            body = ("# HTTP %s: %s; use OPTIONS or GET\n" % (status, method)).encode()
        elif environ["PATH_INFO"] == "/favicon.ico":  # browsers ask: an empty answer
            status, headers, body = "200 OK", [], b""
        else:  # any other path is the page, as client_python has always served it
            status, headers, body = _bake_output(
                registry,
                environ.get("HTTP_ACCEPT"),
                environ.get("HTTP_ACCEPT_ENCODING"),
                parse_qs(environ.get("QUERY_STRING", "")),
                disable_compression,
            )
        start_response(status, headers)
        return [body]

    return prometheus_app


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        """A scrape every few seconds would fill the console."""


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """A WSGI server answering each request in its own thread."""

    # Daemon threads are not kept for a join at close, so the server does not grow per request.
    daemon_threads = True


def _tls_context(certfile, keyfile, protocol, cafile, capath, client_auth_required, lo, hi):
    context = ssl.SSLContext(protocol=protocol)
    try:
        if cafile is None and capath is None:
            context.load_default_certs(purpose=ssl.Purpose.CLIENT_AUTH)
        else:
            context.load_verify_locations(cafile, capath)
    except OSError as e:
        where = (
            "the default CA certificates"
            if cafile is None and capath is None
            else ("CA certificates from file %r or directory %r" % (cafile, capath))
        )
        raise type(e)("cannot load %s: %s" % (where, e)) from None
    if client_auth_required:
        context.verify_mode = ssl.CERT_REQUIRED
    try:
        context.load_cert_chain(certfile=certfile, keyfile=keyfile)
    except OSError as e:
        raise type(e)(
            "cannot load the server certificate %r or its key %r: %s" % (certfile, keyfile, e)
        ) from None
    if lo is not None:
        context.minimum_version = lo
    if hi is not None:
        context.maximum_version = hi
    return context


def start_wsgi_server(
    port,
    addr="0.0.0.0",
    registry=REGISTRY,
    certfile=None,
    keyfile=None,
    client_cafile=None,
    client_capath=None,
    protocol=ssl.PROTOCOL_TLS_SERVER,
    client_auth_required=False,
    tls_min_version=None,
    tls_max_version=None,
):
    """Serve make_wsgi_app(registry) from a daemon thread; returns (server, thread).

    addr may be IPv6 ("::"); certfile and keyfile switch on TLS, client_cafile or
    client_capath with client_auth_required ask for client certificates."""
    # The address family follows addr: wsgiref would bind IPv4 only.
    info = socket.getaddrinfo(addr, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, sockaddr = info[0][0], info[0][4]

    class Server(ThreadingWSGIServer):
        address_family = family

    httpd = make_server(
        sockaddr[0], port, make_wsgi_app(registry), Server, handler_class=_QuietHandler
    )
    if certfile and keyfile:
        try:
            context = _tls_context(
                certfile,
                keyfile,
                protocol,
                client_cafile,
                client_capath,
                client_auth_required,
                tls_min_version,
                tls_max_version,
            )
            httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        except Exception:
            httpd.server_close()  # the port is free again for a corrected retry
            raise
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd, thread


class MetricsHandler(BaseHTTPRequestHandler):
    """An http.server handler answering GET with the page of its registry (REGISTRY)."""

    registry = REGISTRY

    def do_GET(self):
        status, headers, body = _bake_output(
            self.registry,
            self.headers.get("Accept"),
            self.headers.get("Accept-Encoding"),
            parse_qs(urlparse(self.path).query),
            False,
        )
        self.send_response(int(status.split(" ")[0]))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """A scrape every few seconds would fill the console."""

    @classmethod
    def factory(cls, registry):
        """A subclass of this handler serving registry."""
        return type(str(cls.__name__), (cls, object), {"registry": registry})
