from collections.abc import Callable

from .registry import _Collector

CONTENT_TYPE_PLAIN_0_0_4: str
CONTENT_TYPE_PLAIN_1_0_0: str
CONTENT_TYPE_LATEST: str

def choose_format(accept_header: str | None) -> tuple[bool, str]: ...
def choose_encoder(accept_header: str | None) -> tuple[Callable[[_Collector], bytes], str]: ...
