"""Push, pushadd or delete a known registry; on CPython and on the MicroPython unix port.

    micropython tests/live/mp_push.py ACTION GATEWAY JOB VARIANT GROUPING_JSON \
        [user:password [TIMEOUT [ipv6-first]]]

ACTION is push, pushadd or delete; VARIANT names a registry of build(); ipv6-first pushes
through IPv6First. Prints "ok", or "error: " and the exception's message. test_pushgateway.py
also imports build() and run() on CPython.
Only the subset MicroPython runs: no f-strings, no pytest.
"""

import json
import sys

from prometheus_express import CollectorRegistry, Counter, Gauge
from prometheus_express.histogram import Histogram, Summary


def build(variant, registry=None):
    """A registry with fixed values (only the counters' _created differ from run to run)."""
    r = CollectorRegistry() if registry is None else registry
    if variant == "full":  # every kind, and a page several times the push buffer: chunked
        g = Gauge("board_temperature_celsius", "Board temperature.", ["sensor"], registry=r)
        for i in range(200):
            g.labels("sensor_%d" % i).set(20 + i / 4)
        Counter("board_boots", "Boots since flashing.", registry=r).inc(3)
        h = Histogram("loop_seconds", "Main loop time.", buckets=(0.01, 0.1, 1), registry=r)
        for v in (0.005, 0.05, 0.5, 5):
            h.observe(v)
        s = Summary("payload_bytes", "Payload sizes.", ["kind"], registry=r)
        s.labels('a\\b "quoted"\nline').observe(512)
    elif variant == "ab":
        Gauge("a_metric", "A.", registry=r).set(1)
        Gauge("b_metric", "B.", registry=r).set(2)
    elif variant == "b":
        Gauge("b_metric", "B.", registry=r).set(3)
    elif variant == "a_summary":  # a_metric again, of another type: the gateway says 400
        Summary("a_metric", "A.", registry=r).observe(1)
    else:
        raise ValueError("unknown variant %r" % variant)
    return r


class IPv6First:
    """The socket module, except that getaddrinfo gives ::1, then 127.0.0.1, for any name: what
    "localhost" gives on a host whose /etc/hosts lists ::1 first (whatever this host's lists).
    A gateway that listens on 127.0.0.1 only is then reached at the second address: ::1
    refuses (or, on a host without IPv6, cannot be had)."""

    def __init__(self):
        import socket

        self.module = socket
        self.socket = socket.socket
        self.SOCK_STREAM = socket.SOCK_STREAM

    def getaddrinfo(self, host, port, *rest):
        get = self.module.getaddrinfo
        return get("::1", port) + get("127.0.0.1", port)


def run(action, gateway, job, variant, grouping_key, auth=None, timeout=10, pool=None):
    """Do one call; "ok" or "error: <message>". pool: None, or "ipv6-first"."""
    from prometheus_express import delete_from_gateway, push_to_gateway, pushadd_to_gateway

    pool = IPv6First() if pool == "ipv6-first" else None
    try:
        if action == "delete":
            delete_from_gateway(gateway, job, grouping_key, timeout, auth=auth, socket_pool=pool)
        else:
            call = push_to_gateway if action == "push" else pushadd_to_gateway
            registry = build(variant)
            call(gateway, job, registry, grouping_key, timeout, auth=auth, socket_pool=pool)
    except OSError as e:
        return "error: %s" % e
    return "ok"


def main(argv):
    auth = tuple(argv[5].split(":", 1)) if len(argv) > 5 and argv[5] else None
    timeout = float(argv[6]) if len(argv) > 6 else 10
    pool = argv[7] if len(argv) > 7 else None
    print(run(argv[0], argv[1], argv[2], argv[3], json.loads(argv[4]), auth, timeout, pool))


if __name__ == "__main__":
    main(sys.argv[1:])
