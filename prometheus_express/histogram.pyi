from collections.abc import Iterable

from .context_managers import Timer
from .metrics import MetricWrapperBase
from .registry import CollectorRegistry

class Summary(MetricWrapperBase):
    def observe(self, amount: float) -> None: ...
    def time(self) -> Timer: ...

class Histogram(MetricWrapperBase):
    DEFAULT_BUCKETS: tuple[float, ...]
    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Iterable[str] = (),
        namespace: str = "",
        subsystem: str = "",
        unit: str = "",
        registry: CollectorRegistry | None = ...,
        buckets: Iterable[float | str] = ...,
    ) -> None: ...
    def observe(self, amount: float, exemplar: dict[str, str] | None = None) -> None: ...
    def time(self) -> Timer: ...
