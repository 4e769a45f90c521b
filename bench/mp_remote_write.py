"""MicroPython: what one remote-write send of N series costs, in a fresh process.

    MICROPYPATH=<tree> micropython bench/mp_remote_write.py PORT N measure
    MICROPYPATH=<tree> micropython bench/mp_remote_write.py PORT N free LO HI STEP

Sends mp_render.py's registry (a Gauge with N labelled children) with remote_write() to the
receiver on 127.0.0.1:PORT, path /write/N. Prints "RESULT name value" lines. measure: the page's
and the registry's bytes, what importing remote_write keeps, the live heap growth seen at each
socket call of a send (peak live) and the median time of a send. free: the least free heap, in
one block, a send runs in, searched from LO to HI to within STEP bytes, as mp_render.py searches
a scrape's. Runs under MicroPython only (portable subset).
"""

import gc
import socket
import sys
import time

from mp_render import build, free_needed, report

from prometheus_express import generate_latest

TIMES = 5  # sends timed; the median is reported

base = 0
peak = 0


def look():
    global peak
    gc.collect()
    grown = gc.mem_alloc() - base
    if grown > peak:
        peak = grown


class Watched:
    # A socket that records the live heap growth each time the library sends or receives.

    def __init__(self, sock):
        self.sock = sock

    def settimeout(self, seconds):
        self.sock.settimeout(seconds)

    def connect(self, address):
        self.sock.connect(address)

    def send(self, data):
        look()
        return self.sock.send(data)

    def recv(self, n):
        look()
        return self.sock.recv(n)

    def close(self):
        self.sock.close()


class WatchedPool:
    # The socket module, as remote_write's socket_pool=, handing out Watched sockets.
    SOCK_STREAM = socket.SOCK_STREAM

    def getaddrinfo(self, host, port):
        return socket.getaddrinfo(host, port)

    def socket(self, family, kind):
        return Watched(socket.socket(family, kind))


def main():
    global base
    port, n, how = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    url = "http://127.0.0.1:%d/write/%d" % (port, n)
    gc.collect()
    before = gc.mem_alloc()
    registry = build(n)
    gc.collect()
    registry_bytes = gc.mem_alloc() - before
    from prometheus_express.remote_write import remote_write

    gc.collect()
    module_bytes = gc.mem_alloc() - before - registry_bytes

    def send(registry, pool=None):
        try:
            remote_write(url, registry, job="bench", instance="port", socket_pool=pool)
        except OSError as e:  # connect() failing for want of memory comes as an OSError
            if "memory" in str(e):
                raise MemoryError from None
            raise

    send(registry)  # warm: loads what the first send loads (the version, lazy methods)
    if how == "free":
        lo, hi, step = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
        report("free_needed", free_needed(send, registry, lo, hi, step))
        return
    report("registry_bytes", registry_bytes)
    report("module_bytes", module_bytes)
    report("page_bytes", len(generate_latest(registry)))
    pool = WatchedPool()
    gc.collect()
    base = gc.mem_alloc()
    send(registry, pool)
    report("peak_live", peak)
    times = []
    for _ in range(TIMES):
        start = time.ticks_us()
        send(registry)
        times.append(time.ticks_diff(time.ticks_us(), start))
    times.sort()
    report("send_us", times[TIMES // 2])


main()
