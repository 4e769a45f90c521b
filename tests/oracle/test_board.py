"""BoardCollector's pages, read by prometheus_client's parsers and promtool, beside
client_python's python_info (PlatformCollector's on CPython). CPython only."""

import bodies
from fakeboard import every_module, inject, restore
from prometheus_client import CollectorRegistry as PcRegistry
from prometheus_client import generate_latest as pc_generate_latest
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as parse_openmetrics,
)
from prometheus_client.parser import text_string_to_metric_families as parse_text
from prometheus_client.platform_collector import PlatformCollector

import prometheus_express as pe
from prometheus_express.board import BoardCollector
from prometheus_express.openmetrics.exposition import generate_latest as generate_openmetrics


def _registry(modules):
    r = pe.CollectorRegistry()
    saved = inject(modules)
    try:
        list(BoardCollector(registry=r).collect())  # imports the stand-ins, and keeps them
    finally:
        restore(saved)
    return r


def _families(parse, page):
    return {f.name: (f.type, [(s.name, s.labels, s.value) for s in f.samples]) for f in parse(page)}


def test_every_reading_parses_in_both_formats():
    r = _registry(every_module())
    bodies.assert_valid_pages(r)
    text = pe.generate_latest(r).decode()
    code, output = bodies.promtool_check(text)
    assert code == 0, output  # not even naming advice
    om = _families(parse_openmetrics, generate_openmetrics(r).decode())
    assert om["board_reset"] == ("info", [("board_reset_info", {"reason": "POWER_ON"}, 1.0)])
    assert om["board_cpu_temperature_celsius"] == (
        "gauge",
        [("board_cpu_temperature_celsius", {}, 41.5)],
    )
    assert om["board_cpu_frequency_hertz"][1][0][2] == 125e6
    assert om["board_wifi_rssi_dbm"][1][0][2] == -61
    assert om["board_uptime_seconds"][1][0][2] >= 0
    page = _families(parse_text, text)
    assert sorted(page) == sorted(
        [
            "board_uptime_seconds",
            "board_cpu_temperature_celsius",
            "board_cpu_frequency_hertz",
            "board_wifi_rssi_dbm",
            "board_reset_info",
        ]
    ), sorted(page)


def test_nothing_but_the_runtime_parses():
    r = _registry({})
    bodies.assert_valid_pages(r)


def test_python_info_is_client_pythons():
    # On CPython python_info is PlatformCollector's, as in client_python: BoardCollector
    # leaves it out, so both join one registry.
    pc = PcRegistry()
    PlatformCollector(registry=pc)
    ours = pe.CollectorRegistry()
    BoardCollector(registry=ours)
    pe.PlatformCollector(registry=ours)
    theirs = pc_generate_latest(pc).decode()
    mine = pe.generate_latest(ours).decode()
    lines = [line for line in mine.splitlines() if line.startswith("python_info")]
    assert lines and lines[0] in theirs.splitlines(), (lines, theirs)
    assert theirs in mine, (theirs, mine)
