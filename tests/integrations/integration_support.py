"""Helpers for the integration tests: scrapes with and without Prometheus' Accept, the oracle's
checks, and the scripts that serve from a subprocess (CPython or the MicroPython unix port).

    page = scrape(port, prometheus=True)    # parsed strictly; body checked by the caller
    with subprocess_server("micropython", "microdot_app.py", big=4) as port: ...
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import live
import mp_serve
import prometheus_client.exposition
import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families as om_families
from prometheus_client.parser import text_string_to_metric_families as text_families

import prometheus_express.metrics
from prometheus_express import generate_latest
from prometheus_express.openmetrics.exposition import generate_latest as om_generate_latest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PLAIN_REQUEST = "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n"


def request(port, path="/metrics", accept=None, version="HTTP/1.1", method="GET"):
    """The raw request: Prometheus' own for accept=True, a plain one (no Accept) for None."""
    if accept is True:
        raw = live.prometheus_request(port)
        raw = raw.replace(b"GET /metrics HTTP/1.1", ("GET %s HTTP/1.1" % path).encode(), 1)
    else:
        head = "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % (path, port)
        if accept is not None:
            head += "Accept: %s\r\n" % accept
        raw = (head + "Connection: close\r\n\r\n").encode("ascii")
    raw = raw.replace(b"GET ", method.encode() + b" ", 1)
    return raw.replace(b" HTTP/1.1\r\n", (" %s\r\n" % version).encode(), 1)


def scrape(port, path="/metrics", accept=None, version="HTTP/1.1", method="GET"):
    """(response, raw): one exchange, the response strictly framed (live.parse_response)."""
    raw, _reset = live.exchange(port, request(port, path, accept, version, method))
    assert raw, "the server closed without answering"
    return live.parse_response(raw), raw


def expected_content_type(accept):
    """client_python's Content-Type for this Accept header: the independent oracle."""
    return prometheus_client.exposition.choose_encoder(accept)[1]


def check_page(response, registry, openmetrics):
    """200, the Content-Type client_python picks, and the body our generate_latest writes,
    which client_python's parser reads."""
    assert response.status == 200, "status %d: %r" % (response.status, response.body[:200])
    text = response.body.decode("utf-8")
    if openmetrics:
        assert response.body == om_generate_latest(registry)
        families = list(om_families(text))
    else:
        assert response.body == generate_latest(registry)
        families = list(text_families(text))
    assert families, "no families parsed from %r" % text[:200]
    return families


@contextlib.contextmanager
def created_disabled():
    """_created samples off: their timestamps differ between two processes' registries."""
    before = prometheus_express.metrics._use_created
    prometheus_express.metrics._use_created = False
    try:
        yield
    finally:
        prometheus_express.metrics._use_created = before


def twin_page(big, openmetrics, extra=None):
    """The page mp_serve.build_registry(big) gives, _created off; extra(registry) may add more."""
    registry = mp_serve.build_registry(big)
    if extra is not None:
        extra(registry)
    with created_disabled():
        return (om_generate_latest if openmetrics else generate_latest)(registry)


def runtimes():
    """CPython, the unix port from the .py sources, and from .build/mpy/micropython if it is fresh.

    Under CI the .mpy runtime is always tested: a missing or stale build then fails.
    """
    names = ["cpython", "micropython"]
    if os.environ.get("CI") or (live.MPY_TREE.is_dir() and live.mpy_tree_state() is None):
        names.append("micropython-mpy")
    return names


def microdot_path(tmp):
    """A folder holding microdot's sources from site-packages, for MICROPYPATH."""
    import microdot

    source = Path(microdot.__file__).parent
    target = Path(tmp) / "microdot"
    target.mkdir()
    for path in source.glob("*.py"):
        shutil.copyfile(path, target / path.name)
    return str(tmp)


@contextlib.contextmanager
def subprocess_server(runtime, script, **options):
    """Run tests/integrations/<script> port=P key=value... by runtime; yield P once it listens.

    A traceback in its output fails the test, even after the test passed.
    """
    port = live.free_port()
    tmp = tempfile.mkdtemp(prefix="integrations-")
    args = ["%s=%s" % kv for kv in dict(options, port=port).items()]
    if runtime == "micropython-mpy":
        stale = live.mpy_tree_state()
        if stale:  # only under CI (runtimes() leaves it out elsewhere)
            pytest.fail(stale)
    library = str(live.MPY_TREE if runtime == "micropython-mpy" else ROOT)
    path = [library, str(ROOT / "tests" / "live"), str(ROOT / "examples"), microdot_path(tmp)]
    if runtime.startswith("micropython"):
        live.need(live.MICROPYTHON, "the MicroPython unix port (make setup)")
        cmd = [str(live.MICROPYTHON), str(HERE / script)] + args
        # ".frozen" keeps the port's frozen asyncio: MICROPYPATH replaces the default path.
        env = dict(os.environ, MICROPYPATH=":".join(path + [".frozen"]))
    else:
        cmd = [sys.executable, str(HERE / script)] + args
        env = dict(os.environ, PYTHONPATH=":".join(path))
    stderr = open(Path(tmp) / "stderr", "w+b")
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr, cwd=tmp, env=env
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            if proc.poll() is not None:
                stderr.seek(0)
                pytest.fail("%s exited %s:\n%s" % (script, proc.returncode, stderr.read().decode()))
            try:
                live.connect(port, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("%s did not listen on %d within 15 s" % (script, port))
                time.sleep(0.05)
        yield port
        assert proc.poll() is None, "%s died while serving" % script
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        stderr.seek(0)
        output = stderr.read().decode(errors="replace")
        stderr.close()
        shutil.rmtree(tmp, ignore_errors=True)
        if "Traceback" in output:
            pytest.fail("%s printed a traceback:\n%s" % (script, output))
