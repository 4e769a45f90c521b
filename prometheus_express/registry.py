"""The registry: which collectors a scrape reads, and no time series twice.

    registry = CollectorRegistry()
    Counter("boots", "Boots", registry=registry)
"""

from ._port import new_lock

# The series names each type produces besides its own name.
_SUFFIXES = (
    ("counter", ("_total", "_created")),
    ("summary", ("_sum", "_count", "_created")),
    ("histogram", ("_bucket", "_sum", "_count", "_created")),
    ("gaugehistogram", ("_bucket", "_gsum", "_gcount")),
    ("info", ("_info",)),
)


class DuplicateTimeseries(ValueError):
    pass


class CollectorRegistry:
    """Collectors in registration order; any object with collect() can join."""

    def __init__(self, auto_describe=False):
        self._collectors = []  # a list: MicroPython dicts do not keep order
        self._names = {}  # series name -> collector
        self._auto_describe = auto_describe
        self._lock = new_lock()

    def register(self, collector):
        """Add a collector; ValueError if it would duplicate a time series."""
        with self._lock:
            names = self._get_names(collector)
            duplicates = sorted(n for n in names if n in self._names)
            if duplicates:
                raise DuplicateTimeseries(
                    "Duplicated timeseries in CollectorRegistry: %s" % ", ".join(duplicates)
                )
            for name in names:
                self._names[name] = collector
            self._collectors.append(collector)

    def unregister(self, collector):
        """Remove a collector."""
        with self._lock:
            if collector not in self._collectors:
                raise KeyError("%r is not registered" % (collector,))
            self._collectors.remove(collector)
            for name in [n for n in self._names if self._names[n] is collector]:
                del self._names[name]

    def _get_names(self, collector):
        if hasattr(collector, "_emit"):  # our own metrics know their names
            families = ((collector._name, collector._type),)
        else:
            describe = getattr(collector, "describe", None)
            if describe is None and self._auto_describe:
                describe = collector.collect
            if describe is None:
                return []
            families = [(m.name, m.type) for m in describe()]
        names = []
        for name, typ in families:
            names.append(name)
            for t, suffixes in _SUFFIXES:
                if t == typ:
                    for suffix in suffixes:
                        names.append(name + suffix)
        return names

    def collect(self):
        """Yield the metric families of every collector."""
        for collector in list(self._collectors):
            yield from collector.collect()

    def restricted_registry(self, names):
        """A registry view that collects only the samples with the given names."""
        return RestrictedRegistry(names, self)

    def get_sample_value(self, name, labels=None):
        """The value of one sample, or None; slow, meant for tests."""
        labels = labels or {}
        for metric in self.collect():
            for s in metric.samples:
                if s.name == name and s.labels == labels:
                    return s.value
        return None


class RestrictedRegistry:
    def __init__(self, names, registry):
        self._name_set = set(names)
        self._registry = registry

    def collect(self):
        names = self._name_set
        wanted = self._registry._names
        for collector in list(self._registry._collectors):
            if any(wanted.get(n) is collector for n in names):
                for metric in collector.collect():
                    m = metric._restricted_metric(names)
                    if m:
                        yield m


REGISTRY = CollectorRegistry(auto_describe=True)
