"""Sample and Exemplar: the tuples metric families are made of.

Sample("boots_total", {}, 3, None, None)
"""

from collections import namedtuple

# Every field is positional: MicroPython's namedtuple has no defaults.
Sample = namedtuple("Sample", ("name", "labels", "value", "timestamp", "exemplar"))
Exemplar = namedtuple("Exemplar", ("labels", "value", "timestamp"))

# Native histograms (experimental in client_python too); only the OpenMetrics parser makes them.
BucketSpan = namedtuple("BucketSpan", ("offset", "length"))
NativeHistogram = namedtuple(
    "NativeHistogram",
    (
        "count_value",
        "sum_value",
        "schema",
        "zero_threshold",
        "zero_count",
        "pos_spans",
        "neg_spans",
        "pos_deltas",
        "neg_deltas",
        "nh_exemplars",
    ),
)


class Timestamp:
    """A timestamp to the nanosecond, as the OpenMetrics parser reads "123.456"."""

    def __init__(self, sec, nsec):
        if nsec < 0 or nsec >= 1000000000:
            raise ValueError("Invalid value for nanoseconds in Timestamp: %s" % (nsec,))
        if sec < 0:
            nsec = -nsec
        self.sec = int(sec)
        self.nsec = int(nsec)

    def __str__(self):
        return "%d.%09d" % (self.sec, self.nsec)

    def __repr__(self):
        return "Timestamp(%d, %d)" % (self.sec, self.nsec)

    def __float__(self):
        return float(self.sec) + float(self.nsec) / 1e9

    def __eq__(self, other):
        return isinstance(other, Timestamp) and self.sec == other.sec and self.nsec == other.nsec

    def __ne__(self, other):
        return not self == other

    # Ordered against other Timestamps only, as in client_python.
    def __gt__(self, other):
        return self.nsec > other.nsec if self.sec == other.sec else self.sec > other.sec

    def __lt__(self, other):
        return self.nsec < other.nsec if self.sec == other.sec else self.sec < other.sec
