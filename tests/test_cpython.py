"""What the package gains on CPython only (_cpython.py), and that a board goes without it:
Gauge's multiprocess_mode, client_python's names in `metrics`, ThreadingWSGIServer in
`exposition`. (tests/oracle/test_cpython.py compares them with client_python's.)"""

import sys

from support import raises

import prometheus_express
from prometheus_express import CollectorRegistry, Gauge, exposition, generate_latest, metrics

BOARD = sys.implementation.name in ("micropython", "circuitpython")
# Names client_python's `metrics` offers that live in other modules here.
ELSEWHERE = (
    "Histogram",
    "Summary",
    "Enum",
    "Info",
    "Metric",
    "Sample",
    "Exemplar",
    "CollectorRegistry",
    "ExceptionCounter",
    "InprogressTracker",
    "Timer",
    "INF",
    "floatToGoString",
)


def test_gauge_takes_multiprocess_mode_on_cpython_only():
    r = CollectorRegistry()
    if BOARD:  # a board runs no processes: Gauge keeps its signature there
        raises(TypeError, Gauge, "g", "d", registry=r, multiprocess_mode="all")
        assert r._collectors == []
        return
    g = Gauge("g", "d", ["room"], registry=r, multiprocess_mode="livesum")
    g.labels("hall").set(2)
    assert g._multiprocess_mode == "livesum"
    assert g.labels("hall")._multiprocess_mode == "livesum"  # a child has its parent's
    assert Gauge("h", "d", registry=r)._multiprocess_mode == "all"
    # No effect on the page: the same as a Gauge without a mode.
    plain = CollectorRegistry()
    Gauge("g", "d", ["room"], registry=plain).labels("hall").set(2)
    Gauge("h", "d", registry=plain)
    assert generate_latest(r) == generate_latest(plain)


def test_an_unknown_multiprocess_mode_is_a_value_error_and_registers_nothing():
    if BOARD:
        return
    r = CollectorRegistry()
    e = raises(ValueError, Gauge, "g", "d", registry=r, multiprocess_mode="average")
    assert "multiprocess mode" in str(e) and "average" in str(e), str(e)
    assert r._collectors == []


def test_metrics_offers_client_pythons_other_names_on_cpython_only():
    if BOARD:  # metrics holds Counter and Gauge only: a board loads nothing more
        for name in ELSEWHERE:
            assert not hasattr(metrics, name), name
        return
    from prometheus_express import context_managers

    for name in ELSEWHERE:
        value = getattr(metrics, name)
        assert (
            value is getattr(prometheus_express, name, None)
            or value is getattr(exposition, name, None)
            or value is getattr(context_managers, name, None)
        ), name
    e = raises(AttributeError, getattr, metrics, "Histogramm")
    assert "Histogramm" in str(e), str(e)


def test_exposition_offers_threading_wsgi_server_on_cpython_only():
    if BOARD:  # no wsgiref on a board
        assert not hasattr(exposition, "ThreadingWSGIServer")
        return
    from prometheus_express import web

    assert exposition.ThreadingWSGIServer is web.ThreadingWSGIServer
    assert prometheus_express.ThreadingWSGIServer is web.ThreadingWSGIServer
