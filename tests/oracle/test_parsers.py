"""Every page parses: prometheus_client's two parsers and promtool read back what went in.

CPython only. Registries hold hostile label values and HELP texts (quotes, backslashes,
newlines, carriage returns, non-ASCII, empty strings); their text 0.0.4 and OpenMetrics pages
must contain no "\\r", parse with prometheus_client's parsers to exactly the label values, HELP
texts and values that went in (CR and CRLF become newlines), and pass `promtool check metrics`.
Also: the errors users see for invalid metrics, and write_text's streaming.
"""

import math

import bodies
import pytest
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as parse_openmetrics,
)
from prometheus_client.parser import text_string_to_metric_families as parse_text

import prometheus_express as pe
import prometheus_express.validation as pe_validation
from prometheus_express.exposition import write_text as write_text_from_exposition
from prometheus_express.openmetrics.exposition import generate_latest as generate_openmetrics


@pytest.fixture(autouse=True, scope="module")
def _created_series():
    # The pages here include _created series (their HELP and labels are checked too), whatever
    # another test module left the switch at.
    pe.enable_created_metrics()
    yield


# ---------------------------------------------------------------- inputs

_HOSTILE = bodies.HOSTILE
TEXT = st.one_of(
    st.sampled_from(_HOSTILE),
    st.text(max_size=10),
    st.lists(st.sampled_from(_HOSTILE) | st.text(max_size=3), max_size=5).map("".join),
)
# promtool lints an empty or blank HELP ("no help text"): keep a word in it.
HELP = st.builds(lambda a, b: a + " doc " + b, TEXT, TEXT)


def _normalized(s):
    # What the library promises for CR: CRLF and lone CR become a newline.
    return s.replace("\r\n", "\n").replace("\r", "\n")


def _strip_trailing_spaces(s):
    while s and s[-1].isspace() and s[-1] != "\n":
        s = s[:-1]
    return s


def _help_after_text_parser(help_text):
    # prometheus_client's 0.0.4 parser strips each line (Unicode whitespace at its end) and
    # splits "# HELP name text" on ASCII whitespace, which drops the text's leading spaces.
    # An escaped newline is no whitespace on the line: it stays.
    return _strip_trailing_spaces(_normalized(help_text)).lstrip(" \t\x0b\x0c")


def _help_after_openmetrics_parser(help_text):
    # The OpenMetrics parser splits "# HELP name text" on spaces: leading spaces go.
    return _normalized(help_text).lstrip(" ")


# ---------------------------------------------------------------- registries and expectations


class _Expected:
    """What a page must parse back to, computed from the inputs."""

    def __init__(self):
        self.docs = {}  # family name, in any of its spellings -> HELP that went in
        self.samples = {}  # (sample name, frozenset of labels) -> value
        self.clock = set()  # _created samples of our own metrics: wall-clock values
        self.exemplars = {}  # (sample name, frozenset of labels) -> (labels, value)

    def family(self, name, doc):
        for suffix in ("", "_total", "_info", "_created", "_gcount", "_gsum"):
            self.docs[name + suffix] = doc

    def sample(self, name, labels, value):
        key = (name, frozenset(labels.items()))
        assert key not in self.samples, "test bug: the same series twice"
        self.samples[key] = value


def _distinct(rows, width):
    # Distinct inputs can be the same series once CR becomes a newline; keep the first.
    seen = set()
    out = []
    for row in rows:
        key = tuple(_normalized(v) for v in row[:width])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _labels(names, values):
    return {k: _normalized(v) for k, v in zip(names, values)}


class _Collector:
    def __init__(self, families):
        self._families = families

    def collect(self):
        return self._families()


@st.composite
def hostile_registries(draw):
    """A registry of all six metric types and a custom collector, and what it must parse to."""
    r = pe.CollectorRegistry()
    x = _Expected()
    values = st.lists(TEXT, min_size=1, max_size=3)

    doc = draw(HELP)
    c = pe.Counter("reads_total", doc, ["sensor", "site"], registry=r)
    x.family("reads", doc)
    for a, b, n in _distinct(draw(st.lists(st.tuples(TEXT, TEXT, st.integers(0, 10**6)))), 2):
        c.labels(a, b).inc(n)
        labels = _labels(("sensor", "site"), (a, b))
        x.sample("reads_total", labels, n)
        x.clock.add(("reads_created", frozenset(labels.items())))

    doc = draw(HELP)
    g = pe.Gauge("temperature_celsius", doc, ["room"], registry=r)
    x.family("temperature_celsius", doc)
    for (room,) in _distinct([(v,) for v in draw(values)], 1):
        value = draw(st.floats() | st.integers(-(2**53) + 1, 2**53 - 1))
        g.labels(room=room).set(value)
        x.sample("temperature_celsius", _labels(("room",), (room,)), value)

    doc = draw(HELP)
    up = pe.Gauge("uptime_seconds", doc, registry=r)
    x.family("uptime_seconds", doc)
    uptime = draw(st.integers(0, 10**9))
    up.set(uptime)
    x.sample("uptime_seconds", {}, uptime)

    doc = draw(HELP)
    bounds = (0.1, 1.0, 10.0)
    h = pe.Histogram("read_duration_seconds", doc, ["path"], buckets=bounds, registry=r)
    x.family("read_duration_seconds", doc)
    for (path,) in _distinct([(v,) for v in draw(values)], 1):
        seen = draw(st.lists(st.floats(0, 100), max_size=5))
        child = h.labels(path)
        for v in seen:
            child.observe(v)
        labels = _labels(("path",), (path,))
        for bound, le in zip(bounds + (math.inf,), ("0.1", "1.0", "10.0", "+Inf")):
            x.sample(
                "read_duration_seconds_bucket", dict(labels, le=le), sum(v <= bound for v in seen)
            )
        x.sample("read_duration_seconds_count", labels, len(seen))
        x.sample("read_duration_seconds_sum", labels, sum(seen))
        x.clock.add(("read_duration_seconds_created", frozenset(labels.items())))

    doc = draw(HELP)
    s = pe.Summary("payload_bytes", doc, ["kind"], registry=r)
    x.family("payload_bytes", doc)
    for (kind,) in _distinct([(v,) for v in draw(values)], 1):
        seen = draw(st.lists(st.integers(0, 10**6), max_size=5))
        child = s.labels(kind=kind)
        for v in seen:
            child.observe(v)
        labels = _labels(("kind",), (kind,))
        x.sample("payload_bytes_count", labels, len(seen))
        x.sample("payload_bytes_sum", labels, sum(seen))
        x.clock.add(("payload_bytes_created", frozenset(labels.items())))

    doc = draw(HELP)
    i = pe.Info("firmware", doc, ["board"], registry=r)
    x.family("firmware", doc)
    for (board,) in _distinct([(v,) for v in draw(values)], 1):
        version, build = draw(TEXT), draw(TEXT)
        i.labels(board).info({"version": version, "build": build})
        labels = _labels(("board", "version", "build"), (board, version, build))
        x.sample("firmware_info", labels, 1)

    doc = draw(HELP)
    states = [
        row[0] for row in _distinct([(v,) for v in draw(st.lists(TEXT, min_size=1, max_size=4))], 1)
    ]
    e = pe.Enum("wifi_state", doc, ["iface"], states=states, registry=r)
    x.family("wifi_state", doc)
    for (iface,) in _distinct([(v,) for v in draw(values)], 1):
        current = draw(st.sampled_from(states))
        e.labels(iface).state(current)
        for state in states:
            labels = _labels(("iface", "wifi_state"), (iface, state))
            x.sample("wifi_state", labels, 1 if state == current else 0)

    families = _custom_families(draw, x)
    r.register(_Collector(lambda: families))
    return r, x


def _custom_families(draw, x):
    """Custom collector families of all eight kinds, with timestamps and an exemplar."""
    values = st.lists(TEXT, min_size=1, max_size=3)
    stamps = st.none() | st.integers(10**9, 2 * 10**9)
    out = []

    doc = draw(HELP)
    f = pe.GaugeMetricFamily("battery_volts", doc, labels=["cell"])
    for (cell,) in _distinct([(v,) for v in draw(values)], 1):
        value = draw(st.floats())
        f.add_metric([cell], value, timestamp=draw(stamps))
        x.sample("battery_volts", _labels(("cell",), (cell,)), value)
    out.append(f)
    x.family("battery_volts", doc)

    doc = draw(HELP)
    f = pe.CounterMetricFamily("packets_total", doc, labels=["iface"])
    for (iface,) in _distinct([(v,) for v in draw(values)], 1):
        value = draw(st.integers(0, 2**53 - 1) | st.floats(0, 1e300))
        created = draw(st.none() | st.floats(1e9, 2e9))
        # prometheus_client 0.26's OpenMetrics parser rejects its own output when an exemplar
        # label value holds an odd number of quotes: `# {t="\""} 0.0` is an "Invalid line".
        ex_labels = {"trace_id": draw(TEXT).replace('"', "'")}
        ex_value = draw(st.floats(-1e9, 1e9))
        exemplar = pe.Exemplar(ex_labels, ex_value, draw(stamps))
        f.add_metric([iface], value, created=created, timestamp=draw(stamps), exemplar=exemplar)
        labels = _labels(("iface",), (iface,))
        x.sample("packets_total", labels, value)
        key = ("packets_total", frozenset(labels.items()))
        x.exemplars[key] = ({"trace_id": _normalized(ex_labels["trace_id"])}, ex_value)
        if created is not None:
            x.sample("packets_created", labels, created)
    out.append(f)
    x.family("packets", doc)

    doc = draw(HELP)
    f = pe.SummaryMetricFamily("frame_bytes", doc, labels=["port"])
    for (port,) in _distinct([(v,) for v in draw(values)], 1):
        count, total = draw(st.integers(0, 1000)), draw(st.integers(0, 10**9))
        f.add_metric([port], count, total)
        labels = _labels(("port",), (port,))
        x.sample("frame_bytes_count", labels, count)
        x.sample("frame_bytes_sum", labels, total)
    out.append(f)
    x.family("frame_bytes", doc)

    for name, cls in (
        ("latency_seconds", pe.HistogramMetricFamily),
        ("queue_wait_seconds", pe.GaugeHistogramMetricFamily),
    ):
        doc = draw(HELP)
        f = cls(name, doc, labels=["queue"])
        gauge = cls is pe.GaugeHistogramMetricFamily
        for (queue,) in _distinct([(v,) for v in draw(values)], 1):
            counts = sorted(draw(st.lists(st.integers(0, 100), min_size=3, max_size=3)))
            total = draw(st.floats(0, 1e6))
            buckets = list(zip(("0.5", "5.0", "+Inf"), counts))
            f.add_metric([queue], buckets, total)
            labels = _labels(("queue",), (queue,))
            for le, n in buckets:
                x.sample(name + "_bucket", dict(labels, le=le), n)
            x.sample(name + ("_gcount" if gauge else "_count"), labels, counts[-1])
            x.sample(name + ("_gsum" if gauge else "_sum"), labels, total)
        out.append(f)
        x.family(name, doc)

    doc = draw(HELP)
    f = pe.InfoMetricFamily("build", doc, labels=["part"])
    for (part,) in _distinct([(v,) for v in draw(values)], 1):
        commit = draw(TEXT)
        f.add_metric([part], {"commit": commit})
        x.sample("build_info", _labels(("part", "commit"), (part, commit)), 1)
    out.append(f)
    x.family("build", doc)

    doc = draw(HELP)
    f = pe.StateSetMetricFamily("door_state", doc, labels=["door"])
    states = [v for (v,) in _distinct([(v,) for v in draw(values)], 1)]
    for (door,) in _distinct([(v,) for v in draw(values)], 1):
        value = {state: draw(st.booleans()) for state in states}
        f.add_metric([door], value)
        for state in states:
            labels = _labels(("door", "door_state"), (door, state))
            x.sample("door_state", labels, 1 if value[state] else 0)
    out.append(f)
    x.family("door_state", doc)

    doc = draw(HELP)
    f = pe.UnknownMetricFamily("mystery_bytes", doc, labels=["src"])
    for (src,) in _distinct([(v,) for v in draw(values)], 1):
        value = draw(st.integers(-(10**6), 10**6))
        f.add_metric([src], value)
        x.sample("mystery_bytes", _labels(("src",), (src,)), value)
    out.append(f)
    x.family("mystery_bytes", doc)
    return out


# ---------------------------------------------------------------- checks


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def _check_parsed(families, expected, help_after_parser, openmetrics):
    got = {}
    for family in families:
        assert family.name in expected.docs, "unexpected family %r" % family.name
        want_doc = help_after_parser(expected.docs[family.name])
        assert family.documentation == want_doc, family.name
        for s in family.samples:
            key = (s.name, frozenset(s.labels.items()))
            assert key not in got, "series twice: %r" % (key,)
            got[key] = s.value
            if openmetrics and key in expected.exemplars:
                labels, value = expected.exemplars[key]
                assert s.exemplar is not None, key
                assert s.exemplar.labels == labels and s.exemplar.value == value, key
    for key, value in expected.samples.items():
        assert key in got, "missing series %r" % (key,)
        assert _same(got[key], float(value)), "%r: %r, expected %r" % (key, got[key], value)
    extra = set(got) - set(expected.samples) - expected.clock
    assert not extra, "unexpected series %r" % (extra,)
    assert expected.clock <= set(got)


def _pages(registry):
    text = pe.generate_latest(registry)
    openmetrics = generate_openmetrics(registry)
    assert b"\r" not in text
    assert b"\r" not in openmetrics
    return text.decode("utf-8"), openmetrics.decode("utf-8")


@given(hostile_registries())
def test_hostile_pages_parse_back_to_their_inputs(built):
    registry, expected = built
    text, openmetrics = _pages(registry)
    _check_parsed(parse_text(text), expected, _help_after_text_parser, False)
    _check_parsed(parse_openmetrics(openmetrics), expected, _help_after_openmetrics_parser, True)


_EDGE_HELP = (
    "",
    " ",
    "  x  ",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "\\",
    '"',
    "\\n",
    "x\r\ny\rz",
    "\x85",
    "🙂",
)


@pytest.mark.parametrize("help_text", _EDGE_HELP)
def test_edge_help_texts_parse_back(help_text):
    # Empty and blank HELP (promtool would lint them) through both parsers.
    r = pe.CollectorRegistry()
    pe.Counter("c_total", help_text, ["l"], registry=r).labels(help_text).inc()
    pe.Gauge("g", help_text, registry=r).set(1)
    text, openmetrics = _pages(r)
    for families, quirk in (
        (parse_text(text), _help_after_text_parser),
        (parse_openmetrics(openmetrics), _help_after_openmetrics_parser),
    ):
        labels = []
        for family in families:
            assert family.documentation == quirk(help_text), family.name
            labels += [s.labels for s in family.samples if s.name == "c_total"]
        assert labels == [{"l": _normalized(help_text)}]


def test_children_differing_only_by_carriage_returns_are_not_one_series_twice():
    # CR and CRLF are written as "\n", so children labelled "a\r", "a\n" and "a\r\n" would be
    # the same series three times on one page. promtool lets it pass, prometheus_client's
    # OpenMetrics parser keeps one value silently, and Prometheus drops all but the first
    # ("duplicate sample for timestamp"). Either such children are one child (labels() treats
    # CR as a newline too), or they must not render alike.
    r = pe.CollectorRegistry()
    g = pe.Gauge("temperature_celsius", "t", ["room"], registry=r)
    for i, room in enumerate(("a\r", "a\n", "a\r\n")):
        g.labels(room).set(i)
    text, _ = _pages(r)
    series = [
        (s.name, tuple(sorted(s.labels.items()))) for f in parse_text(text) for s in f.samples
    ]
    assert len(series) == len(set(series)), text


# ---------------------------------------------------------------- promtool


@pytest.fixture(scope="module")
def promtool():
    return bodies.promtool()


@given(hostile_registries())
def test_hostile_pages_pass_promtool(promtool, built):
    registry, _ = built
    text, _ = _pages(registry)
    code, output = bodies.promtool_check(text)
    assert code == 0 and "error" not in output.lower(), output + "\n" + text


def test_promtool_catches_what_it_should(promtool):
    # The oracle can fail: an escaped CR and a second HELP line are errors, a counter without
    # _total is a lint problem (exit code 3).
    code, output = bodies.promtool_check('# HELP a x\n# TYPE a gauge\na{b="\\r"} 1\n')
    assert code != 0 and "error" in output
    code, output = bodies.promtool_check("# HELP a x\n# TYPE a gauge\na 1\n# HELP a x\n")
    assert code != 0 and "error" in output
    code, output = bodies.promtool_check("# HELP a x\n# TYPE a counter\na 1\n")
    assert code == 3 and "_total" in output


# ---------------------------------------------------------------- clear errors


def _raises(exc_type, words, call, *args, **kwargs):
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    message = str(info.value)
    for word in words:
        assert word in message, "%r does not mention %r" % (message, word)
    return message


@pytest.mark.parametrize("name", ["1abc", "a-b", "a b", "é", "a.b", "a{b}"])
def test_bad_metric_name(name):
    # Bad under legacy validation; by default they are UTF-8 names (test_utf8_names.py).
    pe_validation.enable_legacy_validation()
    for cls in (pe.Counter, pe.Gauge, pe.Summary, pe.Histogram, pe.Info):
        _raises(ValueError, [name], cls, name, "d", registry=None)
    _raises(ValueError, [name], pe.GaugeMetricFamily, name, "d")


def test_empty_metric_name():
    _raises(ValueError, ["name"], pe.Counter, "", "d", registry=None)


@pytest.mark.parametrize("label", ["1abc", "a-b", "a:b", "", "é"])
def test_bad_label_name(label):
    if label:  # "" is bad either way
        pe_validation.enable_legacy_validation()
    for cls in (pe.Counter, pe.Gauge, pe.Summary, pe.Histogram, pe.Info):
        _raises(ValueError, ["label", repr(label)], cls, "m", "d", [label], registry=None)


def test_reserved_label_names():
    _raises(ValueError, ["__x"], pe.Gauge, "m", "d", ["__x"], registry=None)
    _raises(ValueError, ["le"], pe.Histogram, "m", "d", ["le"], registry=None)
    _raises(ValueError, ["quantile"], pe.Summary, "m", "d", ["quantile"], registry=None)
    # Only where they mean something: a gauge may have "le" and "quantile".
    pe.Gauge("m", "d", ["le", "quantile"], registry=None)


def test_duplicate_label_name():
    _raises(ValueError, ["a"], pe.Gauge, "m", "d", ["a", "a"], registry=None)


def test_wrong_label_count():
    g = pe.Gauge("m", "d", ["a", "b"], registry=None)
    _raises(ValueError, ["count"], g.labels, "x")
    _raises(ValueError, ["count"], g.labels, "x", "y", "z")
    _raises(ValueError, ["count"], g.remove, "x")
    _raises(ValueError, ["label names"], g.labels, a="x")
    _raises(ValueError, ["label names"], g.labels, a="x", c="y")


def test_labels_on_an_unlabelled_metric():
    _raises(ValueError, ["No label names"], pe.Gauge("m", "d", registry=None).labels, "x")


def test_chained_labels():
    child = pe.Gauge("m", "d", ["a"], registry=None).labels("x")
    _raises(ValueError, ["chain"], child.labels, "y")


def test_negative_counter_increment():
    c = pe.Counter("m", "d", registry=None)
    _raises(ValueError, ["non-negative", "-1"], c.inc, -1)
    _raises(ValueError, ["non-negative"], c.inc, -0.5)
    assert c.collect()[0].samples[0].value == 0


def test_histogram_buckets():
    _raises(ValueError, ["sorted"], pe.Histogram, "m", "d", buckets=[1, 0.5], registry=None)
    _raises(ValueError, ["sorted"], pe.Histogram, "m", "d", buckets=[1, 1, 2], registry=None)
    _raises(ValueError, ["two buckets"], pe.Histogram, "m", "d", buckets=[math.inf], registry=None)
    _raises(ValueError, ["two buckets"], pe.Histogram, "m", "d", buckets=[], registry=None)


def test_unknown_enum_state():
    e = pe.Enum("m", "d", states=["up", "down"], registry=None)
    _raises(ValueError, ["sideways"], e.state, "sideways")
    _raises(ValueError, ["states"], pe.Enum, "m", "d", states=[], registry=None)
    _raises(ValueError, ["Overlapping", "m"], pe.Enum, "m", "d", ["m"], states=["a"], registry=None)


def test_info_label_errors():
    i = pe.Info("m", "d", ["a"], registry=None)
    _raises(ValueError, ["Overlapping"], i.labels("x").info, {"a": "1"})
    _raises(ValueError, ["None"], i.labels("x").info, {"b": None})
    _raises(ValueError, ["label"], i.labels("x").info, {"__b": "v"})
    pe_validation.enable_legacy_validation()  # else "1b" is a UTF-8 label name
    _raises(ValueError, ["label"], i.labels("x").info, {"1b": "v"})


def test_unit_on_info_and_enum():
    _raises(ValueError, ["unit"], pe.Info, "m", "d", unit="bytes", registry=None)
    _raises(ValueError, ["unit"], pe.Enum, "m", "d", unit="bytes", states=["a"], registry=None)


def test_duplicate_registration():
    r = pe.CollectorRegistry()
    pe.Counter("reads", "d", registry=r)
    for cls, name in (
        (pe.Counter, "reads"),
        (pe.Counter, "reads_total"),
        (pe.Gauge, "reads_total"),
        (pe.Gauge, "reads_created"),
        (pe.Summary, "reads"),
    ):
        _raises(ValueError, ["Duplicated timeseries", "reads"], cls, name, "d", registry=r)
    pe.Histogram("lat", "d", registry=r)
    _raises(
        ValueError, ["Duplicated timeseries", "lat_bucket"], pe.Gauge, "lat_bucket", "d", registry=r
    )
    # Nothing half-registered: the page holds the first two metrics only.
    assert [m.name for m in r.collect()] == ["reads", "lat"]


def test_updating_a_labelled_parent():
    for make, call in (
        (lambda: pe.Counter("m", "d", ["a"], registry=None), lambda m: m.inc()),
        (lambda: pe.Gauge("m", "d", ["a"], registry=None), lambda m: m.set(1)),
        (lambda: pe.Gauge("m", "d", ["a"], registry=None), lambda m: m.dec()),
        (lambda: pe.Summary("m", "d", ["a"], registry=None), lambda m: m.observe(1)),
        (lambda: pe.Histogram("m", "d", ["a"], registry=None), lambda m: m.observe(1)),
        (lambda: pe.Enum("m", "d", ["a"], states=["s"], registry=None), lambda m: m.state("s")),
        (lambda: pe.Info("m", "d", ["a"], registry=None), lambda m: m.info({"b": "c"})),
    ):
        _raises(ValueError, ["missing label values"], call, make())


# ---------------------------------------------------------------- streaming


def _streamed_registry():
    r = pe.CollectorRegistry()
    c = pe.Counter("reads_total", 'a "doc" with \\ and\nnewline', ["sensor"], registry=r)
    for i in range(20):
        c.labels("sensor-%d-%s" % (i, "x" * i)).inc(i)
    pe.Gauge("temperature_celsius", "t", registry=r).set(21.5)
    h = pe.Histogram("read_seconds", "h", ["path"], registry=r)
    h.labels("/a").observe(0.3)
    pe.Summary("payload_bytes", "s", registry=r).observe(512)
    pe.Info("firmware", "f", registry=r).info({"version": "1.2.3", "board": "pico\r\nw"})
    pe.Enum("wifi_state", "w", states=["down", "up"], registry=r).state("up")
    r.register(_Collector(lambda: [pe.GaugeMetricFamily("battery_volts", "b", value=3.7)]))
    return r


@pytest.mark.parametrize("write_text", [pe.write_text, write_text_from_exposition])
def test_write_text_streams_small_str_pieces(write_text):
    r = _streamed_registry()
    pieces = []
    write_text(pieces.append, r)
    assert all(type(p) is str for p in pieces)
    page = "".join(pieces)
    assert page == pe.generate_latest(r).decode("utf-8")
    longest_line = max(len(line) + 1 for line in page.split("\n"))
    assert max(len(p) for p in pieces) <= longest_line
    assert len(pieces) > page.count("\n")  # more than one piece a line, not the page at once


def test_write_text_uses_the_default_registry():
    # Compared by their comment lines: on CPython the default registry's process and GC
    # collectors read values that move between two renderings (CPU seconds, collections).
    marker = pe.Counter("written_by_default", "In the default registry")
    try:
        pieces = []
        pe.write_text(pieces.append)
        page = "".join(pieces)
        whole = pe.generate_latest(pe.REGISTRY).decode("utf-8")
    finally:
        pe.REGISTRY.unregister(marker)
    assert "\nwritten_by_default_total 0.0\n" in page

    def comments(text):
        return [line for line in text.splitlines() if line.startswith("#")]

    assert comments(page) == comments(whole)


def test_write_openmetrics_streams_small_str_pieces():
    r = _streamed_registry()
    pieces = []
    pe.write_openmetrics(pieces.append, r)
    page = "".join(pieces)
    assert all(type(p) is str for p in pieces)
    assert page == generate_openmetrics(r).decode("utf-8")
    assert page.endswith("# EOF\n")
    assert max(len(p) for p in pieces) <= max(len(line) + 1 for line in page.split("\n"))
