"""Prometheus metrics for CircuitPython, MicroPython and CPython.

from prometheus_express import Counter, generate_latest
boots = Counter("boots", "Times the board started")
boots.inc()
page = generate_latest()
"""

from .exposition import generate_latest, write_text
from .metrics import Counter, Gauge, disable_created_metrics, enable_created_metrics
from .registry import REGISTRY, CollectorRegistry


# The rest loads on first use, so a board pays only for what it touches. The
# table of those names is a module of its own: as constants here it would
# cost about 1 KB of RAM from import on, even on a board that never asks.
def __getattr__(name):
    from ._lazy import load

    return load(globals(), name)
