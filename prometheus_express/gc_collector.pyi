from .metrics_core import Metric
from .registry import CollectorRegistry

class GCCollector:
    def __init__(self, registry: CollectorRegistry | None = ...) -> None: ...
    def collect(self) -> list[Metric]: ...

GC_COLLECTOR: GCCollector
