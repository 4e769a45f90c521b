"""prometheus_express._port: wall clock plausibility, monotonic timing, the lock."""

from support import PLAUSIBLE, FakeUnixTime, module, now, sleep

_port = module("prometheus_express._port")


def test_unix_time_counts_from_1970():
    # Both test runtimes count from 1970, so the library's reading matches time.time().
    before = now()
    got = _port.unix_time()
    after = now()
    assert before - 1 <= got <= after + 1


def test_wall_time_is_none_before_2020_on_a_board():
    with FakeUnixTime(0, board=True):
        assert _port.wall_time() is None
    with FakeUnixTime(PLAUSIBLE - 1, board=True):
        assert _port.wall_time() is None
    # A port counting from 2000 whose RTC is unset reads early 2000 in Unix time.
    with FakeUnixTime(946684800 + 5, board=True):
        assert _port.wall_time() is None


def test_wall_time_takes_cpythons_clock_as_it_is():
    # As client_python writes _created: whatever time.time() returns.
    for clock in (0, 123.456, PLAUSIBLE - 1):
        with FakeUnixTime(clock, board=False):
            assert _port.wall_time() == clock


def test_wall_time_passes_a_plausible_clock_through():
    with FakeUnixTime(PLAUSIBLE):
        assert _port.wall_time() == PLAUSIBLE
    with FakeUnixTime(1700000000.25):
        assert _port.wall_time() == 1700000000.25


def test_wall_time_uses_the_real_clock_after_the_fake():
    with FakeUnixTime(5, board=True):
        assert _port.wall_time() is None
    got = _port.wall_time()
    assert got is not None
    assert abs(got - now()) < 2


def test_seconds_since_reports_seconds():
    start = _port.ticks()
    sleep(0.05)
    elapsed = _port.seconds_since(start)
    # Loose bounds: this checks the unit (seconds, not ms or ns), not the speed.
    assert 0.03 <= elapsed < 30


def test_seconds_since_is_never_negative():
    assert _port.seconds_since(_port.ticks()) >= 0


def test_the_lock_is_a_context_manager():
    lock = _port.LOCK
    with lock:
        entered = True
    assert entered
    # Reusable after release.
    with lock:
        pass


def test_const_returns_its_argument():
    assert _port.const(7) == 7


class _NoLongIntTime:
    # The time module of a CircuitPython build without long integers: the clocks that
    # would need one raise NotImplementedError; the float monotonic clock works.
    def __init__(self, real):
        self.real = real
        self.localtime = real.localtime
        self.sleep = real.sleep

    def time(self):
        raise NotImplementedError("No long integer support")

    def monotonic_ns(self):
        raise NotImplementedError("No long integer support")

    def monotonic(self):
        return 1000.5


def _port_loaded_with(fake_time):
    # A second copy of _port, imported while `time` is the fake; the real one is put back.
    import sys

    real_port = sys.modules.pop("prometheus_express._port")
    real_time = sys.modules.get("time")
    sys.modules["time"] = fake_time
    try:
        __import__("prometheus_express._port")
        return sys.modules["prometheus_express._port"]
    finally:
        sys.modules["prometheus_express._port"] = real_port
        if real_time is None:
            del sys.modules["time"]
        else:
            sys.modules["time"] = real_time


def test_a_build_without_long_integers_still_imports_and_times():
    import time

    port = _port_loaded_with(_NoLongIntTime(time))
    assert port is not _port
    assert port.wall_time() is None  # no Unix time: no _created, no crash
    start = port.ticks()
    assert port.seconds_since(start) >= 0
    assert port.seconds_since(start - 2) >= 2  # seconds, from the float clock


def test_no_literal_in_the_library_needs_a_long_integer():
    # Loading a module with an int literal beyond a small int (2**30 on 32-bit boards) fails
    # on builds without long integers, before any of its code runs.
    import os

    folder = module("prometheus_express").__file__.rsplit("/", 1)[0]
    found = []
    for name in os.listdir(folder):
        if not name.endswith(".py"):
            continue
        with open(folder + "/" + name) as f:
            number = ""
            for line in f:
                code = line.split("#", 1)[0]
                for c in code + " ":
                    if c.isdigit() or (number and c in "xXabcdefABCDEF_"):
                        number += c
                        continue
                    if number and number[0].isdigit() and len(number) >= 10:
                        try:
                            if int(number.replace("_", ""), 0) >= 1 << 30:
                                found.append((name, number))
                        except ValueError:
                            pass
                    number = ""
    assert found == [], found
