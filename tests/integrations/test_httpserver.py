"""prometheus_express.integrations.httpserver on a real adafruit_httpserver Server (CPython,
the socket module, loopback), scraped as Prometheus does and as a plain client does."""

import socket
import threading
import time

import live
import mp_serve
import pytest
from adafruit_httpserver import Response, Server
from integration_support import check_page, expected_content_type, scrape

from prometheus_express import CollectorRegistry
from prometheus_express.core import GaugeMetricFamily
from prometheus_express.integrations import _pages
from prometheus_express.integrations.httpserver import metrics_route

BIG = 8  # 8 series of 1 KB: the page spans many chunks


class Custom:
    """A collector of the client_python kind (collect() yields families): rendered as a whole."""

    def collect(self):
        family = GaugeMetricFamily("custom_things", "Things", labels=["kind"])
        family.add_metric(["a"], 1)
        family.add_metric(["b"], 2.5)
        yield family


class Running:
    """An adafruit_httpserver Server on a free loopback port, polled from a thread."""

    def __init__(self, registry):
        self.server = Server(socket)

        @self.server.route("/")
        def index(request):
            return Response(request, "the app's own page")

        # The one line this integration is about:
        metrics_route(self.server, "/metrics", registry=registry)

        self.small = CollectorRegistry()
        self.small.register(Custom())
        metrics_route(self.server, "/custom", registry=self.small)
        self.restricted = registry.restricted_registry(["live_value", "live_requests_total"])
        metrics_route(self.server, "/restricted", registry=self.restricted)

        self.port = live.free_port()
        self.server.start("127.0.0.1", self.port)
        self.errors = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                self.server.poll()
            except Exception as e:  # adafruit_httpserver re-raises a handler's exception
                self.errors.append(e)
            time.sleep(0.002)

    def close(self):
        self.running = False
        self.thread.join(5)
        self.server.stop()
        assert not self.errors, "the server raised %r" % self.errors


@pytest.fixture(scope="module")
def registry():
    return mp_serve.build_registry(BIG)


@pytest.fixture(scope="module")
def app(registry):
    running = Running(registry)
    yield running
    running.close()


ACCEPTS = [
    live.ACCEPT,  # Prometheus 3
    None,  # a plain client: curl, a browser
    "text/plain;version=1.0.0;escaping=allow-utf-8",
    "application/openmetrics-text; version=1.0.0",
    "*/*",
]


@pytest.mark.parametrize("accept", ACCEPTS)
def test_format_content_type_and_page(app, registry, accept):
    response, _raw = scrape(app.port, accept=accept)
    content_type = expected_content_type(accept)
    assert response.headers["content-type"] == content_type
    openmetrics = content_type.startswith("application/openmetrics-text")
    check_page(response, registry, openmetrics)
    assert response.headers["transfer-encoding"] == "chunked"
    assert response.headers.get("connection") == "close"
    if openmetrics:
        live.check_page(response.body, BIG)


def test_prometheus_request_verbatim(app, registry):
    raw, reset = live.exchange(app.port, live.prometheus_request(app.port))
    response = live.check_scrape_response(raw, BIG)
    check_page(response, registry, True)


def test_chunks_are_bounded_and_many(app, registry):
    response, raw = scrape(app.port, accept=live.ACCEPT)
    body = raw[raw.find(b"\r\n\r\n") + 4 :]
    sizes = []
    while True:
        eol = body.find(b"\r\n")
        size = int(body[:eol], 16)
        sizes.append(size)
        body = body[eol + 2 + size + 2 :]
        if size == 0:
            break
    # A label value of 1 KB is one piece: a chunk is at most chunk_size plus one piece.
    longest_piece = len(mp_serve.PAD) + 2
    assert len(sizes) > len(response.body) // (_pages.chunk_size + longest_piece)
    assert max(sizes) <= _pages.chunk_size + longest_piece
    assert sizes[-1] == 0 and 0 not in sizes[:-1]


def test_http10_gets_content_length(app, registry):
    response, _raw = scrape(app.port, accept=live.ACCEPT, version="HTTP/1.0")
    assert "transfer-encoding" not in response.headers
    assert int(response.headers["content-length"]) == len(response.body)
    check_page(response, registry, True)


@pytest.mark.parametrize("accept", [live.ACCEPT, None])
def test_collect_only_collector_and_restricted_registry(app, accept):
    openmetrics = accept is not None
    response, _raw = scrape(app.port, "/custom", accept=accept)
    families = check_page(response, app.small, openmetrics)
    assert [f.name for f in families] == ["custom_things"]
    response, _raw = scrape(app.port, "/restricted", accept=accept)
    families = check_page(response, app.restricted, openmetrics)
    assert sorted(f.name for f in families) == ["live_requests", "live_value"]


def test_the_apps_own_routes_still_answer(app):
    response, _raw = scrape(app.port, "/")
    assert response.status == 200 and response.body == b"the app's own page"
    response, _raw = scrape(app.port, "/nothing")
    assert response.status == 404


def test_the_page_follows_the_registry(app, registry):
    gauge = registry._names["live_value"]
    gauge.set(7.25)
    try:
        response, _raw = scrape(app.port, accept=live.ACCEPT)
        check_page(response, registry, True)
        live.check_page(response.body, BIG, value=7.25)
    finally:
        gauge.set(42.5)
