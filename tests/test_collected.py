"""prometheus_express.collected: custom collectors' families in both text formats."""

from support import DOUBLE, Collector, float_text, lines, module, om_page, raises, text_page

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
from prometheus_express.samples import Exemplar, Sample


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
    c.add_metric(["b"], 4, created=1600000001.0)  # a board's float holds 1600000000.0
    c.add_metric(["c"], 5, created=1795878150)  # an int keeps every digit, on a board too
    r = _registry(c)
    a = float_text(1600000000.0, "1.6e+09")
    b = float_text(1600000001.0, "1.600000001e+09")
    assert lines(text_page(r)) == [
        "# HELP jobs_total Jobs run.",
        "# TYPE jobs_total counter",
        'jobs_total{q="a"} 3.0',
        'jobs_total{q="b"} 4.0',
        'jobs_total{q="c"} 5.0',
        "# HELP jobs_created Jobs run.",
        "# TYPE jobs_created gauge",
        'jobs_created{q="a"} ' + a,
        'jobs_created{q="b"} ' + b,
        'jobs_created{q="c"} 1.79587815e+09',
    ]
    assert lines(om_page(r)) == [
        "# HELP jobs Jobs run.",
        "# TYPE jobs counter",
        'jobs_total{q="a"} 3.0',
        'jobs_created{q="a"} ' + a,
        'jobs_total{q="b"} 4.0',
        'jobs_created{q="b"} ' + b,
        'jobs_total{q="c"} 5.0',
        'jobs_created{q="c"} 1.79587815e+09',
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


def _stamps(ts, double_ms, double_om):
    # The float timestamp ts in text format and in OpenMetrics: client_python's text, on a
    # double. A board's float holds no fraction of a second this large: the whole seconds it
    # holds, every digit (its repr may show only 7).
    if DOUBLE:
        return double_ms, double_om
    whole = int(ts)
    assert whole == ts, ts
    return "%d000" % whole, "%d.0" % whole


def _timestamped(ts):
    # The sample line of a gauge with timestamp ts, in text format and in OpenMetrics.
    g = GaugeMetricFamily("g", "d", labels=[])
    g.add_metric([], 1, timestamp=ts)
    r = _registry(g)
    return lines(text_page(r))[2], lines(om_page(r))[2]


def test_timestamps_are_milliseconds_in_text_and_seconds_in_openmetrics():
    ms, om = _stamps(1600000000.5, "1600000000500", "1600000000.5")
    assert _timestamped(1600000000.5) == ("g 1.0 " + ms, "g 1.0 " + om)


def test_int_timestamps_stay_exact():
    # A board's float holds 1795878144 of it, and of that times 1000 up to minutes less or
    # more: only int arithmetic keeps every digit.
    assert _timestamped(1795878150) == ("g 1.0 1795878150000", "g 1.0 1795878150")
    assert _timestamped(0) == ("g 1.0 0", "g 1.0 0")


def test_whole_float_timestamps_keep_every_digit_the_float_holds():
    ts = 1795878150.0  # a board's float holds 1795878144.0: its digits, exactly
    assert _timestamped(ts) == ("g 1.0 %d000" % int(ts), "g 1.0 %d.0" % int(ts))
    if DOUBLE:  # client_python's output
        assert _timestamped(ts) == ("g 1.0 1795878150000", "g 1.0 1795878150.0")


def test_a_float_timestamps_fraction_is_kept_in_milliseconds():
    # Every runtime's float holds 300000.5 exactly; a board's float rounds 300000500.0.
    assert _timestamped(300000.5) == ("g 1.0 300000500", "g 1.0 300000.5")
    assert _timestamped(0.25) == ("g 1.0 250", "g 1.0 0.25")


def test_the_board_way_to_milliseconds_agrees_with_client_python():
    # Where the float is a double, client_python's rule runs; this runs the board's rule
    # there too, on stamps both rules get exactly.
    collected = module("prometheus_express.collected")
    saved = collected._DOUBLE
    collected._DOUBLE = False
    try:
        for ts, ms in ((300000.5, "300000500"), (0.25, "250"), (-1.5, "-1500"), (7.0, "7000")):
            assert _timestamped(ts)[0] == "g 1.0 " + ms, ts
    finally:
        collected._DOUBLE = saved


def test_exemplars_only_in_openmetrics():
    c = CounterMetricFamily("jobs", "d", labels=[])
    c.add_metric([], 3, exemplar=Exemplar({"trace_id": 'a"b', "span": "1"}, 1, None))
    h = HistogramMetricFamily("lat", "d", labels=[])
    h.add_metric(
        [],
        [
            ("1.0", 2, Exemplar({"id": "x"}, 0.5, 1600000000.25)),
            ("2.0", 2, Exemplar({"id": "y"}, 1.5, 1795878150)),
            ("+Inf", 2),
        ],
        0.75,
    )
    r = _registry(c, h)
    om = lines(om_page(r))
    assert om[2] == 'jobs_total 3.0 # {span="1",trace_id="a\\"b"} 1.0'
    stamp = _stamps(1600000000.25, "1600000000250", "1600000000.25")[1]
    assert om[5] == 'lat_bucket{le="1.0"} 2.0 # {id="x"} 0.5 ' + stamp
    assert om[6] == 'lat_bucket{le="2.0"} 2.0 # {id="y"} 1.5 1795878150'  # an int: exact
    assert om[7] == 'lat_bucket{le="+Inf"} 2.0'
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


def _native_histograms():
    from prometheus_express.samples import BucketSpan, NativeHistogram

    h = HistogramMetricFamily("nh", "d", labels=["a"])
    h.add_metric(["x"], [("1.0", 2), ("+Inf", 3)], 4.5)
    spans = (BucketSpan(0, 2), BucketSpan(1, 2))
    exemplars = (
        Exemplar({"trace_id": "KOO5S4vxi0o"}, 0.67),
        Exemplar({"id": "z"}, 9.5, 1520879607),
    )
    full = NativeHistogram(
        24, 100.0, 0, 0.001, 4, spans, spans, (2, 1, -3, 3), (2, 1, -2, 3), exemplars
    )
    h.add_sample("nh", {"a": "x"}, 7, None, None, full)
    h.add_sample("nh", {}, 5, 12, Exemplar({"t": "1"}, 2), NativeHistogram(1, 0.5, -4, 0, 1))
    return _registry(h)


def _om_2_0_0(r):
    from prometheus_express.openmetrics.exposition import generate_latest

    return generate_latest(r, version="2.0.0").decode("utf-8")


def test_native_histograms_are_written_from_openmetrics_2_0_0():
    classic = [
        "# HELP nh d",
        "# TYPE nh histogram",
        'nh_bucket{a="x",le="1.0"} 2.0',
        'nh_bucket{a="x",le="+Inf"} 3.0',
        'nh_count{a="x"} 3.0',
        'nh_sum{a="x"} 4.5',
    ]
    r = _native_histograms()
    assert lines(_om_2_0_0(r)) == classic + [
        'nh{a="x"} {count:24,sum:100.0,schema:0,zero_threshold:0.001,zero_count:4,'
        "negative_spans:[0:2,1:2],negative_deltas:[2,1,-2,3],"
        "positive_spans:[0:2,1:2],positive_deltas:[2,1,-3,3]}"
        ' # {trace_id="KOO5S4vxi0o"} 0.67 # {id="z"} 9.5 1520879607',
        'nh {count:1,sum:0.5,schema:-4,zero_threshold:0,zero_count:1} 12 # {t="1"} 2.0',
        "# EOF",
    ]
    # OpenMetrics 1.0 has no native histograms: their samples are left out.
    assert lines(om_page(r)) == classic + ["# EOF"]
    # The 0.0.4 format writes the samples' plain values.
    assert lines(text_page(r)) == classic + ['nh{a="x"} 7.0', "nh 5.0 12000"]


def test_native_histogram_exemplars_are_checked_as_the_samples_are():
    from prometheus_express.samples import NativeHistogram

    # OpenMetrics allows exemplars on histograms' samples, not on a gauge histogram's.
    h = NativeHistogram(1, 1, 0, 0, 0, nh_exemplars=[Exemplar({}, 1)])
    m = Metric("g", "d", "gaugehistogram")
    m.add_sample("g", {}, 1, None, None, h)
    r = _registry(m)
    assert "exemplar" in str(raises(ValueError, _om_2_0_0, r))
    # 1.0 leaves the sample out unread: its native histogram's exemplars too ...
    assert lines(om_page(r)) == ["# HELP g d", "# TYPE g gaugehistogram", "# EOF"]
    # ... but not the sample's own exemplar, checked first (as client_python does).
    m.samples[0] = Sample("g", {}, 1, None, Exemplar({}, 1), h)
    assert "exemplar" in str(raises(ValueError, om_page, r))


def test_native_histogram_from_the_openmetrics_parser_has_no_labels():
    from prometheus_express.openmetrics.parser import text_string_to_metric_families

    page = (
        "# TYPE nh histogram\n"
        "nh {count:3,sum:1.5,schema:0,zero_threshold:0.001,zero_count:1,"
        "positive_spans:[0:2],positive_deltas:[1,-1]}\n"
        "# EOF\n"
    )
    families = list(text_string_to_metric_families(page))
    assert families[0].samples[0].labels is None
    assert _om_2_0_0(_registry(*families)) == "# HELP nh \n" + page  # HELP is written
