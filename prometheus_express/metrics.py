"""Counter and Gauge, the base every metric shares, and the metric and label name rules,
with client_python's API.

c = Counter("reads", "Sensor reads", ["sensor"])
c.labels("bme280").inc()
"""

from ._port import BOARD, LOCK, load_method, wall_time
from .registry import REGISTRY

# -- names: what the Prometheus text formats accept -------------------------------------------


def _name_ok(name, colon):
    # ASCII letters, "_", digits after the first character, and ":" where colon allows it.
    if not name or not isinstance(name, str):
        return False
    first = True
    for c in name:
        if ord(c) > 127 or not (
            c.isalpha() or c == "_" or (colon and c == ":") or (not first and c.isdigit())
        ):
            return False
        first = False
    return True


def validate_metric_name(name):
    """Raise ValueError unless name is a metric name: [a-zA-Z_:][a-zA-Z0-9_:]*, or any other
    non-empty str while UTF-8 names are allowed (see validation.py)."""
    if not _name_ok(name, True):
        from .validation import utf8_name

        utf8_name(name, True)


def validate_labelname(name, reserved=()):
    """Raise ValueError unless name is a usable label name."""
    if not _name_ok(name, False):
        from .validation import utf8_name

        utf8_name(name, False)
    if name.startswith("__") or name in reserved:
        from . import errors

        raise errors.reserved_label_name(name, name in reserved)


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
        from . import errors

        raise errors.empty_metric_name()
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
    _children = None  # a list on a parent: the children in creation order
    _methods = "MetricMethods"  # the class in methods.py with the seldom-used methods

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
        self._documentation = documentation
        self._unit = unit
        if isinstance(labelnames, str):  # else "room" would be the labels r, o, o, m
            from . import errors

            raise errors.labelnames_not_a_list(labelnames)
        labelnames = tuple(labelnames)
        for i, label in enumerate(labelnames):
            validate_labelname(label, self._reserved_labelnames)
            if label in labelnames[:i]:
                from . import errors

                raise errors.duplicate_label_name(label, self._name)
        self._parent = self
        if labelnames:
            self._labelnames = labelnames
            self._metrics = {}
            self._children = []
        else:
            self._metric_init()
        if registry:
            registry.register(self)

    def __str__(self):
        return "%s:%s" % (self._type, self._parent._name)

    def _raise_if_not_observable(self):
        if self._children is not None:
            from . import errors

            raise errors.missing_label_values(self._type)

    def labels(self, *labelvalues, **labelkwargs):
        """Return the child for the given label values, creating it once."""
        # Label handling loads on first use: a board without labels never pays for it.
        from .children import labels

        return labels(self, labelvalues, labelkwargs)

    # On a board, the methods it seldom calls (remove, clear, time(), set_function, ...)
    # join the class on first use.
    __getattr__ = load_method

    def _created_on(self):
        return self._has_created and _use_created

    def _metric_init(self):
        # Sets up the value of an unlabelled metric or of a child.
        self._created = wall_time() if self._has_created else None


class Counter(MetricWrapperBase):
    """A count that only goes up: events, bytes, errors.

    c = Counter("wifi_reconnects", "Wi-Fi reconnections")
    c.inc()
    """

    _type = "counter"
    _has_created = True
    _methods = "CounterMethods"

    def _metric_init(self):
        MetricWrapperBase._metric_init(self)
        self._value = 0

    def inc(self, amount=1, exemplar=None):
        """Increment by amount, which must not be negative; exemplar: {label: value} to
        write with the count in OpenMetrics."""
        self._raise_if_not_observable()
        if not amount >= 0:  # NaN too: OpenMetrics forbids a NaN counter
            from . import errors

            raise errors.negative_increment(amount)
        if exemplar:  # exemplars load on first use: most boards never set one
            from .exemplars import counter_inc

            return counter_inc(self, amount, exemplar)
        with LOCK:
            self._value = _add(self._value, amount)

    def _emit(self, out):
        out.sample("_total", self._value)


class Gauge(MetricWrapperBase):
    """A value that goes up and down: temperature, free heap, queue length.

    g = Gauge("temperature_celsius", "Air temperature")
    g.set(21.5)
    """

    _type = "gauge"
    _function = None
    _methods = "GaugeMethods"

    def _metric_init(self):
        self._value = 0

    def inc(self, amount=1):
        """Increment by amount."""
        self._raise_if_not_observable()
        with LOCK:
            self._value = _add(self._value, amount)

    def dec(self, amount=1):
        """Decrement by amount."""
        self.inc(-amount)

    def set(self, value):
        """Set to value."""
        self._raise_if_not_observable()
        value = _number(value)
        with LOCK:  # else a set() between another thread's inc() read and write is lost
            self._value = value

    def _emit(self, out):
        f = self._function
        out.sample("", self._value if f is None else _number(f()))


if not BOARD:  # dir() and help() list every method
    from .methods import attach

    attach(Counter)
    attach(Gauge)
