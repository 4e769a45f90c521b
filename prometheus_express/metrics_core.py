"""Metric families for custom collectors, as client_python names them.

class Battery:
    def collect(self):
        yield GaugeMetricFamily("battery_volts", "Battery voltage", value=read_volts())
"""

from .metrics import validate_labelname, validate_metric_name
from .samples import Exemplar, NativeHistogram, Sample, Timestamp  # noqa: F401  (as 0.26)

METRIC_TYPES = (
    "counter",
    "gauge",
    "summary",
    "histogram",
    "gaugehistogram",
    "unknown",
    "info",
    "stateset",
)


class Metric:
    """One metric family and its samples."""

    def __init__(self, name, documentation, typ, unit=""):
        if unit and not name.endswith("_" + unit):
            name += "_" + unit
        validate_metric_name(name)
        self.name = name
        self.documentation = documentation
        self.unit = unit
        if typ == "untyped":
            typ = "unknown"
        if typ not in METRIC_TYPES:
            raise ValueError("Invalid metric type: %s; expected one of %s" % (typ, METRIC_TYPES))
        self.type = typ
        self.samples = []

    def add_sample(self, name, labels, value, timestamp=None, exemplar=None, native_histogram=None):
        """Add one sample; the families' add_metric is the friendlier way. A native histogram
        (a NativeHistogram) comes only this way, as in client_python."""
        self.samples.append(Sample(name, labels, value, timestamp, exemplar, native_histogram))

    def __eq__(self, other):
        return (
            isinstance(other, Metric)
            and self.name == other.name
            and self.documentation == other.documentation
            and self.type == other.type
            and self.unit == other.unit
            and self.samples == other.samples
        )

    def __repr__(self):
        return "Metric(%s, %s, %s, %s, %s)" % (
            self.name,
            self.documentation,
            self.type,
            self.unit,
            self.samples,
        )

    def _restricted_metric(self, names):
        samples = [s for s in self.samples if s.name in names]
        if samples:
            m = Metric(self.name, self.documentation, self.type)
            m.samples = samples
            return m
        return None


class _Family(Metric):
    # A family that takes either one value or label names for add_metric().
    _suffix = ""

    def __init__(self, name, documentation, typ, labels, unit=""):
        Metric.__init__(self, name, documentation, typ, unit)
        self._labelnames = tuple(labels or ())
        for label in self._labelnames:
            validate_labelname(label)

    def _labels(self, values, extra=()):
        if len(values) != len(self._labelnames):
            raise ValueError(
                "Incorrect label count: expected %d values for %s, got %d"
                % (len(self._labelnames), list(self._labelnames), len(values))
            )
        labels = dict(zip(self._labelnames, values))
        for k, v in extra:
            labels[k] = v
        return labels


def _one_of(value, labels, what="value"):
    if labels is not None and value is not None:
        raise ValueError("Can only specify at most one of %s and labels." % what)


class UnknownMetricFamily(_Family):
    def __init__(self, name, documentation, value=None, labels=None, unit=""):
        _one_of(value, labels)
        _Family.__init__(self, name, documentation, "unknown", labels, unit)
        if value is not None:
            self.add_metric([], value)

    def add_metric(self, labels, value, timestamp=None):
        self.samples.append(Sample(self.name, self._labels(labels), value, timestamp, None))


class GaugeMetricFamily(UnknownMetricFamily):
    def __init__(self, name, documentation, value=None, labels=None, unit=""):
        _one_of(value, labels)
        _Family.__init__(self, name, documentation, "gauge", labels, unit)
        if value is not None:
            self.add_metric([], value)


UntypedMetricFamily = UnknownMetricFamily  # its old name


class CounterMetricFamily(_Family):
    def __init__(
        self, name, documentation, value=None, labels=None, created=None, unit="", exemplar=None
    ):
        if name.endswith("_total"):
            name = name[:-6]
        _one_of(value, labels)
        _Family.__init__(self, name, documentation, "counter", labels, unit)
        if value is not None:
            self.add_metric([], value, created, exemplar=exemplar)

    def add_metric(self, labels, value, created=None, timestamp=None, exemplar=None):
        labels = self._labels(labels)
        self.samples.append(Sample(self.name + "_total", labels, value, timestamp, exemplar))
        if created is not None:
            self.samples.append(Sample(self.name + "_created", labels, created, timestamp, None))


class SummaryMetricFamily(_Family):
    def __init__(self, name, documentation, count_value=None, sum_value=None, labels=None, unit=""):
        if (count_value is None) != (sum_value is None):
            raise ValueError("count_value and sum_value must be provided together.")
        _one_of(count_value, labels)
        _Family.__init__(self, name, documentation, "summary", labels, unit)
        if count_value is not None:
            self.add_metric([], count_value, sum_value)

    def add_metric(self, labels, count_value, sum_value, timestamp=None):
        labels = self._labels(labels)
        self.samples.append(Sample(self.name + "_count", labels, count_value, timestamp, None))
        self.samples.append(Sample(self.name + "_sum", labels, sum_value, timestamp, None))


class HistogramMetricFamily(_Family):
    _type = "histogram"

    def __init__(self, name, documentation, buckets=None, sum_value=None, labels=None, unit=""):
        if sum_value is not None and buckets is None:
            raise ValueError("sum value cannot be provided without buckets.")
        _one_of(buckets, labels, "buckets")
        _Family.__init__(self, name, documentation, self._type, labels, unit)
        if buckets is not None:
            self.add_metric([], buckets, sum_value)

    def _buckets(self, labels, buckets, timestamp):
        for b in buckets:
            exemplar = b[2] if len(b) == 3 else None
            self.samples.append(
                Sample(
                    self.name + "_bucket",
                    self._labels(labels, (("le", b[0]),)),
                    b[1],
                    timestamp,
                    exemplar,
                )
            )

    def add_metric(self, labels, buckets, sum_value, timestamp=None):
        """buckets: (le, value) or (le, value, exemplar) pairs, sorted, ending with +Inf."""
        self._buckets(labels, buckets, timestamp)
        # Without a sum (or with negative buckets) there is no count either.
        if float(buckets[0][0]) >= 0 and sum_value is not None:
            labels = self._labels(labels)
            self.samples.append(
                Sample(self.name + "_count", labels, buckets[-1][1], timestamp, None)
            )
            self.samples.append(Sample(self.name + "_sum", labels, sum_value, timestamp, None))


class GaugeHistogramMetricFamily(HistogramMetricFamily):
    _type = "gaugehistogram"

    def __init__(self, name, documentation, buckets=None, gsum_value=None, labels=None, unit=""):
        HistogramMetricFamily.__init__(self, name, documentation, buckets, gsum_value, labels, unit)

    def add_metric(self, labels, buckets, gsum_value, timestamp=None):
        self._buckets(labels, buckets, timestamp)
        labels = self._labels(labels)
        self.samples.append(Sample(self.name + "_gcount", labels, buckets[-1][1], timestamp, None))
        self.samples.append(Sample(self.name + "_gsum", labels, gsum_value, timestamp, None))


class InfoMetricFamily(_Family):
    def __init__(self, name, documentation, value=None, labels=None):
        _one_of(value, labels)
        _Family.__init__(self, name, documentation, "info", labels)
        if value is not None:
            self.add_metric([], value)

    def add_metric(self, labels, value, timestamp=None):
        """value: a dict of label names to values."""
        for k in value:
            validate_labelname(k)
        pairs = [(k, value[k]) for k in value]
        self.samples.append(
            Sample(self.name + "_info", self._labels(labels, pairs), 1, timestamp, None)
        )


class StateSetMetricFamily(_Family):
    def __init__(self, name, documentation, value=None, labels=None):
        _one_of(value, labels)
        _Family.__init__(self, name, documentation, "stateset", labels)
        if value is not None:
            self.add_metric([], value)

    def add_metric(self, labels, value, timestamp=None):
        """value: a dict of state names to booleans."""
        for state in sorted(value):
            labels_ = self._labels(labels, ((self.name, state),))
            self.samples.append(
                Sample(self.name, labels_, 1 if value[state] else 0, timestamp, None)
            )


def describe(metric):
    """The family of one of our own metrics, without samples."""
    return [Metric(metric._name, metric._documentation, metric._type, metric._unit)]


class _Samples:
    # Takes the samples one of our metrics streams and adds them to a Metric.
    def __init__(self, family):
        self.family = family

    def child(self, names, values):
        self.names = names
        self.values = values

    om = None  # neither format: exemplars.tail() hands over the Exemplar itself

    def sample(self, suffix, value, exemplar=None, extra_label=None):
        # exemplar: what exemplars.tail() gives (an Exemplar or ""); extra_label: the
        # (name, value) extra_label.sample() adds, such as a bucket's le.
        labels = dict(zip(self.names, self.values))
        if extra_label is not None:
            labels[extra_label[0]] = extra_label[1]
        self.family.add_sample(self.family.name + suffix, labels, value, None, exemplar or None)


def collect(metric):
    """One of our own metrics as a Metric with Samples, as client_python builds it."""
    family = describe(metric)[0]
    out = _Samples(family)
    created = metric._created_on()
    kids = metric._children
    for child in list(kids) if kids is not None else (metric,):
        out.child(metric._labelnames, child._labelvalues)
        child._emit(out)
        if created and child._created is not None:
            out.sample("_created", child._created)
    return [family]


class RestrictedRegistry:
    """A view of a registry that collects only the samples with the given names."""

    def __init__(self, names, registry):
        self._name_set = set(names)
        self._registry = registry

    def collect(self):
        """As client_python's: only the collectors that produce one of the names are called
        (target_info's among them), and with support_collectors_without_names also those
        whose describe() names nothing. In registration order (client_python's is a set's)."""
        from ._port import LOCK

        names = self._name_set
        registry = self._registry
        nameless = getattr(registry, "_nameless", False)  # set only by the constructor
        chosen = []
        # Chosen under the lock, called after it: a collector is the user's code.
        with LOCK:
            owners = registry._names
            wanted = set()
            for name in names:
                if name in owners:
                    wanted.add(id(owners[name]))
            named = set(id(c) for c in owners.values()) if nameless else ()
            for collector in registry._collectors:
                if id(collector) in wanted or (nameless and id(collector) not in named):
                    chosen.append(collector)
        for collector in chosen:
            for metric in collector.collect():
                m = metric._restricted_metric(names)
                if m:
                    yield m


class _TargetInfo:
    # A registry's target_info (set_target_info()): a collector the registry keeps first in
    # its list, whose series name it holds as taken, as client_python does.
    def __init__(self, labels):
        self.labels = labels  # the dict itself: a change to it shows on the next page

    def collect(self):
        m = Metric("target", "Target metadata", "info")
        m.add_sample("target_info", self.labels, 1)
        return [m]
