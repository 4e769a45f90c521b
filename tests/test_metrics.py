"""prometheus_express.metrics: naming, labels and children, Counter and Gauge."""

from support import FakeUnixTime, LegacyNames, lines, now, raises, sleep, text_page
from support import collected_value as _value

from prometheus_express import (
    CollectorRegistry,
    Counter,
    Gauge,
    disable_created_metrics,
    enable_created_metrics,
)
from prometheus_express.histogram import Histogram, Summary
from prometheus_express.state import Enum, Info

# --- naming -----------------------------------------------------------------------------


def test_namespace_subsystem_and_name_join_with_underscores():
    r = CollectorRegistry()
    Gauge("temp", "d", namespace="home", subsystem="attic", registry=r)
    Gauge("hum", "d", namespace="home", registry=r)
    Gauge("volts", "d", subsystem="battery", registry=r)
    names = [m.name for m in r.collect()]
    assert names == ["home_attic_temp", "home_hum", "battery_volts"]


def test_unit_is_appended_once():
    r = CollectorRegistry()
    Gauge("temp", "d", unit="celsius", registry=r)
    Gauge("read_seconds", "d", unit="seconds", registry=r)
    Gauge("x", "d", namespace="ns", unit="bytes", registry=r)
    assert [m.name for m in r.collect()] == ["temp_celsius", "read_seconds", "ns_x_bytes"]
    assert [m.unit for m in r.collect()] == ["celsius", "seconds", "bytes"]


def test_counter_drops_a_total_suffix():
    r = CollectorRegistry()
    Counter("reads_total", "d", registry=r)
    Counter("boots", "d", registry=r)
    Counter("sent_bytes_total", "d", unit="bytes", registry=r)
    assert [m.name for m in r.collect()] == ["reads", "boots", "sent_bytes"]
    assert _value(r, "reads_total") == 0
    assert _value(r, "reads_total_total") is None


def test_only_counters_drop_total():
    r = CollectorRegistry()
    Gauge("queue_total", "d", registry=r)
    assert [m.name for m in r.collect()] == ["queue_total"]


def test_info_and_enum_cannot_have_a_unit():
    e = raises(ValueError, Info, "build", "d", unit="seconds", registry=None)
    assert "unit" in str(e)
    e = raises(ValueError, Enum, "mode", "d", unit="seconds", states=["a"], registry=None)
    assert "unit" in str(e)


def test_empty_name_is_refused():
    e = raises(ValueError, Counter, "", "d", registry=None)
    assert "empty" in str(e)
    raises(ValueError, Gauge, "", "d", namespace="ns", registry=None)


def test_invalid_names_are_refused():
    raises(ValueError, Counter, "", "d", registry=None)
    with LegacyNames():  # else these are UTF-8 names (test_validation)
        raises(ValueError, Counter, "9lives", "d", registry=None)
        raises(ValueError, Gauge, "a-b", "d", registry=None)
        raises(ValueError, Gauge, "x", "d", namespace="my-ns", registry=None)
        raises(ValueError, Gauge, "x", "d", unit="m/s", registry=None)


def test_invalid_label_names_are_refused():
    raises(ValueError, Counter, "c", "d", [""], registry=None)
    raises(ValueError, Counter, "c", "d", ["__reserved"], registry=None)
    with LegacyNames():
        raises(ValueError, Counter, "c", "d", ["9a"], registry=None)
        raises(ValueError, Counter, "c", "d", ["a-b"], registry=None)
    e = raises(ValueError, Counter, "c", "d", ["a", "a"], registry=None)
    assert "a" in str(e)


def test_registry_none_registers_nowhere():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=None)
    c.inc()
    assert list(r.collect()) == []
    # It still works on its own.
    family = c.collect()[0]
    assert family.samples[0].name == "c_total"
    assert family.samples[0].value == 1


# --- labels and children ----------------------------------------------------------------


def test_labels_by_position_and_by_name_return_the_same_child():
    c = Counter("c", "d", ["method", "code"], registry=None)
    a = c.labels("get", "200")
    assert c.labels("get", "200") is a
    assert c.labels(method="get", code="200") is a
    assert c.labels(code="200", method="get") is a
    assert c.labels("get", "404") is not a


def test_label_values_become_strings():
    r = CollectorRegistry()
    c = Counter("c", "d", ["code"], registry=r)
    assert c.labels(200) is c.labels("200")
    c.labels(200).inc()
    assert _value(r, "c_total", {"code": "200"}) == 1


def test_chained_labels_is_an_error():
    c = Counter("c", "d", ["a", "b"], registry=None)
    child = c.labels("1", "2")
    e = raises(ValueError, child.labels, "1", "2")
    assert "chain" in str(e)


def test_labels_without_label_names_is_an_error():
    c = Counter("c", "d", registry=None)
    e = raises(ValueError, c.labels, "x")
    assert "No label names" in str(e)


def test_wrong_label_count_is_an_error():
    c = Counter("c", "d", ["a", "b"], registry=None)
    e = raises(ValueError, c.labels, "1")
    assert "count" in str(e)
    raises(ValueError, c.labels, "1", "2", "3")
    raises(ValueError, c.labels)


def test_wrong_label_names_is_an_error():
    c = Counter("c", "d", ["a", "b"], registry=None)
    e = raises(ValueError, c.labels, a="1", c="2")
    assert "names" in str(e)
    raises(ValueError, c.labels, a="1")
    raises(ValueError, c.labels, a="1", b="2", c="3")


def test_positional_and_keyword_labels_together_is_an_error():
    c = Counter("c", "d", ["a", "b"], registry=None)
    raises(ValueError, c.labels, "1", b="2")


def test_children_are_independent():
    r = CollectorRegistry()
    c = Counter("c", "d", ["k"], registry=r)
    c.labels("a").inc(2)
    c.labels("b").inc(5)
    assert _value(r, "c_total", {"k": "a"}) == 2
    assert _value(r, "c_total", {"k": "b"}) == 5


def test_remove_drops_one_child():
    r = CollectorRegistry()
    c = Counter("c", "d", ["k", "n"], registry=r)
    c.labels("a", "1").inc()
    c.labels("b", "1").inc()
    c.remove("a", "1")
    assert _value(r, "c_total", {"k": "a", "n": "1"}) is None
    assert _value(r, "c_total", {"k": "b", "n": "1"}) == 1
    c.remove("missing", "1")  # nothing to remove is fine
    # labels() again starts from zero.
    assert c.labels("a", "1") is not None
    assert _value(r, "c_total", {"k": "a", "n": "1"}) == 0


def test_remove_converts_values_to_strings():
    r = CollectorRegistry()
    g = Gauge("g", "d", ["code"], registry=r)
    g.labels(200).set(1)
    g.remove(200)
    assert _value(r, "g", {"code": "200"}) is None


def test_remove_needs_every_label_value():
    c = Counter("c", "d", ["k", "n"], registry=None)
    e = raises(ValueError, c.remove, "a")
    assert "count" in str(e)


def test_remove_on_a_metric_without_labels_is_an_error():
    c = Counter("c", "d", registry=None)
    raises(ValueError, c.remove)
    raises(ValueError, c.remove_by_labels, {"a": "1"})


def test_remove_by_labels_removes_partial_matches():
    r = CollectorRegistry()
    g = Gauge("g", "d", ["room", "sensor"], registry=r)
    g.labels("attic", "t1").set(1)
    g.labels("attic", "t2").set(2)
    g.labels("cellar", "t1").set(3)
    g.remove_by_labels({"room": "attic"})
    assert _value(r, "g", {"room": "attic", "sensor": "t1"}) is None
    assert _value(r, "g", {"room": "attic", "sensor": "t2"}) is None
    assert _value(r, "g", {"room": "cellar", "sensor": "t1"}) == 3


def test_remove_by_labels_matches_every_given_label():
    r = CollectorRegistry()
    g = Gauge("g", "d", ["room", "sensor"], registry=r)
    g.labels("attic", "t1").set(1)
    g.labels("attic", "t2").set(2)
    g.remove_by_labels({"room": "attic", "sensor": "t2"})
    assert _value(r, "g", {"room": "attic", "sensor": "t1"}) == 1
    assert _value(r, "g", {"room": "attic", "sensor": "t2"}) is None


def test_remove_by_labels_reads_a_carriage_return_as_labels_does():
    # labels() stores "a\r" as "a\n" (the formats cannot carry a CR): the same value finds it.
    r = CollectorRegistry()
    g = Gauge("g", "d", ["room", "sensor"], registry=r)
    g.labels("attic\r", "t1").set(1)
    g.labels("cellar", "t1").set(2)
    g.remove_by_labels({"room": "attic\r"})
    assert _value(r, "g", {"room": "attic\n", "sensor": "t1"}) is None
    assert _value(r, "g", {"room": "cellar", "sensor": "t1"}) == 2


def test_remove_by_labels_with_no_labels_removes_nothing():
    # client_python documents an empty dict as a no-op ("no operation"), not "match all".
    r = CollectorRegistry()
    g = Gauge("g", "d", ["room"], registry=r)
    g.labels("attic").set(1)
    g.remove_by_labels({})
    assert _value(r, "g", {"room": "attic"}) == 1


def test_remove_by_labels_checks_its_argument():
    g = Gauge("g", "d", ["room"], registry=None)
    raises(TypeError, g.remove_by_labels, ["room"])
    e = raises(ValueError, g.remove_by_labels, {"floor": "1"})
    assert "floor" in str(e)


def test_clear_removes_every_child():
    r = CollectorRegistry()
    c = Counter("c", "d", ["k"], registry=r)
    c.labels("a").inc()
    c.labels("b").inc()
    c.clear()
    assert _value(r, "c_total", {"k": "a"}) is None
    assert _value(r, "c_total", {"k": "b"}) is None
    c.labels("a").inc(3)
    assert _value(r, "c_total", {"k": "a"}) == 3


def test_children_keep_creation_order():
    r = CollectorRegistry()
    g = Gauge("g", "d", ["k"], registry=r)
    for k in ("zulu", "alpha", "mike", "bravo"):
        g.labels(k).set(1)
    samples = list(r.collect())[0].samples
    assert [s.labels["k"] for s in samples] == ["zulu", "alpha", "mike", "bravo"]


def test_parent_with_labels_needs_label_values():
    c = Counter("c", "d", ["k"], registry=None)
    g = Gauge("g", "d", ["k"], registry=None)
    for call in (
        c.inc,
        c.reset,
        c.count_exceptions,
        g.inc,
        g.dec,
        g.set_to_current_time,
        g.track_inprogress,
    ):
        e = raises(ValueError, call)
        assert "missing label values" in str(e), str(e)
    raises(ValueError, g.set, 1)
    raises(ValueError, g.set_function, lambda: 1)


# --- Counter ----------------------------------------------------------------------------


def test_counter_starts_at_zero_and_counts():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)
    assert _value(r, "c_total") == 0
    c.inc()
    c.inc(2)
    c.inc(0)
    assert _value(r, "c_total") == 3


def test_counter_refuses_negative_increments():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)
    c.inc(2)
    e = raises(ValueError, c.inc, -1)
    assert "non-negative" in str(e)
    raises(ValueError, c.inc, -0.5)
    raises(ValueError, c.inc, float("nan"))  # OpenMetrics forbids a NaN counter
    assert _value(r, "c_total") == 2


def test_counter_reset():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)
    c.inc(5)
    c.reset()
    assert _value(r, "c_total") == 0
    c.inc()
    assert _value(r, "c_total") == 1


def test_counter_reset_renews_created():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)
    with FakeUnixTime(1600000000):
        c.reset()
    assert _value(r, "c_created") == 1600000000


def test_counter_ints_stay_exact():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)
    c.inc(10**17)
    c.inc(1)
    value = _value(r, "c_total")
    assert value == 10**17 + 1  # a float cannot hold this
    assert isinstance(value, int)


def test_counter_float_update_makes_a_float():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)
    c.inc(2)
    c.inc(0.5)
    assert _value(r, "c_total") == 2.5
    c.inc(1)
    value = _value(r, "c_total")
    assert value == 3.5
    assert isinstance(value, float)


def test_counter_rendering_of_big_ints():
    cases = (
        (10**10, "1e+10"),
        (123456789, "1.23456789e+08"),
        (10**17 + 1, "1.00000000000000001e+17"),
    )
    for amount, text in cases:
        r = CollectorRegistry()
        Counter("c", "d", registry=r).inc(amount)
        assert lines(text_page(r))[2] == "c_total " + text


def test_counter_created_is_the_creation_time():
    r = CollectorRegistry()
    before = now()
    Counter("c", "d", registry=r)
    after = now()
    created = _value(r, "c_created")
    assert before - 1 <= created <= after + 1


def test_child_created_is_its_own_creation_time():
    r = CollectorRegistry()
    c = Counter("c", "d", ["k"], registry=r)
    with FakeUnixTime(1600000000):
        c.labels("a")
    with FakeUnixTime(1700000000):
        c.labels("b")
    assert _value(r, "c_created", {"k": "a"}) == 1600000000
    assert _value(r, "c_created", {"k": "b"}) == 1700000000


def test_no_created_while_the_clock_is_implausible():
    r = CollectorRegistry()
    with FakeUnixTime(12, board=True):  # a board whose RTC was never set
        Counter("c", "d", registry=r).inc()
    assert _value(r, "c_total") == 1
    assert _value(r, "c_created") is None


def test_disable_created_metrics():
    r = CollectorRegistry()
    Counter("c", "d", registry=r)
    disable_created_metrics()
    try:
        assert _value(r, "c_created") is None
        assert _value(r, "c_total") == 0
    finally:
        enable_created_metrics()
    assert _value(r, "c_created") is not None


def test_count_exceptions_as_context_manager():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)

    def run(exc):
        with c.count_exceptions(ValueError):
            if exc is not None:
                raise exc

    run(None)
    assert _value(r, "c_total") == 0
    raises(ValueError, run, ValueError("x"))
    assert _value(r, "c_total") == 1
    raises(KeyError, run, KeyError("not counted"))
    assert _value(r, "c_total") == 1


def test_count_exceptions_counts_subclasses():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)

    def run():
        with c.count_exceptions(LookupError):
            raise KeyError("k")

    raises(KeyError, run)
    assert _value(r, "c_total") == 1


def test_count_exceptions_as_decorator():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)

    @c.count_exceptions(ZeroDivisionError)
    def divide(a, b):
        return a // b

    assert divide(7, b=2) == 3
    raises(ZeroDivisionError, divide, 1, 0)
    raises(ZeroDivisionError, divide, 1, 0)
    raises(TypeError, divide, "1", 0)
    assert _value(r, "c_total") == 2


def test_count_exceptions_defaults_to_every_exception():
    r = CollectorRegistry()
    c = Counter("c", "d", registry=r)

    def run():
        with c.count_exceptions():
            raise RuntimeError("x")

    raises(RuntimeError, run)
    assert _value(r, "c_total") == 1


def test_count_exceptions_on_a_child():
    r = CollectorRegistry()
    c = Counter("c", "d", ["k"], registry=r)

    def run():
        with c.labels("a").count_exceptions():
            raise OSError(5)

    raises(OSError, run)
    assert _value(r, "c_total", {"k": "a"}) == 1


# --- Gauge ------------------------------------------------------------------------------


def test_gauge_inc_dec_set():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)
    assert _value(r, "g") == 0
    g.inc()
    g.inc(4)
    g.dec()
    g.dec(10)
    assert _value(r, "g") == -6
    g.set(21.5)
    assert _value(r, "g") == 21.5
    g.dec(0.5)
    assert _value(r, "g") == 21.0


def test_gauge_set_accepts_numeric_strings():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)
    g.set("2.5")
    assert _value(r, "g") == 2.5


def test_gauge_ints_stay_exact():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)
    g.set(10**17)
    g.inc()
    assert _value(r, "g") == 10**17 + 1
    assert lines(text_page(r))[2] == "g 1.00000000000000001e+17"


def test_gauge_set_to_current_time():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)
    before = now()
    g.set_to_current_time()
    after = now()
    assert before - 1 <= _value(r, "g") <= after + 1


def test_gauge_track_inprogress_as_context_manager():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)
    with g.track_inprogress():
        assert _value(r, "g") == 1
        with g.track_inprogress():
            assert _value(r, "g") == 2
        assert _value(r, "g") == 1
    assert _value(r, "g") == 0


def test_gauge_track_inprogress_decrements_on_error():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)

    def fail():
        with g.track_inprogress():
            raise ValueError("x")

    raises(ValueError, fail)
    assert _value(r, "g") == 0


def test_gauge_track_inprogress_as_decorator():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)
    seen = []

    @g.track_inprogress()
    def work(x):
        seen.append(_value(r, "g"))
        return x * 2

    assert work(21) == 42
    assert seen == [1]
    assert _value(r, "g") == 0


def test_gauge_time_sets_the_duration():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)
    g.set(1000)
    with g.time():
        sleep(0.05)
    assert 0.03 <= _value(r, "g") < 30


def test_gauge_time_as_decorator():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)
    g.set(1000)

    @g.time()
    def work():
        sleep(0.02)
        return "done"

    assert work() == "done"
    assert 0.01 <= _value(r, "g") < 30


def test_gauge_set_function_is_read_at_collection():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)
    box = [3]
    g.set_function(lambda: box[0])
    assert _value(r, "g") == 3
    box[0] = 7.5
    assert _value(r, "g") == 7.5
    assert lines(text_page(r))[2] == "g 7.5"


def test_gauge_set_function_on_a_child():
    r = CollectorRegistry()
    g = Gauge("g", "d", ["k"], registry=r)
    g.labels("a").set_function(lambda: 9)
    g.labels("b").set(1)
    assert _value(r, "g", {"k": "a"}) == 9
    assert _value(r, "g", {"k": "b"}) == 1


def test_gauge_has_no_created():
    r = CollectorRegistry()
    Gauge("g", "d", registry=r)
    assert [s.name for s in list(r.collect())[0].samples] == ["g"]


def test_other_types_share_the_labels_api():
    for metric in (
        Summary("s", "d", ["k"], registry=None),
        Histogram("h", "d", ["k"], registry=None),
        Info("i", "d", ["k"], registry=None),
        Enum("e", "d", ["k"], states=["a", "b"], registry=None),
    ):
        child = metric.labels("x")
        assert metric.labels(k="x") is child
        raises(ValueError, child.labels, "y")


def test_label_names_given_as_one_string_say_so():
    # "room" would otherwise be the label names r, o, o, m ("Duplicate label name 'o'").
    for cls in (Counter, Gauge, Summary, Histogram):
        e = raises(TypeError, cls, "x", "d", "room", registry=None)
        assert "list or tuple" in str(e), e
        assert "'room'" in str(e), e
    assert Gauge("x", "d", ("room",), registry=None)._labelnames == ("room",)
    assert Gauge("x", "d", ["room", "floor"], registry=None)._labelnames == ("room", "floor")
