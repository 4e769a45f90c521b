"""prometheus_express.histogram: Summary and Histogram."""

from support import collected_value as _v
from support import lines, raises, sleep, text_page

from prometheus_express import CollectorRegistry
from prometheus_express.histogram import Histogram, Summary


def _buckets(registry, name="h", labels=None):
    """{le: cumulative count} of one histogram child."""
    out = {}
    for family in registry.collect():
        for s in family.samples:
            if s.name != name + "_bucket":
                continue
            rest = dict(s.labels)
            le = rest.pop("le")
            if rest == (labels or {}):
                out[le] = s.value
    return out


# --- Summary ----------------------------------------------------------------------------


def test_summary_counts_and_sums():
    r = CollectorRegistry()
    s = Summary("s", "d", registry=r)
    assert _v(r, "s_count") == 0
    assert _v(r, "s_sum") == 0
    s.observe(2)
    s.observe(0.5)
    s.observe(0)
    assert _v(r, "s_count") == 3
    assert _v(r, "s_sum") == 2.5


def test_summary_sum_of_ints_stays_exact():
    r = CollectorRegistry()
    s = Summary("s", "d", registry=r)
    s.observe(10**17)
    s.observe(1)
    assert _v(r, "s_sum") == 10**17 + 1


def test_summary_samples_in_order():
    r = CollectorRegistry()
    Summary("s", "d", registry=r).observe(3)
    names = [x.name for x in list(r.collect())[0].samples]
    assert names == ["s_count", "s_sum", "s_created"]


def test_summary_reserves_quantile():
    e = raises(ValueError, Summary, "s", "d", ["quantile"], registry=None)
    assert "quantile" in str(e)


def test_summary_time():
    r = CollectorRegistry()
    s = Summary("s", "d", registry=r)
    with s.time():
        sleep(0.02)
    assert _v(r, "s_count") == 1
    assert 0.01 <= _v(r, "s_sum") < 30


def test_summary_with_labels():
    r = CollectorRegistry()
    s = Summary("s", "d", ["k"], registry=r)
    s.labels("a").observe(4)
    assert _v(r, "s_count", {"k": "a"}) == 1
    assert _v(r, "s_sum", {"k": "a"}) == 4
    e = raises(ValueError, s.observe, 1)
    assert "missing label values" in str(e)


# --- Histogram --------------------------------------------------------------------------


def test_default_buckets():
    r = CollectorRegistry()
    Histogram("h", "d", registry=r)
    les = [s.labels["le"] for s in list(r.collect())[0].samples if s.name == "h_bucket"]
    assert les == [
        "0.005",
        "0.01",
        "0.025",
        "0.05",
        "0.075",
        "0.1",
        "0.25",
        "0.5",
        "0.75",
        "1.0",
        "2.5",
        "5.0",
        "7.5",
        "10.0",
        "+Inf",
    ]


def test_inf_bucket_is_appended():
    r = CollectorRegistry()
    Histogram("h", "d", buckets=(1, 2.5), registry=r)
    assert sorted(_buckets(r)) == sorted(["1.0", "2.5", "+Inf"])


def test_inf_bucket_is_not_doubled():
    r = CollectorRegistry()
    Histogram("h", "d", buckets=(1, float("inf")), registry=r)
    les = [s.labels["le"] for s in list(r.collect())[0].samples if s.name == "h_bucket"]
    assert les == ["1.0", "+Inf"]


def test_value_on_a_bound_goes_in_that_bucket_and_counts_are_cumulative():
    r = CollectorRegistry()
    h = Histogram("h", "d", buckets=(1, 2, 5), registry=r)
    for v in (0.5, 1, 1.5, 2, 7, -3):
        h.observe(v)
    assert _buckets(r) == {"1.0": 3, "2.0": 5, "5.0": 5, "+Inf": 6}
    assert _v(r, "h_count") == 6
    assert _v(r, "h_sum") == 9


def test_histogram_samples_in_order():
    r = CollectorRegistry()
    Histogram("h", "d", buckets=(1,), registry=r).observe(0.5)
    samples = list(r.collect())[0].samples
    assert [(s.name, s.labels.get("le")) for s in samples] == [
        ("h_bucket", "1.0"),
        ("h_bucket", "+Inf"),
        ("h_count", None),
        ("h_sum", None),
        ("h_created", None),
    ]


def test_nan_is_refused_and_changes_nothing():
    # OpenMetrics forbids a NaN _sum; the observation is an error, not a silent NaN.
    r = CollectorRegistry()
    h = Histogram("h", "d", buckets=(1,), registry=r)
    s = Summary("s", "d", registry=r)
    h.observe(0.5)
    e = raises(ValueError, h.observe, float("nan"))
    assert "NaN" in str(e)
    raises(ValueError, s.observe, float("nan"))
    assert _buckets(r) == {"1.0": 1, "+Inf": 1}
    assert _v(r, "h_count") == 1
    assert _v(r, "h_sum") == 0.5
    assert _v(r, "s_count") == 0


def test_inf_goes_in_the_inf_bucket():
    r = CollectorRegistry()
    h = Histogram("h", "d", buckets=(1,), registry=r)
    h.observe(float("inf"))
    assert _buckets(r) == {"1.0": 0, "+Inf": 1}


def test_negative_first_bucket_omits_sum_and_count():
    # OpenMetrics: a histogram has _count if and only if it has _sum.
    r = CollectorRegistry()
    h = Histogram("h", "d", buckets=(-5, 0, 5), registry=r)
    h.observe(-10)
    h.observe(3)
    assert _buckets(r) == {"-5.0": 1, "0.0": 1, "5.0": 2, "+Inf": 2}
    assert _v(r, "h_count") is None
    assert _v(r, "h_sum") is None


def test_zero_first_bucket_keeps_sum():
    r = CollectorRegistry()
    h = Histogram("h", "d", buckets=(0, 5), registry=r)
    h.observe(3)
    assert _v(r, "h_sum") == 3


def test_sum_of_ints_stays_exact():
    r = CollectorRegistry()
    h = Histogram("h", "d", buckets=(1,), registry=r)
    h.observe(10**17)
    h.observe(1)
    assert _v(r, "h_sum") == 10**17 + 1


def test_buckets_must_increase():
    e = raises(ValueError, Histogram, "h", "d", buckets=(2, 1), registry=None)
    assert "sorted" in str(e)
    raises(ValueError, Histogram, "h", "d", buckets=(1, float("inf"), 2), registry=None)


def test_at_least_two_buckets():
    e = raises(ValueError, Histogram, "h", "d", buckets=(), registry=None)
    assert "two buckets" in str(e)
    raises(ValueError, Histogram, "h", "d", buckets=(float("inf"),), registry=None)


def test_histogram_reserves_le():
    e = raises(ValueError, Histogram, "h", "d", ["le"], registry=None)
    assert "le" in str(e)


def test_histogram_children_have_their_own_buckets():
    r = CollectorRegistry()
    h = Histogram("h", "d", ["k"], buckets=(1, 2), registry=r)
    h.labels("a").observe(1.5)
    h.labels("b").observe(0.5)
    h.labels("b").observe(0.5)
    assert _buckets(r, labels={"k": "a"}) == {"1.0": 0, "2.0": 1, "+Inf": 1}
    assert _buckets(r, labels={"k": "b"}) == {"1.0": 2, "2.0": 2, "+Inf": 2}
    e = raises(ValueError, h.observe, 1)
    assert "missing label values" in str(e)


def test_histogram_time_context_manager_and_decorator():
    r = CollectorRegistry()
    h = Histogram("h", "d", buckets=(0.001, 60), registry=r)
    with h.time():
        sleep(0.02)

    @h.time()
    def work():
        sleep(0.02)
        return 5

    assert work() == 5
    assert work() == 5
    assert _v(r, "h_count") == 3
    # 20 ms is above the 1 ms bound and below 60 s.
    assert _buckets(r) == {"0.001": 0, "60.0": 3, "+Inf": 3}


def test_timer_labels_picks_the_child():
    r = CollectorRegistry()
    h = Histogram("h", "d", ["k"], buckets=(60,), registry=r)
    with h.time() as t:
        t.labels("a")
    assert _v(r, "h_count", {"k": "a"}) == 1


def test_histogram_rendering():
    r = CollectorRegistry()
    h = Histogram("h", "Latency.", buckets=(0.5, 2), registry=r)
    h.observe(2)
    assert lines(text_page(r)) == [
        "# HELP h Latency.",
        "# TYPE h histogram",
        'h_bucket{le="0.5"} 0.0',
        'h_bucket{le="2.0"} 1.0',
        'h_bucket{le="+Inf"} 1.0',
        "h_count 1.0",
        "h_sum 2.0",
    ]


def test_a_bad_amount_changes_nothing():
    # client_python raises TypeError for a str; nothing may be counted or summed before that.
    r = CollectorRegistry()
    h = Histogram("h", "d", buckets=(1, 2), registry=r)
    s = Summary("s", "d", registry=r)
    for bad in ("1.5", "x", None, "2.5"):
        raises(TypeError, h.observe, bad)
        raises(TypeError, s.observe, bad)
    h.observe(1)
    s.observe(1)
    assert r.get_sample_value("h_count") == 1
    assert r.get_sample_value("h_sum") == 1
    assert r.get_sample_value("h_bucket", {"le": "1.0"}) == 1
    assert r.get_sample_value("s_count") == 1
    assert r.get_sample_value("s_sum") == 1


def test_int_bounds_stay_exact_where_floats_are_single():
    # A board's float would make 16777217 equal to 16777216 ("not in sorted order").
    r = CollectorRegistry()
    h = Histogram("big", "d", buckets=(16777216, 16777217), registry=r)
    h.observe(16777217)
    found = lines(text_page(r))
    assert 'big_bucket{le="1.6777216e+07"} 0.0' in found, found
    assert 'big_bucket{le="1.6777217e+07"} 1.0' in found, found
