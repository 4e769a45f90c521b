"""monitoring_support importable by name (pytest runs in importlib mode; tests/, tests/live and
tests/oracle are on pyproject's pythonpath already), and the pages the library writes, made once
for every test here."""

import json
import sys
from pathlib import Path

import pytest

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import live  # noqa: E402
import monitoring_support as ms  # noqa: E402


@pytest.fixture(scope="session")
def pages(tmp_path_factory):
    """{instance: page} of what the library really writes, one page per scrape target:

    - pico-w:8000: the Pico W example on the MicroPython unix port (fake readings of its BME280,
      BoardCollector's heap, uptime and python_info as MicroPython gives them);
    - exporter:8000: a CPython exporter with BoardCollector on the stand-in board of
      tests/fakeboard.py (CPU temperature and clock, reset reason, Wi-Fi) and its own metrics;
    - simpletest:8000: the page the simpletest prints (temperature_celsius, ...).
    """
    live.need(ms.MICROPYTHON, "the MicroPython unix port (make setup)")
    work = tmp_path_factory.mktemp("examples")
    return {
        "pico-w:8000": ms.example_page(work, ms.PICO_W, ms.MICROPYTHON),
        "exporter:8000": ms.exporter_page(),
        "simpletest:8000": ms.printed_page(ms.SIMPLETEST),
    }


@pytest.fixture(scope="session")
def series(pages):
    """The pages as Prometheus stores them (ms.input_series)."""
    return ms.input_series(pages)


@pytest.fixture(scope="session")
def dashboard():
    return json.loads(ms.DASHBOARD.read_text(encoding="utf-8"))
