"""Helpers shared by the portable tests (pytest on CPython, tests/mpy_runner.py on MicroPython).

    e = raises(ValueError, Counter, "", "doc", registry=None)
    assert "empty" in str(e)

Only the subset every runtime runs: no pytest, no f-strings, no os.path, no inspect.
"""

import sys
import time

# Independent of the library: 2020-01-01T00:00:00Z, the documented "clock is set" threshold.
PLAUSIBLE = 1577836800


def module(name):
    """The module called name, imported if need be (test_init covers the `from` forms)."""
    __import__(name)
    return sys.modules[name]


def raises(exc_type, fn, *args, **kw):
    """Call fn and return the exc_type it raised; fail if it raised nothing."""
    try:
        fn(*args, **kw)
    except exc_type as e:
        return e
    raise AssertionError("%s was not raised" % exc_type.__name__)


class Sink:
    """A write() target that keeps every piece, and checks each piece is a str."""

    def __init__(self):
        self.pieces = []

    def write(self, piece):
        if not isinstance(piece, str):
            raise AssertionError("write() got %r, not a str" % (piece,))
        self.pieces.append(piece)

    def text(self):
        return "".join(self.pieces)


def text_page(registry, created=False):
    """The registry in text format 0.0.4 as a str; _created samples only if created."""
    from prometheus_express import generate_latest

    return _page(generate_latest, registry, created)


def om_page(registry, created=False):
    """The registry in OpenMetrics text as a str; _created samples only if created."""
    from prometheus_express.openmetrics.exposition import generate_latest

    return _page(generate_latest, registry, created)


def _page(generate, registry, created):
    from prometheus_express import disable_created_metrics, enable_created_metrics

    if created:
        return generate(registry).decode("utf-8")
    disable_created_metrics()
    try:
        return generate(registry).decode("utf-8")
    finally:
        enable_created_metrics()


def collected_value(registry, name, labels=None):
    """A sample's value as collect() holds it, exact ints kept (get_sample_value() gives floats
    on CPython, as client_python's does); None if there is no such sample."""
    labels = labels or {}
    for family in registry.collect():
        for s in family.samples:
            if s.name == name and s.labels == labels:
                return s.value
    return None


def lines(page):
    """The lines of a page, without the empty string after the final newline."""
    assert page == "" or page.endswith("\n"), "page must end with a newline: %r" % page
    return page.split("\n")[:-1]


def sample_value(line):
    """The value of a sample line, as a float."""
    return float(line.split(" ")[-1])


class FakeUnixTime:
    """Within the block, the library's wall clock reads `now` (seconds since 1970); with
    board=True (or False) the library also takes the runtime for a board (or not), as
    wall_time() trusts CPython's clock whatever it reads and a board's only once plausible.

    Replaces _port.unix_time, which _port.wall_time calls: MicroPython's time module
    cannot be patched, a module's globals can.
    """

    def __init__(self, now, board=None):
        self.now = now
        self.board = board

    def __enter__(self):
        _port = module("prometheus_express._port")
        now = self.now
        self.saved = _port.unix_time, _port.BOARD
        _port.unix_time = lambda: now
        if self.board is not None:
            _port.BOARD = self.board
        return self

    def __exit__(self, *exc):
        _port = module("prometheus_express._port")
        _port.unix_time, _port.BOARD = self.saved
        return False


class LegacyNames:
    """Within the block, only legacy names are accepted (enable_legacy_validation())."""

    def __enter__(self):
        validation = module("prometheus_express.validation")
        self.saved = validation.get_legacy_validation()
        validation.enable_legacy_validation()
        return self

    def __exit__(self, *exc):
        validation = module("prometheus_express.validation")
        if not self.saved:
            validation.disable_legacy_validation()
        return False


class Utf8Names:
    """For a block that creates metrics with UTF-8 names. Accepting one switches every later
    page to the writer that escapes names; after the block, pages are streamed again as
    before, so that the other tests keep testing the streamed path."""

    def __enter__(self):
        self.saved = module("prometheus_express.exposition").utf8_names
        return self

    def __exit__(self, *exc):
        module("prometheus_express.exposition").utf8_names = self.saved
        return False


def now():
    """time.time(): the CPython and MicroPython unix ports both count from 1970."""
    return time.time()


def sleep(seconds):
    time.sleep(seconds)


class Collector:
    """A custom collector: collect() returns the families given, describe() optionally."""

    def __init__(self, families, describe=False):
        self.families = families
        if describe:
            self.describe = self._describe

    def collect(self):
        return list(self.families)

    def _describe(self):
        return list(self.families)


class Recorder:
    """A stand-in metric for the context managers: records inc/dec/set/observe calls."""

    def __init__(self):
        self.calls = []

    def inc(self, amount=1):
        self.calls.append(("inc", amount))

    def dec(self, amount=1):
        self.calls.append(("dec", amount))

    def set(self, value):
        self.calls.append(("set", value))

    def observe(self, value):
        self.calls.append(("observe", value))

    def labels(self, *args, **kw):
        child = Recorder()
        self.calls.append(("labels", args, kw, child))
        return child


class Unloaded:
    """Within the block, submodule `name` looks never imported; the original returns after.

    For the lazy loaders: what a fresh board sees, whatever other tests imported before.
    """

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        i = self.name.rfind(".")
        self.parent = module(self.name[:i])
        self.attr = self.name[i + 1 :]
        self.saved = sys.modules.pop(self.name, None)
        try:
            delattr(self.parent, self.attr)
        except (AttributeError, KeyError):  # MicroPython: KeyError for a missing attribute
            pass
        return self

    def __exit__(self, *exc):
        # Put the original back: other modules hold its functions and classes.
        if self.saved is not None:
            sys.modules[self.name] = self.saved
            setattr(self.parent, self.attr, self.saved)
        return False


def board_registry(children=3):
    """A small board's registry: a Gauge of `children` sensors and a Counter. children=3 gives
    a page of a few hundred bytes; 60 or more, several KB (longer than a 1 KB buffer)."""
    from prometheus_express import CollectorRegistry, Counter, Gauge

    r = CollectorRegistry()
    g = Gauge("board_temperature_celsius", "Board temperature.", ["sensor"], registry=r)
    for i in range(children):
        g.labels("sensor_%d" % i).set(20 + i / 4)
    Counter("board_boots", "Boots since flashing.", registry=r).inc(2)
    return r


def float_bits():
    """The significand bits of this runtime's float: 53 for a double, 24 for a 32-bit float,
    22 for a 32-bit float kept in a 30-bit object (CircuitPython, many MicroPython boards)."""
    bits = 0
    x = 1.0
    while x + 1.0 != x:
        x *= 2
        bits += 1
    return bits


# client_python's answers are for doubles; a board's narrower float holds other values.
DOUBLE = float_bits() >= 53


def go_float(x):
    """What client_python's floatToGoString writes for the float x as this runtime holds it:
    repr(x), in exponent form once a positive value has 7 integer digits or more. Built with
    "%e" formatting at repr's number of digits, not by moving repr's decimal point (the
    library's way), so a board's own float printing decides the digits."""
    s = repr(x)
    dot = s.find(".")
    if not x > 0 or "e" in s or dot <= 6:
        return s
    digits = (s[:dot] + s[dot + 1 :]).rstrip("0")
    return ("%%.%de" % (len(digits) - 1)) % x


def float_text(x, double_text):
    """The text for the float x: double_text (client_python's, with a double) where this
    runtime's float is a double, which go_float must then agree with; else go_float(x)."""
    text = go_float(x)
    if DOUBLE and text != double_text:
        raise AssertionError("go_float(%r) is %r, client_python writes %r" % (x, text, double_text))
    return text


def sample_number(line):
    """The value of a sample line: an int when the text is a whole number ("1.79587815e+09"
    too), so it stays exact where a board's float would round it; else a float."""
    text = line.split(" ")[-1]
    sign = 1
    if text[:1] == "-":
        sign = -1
        text = text[1:]
    e = text.find("e")
    exponent = int(text[e + 1 :]) if e >= 0 else 0
    mantissa = text[:e] if e >= 0 else text
    dot = mantissa.find(".")
    fraction = mantissa[dot + 1 :].rstrip("0") if dot >= 0 else ""
    digits = (mantissa[:dot] if dot >= 0 else mantissa) + fraction
    exponent -= len(fraction)
    if digits.isdigit() and exponent >= 0:
        return sign * int(digits) * 10**exponent
    return sign * float(text)
