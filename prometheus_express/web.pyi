import ssl
from http.server import BaseHTTPRequestHandler
from socketserver import ThreadingMixIn
from threading import Thread
from wsgiref.simple_server import WSGIServer
from wsgiref.types import WSGIApplication

from .registry import _Collector

def gzip_accepted(accept_encoding_header: str) -> bool: ...
def make_wsgi_app(
    registry: _Collector = ..., disable_compression: bool = False
) -> WSGIApplication: ...

class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads: bool

def start_wsgi_server(
    port: int,
    addr: str = "0.0.0.0",
    registry: _Collector = ...,
    certfile: str | None = None,
    keyfile: str | None = None,
    client_cafile: str | None = None,
    client_capath: str | None = None,
    protocol: int = ssl.PROTOCOL_TLS_SERVER,
    client_auth_required: bool = False,
    tls_min_version: ssl.TLSVersion | None = None,
    tls_max_version: ssl.TLSVersion | None = None,
) -> tuple[WSGIServer, Thread]: ...

class MetricsHandler(BaseHTTPRequestHandler):
    registry: _Collector
    def do_GET(self) -> None: ...  # noqa: N802  (BaseHTTPRequestHandler's name)
    @classmethod
    def factory(cls, registry: _Collector) -> type[MetricsHandler]: ...
