"""The registry: which collectors a scrape reads, and no time series twice.

registry = CollectorRegistry()
Counter("boots", "Boots", registry=registry)
"""

from ._port import BOARD, LOCK, load_method


def _series(name, typ):
    # Every series name a family of this type produces. Short literals, not a
    # table: MicroPython interns them, where a tuple or a long string would be
    # a heap object from import on (so no "gaugehistogram" here).
    names = [name]
    add = names.append
    hist = typ == "histogram"
    buckets = typ.endswith("histogram")  # and gaugehistogram
    # Plain ifs where the types exclude each other: each elif costs a jump in bytecode.
    if typ == "counter":
        add(name + "_total")
    if typ == "info":
        add(name + "_info")
    if buckets:
        add(name + "_bucket")
    if hist or typ == "summary":
        add(name + "_sum")
        add(name + "_count")
    elif buckets:
        add(name + "_gsum")
        add(name + "_gcount")
    if hist or typ == "summary" or typ == "counter":
        add(name + "_created")
    return names


class CollectorRegistry:
    """Collectors in registration order; any object with collect() can join."""

    _methods = "RegistryMethods"  # in methods.py: collect, unregister, ...
    __getattr__ = load_method  # a board loads those on first use

    def __init__(
        self, auto_describe=False, target_info=None, support_collectors_without_names=False
    ):
        self._collectors = []  # a list: MicroPython dicts do not keep order
        self._names = {}  # series name -> collector
        self._auto_describe = auto_describe
        if target_info is not None or support_collectors_without_names:
            # Seldom given: what they need loads with set_target_info (methods.py).
            self._nameless = support_collectors_without_names  # restricted_registry() reads it
            self.set_target_info(target_info)

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
