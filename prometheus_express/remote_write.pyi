from collections.abc import Mapping
from typing import Any

from .registry import _Collector

buffer_size: int

def remote_write(
    url: str,
    registry: _Collector = ...,
    job: str | None = None,
    instance: str | None = None,
    timeout: float | None = 30,
    auth: tuple[str, str] | None = None,
    bearer_token: str | None = None,
    headers: Mapping[str, str] | None = None,
    socket_pool: Any = None,
    ssl_context: Any = None,
) -> None: ...

class RemoteWriter:
    url: str
    host: str
    port: int
    path: str
    keep: int
    kept: list[bytes]
    def __init__(
        self,
        url: str,
        job: str | None = None,
        instance: str | None = None,
        timeout: float | None = 30,
        auth: tuple[str, str] | None = None,
        bearer_token: str | None = None,
        headers: Mapping[str, str] | None = None,
        socket_pool: Any = None,
        ssl_context: Any = None,
        keep: int = 0,
    ) -> None: ...
    def send(self, registry: _Collector = ...) -> None: ...
