"""Sample, Exemplar and NativeHistogram: the tuples metric families are made of.

Sample("boots_total", {}, 3)   # timestamp, exemplar and native_histogram default to None
"""

from collections import namedtuple

_SAMPLE = ("name", "labels", "value", "timestamp", "exemplar", "native_histogram")
_EXEMPLAR = ("labels", "value", "timestamp")
# Native histograms are experimental in client_python too.
_NATIVE_HISTOGRAM = (
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
)

BucketSpan = namedtuple("BucketSpan", ("offset", "length"))

try:
    # The trailing fields default to None, as in client_python.
    Sample = namedtuple("Sample", _SAMPLE, defaults=(None, None, None))
    Exemplar = namedtuple("Exemplar", _EXEMPLAR, defaults=(None,))
    NativeHistogram = namedtuple("NativeHistogram", _NATIVE_HISTOGRAM, defaults=(None,) * 5)
except TypeError:
    # MicroPython and CircuitPython: namedtuple() takes no defaults, and the class it makes has
    # no __new__ to override. A subclass's __init__ fills the defaults in and builds the tuple
    # through super().__init__(), which constructs the native base from those arguments
    # (positional only: older ports drop keywords there).

    class Sample(namedtuple("Sample", _SAMPLE)):
        def __init__(
            self, name, labels, value, timestamp=None, exemplar=None, native_histogram=None
        ):
            super().__init__(name, labels, value, timestamp, exemplar, native_histogram)

    class Exemplar(namedtuple("Exemplar", _EXEMPLAR)):
        def __init__(self, labels, value, timestamp=None):
            super().__init__(labels, value, timestamp)

    class NativeHistogram(namedtuple("NativeHistogram", _NATIVE_HISTOGRAM)):
        def __init__(
            self,
            count_value,
            sum_value,
            schema,
            zero_threshold,
            zero_count,
            pos_spans=None,
            neg_spans=None,
            pos_deltas=None,
            neg_deltas=None,
            nh_exemplars=None,
        ):
            super().__init__(
                count_value,
                sum_value,
                schema,
                zero_threshold,
                zero_count,
                pos_spans,
                neg_spans,
                pos_deltas,
                neg_deltas,
                nh_exemplars,
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
