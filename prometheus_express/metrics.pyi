from collections.abc import Iterable
from typing import Literal, Protocol, Self

# Re-exported as client_python's metrics module offers them. Apart from REGISTRY, they live in
# other modules here, and `metrics` offers them on CPython only.
from .context_managers import ExceptionCounter as ExceptionCounter
from .context_managers import InprogressTracker as InprogressTracker
from .context_managers import Timer as Timer
from .exposition import INF as INF
from .exposition import floatToGoString as floatToGoString
from .histogram import Histogram as Histogram
from .histogram import Summary as Summary
from .metrics_core import Metric as Metric
from .registry import REGISTRY as REGISTRY
from .registry import CollectorRegistry as CollectorRegistry
from .samples import Exemplar as Exemplar
from .samples import Sample as Sample
from .state import Enum as Enum
from .state import Info as Info

# A function of no arguments giving a number: as Callable[[], float], but also taking the
# `lambda i=i: ...` idiom (a default argument), which mypy cannot match to a Callable.
class _ValueFunction(Protocol):
    def __call__(self) -> float: ...

def validate_metric_name(name: str) -> None: ...
def validate_labelname(name: str, reserved: Iterable[str] = ()) -> None: ...
def disable_created_metrics() -> None: ...
def enable_created_metrics() -> None: ...

class MetricWrapperBase:
    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Iterable[str] = (),
        namespace: str = "",
        subsystem: str = "",
        unit: str = "",
        registry: CollectorRegistry | None = ...,
    ) -> None: ...
    def labels(self, *labelvalues: object, **labelkwargs: object) -> Self: ...
    def remove(self, *labelvalues: object) -> None: ...
    def remove_by_labels(self, labels: dict[str, str]) -> None: ...
    def clear(self) -> None: ...
    def describe(self) -> list[Metric]: ...
    def collect(self) -> list[Metric]: ...

class Counter(MetricWrapperBase):
    def inc(self, amount: float = 1, exemplar: dict[str, str] | None = None) -> None: ...
    def reset(self) -> None: ...
    def count_exceptions(
        self,
        exception: type[BaseException] | tuple[type[BaseException], ...] = ...,
    ) -> ExceptionCounter: ...

class Gauge(MetricWrapperBase):
    # multiprocess_mode on CPython only: a board's Gauge takes MetricWrapperBase's arguments.
    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Iterable[str] = (),
        namespace: str = "",
        subsystem: str = "",
        unit: str = "",
        registry: CollectorRegistry | None = ...,
        *,
        multiprocess_mode: Literal[
            "all",
            "liveall",
            "min",
            "livemin",
            "max",
            "livemax",
            "sum",
            "livesum",
            "mostrecent",
            "livemostrecent",
        ] = "all",
    ) -> None: ...
    def inc(self, amount: float = 1) -> None: ...
    def dec(self, amount: float = 1) -> None: ...
    def set(self, value: float) -> None: ...
    def set_to_current_time(self) -> None: ...
    def track_inprogress(self) -> InprogressTracker: ...
    def time(self) -> Timer: ...
    def set_function(self, f: _ValueFunction) -> None: ...
