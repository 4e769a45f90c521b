"""The names the package loads on first use, and where each one lives.

load(globals(), "Histogram")   # from the package's __getattr__
"""

import sys

from ._port import BOARD

# Each entry: a module, then the names it provides.
_LAZY = (
    ("__about__", "__version__ __repo__"),
    ("histogram", "Histogram Summary"),
    ("state", "Enum Info"),
    (
        "negotiation",
        "choose_encoder choose_format"
        " CONTENT_TYPE_LATEST CONTENT_TYPE_PLAIN_0_0_4 CONTENT_TYPE_PLAIN_1_0_0",
    ),
    ("openmetrics.exposition", "write_openmetrics"),
    (
        "metrics_core",
        "Metric CounterMetricFamily GaugeMetricFamily SummaryMetricFamily HistogramMetricFamily"
        " GaugeHistogramMetricFamily InfoMetricFamily StateSetMetricFamily UnknownMetricFamily",
    ),
    ("samples", "Sample Exemplar"),
    ("server", "start_http_server MetricsServer"),
    ("blocking", "await_http_request"),
    ("push", "push_to_gateway pushadd_to_gateway delete_from_gateway"),
)
# On CPython, _cpython.py adds the rows of the modules only CPython has (make_wsgi_app,
# write_to_textfile, ...). Not here: this module is in a board's RAM while the module of a lazy
# name is imported, which is the exporter board's peak.


def load(namespace, name):
    """The value of a lazy name, kept in namespace (the globals of the package or of one of
    its modules); else the package's submodule of that name; else AttributeError."""
    package = __name__[: __name__.rfind(".")]
    try:
        if name == "__all__":  # `from prometheus_express import *`
            from ._import_all import public

            return public(namespace, package, _LAZY)
        for module, names in _LAZY:
            if name in names.split():
                value = getattr(__import__(package + "." + module, None, None, (name,)), name)
                namespace[name] = value  # found once, then an ordinary attribute
                return value
        where = namespace["__name__"]
        if where == package:
            # MicroPython: `from prometheus_express import histogram` asks here first.
            try:
                return __import__(package + "." + name, None, None, (name,))
            except ImportError:
                pass
        raise AttributeError("module %r has no attribute %r" % (where, name))
    finally:
        # The table is needed only until a name is found, and each is looked up once: this
        # module then leaves sys.modules and the package, so a board does not keep it in RAM.
        # Not before: the import above may ask again (`from . import _sockets`), and finds
        # this module still loaded. Not on CPython, where another thread may be importing it
        # at this moment (its import would fail) and RAM is no concern.
        if BOARD:
            sys.modules.pop(__name__, None)
            sys.modules[package].__dict__.pop("_lazy", None)
