from collections.abc import Callable

from ..registry import _Collector

CONTENT_TYPE_LATEST: str

def write_openmetrics(write: Callable[[str], object], registry: _Collector = ...) -> None: ...
def generate_latest(
    registry: _Collector = ..., escaping: str = "underscores", version: str = "1.0.0"
) -> bytes: ...
