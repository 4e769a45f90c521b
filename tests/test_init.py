"""The package: client_python's names, loaded on first use."""

import sys

from support import Unloaded, module, raises

import prometheus_express


def _same(name, module_name):
    got = getattr(prometheus_express, name)
    assert got is getattr(module(module_name), name), name


def test_metric_classes():
    _same("Counter", "prometheus_express.metrics")
    _same("Gauge", "prometheus_express.metrics")
    _same("Histogram", "prometheus_express.histogram")
    _same("Summary", "prometheus_express.histogram")
    _same("Enum", "prometheus_express.state")
    _same("Info", "prometheus_express.state")


def test_registry_and_exposition_names():
    _same("CollectorRegistry", "prometheus_express.registry")
    _same("REGISTRY", "prometheus_express.registry")
    _same("generate_latest", "prometheus_express.exposition")
    _same("write_text", "prometheus_express.exposition")
    _same("choose_encoder", "prometheus_express.negotiation")
    _same("choose_format", "prometheus_express.negotiation")
    _same("write_openmetrics", "prometheus_express.openmetrics.exposition")
    _same("start_http_server", "prometheus_express.server")
    _same("MetricsServer", "prometheus_express.server")
    _same("await_http_request", "prometheus_express.blocking")
    # client_python users import it from the exposition module too.
    server = module("prometheus_express.server")
    assert module("prometheus_express.exposition").start_http_server is server.start_http_server
    assert callable(prometheus_express.disable_created_metrics)
    assert callable(prometheus_express.enable_created_metrics)


def test_families_and_samples():
    for name in (
        "Metric",
        "CounterMetricFamily",
        "GaugeMetricFamily",
        "SummaryMetricFamily",
        "HistogramMetricFamily",
        "GaugeHistogramMetricFamily",
        "InfoMetricFamily",
        "StateSetMetricFamily",
        "UnknownMetricFamily",
    ):
        _same(name, "prometheus_express.metrics_core")
    _same("Sample", "prometheus_express.samples")
    _same("Exemplar", "prometheus_express.samples")


def test_from_import_of_lazy_names():
    from prometheus_express import GaugeMetricFamily, Histogram

    assert Histogram("h", "d", registry=None).collect()[0].type == "histogram"
    assert GaugeMetricFamily("g", "d", value=1).samples[0].value == 1


def test_unknown_attribute_raises_attribute_error():
    e = raises(AttributeError, getattr, prometheus_express, "NoSuchThing")
    assert "NoSuchThing" in str(e)
    assert not hasattr(prometheus_express, "NoSuchThing")
    # Part of a lazy name, or of its list, is not a match.
    assert not hasattr(prometheus_express, "Hist")
    assert not hasattr(prometheus_express, "MetricFamily")
    assert not hasattr(prometheus_express, "Histogram Summary")


def test_from_package_import_of_a_submodule_not_loaded_yet():
    # `from package import submodule` imports the submodule, for any package, even one with a
    # lazy __getattr__.
    with Unloaded("prometheus_express.negotiation"):
        from prometheus_express import negotiation

        assert negotiation.choose_format(None)[0] is False


def test_content_types():
    assert prometheus_express.CONTENT_TYPE_PLAIN_0_0_4 == "text/plain; version=0.0.4; charset=utf-8"
    assert prometheus_express.CONTENT_TYPE_PLAIN_1_0_0 == "text/plain; version=1.0.0; charset=utf-8"
    assert prometheus_express.CONTENT_TYPE_LATEST == "text/plain; version=1.0.0; charset=utf-8"


def test_version_and_repository_load_on_first_use():
    assert isinstance(prometheus_express.__version__, str)
    assert prometheus_express.__version__
    repo = prometheus_express.__repo__
    assert repo.startswith("https://github.com/") and repo.endswith(".git"), repo
    from prometheus_express import __version__

    assert __version__ == prometheus_express.__version__


def test_core_offers_client_python_names():
    core = module("prometheus_express.core")
    for name in (
        "Counter",
        "Gauge",
        "Histogram",
        "Summary",
        "Enum",
        "Info",
        "REGISTRY",
        "CollectorRegistry",
        "Metric",
        "CounterMetricFamily",
        "GaugeMetricFamily",
        "SummaryMetricFamily",
        "HistogramMetricFamily",
        "GaugeHistogramMetricFamily",
        "InfoMetricFamily",
        "StateSetMetricFamily",
        "UnknownMetricFamily",
        "Sample",
        "Exemplar",
    ):
        assert getattr(core, name) is getattr(prometheus_express, name), name


def test_import_star_takes_every_public_name_the_lazy_ones_too():
    # CPython and MicroPython 1.28+ ask the module's __getattr__ for __all__; MicroPython 1.27
    # takes the names already there without asking, and then only those can come.
    asked = []
    lazy = prometheus_express.__getattr__

    def spy(name):
        asked.append(name)
        return lazy(name)

    prometheus_express.__getattr__ = spy
    found = {}
    try:
        exec("from prometheus_express import *", found)
    finally:
        prometheus_express.__getattr__ = lazy
    for name in ("Counter", "Gauge", "REGISTRY", "generate_latest"):
        assert name in found, name
    if "__all__" in asked:
        for name in ("Histogram", "Enum", "start_http_server", "push_to_gateway", "Sample"):
            assert name in found, name
        assert found["Histogram"] is prometheus_express.Histogram
        assert "exposition" not in found  # submodules are not names of the API
        found = {}
        exec("from prometheus_express.exposition import *", found)
        assert "generate_latest" in found and "CONTENT_TYPE_LATEST" in found
    else:
        assert sys.implementation.name != "cpython"
    assert "_lazy" not in found and "__getattr__" not in found
