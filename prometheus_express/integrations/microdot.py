"""/metrics on a microdot app, in one line.

app = Microdot()
metrics_route(app)                         # GET and HEAD /metrics: the default registry
app.run(port=80)
"""

from ..negotiation import choose_format
from ..registry import REGISTRY
from . import _pages


def metrics_route(app, path="/metrics", registry=REGISTRY):
    """Serve registry at GET (and HEAD) path on a microdot app; returns the handler.

    The format follows the Accept header, as the exporter's does. Microdot answers HTTP/1.0
    and frames a streamed body only by closing the connection, which a client cannot tell
    from a page cut short; so the page is rendered first, into chunks of about
    _pages.chunk_size bytes, and sent with its Content-Length, each chunk freed once written.
    """

    def metrics(request):
        om, content_type = choose_format(request.headers.get("Accept"))
        chunks, length = _pages.whole(registry, om, content_type)
        headers = {"Content-Type": content_type, "Content-Length": str(length)}
        if len(chunks) < 2:  # a generator that yields nothing breaks microdot's send loop
            return (chunks[0] if chunks else b""), 200, headers
        return _pages.drain(chunks), 200, headers

    app.route(path)(metrics)
    return metrics
