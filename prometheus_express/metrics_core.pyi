from collections.abc import Iterable, Mapping, Sequence

from .registry import CollectorRegistry
from .samples import Exemplar, NativeHistogram, Sample, Timestamp

METRIC_TYPES: tuple[str, ...]

_Timestamp = float | Timestamp | None

class Metric:
    name: str
    documentation: str
    unit: str
    type: str
    samples: list[Sample]
    def __init__(self, name: str, documentation: str, typ: str, unit: str = "") -> None: ...
    def add_sample(
        self,
        name: str,
        labels: dict[str, str],
        value: float,
        timestamp: _Timestamp = None,
        exemplar: Exemplar | None = None,
        native_histogram: NativeHistogram | None = None,
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...

class UnknownMetricFamily(Metric):
    def __init__(
        self,
        name: str,
        documentation: str,
        value: float | None = None,
        labels: Sequence[str] | None = None,
        unit: str = "",
    ) -> None: ...
    def add_metric(
        self, labels: Sequence[str], value: float, timestamp: _Timestamp = None
    ) -> None: ...

class GaugeMetricFamily(UnknownMetricFamily): ...

UntypedMetricFamily = UnknownMetricFamily

class CounterMetricFamily(Metric):
    def __init__(
        self,
        name: str,
        documentation: str,
        value: float | None = None,
        labels: Sequence[str] | None = None,
        created: float | None = None,
        unit: str = "",
        exemplar: Exemplar | None = None,
    ) -> None: ...
    def add_metric(
        self,
        labels: Sequence[str],
        value: float,
        created: float | None = None,
        timestamp: _Timestamp = None,
        exemplar: Exemplar | None = None,
    ) -> None: ...

class SummaryMetricFamily(Metric):
    def __init__(
        self,
        name: str,
        documentation: str,
        count_value: int | None = None,
        sum_value: float | None = None,
        labels: Sequence[str] | None = None,
        unit: str = "",
    ) -> None: ...
    def add_metric(
        self,
        labels: Sequence[str],
        count_value: int,
        sum_value: float,
        timestamp: _Timestamp = None,
    ) -> None: ...

# (le, value) or (le, value, exemplar), sorted by le and ending with "+Inf".
_Buckets = Sequence[tuple[str, float] | tuple[str, float, Exemplar | None]]

class HistogramMetricFamily(Metric):
    def __init__(
        self,
        name: str,
        documentation: str,
        buckets: _Buckets | None = None,
        sum_value: float | None = None,
        labels: Sequence[str] | None = None,
        unit: str = "",
    ) -> None: ...
    def add_metric(
        self,
        labels: Sequence[str],
        buckets: _Buckets,
        sum_value: float | None,
        timestamp: _Timestamp = None,
    ) -> None: ...

class GaugeHistogramMetricFamily(HistogramMetricFamily):
    def __init__(
        self,
        name: str,
        documentation: str,
        buckets: _Buckets | None = None,
        gsum_value: float | None = None,
        labels: Sequence[str] | None = None,
        unit: str = "",
    ) -> None: ...
    def add_metric(  # gsum_value, as client_python names it
        self,
        labels: Sequence[str],
        buckets: _Buckets,
        gsum_value: float | None,
        timestamp: _Timestamp = None,
    ) -> None: ...

class InfoMetricFamily(Metric):
    def __init__(
        self,
        name: str,
        documentation: str,
        value: Mapping[str, str] | None = None,
        labels: Sequence[str] | None = None,
    ) -> None: ...
    def add_metric(
        self, labels: Sequence[str], value: Mapping[str, str], timestamp: _Timestamp = None
    ) -> None: ...

class StateSetMetricFamily(Metric):
    def __init__(
        self,
        name: str,
        documentation: str,
        value: Mapping[str, bool] | None = None,
        labels: Sequence[str] | None = None,
    ) -> None: ...
    def add_metric(
        self, labels: Sequence[str], value: Mapping[str, bool], timestamp: _Timestamp = None
    ) -> None: ...

class RestrictedRegistry:
    def __init__(self, names: Iterable[str], registry: CollectorRegistry) -> None: ...
    def collect(self) -> Iterable[Metric]: ...
