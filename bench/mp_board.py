"""A board's program, as small as a real one: ours or 0.0.4's, typical or serving a scrape.

    MICROPYPATH=<tree>:<harness> micropython -m mp_board ours|peer PORT

Run this way it is the exporter board alone: the smallest -X heapsize it completes in is what
a board needs (Figure 2); it prints "ANSWERED <bytes>". bench/mp_import.py runs the same
functions inside its measurements. Portable subset: MicroPython runs it as it is.
"""

import socket
import sys
import time

# Prometheus' own scrape request: its Accept header asks for OpenMetrics first.
SCRAPE = (
    b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Prometheus/3.0.1\r\n"
    b"Accept: application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
    b"application/openmetrics-text;version=0.0.1;q=0.5,"
    b"text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,"
    b"*/*;q=0.2\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\nAccept-Encoding: gzip\r\n\r\n"
)


def _whole_seconds():
    # A board's time.time() counts whole seconds. The unix port's has a fraction, and the
    # length of its digits (in a _created value) varies from run to run, and with it, by a
    # block now and then, the heap a run needs: the figures would not repeat.
    return int(time.time())


def ours_typical():
    """A counter and a gauge per sensor, and the page once; what it keeps."""
    import prometheus_express as pe
    import prometheus_express._port as port

    port.unix_time = _whole_seconds  # the clock wall_time() reads, as a board's

    boots = pe.Counter("boots", "Times the board started")
    temp = pe.Gauge("temperature_celsius", "Air temperature", ["sensor"])
    boots.inc()
    temp.labels("bme280").set(21.5)
    pe.generate_latest()
    return [boots, temp]


def peer_typical():
    """The same with 0.0.4's API: metrics join an explicit registry, render() gives lines."""
    import prometheus_express as pe

    registry = pe.CollectorRegistry(namespace="")
    boots = pe.Counter("boots", "Times the board started", registry=registry)
    temp = pe.Gauge("temperature_celsius", "Air temperature", ["sensor"], registry=registry)
    boots.inc(1)
    temp.labels("bme280").set(21.5)
    "\n".join(registry.render())
    return [registry]


def _scraper(port):
    # A client in this process: connected and its request sent before the server reads it.
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(socket.getaddrinfo("127.0.0.1", port)[0][-1])
    client.send(SCRAPE)
    return client


def _read_all(client):
    got = 0
    while True:
        data = client.recv(256)
        if not data:
            break
        got += len(data)
    client.close()
    if not got:  # the server drops a request it has no memory for, and serves on
        print("NO ANSWER: the scrape got no answer")
        raise SystemExit(1)
    return got


def ours_exporter(port):
    """The typical board, serving its metrics: one scrape answered by poll(); what it keeps."""
    import prometheus_express as pe

    keep = ours_typical()
    server = pe.MetricsServer(port, "127.0.0.1")
    client = _scraper(port)
    start = time.ticks_ms()
    while not server.poll():
        # A request the server had no memory for is dropped, and poll() answers nothing.
        if time.ticks_diff(time.ticks_ms(), start) > 5000:
            break
    print("ANSWERED", _read_all(client))
    return keep + [server]


def peer_exporter(port):
    """0.0.4's exporter: a blocking accept() answers the one waiting scrape."""
    import prometheus_express as pe

    keep = peer_typical()
    registry = keep[0]
    # start_http_server's socket, bound as the unix port needs: its bind() takes only
    # getaddrinfo's address, not the (host, port) tuple 0.0.4 passes.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(socket.getaddrinfo("127.0.0.1", port)[0][-1])
    listener.listen(2)
    server = pe.Server(listener)

    def metrics(headers, body):
        return {"status": "200 OK", "content": "\n".join(registry.render())}

    router = pe.Router([("GET", "/metrics", metrics)])
    client = _scraper(port)
    server.accept(router)
    print("ANSWERED", _read_all(client))
    return keep + [server, router]


if __name__ == "__main__":
    (ours_exporter if sys.argv[1] == "ours" else peer_exporter)(int(sys.argv[2]))
