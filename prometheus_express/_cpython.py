"""What the package gains on CPython at import: every registry method, client_python's
default collectors on REGISTRY (their names offered by the package as client_python's),
Gauge's multiprocess_mode argument, and the names client_python's metrics module offers.

Imported by registry.py on CPython only, never on a board.
"""

import sys

from ._port import BOARD

if BOARD:
    from .errors import cpython_only

    raise cpython_only(__name__, "the host's /proc, platform and gc modules")

import importlib  # noqa: E402  (after the check: MicroPython has none)

from . import _lazy  # noqa: E402
from .methods import attach  # noqa: E402
from .registry import CollectorRegistry  # noqa: E402

attach(CollectorRegistry)  # dir() and help() list every method

# Names only CPython has, which the package and exposition load on first use: rows of the
# lazy-name table, added here so that a board never loads their bytes.
_lazy._LAZY += (
    ("web", "make_wsgi_app start_wsgi_server MetricsHandler gzip_accepted ThreadingWSGIServer"),
    ("asgi", "make_asgi_app"),
    ("textfile", "write_to_textfile"),
    ("grouping", "instance_ip_grouping_key"),
)

# The default REGISTRY collects what client_python's does, in its order: GC_COLLECTOR,
# PLATFORM_COLLECTOR, PROCESS_COLLECTOR each join it as their module loads. A board has no
# /proc and no gc statistics, and each collector would cost RAM there.
from . import gc_collector, platform_collector, process_collector  # noqa: E402

# `from prometheus_express import ProcessCollector`, as from prometheus_client. Set here, not
# in the lazy-name table: a board loads that table for its first lazy name (MetricsServer),
# and three more entries made the exporter board need about 1 KB more heap.
_package = sys.modules[__name__[: __name__.rfind(".")]]
for _module, _names in (
    (process_collector, ("ProcessCollector", "PROCESS_COLLECTOR")),
    (platform_collector, ("PlatformCollector", "PLATFORM_COLLECTOR")),
    (gc_collector, ("GCCollector", "GC_COLLECTOR")),
):
    for _name in _names:
        setattr(_package, _name, getattr(_module, _name))

# The metrics module is fully loaded by now (metrics_core, which the collectors import, needs
# it), so Gauge exists to be given its __init__.
from . import metrics  # noqa: E402
from .registry import REGISTRY  # noqa: E402

# client_python's modes, which choose how several processes' values of a Gauge combine.
_MULTIPROCESS_MODES = frozenset(
    ("all", "liveall", "min", "livemin", "max", "livemax", "sum", "livesum")
    + ("mostrecent", "livemostrecent")
)


def _gauge_init(
    self,
    name,
    documentation,
    labelnames=(),
    namespace="",
    subsystem="",
    unit="",
    registry=REGISTRY,
    *,
    multiprocess_mode="all",
):
    """multiprocess_mode: one of client_python's, accepted for code written for it; no
    effect here, where the values are one process's."""
    self._multiprocess_mode = multiprocess_mode
    if multiprocess_mode not in _MULTIPROCESS_MODES:
        # client_python's message; a mode that is not a str is its TypeError too.
        raise ValueError("Invalid multiprocess mode: " + multiprocess_mode)
    super(metrics.Gauge, self).__init__(
        name, documentation, labelnames, namespace, subsystem, unit, registry
    )


class _ParentsMode:
    """A child of a labelled Gauge has its parent's mode, as in client_python. children.py
    builds a child without __init__; the parent's own attribute hides this one."""

    def __get__(self, gauge, owner):
        if gauge is None:
            return self
        return gauge._parent.__dict__.get("_multiprocess_mode", "all")


# A board's Gauge takes no multiprocess_mode: a board runs no processes, and the argument
# would cost every board RAM.
_gauge_init.__name__ = "__init__"
_gauge_init.__qualname__ = "Gauge.__init__"
metrics.Gauge.__init__ = _gauge_init
metrics.Gauge._multiprocess_mode = _ParentsMode()

# client_python's metrics module offers these too. They live elsewhere here, so that a board
# that only counts loads none of them; on CPython `from prometheus_express.metrics import
# Histogram` finds them through the module's __getattr__ (PEP 562), each on first use.
_ALSO_IN_METRICS = (
    ("histogram", "Histogram Summary"),
    ("state", "Enum Info"),
    ("context_managers", "ExceptionCounter InprogressTracker Timer"),
    ("metrics_core", "Metric"),
    ("samples", "Sample Exemplar"),
    ("registry", "CollectorRegistry"),
    ("exposition", "INF floatToGoString"),
)


def _metrics_getattr(name):
    for module, names in _ALSO_IN_METRICS:
        if name in names.split():
            value = getattr(importlib.import_module("." + module, __package__), name)
            setattr(metrics, name, value)  # found once, then an ordinary attribute
            return value
    raise AttributeError("module %r has no attribute %r" % (metrics.__name__, name))


metrics.__getattr__ = _metrics_getattr
