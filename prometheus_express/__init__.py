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
    choose_encoder,
    generate_latest,
    write_text,
)
from .metrics import (
    Counter,
    Enum,
    Gauge,
    Histogram,
    Info,
    Summary,
    disable_created_metrics,
    enable_created_metrics,
)
from .registry import REGISTRY, CollectorRegistry

__version__ = "0.0.0+dev"

# Loaded on first use, so a board pays only for what it touches.
_LAZY = (
    ("metrics_core", "Metric"),
    ("metrics_core", "CounterMetricFamily"),
    ("metrics_core", "GaugeMetricFamily"),
    ("metrics_core", "SummaryMetricFamily"),
    ("metrics_core", "HistogramMetricFamily"),
    ("metrics_core", "GaugeHistogramMetricFamily"),
    ("metrics_core", "InfoMetricFamily"),
    ("metrics_core", "StateSetMetricFamily"),
    ("metrics_core", "UnknownMetricFamily"),
    ("samples", "Sample"),
    ("samples", "Exemplar"),
    ("openmetrics.exposition", "write_openmetrics"),
)


def __getattr__(name):
    for module, attr in _LAZY:
        if attr == name:
            m = __import__("prometheus_express." + module, None, None, (attr,))
            return getattr(m, attr)
    raise AttributeError("module 'prometheus_express' has no attribute %r" % name)
