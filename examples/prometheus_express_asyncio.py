"""Serve metrics from an asyncio program: one task polls the exporter, next to the others.

Runs unchanged on MicroPython and CPython. On CircuitPython, install asyncio from the bundle,
connect to Wi-Fi first and pass the socket pool:

    server = MetricsServer(8000, socket_pool=socketpool.SocketPool(wifi.radio))

poll() answers at most one waiting request and otherwise returns at once; it never waits for a
client, so the other tasks keep running while nobody scrapes, and between two scrapes.
"""

import asyncio

from prometheus_express import Counter, Gauge, MetricsServer

readings = Counter("sensor_readings", "Times the sensor was read")
temperature = Gauge("temperature_celsius", "Air temperature")


async def serve_metrics(server, idle=0.05):
    """Answer scrapes forever: right after an answer, look again at once; else sleep idle s."""
    while True:
        answered = server.poll()
        await asyncio.sleep(0 if answered else idle)


async def read_sensor(period=1.0):
    while True:
        temperature.set(21.5)  # read a real sensor here
        readings.inc()
        await asyncio.sleep(period)


async def main(port=8000):
    server = MetricsServer(port)
    print("serving metrics on port %d" % port)
    try:
        await asyncio.gather(serve_metrics(server), read_sensor())
    finally:
        server.close()


if __name__ == "__main__":
    asyncio.run(main())
