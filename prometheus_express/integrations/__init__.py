"""The metrics page on an existing web app: one module per framework, loaded only when imported.

from prometheus_express.integrations.httpserver import metrics_route   # adafruit_httpserver
from prometheus_express.integrations.microdot import metrics_route     # microdot
metrics_route(app_or_server, "/metrics", registry=REGISTRY)

With asyncio, the exporter needs no framework: a task calls MetricsServer.poll(), which answers
at most one waiting request and otherwise returns at once (the library has no async code).

async def serve_metrics(server, idle=0.05):
    while True:
        await asyncio.sleep(0 if server.poll() else idle)
"""
