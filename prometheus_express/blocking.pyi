from .registry import _Collector
from .server import MetricsServer

def await_http_request(server: MetricsServer, registry: _Collector | None = None) -> None: ...
