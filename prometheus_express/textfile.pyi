from os import PathLike

from .registry import _Collector

def write_to_textfile(
    path: str | PathLike[str],
    registry: _Collector,
    escaping: str = "allow-utf-8",
    tmpdir: str | PathLike[str] | None = None,
) -> None: ...
