from collections.abc import Callable
from types import TracebackType
from typing import Any, Literal, Self, TypeVar

from .metrics import Counter, Gauge

_F = TypeVar("_F", bound=Callable[..., Any])

class ExceptionCounter:
    def __init__(
        self,
        counter: Counter,
        exception: type[BaseException] | tuple[type[BaseException], ...],
    ) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> Literal[False]: ...
    def __call__(self, f: _F) -> _F: ...

class InprogressTracker:
    def __init__(self, gauge: Gauge) -> None: ...
    def __enter__(self) -> None: ...
    def __exit__(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> Literal[False]: ...
    def __call__(self, f: _F) -> _F: ...

class Timer:
    duration: float | None  # seconds the block took, once it has ended
    def __init__(self, metric: Any, callback_name: str) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> Literal[False]: ...
    def __call__(self, f: _F) -> _F: ...
    def labels(self, *args: object, **kw: object) -> None: ...
