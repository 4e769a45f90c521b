from threading import Thread
from typing import Any, Literal, Self

from .registry import _Collector

class MetricsServer:
    # Limits, tunable per class or per instance before the first request.
    read_timeout: float
    write_timeout: float
    max_head: int
    max_body: int
    max_clients: int
    buffer_size: int
    backlog: int
    max_accept_errors: int
    registry: _Collector
    port: int
    addr: str
    # Set by start_http_server() on CPython, as client_python's wsgiref server has them.
    server_address: tuple[str, int]
    server_port: int
    def server_close(self) -> None: ...
    def __init__(
        self,
        port: int,
        addr: str = "0.0.0.0",
        registry: _Collector = ...,
        socket_pool: Any = None,
        auth: tuple[str, str] | None = None,
        self_metrics: bool = False,
    ) -> None: ...
    def poll(self) -> bool: ...
    def serve_forever(self) -> None: ...
    def shutdown(self) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> Literal[False]: ...

# CPython (these stubs): serves from a daemon thread. MicroPython and CircuitPython return the
# server alone, for the program's loop to poll().
def start_http_server(
    port: int,
    addr: str = "0.0.0.0",
    registry: _Collector = ...,
    socket_pool: Any = None,
    *,
    auth: tuple[str, str] | None = None,
    self_metrics: bool = False,
) -> tuple[MetricsServer, Thread]: ...
