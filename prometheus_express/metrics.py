"""Counter, Gauge, Summary, Histogram, Info and Enum, with client_python's API.

    c = Counter("reads", "Sensor reads", ["sensor"])
    c.labels("bme280").inc()
"""

from ._port import new_lock, unix_time, wall_time
from .context_managers import ExceptionCounter, InprogressTracker, Timer
from .registry import REGISTRY
from .utils import INF, floatToGoString
from .validation import validate_labelname, validate_metric_name

# One lock for every value: CPython's exporter thread reads while the program
# writes. A lock per value would cost RAM on a board for nothing.
_LOCK = new_lock()
_use_created = True


def disable_created_metrics():
    """Stop exporting _created samples of counters, histograms and summaries."""
    global _use_created
    _use_created = False


def enable_created_metrics():
    """Export _created samples again."""
    global _use_created
    _use_created = True


def _build_full_name(metric_type, name, namespace, subsystem, unit):
    if not name:
        raise ValueError("Metric name should not be empty")
    full_name = ""
    if namespace:
        full_name += namespace + "_"
    if subsystem:
        full_name += subsystem + "_"
    full_name += name
    if metric_type == "counter" and full_name.endswith("_total"):
        full_name = full_name[:-6]
    if unit and not full_name.endswith("_" + unit):
        full_name += "_" + unit
    if unit and metric_type in ("info", "stateset"):
        raise ValueError("Metric name is of a type that cannot have a unit: " + full_name)
    validate_metric_name(full_name)
    return full_name


def _add(value, amount):
    # Integers stay exact while every update is an integer; a board's float
    # has only 22 to 30 bits.
    if isinstance(value, int) and isinstance(amount, int):
        return value + amount
    return value + float(amount)


def _number(value):
    return value if isinstance(value, (int, float)) else float(value)


def _str_values(values):
    for v in values:
        if not isinstance(v, str):
            return tuple(str(v) for v in values)
    return values


class MetricWrapperBase:
    """What every metric shares: naming, labels and children, registration.

    A metric without label names holds its value itself. With label names it
    is a parent: labels() returns a cached child of the same class, and the
    value lives only on the children.
    """

    _type = None
    _reserved_labelnames = ()
    _has_created = False
    _labelnames = ()
    _labelvalues = ()
    _order = ()  # label indexes in name order, as the formats sort them
    _children = None  # a list on a parent: the children in creation order

    def __init__(
        self,
        name,
        documentation,
        labelnames=(),
        namespace="",
        subsystem="",
        unit="",
        registry=REGISTRY,
    ):
        self._name = _build_full_name(self._type, name, namespace, subsystem, unit)
        if not isinstance(documentation, str):
            raise TypeError("documentation must be a str, not %s" % type(documentation).__name__)
        self._documentation = documentation
        self._unit = unit
        labelnames = tuple(labelnames)
        for i, label in enumerate(labelnames):
            validate_labelname(label, self._reserved_labelnames)
            if label in labelnames[:i]:
                raise ValueError("Duplicate label name %r in %s" % (label, self._name))
        self._prepare()
        self._parent = self
        if labelnames:
            self._labelnames = labelnames
            self._order = tuple(sorted(range(len(labelnames)), key=lambda i: labelnames[i]))
            self._metrics = {}
            self._children = []
        else:
            self._metric_init()
        if registry:
            registry.register(self)

    def _prepare(self):
        # Validates and stores what a type adds to the constructor.
        pass

    def __str__(self):
        return "%s:%s" % (self._type, self._parent._name)

    def __repr__(self):
        return "%s.%s(%s)" % (__name__, type(self).__name__, self._parent._name)

    def _raise_if_not_observable(self):
        if self._children is not None:
            raise ValueError(
                "%s metric is missing label values: call labels() first" % self._type
            )

    def labels(self, *labelvalues, **labelkwargs):
        """Return the child for the given label values, creating it once."""
        if self._labelvalues:
            raise ValueError(
                "%s already has labels set %s; can not chain calls to .labels()"
                % (self, self._labelvalues)
            )
        if not self._labelnames:
            raise ValueError("No label names were set when constructing %s" % self)
        if labelvalues and labelkwargs:
            raise ValueError("Can't pass both *args and **kwargs")
        names = self._labelnames
        if labelkwargs:
            if sorted(labelkwargs) != sorted(names):
                raise ValueError(
                    "Incorrect label names: expected %s, got %s" % (list(names), sorted(labelkwargs))
                )
            labelvalues = tuple(labelkwargs[n] for n in names)
        elif len(labelvalues) != len(names):
            raise ValueError(
                "Incorrect label count: expected %d values for %s, got %d"
                % (len(names), list(names), len(labelvalues))
            )
        labelvalues = _str_values(labelvalues)
        child = self._metrics.get(labelvalues)
        if child is None:
            with _LOCK:
                child = self._metrics.get(labelvalues)
                if child is None:
                    child = object.__new__(type(self))
                    child._parent = self
                    child._labelvalues = labelvalues
                    child._metric_init()
                    self._metrics[labelvalues] = child
                    self._children.append(child)
        return child

    def _check_parent(self):
        if self._labelvalues:
            raise ValueError("%s is a child; call this on its parent" % self)
        if not self._labelnames:
            raise ValueError("No label names were set when constructing %s" % self)

    def remove(self, *labelvalues):
        """Remove the child with the given label values, if there is one."""
        self._check_parent()
        if len(labelvalues) != len(self._labelnames):
            raise ValueError(
                "Incorrect label count (expected %d, got %s)" % (len(self._labelnames), labelvalues)
            )
        with _LOCK:
            child = self._metrics.pop(_str_values(labelvalues), None)
            if child is not None:
                self._children.remove(child)

    def remove_by_labels(self, labels):
        """Remove every child whose labels include all of the given ones."""
        self._check_parent()
        if not isinstance(labels, dict):
            raise TypeError("labels must be a dict of {label_name: label_value}")
        names = self._labelnames
        for k in labels:
            if k not in names:
                raise ValueError("Unknown label names: %s; expected %s" % (k, list(names)))
        want = [(names.index(k), str(labels[k])) for k in labels]
        with _LOCK:
            for child in list(self._children):
                values = child._labelvalues
                if all(values[i] == v for i, v in want):
                    del self._metrics[values]
                    self._children.remove(child)

    def clear(self):
        """Remove every child."""
        if self._children is not None:
            with _LOCK:
                self._metrics = {}
                self._children = []

    def _created_on(self):
        return self._has_created and _use_created

    def _metric_init(self):
        # Sets up the value of an unlabelled metric or of a child.
        self._created = wall_time() if self._has_created else None

    def describe(self):
        from .metrics_core import Metric

        return [Metric(self._name, self._documentation, self._type, self._unit)]

    def collect(self):
        """The metric family with its samples, as client_python builds it."""
        family = self.describe()[0]
        out = _Samples(family, self._labelnames)
        for child in self._children if self._children is not None else (self,):
            out.values = child._labelvalues
            child._emit(out)
            if self._created_on() and child._created is not None:
                out.sample("_created", child._created)
        return [family]


class _Samples:
    # Receives a child's samples and adds them to a Metric, for collect().
    def __init__(self, family, names):
        self.family = family
        self.names = names
        self.values = ()

    def sample(self, suffix, value, xname=None, xvalue=None, extra=None):
        labels = dict(zip(self.names, self.values))
        if xname is not None:
            labels[xname] = xvalue
        if extra:
            labels.update(extra)
        self.family.add_sample(self.family.name + suffix, labels, value, None, None)


class Counter(MetricWrapperBase):
    """A count that only goes up: events, bytes, errors.

    c = Counter("wifi_reconnects", "Wi-Fi reconnections")
    c.inc()
    """

    _type = "counter"
    _has_created = True

    def _metric_init(self):
        MetricWrapperBase._metric_init(self)
        self._value = 0

    def inc(self, amount=1):
        """Increment by amount, which must not be negative."""
        self._raise_if_not_observable()
        if amount < 0:
            raise ValueError(
                "Counters can only be incremented by non-negative amounts, not %r" % (amount,)
            )
        with _LOCK:
            self._value = _add(self._value, amount)

    def reset(self):
        """Set to zero, as if the process had restarted."""
        self._raise_if_not_observable()
        with _LOCK:
            self._value = 0
            self._created = wall_time()

    def count_exceptions(self, exception=Exception):
        """Count exceptions raised out of a block or function (context manager or decorator)."""
        self._raise_if_not_observable()
        return ExceptionCounter(self, exception)

    def _emit(self, out):
        out.sample("_total", self._value)


class Gauge(MetricWrapperBase):
    """A value that goes up and down: temperature, free heap, queue length.

    g = Gauge("temperature_celsius", "Air temperature")
    g.set(21.5)
    """

    _type = "gauge"
    _function = None

    def _metric_init(self):
        self._value = 0

    def inc(self, amount=1):
        """Increment by amount."""
        self._raise_if_not_observable()
        with _LOCK:
            self._value = _add(self._value, amount)

    def dec(self, amount=1):
        """Decrement by amount."""
        self._raise_if_not_observable()
        with _LOCK:
            self._value = _add(self._value, -amount)

    def set(self, value):
        """Set to value."""
        self._raise_if_not_observable()
        self._value = _number(value)

    def set_to_current_time(self):
        """Set to the current Unix time in seconds."""
        self.set(unix_time())

    def track_inprogress(self):
        """Add one while a block or function runs (context manager or decorator)."""
        self._raise_if_not_observable()
        return InprogressTracker(self)

    def time(self):
        """Set to the duration of a block or function in seconds."""
        return Timer(self, "set")

    def set_function(self, f):
        """Take the value from f() at every collection."""
        self._raise_if_not_observable()
        self._function = f

    def _emit(self, out):
        f = self._function
        out.sample("", self._value if f is None else _number(f()))


class Summary(MetricWrapperBase):
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
        self._raise_if_not_observable()
        with _LOCK:
            self._count += 1
            self._sum = _add(self._sum, amount)

    def time(self):
        """Observe the duration of a block or function in seconds."""
        return Timer(self, "observe")

    def _emit(self, out):
        out.sample("_count", self._count)
        out.sample("_sum", self._sum)


class Histogram(MetricWrapperBase):
    """Observations counted in buckets, for quantiles across many boards.

    h = Histogram("read_seconds", "Sensor read time", buckets=(0.01, 0.1, 1))
    h.observe(0.05)
    """

    _type = "histogram"
    _reserved_labelnames = ("le",)
    _has_created = True
    DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, INF)

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
        self._buckets = buckets
        MetricWrapperBase.__init__(
            self, name, documentation, labelnames, namespace, subsystem, unit, registry
        )

    def _prepare(self):
        bounds = [float(b) for b in self._buckets]
        del self._buckets
        for i in range(1, len(bounds)):
            if not bounds[i - 1] < bounds[i]:
                raise ValueError("Buckets not in sorted order: %r must increase strictly" % (bounds,))
        if bounds and bounds[-1] != INF:
            bounds.append(INF)
        if len(bounds) < 2:
            raise ValueError("Must have at least two buckets")
        self._upper_bounds = tuple(bounds)
        self._le = tuple(floatToGoString(b) for b in bounds)

    def _metric_init(self):
        MetricWrapperBase._metric_init(self)
        self._counts = [0] * len(self._parent._upper_bounds)
        self._sum = 0

    def observe(self, amount):
        """Record one observation in its bucket."""
        self._raise_if_not_observable()
        bounds = self._parent._upper_bounds
        with _LOCK:
            self._sum = _add(self._sum, amount)
            for i in range(len(bounds)):
                if amount <= bounds[i]:
                    self._counts[i] += 1
                    break

    def time(self):
        """Observe the duration of a block or function in seconds."""
        return Timer(self, "observe")

    def _emit(self, out):
        parent = self._parent
        le = parent._le
        counts = self._counts
        total = 0
        for i in range(len(counts)):
            total += counts[i]
            out.sample("_bucket", total, "le", le[i])
        out.sample("_count", total)
        if parent._upper_bounds[0] >= 0:  # a negative bucket makes the sum meaningless
            out.sample("_sum", self._sum)


class Info(MetricWrapperBase):
    """Key-value facts about the board: firmware, build, chip.

    i = Info("firmware", "Firmware build")
    i.info({"version": "1.2.0"})
    """

    _type = "info"

    def _metric_init(self):
        self._value = {}

    def info(self, val):
        """Set the key-value pairs."""
        self._raise_if_not_observable()
        names = self._parent._labelnames
        value = {}
        for k in val:
            if k in names:
                raise ValueError(
                    "Overlapping labels for Info metric, metric: %s child: %s" % (names, val)
                )
            validate_labelname(k)
            if val[k] is None:
                raise ValueError("Label value cannot be None")
            value[k] = str(val[k])
        self._value = value

    def _emit(self, out):
        out.sample("_info", 1, extra=self._value)


class Enum(MetricWrapperBase):
    """Which one of a set of states is current; the first state is the default.

    e = Enum("wifi_state", "Wi-Fi state", states=["down", "connecting", "up"])
    e.state("up")
    """

    _type = "stateset"

    def __init__(
        self,
        name,
        documentation,
        labelnames=(),
        namespace="",
        subsystem="",
        unit="",
        registry=REGISTRY,
        states=None,
    ):
        if name in labelnames:
            raise ValueError("Overlapping labels for Enum metric: %s" % name)
        if not states:
            raise ValueError("No states provided for Enum metric: %s" % name)
        self._states = tuple(str(s) for s in states)
        MetricWrapperBase.__init__(
            self, name, documentation, labelnames, namespace, subsystem, unit, registry
        )

    def _prepare(self):
        # The state label is named after the metric, so the name must be a label name too.
        validate_labelname(self._name)

    def _metric_init(self):
        self._value = 0

    def state(self, state):
        """Make state the current one."""
        self._raise_if_not_observable()
        states = self._parent._states
        if state not in states:
            raise ValueError("Unknown state %r for %s; expected one of %s" % (state, self, states))
        self._value = states.index(state)

    def _emit(self, out):
        name = self._parent._name
        states = self._parent._states
        for i in range(len(states)):
            out.sample("", 1 if i == self._value else 0, name, states[i])
