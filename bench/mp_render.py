"""MicroPython: the memory a scrape of N series needs, in a fresh process.

    MICROPYPATH=<tree> micropython bench/mp_render.py N measure
    MICROPYPATH=<tree> micropython bench/mp_render.py N stream|page LO HI STEP

Prints "RESULT name value" lines; the second form finds the least free heap
the render needs, searching from LO to HI, to within STEP bytes.
write_text() streams into a 512-byte page buffer, as a socket writer would;
generate_latest() builds the page, for contrast. Runs under MicroPython only
(portable subset).
"""

import gc
import sys

import micropython
from mp_heap import fill

from prometheus_express import CollectorRegistry, Gauge, generate_latest, write_text

_SIZE = 512
BUF = bytearray(_SIZE)
fill_at = 0
pieces = 0
collect = False  # collect at every flush and record the live heap growth
base = 0
peak = 0


def flush():
    global fill_at, peak
    fill_at = 0  # a socket writer would send BUF[:fill_at] here
    if collect:
        gc.collect()
        grown = gc.mem_alloc() - base
        if grown > peak:
            peak = grown


def sink(piece):
    global fill_at, pieces
    pieces += 1
    # MicroPython: slice assignment takes bytes or array, not str; a
    # memoryview wraps the str's bytes without copying them (one small object).
    data = memoryview(piece)
    n = len(data)
    if fill_at + n < _SIZE:
        BUF[fill_at : fill_at + n] = data
        fill_at += n
        return
    at = 0
    while at < n:
        take = min(_SIZE - fill_at, n - at)
        BUF[fill_at : fill_at + take] = data[at : at + take]
        fill_at += take
        at += take
        if fill_at == _SIZE:
            flush()


class Probe:
    # Registered last, so generate_latest() calls collect() once every other
    # family is in its list of pieces, just before it joins them.
    seen = 0

    def collect(self):
        gc.collect()
        self.seen = gc.mem_alloc() - base
        return ()


def build(n):
    registry = CollectorRegistry()
    g = Gauge("bench_reading", "Sensor reading", ["sensor", "room"], registry=registry)
    for i in range(n):
        g.labels("sensor%d" % i, "room%d" % (i % 10)).set(i if i % 2 == 0 else i + 0.5)
    return registry


def stream(registry):
    write_text(sink, registry)
    flush()


def page(registry):
    generate_latest(registry)


def free_needed(render, registry, lo, hi, step):
    # The least free heap, in one block, with which render() succeeds, to
    # within step bytes. Ballast fills the rest of the heap.
    if _fits(render, registry, lo):
        lo, hi = 0, lo
    else:
        while not _fits(render, registry, hi):
            lo = hi
            hi *= 2
    while hi - lo > step:
        mid = (lo + hi) // 2
        if _fits(render, registry, mid):
            hi = mid
        else:
            lo = mid
    return hi


def _fits(render, registry, leave):
    ballast = fill(leave)
    try:
        render(registry)
        ok = True
    except MemoryError:
        ok = False
    ballast = None  # noqa: F841
    gc.collect()
    return ok


def report(name, value):
    print("RESULT", name, value)


def measure(n):
    global collect, base, pieces
    gc.collect()
    before = gc.mem_alloc()
    registry = build(n)
    gc.collect()
    report("registry_bytes", gc.mem_alloc() - before)

    # (i) first scrape: live heap growth seen at every flush
    base = gc.mem_alloc()
    collect = True
    stream(registry)
    collect = False
    report("stream_peak_live", peak)
    report("pieces", pieces)

    # (ii) allocation churn: everything allocated, nothing collected
    gc.collect()
    pieces = 0
    gc.disable()
    before = gc.mem_alloc()
    stream(registry)
    churn = gc.mem_alloc() - before
    gc.enable()
    calls = pieces
    # the sink's own share: as many calls with a short piece
    probe = "%d" % n
    gc.collect()
    gc.disable()
    before = gc.mem_alloc()
    for _ in range(calls):
        sink(probe)
    sink_cost = gc.mem_alloc() - before
    gc.enable()
    flush()
    report("stream_churn", churn - sink_cost)
    report("sink_churn", sink_cost)

    # (iii) generate_latest: live growth before the join, the page kept, mem_peak
    probe = Probe()
    registry.register(probe)
    page(registry)  # warm, as the stream above was
    gc.collect()
    base = gc.mem_alloc()
    current = micropython.mem_current()
    body = generate_latest(registry)
    grown = micropython.mem_peak() - current
    gc.collect()
    report("page_live_before_join", probe.seen)
    report("page_held", gc.mem_alloc() - base)
    report("page_bytes", len(body))
    report("page_mem_peak", grown)


def main():
    n = int(sys.argv[1])
    if sys.argv[2] == "measure":
        measure(n)
        return
    render = stream if sys.argv[2] == "stream" else page
    lo, hi, step = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    registry = build(n)
    render(registry)  # warm: the first scrape's own costs are measured above
    report("free_needed", free_needed(render, registry, lo, hi, step))


if __name__ == "__main__":  # mp_remote_write.py imports its build() and free_needed()
    main()
