"""prometheus_express.openmetrics.exposition: OpenMetrics 1.0 text."""

from support import FakeUnixTime, Sink, lines, om_page

from prometheus_express import CollectorRegistry, Counter, Gauge
from prometheus_express.histogram import Histogram, Summary
from prometheus_express.openmetrics.exposition import (
    CONTENT_TYPE_LATEST,
    generate_latest,
    write_openmetrics,
)
from prometheus_express.state import Enum, Info


def test_content_type():
    assert CONTENT_TYPE_LATEST == "application/openmetrics-text; version=1.0.0; charset=utf-8"


def test_empty_registry_is_just_eof():
    assert generate_latest(CollectorRegistry()) == b"# EOF\n"


def test_counter_family_has_no_total_but_its_sample_does():
    r = CollectorRegistry()
    Counter("reads_total", "Sensor reads.", registry=r).inc(2)
    assert lines(om_page(r)) == [
        "# HELP reads Sensor reads.",
        "# TYPE reads counter",
        "reads_total 2.0",
        "# EOF",
    ]


def test_unit_line():
    r = CollectorRegistry()
    Gauge("temp", "Air temperature.", unit="celsius", registry=r).set(21)
    Counter("sent", "Sent.", unit="bytes", registry=r)
    assert lines(om_page(r)) == [
        "# HELP temp_celsius Air temperature.",
        "# TYPE temp_celsius gauge",
        "# UNIT temp_celsius celsius",
        "temp_celsius 21.0",
        "# HELP sent_bytes Sent.",
        "# TYPE sent_bytes counter",
        "# UNIT sent_bytes bytes",
        "sent_bytes_total 0.0",
        "# EOF",
    ]


def test_created_is_inline_after_each_child():
    r = CollectorRegistry()
    c = Counter("reads", "d", ["sensor"], registry=r)
    with FakeUnixTime(1600000000):
        c.labels("b").inc()
    with FakeUnixTime(1700000000):
        c.labels("a")
    assert lines(om_page(r, created=True)) == [
        "# HELP reads d",
        "# TYPE reads counter",
        'reads_total{sensor="b"} 1.0',
        'reads_created{sensor="b"} 1.6e+09',
        'reads_total{sensor="a"} 0.0',
        'reads_created{sensor="a"} 1.7e+09',
        "# EOF",
    ]


def test_summary_and_histogram_created_inline():
    r = CollectorRegistry()
    with FakeUnixTime(1600000000):
        Summary("s", "d", registry=r).observe(2)
        Histogram("h", "d", buckets=(1,), registry=r).observe(2)
    assert lines(om_page(r, created=True)) == [
        "# HELP s d",
        "# TYPE s summary",
        "s_count 1.0",
        "s_sum 2.0",
        "s_created 1.6e+09",
        "# HELP h d",
        "# TYPE h histogram",
        'h_bucket{le="1.0"} 0.0',
        'h_bucket{le="+Inf"} 1.0',
        "h_count 1.0",
        "h_sum 2.0",
        "h_created 1.6e+09",
        "# EOF",
    ]


def test_disabled_or_implausible_created_is_absent():
    r = CollectorRegistry()
    Counter("c", "d", registry=r)
    assert "c_created" not in om_page(r)
    r2 = CollectorRegistry()
    with FakeUnixTime(0, board=True):
        Counter("c", "d", registry=r2)
    assert "c_created" not in om_page(r2, created=True)


def test_info_and_stateset_types():
    r = CollectorRegistry()
    Info("build", "Build.", ["zone"], registry=r).labels("eu").info({"version": "2"})
    Enum("mode", "Mode.", states=["off", "on"], registry=r).state("on")
    assert lines(om_page(r)) == [
        "# HELP build Build.",
        "# TYPE build info",
        'build_info{version="2",zone="eu"} 1.0',
        "# HELP mode Mode.",
        "# TYPE mode stateset",
        'mode{mode="off"} 0.0',
        'mode{mode="on"} 1.0',
        "# EOF",
    ]


def test_help_escapes_quotes_too():
    r = CollectorRegistry()
    Gauge("g", 'Say "hi"\\\nbye\r', ["k"], registry=r).labels('"q"').set(1)
    assert lines(om_page(r)) == [
        '# HELP g Say \\"hi\\"\\\\\\nbye\\n',
        "# TYPE g gauge",
        'g{k="\\"q\\""} 1.0',
        "# EOF",
    ]


def test_values_match_the_text_format():
    r = CollectorRegistry()
    Counter("a", "d", registry=r).inc(123456789)
    Counter("b", "d", registry=r).inc(10**17 + 1)
    Gauge("g", "d", registry=r).set(float("-inf"))
    samples = [x for x in lines(om_page(r)) if not x.startswith("#")]
    assert samples == ["a_total 1.23456789e+08", "b_total 1.00000000000000001e+17", "g -Inf"]


def test_write_openmetrics_streams_what_generate_latest_returns():
    r = CollectorRegistry()
    c = Counter("c", "Count.", ["k"], unit="bytes", registry=r)
    c.labels("a").inc()
    c.labels("b").inc(2.5)
    Histogram("h", "d", ["k"], buckets=(1, 2), registry=r).labels("x").observe(1.5)
    Info("i", "d", registry=r).info({"v": "1"})
    sink = Sink()
    write_openmetrics(sink.write, r)
    assert len(sink.pieces) > 10
    assert sink.text() == generate_latest(r).decode("utf-8")
    assert sink.text().endswith("\n# EOF\n")


def test_generate_latest_accepts_client_python_arguments():
    r = CollectorRegistry()
    Gauge("g", "d", registry=r).set(1)
    assert generate_latest(r, escaping="allow-utf-8", version="1.0.0") == generate_latest(r)
