from collections.abc import Callable

from .negotiation import CONTENT_TYPE_LATEST as CONTENT_TYPE_LATEST
from .negotiation import CONTENT_TYPE_PLAIN_0_0_4 as CONTENT_TYPE_PLAIN_0_0_4
from .negotiation import CONTENT_TYPE_PLAIN_1_0_0 as CONTENT_TYPE_PLAIN_1_0_0
from .negotiation import choose_encoder as choose_encoder
from .push import delete_from_gateway as delete_from_gateway
from .push import push_to_gateway as push_to_gateway
from .push import pushadd_to_gateway as pushadd_to_gateway
from .registry import _Collector
from .server import MetricsServer as MetricsServer
from .server import start_http_server as start_http_server
from .textfile import write_to_textfile as write_to_textfile
from .web import MetricsHandler as MetricsHandler
from .web import ThreadingWSGIServer as ThreadingWSGIServer
from .web import gzip_accepted as gzip_accepted
from .web import make_wsgi_app as make_wsgi_app
from .web import start_wsgi_server as start_wsgi_server

INF: float
MINUS_INF: float
NaN: float

def floatToGoString(d: float | str) -> str: ...  # noqa: N802  (client_python's name)
def escape_help(s: str) -> str: ...
def escape_value(s: str) -> str: ...
def newlines(s: str) -> str: ...
def write_registry(
    write: Callable[[str], object], registry: _Collector, om: bool, escaping: str = "underscores"
) -> None: ...
def write_text(write: Callable[[str], object], registry: _Collector = ...) -> None: ...
def generate_latest(registry: _Collector = ..., escaping: str = "underscores") -> bytes: ...
