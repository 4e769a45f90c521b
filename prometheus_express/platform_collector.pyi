from typing import Any

from .metrics_core import Metric
from .registry import CollectorRegistry

class PlatformCollector:
    def __init__(self, registry: CollectorRegistry | None = ..., platform: Any = None) -> None: ...
    def collect(self) -> list[Metric]: ...

PLATFORM_COLLECTOR: PlatformCollector
