"""The registry: which collectors a scrape reads, and no time series twice.

registry = CollectorRegistry()
Counter("boots", "Boots", registry=registry)
"""

from ._port import BOARD, LOCK, load_method


def _series(name, typ):
    # Every series name a family of this type produces. Short literals, not a
    # table: MicroPython interns them, where a tuple or a long string would be
    # a heap object from import on.
    names = [name]
    hist = typ == "histogram"
    if typ == "counter":
        names.append(name + "_total")
    elif typ == "info":
        names.append(name + "_info")
    if hist or typ == "gaugehistogram":
        names.append(name + "_bucket")
    if hist or typ == "summary":
        names.append(name + "_sum")
        names.append(name + "_count")
    elif typ == "gaugehistogram":
        names.append(name + "_gsum")
        names.append(name + "_gcount")
    if hist or typ == "summary" or typ == "counter":
        names.append(name + "_created")
    return names


class CollectorRegistry:
    """Collectors in registration order; any object with collect() can join."""

    _methods = "RegistryMethods"  # in methods.py: collect, unregister, ...
    __getattr__ = load_method  # a board loads those on first use

    def __init__(self, auto_describe=False):
        self._collectors = []  # a list: MicroPython dicts do not keep order
        self._names = {}  # series name -> collector
        self._auto_describe = auto_describe

    def register(self, collector):
        """Add a collector; ValueError if it would duplicate a time series."""
        if hasattr(collector, "_emit"):  # our own metrics know their family
            names = _series(collector._name, collector._type)
        else:
            describe = getattr(collector, "describe", None)
            if describe is None and self._auto_describe:
                describe = collector.collect
            names = []
            for m in describe() if describe else ():
                names += _series(m.name, m.type)
        with LOCK:
            # Plain loops: on MicroPython each comprehension is one more function in RAM.
            duplicates = []
            for name in names:
                if name in self._names:
                    duplicates.append(name)
            if duplicates:
                from . import errors

                raise errors.duplicate_series(duplicates)
            for name in names:
                self._names[name] = collector
            if collector not in self._collectors:  # a nameless collector may come twice
                self._collectors.append(collector)


REGISTRY = CollectorRegistry(auto_describe=True)

if not BOARD:  # every method for dir() and help(), and client_python's default collectors
    from . import _cpython  # noqa: F401
