from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from typing import Any

from .registry import _Collector

_Scope = MutableMapping[str, Any]
_Message = MutableMapping[str, Any]
_App = Callable[
    [_Scope, Callable[[], Awaitable[_Message]], Callable[[_Message], Awaitable[None]]],
    Coroutine[Any, Any, None],
]

def make_asgi_app(registry: _Collector = ..., disable_compression: bool = False) -> _App: ...
