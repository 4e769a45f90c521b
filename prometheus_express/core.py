"""The names client_python's prometheus_client.core offers.

    from prometheus_express.core import GaugeMetricFamily, REGISTRY
"""

from .metrics import Counter, Enum, Gauge, Histogram, Info, Summary
from .metrics_core import (
    CounterMetricFamily,
    GaugeHistogramMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
    StateSetMetricFamily,
    SummaryMetricFamily,
    UnknownMetricFamily,
)
from .registry import REGISTRY, CollectorRegistry
from .samples import Exemplar, Sample
