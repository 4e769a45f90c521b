"""Exemplars on Counter.inc and Histogram.observe: written in OpenMetrics only, checked first."""

import sys

from support import FakeUnixTime, Unloaded, lines, om_page, raises, text_page

from prometheus_express import CollectorRegistry, Counter
from prometheus_express.histogram import Histogram
from prometheus_express.openmetrics.parser import text_string_to_metric_families
from prometheus_express.samples import Exemplar

NOW = 1700000000  # an int clock, as a board's: written with every digit


def _exemplars(registry):
    """{(sample name, labels as sorted tuple): Exemplar} of what collect() reports."""
    found = {}
    for family in registry.collect():
        for s in family.samples:
            if s.exemplar is not None:
                found[(s.name, tuple(sorted(s.labels.items())))] = s.exemplar
    return found


def test_counter_exemplar_is_written_after_the_count_in_openmetrics():
    r = CollectorRegistry()
    c = Counter("reads", "Sensor reads", registry=r)
    with FakeUnixTime(NOW):
        c.inc(2, exemplar={"trace_id": "abc"})
    assert lines(om_page(r)) == [
        "# HELP reads Sensor reads",
        "# TYPE reads counter",
        'reads_total 2.0 # {trace_id="abc"} 2.0 1700000000',
        "# EOF",
    ]
    # The 0.0.4 format has no exemplars: the line is as without one.
    assert "reads_total 2.0\n" in text_page(r) and "trace_id" not in text_page(r)
    assert _exemplars(r) == {("reads_total", ()): Exemplar({"trace_id": "abc"}, 2, NOW)}


def test_the_last_exemplar_stays_until_another_replaces_it():
    r = CollectorRegistry()
    c = Counter("reads", "Sensor reads", ["sensor"], registry=r)
    with FakeUnixTime(NOW):
        c.labels("a").inc(exemplar={"trace_id": "1"})
        c.labels("a").inc(3)  # no exemplar: the last one stays, as in client_python
        c.labels("b").inc(exemplar={"trace_id": "2", "span": 'q"\n\\'})
    page = lines(om_page(r))
    assert page[2] == 'reads_total{sensor="a"} 4.0 # {trace_id="1"} 1.0 1700000000'
    # Labels sorted by name and escaped as label values are.
    assert page[3] == (
        'reads_total{sensor="b"} 1.0 # {span="q\\"\\n\\\\",trace_id="2"} 1.0 1700000000'
    )
    with FakeUnixTime(NOW + 5):
        c.labels("a").inc(0.5, exemplar={"trace_id": "9"})
    assert lines(om_page(r))[2] == 'reads_total{sensor="a"} 4.5 # {trace_id="9"} 0.5 1700000005'


def test_histogram_exemplar_belongs_to_the_bucket_of_its_observation():
    r = CollectorRegistry()
    h = Histogram("read_seconds", "Read time", ["sensor"], buckets=(0.1, 1), registry=r)
    with FakeUnixTime(NOW):
        h.labels("a").observe(0.5, exemplar={"trace_id": "slow"})
        h.labels("a").observe(0.05)
        h.labels("a").observe(7, exemplar={"trace_id": "stuck"})
    assert lines(om_page(r))[2:7] == [
        'read_seconds_bucket{le="0.1",sensor="a"} 1.0',
        'read_seconds_bucket{le="1.0",sensor="a"} 2.0 # {trace_id="slow"} 0.5 1700000000',
        'read_seconds_bucket{le="+Inf",sensor="a"} 3.0 # {trace_id="stuck"} 7.0 1700000000',
        'read_seconds_count{sensor="a"} 3.0',
        'read_seconds_sum{sensor="a"} 7.55',
    ]
    assert "trace_id" not in text_page(r)
    assert _exemplars(r) == {
        ("read_seconds_bucket", (("le", "1.0"), ("sensor", "a"))): Exemplar(
            {"trace_id": "slow"}, 0.5, NOW
        ),
        ("read_seconds_bucket", (("le", "+Inf"), ("sensor", "a"))): Exemplar(
            {"trace_id": "stuck"}, 7, NOW
        ),
    }


def test_a_page_with_exemplars_reads_back_with_them():
    r = CollectorRegistry()
    with FakeUnixTime(NOW):
        Counter("c", "d", registry=r).inc(exemplar={"trace_id": "t"})
        Histogram("h", "d", buckets=(1,), registry=r).observe(0.5, exemplar={"a": "b"})
    found = []
    for family in text_string_to_metric_families(om_page(r)):
        for s in family.samples:
            if s.exemplar is not None:
                found.append((s.name, s.exemplar.labels, float(s.exemplar.value)))
    assert found == [("c_total", {"trace_id": "t"}, 1.0), ("h_bucket", {"a": "b"}, 0.5)]


def test_a_board_without_a_clock_writes_its_exemplar_without_a_timestamp():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)
    with FakeUnixTime(100, board=True):  # 1970: an RTC never set
        c.inc(exemplar={"trace_id": "t"})
    assert lines(om_page(r))[2] == 'c_total 1.0 # {trace_id="t"} 1.0'


def test_a_bad_exemplar_is_refused_and_changes_nothing():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)
    h = Histogram("h", "d", buckets=(1,), registry=r)
    too_long = {"a": "x" * 127, "b": ""}  # 129 characters of names and values
    for bad, kind, words in (
        (["trace_id", "t"], TypeError, "dict"),
        ({"trace_id": 1}, TypeError, "str"),
        ({"__trace": "t"}, ValueError, "__trace"),
        ({"": "t"}, ValueError, "label name"),
        (too_long, ValueError, "129"),
    ):
        for method, amount in ((c.inc, 1), (h.observe, 0.5)):
            e = raises(kind, method, amount, exemplar=bad)
            assert words in str(e), (bad, str(e))
    assert r.get_sample_value("c_total") == 0
    assert r.get_sample_value("h_count") == 0
    assert _exemplars(r) == {}
    # 128 characters are allowed.
    c.inc(exemplar={"a": "x" * 127})
    assert len(_exemplars(r)) == 1


def test_an_empty_exemplar_is_none():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)
    c.inc(exemplar={})
    assert _exemplars(r) == {} and lines(om_page(r))[2] == "c_total 1.0"


def test_exemplars_load_only_when_one_is_given():
    r = CollectorRegistry()
    with Unloaded("prometheus_express.exemplars"):
        c = Counter("c", "d", registry=r)
        c.inc()
        h = Histogram("h", "d", registry=r)
        h.observe(1)
        om_page(r)
        assert "prometheus_express.exemplars" not in sys.modules
        c.inc(exemplar={"a": "b"})
        assert "prometheus_express.exemplars" in sys.modules
