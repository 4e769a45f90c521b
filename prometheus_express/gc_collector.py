"""The garbage collector's counts per generation, as client_python's.

GCCollector(registry=CollectorRegistry())
CPython only (PyPy, without gc.get_stats, registers nothing; a board's import raises
ImportError). GC_COLLECTOR is on REGISTRY from import on.
"""

from ._port import BOARD

if BOARD:  # nothing of this exists on a board, and the default REGISTRY stays empty there
    from .errors import cpython_only

    raise cpython_only(
        __name__,
        "/proc, the platform module, gc statistics",
        "BoardCollector (prometheus_express.board) reads the heap, uptime, CPU and python_info",
    )

import gc
import platform

from .metrics_core import CounterMetricFamily
from .registry import REGISTRY

# Each family: its name, the key of gc.get_stats() it counts, HELP.
_FAMILIES = (
    ("python_gc_objects_collected", "collected", "Objects collected during gc"),
    ("python_gc_objects_uncollectable", "uncollectable", "Uncollectable objects found during GC"),
    ("python_gc_collections", "collections", "Number of times this generation was collected"),
)


class GCCollector:
    """Objects collected, uncollectable objects and collections, per GC generation."""

    def __init__(self, registry=REGISTRY):
        # Other implementations (PyPy) lack the statistics, or count something else. None
        # registers nothing (client_python's raises AttributeError there).
        if registry and hasattr(gc, "get_stats") and platform.python_implementation() == "CPython":
            registry.register(self)

    def collect(self):
        stats = gc.get_stats()
        families = []
        for name, key, doc in _FAMILIES:
            family = CounterMetricFamily(name, doc, labels=["generation"])
            for generation, stat in enumerate(stats):
                family.add_metric([str(generation)], value=stat[key])
            families.append(family)
        return families


GC_COLLECTOR = GCCollector()
"""This interpreter's collector, on the default REGISTRY."""
