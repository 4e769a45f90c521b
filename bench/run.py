"""Benchmarks of prometheus_express, measured side by side in one run and printed as tables.

    .venv/bin/python bench/run.py      (make bench)

1. CPython: generate_latest() against prometheus_client, same series, same process.
2. MicroPython unix port: what a board's program keeps, from .py, .mpy and .mpy in a romfs
   image (MicroPython 1.25+), against prometheus_express 0.0.4.
3. MicroPython unix port: the heap a scrape needs, streamed (write_text) or built (generate_latest).
4. CPython: start_http_server under wrk, against prometheus_client's (bench/http_load.py).
5. MicroPython unix port: start_http_server under wrk, and the heap it needs.
6. MicroPython unix port: one remote_write() send, its bytes on the wire and the heap it needs.

Nothing here asserts: each figure is printed with the runtime it was measured on, its ratio to
the peer's where there is one, and a note on what it means for a user.
"""

import sys
import tempfile
import timeit
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))  # the repo's package, not an installed one

import http_load  # noqa: E402
import port_figures  # noqa: E402
import remote_write_figure  # noqa: E402
import trees  # noqa: E402
from report import cpython, notes, table, version  # noqa: E402

REPEATS = 5  # timeit repeats; the best is kept


# -- Figure 1: CPython, against prometheus_client --------------------------------------------


def build_series(lib, registry):
    reads = lib.Counter("bench_reads", "Sensor reads", ["sensor", "room"], registry=registry)
    temps = lib.Gauge(
        "bench_temperature_celsius", "Temperature", ["sensor", "room"], registry=registry
    )
    latency = lib.Histogram("bench_request_seconds", "Request time", ["handler"], registry=registry)
    for i in range(100):
        labels = ("sensor%d" % i, "room%d" % (i % 10))
        reads.labels(*labels).inc(i + 1)
        temps.labels(*labels).set(i + 0.25 if i % 2 else i)
    for i in range(10):
        child = latency.labels("handler%d" % i)
        for seconds in (0.003, 0.04, 0.6, 2.0):
            child.observe(seconds * (i + 1))


def figure_cpython():
    import prometheus_express as ours

    peer = "prometheus_client " + version("prometheus_client")
    print("Figure 1: generate_latest() time, %s, against %s" % (cpython(), peer))
    print("          200 labelled series (a Counter and a Gauge of 100 children each) and a")
    print("          Histogram of 10 children, the same in both libraries; best of %d" % REPEATS)
    try:
        import prometheus_client as client
    except ImportError:
        notes("prometheus_client is not installed here: figure skipped")
        print()
        return
    libs = (("prometheus_client", client), ("prometheus_express", ours))
    timers, loops, best, lines = {}, {}, {}, {}
    for name, lib in libs:
        registry = lib.CollectorRegistry()
        build_series(lib, registry)
        timers[name] = timeit.Timer(lambda lib=lib, r=registry: lib.generate_latest(r))
        lines[name] = lib.generate_latest(registry).count(b"\n")
        loops[name] = timers[name].autorange()[0]  # enough loops for >= 0.2 s
        best[name] = float("inf")
    for _ in range(REPEATS):  # interleaved, so drift hits both alike
        for name, _lib in libs:
            best[name] = min(best[name], timers[name].timeit(loops[name]) / loops[name])
    rows = [[name, "%.1f" % (best[name] * 1e6), loops[name], lines[name]] for name, _ in libs]
    table(["library", "us per call", "loops", "lines"], rows)
    speed = best["prometheus_client"] / best["prometheus_express"]
    notes(
        "us per call: what rendering this page costs each scrape, lower is better.",
        "speed ratio, client_python's time / ours: %.2fx (above 1x, ours renders faster)." % speed,
    )
    if lines["prometheus_client"] != lines["prometheus_express"]:
        notes(
            "WARNING: the bodies differ in line count (%d vs %d)"
            % (lines["prometheus_client"], lines["prometheus_express"])
        )
    print()


def main():
    figure_cpython()
    with tempfile.TemporaryDirectory(prefix="prometheus-express-bench-") as work:
        tree_sets, notes = trees.prepare(work)
        for note in notes:
            print("note: " + note)
        print()
        port_figures.figure_imports(tree_sets)
        rendered = port_figures.figure_render(tree_sets["ours"][".mpy"])
        http_load.figure_cpython_http()
        http_load.figure_micropython_http(tree_sets["ours"][".mpy"])
        remote_write_figure.figure_remote_write(tree_sets["ours"][".mpy"], rendered)


if __name__ == "__main__":
    main()
