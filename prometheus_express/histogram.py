"""Summary and Histogram: metrics that observe amounts, such as durations.

h = Histogram("read_seconds", "Sensor read time", buckets=(0.01, 0.1, 1))
h.observe(0.05)
"""

from ._port import BOARD, LOCK
from .exposition import INF, floatToGoString
from .extra_label import sample
from .metrics import MetricWrapperBase, _add
from .registry import REGISTRY


class _Observer(MetricWrapperBase):
    def _check(self, amount):
        # Before anything changes: a bad amount leaves the count, sum and buckets as they were.
        self._raise_if_not_observable()
        if not isinstance(amount, (int, float)):  # as client_python: a str is no amount
            raise TypeError("%s observes numbers, not %r" % (self, amount))
        if amount != amount:  # OpenMetrics forbids a NaN _sum
            raise ValueError("Cannot observe NaN in %s" % self)

    def time(self):
        """Observe the duration of a block or function in seconds."""
        from .context_managers import Timer

        return Timer(self, "observe")


class Summary(_Observer):
    """Count and sum of observations, such as request sizes.

    s = Summary("payload_bytes", "Payload size")
    s.observe(512)
    """

    _type = "summary"
    _reserved_labelnames = ("quantile",)
    _has_created = True

    def _metric_init(self):
        MetricWrapperBase._metric_init(self)
        self._count = 0
        self._sum = 0

    def observe(self, amount):
        """Record one observation."""
        self._check(amount)
        with LOCK:
            self._count += 1
            self._sum = _add(self._sum, amount)

    def _emit(self, out):
        with LOCK:  # count and sum of the same observations
            count = self._count
            total = self._sum
        out.sample("_count", count)
        out.sample("_sum", total)


class Histogram(_Observer):
    """Observations counted in buckets, for quantiles across many boards.

    h = Histogram("read_seconds", "Sensor read time", buckets=(0.01, 0.1, 1))
    h.observe(0.05)
    """

    _type = "histogram"
    _reserved_labelnames = ("le",)
    _has_created = True
    DEFAULT_BUCKETS = (
        0.005,
        0.01,
        0.025,
        0.05,
        0.075,
        0.1,
        0.25,
        0.5,
        0.75,
        1.0,
        2.5,
        5.0,
        7.5,
        10.0,
        INF,
    )

    def __init__(
        self,
        name,
        documentation,
        labelnames=(),
        namespace="",
        subsystem="",
        unit="",
        registry=REGISTRY,
        buckets=DEFAULT_BUCKETS,
    ):
        # Int bounds stay ints: a board's float would round 16777217 to 16777216.
        bounds = [b if type(b) is int else float(b) for b in buckets]
        for i in range(1, len(bounds)):
            if not bounds[i - 1] < bounds[i]:
                raise ValueError(
                    "Buckets not in sorted order: %r must increase strictly" % (bounds,)
                )
        if bounds and bounds[-1] != INF:
            bounds.append(INF)
        if len(bounds) < 2:
            raise ValueError("Must have at least two buckets")
        self._upper_bounds = tuple(bounds)
        self._le = tuple(floatToGoString(b) for b in bounds)
        MetricWrapperBase.__init__(
            self, name, documentation, labelnames, namespace, subsystem, unit, registry
        )

    def _metric_init(self):
        MetricWrapperBase._metric_init(self)
        self._counts = [0] * len(self._parent._upper_bounds)
        self._sum = 0

    _exemplars = None  # a list, one per bucket, once an observation brings an exemplar

    def observe(self, amount, exemplar=None):
        """Record one observation in its bucket; exemplar: {label: value} to write with that
        bucket in OpenMetrics."""
        self._check(amount)
        if exemplar:
            from .exemplars import make

            exemplar = make(exemplar, amount)
        bounds = self._parent._upper_bounds
        with LOCK:
            self._sum = _add(self._sum, amount)
            for i in range(len(bounds)):
                if amount <= bounds[i]:
                    self._counts[i] += 1
                    if exemplar:
                        if self._exemplars is None:
                            self._exemplars = [None] * len(bounds)
                        self._exemplars[i] = exemplar
                    break

    def _emit(self, out):
        parent = self._parent
        le = parent._le
        with LOCK:  # buckets and sum of the same observations
            counts = list(self._counts)
            amount = self._sum
            exemplars = self._exemplars and list(self._exemplars)
        if exemplars:
            from .exemplars import tail
        total = 0
        for i in range(len(counts)):
            total += counts[i]
            if exemplars:
                sample(out, "_bucket", total, "le", le[i], tail(out, exemplars[i]))
            else:
                sample(out, "_bucket", total, "le", le[i])
        # A negative bucket makes the sum meaningless, and OpenMetrics has _count
        # only beside _sum: both go, as client_python's HistogramMetricFamily does.
        if parent._upper_bounds[0] >= 0:
            out.sample("_count", total)
            out.sample("_sum", amount)


if not BOARD:  # dir() and help() list every method
    from .methods import attach

    attach(Summary)
    attach(Histogram)
