"""A metrics server for the live tests: MicroPython unix port (a subprocess) or CPython (imported).

    micropython tests/live/mp_serve.py port=9100 read_timeout=0.5 big=16 stop=/tmp/stop

Prints `ready port=P lib=FILE`, then serves with poll() from its own loop, as a board's program
does. Every `report` answered requests it prints `heap answered=N alloc=A peak=P` (after
gc.collect()); when the `stop` file appears (or after `lifetime` seconds) it prints the same
figures as `final ...` and exits 0. Any exception escapes as a traceback on stderr and exit 1.

Options (key=value): port, addr, read_timeout, write_timeout, big (live_big series of 1 KB each),
value (live_value's value), sndbuf (SO_SNDBUF of the server's sockets: a board's small lwIP send
buffer; 0 leaves the kernel's), report, lifetime, idle_ms (sleep when poll() found nothing), stop,
preload (1: load the modules the exporter loads on first use before serving).

Only what both runtimes run: CPython imports build_registry() and Pool from here.
"""

import gc
import os
import sys
import time

from prometheus_express import CollectorRegistry, Counter, Gauge, Histogram, Info

# Every sample the page must carry (besides _created), with its value. The values
# are exact in binary floating point, so each runtime renders them alike.
REQUESTS = (("get", "200", 1027), ("get", "404", 3), ("post", "405", 2))
TEMPERATURES = (("indoor", 21.5), ("outdoor", -3.25), ('odd "name"\\', 0.125))
LATENCIES = (0.002, 0.03, 0.03, 0.4, 7.0)
BUCKETS = (0.005, 0.05, 0.5, 5.0)
BUILD = {"version": "1.2.3", "runtime": "live"}
PAD = "0123456789abcdef" * 64  # 1 KB of label value per live_big series


def build_registry(big=0, value=42.5):
    """A registry with labelled counters, gauges, a histogram, an info, and `big` more series."""
    registry = CollectorRegistry()
    requests = Counter("live_requests", "Requests handled", ["method", "code"], registry=registry)
    for method, code, count in REQUESTS:
        requests.labels(method, code).inc(count)
    temperature = Gauge(
        "live_temperature_celsius", "Temperatures", ["sensor"], unit="celsius", registry=registry
    )
    for sensor, degrees in TEMPERATURES:
        temperature.labels(sensor).set(degrees)
    Gauge("live_value", "The value the Prometheus test reads back", registry=registry).set(value)
    latency = Histogram("live_latency_seconds", "Latency", buckets=BUCKETS, registry=registry)
    for seconds in LATENCIES:
        latency.observe(seconds)
    Info("live_build", "Build", registry=registry).info(BUILD)
    if big:
        # A large page from few, long series: cheap to render, so the soak can scrape it
        # thousands of times, yet larger than the socket buffers.
        large = Gauge("live_big", "Long series", ["idx", "pad"], registry=registry)
        for i in range(big):
            large.labels(str(i), PAD).set(i)
    return registry


class Pool:
    """The socket module, but every socket gets a small send buffer (a board's lwIP has a few KB):
    a client that stops reading then blocks the server's send() on loopback too."""

    def __init__(self, sndbuf):
        import socket

        self._socket = socket
        self._sndbuf = sndbuf
        self.SOCK_STREAM = socket.SOCK_STREAM
        self.SOL_SOCKET = socket.SOL_SOCKET
        self.SO_REUSEADDR = socket.SO_REUSEADDR

    def getaddrinfo(self, *args):
        return self._socket.getaddrinfo(*args)

    def socket(self, *args):
        sock = self._socket.socket(*args)
        # MicroPython's socket module has no SO_SNDBUF name: 7 is Linux's number. Accepted
        # sockets inherit the listener's buffer size (and lose the kernel's autotuning).
        sock.setsockopt(self.SOL_SOCKET, getattr(self._socket, "SO_SNDBUF", 7), self._sndbuf)
        return sock


def _options(argv):
    options = {
        "port": 9100,
        "addr": "127.0.0.1",
        "read_timeout": 0.5,
        "write_timeout": 1.0,
        "big": 0,
        "value": 42.5,
        "sndbuf": 0,
        "report": 1000,
        "lifetime": 600,
        "idle_ms": 1,
        "preload": 0,
        "stop": "",
    }
    for arg in argv:
        key, value = arg.split("=", 1)
        if key not in options:
            raise ValueError("unknown option %s" % key)
        default = options[key]
        if isinstance(default, int):
            value = int(value)
        elif isinstance(default, float):
            value = float(value)
        options[key] = value
    return options


def _exists(path):
    try:
        os.stat(path)
        return True
    except OSError:
        return False


def _heap(tag, answered):
    import micropython

    gc.collect()
    print(
        "%s answered=%d alloc=%d peak=%d" % (tag, answered, gc.mem_alloc(), micropython.mem_peak())
    )


def main(argv):
    from prometheus_express import server as server_module

    o = _options(argv)
    if o["preload"]:
        # The modules the exporter loads on its first fault or first request other than a
        # scrape: loaded now, so heap reports compare like with like (a leak shows as growth,
        # a module loaded on first use does not).
        from prometheus_express import recovery, routes  # noqa: F401
    registry = build_registry(o["big"], o["value"])
    pool = Pool(o["sndbuf"]) if o["sndbuf"] else None
    server = server_module.MetricsServer(o["port"], o["addr"], registry, pool)
    server.read_timeout = o["read_timeout"]
    server.write_timeout = o["write_timeout"]
    print("ready port=%d lib=%s" % (o["port"], server_module.__file__))
    answered = 0
    started = time.ticks_ms()
    checked = started
    try:
        while True:
            if server.poll():
                answered += 1
                if answered % o["report"] == 0:
                    _heap("heap", answered)
                continue
            # Look for the stop file ten times a second, not on every idle turn.
            now = time.ticks_ms()
            if time.ticks_diff(now, checked) >= 100:
                checked = now
                if o["stop"] and _exists(o["stop"]):
                    break
                if time.ticks_diff(now, started) > o["lifetime"] * 1000:
                    break
            time.sleep_ms(o["idle_ms"])
    finally:
        server.close()
    _heap("final", answered)


if __name__ == "__main__":
    main(sys.argv[1:])
