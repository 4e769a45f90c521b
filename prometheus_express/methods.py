"""The methods of the metrics and the registry that a board seldom calls.

Counter("boots", "Times the board started").reset()
On MicroPython and CircuitPython a class gains these on first use (its __getattr__ calls
attach()), so a board that never calls them never holds them in RAM. On CPython they are
attached at import, so dir() and help() list every method.
"""

from ._port import LOCK, unix_time, wall_time


def _drop_children(metric, gone):
    # The caller holds LOCK. A new list rather than list.remove(): a scrape in another thread
    # walks the list it started with by index, and removing in place would shift a live
    # child past it, leaving a gap in the graph.
    if gone:
        metric._children = [c for c in metric._children if c not in gone]


class MetricMethods:
    """Every metric's."""

    def remove(self, *labelvalues):
        """Remove the child with the given label values, if there is one."""
        from .children import parent_labelnames, str_values

        names = parent_labelnames(self)
        if len(labelvalues) != len(names):
            raise ValueError(
                "Incorrect label count (expected %d, got %s)" % (len(names), labelvalues)
            )
        with LOCK:
            child = self._metrics.pop(str_values(labelvalues), None)
            if child is not None:
                _drop_children(self, [child])

    def remove_by_labels(self, labels):
        """Remove every child whose labels include all of the given ones."""
        from .children import parent_labelnames

        names = parent_labelnames(self)
        if not isinstance(labels, dict):
            raise TypeError("labels must be a dict of {label_name: label_value}")
        for k in labels:
            if k not in names:
                raise ValueError("Unknown label names: %s; expected %s" % (k, list(names)))
        if not labels:
            return
        from .exposition import newlines

        # Values as labels() stores them: str, with CR and CRLF read as newlines.
        want = [(names.index(k), newlines(str(labels[k]))) for k in labels]
        with LOCK:
            gone = [c for c in self._children if all(c._labelvalues[i] == v for i, v in want)]
            for child in gone:
                del self._metrics[child._labelvalues]
            _drop_children(self, gone)

    def clear(self):
        """Remove every child."""
        if self._children is not None:
            with LOCK:
                self._metrics = {}
                self._children = []

    def __repr__(self):
        # As client_python writes it: the class's module and name, and the metric's name.
        cls = type(self)
        return "%s.%s(%s)" % (cls.__module__, cls.__name__, self._parent._name)

    def describe(self):
        from .metrics_core import describe

        return describe(self)

    def collect(self):
        """The metric family with its samples, as client_python builds it."""
        from .metrics_core import collect

        return collect(self)


class CounterMethods(MetricMethods):
    def reset(self):
        """Set to zero, as if the process had restarted."""
        self._raise_if_not_observable()
        with LOCK:
            self._value = 0
            self._created = wall_time()

    def count_exceptions(self, exception=Exception):
        """Count exceptions raised out of a block or function (context manager or decorator)."""
        from .context_managers import ExceptionCounter

        self._raise_if_not_observable()
        return ExceptionCounter(self, exception)


class GaugeMethods(MetricMethods):
    def set_to_current_time(self):
        """Set to the current Unix time in seconds."""
        self.set(unix_time())

    def track_inprogress(self):
        """Add one while a block or function runs (context manager or decorator)."""
        from .context_managers import InprogressTracker

        self._raise_if_not_observable()
        return InprogressTracker(self)

    def time(self):
        """Set to the duration of a block or function in seconds."""
        from .context_managers import Timer

        return Timer(self, "set")

    def set_function(self, f):
        """Take the value from f() at every collection."""
        self._raise_if_not_observable()
        self._function = f


class RegistryMethods:
    """CollectorRegistry's: the exposition reads the collectors itself."""

    _target_info = None  # as set_target_info() was last given it

    def collect(self):
        """Yield the metric families of every collector, target_info's first."""
        for collector in list(self._collectors):
            yield from collector.collect()

    def unregister(self, collector):
        """Remove a collector."""
        with LOCK:
            if collector not in self._collectors:
                raise KeyError("%s is not registered" % (collector,))
            # A new list, not remove(): a scrape in another thread reads the old one to its end.
            self._collectors = [c for c in self._collectors if c is not collector]
            for name in list(self._names):
                if self._names[name] is collector:
                    del self._names[name]

    def restricted_registry(self, names):
        """A registry view that collects only the samples with the given names."""
        from .metrics_core import RestrictedRegistry

        return RestrictedRegistry(names, self)

    def set_target_info(self, labels):
        """Labels for a target_info series written first on every page; None or {} removes
        it."""
        from .metrics_core import _TargetInfo

        with LOCK:
            old = self._names.get("target_info")
            if not isinstance(old, _TargetInfo):
                if labels and old is not None:
                    raise ValueError("CollectorRegistry already contains a target_info metric")
                old = None
            # A collector at the front of the list, as client_python writes target_info
            # first: the writers walk the list, and register() finds its name taken.
            collectors = []
            if labels:
                collectors.append(_TargetInfo(labels))
                self._names["target_info"] = collectors[0]
            elif old is not None:
                del self._names["target_info"]
            for c in self._collectors:
                if c is not old:
                    collectors.append(c)
            self._collectors = collectors  # a new list, as in unregister()
            self._target_info = labels

    def get_target_info(self):
        """The labels set_target_info() was last given, or None."""
        return self._target_info

    def get_sample_value(self, name, labels=None):
        """The value of one sample, or None; slow, meant for tests."""
        from ._port import BOARD

        labels = labels or {}
        for collector in list(self._collectors):
            for metric in collector.collect():
                for s in metric.samples:
                    if s.name == name and s.labels == labels:
                        # client_python stores its metrics' values as floats (an Enum's
                        # states excepted) and returns them so. Ours stay exact ints in
                        # collect() and on the page, and turn float only here. Not on a
                        # board: its floats are single precision (CircuitPython's hold 22
                        # bits), so a count above a few million would come back as another
                        # number; the int compares equal to client_python's float anyway.
                        own = hasattr(collector, "_emit") and metric.type != "stateset"
                        return float(s.value) if own and not BOARD else s.value
        return None


def attach(cls, name=None):
    """Give cls the seldom-used methods of its kind; True if it then has `name`."""
    methods = globals()[cls._methods]
    for attr in dir(methods):
        if not attr.startswith("__") or attr == "__repr__":
            setattr(cls, attr, getattr(methods, attr))
    return name is None or hasattr(cls, name)
