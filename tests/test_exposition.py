"""prometheus_express.exposition: text format 0.0.4, streamed and whole."""

from support import (
    Collector,
    FakeUnixTime,
    Sink,
    Unloaded,
    float_text,
    lines,
    module,
    now,
    raises,
    sample_number,
    text_page,
)

from prometheus_express import (
    CollectorRegistry,
    Counter,
    Gauge,
    disable_created_metrics,
    enable_created_metrics,
    generate_latest,
    write_text,
)
from prometheus_express.histogram import Histogram, Summary
from prometheus_express.metrics_core import GaugeMetricFamily
from prometheus_express.state import Enum, Info


def test_empty_registry_is_an_empty_page():
    assert generate_latest(CollectorRegistry()) == b""


def test_gauge():
    r = CollectorRegistry()
    Gauge("temp_celsius", "Air temperature.", registry=r).set(21.5)
    assert generate_latest(r) == (
        b"# HELP temp_celsius Air temperature.\n# TYPE temp_celsius gauge\ntemp_celsius 21.5\n"
    )


def test_counter_family_is_named_with_total():
    r = CollectorRegistry()
    Counter("reads", "Sensor reads.", registry=r).inc(3)
    assert lines(text_page(r)) == [
        "# HELP reads_total Sensor reads.",
        "# TYPE reads_total counter",
        "reads_total 3.0",
    ]


def test_counter_unit_is_in_the_name_not_a_unit_line():
    r = CollectorRegistry()
    Counter("sent", "Bytes sent.", unit="bytes", registry=r)
    assert lines(text_page(r)) == [
        "# HELP sent_bytes_total Bytes sent.",
        "# TYPE sent_bytes_total counter",
        "sent_bytes_total 0.0",
    ]


def test_created_is_a_gauge_family_after_the_samples():
    r = CollectorRegistry()
    c = Counter("reads", "Sensor reads.", ["sensor"], registry=r)
    with FakeUnixTime(1795878150):  # a board's clock: an int, every digit kept
        c.labels("b").inc()
    with FakeUnixTime(1600000001.5):  # a float clock, written as the runtime's float holds it
        c.labels("a").inc(2)
    assert lines(text_page(r, created=True)) == [
        "# HELP reads_total Sensor reads.",
        "# TYPE reads_total counter",
        'reads_total{sensor="b"} 1.0',
        'reads_total{sensor="a"} 2.0',
        "# HELP reads_created Sensor reads.",
        "# TYPE reads_created gauge",
        'reads_created{sensor="b"} 1.79587815e+09',
        'reads_created{sensor="a"} ' + float_text(1600000001.5, "1.6000000015e+09"),
    ]


def test_created_value_is_the_wall_clock():
    r = CollectorRegistry()
    before = now()
    Summary("s", "d", registry=r)
    after = now()
    out = lines(text_page(r, created=True))
    assert out[4:6] == ["# HELP s_created d", "# TYPE s_created gauge"]
    assert out[6].startswith("s_created ")
    # An int on a board, whose clock counts whole seconds: compared exactly, not as a float.
    assert before - 1 <= sample_number(out[6]) <= after + 1


def test_no_created_family_with_an_implausible_clock():
    r = CollectorRegistry()
    with FakeUnixTime(100, board=True):
        Counter("c", "d", registry=r)
        Histogram("h", "d", buckets=(1,), registry=r)
    page = text_page(r, created=True)
    assert "_created" not in page


def test_disable_created_metrics_removes_them():
    r = CollectorRegistry()
    Counter("c", "d", registry=r)
    Summary("s", "d", registry=r)
    Histogram("h", "d", buckets=(1,), registry=r)
    assert generate_latest(r).count(b"_created") == 9  # 3 HELP, 3 TYPE, 3 samples
    disable_created_metrics()
    try:
        page = generate_latest(r)
    finally:
        enable_created_metrics()
    assert b"_created" not in page


def test_labels_are_sorted_by_name_and_children_in_creation_order():
    r = CollectorRegistry()
    g = Gauge("g", "d", ["zone", "app", "mode"], registry=r)
    g.labels("z1", "pump", "auto").set(1)
    g.labels(zone="a1", app="fan", mode="off").set(2)
    assert lines(text_page(r))[2:] == [
        'g{app="pump",mode="auto",zone="z1"} 1.0',
        'g{app="fan",mode="off",zone="a1"} 2.0',
    ]


def test_labelled_metric_without_children_has_only_its_header():
    r = CollectorRegistry()
    Gauge("g", "Gee.", ["k"], registry=r)
    assert lines(text_page(r)) == ["# HELP g Gee.", "# TYPE g gauge"]


def test_label_values_are_escaped():
    r = CollectorRegistry()
    g = Gauge("g", "d", ["path"], registry=r)
    g.labels('C:\\dir "x"\nnext').set(1)
    assert lines(text_page(r))[2] == 'g{path="C:\\\\dir \\"x\\"\\nnext"} 1.0'


def test_carriage_returns_never_reach_the_page():
    r = CollectorRegistry()
    g = Gauge("g", "one\rtwo\r\nthree", ["v"], registry=r)
    g.labels("a\r\nb\rc").set(1)
    page = text_page(r)
    assert "\r" not in page
    assert lines(page) == [
        "# HELP g one\\ntwo\\nthree",
        "# TYPE g gauge",
        'g{v="a\\nb\\nc"} 1.0',
    ]


def test_help_escapes_backslash_and_newline_but_not_quotes():
    r = CollectorRegistry()
    Gauge("g", 'Path "C:\\tmp"\nsecond line', registry=r)
    assert lines(text_page(r))[0] == '# HELP g Path "C:\\\\tmp"\\nsecond line'


def test_non_ascii_passes_through_as_utf8():
    r = CollectorRegistry()
    Gauge("g", "Température", ["room"], registry=r).labels("Küche").set(1)
    page = generate_latest(r)
    assert "# HELP g Température\n".encode("utf-8") in page
    assert 'g{room="Küche"} 1.0\n'.encode("utf-8") in page


def test_summary():
    r = CollectorRegistry()
    s = Summary("payload_bytes", "Payload size.", registry=r)
    s.observe(512)
    s.observe(1024)
    assert lines(text_page(r)) == [
        "# HELP payload_bytes Payload size.",
        "# TYPE payload_bytes summary",
        "payload_bytes_count 2.0",
        "payload_bytes_sum 1536.0",
    ]


def test_histogram_le_sorts_among_labels():
    r = CollectorRegistry()
    h = Histogram("h", "d", ["zone", "app"], buckets=(1,), registry=r)
    h.labels("eu", "pump").observe(1)
    assert lines(text_page(r))[2:] == [
        'h_bucket{app="pump",le="1.0",zone="eu"} 1.0',
        'h_bucket{app="pump",le="+Inf",zone="eu"} 1.0',
        'h_count{app="pump",zone="eu"} 1.0',
        'h_sum{app="pump",zone="eu"} 1.0',
    ]


def test_le_first_and_last_among_labels():
    r = CollectorRegistry()
    h = Histogram("h", "d", ["a", "z"], buckets=(2,), registry=r)
    h.labels("1", "2")
    r2 = CollectorRegistry()
    Histogram("h", "d", ["aa"], buckets=(2,), registry=r2).labels("x")
    r3 = CollectorRegistry()
    Histogram("h", "d", ["m"], buckets=(2,), registry=r3).labels("x")
    assert lines(text_page(r))[2] == 'h_bucket{a="1",le="2.0",z="2"} 0.0'
    assert lines(text_page(r2))[2] == 'h_bucket{aa="x",le="2.0"} 0.0'
    assert lines(text_page(r3))[2] == 'h_bucket{le="2.0",m="x"} 0.0'


def test_histogram_with_negative_buckets_has_neither_count_nor_sum():
    # OpenMetrics: _count only beside _sum, and no _sum with a negative bucket.
    r = CollectorRegistry()
    Histogram("t", "d", buckets=(-1, 1), registry=r).observe(-2)
    assert lines(text_page(r))[2:] == [
        't_bucket{le="-1.0"} 1.0',
        't_bucket{le="1.0"} 1.0',
        't_bucket{le="+Inf"} 1.0',
    ]


def test_special_values():
    r = CollectorRegistry()
    g = Gauge("g", "d", ["k"], registry=r)
    g.labels("inf").set(float("inf"))
    g.labels("minf").set(float("-inf"))
    g.labels("nan").set(float("nan"))
    g.labels("neg").set(-2.5)
    g.labels("zero").set(0.0)
    assert lines(text_page(r))[2:] == [
        'g{k="inf"} +Inf',
        'g{k="minf"} -Inf',
        'g{k="nan"} NaN',
        'g{k="neg"} -2.5',
        'g{k="zero"} 0.0',
    ]


def test_families_in_registration_order():
    r = CollectorRegistry()
    Gauge("zz", "d", registry=r)
    Info("build", "d", registry=r)
    Enum("e", "d", states=["x"], registry=r)
    Gauge("aa", "d", registry=r)
    types = [x for x in lines(text_page(r)) if x.startswith("# TYPE")]
    assert types == [
        "# TYPE zz gauge",
        "# TYPE build_info gauge",
        "# TYPE e gauge",
        "# TYPE aa gauge",
    ]


def test_write_text_streams_str_pieces_equal_to_generate_latest():
    r = CollectorRegistry()
    c = Counter("c", "Count.", ["k"], registry=r)
    c.labels("a").inc()
    c.labels("b\n").inc(10**10)
    Histogram("h", "d", buckets=(1, 2), registry=r).observe(1.5)
    Info("i", "d", registry=r).info({"v": "1"})
    Enum("e", "d", states=["x", "y"], registry=r)
    sink = Sink()
    write_text(sink.write, r)
    assert len(sink.pieces) > 10  # streamed, not one string
    assert sink.text() == generate_latest(r).decode("utf-8")


def test_write_text_accepts_any_object_with_collect():
    sink = Sink()
    write_text(sink.write, Collector([GaugeMetricFamily("x", "X.", value=2)]))
    assert lines(sink.text()) == ["# HELP x X.", "# TYPE x gauge", "x 2.0"]


def test_generate_latest_accepts_an_escaping_argument():
    r = CollectorRegistry()
    Gauge("g", "d", registry=r).set(1)
    assert generate_latest(r, escaping="allow-utf-8") == generate_latest(r)


def test_a_failing_collector_raises():
    class Broken:
        def collect(self):
            raise RuntimeError("sensor gone")

    r = CollectorRegistry()
    r.register(Broken())
    e = raises(RuntimeError, generate_latest, r)
    assert "sensor gone" in str(e)


def test_choose_encoder_is_reachable_from_exposition():
    # client_python has it in exposition; ours loads negotiation on first use.
    with Unloaded("prometheus_express.negotiation"):
        from prometheus_express.exposition import choose_encoder, choose_format

        assert choose_format(None) == (False, "text/plain; version=0.0.4; charset=utf-8")
        assert choose_encoder(None)[1] == "text/plain; version=0.0.4; charset=utf-8"
    raises(AttributeError, getattr, module("prometheus_express.exposition"), "no_such_name")
