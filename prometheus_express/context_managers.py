"""Timers, exception counters and in-progress trackers: decorators and context managers.

with histogram.time():
    read_sensor()
"""

from ._port import seconds_since, ticks

try:  # CPython: a decorated function keeps its name, docstring and signature
    from functools import wraps
except ImportError:  # MicroPython, CircuitPython: no functools, and no use for them
    wraps = None


class _Block:
    # Each decorated call gets its own instance, so nested and recursive
    # calls do not share state.
    def __call__(self, f):
        def wrapped(*args, **kwargs):
            with self._copy():
                return f(*args, **kwargs)

        # Two decorated Flask views must not both be called "wrapped".
        return wrapped if wraps is None else wraps(f)(wrapped)


class ExceptionCounter(_Block):
    def __init__(self, counter, exception):
        self._counter = counter
        self._exception = exception

    def _copy(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, typ, value, traceback):
        if isinstance(value, self._exception):
            self._counter.inc()
        return False


class InprogressTracker(_Block):
    def __init__(self, gauge):
        self._gauge = gauge

    def _copy(self):
        return self

    def __enter__(self):
        self._gauge.inc()

    def __exit__(self, typ, value, traceback):
        self._gauge.dec()
        return False


class Timer(_Block):
    """Measures with the integer monotonic clock and reports seconds."""

    def __init__(self, metric, callback_name):
        self._metric = metric
        self._callback_name = callback_name
        self._start = None
        self.duration = None  # seconds the block took, once it has ended

    def _copy(self):
        return Timer(self._metric, self._callback_name)

    def __enter__(self):
        self._start = ticks()
        return self

    def __exit__(self, typ, value, traceback):
        self.duration = seconds_since(self._start)
        getattr(self._metric, self._callback_name)(self.duration)
        return False

    def labels(self, *args, **kw):
        """Pick the child to report to, inside a `with parent.time() as t:` block."""
        self._metric = self._metric.labels(*args, **kw)
