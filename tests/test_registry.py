"""prometheus_express.registry: registration, duplicates, collection, restriction."""

from support import Collector, lines, raises, text_page

from prometheus_express import REGISTRY, CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_express.histogram import Histogram, Summary
from prometheus_express.metrics_core import CounterMetricFamily, GaugeMetricFamily
from prometheus_express.state import Enum, Info


def test_collect_yields_families_in_registration_order():
    r = CollectorRegistry()
    for name in ("zeta", "alpha", "mid"):
        Gauge(name, "d", registry=r)
    assert [m.name for m in r.collect()] == ["zeta", "alpha", "mid"]


def test_collect_of_an_empty_registry():
    assert list(CollectorRegistry().collect()) == []


def test_duplicate_name_is_refused():
    r = CollectorRegistry()
    Gauge("g", "d", registry=r)
    e = raises(ValueError, Gauge, "g", "other", registry=r)
    assert "Duplicated timeseries" in str(e)
    assert "g" in str(e)


def test_registering_one_collector_twice_is_refused():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)
    e = raises(ValueError, r.register, g)
    assert "Duplicated timeseries" in str(e)


def test_series_names_of_each_type_clash():
    # Each pair would put two collectors' samples under one series name.
    clashes = (
        (lambda r: Counter("c", "d", registry=r), lambda r: Gauge("c_total", "d", registry=r)),
        (lambda r: Counter("c", "d", registry=r), lambda r: Gauge("c_created", "d", registry=r)),
        (lambda r: Counter("c", "d", registry=r), lambda r: Gauge("c", "d", registry=r)),
        (lambda r: Gauge("c_total", "d", registry=r), lambda r: Counter("c", "d", registry=r)),
        (lambda r: Summary("s", "d", registry=r), lambda r: Gauge("s_sum", "d", registry=r)),
        (lambda r: Summary("s", "d", registry=r), lambda r: Gauge("s_count", "d", registry=r)),
        (lambda r: Histogram("h", "d", registry=r), lambda r: Gauge("h_bucket", "d", registry=r)),
        (lambda r: Histogram("h", "d", registry=r), lambda r: Counter("h_sum", "d", registry=r)),
        (lambda r: Info("i", "d", registry=r), lambda r: Gauge("i_info", "d", registry=r)),
        (lambda r: Enum("e", "d", states=["a"], registry=r), lambda r: Gauge("e", "d", registry=r)),
    )
    for first, second in clashes:
        r = CollectorRegistry()
        first(r)
        e = raises(ValueError, second, r)
        assert "Duplicated timeseries" in str(e)


def test_similar_names_that_do_not_clash():
    r = CollectorRegistry()
    Counter("c", "d", registry=r)
    Gauge("c_count", "d", registry=r)
    Gauge("c_info", "d", registry=r)
    Gauge("g", "d", registry=r)
    Gauge("g_total", "d", registry=r)
    assert len(list(r.collect())) == 5


def test_unregister_frees_the_names():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)
    r.unregister(c)
    assert list(r.collect()) == []
    Gauge("c_total", "d", registry=r)
    Counter("c_created", "d", registry=r)
    assert [m.name for m in r.collect()] == ["c_total", "c_created"]


def test_unregister_unknown_collector():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=None)
    raises(KeyError, r.unregister, g)


def test_a_refused_collector_is_not_half_registered():
    r = CollectorRegistry()
    Gauge("a_total", "d", registry=r)
    raises(ValueError, Counter, "a", "d", registry=r)
    # Neither "a" nor "a_created" was claimed by the refused counter.
    Gauge("a", "d", registry=r)
    Gauge("a_created", "d", registry=r)
    assert [m.name for m in r.collect()] == ["a_total", "a", "a_created"]


def test_get_sample_value():
    r = CollectorRegistry()
    c = Counter("c", "d", ["k"], registry=r)
    c.labels("a").inc(3)
    Gauge("g", "d", registry=r).set(1.5)
    assert r.get_sample_value("c_total", {"k": "a"}) == 3
    assert r.get_sample_value("g") == 1.5
    assert r.get_sample_value("g", {}) == 1.5
    assert r.get_sample_value("c_total") is None  # labels must match exactly
    assert r.get_sample_value("c_total", {"k": "b"}) is None
    assert r.get_sample_value("nope") is None


def test_custom_collector_is_collected():
    r = CollectorRegistry()
    r.register(Collector([GaugeMetricFamily("battery_volts", "d", value=3.7)]))
    Gauge("g", "d", registry=r)
    assert [m.name for m in r.collect()] == ["battery_volts", "g"]
    assert r.get_sample_value("battery_volts") == 3.7


def test_custom_collector_names_are_checked_through_describe():
    r = CollectorRegistry()
    r.register(Collector([CounterMetricFamily("jobs", "d", value=1)], describe=True))
    e = raises(ValueError, Gauge, "jobs_total", "d", registry=r)
    assert "Duplicated timeseries" in str(e)


def test_collector_without_describe_is_not_checked_unless_auto_describe():
    fam = GaugeMetricFamily("x", "d", value=1)
    r = CollectorRegistry()
    r.register(Collector([fam]))
    r.register(Collector([fam]))  # nothing to check without describe()
    assert len(list(r.collect())) == 2
    auto = CollectorRegistry(auto_describe=True)
    auto.register(Collector([fam]))
    e = raises(ValueError, auto.register, Collector([fam]))
    assert "Duplicated timeseries" in str(e)


def test_unregister_custom_collector():
    r = CollectorRegistry()
    col = Collector([GaugeMetricFamily("x", "d", value=1)], describe=True)
    r.register(col)
    r.unregister(col)
    assert list(r.collect()) == []
    Gauge("x", "d", registry=r)


def test_restricted_registry_collects_only_named_samples():
    r = CollectorRegistry()
    c = Counter("c", "d", ["k"], registry=r)
    c.labels("a").inc()
    Gauge("g", "d", registry=r).set(2)
    Summary("s", "d", registry=r).observe(4)
    restricted = r.restricted_registry(["c_total", "s_sum"])
    got = [(m.name, [x.name for x in m.samples]) for m in restricted.collect()]
    assert got == [("c", ["c_total"]), ("s", ["s_sum"])]


def test_restricted_registry_renders():
    r = CollectorRegistry()
    Gauge("g", "Gee.", registry=r).set(2)
    Gauge("h", "d", registry=r).set(3)
    page = generate_latest(r.restricted_registry(["g"])).decode("utf-8")
    assert lines(page) == ["# HELP g Gee.", "# TYPE g gauge", "g 2.0"]


def test_restricted_registry_with_unknown_names_is_empty():
    r = CollectorRegistry()
    Gauge("g", "d", registry=r)
    assert list(r.restricted_registry(["nope"]).collect()) == []


def test_default_registry_takes_metrics_without_registry_argument():
    g = Gauge("prometheus_express_test_registry_gauge", "d")
    try:
        g.set(5)
        assert REGISTRY.get_sample_value("prometheus_express_test_registry_gauge") == 5
        assert "prometheus_express_test_registry_gauge 5.0\n" in text_page(REGISTRY)
        assert "prometheus_express_test_registry_gauge 5.0\n" in generate_latest().decode()
    finally:
        REGISTRY.unregister(g)
    assert REGISTRY.get_sample_value("prometheus_express_test_registry_gauge") is None
