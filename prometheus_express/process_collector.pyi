from collections.abc import Callable

from .metrics_core import Metric
from .registry import CollectorRegistry

class ProcessCollector:
    def __init__(
        self,
        namespace: str = "",
        pid: Callable[[], int | str] = ...,
        proc: str = "/proc",
        registry: CollectorRegistry | None = ...,
    ) -> None: ...
    def collect(self) -> list[Metric]: ...

PROCESS_COLLECTOR: ProcessCollector
