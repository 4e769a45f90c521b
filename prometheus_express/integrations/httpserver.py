"""/metrics on an adafruit_httpserver Server, in one line.

server = Server(pool, debug=True)
metrics_route(server)                      # GET /metrics: the default registry
server.serve_forever(str(wifi.radio.ipv4_address))
"""

from adafruit_httpserver import GET, ChunkedResponse, Response

from ..negotiation import choose_format
from ..registry import REGISTRY
from . import _pages


def metrics_route(server, path="/metrics", registry=REGISTRY):
    """Serve registry at GET path on an adafruit_httpserver Server; returns the handler.

    The format follows the Accept header, as the exporter's does. HTTP/1.1 clients (Prometheus)
    get a ChunkedResponse rendered one collector at a time; HTTP/1.0 clients, which cannot take
    chunks, get the whole page with a Content-Length.
    """

    def metrics(request):
        om, content_type = choose_format(request.headers.get("Accept"))
        if request.http_version == "HTTP/1.0":
            chunks = _pages.whole(registry, om, content_type)[0]
            return Response(request, b"".join(chunks), content_type=content_type)
        # ChunkedResponse calls its body to get the generator, when it starts to send.
        return ChunkedResponse(
            request, lambda: _pages.stream(registry, om, content_type), content_type=content_type
        )

    server.route(path, GET)(metrics)
    return metrics
