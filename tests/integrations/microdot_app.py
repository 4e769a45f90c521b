"""A microdot app with its own route and the metrics route, for CPython and the MicroPython
unix port alike (microdot's sources on the path):

    micropython tests/integrations/microdot_app.py port=9100 big=4

Serves mp_serve.build_registry(big) without _created samples (their timestamps would differ
from the test's twin registry) until killed.
"""

import asyncio
import sys

from microdot import Microdot
from mp_serve import build_registry

import prometheus_express.metrics
from prometheus_express.integrations.microdot import metrics_route


def main(argv):
    options = {"port": 9100, "big": 0}
    for arg in argv:
        key, value = arg.split("=", 1)
        options[key] = int(value)
    prometheus_express.metrics.disable_created_metrics()
    registry = build_registry(options["big"])
    app = Microdot()

    @app.route("/")
    def index(request):
        return "the app's own page"

    metrics_route(app, "/metrics", registry=registry)  # the one line
    asyncio.run(app.start_server("127.0.0.1", options["port"]))


main(sys.argv[1:])
