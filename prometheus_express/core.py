"""The names client_python's prometheus_client.core offers.

from prometheus_express.core import GaugeMetricFamily, REGISTRY
"""

from .errors import DuplicateTimeseries
from .histogram import Histogram, Summary
from .metrics import Counter, Gauge
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
    UntypedMetricFamily,
)
from .registry import REGISTRY, CollectorRegistry
from .samples import BucketSpan, Exemplar, NativeHistogram, Sample, Timestamp
from .state import Enum, Info
