"""Runtime differences the core needs: const, clocks, a lock, and seldom-used methods.

start = ticks(); ...; seconds_since(start)
"""

# The platform facts behind this module are in docs/platforms.md.
import sys
import time

try:
    from micropython import const
except ImportError:

    def const(x):
        return x


try:
    from _thread import allocate_lock
except ImportError:  # CircuitPython: no threads, nothing to guard

    class allocate_lock:  # noqa: N801  (stands in for the function: a lock that never waits)
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False


# Clocks on boards without long integers (CircuitPython's smallest builds) cannot hold Unix
# time: time.time() and time.monotonic_ns() raise there, and so would loading any literal
# above 2**30, which is why these count from 2000.
_Y2K = const(946684800)  # 2000-01-01 in Unix time
# A clock before 2020-01-01 (in seconds from 2000) is a board that has not set its RTC yet.
_PLAUSIBLE_SINCE_Y2K = const(631152000)

# Some MicroPython ports count wall time from 2000, not 1970. localtime, not
# gmtime: CircuitPython has only localtime; a time zone can make it 1999 (or 1969).
_EPOCH = _Y2K if time.localtime(0)[0] >= 1999 else 0

try:  # CPython, CircuitPython: integer nanoseconds
    time.monotonic_ns()  # raises NotImplementedError without long integers
    ticks = time.monotonic_ns

    def seconds_since(start):
        return (time.monotonic_ns() - start) / 1e9

except (AttributeError, NotImplementedError, OverflowError):
    try:  # MicroPython: a wrapping millisecond clock; ticks_diff handles the wrap
        ticks = time.ticks_ms

        def seconds_since(start):
            return max(time.ticks_diff(time.ticks_ms(), start), 0) / 1000

    except AttributeError:  # CircuitPython without long integers: float seconds
        ticks = time.monotonic

        def seconds_since(start):
            return time.monotonic() - start


def unix_time():
    """Seconds since 1970, whatever epoch the port counts from."""
    return time.time() + _EPOCH


def wall_time():
    """Unix time in seconds; on a board, None while its clock is not plausible (an RTC not
    set yet). CPython's clock is taken as it is, as client_python takes it for _created."""
    try:
        now = unix_time()
        if not BOARD or now - _Y2K >= _PLAUSIBLE_SINCE_Y2K:
            return now
    except (NotImplementedError, OverflowError):  # no long integers, so no Unix time
        pass
    return None


# One lock for every metric value and every registry: CPython's exporter thread reads while
# the program writes. A lock per value would cost RAM on a board for nothing. Nothing that
# holds it takes another lock or calls a user's code, so sharing it cannot deadlock.
LOCK = allocate_lock()

# MicroPython and CircuitPython keep every loaded function in RAM, so there the methods a
# board seldom calls load on first use (methods.py); elsewhere they are there from import on.
BOARD = sys.implementation.name in ("micropython", "circuitpython")


def load_method(obj, name):
    """The __getattr__ of classes with seldom-used methods: the class gains them on first use."""
    # Only called for a name the instance and its class lack.
    if not name.startswith("_"):
        from .methods import attach

        if attach(type(obj), name):
            return getattr(obj, name)
    from .errors import no_such_attribute

    raise no_such_attribute(obj, name)
