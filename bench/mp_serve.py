"""One exporter serving a board's metrics, for bench/http_load.py to load with wrk.

    python -u bench/mp_serve.py ours|client PORT        (PYTHONPATH: the repo)
    MICROPYPATH=<tree> micropython bench/mp_serve.py ours PORT [LEAVE [EXTRA]]

Prints "READY" once it listens on 127.0.0.1:PORT. On CPython it stops when its standard
input closes (so it never outlives the bench) or on SIGINT. On MicroPython it first answers
one request of its own (so the modules a scrape loads lazily are in), serves until it has
answered GET /bench-stop, and prints "RESULT name value" lines: the heap after gc.collect()
and micropython.mem_peak(), before the load and after it. LEAVE: ballast then fills the heap
but LEAVE bytes, as a board's program holds the rest; EXTRA labelled series join the board's
15. http_load.py imports board() to build the same series with each library. Portable
subset: MicroPython runs it as it is.
"""

import gc
import sys

STOP = "/bench-stop"  # MicroPython: serve_forever() ends after answering this path


def board(lib, registry):
    """A board's 15 series: 5 Gauges, a Counter, a Counter of 3 children, a 3-bucket Histogram."""
    lib.Gauge("board_temperature_celsius", "Air temperature", registry=registry).set(21.5)
    lib.Gauge("board_humidity_percent", "Relative humidity", registry=registry).set(48.25)
    lib.Gauge("board_pressure_hectopascals", "Air pressure", registry=registry).set(1013)
    lib.Gauge("board_wifi_rssi_dbm", "Wi-Fi signal strength", registry=registry).set(-61)
    lib.Gauge("board_heap_free_bytes", "Free heap", registry=registry).set(18432)
    lib.Counter("board_boots", "Times the board started", registry=registry).inc()
    reads = lib.Counter("board_sensor_reads", "Sensor reads", ["sensor"], registry=registry)
    for i, sensor in enumerate(("bme280", "sht31", "scd41")):
        reads.labels(sensor).inc(100 * (i + 1))
    latency = lib.Histogram(
        "board_sensor_read_seconds",
        "Time to read a sensor",
        buckets=(0.01, 0.05, 0.25),
        registry=registry,
    )
    for seconds in (0.004, 0.012, 0.03, 0.2, 0.6):
        latency.observe(seconds)


def _self_scrape(server, port):
    # One request through the real socket path, answered by poll() in this same process.
    import socket

    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(socket.getaddrinfo("127.0.0.1", port)[0][-1])
    client.send(b"GET /metrics HTTP/1.1\r\nHost: bench\r\n\r\n")
    while not server.poll():
        pass
    got = 0
    while True:
        data = client.recv(512)
        if not data:
            break
        got += len(data)
    client.close()
    return got


def _heap(when):
    import micropython

    gc.collect()
    print("RESULT", "alloc_" + when, gc.mem_alloc())
    print("RESULT", "peak_" + when, micropython.mem_peak())


def _stoppable(port, registry):
    # start_http_server's MetricsServer (all it builds where there are no threads), which
    # leaves serve_forever() once it has answered GET /bench-stop. Not SIGINT: on the unix
    # port a KeyboardInterrupt during a collection leaves the heap locked for good.
    from prometheus_express.server import MetricsServer

    class Stoppable(MetricsServer):
        def _metrics(self, request, response, registry):
            if request.path == STOP:
                self.close()  # from the serving thread: serve_forever() ends after this answer
            MetricsServer._metrics(self, request, response, registry)

    return Stoppable(port, "127.0.0.1", registry)


def main():
    lib_name, port = sys.argv[1], int(sys.argv[2])
    if lib_name == "client":
        import prometheus_client as lib
    else:
        import prometheus_express as lib
    lib.disable_created_metrics()  # both sides: the bodies must be byte for byte the same
    registry = lib.CollectorRegistry()
    board(lib, registry)
    if sys.implementation.name != "micropython":  # (server, thread), serving in a thread
        lib.start_http_server(port, "127.0.0.1", registry)
        print("READY")
        try:
            sys.stdin.read()  # until the bench closes it, or dies
        except KeyboardInterrupt:
            pass
        return
    leave = int(sys.argv[3]) if len(sys.argv) > 3 else None
    extra = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    if extra:  # more series: a scrape must still fit the same free heap
        gauge = lib.Gauge("board_extra", "More series", ["index"], registry=registry)
        for i in range(extra):
            gauge.labels(str(i)).set(i)
    if leave is not None:
        from mp_heap import fill  # before "before": the module stays loaded
    server = _stoppable(port, registry)
    print("RESULT", "response_bytes", _self_scrape(server, port))
    _heap("before")
    ballast = None
    if leave is not None:  # a board's heap: only LEAVE bytes stay free, in one block
        ballast = fill(leave)
    print("READY")
    server.serve_forever()  # closes the server when it ends
    ballast = None  # noqa: F841  (there is room to report now)
    _heap("after")


if __name__ == "__main__":
    main()
