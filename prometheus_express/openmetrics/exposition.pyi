from collections.abc import Callable

from ..escaping import ALLOWUTF8 as ALLOWUTF8
from ..escaping import DOTS as DOTS
from ..escaping import ESCAPING_HEADER_TAG as ESCAPING_HEADER_TAG
from ..escaping import UNDERSCORES as UNDERSCORES
from ..escaping import VALUES as VALUES
from ..escaping import escape_label_name as escape_label_name
from ..escaping import escape_metric_name as escape_metric_name
from ..registry import _Collector

CONTENT_TYPE_LATEST: str

def write_openmetrics(write: Callable[[str], object], registry: _Collector = ...) -> None: ...
def generate_latest(
    registry: _Collector = ..., escaping: str = "underscores", version: str = "1.0.0"
) -> bytes: ...
