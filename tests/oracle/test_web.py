"""The CPython web integrations against prometheus_client 0.26's: make_wsgi_app, make_asgi_app,
start_wsgi_server, MetricsHandler, write_to_textfile and instance_ip_grouping_key.

The same registry contents are built in both libraries; each request goes to both apps, and the
statuses, headers and bodies (gunzipped, since gzip stamps the time) must be identical.

Deliberate differences, kept out of the random Accept headers and tested elsewhere: OpenMetrics
with `escaping=dots` or `values` keeps each sample's suffix as it is (0.26 rewrites it, and its
sample names then match no family; see tests/oracle/test_utf8_names.py), and a version that
is not digits and dots is passed over (tests/test_negotiation.py). A version with fewer than
three parts ("1", "1.0") is taken as that major version here, while 0.26 compares it as a tuple
below (1, 0, 0) and answers 0.0.4: kept out too, and named in
test_short_versions_are_a_known_difference.
"""

import asyncio
import gzip
import http.client
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from http.server import HTTPServer
from wsgiref.simple_server import WSGIServer
from wsgiref.util import setup_testing_defaults

import prometheus_client as pc
import prometheus_client.asgi as pc_asgi
import prometheus_client.exposition as pc_exposition
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import prometheus_express as pe
import prometheus_express.asgi as pe_asgi
import prometheus_express.exposition as pe_exposition
import prometheus_express.web as pe_web

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)

PROMETHEUS_ACCEPT = (
    "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
    "application/openmetrics-text;version=0.0.1;q=0.5,"
    "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
    "text/plain;version=0.0.4;q=0.3,*/*;q=0.2"
)


@pytest.fixture(autouse=True, scope="module")
def _no_created_series():
    # _created holds the wall clock at creation: it differs between the two sides.
    pc.disable_created_metrics()
    pe.disable_created_metrics()
    yield
    pc.enable_created_metrics()
    pe.enable_created_metrics()


def _fill(lib, registry):
    """The same families in either library's registry."""
    c = lib.Counter("requests", "Requests served", ["path", "code"], registry=registry)
    c.labels("/", "200").inc(3)
    c.labels('/a"b\\c\nd', "500").inc(1.5)
    g = lib.Gauge("temperature_celsius", "Air temperature\nin the shed", registry=registry)
    g.set(21.25)
    h = lib.Histogram("latency_seconds", "Latency", buckets=(0.1, 1, 10), registry=registry)
    for v in (0.05, 0.5, 5, 50):
        h.observe(v)
    s = lib.Summary("payload_bytes", "Payload", ["kind"], registry=registry)
    s.labels("json").observe(120)
    lib.Info("build", "Build", registry=registry).info({"version": "1.2.3", "commit": "abc"})
    lib.Enum("state", "State", states=["up", "down"], registry=registry).state("down")
    core = lib.metrics_core

    class Custom:
        def collect(self):
            f = core.GaugeMetricFamily("queue_depth", "Queued jobs", labels=["queue"])
            f.add_metric(["high"], 4)
            f.add_metric(["low"], 0.5)
            yield f
            yield core.CounterMetricFamily("jobs", "Jobs done", value=7)

        def describe(self):
            return self.collect()

    registry.register(Custom())


def _registries():
    theirs = pc.CollectorRegistry()
    ours = pe.CollectorRegistry()
    _fill(pc, theirs)
    _fill(pe, ours)
    return theirs, ours


@pytest.fixture(scope="module")
def registries(_no_created_series):
    return _registries()


# ---------------------------------------------------------------- comparing answers


def _families(body):
    # A restricted page lists the chosen families in the order of 0.26's set of collectors,
    # which is arbitrary: compare such pages as sorted family blocks (with # EOF kept last).
    blocks = []
    for line in body.decode("utf-8").splitlines(keepends=True):
        if line.startswith("# HELP") or line == "# EOF\n" or not blocks:
            blocks.append(line)
        else:
            blocks[-1] += line
    eof = blocks.pop() if blocks and blocks[-1] == "# EOF\n" else None
    return sorted(blocks), eof


def _answer(status, headers, body, query):
    headers = list(headers)
    if ("Content-Encoding", "gzip") in headers:
        # The compressed length depends on the order of a restricted page's families.
        if ("Content-Length", str(len(body))) in headers:
            headers.remove(("Content-Length", str(len(body))))
        body = gzip.decompress(body)
    if "name" in query:
        body = _families(body)
    return status, headers, body


def _wsgi(app, method="GET", path="/metrics", query="", accept=None, encoding=None):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query}
    if accept is not None:
        environ["HTTP_ACCEPT"] = accept
    if encoding is not None:
        environ["HTTP_ACCEPT_ENCODING"] = encoding
    setup_testing_defaults(environ)
    started = []

    def start_response(status, headers):
        started.append((status, headers))

    body = b"".join(app(environ, start_response))
    assert len(started) == 1
    return _answer(started[0][0], started[0][1], body, query)


# ---------------------------------------------------------------- requests

_ACCEPT_PARTS = (
    "application/openmetrics-text",
    "application/openmetrics-text; version=1.0.0",
    "application/openmetrics-text;version=0.0.1",
    "application/openmetrics-text;version=2.0.0;escaping=allow-utf-8",
    "application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6",
    "application/openmetrics-text; q=0.5; version=1.0.0",
    "text/plain",
    "text/plain;version=0.0.4",
    "text/plain; version=1.0.0",
    " text/plain ; version=1.0.0 ",
    "text/plain;version=1.0.0;escaping=allow-utf-8",
    "text/plain;version=1.0.0;escaping=values",
    "text/plain;version=1.0.0;escaping=dots",
    "text/plain;version=1.0.0;escaping=bogus",
    "text/plain;version=10.2.0",
    "*/*;q=0.2",
    "application/json",
    "text/html",
    "",
)
ACCEPTS = st.one_of(
    st.none(),
    st.just(PROMETHEUS_ACCEPT),
    st.lists(st.sampled_from(_ACCEPT_PARTS), min_size=1, max_size=4).map(",".join),
)
ENCODINGS = st.sampled_from(
    (
        None,
        "",
        "gzip",
        "GZIP",
        "gzip;q=0",  # 0.26 does not weigh q: gzip all the same
        "deflate, gzip",
        " gzip ;q=1.0",
        "gzip, deflate, br",
        "x-gzip",
        "br",
        "identity",
        "*",
    )
)
_NAMES = (
    "requests_total",
    "temperature_celsius",
    "latency_seconds_bucket",
    "latency_seconds_sum",
    "payload_bytes_count",
    "build_info",
    "state",
    "queue_depth",
    "jobs_total",
    "nope",
)
QUERIES = st.one_of(
    st.sampled_from(("", "foo=bar", "name[]=", "name%5B%5D=state", "name[]=a&name[]=")),
    st.lists(st.sampled_from(_NAMES), min_size=1, max_size=4).map(
        lambda names: "&".join("name[]=" + n for n in names)
    ),
)
METHODS = st.sampled_from(("GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"))
PATHS = st.sampled_from(("/metrics", "/", "/favicon.ico", "/other/path"))


@settings(deadline=None)
@given(
    method=METHODS,
    path=PATHS,
    query=QUERIES,
    accept=ACCEPTS,
    encoding=ENCODINGS,
    disable_compression=st.booleans(),
)
@example("GET", "/metrics", "", PROMETHEUS_ACCEPT, "gzip", False)
@example("GET", "/metrics", "", None, None, False)
@example("GET", "/metrics", "name[]=requests_total&name[]=queue_depth", "text/plain", None, False)
@example("HEAD", "/metrics", "", None, None, False)
@example("OPTIONS", "/metrics", "", None, None, False)
@example("GET", "/favicon.ico", "", None, "gzip", False)
@example("GET", "/metrics", "", None, "gzip", True)
def test_wsgi_app_answers_as_client_python(
    registries, method, path, query, accept, encoding, disable_compression
):
    theirs, ours = registries
    expected = _wsgi(
        pc.make_wsgi_app(theirs, disable_compression), method, path, query, accept, encoding
    )
    got = _wsgi(pe.make_wsgi_app(ours, disable_compression), method, path, query, accept, encoding)
    assert got == expected


def test_wsgi_app_defaults_serve_the_default_registry():
    assert pe.make_wsgi_app.__defaults__ == (pe.REGISTRY, False)
    status, headers, body = _wsgi(pe.make_wsgi_app(), encoding="gzip")
    assert status == "200 OK"
    assert headers == [
        ("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
        ("Content-Encoding", "gzip"),
    ]
    # What else is in REGISTRY depends on the tests run before: look for one series of our own.
    probe = pe.Gauge("web_default_registry_probe", "Probe")
    try:
        probe.set(42)
        assert b"\nweb_default_registry_probe 42.0\n" in _wsgi(pe.make_wsgi_app())[2]
    finally:
        pe.REGISTRY.unregister(probe)
    assert body.startswith(b"# HELP") or body == b""


def test_wsgi_app_pages_are_the_registry_pages(registries):
    # Independent of client_python's app: the page is ours, in the negotiated format.
    _, ours = registries
    app = pe.make_wsgi_app(ours)
    assert _wsgi(app)[2] == pe.generate_latest(ours)
    from prometheus_express.openmetrics.exposition import generate_latest as om

    assert _wsgi(app, accept="application/openmetrics-text")[2] == om(ours)


def test_short_versions_are_a_known_difference(registries):
    # 0.26 compares parse_version("1") == (1,) with (1, 0, 0) and finds it lower.
    theirs, ours = registries
    accept = "text/plain;version=1"
    assert _wsgi(pc.make_wsgi_app(theirs), accept=accept)[1] == [
        ("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
    ]
    assert _wsgi(pe.make_wsgi_app(ours), accept=accept)[1] == [
        ("Content-Type", "text/plain; version=1.0.0; charset=utf-8; escaping=underscores")
    ]


@pytest.mark.parametrize(
    "escaping, theirs_sample, ours_sample",
    [("values", b"U__requests__total{", b"requests_total{"), ("dots", b"requests__total{", None)],
)
def test_openmetrics_values_and_dots_escaping_are_a_known_difference(
    registries, escaping, theirs_sample, ours_sample
):
    # 0.26 escapes the sample names (U__requests__total, requests__total) but writes the HELP
    # and TYPE lines with another rule (requests), so its own parser reads an empty counter
    # and a second, unknown family. Ours keeps the suffix of each sample as it is.
    from prometheus_client.openmetrics.parser import text_string_to_metric_families

    theirs, ours = registries
    accept = "application/openmetrics-text; version=1.0.0; escaping=" + escaping
    content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping="
    expected = _wsgi(pc.make_wsgi_app(theirs), accept=accept)
    got = _wsgi(pe.make_wsgi_app(ours), accept=accept)
    assert got[:2] == expected[:2] == ("200 OK", [("Content-Type", content_type + escaping)])
    assert b"\n" + theirs_sample in expected[2]
    from prometheus_express.openmetrics.exposition import generate_latest as om

    assert got[2] == om(ours, escaping)
    if ours_sample:
        assert b"\n" + ours_sample in got[2]
    families = list(text_string_to_metric_families(got[2].decode()))
    assert [m.type for m in families[:2]] == ["counter", "gauge"]
    assert all(m.samples for m in families)


def test_wsgi_app_lets_a_failing_collector_raise_as_client_python_does():
    class Broken:
        def collect(self):
            raise RuntimeError("sensor gone")

    for lib in (pc, pe):
        registry = lib.CollectorRegistry()
        registry.register(Broken())
        with pytest.raises(RuntimeError, match="sensor gone"):
            _wsgi(lib.make_wsgi_app(registry))


def test_gzip_accepted_as_client_python():
    for header in (None, "", "gzip", "GZip;q=0", "br, gzip", "x-gzip", "gzipx", "identity"):
        assert pe_web.gzip_accepted(header) == pc_exposition.gzip_accepted(header), header


# ---------------------------------------------------------------- ASGI


def _asgi(app, method="GET", path="/metrics", query="", headers=(), messages=None):
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(n.encode(), v.encode()) for n, v in headers],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
    }
    incoming = list(messages or [{"type": "http.request", "body": b"", "more_body": False}])
    sent = []

    async def receive():
        return incoming.pop(0)

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    if not sent:
        return None
    start, body = sent
    assert start["type"] == "http.response.start" and body["type"] == "http.response.body"
    assert set(body) == {"type", "body"} and set(start) == {"type", "status", "headers"}
    headers = [(n.decode(), v.decode()) for n, v in start["headers"]]
    return _answer(start["status"], headers, body["body"], query)


_HEADER_NAMES = st.sampled_from(
    ("accept", "Accept", "ACCEPT", "accept-encoding", "Accept-Encoding")
)


@settings(deadline=None)
@given(
    method=METHODS,
    path=PATHS,
    query=QUERIES,
    headers=st.lists(
        st.one_of(
            st.tuples(_HEADER_NAMES, ACCEPTS.filter(lambda a: a is not None)),
            st.tuples(_HEADER_NAMES, ENCODINGS.filter(lambda e: e is not None)),
            st.tuples(st.just("user-agent"), st.just("Prometheus/3.0")),
        ),
        max_size=4,
    ),
    disable_compression=st.booleans(),
)
@example("GET", "/metrics", "", [("Accept", PROMETHEUS_ACCEPT), ("Accept-Encoding", "gzip")], False)
@example(
    "GET", "/metrics", "", [("accept", "text/plain"), ("accept", "text/plain;version=1.0.0")], False
)
def test_asgi_app_answers_as_client_python(
    registries, method, path, query, headers, disable_compression
):
    theirs, ours = registries
    expected = _asgi(pc.make_asgi_app(theirs, disable_compression), method, path, query, headers)
    got = _asgi(pe.make_asgi_app(ours, disable_compression), method, path, query, headers)
    assert got is not None
    assert got == expected


def test_asgi_app_sends_nothing_to_a_client_that_left(registries):
    theirs, ours = registries
    gone = [{"type": "http.disconnect"}]
    assert _asgi(pc.make_asgi_app(theirs), messages=gone) is None
    assert _asgi(pe.make_asgi_app(ours), messages=gone) is None


def test_asgi_app_refuses_a_scope_that_is_not_http():
    app = pe.make_asgi_app(pe.CollectorRegistry())

    async def never():
        raise AssertionError("not called")

    with pytest.raises(ValueError, match="'lifespan'"):
        asyncio.run(app({"type": "lifespan"}, never, never))


def test_asgi_app_is_a_coroutine_function_as_servers_expect():
    # uvicorn takes an app for ASGI 3 (scope, receive, send) only when it is one.
    import inspect

    for lib in (pc, pe):
        app = lib.make_asgi_app(lib.CollectorRegistry())
        assert inspect.iscoroutinefunction(app) and asyncio.iscoroutinefunction(app)
        assert app.__name__ == "prometheus_app"


def test_asgi_app_is_where_client_python_users_import_it():
    assert pe_asgi.make_asgi_app is pe.make_asgi_app is pe_exposition.make_asgi_app
    assert pe.make_asgi_app.__defaults__ == (pe.REGISTRY, False)
    assert len(pc_asgi.make_asgi_app.__defaults__) == 2


# ---------------------------------------------------------------- servers


def test_names_are_where_client_python_users_import_them():
    for name in (
        "make_wsgi_app",
        "make_asgi_app",
        "start_wsgi_server",
        "MetricsHandler",
        "write_to_textfile",
        "instance_ip_grouping_key",
    ):
        assert getattr(pe, name) is getattr(pe_exposition, name), name
        assert name in pc_exposition.__all__, name


def _get(port, path="/metrics", headers=None, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        hdrs = [(k, v) for k, v in resp.getheaders() if k not in ("Date", "Server")]
        query = path.partition("?")[2]
        return _answer(resp.status, hdrs, resp.read(), query)
    finally:
        conn.close()


def _stop(server, thread):
    server.shutdown()
    server.server_close()
    thread.join()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


REQUESTS = (
    ("/metrics", {}, "GET"),
    ("/metrics", {"Accept": PROMETHEUS_ACCEPT, "Accept-Encoding": "gzip"}, "GET"),
    ("/", {"Accept": "text/plain;version=1.0.0"}, "GET"),
    ("/metrics?name[]=state&name[]=requests_total", {"Accept-Encoding": "gzip"}, "GET"),
    ("/favicon.ico", {}, "GET"),
    ("/metrics", {}, "OPTIONS"),
    ("/metrics", {}, "POST"),
    ("/metrics", {}, "HEAD"),
)


def test_start_wsgi_server_serves_as_client_python(registries):
    theirs, ours = registries
    served = []
    for lib, registry in ((pc, theirs), (pe, ours)):
        server, thread = lib.start_wsgi_server(_free_port(), addr="127.0.0.1", registry=registry)
        try:
            assert isinstance(server, WSGIServer) and server.daemon_threads
            assert isinstance(thread, threading.Thread) and thread.daemon and thread.is_alive()
            port = server.server_address[1]
            served.append([_get(port, *r) for r in REQUESTS])
            with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=30) as r:
                served[-1].append((r.status, r.read()))
        finally:
            _stop(server, thread)
        assert not thread.is_alive()
    assert served[1] == served[0]
    assert served[1][0][0] == 200 and served[1][-1] == (200, pe.generate_latest(ours))


def test_start_wsgi_server_binds_ipv6_and_has_client_python_arguments(registries):
    import inspect

    ours = inspect.signature(pe.start_wsgi_server)
    theirs = inspect.signature(pc.start_wsgi_server)
    assert list(ours.parameters) == list(theirs.parameters)
    for name, p in ours.parameters.items():
        if name == "registry":
            assert p.default is pe.REGISTRY
        else:
            assert p.default == theirs.parameters[name].default, name
    if not socket.has_ipv6:
        return
    try:
        server, thread = pe.start_wsgi_server(0, addr="::1", registry=registries[1])
    except OSError:  # no IPv6 loopback on this machine
        return
    try:
        assert server.address_family == socket.AF_INET6
        conn = http.client.HTTPConnection("::1", server.server_address[1], timeout=30)
        conn.request("GET", "/metrics")
        assert conn.getresponse().read() == pe.generate_latest(registries[1])
        conn.close()
    finally:
        _stop(server, thread)


def test_metrics_handler_serves_as_client_python(registries):
    theirs, ours = registries
    served = []
    for lib, registry in ((pc, theirs), (pe, ours)):
        handler = lib.MetricsHandler.factory(registry)
        assert issubclass(handler, lib.MetricsHandler) and handler.registry is registry
        assert handler.__name__ == "MetricsHandler"
        server = HTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            served.append([_get(server.server_address[1], *r) for r in REQUESTS])
        finally:
            _stop(server, thread)
    assert served[1] == served[0]
    assert pe.MetricsHandler.registry is pe.REGISTRY


# ---------------------------------------------------------------- textfile, grouping key


@pytest.mark.parametrize("escaping", ["allow-utf-8", "underscores", "values", "bogus"])
def test_write_to_textfile_writes_client_pythons_file(registries, tmp_path, escaping):
    theirs, ours = registries
    pc.write_to_textfile(str(tmp_path / "theirs.prom"), theirs, escaping)
    pe.write_to_textfile(str(tmp_path / "ours.prom"), ours, escaping)
    assert (tmp_path / "ours.prom").read_bytes() == (tmp_path / "theirs.prom").read_bytes()
    assert sorted(os.listdir(tmp_path)) == ["ours.prom", "theirs.prom"]


def test_write_to_textfile_defaults_and_tmpdir(registries, tmp_path):
    theirs, ours = registries
    assert pe.write_to_textfile.__defaults__ == pc.write_to_textfile.__defaults__
    out = tmp_path / "out"
    tmp = tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    (out / "node.prom").write_text("old\n")
    pe.write_to_textfile(str(out / "node.prom"), ours, tmpdir=str(tmp))
    pc.write_to_textfile(str(out / "client.prom"), theirs, tmpdir=str(tmp))
    assert (out / "node.prom").read_bytes() == (out / "client.prom").read_bytes()
    assert os.listdir(tmp) == []


def test_write_to_textfile_replaces_by_rename_and_cleans_up_on_failure(tmp_path, monkeypatch):
    registry = pe.CollectorRegistry()
    pe.Gauge("g", "G", registry=registry).set(1)
    path = str(tmp_path / "m.prom")
    seen = []
    real_replace = os.replace

    def watch(src, dst):
        # The page is whole in the temporary file before it takes the path's name.
        seen.append((os.path.basename(src), open(src, "rb").read(), dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", watch)
    pe.write_to_textfile(path, registry)
    tmpname = "m.prom.%d.%d" % (os.getpid(), threading.current_thread().ident)
    assert seen == [(tmpname, pe.generate_latest(registry), path)]

    class Broken:
        def collect(self):
            raise RuntimeError("sensor gone")

    registry.register(Broken())
    with pytest.raises(RuntimeError, match="sensor gone"):
        pe.write_to_textfile(path, registry)
    assert os.listdir(tmp_path) == ["m.prom"]  # the old file stays, no temporary is left
    assert (tmp_path / "m.prom").read_bytes() == seen[0][1]


def test_instance_ip_grouping_key_equals_client_pythons():
    assert pe.instance_ip_grouping_key() == pc.instance_ip_grouping_key()
    assert set(pe.instance_ip_grouping_key()) == {"instance"}


# ---------------------------------------------------------------- boards


def test_importing_the_cpython_modules_on_micropython_says_they_need_cpython(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(
        "import sys\n"
        "for name in ('web', 'asgi', 'textfile', 'grouping'):\n"
        "    try:\n"
        "        __import__('prometheus_express.' + name)\n"
        "    except ImportError as e:\n"
        "        print(name, e)\n"
        "    else:\n"
        "        print(name, 'imported')\n"
        "try:\n"
        "    from prometheus_express import make_wsgi_app\n"
        "except (ImportError, AttributeError) as e:\n"
        "    print('lazy', type(e).__name__, e)\n"
        "from prometheus_express import *\n"
        "print('star', 'Counter' in globals(), 'make_wsgi_app' in globals())\n"
    )
    env = dict(os.environ, MICROPYPATH=ROOT + ":.frozen")
    run = subprocess.run(
        [os.path.join(BIN, "micropython"), str(script)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = run.stdout.splitlines()
    assert len(lines) == 6, run.stdout
    for line, name in zip(lines, ("web", "asgi", "textfile", "grouping")):
        assert line.startswith("%s prometheus_express.%s runs on CPython only" % (name, name))
        assert "start_http_server" in line, line
    # The names of these modules are not in the table a board loads (it costs RAM at the
    # exporter's peak): there they are unknown names, as on any module.
    assert lines[4] in (
        "lazy AttributeError module 'prometheus_express' has no attribute 'make_wsgi_app'",
        "lazy ImportError can't import name make_wsgi_app",
    ), lines[4]
    assert lines[5] == "star True False"


def test_start_wsgi_server_serves_tls_as_client_python(registries, tmp_path):
    import shutil
    import ssl

    if shutil.which("openssl") is None:
        pytest.skip("openssl makes the test certificate")
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
        check=True,
        capture_output=True,
    )
    client = ssl.create_default_context(cafile=cert)
    client.check_hostname = False
    served = []
    for lib, registry in zip((pc, pe), registries):
        server, thread = lib.start_wsgi_server(
            0, addr="127.0.0.1", registry=registry, certfile=cert, keyfile=key
        )
        try:
            url = "https://127.0.0.1:%d/metrics" % server.server_address[1]
            with urllib.request.urlopen(url, context=client, timeout=30) as r:
                served.append((r.status, r.headers["Content-Type"], r.read()))
        finally:
            _stop(server, thread)
    assert served[1] == served[0]
    assert served[1][2] == pe.generate_latest(registries[1])
    with pytest.raises(OSError, match="cannot load the server certificate"):
        pe.start_wsgi_server(0, addr="127.0.0.1", certfile=key + ".missing", keyfile=key)
