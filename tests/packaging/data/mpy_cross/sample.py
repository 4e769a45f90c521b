"""The constructs the library is written with, for comparing compilers (never imported).

tests/packaging/test_compilers.py compiles this with the offline stand-in and compares the
bytes with what CircuitPython's own mpy-cross wrote for it (sample.circuitpython-VERSION).
"""

import sys

from . import sibling
from .sibling import name as other

LIMIT = 1 << 40
SMALL = -7
RATIO = 0.1
BIG = 1e300
NAN = float("nan")
TEXT = 'caf\u00e9 "quoted" \\ \n\t'
DATA = b"\x00\xff\r\n"
PAIRS = ((1, "a"), (2, "b"))
TABLE = {"a": 1, 2: [3.5, None, True, False]}
SEEN = {1, 2}


class Base(Exception):
    """A class with a docstring, attributes, methods and properties."""

    limit = 10

    def __init__(self, value, *rest, key=None, **more):
        super().__init__(value)
        self.value = value
        self.rest = rest
        self.more = dict(more, key=key)

    @property
    def size(self):
        return len(self.rest)

    @staticmethod
    def make(*args):
        return Base(*args)

    @classmethod
    def other(cls):
        return cls(1)


class Child(Base):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def counter(start=0):
    count = start

    def step(by=1):
        nonlocal count
        count += by
        return count

    return step


def generate(items):
    yield from items
    for i, item in enumerate(items):
        if i % 2:
            continue
        elif not item:
            break
        yield item * 2
    else:
        yield None


def flow(values, pick=lambda v: v > 0):
    global SMALL
    total = 0
    squares = [v * v for v in values if pick(v)]
    index = {k: v for k, v in enumerate(values)}
    unique = {v % 3 for v in values}
    total += sum(v for v in values)
    i = 0
    while i < len(values):
        i += 1
        if 0 < i <= 3 and i != 2 or i is None:
            total -= i
    else:
        SMALL = total
    try:
        with Child(1) as c:
            total //= c.value
            assert total is not None, "no total"
    except (ValueError, TypeError) as e:
        raise RuntimeError("bad: %r" % (e,)) from e
    except Exception:
        raise
    else:
        del index[0]
    finally:
        values = values[1:-1:2]
    text = "%s=%d %.3f %x" % ("a", total, RATIO, 255)
    return squares, unique, text, -total, ~total, total**2, not total


def names():
    return sys.implementation.name, sibling, other, BIG, NAN, TEXT, DATA, PAIRS, TABLE
