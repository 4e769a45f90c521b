"""What the package gains on CPython (_cpython.py) against prometheus_client 0.26: Gauge's
multiprocess_mode, the names of client_python's `metrics` module, and ThreadingWSGIServer from
`exposition`."""

import inspect
import subprocess
import sys
import threading
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server

import prometheus_client as pc
import prometheus_client.exposition as pc_exposition
import prometheus_client.metrics as pc_metrics
import pytest
from test_public_names import client_python_names, readme_rows

import prometheus_express as pe
from prometheus_express import exposition, metrics, web

MODES = sorted(pc.Gauge._MULTIPROC_MODES)


def _outcome(lib, **kwargs):
    """What Gauge(...) does in lib: its mode, or the error's type and message; and which
    families its registry then holds."""
    registry = lib.CollectorRegistry()
    try:
        result = lib.Gauge("g", "d", ["room"], registry=registry, **kwargs)._multiprocess_mode
    except Exception as e:  # the comparison is the test: any exception
        result = (type(e), str(e))
    return result, [m.name for m in registry.collect()]


@pytest.mark.parametrize("mode", MODES + ["bogus", "ALL", "", " all", None, 3, ["all"]])
def test_gauge_takes_or_refuses_each_mode_as_client_python_does(mode):
    assert _outcome(pe, multiprocess_mode=mode) == _outcome(pc, multiprocess_mode=mode)


def test_the_default_mode_is_client_pythons():
    assert _outcome(pe) == _outcome(pc) == ("all", ["g"])


def test_the_mode_is_checked_before_the_name_as_in_client_python():
    def error(lib):
        with pytest.raises(ValueError) as e:
            lib.Gauge("not a name", "d", registry=None, multiprocess_mode="bogus")
        return str(e.value)

    assert error(pe) == error(pc)


@pytest.mark.parametrize("mode", ["all", "max", "livemostrecent"])
def test_a_child_has_its_parents_mode_as_in_client_python(mode):
    def child_mode(lib):
        g = lib.Gauge("g", "d", ["room"], registry=None, multiprocess_mode=mode)
        return g.labels("hall")._multiprocess_mode

    assert child_mode(pe) == child_mode(pc) == mode


@pytest.mark.parametrize("mode", MODES)
def test_the_mode_changes_nothing_on_the_page(mode):
    # One process here: each mode gives the page of a Gauge without one (and of 0.26's
    # Gauge outside multiprocess mode).
    def page(lib, **kwargs):
        registry = lib.CollectorRegistry()
        g = lib.Gauge("g", "d", ["room"], registry=registry, **kwargs)
        g.labels("hall").set(2.5)
        g.labels("attic").set(-3)
        return lib.generate_latest(registry)

    assert page(pe, multiprocess_mode=mode) == page(pe) == page(pc, multiprocess_mode=mode)


@pytest.mark.parametrize("mode", sorted(pc.Gauge._MOST_RECENT_MODES))
def test_the_mostrecent_modes_refuse_inc_and_dec_in_client_python_only(mode):
    # A known difference (README.md): the mode has no effect here, where 0.26 refuses inc()
    # and dec() under it even in one process. Code that runs on 0.26 runs the same here.
    for method in ("inc", "dec"):
        theirs = pc.Gauge("g", "d", registry=None, multiprocess_mode=mode)
        with pytest.raises(RuntimeError, match="must not be used with the mostrecent mode"):
            getattr(theirs, method)(2)
        ours = pe.Gauge("g", "d", registry=None, multiprocess_mode=mode)
        getattr(ours, method)(2)
        assert ours.collect()[0].samples[0].value == (2 if method == "inc" else -2)


def test_gauge_takes_the_base_parameters_and_client_pythons_mode_argument():
    ours = inspect.signature(pe.Gauge.__init__).parameters
    base = inspect.signature(metrics.MetricWrapperBase.__init__).parameters
    theirs = inspect.signature(pc.Gauge.__init__).parameters
    assert list(ours) == list(base) + ["multiprocess_mode"]
    for name in base:
        assert ours[name] == base[name]
    # Keyword-only here: 0.26's positional slot before it is its private _labelvalues.
    mode = ours["multiprocess_mode"]
    assert mode.kind is inspect.Parameter.KEYWORD_ONLY
    assert mode.default == theirs["multiprocess_mode"].default


def test_metrics_offers_every_name_of_client_pythons_metrics_not_in_the_readme_table():
    rows = readme_rows()
    names = [n for n in client_python_names("metrics") if (n, "metrics") not in rows]
    assert "Histogram" in names and "Timer" in names and "INF" in names
    for name in names:
        ours, theirs = getattr(metrics, name), getattr(pc_metrics, name)
        assert isinstance(ours, type) == isinstance(theirs, type), name
        assert callable(ours) == callable(theirs), name
        if name in vars(pe):
            assert ours is getattr(pe, name), name
    assert metrics.INF == pc_metrics.INF
    assert metrics.floatToGoString(1e6) == pc_metrics.floatToGoString(1e6)


def test_names_resolve_in_a_fresh_interpreter():
    # The import order of a program's first import, which the test run above has long passed.
    code = (
        "from prometheus_express.metrics import Histogram, Timer, INF, Gauge\n"
        "from prometheus_express.exposition import ThreadingWSGIServer\n"
        "import prometheus_express\n"
        "assert Histogram is prometheus_express.Histogram\n"
        "assert Gauge('g', 'd', multiprocess_mode='max')._multiprocess_mode == 'max'\n"
        "print(ThreadingWSGIServer.__name__, INF)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == "ThreadingWSGIServer inf\n"


def test_threading_wsgi_server_is_offered_as_client_pythons():
    assert exposition.ThreadingWSGIServer is pe.ThreadingWSGIServer is web.ThreadingWSGIServer
    ours, theirs = exposition.ThreadingWSGIServer, pc_exposition.ThreadingWSGIServer
    assert [b.__name__ for b in ours.__bases__] == [b.__name__ for b in theirs.__bases__]
    assert ours.__bases__ == theirs.__bases__
    assert ours.daemon_threads is theirs.daemon_threads is True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def _served_page(lib):
    # As client_python users serve the app with it: make_server(..., ThreadingWSGIServer).
    registry = lib.CollectorRegistry()
    lib.Gauge("g", "d", registry=registry).set(7.5)
    server = make_server(
        "127.0.0.1",
        0,
        lib.make_wsgi_app(registry),
        lib.exposition.ThreadingWSGIServer,
        handler_class=_Quiet,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = "http://127.0.0.1:%d/metrics" % server.server_port
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers["Content-Type"], response.read()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_threading_wsgi_server_serves_make_wsgi_app_as_client_pythons():
    assert _served_page(pe) == _served_page(pc)
