"""Details a user switching from prometheus_client 0.26 meets, compared with 0.26 itself."""

import inspect

import prometheus_client as pc
import pytest

import prometheus_express as pe


def _decorators(lib, registry):
    h = lib.Histogram("h_seconds", "d", registry=registry)
    g = lib.Gauge("g", "d", registry=registry)
    c = lib.Counter("c", "d", registry=registry)
    return (h.time(), g.time(), g.track_inprogress(), c.count_exceptions(ValueError))


def view(user_id, *, page=1, **extra):
    """Shows one user."""
    return (user_id, page, extra)


@pytest.mark.parametrize("which", range(4))
def test_decorated_functions_keep_name_docstring_and_signature(which):
    ours = _decorators(pe, pe.CollectorRegistry())[which](view)
    theirs = _decorators(pc, pc.CollectorRegistry())[which](view)
    assert ours.__name__ == theirs.__name__ == "view"
    assert ours.__doc__ == theirs.__doc__ == "Shows one user."
    assert inspect.signature(ours) == inspect.signature(theirs)
    assert ours(7, page=2, q="x") == theirs(7, page=2, q="x") == (7, 2, {"q": "x"})


def test_two_decorated_views_keep_their_own_names():
    registry = pe.CollectorRegistry()
    h = pe.Histogram("h_seconds", "d", registry=registry)

    @h.time()
    def index():
        return "index"

    @h.time()
    def about():
        return "about"

    assert (index.__name__, about.__name__) == ("index", "about")
    assert (index(), about()) == ("index", "about")


def test_timer_duration_as_client_python():
    for lib in (pe, pc):
        h = lib.Histogram("h_seconds", "d", registry=lib.CollectorRegistry())
        timer = h.time()
        assert timer.duration is None
        with timer as t:
            pass
        assert isinstance(t.duration, float) and t.duration >= 0, lib


@pytest.mark.parametrize(
    "make",
    [
        lambda lib, r: lib.Counter("c", "d", registry=r),
        lambda lib, r: lib.Gauge("g", "d", ["a"], registry=r),
        lambda lib, r: lib.Gauge("g", "d", ["a"], registry=r).labels("x"),
        lambda lib, r: lib.Summary("s", "d", registry=r),
        lambda lib, r: lib.Histogram("h", "d", registry=r),
        lambda lib, r: lib.Info("i", "d", registry=r),
        lambda lib, r: lib.Enum("e", "d", states=["a", "b"], registry=r),
    ],
)
def test_repr_names_the_class_and_the_metric_as_client_python(make):
    ours = make(pe, pe.CollectorRegistry())
    theirs = make(pc, pc.CollectorRegistry())
    # prometheus_client.metrics.Counter(c) -> prometheus_express.<module>.Counter(c)
    assert repr(ours).split(".")[-1] == repr(theirs).split(".")[-1]
    assert repr(ours) == "%s.%s" % (type(ours).__module__, repr(theirs).split(".")[-1])
    assert repr(ours).startswith("prometheus_express.")


@pytest.mark.parametrize("clock", [123.456, 0.0, 1.5e9, 1700000000.123])
def test_created_is_written_as_client_python_writes_it_whatever_the_clock(clock, monkeypatch):
    import time

    monkeypatch.setattr(time, "time", lambda: clock)
    pages = []
    for lib, om in ((pe, "prometheus_express.openmetrics"), (pc, "prometheus_client.openmetrics")):
        r = lib.CollectorRegistry()
        lib.Counter("c", "d", ["a"], registry=r).labels("x").inc()
        lib.Summary("s", "d", registry=r).observe(2)
        lib.Histogram("h", "d", buckets=(1,), registry=r).observe(0.5)
        openmetrics = __import__(om + ".exposition", None, None, ["generate_latest"])
        pages.append((lib.generate_latest(r), openmetrics.generate_latest(r)))
    assert pages[0] == pages[1]
    assert b"_created" in pages[0][0] and b"_created" in pages[0][1]
