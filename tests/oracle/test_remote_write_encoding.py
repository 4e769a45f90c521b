"""Remote write's body against independent decoders: cramjam's snappy and Google's protobuf.

CPython only. Random registries (every metric kind, hostile and UTF-8 label values, big ints,
floats, infinities, NaN, UTF-8 metric names, collector timestamps) are read with each_sample
and encoded with time_series; the WriteRequest, compressed by SnappyWriter in random pieces,
must come back byte for byte from cramjam.snappy.decompress_raw, and protobuf must read from
it exactly the samples prometheus_client's parser reads from the same page: label names
sorted, labels with an empty value left out (Prometheus drops them from a scraped series),
values bit for bit. Random byte strings check the compressor alone.

The message classes are built here from a descriptor written after prometheus/prompb's
types.proto and remote.proto (no protoc): only the fields remote write 1.0 uses.
"""

import math
import random
import string
import struct

import cramjam
import prometheus_client.parser
from bodies import HOSTILE
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from hypothesis import example, given
from hypothesis import strategies as st
from support import Collector, Utf8Names

import prometheus_express as pe
from prometheus_express.metrics_core import GaugeMetricFamily
from prometheus_express.snappy import SnappyWriter
from prometheus_express.write_request import each_sample, series_size, time_series

NOW = 1795878150123
NAN_BITS = struct.pack("<Q", 0x7FF8000000000000)

# -- prompb, built at run time -----------------------------------------------------------------

_F = descriptor_pb2.FieldDescriptorProto


def _message(file, name, fields):
    message = file.message_type.add(name=name)
    for number, field_name, kind, label, type_name in fields:
        field = message.field.add(name=field_name, number=number, type=kind, label=label)
        if type_name:
            field.type_name = type_name


def _write_request_class():
    file = descriptor_pb2.FileDescriptorProto(
        name="prometheus_express_test/remote.proto", package="prometheus", syntax="proto3"
    )
    optional, repeated = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED
    _message(
        file,
        "Label",
        [(1, "name", _F.TYPE_STRING, optional, None), (2, "value", _F.TYPE_STRING, optional, None)],
    )
    _message(
        file,
        "Sample",
        [
            (1, "value", _F.TYPE_DOUBLE, optional, None),
            (2, "timestamp", _F.TYPE_INT64, optional, None),
        ],
    )
    _message(
        file,
        "TimeSeries",
        [
            (1, "labels", _F.TYPE_MESSAGE, repeated, ".prometheus.Label"),
            (2, "samples", _F.TYPE_MESSAGE, repeated, ".prometheus.Sample"),
        ],
    )
    metric_type = file.enum_type.add(name="MetricType")
    for number, name in enumerate(
        (
            "UNKNOWN",
            "COUNTER",
            "GAUGE",
            "HISTOGRAM",
            "GAUGEHISTOGRAM",
            "SUMMARY",
            "INFO",
            "STATESET",
        )
    ):
        metric_type.value.add(name=name, number=number)
    _message(
        file,
        "MetricMetadata",
        [
            (1, "type", _F.TYPE_ENUM, optional, ".prometheus.MetricType"),
            (2, "metric_family_name", _F.TYPE_STRING, optional, None),
            (4, "help", _F.TYPE_STRING, optional, None),
            (5, "unit", _F.TYPE_STRING, optional, None),
        ],
    )
    _message(
        file,
        "WriteRequest",
        [
            (1, "timeseries", _F.TYPE_MESSAGE, repeated, ".prometheus.TimeSeries"),
            (3, "metadata", _F.TYPE_MESSAGE, repeated, ".prometheus.MetricMetadata"),
        ],
    )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("prometheus.WriteRequest"))


WriteRequest = _write_request_class()


def test_the_descriptor_reads_a_request_protobuf_itself_wrote():
    # The classes are what the checks below rely on: a request built with them reads back.
    request = WriteRequest()
    series = request.timeseries.add()
    series.labels.add(name="__name__", value="up")
    series.samples.add(value=1.5, timestamp=NOW)
    again = WriteRequest.FromString(request.SerializeToString())
    assert again.timeseries[0].labels[0].value == "up"
    assert again.timeseries[0].samples[0].timestamp == NOW


# -- helpers -----------------------------------------------------------------------------------


def compress(data, cuts, window):
    out = []
    writer = SnappyWriter(lambda piece: out.append(bytes(piece)), len(data), window)
    view = memoryview(data)
    i = 0
    k = 0
    while i < len(data):
        n = cuts[k % len(cuts)]
        k += 1
        writer.write(view[i : i + n])
        i += n
    writer.finish()
    return b"".join(out)


def encode(registry):
    """The WriteRequest body for the registry, and each sample's timestamp text."""
    pieces = []
    stamps = []

    def visit(labels, value, timestamp):
        piece = time_series(labels, value, NOW)
        assert series_size(labels, NOW) == len(piece)
        pieces.append(bytes(piece))
        stamps.append(timestamp)

    each_sample(registry, visit)
    return b"".join(pieces), stamps


def expected_samples(page):
    """What prometheus_client's text parser reads: (labels sorted, value, timestamp)."""
    out = []
    for family in prometheus_client.parser.text_string_to_metric_families(page):
        for s in family.samples:
            labels = [("__name__", s.name)]
            for name, value in s.labels.items():
                if value != "":
                    labels.append((name, value))
            # Go compares strings by bytes: UTF-8 keeps code point order.
            labels.sort(key=lambda label: label[0].encode("utf-8"))
            out.append((labels, float(s.value), s.timestamp))
    return out


def check_request(registry, cuts=(4096,), window=None):
    page = pe.generate_latest(registry).decode("utf-8")
    body, stamps = encode(registry)
    compressed = compress(body, cuts, window)
    assert bytes(cramjam.snappy.decompress_raw(compressed)) == body
    request = WriteRequest.FromString(bytes(cramjam.snappy.decompress_raw(compressed)))
    assert len(request.metadata) == 0
    expected = expected_samples(page)
    assert len(request.timeseries) == len(expected) == len(stamps)
    for series, (labels, value, timestamp), stamp in zip(request.timeseries, expected, stamps):
        got = [(label.name, label.value) for label in series.labels]
        assert got == labels
        assert len(series.samples) == 1
        sample = series.samples[0]
        assert sample.timestamp == NOW
        bits = struct.pack("<d", sample.value)
        if math.isnan(value):
            assert bits == NAN_BITS, bits.hex()
        else:
            assert bits == struct.pack("<d", value), (labels, value, sample.value)
        if timestamp is None:
            assert stamp is None
        else:
            assert int(stamp) == round(timestamp * 1000), (stamp, timestamp)
    return request


# -- strategies --------------------------------------------------------------------------------

_FIRST = string.ascii_letters + "_"
NAMES = st.builds(
    str.__add__, st.sampled_from(_FIRST), st.text(_FIRST + string.digits, max_size=8)
).filter(lambda n: not n.startswith("__"))
UTF8_NAMES = st.text("ab_.:-é温 9", min_size=1, max_size=6).filter(
    lambda n: not n.startswith("__") and n.strip(":") != ""
)
_characters = st.characters(codec="utf-8")
TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(_characters, max_size=10),
    st.lists(st.sampled_from(HOSTILE) | st.text(_characters, max_size=3), max_size=4).map("".join),
)
INTS = st.one_of(
    st.integers(-(2**63), 2**63),
    st.sampled_from((2**53 + 1, 2**53 + 3, 2**63, 2**63 - 1, 16777217, 0, -1)),
)
FLOATS = st.floats()  # with nan, infinities, subnormals
NUMBERS = st.one_of(INTS, FLOATS)
KINDS = ("Counter", "Gauge", "Histogram", "Summary", "Info", "Enum")


def _build(registry, kind, name, labelnames, values, number):
    kwargs = {"registry": registry}
    if kind == "Enum":
        kwargs["states"] = ["on", "off"]
    if kind == "Histogram":
        kwargs["buckets"] = (0.5, 10.0, 2**60)
    metric = getattr(pe, kind)(name, "Help: " + name + ' "x" \\ \n', labelnames, **kwargs)
    target = metric.labels(*values) if labelnames else metric
    if kind == "Counter":
        if isinstance(number, float) and not number >= 0 or number < 0:
            number = 1
        target.inc(number)
    elif kind == "Gauge":
        target.set(number)
    elif kind in ("Histogram", "Summary"):
        if isinstance(number, float) and not (number >= 0 and number < math.inf):
            number = 2
        target.observe(abs(number))
    elif kind == "Info":
        target.info({"version": values[0] if values else "1.0"})
    else:
        target.state("off")


@st.composite
def registries(draw):
    registry = pe.CollectorRegistry()
    utf8 = draw(st.booleans())
    names = UTF8_NAMES if utf8 else NAMES
    metrics = draw(
        st.lists(
            st.tuples(
                st.sampled_from(KINDS),
                names,
                st.lists(
                    NAMES.filter(lambda n: n not in ("le", "quantile")), max_size=3, unique=True
                ),
            ),
            min_size=1,
            max_size=4,
            unique_by=lambda m: m[1],
        )
    )
    built = 0
    for kind, name, labelnames in metrics:
        if kind == "Enum" and (name in labelnames or utf8):
            continue  # an Enum's label is its name: "."  would make "__", which is reserved
        if kind == "Info" and "version" in labelnames:
            continue
        for _ in range(draw(st.integers(1, 3))):
            values = [draw(TEXT) for _ in labelnames]
            try:
                _build(registry, kind, name, labelnames, values, draw(NUMBERS))
                built += 1
            except ValueError:
                break  # a name the kind refuses, or that collides with one already there
    if draw(st.booleans()):
        family = GaugeMetricFamily(draw(NAMES) + "_collected", "From a collector.", labels=["k"])
        family.add_metric([draw(TEXT)], draw(NUMBERS), timestamp=draw(st.integers(0, 2**33)))
        family.add_metric(["plain"], draw(NUMBERS))
        registry.register(Collector([family]))
    return registry, utf8


# -- the checks --------------------------------------------------------------------------------


@given(registries(), st.lists(st.integers(1, 3000), min_size=1, max_size=5))
def test_random_registries_decode_to_the_page_samples(drawn, cuts):
    registry, utf8 = drawn
    if utf8:
        with Utf8Names():
            check_request(registry, cuts)
    else:
        check_request(registry, cuts)


def test_integers_are_the_nearest_double_of_the_int():
    # float(int) rounds to nearest, ties to even: what Prometheus would store for it.
    registry = pe.CollectorRegistry()
    gauge = pe.Gauge("exact", "Ints.", ["n"], registry=registry)
    ints = [2**53 + k for k in range(-3, 8)] + [2**63, 2**63 - 1, -(2**63), 10**17 + 1, 7]
    for n in ints:
        gauge.labels(str(n)).set(n)
    request = check_request(registry)
    for series in request.timeseries:
        n = int(series.labels[1].value)
        got = struct.pack("<d", series.samples[0].value)
        assert got == struct.pack("<d", float(n)), (n, got.hex())


def test_the_board_registry_compresses_well():
    from support import board_registry

    for children, ratio in ((20, 0.3), (200, 0.2)):
        body, _ = encode(board_registry(children))
        out = compress(body, (512,), None)
        assert bytes(cramjam.snappy.decompress_raw(out)) == body
        assert len(out) < ratio * len(body), (children, len(out), len(body))


_REPEATED = st.builds(
    lambda chunk, times: chunk * times, st.binary(min_size=1, max_size=40), st.integers(1, 4000)
)
# Incompressible runs longer than the window: literals pending while the history slides.
_NOISE = st.builds(
    lambda seed, n: random.Random(seed).randbytes(n), st.integers(0, 2**32), st.integers(0, 9000)
)
BYTES = st.one_of(
    st.binary(max_size=5000),
    _REPEATED,
    _NOISE,
    st.lists(st.one_of(st.binary(max_size=300), _REPEATED, _NOISE), max_size=6).map(b"".join),
)


@given(
    BYTES,
    st.lists(st.integers(1, 5000), min_size=1, max_size=6),
    st.sampled_from((None, 16, 64, 1024, 4096, 32768)),
)
@example(b"", [1], None)
@example(b"a" * 70000, [1, 4095, 70000], 16)  # far longer than any window
@example(bytes(range(256)) * 300, [7], 1024)
def test_snappy_round_trips_with_cramjam(data, cuts, window):
    out = compress(data, cuts, window)
    assert bytes(cramjam.snappy.decompress_raw(out)) == data
    assert out == compress(data, (len(data) or 1,), window)  # however it was cut
    assert len(out) <= 32 + len(data) + len(data) // 6  # snappy's MaxEncodedLen
    if len(data) >= 4000 and len(set(data)) == 1 and (window or 1024) >= 1024:
        assert len(out) < len(data) // 16  # copies of 64 bytes (3 bytes each), not literals
