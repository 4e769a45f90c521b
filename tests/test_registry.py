"""prometheus_express.registry: registration, duplicates, collection, restriction."""

from support import Collector, lines, om_page, raises, text_page

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


def test_gaugehistogram_series_clash_as_described():
    # A custom collector's gaugehistogram claims _bucket, _gcount and _gsum, not _sum.
    from prometheus_express.metrics_core import GaugeHistogramMetricFamily

    for taken in ("q", "q_bucket", "q_gcount", "q_gsum"):
        r = CollectorRegistry()
        fam = GaugeHistogramMetricFamily("q", "d", buckets=[("+Inf", 1)], gsum_value=1)
        r.register(Collector([fam], describe=True))
        e = raises(ValueError, Gauge, taken, "d", registry=r)
        assert "Duplicated timeseries" in str(e)
    for free in ("q_sum", "q_count", "q_created", "q_total"):
        Gauge(free, "d", registry=r)


# ---------------------------------------------------------------- target_info

TARGET_TEXT = ["# HELP target_info Target metadata", "# TYPE target_info gauge"]
TARGET_OM = ["# HELP target Target metadata", "# TYPE target info"]


def test_target_info_is_the_first_family_in_both_formats():
    r = CollectorRegistry(target_info={"service": "pump", "env": "prod"})
    Gauge("g", "d", registry=r).set(2)
    assert lines(text_page(r)) == TARGET_TEXT + [
        'target_info{env="prod",service="pump"} 1.0',
        "# HELP g d",
        "# TYPE g gauge",
        "g 2.0",
    ]
    assert lines(om_page(r)) == TARGET_OM + [
        'target_info{env="prod",service="pump"} 1.0',
        "# HELP g d",
        "# TYPE g gauge",
        "g 2.0",
        "# EOF",
    ]
    assert [m.name for m in r.collect()] == ["target", "g"]


def test_set_target_info_after_metrics_still_writes_it_first():
    r = CollectorRegistry()
    Gauge("g", "d", registry=r)
    assert r.get_target_info() is None
    labels = {"env": "dev"}
    r.set_target_info(labels)
    assert r.get_target_info() is labels
    assert lines(text_page(r))[:3] == TARGET_TEXT + ['target_info{env="dev"} 1.0']
    r.set_target_info({"env": "prod"})  # replaces: one target_info family, still first
    page = lines(text_page(r))
    assert page[:3] == TARGET_TEXT + ['target_info{env="prod"} 1.0']
    assert len([line for line in page if line.startswith("target_info")]) == 1
    assert r.get_sample_value("target_info", {"env": "prod"}) == 1


def test_set_target_info_none_or_empty_removes_it():
    r = CollectorRegistry(target_info={"env": "dev"})
    g = Gauge("g", "d", registry=r)
    r.set_target_info(None)
    assert r.get_target_info() is None
    assert [m.name for m in r.collect()] == ["g"]
    Gauge("target_info", "now a name like any other", registry=r)
    r.unregister(g)
    r2 = CollectorRegistry(target_info={"env": "dev"})
    r2.set_target_info({})
    assert r2.get_target_info() == {}  # as given, as client_python keeps it
    assert list(r2.collect()) == []
    assert CollectorRegistry(target_info={}).get_target_info() == {}


def test_a_metric_named_like_target_info_is_refused_while_it_is_set():
    r = CollectorRegistry(target_info={"env": "dev"})
    for make in (
        lambda: Gauge("target_info", "d", registry=r),
        lambda: Info("target", "d", registry=r),
        lambda: r.register(Collector([GaugeMetricFamily("target_info", "d", value=1)], True)),
    ):
        e = raises(ValueError, make)
        assert "target_info" in str(e)
    assert [m.name for m in r.collect()] == ["target"]


def test_set_target_info_is_refused_while_a_metric_has_its_name():
    r = CollectorRegistry()
    Gauge("target_info", "d", registry=r).set(5)
    e = raises(ValueError, r.set_target_info, {"env": "dev"})
    assert "target_info" in str(e)
    assert r.get_target_info() is None
    assert r.get_sample_value("target_info") == 5
    r.set_target_info(None)  # nothing to remove: the Gauge stays
    assert r.get_sample_value("target_info") == 5
    e = raises(
        ValueError, CollectorRegistry(target_info={"a": "b"}).register, r._names["target_info"]
    )
    assert "target_info" in str(e)


def test_constructor_arguments_by_position():
    r = CollectorRegistry(True, {"env": "dev"}, True)
    assert r.get_target_info() == {"env": "dev"}
    assert [m.name for m in r.collect()] == ["target"]
    r.register(Collector([GaugeMetricFamily("x", "d", value=1)]))  # auto_describe
    raises(ValueError, r.register, Collector([GaugeMetricFamily("x", "d", value=1)]))


def test_target_info_labels_are_read_at_each_collection():
    labels = {"env": "dev"}
    r = CollectorRegistry(target_info=labels)
    labels["env"] = "prod"  # client_python keeps the dict it was given
    assert r.get_sample_value("target_info", {"env": "prod"}) == 1


# ---------------------------------------------------------------- restricted_registry


class CountingCollector:
    """A custom collector that counts its collect() calls; names nothing unless described."""

    def __init__(self, families, describe=False):
        self.inner = Collector(families, describe)
        self.calls = 0
        if describe:
            self.describe = self.inner.describe

    def collect(self):
        self.calls += 1
        return self.inner.collect()


def test_restricted_registry_calls_only_the_collectors_named():
    r = CollectorRegistry()
    named = CountingCollector([GaugeMetricFamily("a", "d", value=1)], describe=True)
    other = CountingCollector([GaugeMetricFamily("b", "d", value=2)], describe=True)
    nameless = CountingCollector([GaugeMetricFamily("c", "d", value=3)])
    for col in (named, other, nameless):
        r.register(col)
    got = [m.name for m in r.restricted_registry(["a", "c"]).collect()]
    assert got == ["a"]  # "c" comes from a collector that names nothing: not called
    assert (named.calls, other.calls, nameless.calls) == (1, 0, 0)


def test_restricted_registry_calls_nameless_collectors_when_supported():
    r = CollectorRegistry(support_collectors_without_names=True)
    assert r.get_target_info() is None
    assert list(r.collect()) == []
    named = CountingCollector([GaugeMetricFamily("a", "d", value=1)], describe=True)
    other = CountingCollector([GaugeMetricFamily("b", "d", value=2)], describe=True)
    nameless = CountingCollector([GaugeMetricFamily("c", "d", value=3)])
    for col in (named, nameless, other):
        r.register(col)
    Gauge("g", "d", registry=r)
    got = [m.name for m in r.restricted_registry(["a", "c"]).collect()]
    assert got == ["a", "c"]
    assert (named.calls, other.calls, nameless.calls) == (1, 0, 1)
    assert [m.name for m in r.restricted_registry(["g"]).collect()] == ["g"]
    assert nameless.calls == 2  # called, and its samples filtered out
    r.unregister(nameless)
    assert [m.name for m in r.restricted_registry(["a", "c"]).collect()] == ["a"]
    assert nameless.calls == 2


def test_restricted_registry_has_target_info_only_when_asked():
    r = CollectorRegistry(target_info={"env": "dev"})
    Gauge("g", "d", registry=r).set(1)
    assert [m.name for m in r.restricted_registry(["g"]).collect()] == ["g"]
    asked = r.restricted_registry(["g", "target_info"])
    assert [m.name for m in asked.collect()] == ["target", "g"]
    assert lines(text_page(asked))[:3] == TARGET_TEXT + ['target_info{env="dev"} 1.0']
    r.set_target_info(None)
    assert [m.name for m in asked.collect()] == ["g"]


def _lock_is_free():
    # A non-blocking acquire: a test of a held lock fails here instead of hanging.
    from prometheus_express._port import LOCK

    if not hasattr(LOCK, "acquire"):  # CircuitPython: no threads, a lock that never waits
        return True
    if LOCK.acquire(False):
        LOCK.release()
        return True
    return False


class RegisteringCollector:
    """Registers a Gauge in its registry from within collect(): the user's code may."""

    def __init__(self, registry):
        self.registry = registry
        self.free = []

    def describe(self):
        return [GaugeMetricFamily("own", "d")]

    def collect(self):
        self.free.append(_lock_is_free())
        if self.free[-1]:  # else registering would wait for the lock forever
            Gauge("made_%d" % len(self.free), "d", registry=self.registry)
        return [GaugeMetricFamily("own", "d", value=1)]


def test_restricted_registry_holds_no_lock_while_collecting_or_yielding():
    r = CollectorRegistry(target_info={"env": "dev"})
    col = RegisteringCollector(r)
    r.register(col)
    Gauge("b", "d", registry=r)
    seen = []
    for m in r.restricted_registry(["target_info", "own", "b"]).collect():
        seen.append((m.name, _lock_is_free()))
    assert seen == [("target", True), ("own", True), ("b", True)]
    assert col.free == [True]
    assert r.get_sample_value("made_1") == 0


# ---------------------------------------------------------------- get_sample_value


def test_get_sample_value_keeps_a_big_count_on_a_board():
    # client_python's values are floats, and so is what this returns on CPython; a board's
    # floats are single precision, so there the count comes back exact.
    from prometheus_express._port import BOARD

    r = CollectorRegistry()
    big = 2**53 + 1  # no float holds it
    Counter("c", "d", registry=r).inc(big)
    got = r.get_sample_value("c_total")
    if BOARD:
        assert type(got) is int and got == big
    else:
        assert type(got) is float and got == float(big)
    assert "c_total 9.007199254740993e+15\n" in text_page(r)  # every digit, everywhere


def test_get_sample_value_of_custom_collectors_is_as_given():
    r = CollectorRegistry(target_info={"env": "dev"})
    r.register(Collector([CounterMetricFamily("jobs", "d", value=7)]))
    assert type(r.get_sample_value("jobs_total")) is int
    assert type(r.get_sample_value("target_info", {"env": "dev"})) is int
