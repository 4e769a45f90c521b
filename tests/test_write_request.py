"""prometheus_express.write_request: the samples each_sample reads from the page, the TimeSeries
bytes time_series writes for them, and the doubles, exact on every runtime.

Bytes are read back by a small protobuf reader written here from the wire format (varints,
fixed64, length-delimited fields) and remote write's WriteRequest (prompb); tests/oracle
checks the same with Google's protobuf and prometheus_client's parser on CPython. The doubles
expected are CPython's float() of the text, which rounds to nearest, ties to even.
"""

import struct

from support import Collector, Utf8Names, raises, text_page
from wire import series

from prometheus_express import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_express.double import double
from prometheus_express.metrics_core import GaugeMetricFamily, Metric
from prometheus_express.write_request import each_sample, series_size, time_series

NOW = 1795000000123  # ms: more than 2**31, a long int on a board

# (text, the double's bits), from CPython: struct.pack("<d", float(text)).
DOUBLES = (
    ("0.0", 0x0),
    ("-0.0", 0x8000000000000000),
    ("1.0", 0x3FF0000000000000),
    ("-2.5", 0xC004000000000000),
    ("21.5", 0x4035800000000000),
    ("0.1", 0x3FB999999999999A),
    ("0.3", 0x3FD3333333333333),
    ("0.000123", 0x3F201F31F46ED246),
    ("1e+10", 0x4202A05F20000000),
    ("1.2345678e+07", 0x41678C29C0000000),
    ("1.7958781501234567e+09", 0x41DAC2BB4187E6B7),
    # 2**53 + 1 and 2**53 + 3: halfway between doubles, so to the even one
    ("9.007199254740993e+15", 0x4340000000000000),
    ("9.007199254740995e+15", 0x4340000000000002),
    ("9.223372036854775808e+18", 0x43E0000000000000),  # 2**63
    ("1.8446744073709552e+19", 0x43F0000000000000),
    ("123456789012345678901234567890.0", 0x45F8EE90FF6C373E),
    # subnormals, the smallest normal, the largest double, and past it
    ("5e-324", 0x1),
    ("2.5e-324", 0x1),
    ("2.4e-324", 0x0),
    ("1.5e-323", 0x3),
    ("2.225073858507201e-308", 0xFFFFFFFFFFFFF),
    ("2.2250738585072014e-308", 0x10000000000000),
    ("1.7976931348623157e+308", 0x7FEFFFFFFFFFFFFF),
    ("1.7976931348623158e+308", 0x7FEFFFFFFFFFFFFF),
    ("1.7976931348623159e+308", 0x7FF0000000000000),
    ("1e-400", 0x0),
    ("+Inf", 0x7FF0000000000000),
    ("-Inf", 0xFFF0000000000000),
    ("NaN", 0x7FF8000000000000),  # the quiet NaN, not Prometheus' stale marker
)


def request(registry, ms=NOW):
    pieces = []

    def visit(labels, value, timestamp):
        pieces.append(bytes(time_series(labels, value, ms)))

    each_sample(registry, visit)
    return b"".join(pieces)


def samples(registry):
    out = []
    each_sample(registry, lambda labels, value, ts: out.append((labels, value, ts)))
    return out


def bits(text):
    return struct.unpack("<Q", double(text))[0]


# -- the doubles -------------------------------------------------------------------------------


def test_doubles_are_the_nearest_to_the_text():
    for text, expected in DOUBLES:
        got = bits(text)
        assert got == expected, (text, hex(got), hex(expected))
    # The same numbers written other ways.
    assert bits("2.150e+01") == bits("21.50") == bits("215e-1") == 0x4035800000000000
    assert bits("10000000000") == bits("1e10") == 0x4202A05F20000000


def test_integers_are_exact_through_the_page():
    # Written from the int's digits and read back the same way: never through a board's float.
    r = CollectorRegistry()
    g = Gauge("big", "Big values.", ["n"], registry=r)
    for n in (2**53 + 1, 2**53 + 3, 2**62 + 1, 1795878150123, 16777217):
        g.labels(str(n)).set(n)
    got = {}
    for labels, value, _ in series(request(r)):
        got[labels[1][1]] = value
    assert got == {
        str(2**53 + 1): 0x4340000000000000,
        str(2**53 + 3): 0x4340000000000002,
        str(2**62 + 1): 0x43D0000000000000,
        "1795878150123": 0x427A222ADDFEB000,
        "16777217": 0x4170000010000000,  # 2**24 + 1: a 32-bit float would lose the 1
    }, got


# -- time_series -------------------------------------------------------------------------------


def test_time_series_bytes():
    # Worked out by hand from prompb: WriteRequest.timeseries (1) holding TimeSeries with
    # labels (1) Label{name 1, value 2} and samples (2) Sample{double value 1, int64 timestamp 2}.
    name = b"\x0a\x0e\x0a\x08__name__\x12\x02up"  # Label: 2 + 8 + 2 + 2 = 14 bytes
    job = b"\x0a\x08\x0a\x03job\x12\x01x"  # 2 + 3 + 2 + 1 = 8 bytes
    sample = b"\x12\x0c\x09\x00\x00\x00\x00\x00\x00\xf0\x3f\x10\xe8\x07"  # 1.0 at 1000 ms
    body = name + job + sample
    expected = b"\x0a" + bytes([len(body)]) + body
    got = time_series([("__name__", "up"), ("job", "x")], "1.0", 1000)
    assert bytes(got) == expected, got
    assert series_size([("__name__", "up"), ("job", "x")], 1000) == len(expected)


def test_labels_are_sorted_and_empty_ones_left_out():
    labels = [("__name__", "m"), ("zone", "a"), ("Alpha", "b"), ("job", ""), ("é", "温")]
    piece = time_series(labels, "2.0", NOW)
    [(got, value, ts)] = series(piece)
    # Sorted by bytes, as Go compares strings: "A" < "_" < "z" < "é".
    assert got == [("Alpha", "b"), ("__name__", "m"), ("zone", "a"), ("é", "温")], got
    assert value == 0x4000000000000000 and ts == NOW
    assert labels[1] == ("zone", "a")  # the caller's list is left as it was
    assert series_size(labels, NOW) == len(piece)


def test_timestamps():
    for ms in (0, 1, 127, 128, 2**31, NOW, 2**63 - 1):
        [(labels, value, ts)] = series(time_series([("__name__", "t")], "1.0", ms))
        assert ts == ms, (ms, ts)
        assert series_size([("__name__", "t")], ms) == len(
            time_series([("__name__", "t")], "1", ms)
        )
    # int64 -1: ten bytes of two's complement, as protobuf writes negative int64s
    piece = time_series([("__name__", "t")], "1.0", -1)
    assert bytes(piece).endswith(b"\x10" + b"\xff" * 9 + b"\x01")


# -- each_sample -------------------------------------------------------------------------------


def test_each_sample_reads_every_line_of_the_page():
    r = CollectorRegistry()
    c = Counter(
        "requests", 'Help with "quotes", \\ and {braces}\non two lines.', ["path"], registry=r
    )
    c.labels('a"b\\c\nd').inc(3)
    c.labels('é温 {x="y"} 1').inc()
    g = Gauge("temperature_celsius", "T.", ["room", "sensor"], registry=r)
    g.labels("kitchen", "s1").set(21.5)
    g.labels("", "s2").set(float("nan"))
    g.labels("hall", "s3").set(float("-inf"))
    Histogram("latency_seconds", "L.", buckets=(0.5,), registry=r).observe(0.25)
    got = samples(r)
    names = [labels[0][1] for labels, value, ts in got]
    page = text_page(r, created=True)
    # one call per sample line of the page, in its order
    assert len(got) == len([line for line in page.split("\n") if line and line[0] != "#"])
    assert (
        [("__name__", "requests_total"), ("path", 'a"b\\c\nd')],
        "3.0",
        None,
    ) in got, got
    assert ([("__name__", "requests_total"), ("path", 'é温 {x="y"} 1')], "1.0", None) in got
    assert (
        [("__name__", "temperature_celsius"), ("room", "kitchen"), ("sensor", "s1")],
        "21.5",
        None,
    ) in got
    assert (
        [("__name__", "temperature_celsius"), ("room", ""), ("sensor", "s2")],
        "NaN",
        None,
    ) in got
    assert (
        [("__name__", "temperature_celsius"), ("room", "hall"), ("sensor", "s3")],
        "-Inf",
        None,
    ) in got
    assert ([("__name__", "latency_seconds_bucket"), ("le", "+Inf")], "1.0", None) in got
    assert ([("__name__", "latency_seconds_sum")], "0.25", None) in got
    assert "requests_created" in names and "latency_seconds_created" in names


def test_timestamps_from_a_collector():
    family = GaugeMetricFamily("volts", "V.", labels=["cell"])
    family.add_metric(["1"], 3, timestamp=1795878150)
    family.add_metric(["2"], 3.5)
    r = CollectorRegistry()
    r.register(Collector([family]))
    assert samples(r) == [
        ([("__name__", "volts"), ("cell", "1")], "3.0", "1795878150000"),
        ([("__name__", "volts"), ("cell", "2")], "3.5", None),
    ]


def test_utf8_names_arrive_as_the_page_writes_them():
    with Utf8Names():
        r = CollectorRegistry()
        Counter("http.requests", "R.", ["http.method"], registry=r).labels("GET").inc()
        got = samples(r)
    assert ([("__name__", "http_requests_total"), ("http_method", "GET")], "1.0", None) in got


def test_the_request_holds_every_sample():
    r = CollectorRegistry()
    g = Gauge("g", "G.", ["a"], registry=r)
    g.labels("x").set(1.5)
    g.labels("").set(2)
    Counter("c", "C.", registry=r).inc(7)
    got = [s for s in series(request(r)) if not s[0][0][1].endswith("_created")]
    assert got == [
        ([("__name__", "g"), ("a", "x")], 0x3FF8000000000000, NOW),
        ([("__name__", "g")], 0x4000000000000000, NOW),  # a="" is no label
        ([("__name__", "c_total")], 0x401C000000000000, NOW),
    ], got


def test_a_line_it_cannot_read_is_an_error_not_a_hang():
    # A raw Metric's label name is not checked: "a=b" makes a line no parser can read.
    metric = Metric("m", "M.", "gauge")
    metric.add_sample("m", {"a=b": "x"}, 1)
    r = CollectorRegistry()
    r.register(Collector([metric]))
    e = raises(ValueError, samples, r)
    assert "cannot read this line of the page" in str(e) and "a=b" in str(e)
