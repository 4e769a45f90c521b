"""The asyncio pattern of examples/prometheus_express_asyncio.py, for CPython and the MicroPython
unix port alike:

    micropython tests/integrations/aio_serve.py port=9100 big=4

One task runs the example's serve_metrics(server); another, the sensor, sets the gauge
sensor_ticks to the number of times it has run, every 10 ms. Serves mp_serve.build_registry(big)
plus that gauge, without _created samples, until killed.
"""

import asyncio
import sys

from mp_serve import build_registry
from prometheus_express_asyncio import serve_metrics

import prometheus_express.metrics
from prometheus_express import Gauge
from prometheus_express.server import MetricsServer

TICKS_HELP = "Times the sensor task ran"


async def sensor(gauge):
    ticks = 0
    while True:
        ticks += 1
        gauge.set(ticks)
        await asyncio.sleep(0.01)


async def run(server, gauge):
    await asyncio.gather(serve_metrics(server), sensor(gauge))


def main(argv):
    options = {"port": 9100, "big": 0}
    for arg in argv:
        key, value = arg.split("=", 1)
        options[key] = int(value)
    prometheus_express.metrics.disable_created_metrics()
    registry = build_registry(options["big"])
    gauge = Gauge("sensor_ticks", TICKS_HELP, registry=registry)
    server = MetricsServer(options["port"], "127.0.0.1", registry)
    try:
        asyncio.run(run(server, gauge))
    finally:
        server.close()


main(sys.argv[1:])
