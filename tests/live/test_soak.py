"""Soak: 10,000 requests to the MicroPython unix port's exporter, mostly scrapes, with every
hostile client of test_loopback interleaved. The server must stay up and quiet (no traceback),
end with only its listener open, and keep its heap flat after gc.collect().
"""

import random
import time

import live

REQUESTS = 10000
HOSTILE_SHARE = 0.1
HEAP_SLACK = 1024  # bytes the heap may differ between the first and the last thousand requests
# Most take a few ms; a few per thousand hold the server for its timeouts.
WEIGHTS = {
    "connect_and_close": 14,
    "binary_garbage": 10,
    "tls_client_hello": 10,
    "malformed": 20,
    "post_16k": 10,
    "pipelined": 10,
    "half_close": 10,
    "no_crlf_64k": 5,
    "rst_mid_response": 5,
    "one_byte_pieces": 5,
    "slowloris": 1,
    "idle_connect": 1,
    "never_reads": 1,
    "concurrent_idle_32": 0.5,  # each costs a SYN retry (1 s): the listen queue is short
    "concurrent_scrapes": 3,
    "request_then_rst": 5,
    "http10_and_head": 3,
}


def _hostile(kind, server, rng):
    port, limits = server.port, server.limits
    if kind == "malformed":  # one broken request per turn
        live.malformed(port, limits, [rng.choice(live.MALFORMED)])
    elif kind == "post_16k":
        live.post_once(port, rng.random() < 0.5)
    elif kind == "binary_garbage":
        live.binary_garbage(port, limits, rng.randrange(1 << 30))
    elif kind == "one_byte_pieces":
        live.one_byte_pieces(port, limits, pause=0)
    elif kind == "concurrent_scrapes":  # two Prometheus replicas, or three
        live.concurrent_scrapes(port, limits, rng.choice((2, 3)))
    elif kind == "never_reads":  # the scrape after it shows when the server gave up on it
        live.never_reads(port, limits, server)
    elif kind == "concurrent_idle_32":
        live.concurrent_idle(port, limits, then=lambda: live.scrape(server))
    else:
        live.CASES[kind](port, limits)


def test_soak_micropython():
    rng = random.Random(20240601)
    kinds = sorted(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    with live.running(
        # read_timeout: a loaded machine may stall this process between connect and request.
        "micropython",
        read_timeout=1.0,
        write_timeout=0.3,
        big=16,
        report=1000,
        preload=1,
    ) as server:
        request = live.prometheus_request(server.port)
        first = live.scrape(server)  # checked in full; later scrapes must equal it
        started = time.monotonic()
        counts = {}
        seconds = {}
        recent = []
        for i in range(REQUESTS):
            kind = rng.choices(kinds, weights)[0] if rng.random() < HOSTILE_SHARE else "scrape"
            counts[kind] = counts.get(kind, 0) + 1
            recent = recent[-4:] + [kind]
            began = time.monotonic()
            try:
                if kind != "scrape":
                    _hostile(kind, server, rng)
                elif i % 500 == 0:
                    live.scrape(server)
                else:
                    raw, reset = live.exchange(server.port, request)
                    response = live.parse_response(raw)
                    assert response.status == 200, "status %d" % response.status
                    assert response.headers == first.headers, response.headers
                    assert response.body == first.body, "page changed: %r" % response.body[-200:]
                    assert not reset and not response.rest, (reset, response.rest[:100])
                    if i % 100 == 0:
                        server.check_alive()
            except BaseException as e:
                e.add_note(
                    "soak request %d after %.1f s; this and the cases before: %s"
                    % (i, time.monotonic() - started, recent[::-1])
                )
                raise
            seconds[kind] = seconds.get(kind, 0.0) + time.monotonic() - began
        elapsed = time.monotonic() - started
        live.scrape(server)
        # Silent clients leave after the read_timeout; then only the listener is open.
        sockets = server.wait_sockets(1, server.limits.read_timeout + 3)
        assert sockets == 1, "after the soak the server holds %d sockets" % sockets
        server.check_alive()
        final = server.stop()
        reports = server.heap_reports()
    # mem_peak on the unix port never goes down when the GC frees (only explicit frees count):
    # it is close to the bytes allocated so far, so its slope is the allocation per request.
    print("soak: %d requests in %.1f s" % (REQUESTS, elapsed))
    for kind in sorted(counts, key=seconds.get, reverse=True):
        print("  %-20s %5d requests %6.1f s" % (kind, counts[kind], seconds[kind]))
    print("  (answered, gc.mem_alloc, mem_peak): %s; final %s" % (reports, final))
    assert len(reports) >= 9, "expected a heap report per 1000 answers: %s" % reports
    early, late = reports[0][1], reports[-1][1]
    assert abs(late - early) <= HEAP_SLACK, (
        "heap after gc.collect(): %d bytes after %d answers, %d after %d"
        % (early, reports[0][0], late, reports[-1][0])
    )
