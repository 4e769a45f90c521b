"""Remote-write a known registry; on CPython and on the MicroPython unix port.

    micropython tests/live/mp_remote_write.py OPTIONS_JSON          # one remote_write() call
    micropython tests/live/mp_remote_write.py OPTIONS_JSON session  # a RemoteWriter, on stdin

OPTIONS_JSON: {"url": URL, "variant": "full", "job": ..., "instance": ..., "auth": [user,
password], "ca": {"pem": PATH, "der": PATH}, "keep": N}; all but url and variant optional.
Each send prints one line: "ok BEFORE AFTER" (the wall clock in ms just before and just after
the call) or "error: " and the OSError's message. In a session every stdin line "send VALUE"
sets the gauge rw_round to VALUE and sends, in a later wall-clock second than the send before
(so no two rounds share a timestamp, whatever the library's clock resolution); "quit" ends it.
test_remote_write.py imports build(), run() and Session on CPython (the library is imported
when first used, so build() serves the tests that need no remote_write).
Only the subset MicroPython runs: no f-strings, no pytest.
"""

import json
import sys
import time

from prometheus_express import CollectorRegistry, Counter, Gauge
from prometheus_express.histogram import Histogram

# A label value the text page must escape (backslash, quote, newline) and a non-ASCII letter.
AWKWARD = 'a\\b "q"\nline \u00e9'


class OldSample:
    """A collector whose one sample carries its own timestamp, from 1970: out of bounds."""

    def collect(self):
        from prometheus_express.metrics_core import GaugeMetricFamily

        family = GaugeMetricFamily("rw_old", "A sample from 1970.", labels=["at"])
        family.add_metric(["1000.5 s"], 5, timestamp=1000.5)
        yield family


def build(variant, registry=None):
    """A registry with fixed values (only the _created samples differ from run to run)."""
    r = CollectorRegistry() if registry is None else registry
    if variant == "full":
        boots = Counter("rw_boots", "Boots by reason.", ["reason"], registry=r)
        boots.labels("power").inc(3)
        boots.labels("watchdog").inc(2)
        t = Gauge("rw_temperature_celsius", "Temperature.", ["sensor"], registry=r)
        t.labels("in").set(21.5)
        t.labels("out").set(-3.25)
        t.labels(AWKWARD).set(0.001)
        big = Gauge("rw_big", "Integers a double holds exactly.", ["which"], registry=r)
        big.labels("2^53").set(2**53)
        big.labels("2^53+2").set(2**53 + 2)
        big.labels("123456789").set(123456789)
        big.labels("1e10").set(10**10)
        special = Gauge("rw_special", "Values that are not numbers.", ["kind"], registry=r)
        special.labels("inf").set(float("inf"))
        special.labels("-inf").set(float("-inf"))
        special.labels("nan").set(float("nan"))
        own = Gauge("rw_own", "Has its own instance label.", ["instance"], registry=r)
        own.labels("own").set(1)
        h = Histogram("rw_loop_seconds", "Loop time.", buckets=(0.1, 0.5, 1), registry=r)
        for v in (0.0625, 0.25, 0.75, 4):  # sums exactly in binary: 5.0625
            h.observe(v)
    elif variant == "b":
        Gauge("rw_b", "B.", registry=r).set(3)
    elif variant == "old":
        r.register(OldSample())
    else:
        raise ValueError("unknown variant %r" % variant)
    return r


def ssl_context(ca):
    """A client context that trusts only the CA of ca ({"pem": path, "der": path})."""
    import ssl

    if sys.implementation.name == "micropython":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        with open(ca["der"], "rb") as f:
            # The unix port's mbedTLS is built without PEM parsing: DER, or "invalid cert".
            context.load_verify_locations(cadata=f.read())
        # MicroPython's client context verifies nothing until told to, even with a CA loaded.
        context.verify_mode = ssl.CERT_REQUIRED
        return context
    return ssl.create_default_context(cafile=ca["pem"])


def _arguments(options):
    auth = options.get("auth")
    ca = options.get("ca")
    return {
        "job": options.get("job"),
        "instance": options.get("instance"),
        "auth": tuple(auth) if auth else None,
        "ssl_context": ssl_context(ca) if ca else None,
    }


def _ms():
    return time.time_ns() // 1000000


def _timed(call):
    before = _ms()
    try:
        call()
    except OSError as e:
        return "error: %s" % e
    return "ok %d %d" % (before, _ms())


def run(options):
    """One remote_write() of the variant's registry: the line main() prints."""
    from prometheus_express.remote_write import remote_write

    registry = build(options["variant"])
    arguments = _arguments(options)
    return _timed(lambda: remote_write(options["url"], registry, **arguments))


class Session:
    """A RemoteWriter and the rw_round gauge it sends."""

    def __init__(self, options):
        from prometheus_express.remote_write import RemoteWriter

        self.registry = CollectorRegistry()
        self.gauge = Gauge("rw_round", "The round's value.", registry=self.registry)
        arguments = _arguments(options)
        self.writer = RemoteWriter(options["url"], keep=options.get("keep", 0), **arguments)
        self.second = None

    def send(self, value):
        while int(time.time()) == self.second:  # rounds in distinct seconds
            time.sleep(0.05)
        self.second = int(time.time())
        self.gauge.set(value)
        return _timed(lambda: self.writer.send(self.registry))


def main(argv):
    options = json.loads(argv[0])
    if len(argv) < 2:
        print(run(options))
        return
    session = Session(options)
    while True:
        line = sys.stdin.readline().strip()
        if not line or line == "quit":
            return
        command, value = line.split(" ", 1)
        if command != "send":
            raise ValueError("unknown command %r" % line)
        print(session.send(int(value)))


if __name__ == "__main__":
    main(sys.argv[1:])
