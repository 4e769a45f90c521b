from collections.abc import Iterable, Mapping, Sequence

from .metrics import MetricWrapperBase
from .registry import CollectorRegistry

class Info(MetricWrapperBase):
    # Values are exported as str(value); None is refused.
    def info(self, val: Mapping[str, object]) -> None: ...

class Enum(MetricWrapperBase):
    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Iterable[str] = (),
        namespace: str = "",
        subsystem: str = "",
        unit: str = "",
        registry: CollectorRegistry | None = ...,
        states: Sequence[str] | None = None,
    ) -> None: ...
    def state(self, state: str) -> None: ...
