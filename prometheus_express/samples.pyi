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

class Exemplar(NamedTuple):
    labels: dict[str, str]
    value: float
    timestamp: float | Timestamp | None = None

class BucketSpan(NamedTuple):
    offset: int
    length: int

# Experimental, as in client_python.
class NativeHistogram(NamedTuple):
    count_value: float
    sum_value: float
    schema: int
    zero_threshold: float
    zero_count: float
    pos_spans: Sequence[BucketSpan] | None = None
    neg_spans: Sequence[BucketSpan] | None = None
    pos_deltas: Sequence[int] | None = None
    neg_deltas: Sequence[int] | None = None
    nh_exemplars: Sequence[Exemplar] | None = None

class Sample(NamedTuple):
    name: str
    labels: dict[str, str]
    value: float
    timestamp: float | Timestamp | None = None
    exemplar: Exemplar | None = None
    native_histogram: NativeHistogram | None = None
