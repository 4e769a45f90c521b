"""Prometheus metrics for CircuitPython, MicroPython and CPython.

from prometheus_express import Counter, generate_latest
boots = Counter("boots", "Times the board started")
boots.inc()
page = generate_latest()
"""

from .exposition import (
    CONTENT_TYPE_LATEST,
    CONTENT_TYPE_PLAIN_0_0_4,
    CONTENT_TYPE_PLAIN_1_0_0,
    generate_latest,
    write_text,
)
from .metrics import Counter, Gauge, disable_created_metrics, enable_created_metrics
from .registry import REGISTRY, CollectorRegistry

__version__ = "0.0.0+dev"

# The rest loads on first use, so a board pays only for what it touches.
# Each entry: a module, then the names it provides.
_LAZY = (
    ("histogram", "Histogram Summary"),
    ("state", "Enum Info"),
    ("negotiation", "choose_encoder choose_format"),
    ("openmetrics.exposition", "write_openmetrics"),
    (
        "metrics_core",
        "Metric CounterMetricFamily GaugeMetricFamily SummaryMetricFamily HistogramMetricFamily"
        " GaugeHistogramMetricFamily InfoMetricFamily StateSetMetricFamily UnknownMetricFamily",
    ),
    ("samples", "Sample Exemplar"),
    ("server", "start_http_server MetricsServer await_http_request"),
)


def __getattr__(name):
    for module, names in _LAZY:
        if name in names.split():
            value = getattr(__import__(__name__ + "." + module, None, None, (name,)), name)
            globals()[name] = value  # found once, then an ordinary attribute
            return value
    # MicroPython: `from prometheus_express import histogram` asks here first.
    try:
        return __import__(__name__ + "." + name, None, None, (name,))
    except ImportError:
        raise AttributeError("module %r has no attribute %r" % (__name__, name)) from None
