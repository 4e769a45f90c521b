from collections.abc import Sequence
from typing import NamedTuple

class Timestamp:
    sec: int
    nsec: int
    def __init__(self, sec: float, nsec: float) -> None: ...
    def __float__(self) -> float: ...
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    def __gt__(self, other: Timestamp) -> bool: ...
    def __lt__(self, other: Timestamp) -> bool: ...

# Every field is positional, without defaults (MicroPython's namedtuple has none).
class Exemplar(NamedTuple):
    labels: dict[str, str]
    value: float
    timestamp: float | Timestamp | None

class Sample(NamedTuple):
    name: str
    labels: dict[str, str]
    value: float
    timestamp: float | Timestamp | None
    exemplar: Exemplar | None

class BucketSpan(NamedTuple):
    offset: int
    length: int

class NativeHistogram(NamedTuple):
    count_value: int
    sum_value: float
    schema: int
    zero_threshold: float
    zero_count: int
    pos_spans: Sequence[BucketSpan] | None
    neg_spans: Sequence[BucketSpan] | None
    pos_deltas: Sequence[int] | None
    neg_deltas: Sequence[int] | None
    nh_exemplars: Sequence[Exemplar] | None
