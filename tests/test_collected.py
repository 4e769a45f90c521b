"""prometheus_express.collected: custom collectors' families in both text formats."""

from support import Collector, lines, om_page, raises, text_page

from prometheus_express import CollectorRegistry, Gauge
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
from prometheus_express.samples import Exemplar


def _registry(*families):
    r = CollectorRegistry()
    r.register(Collector(families))
    return r


def test_gauge_family_with_labels_sorted():
    g = GaugeMetricFamily("temp", "Temp.", labels=["room", "floor"])
    g.add_metric(["attic", "2"], 21.5)
    r = _registry(g)
    expected_samples = ['temp{floor="2",room="attic"} 21.5']
    assert lines(text_page(r)) == ["# HELP temp Temp.", "# TYPE temp gauge"] + expected_samples
    assert lines(om_page(r)) == ["# HELP temp Temp.", "# TYPE temp gauge"] + expected_samples + [
        "# EOF"
    ]


def test_counter_family_created_moves_to_a_gauge_in_text():
    c = CounterMetricFamily("jobs", "Jobs run.", labels=["q"])
    c.add_metric(["a"], 3, created=1600000000.0)
    c.add_metric(["b"], 4, created=1600000001.0)
    r = _registry(c)
    assert lines(text_page(r)) == [
        "# HELP jobs_total Jobs run.",
        "# TYPE jobs_total counter",
        'jobs_total{q="a"} 3.0',
        'jobs_total{q="b"} 4.0',
        "# HELP jobs_created Jobs run.",
        "# TYPE jobs_created gauge",
        'jobs_created{q="a"} 1.6e+09',
        'jobs_created{q="b"} 1.600000001e+09',
    ]
    assert lines(om_page(r)) == [
        "# HELP jobs Jobs run.",
        "# TYPE jobs counter",
        'jobs_total{q="a"} 3.0',
        'jobs_created{q="a"} 1.6e+09',
        'jobs_total{q="b"} 4.0',
        'jobs_created{q="b"} 1.600000001e+09',
        "# EOF",
    ]


def test_unit_only_in_openmetrics():
    r = _registry(GaugeMetricFamily("temp", "T.", value=20, unit="celsius"))
    assert lines(text_page(r)) == [
        "# HELP temp_celsius T.",
        "# TYPE temp_celsius gauge",
        "temp_celsius 20.0",
    ]
    assert lines(om_page(r)) == [
        "# HELP temp_celsius T.",
        "# TYPE temp_celsius gauge",
        "# UNIT temp_celsius celsius",
        "temp_celsius 20.0",
        "# EOF",
    ]


def test_summary_and_histogram_families():
    s = SummaryMetricFamily("lat", "L.", count_value=2, sum_value=0.5)
    h = HistogramMetricFamily("size", "S.", buckets=[("10.0", 1), ("+Inf", 3)], sum_value=40)
    r = _registry(s, h)
    body = [
        "lat_count 2.0",
        "lat_sum 0.5",
    ]
    hist = [
        'size_bucket{le="10.0"} 1.0',
        'size_bucket{le="+Inf"} 3.0',
        "size_count 3.0",
        "size_sum 40.0",
    ]
    assert lines(text_page(r)) == (
        ["# HELP lat L.", "# TYPE lat summary"]
        + body
        + ["# HELP size S.", "# TYPE size histogram"]
        + hist
    )
    assert lines(om_page(r)) == (
        ["# HELP lat L.", "# TYPE lat summary"]
        + body
        + ["# HELP size S.", "# TYPE size histogram"]
        + hist
        + ["# EOF"]
    )


def test_gauge_histogram_gcount_and_gsum_become_gauges_in_text():
    g = GaugeHistogramMetricFamily("queue", "Q.", buckets=[("1.0", 4), ("+Inf", 6)], gsum_value=9)
    r = _registry(g)
    assert lines(text_page(r)) == [
        "# HELP queue Q.",
        "# TYPE queue histogram",
        'queue_bucket{le="1.0"} 4.0',
        'queue_bucket{le="+Inf"} 6.0',
        "# HELP queue_gcount Q.",
        "# TYPE queue_gcount gauge",
        "queue_gcount 6.0",
        "# HELP queue_gsum Q.",
        "# TYPE queue_gsum gauge",
        "queue_gsum 9.0",
    ]
    assert lines(om_page(r)) == [
        "# HELP queue Q.",
        "# TYPE queue gaugehistogram",
        'queue_bucket{le="1.0"} 4.0',
        'queue_bucket{le="+Inf"} 6.0',
        "queue_gcount 6.0",
        "queue_gsum 9.0",
        "# EOF",
    ]


def test_info_stateset_and_unknown_families():
    r = _registry(
        InfoMetricFamily("build", "B.", value={"version": "1.0", "arch": "arm"}),
        StateSetMetricFamily("mode", "M.", value={"on": True, "off": False}),
        UnknownMetricFamily("odd", "O.", value=7),
    )
    assert lines(text_page(r)) == [
        "# HELP build_info B.",
        "# TYPE build_info gauge",
        'build_info{arch="arm",version="1.0"} 1.0',
        "# HELP mode M.",
        "# TYPE mode gauge",
        'mode{mode="off"} 0.0',
        'mode{mode="on"} 1.0',
        "# HELP odd O.",
        "# TYPE odd untyped",
        "odd 7.0",
    ]
    assert lines(om_page(r)) == [
        "# HELP build B.",
        "# TYPE build info",
        'build_info{arch="arm",version="1.0"} 1.0',
        "# HELP mode M.",
        "# TYPE mode stateset",
        'mode{mode="off"} 0.0',
        'mode{mode="on"} 1.0',
        "# HELP odd O.",
        "# TYPE odd unknown",
        "odd 7.0",
        "# EOF",
    ]


def test_timestamps_are_milliseconds_in_text_and_seconds_in_openmetrics():
    g = GaugeMetricFamily("g", "d", labels=[])
    g.add_metric([], 1, timestamp=1600000000.5)
    r = _registry(g)
    assert lines(text_page(r))[2] == "g 1.0 1600000000500"
    assert lines(om_page(r))[2] == "g 1.0 1600000000.5"


def test_exemplars_only_in_openmetrics():
    c = CounterMetricFamily("jobs", "d", labels=[])
    c.add_metric([], 3, exemplar=Exemplar({"trace_id": 'a"b', "span": "1"}, 1, None))
    h = HistogramMetricFamily("lat", "d", labels=[])
    h.add_metric([], [("1.0", 2, Exemplar({"id": "x"}, 0.5, 1600000000.25)), ("+Inf", 2)], 0.75)
    r = _registry(c, h)
    om = lines(om_page(r))
    assert om[2] == 'jobs_total 3.0 # {span="1",trace_id="a\\"b"} 1.0'
    assert om[5] == 'lat_bucket{le="1.0"} 2.0 # {id="x"} 0.5 1600000000.25'
    assert om[6] == 'lat_bucket{le="+Inf"} 2.0'
    assert "#" not in "".join(x for x in lines(text_page(r)) if not x.startswith("# "))


def test_exemplar_on_a_gauge_is_an_error_in_openmetrics():
    m = Metric("g", "d", "gauge")
    m.add_sample("g", {}, 1, None, Exemplar({"a": "b"}, 1, None))
    r = _registry(m)
    e = raises(ValueError, om_page, r)
    assert "exemplar" in str(e)


def test_label_values_and_help_escaped():
    g = GaugeMetricFamily("g", 'Say "x"\\\r\n', labels=["p"])
    g.add_metric(['a\\b"c\rd'], 1)
    r = _registry(g)
    text = lines(text_page(r))
    assert text[0] == '# HELP g Say "x"\\\\\\n'
    assert text[2] == 'g{p="a\\\\b\\"c\\nd"} 1.0'
    om = lines(om_page(r))
    assert om[0] == '# HELP g Say \\"x\\"\\\\\\n'
    assert om[2] == text[2]


def test_custom_and_native_metrics_in_registration_order():
    r = CollectorRegistry()
    Gauge("first", "d", registry=r).set(1)
    r.register(Collector([GaugeMetricFamily("second", "d", value=2)]))
    Gauge("third", "d", registry=r).set(3)
    samples = [x for x in lines(text_page(r)) if not x.startswith("#")]
    assert samples == ["first 1.0", "second 2.0", "third 3.0"]


def test_collector_is_asked_again_at_every_scrape():
    box = [1]

    class Live:
        def collect(self):
            yield GaugeMetricFamily("live", "d", value=box[0])

    r = CollectorRegistry()
    r.register(Live())
    assert lines(text_page(r))[2] == "live 1.0"
    box[0] = 2
    assert lines(text_page(r))[2] == "live 2.0"
    assert lines(om_page(r))[2] == "live 2.0"
