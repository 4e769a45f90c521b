"""prometheus_express._port: wall clock plausibility, monotonic timing, the lock."""

from support import PLAUSIBLE, FakeUnixTime, module, now, sleep

_port = module("prometheus_express._port")


def test_unix_time_counts_from_1970():
    # Both test runtimes count from 1970, so the library's reading matches time.time().
    before = now()
    got = _port.unix_time()
    after = now()
    assert before - 1 <= got <= after + 1


def test_wall_time_is_none_before_2020():
    with FakeUnixTime(0):
        assert _port.wall_time() is None
    with FakeUnixTime(PLAUSIBLE - 1):
        assert _port.wall_time() is None
    # A port counting from 2000 whose RTC is unset reads early 2000 in Unix time.
    with FakeUnixTime(946684800 + 5):
        assert _port.wall_time() is None


def test_wall_time_passes_a_plausible_clock_through():
    with FakeUnixTime(PLAUSIBLE):
        assert _port.wall_time() == PLAUSIBLE
    with FakeUnixTime(1700000000.25):
        assert _port.wall_time() == 1700000000.25


def test_wall_time_uses_the_real_clock_after_the_fake():
    with FakeUnixTime(5):
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
