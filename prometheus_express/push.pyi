from collections.abc import Callable, Mapping
from typing import Any

from .registry import _Collector

# client_python's handler protocol: handler(url, method, timeout, headers, data) returns a
# callable that sends the request.
_Handler = Callable[[str, str, float | None, list[tuple[str, str]], bytes], Callable[[], object]]

buffer_size: int

# compression: only None; the body is streamed as it is rendered.
def push_to_gateway(
    gateway: str,
    job: str,
    registry: _Collector | None,
    grouping_key: Mapping[str, Any] | None = None,
    timeout: float | None = 30,
    handler: _Handler | None = None,
    compression: None = None,
    socket_pool: Any = None,
    auth: tuple[str, str] | None = None,
) -> None: ...
def pushadd_to_gateway(
    gateway: str,
    job: str,
    registry: _Collector | None,
    grouping_key: Mapping[str, Any] | None = None,
    timeout: float | None = 30,
    handler: _Handler | None = None,
    compression: None = None,
    socket_pool: Any = None,
    auth: tuple[str, str] | None = None,
) -> None: ...
def delete_from_gateway(
    gateway: str,
    job: str,
    grouping_key: Mapping[str, Any] | None = None,
    timeout: float | None = 30,
    handler: _Handler | None = None,
    socket_pool: Any = None,
    auth: tuple[str, str] | None = None,
) -> None: ...
