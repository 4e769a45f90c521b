"""prometheus_express.metrics_core: Metric and the families custom collectors return."""

from support import LegacyNames, raises

from prometheus_express.metrics_core import (
    CounterMetricFamily,
    GaugeHistogramMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
    StateSetMetricFamily,
    SummaryMetricFamily,
    UnknownMetricFamily,
)
from prometheus_express.samples import Exemplar, Sample


def _rows(family):
    return [(s.name, s.labels, s.value) for s in family.samples]


def test_metric_fields():
    m = Metric("temp", "Air temperature", "gauge", "celsius")
    assert (m.name, m.documentation, m.type, m.unit) == (
        "temp_celsius",
        "Air temperature",
        "gauge",
        "celsius",
    )
    assert m.samples == []


def test_metric_unit_not_doubled():
    assert Metric("read_seconds", "d", "gauge", "seconds").name == "read_seconds"


def test_metric_untyped_is_unknown():
    assert Metric("x", "d", "untyped").type == "unknown"


def test_metric_refuses_bad_type_and_name():
    e = raises(ValueError, Metric, "x", "d", "bogus")
    assert "bogus" in str(e)
    raises(ValueError, Metric, "", "d", "gauge")
    with LegacyNames():
        raises(ValueError, Metric, "9x", "d", "gauge")
        raises(ValueError, Metric, "a-b", "d", "gauge")


def test_metric_add_sample_and_equality():
    a = Metric("x", "d", "gauge")
    a.add_sample("x", {"k": "v"}, 2)
    assert a.samples == [Sample("x", {"k": "v"}, 2, None, None)]
    b = Metric("x", "d", "gauge")
    assert a != b
    b.add_sample("x", {"k": "v"}, 2)
    assert a == b
    assert a != Metric("x", "other", "gauge")
    assert a != "x"


def test_gauge_family_single_value():
    g = GaugeMetricFamily("volts", "d", value=3.3)
    assert g.type == "gauge"
    assert _rows(g) == [("volts", {}, 3.3)]


def test_gauge_family_with_labels():
    g = GaugeMetricFamily("temp", "d", labels=["room", "floor"])
    g.add_metric(["attic", "2"], 21)
    g.add_metric(["cellar", "0"], 12, timestamp=5)
    assert _rows(g) == [
        ("temp", {"room": "attic", "floor": "2"}, 21),
        ("temp", {"room": "cellar", "floor": "0"}, 12),
    ]
    assert g.samples[1].timestamp == 5
    raises(ValueError, g.add_metric, ["only-one"], 1)


def test_value_and_labels_together_is_an_error():
    for cls in (GaugeMetricFamily, CounterMetricFamily, UnknownMetricFamily, InfoMetricFamily):
        e = raises(ValueError, cls, "x", "d", value=1, labels=["a"])
        assert "at most one" in str(e)


def test_family_unit():
    g = GaugeMetricFamily("temp", "d", value=1, unit="celsius")
    assert g.name == "temp_celsius"
    assert g.unit == "celsius"
    assert _rows(g) == [("temp_celsius", {}, 1)]


def test_family_refuses_bad_label_names():
    raises(ValueError, GaugeMetricFamily, "x", "d", labels=["__x"])
    with LegacyNames():
        raises(ValueError, GaugeMetricFamily, "x", "d", labels=["a-b"])


def test_unknown_family():
    u = UnknownMetricFamily("x", "d", value=4)
    assert u.type == "unknown"
    assert _rows(u) == [("x", {}, 4)]


def test_counter_family_name_and_samples():
    c = CounterMetricFamily("jobs_total", "d", value=3)
    assert c.name == "jobs"
    assert c.type == "counter"
    assert _rows(c) == [("jobs_total", {}, 3)]


def test_counter_family_created():
    c = CounterMetricFamily("jobs", "d", labels=["q"])
    c.add_metric(["a"], 3, created=1600000000.5)
    assert _rows(c) == [("jobs_total", {"q": "a"}, 3), ("jobs_created", {"q": "a"}, 1600000000.5)]
    one = CounterMetricFamily("n", "d", value=1, created=1600000000)
    assert _rows(one) == [("n_total", {}, 1), ("n_created", {}, 1600000000)]


def test_counter_family_exemplar():
    ex = Exemplar({"trace_id": "abc"}, 1, None)
    c = CounterMetricFamily("jobs", "d", value=3, exemplar=ex)
    assert c.samples[0].exemplar == ex


def test_summary_family():
    s = SummaryMetricFamily("lat", "d", count_value=4, sum_value=1.5)
    assert s.type == "summary"
    assert _rows(s) == [("lat_count", {}, 4), ("lat_sum", {}, 1.5)]
    e = raises(ValueError, SummaryMetricFamily, "lat", "d", count_value=4)
    assert "together" in str(e)
    raises(ValueError, SummaryMetricFamily, "lat", "d", sum_value=4)


def test_summary_family_with_labels():
    s = SummaryMetricFamily("lat", "d", labels=["op"])
    s.add_metric(["read"], 2, 0.5)
    assert _rows(s) == [("lat_count", {"op": "read"}, 2), ("lat_sum", {"op": "read"}, 0.5)]


def test_histogram_family():
    h = HistogramMetricFamily("lat", "d", buckets=[("1.0", 2), ("+Inf", 5)], sum_value=7)
    assert h.type == "histogram"
    assert _rows(h) == [
        ("lat_bucket", {"le": "1.0"}, 2),
        ("lat_bucket", {"le": "+Inf"}, 5),
        ("lat_count", {}, 5),
        ("lat_sum", {}, 7),
    ]


def test_histogram_family_without_sum_has_no_count():
    h = HistogramMetricFamily("lat", "d", buckets=[("1.0", 2), ("+Inf", 5)])
    assert [s.name for s in h.samples] == ["lat_bucket", "lat_bucket"]


def test_histogram_family_with_negative_bucket_has_no_count_or_sum():
    h = HistogramMetricFamily("t", "d", buckets=[("-1.0", 1), ("+Inf", 2)], sum_value=3)
    assert [s.name for s in h.samples] == ["t_bucket", "t_bucket"]


def test_histogram_family_sum_needs_buckets():
    raises(ValueError, HistogramMetricFamily, "lat", "d", sum_value=1)


def test_histogram_family_labels_and_exemplars():
    ex = Exemplar({"id": "1"}, 0.7, 12)
    h = HistogramMetricFamily("lat", "d", labels=["op"])
    h.add_metric(["read"], [("1.0", 2, ex), ("+Inf", 3)], 4)
    assert _rows(h) == [
        ("lat_bucket", {"op": "read", "le": "1.0"}, 2),
        ("lat_bucket", {"op": "read", "le": "+Inf"}, 3),
        ("lat_count", {"op": "read"}, 3),
        ("lat_sum", {"op": "read"}, 4),
    ]
    assert h.samples[0].exemplar == ex
    assert h.samples[1].exemplar is None


def test_gauge_histogram_family():
    g = GaugeHistogramMetricFamily("q", "d", buckets=[("1.0", 4), ("+Inf", 6)], gsum_value=9)
    assert g.type == "gaugehistogram"
    assert _rows(g) == [
        ("q_bucket", {"le": "1.0"}, 4),
        ("q_bucket", {"le": "+Inf"}, 6),
        ("q_gcount", {}, 6),
        ("q_gsum", {}, 9),
    ]


def test_info_family():
    i = InfoMetricFamily("build", "d", value={"version": "1.0"})
    assert i.type == "info"
    assert i.name == "build"
    assert _rows(i) == [("build_info", {"version": "1.0"}, 1)]
    j = InfoMetricFamily("build", "d", labels=["zone"])
    j.add_metric(["eu"], {"version": "2"})
    assert _rows(j) == [("build_info", {"zone": "eu", "version": "2"}, 1)]
    e = raises(ValueError, j.add_metric, ["eu"], {"__bad": "x"})
    assert "__bad" in str(e)
    with LegacyNames():
        e = raises(ValueError, j.add_metric, ["eu"], {"bad name": "x"})
        assert "bad name" in str(e)


def test_stateset_family():
    s = StateSetMetricFamily("mode", "d", value={"on": True, "off": False})
    assert s.type == "stateset"
    # One sample per state, sorted by state name.
    assert _rows(s) == [("mode", {"mode": "off"}, 0), ("mode", {"mode": "on"}, 1)]
    t = StateSetMetricFamily("mode", "d", labels=["zone"])
    t.add_metric(["eu"], {"b": 1, "a": 0})
    assert _rows(t) == [
        ("mode", {"zone": "eu", "mode": "a"}, 0),
        ("mode", {"zone": "eu", "mode": "b"}, 1),
    ]


def test_native_metric_collect_and_describe():
    from prometheus_express import Counter

    c = Counter("c", "Count.", ["k"], unit="bytes", registry=None)
    c.labels("a").inc(2)
    described = c.describe()
    assert len(described) == 1
    assert (described[0].name, described[0].type, described[0].unit) == (
        "c_bytes",
        "counter",
        "bytes",
    )
    assert described[0].samples == []
    family = c.collect()[0]
    assert family.documentation == "Count."
    assert family.samples[0] == Sample("c_bytes_total", {"k": "a"}, 2, None, None)
    assert family.samples[1].name == "c_bytes_created"
