"""MicroPython: the memory one board scenario keeps and needs, in a fresh process.

    MICROPYPATH=<tree>:<harness> micropython -m mp_import [--romfs IMAGE] SCENARIO LEAVE [ARG ...]

Run compiled (mp_import.mpy in <harness>), so the figures are the library's, not this
script's compile. Prints "RESULT retained peak_delta peak_known time_us", micropython.qstr_info()'s
line before and after the scenario (the qstrs it adds), and "MODULES" with the package's
modules loaded at the end. LEAVE >= 0 first fills the heap (mp_heap.fill) so that only LEAVE
bytes stay free, in one block; a MemoryError then means the scenario needs more. ARG: the port
of the exporter scenarios, the modules the "all" scenario imports, the module of "module".
--romfs mounts IMAGE (a romfs image, MicroPython 1.25+) at /rom first, and the package must
then load from there. Runs under MicroPython only (portable subset).
"""

import gc
import sys
import time

import micropython
from mp_heap import fill

KEEP = []  # what a scenario keeps alive, as a board's main loop would
ROM = "/rom"


def _mount_romfs(path):
    # On a board the image is flash that `mpremote romfs deploy` wrote, mapped into the address
    # space. The unix port has no flash, so the image sits in RAM here: it is read before the
    # baseline, so its bytes count as flash, not as the scenario's heap. Modules loaded from it
    # use its bytecode, qstrs and constants in place.
    import vfs

    f = open(path, "rb")
    image = f.read()
    f.close()
    vfs.mount(vfs.VfsRom(image), ROM)
    sys.path.insert(0, ROM)
    return image


def _check_romfs():
    # A package found elsewhere on the path would measure the wrong install: fail, never report.
    loaded = [name for name in sys.modules if name.split(".")[0] == "prometheus_express"]
    if not loaded:
        raise SystemExit("mp_import: prometheus_express was not imported")
    for name in loaded:
        where = getattr(sys.modules[name], "__file__", "")
        if not where.startswith(ROM + "/"):
            raise SystemExit("mp_import: %s loaded from %r, not from %s" % (name, where, ROM))


def _discard(piece):
    pass


def ours_import(modules):
    import prometheus_express  # noqa: F401


# Prometheus' own scrape request: its Accept header asks for OpenMetrics first.
SCRAPE = (
    b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Prometheus/3.0.1\r\n"
    b"Accept: application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
    b"application/openmetrics-text;version=0.0.1;q=0.5,"
    b"text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,"
    b"*/*;q=0.2\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\nAccept-Encoding: gzip\r\n\r\n"
)


def _board_metrics(pe, **registry):
    # What a typical board exports: a counter, and a gauge per sensor.
    boots = pe.Counter("boots", "Times the board started", **registry)
    temp = pe.Gauge("temperature_celsius", "Air temperature", ["sensor"], **registry)
    boots.inc()
    temp.labels("bme280").set(21.5)
    KEEP.append(boots)
    KEEP.append(temp)


def _scraper(port):
    # A client in this process: connected and its request sent before the server reads it.
    import socket

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


def ours_typical(modules):
    import prometheus_express as pe

    _board_metrics(pe)
    pe.generate_latest()


def ours_exporter(modules):
    # The typical board, serving its metrics: one Prometheus scrape answered by poll().
    import prometheus_express as pe

    _board_metrics(pe)
    pe.generate_latest()
    port = int(modules[0])
    server = pe.MetricsServer(port, "127.0.0.1")
    KEEP.append(server)
    client = _scraper(port)
    while not server.poll():
        pass
    _read_all(client)


def ours_all(modules):
    import prometheus_express as pe

    for name in modules:
        __import__(name)
    h = pe.Histogram("request_seconds", "Request time")
    h.observe(0.2)
    s = pe.Summary("read_seconds", "Sensor read time")
    s.observe(0.01)
    i = pe.Info("firmware", "Firmware build")
    i.info({"version": "1.2.0"})
    e = pe.Enum("wifi_state", "Wi-Fi state", states=["down", "up"])
    e.state("up")

    class Custom:
        def collect(self):
            yield pe.GaugeMetricFamily("custom_value", "From a custom collector", value=3)

    pe.REGISTRY.register(Custom())
    from prometheus_express.openmetrics.exposition import write_openmetrics

    write_openmetrics(_discard)
    pe.generate_latest()


def peer_import(modules):
    import prometheus_express  # noqa: F401


def peer_typical(modules):
    # 0.0.4's API: metrics join an explicit registry, render() gives lines.
    import prometheus_express as pe

    registry = pe.CollectorRegistry(namespace="")
    boots = pe.Counter("boots", "Times the board started", registry=registry)
    temp = pe.Gauge("temperature_celsius", "Air temperature", ["sensor"], registry=registry)
    boots.inc(1)
    temp.labels("bme280").set(21.5)
    "\n".join(registry.render())
    KEEP.append(registry)


def peer_exporter(modules):
    # 0.0.4's exporter: a blocking accept() answers the one waiting scrape.
    import prometheus_express as pe

    registry = pe.CollectorRegistry(namespace="")
    boots = pe.Counter("boots", "Times the board started", registry=registry)
    temp = pe.Gauge("temperature_celsius", "Air temperature", ["sensor"], registry=registry)
    boots.inc(1)
    temp.labels("bme280").set(21.5)
    "\n".join(registry.render())
    port = int(modules[0])
    # start_http_server's socket, bound as the unix port needs: its bind() takes only
    # getaddrinfo's address, not the (host, port) tuple 0.0.4 passes.
    import socket

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(socket.getaddrinfo("127.0.0.1", port)[0][-1])
    listener.listen(2)
    server = pe.Server(listener)

    def metrics(headers, body):
        return {"status": "200 OK", "content": "\n".join(registry.render())}

    router = pe.Router([("GET", "/metrics", metrics)])
    KEEP.append(registry)
    KEEP.append(server)
    KEEP.append(router)
    client = _scraper(port)
    server.accept(router)
    _read_all(client)


def module(modules):
    # Whether one module imports at all: run.py leaves broken ones out.
    __import__(modules[0])


SCENARIOS = {
    "ours_import": ours_import,
    "ours_typical": ours_typical,
    "ours_exporter": ours_exporter,
    "ours_all": ours_all,
    "peer_import": peer_import,
    "peer_typical": peer_typical,
    "peer_exporter": peer_exporter,
    "module": module,
}


def main():
    args = sys.argv[1:]
    image = None
    if args[0] == "--romfs":
        image = _mount_romfs(args[1])  # kept referenced: the mount uses it in place
        args = args[2:]
    scenario = SCENARIOS[args[0]]
    leave = int(args[1])
    modules = args[2:]
    ballast = fill(leave) if leave >= 0 else None
    gc.collect()
    micropython.qstr_info()
    base = gc.mem_alloc()
    # mem_peak() cannot be reset and counts m_malloc's bytes, so the peak's
    # baseline is the same counter's current value, not gc.mem_alloc().
    peak_before = micropython.mem_peak()
    current = micropython.mem_current()
    t0 = time.ticks_us()
    scenario(modules)
    t1 = time.ticks_us()
    peak = micropython.mem_peak()
    ballast = None  # noqa: F841  (it ran; now there is room to report)
    gc.collect()
    retained = gc.mem_alloc() - base
    # If the old peak (the script's own compile) was never passed, the true
    # growth is at most the figure printed.
    known = 1 if peak > peak_before else 0
    micropython.qstr_info()
    if image is not None:
        _check_romfs()
    print("RESULT", retained, peak - current, known, time.ticks_diff(t1, t0))
    loaded = [name for name in sys.modules if name.split(".")[0] == "prometheus_express"]
    loaded.sort()
    print("MODULES", " ".join(loaded))


if __name__ == "__main__":
    main()
