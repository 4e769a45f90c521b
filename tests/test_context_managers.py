"""prometheus_express.context_managers, against a recording stand-in metric."""

from support import Recorder, raises, sleep

from prometheus_express.context_managers import ExceptionCounter, InprogressTracker, Timer


def test_exception_counter_counts_only_its_type():
    m = Recorder()
    counter = ExceptionCounter(m, ValueError)

    def fail(exc):
        with counter:
            raise exc

    raises(ValueError, fail, ValueError("a"))
    raises(TypeError, fail, TypeError("b"))
    with counter:
        pass
    assert m.calls == [("inc", 1)]


def test_exception_counter_accepts_a_tuple_of_types():
    m = Recorder()
    counter = ExceptionCounter(m, (KeyError, OSError))

    def fail(exc):
        with counter:
            raise exc

    raises(KeyError, fail, KeyError("a"))
    raises(OSError, fail, OSError(5))
    raises(ValueError, fail, ValueError("c"))
    assert len(m.calls) == 2


def test_exception_counter_decorator_passes_arguments_and_result():
    m = Recorder()

    @ExceptionCounter(m, ZeroDivisionError)
    def divide(a, b=1):
        return a // b

    assert divide(9, b=3) == 3
    raises(ZeroDivisionError, divide, 1, 0)
    assert m.calls == [("inc", 1)]


def test_inprogress_tracker_pairs_inc_and_dec():
    m = Recorder()
    with InprogressTracker(m):
        assert m.calls == [("inc", 1)]
    assert m.calls == [("inc", 1), ("dec", 1)]


def test_inprogress_tracker_decrements_when_raising():
    m = Recorder()

    def fail():
        with InprogressTracker(m):
            raise RuntimeError("x")

    raises(RuntimeError, fail)
    assert m.calls == [("inc", 1), ("dec", 1)]


def test_inprogress_tracker_decorator():
    m = Recorder()

    @InprogressTracker(m)
    def work(x):
        return x + 1

    assert work(1) == 2
    assert work(2) == 3
    assert m.calls == [("inc", 1), ("dec", 1), ("inc", 1), ("dec", 1)]


def test_timer_reports_seconds_to_the_callback():
    m = Recorder()
    with Timer(m, "observe"):
        sleep(0.05)
    assert len(m.calls) == 1
    name, value = m.calls[0]
    assert name == "observe"
    assert 0.03 <= value < 30


def test_timer_reports_even_when_raising():
    m = Recorder()

    def fail():
        with Timer(m, "set"):
            raise KeyError("x")

    raises(KeyError, fail)
    assert len(m.calls) == 1
    assert m.calls[0][0] == "set"
    assert m.calls[0][1] >= 0


def test_timer_enter_returns_the_timer():
    m = Recorder()
    timer = Timer(m, "observe")
    with timer as t:
        assert t is timer


def test_timer_labels_reports_to_the_child():
    m = Recorder()
    with Timer(m, "observe") as t:
        t.labels("a", k="b")
    assert len(m.calls) == 1
    what, args, kw, child = m.calls[0]
    assert (what, args, kw) == ("labels", ("a",), {"k": "b"})
    assert len(child.calls) == 1
    assert child.calls[0][0] == "observe"


def test_timer_decorator_times_each_call_separately():
    m = Recorder()
    timer = Timer(m, "observe")

    @timer
    def outer(depth):
        if depth:
            return outer(depth - 1) + 1
        sleep(0.02)
        return 0

    # Nested (recursive) calls must not share a start time.
    assert outer(2) == 2
    assert [c[0] for c in m.calls] == ["observe", "observe", "observe"]
    inner, middle, top = [c[1] for c in m.calls]
    assert inner <= middle <= top
    assert inner >= 0.01


def test_timer_duration_after_the_block_as_client_python():
    m = Recorder()
    timer = Timer(m, "observe")
    assert timer.duration is None
    with timer as t:
        sleep(0.05)
    assert t.duration == m.calls[0][1]
    assert 0.03 <= t.duration < 30


def test_decorators_keep_the_name_and_docstring_where_functools_is():
    try:
        import functools  # noqa: F401
    except ImportError:  # MicroPython, CircuitPython: nothing to keep them with
        return

    def view():
        """The page."""
        return 1

    for decorator in (
        Timer(Recorder(), "observe"),
        InprogressTracker(Recorder()),
        ExceptionCounter(Recorder(), ValueError),
    ):
        decorated = decorator(view)
        assert decorated.__name__ == "view"
        assert decorated.__doc__ == "The page."
        assert decorated() == 1
