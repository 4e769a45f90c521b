"""Serve metrics to Prometheus from the program's own loop: http://<board>:8000/metrics

Runs unchanged on MicroPython and CPython. On CircuitPython, connect to Wi-Fi first and pass
the socket pool:

    import socketpool, wifi
    wifi.radio.connect(ssid, password)
    server = MetricsServer(8000, socket_pool=socketpool.SocketPool(wifi.radio))
"""

import time

from prometheus_express import Counter, Gauge, MetricsServer

loops = Counter("main_loops", "Times the main loop ran")
temperature = Gauge("temperature_celsius", "Air temperature")

server = MetricsServer(8000)
print("serving metrics on port 8000")
while True:
    temperature.set(21.5)  # read a real sensor here
    loops.inc()
    # Answers a waiting scrape, or returns at once; the loop stays in charge.
    server.poll()
    time.sleep(0.01)
