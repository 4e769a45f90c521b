"""The default collectors: client_python's process, platform and GC collectors on CPython's
default REGISTRY; on MicroPython and CircuitPython none of them loads, and REGISTRY starts
empty. (tests/oracle/test_default_collectors.py compares them with client_python's.)"""

import sys

from support import raises

import prometheus_express
from prometheus_express import REGISTRY

BOARD = sys.implementation.name in ("micropython", "circuitpython")
MODULES = ("process_collector", "platform_collector", "gc_collector")
# A series name of each default collector, as client_python names them.
SERIES = ("process_cpu_seconds_total", "python_info", "python_gc_objects_collected_total")


def test_the_default_registry_holds_client_pythons_collectors_on_cpython_only():
    for name in MODULES:
        loaded = "prometheus_express." + name in sys.modules
        assert loaded is not BOARD, name
    for name in SERIES:
        assert (name in REGISTRY._names) is not BOARD, name


def test_a_board_refuses_them_with_a_message():
    if not BOARD:
        return
    for name in MODULES:
        e = raises(ImportError, __import__, "prometheus_express." + name)
        assert "CPython only" in str(e) and "BoardCollector" in str(e), str(e)
        assert "prometheus_express." + name not in sys.modules, name
    for name in ("ProcessCollector", "PLATFORM_COLLECTOR", "GC_COLLECTOR"):
        assert not hasattr(prometheus_express, name), name
    for name in SERIES:
        assert name not in REGISTRY._names, name


def test_the_package_names_them_on_cpython():
    if BOARD:
        return
    process = sys.modules["prometheus_express.process_collector"]
    assert prometheus_express.PROCESS_COLLECTOR is process.PROCESS_COLLECTOR
    assert prometheus_express.ProcessCollector is process.ProcessCollector
    gc = sys.modules["prometheus_express.gc_collector"]
    assert prometheus_express.GC_COLLECTOR is gc.GC_COLLECTOR
    assert REGISTRY.get_sample_value("python_info", None) is None  # it has labels
    found = 0
    for family in REGISTRY.collect():
        if family.name == "python_info":
            found += 1
            assert family.samples[0].labels["implementation"] == "CPython"
    assert found == 1
