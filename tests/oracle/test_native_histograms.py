"""Sample, Exemplar and NativeHistogram, and custom collectors' native histograms, against
prometheus_client 0.26: the same tuples, the same pages.

CPython only. The tuples must equal client_python's for every way of calling them (defaults
included); a page of histogram families holding native histogram samples (with classic buckets
or without, with spans, deltas, exemplars and timestamps) must be byte-identical in the 0.0.4
format and in OpenMetrics 1.0 (which leaves native histograms out) and 2.0 (which writes them),
or fail on both sides with the same kind of exception.
"""

import prometheus_client as pc
import prometheus_client.metrics_core as pc_core
import prometheus_client.openmetrics.exposition as pc_om
import prometheus_client.samples as pc_samples
import test_differential as diff
from hypothesis import example, given
from hypothesis import strategies as st
from prometheus_client.openmetrics.parser import text_string_to_metric_families as pc_parse_om

import prometheus_express as pe
import prometheus_express.metrics_core as pe_core
import prometheus_express.openmetrics.exposition as pe_om
import prometheus_express.samples as pe_samples
from prometheus_express.openmetrics.parser import text_string_to_metric_families as pe_parse_om

# Versions either side of client_python's parse_version(version) >= (2, 0, 0). A version it
# cannot compare ("x", "2.x") raises TypeError there once a native histogram is reached; here
# it writes 1.0 (test_a_version_that_is_no_number_writes_1_0).
VERSIONS = ("1.0.0", "0.0.1", "2", "2.0", "2.0.0", "2.1", "3", "10.0.0")

# Plain values for the tuples' fields: what a field holds does not matter to a tuple.
_VALUES = st.one_of(st.none(), st.integers(), st.text(max_size=3))

# ---------------------------------------------------------------- the tuples

_TUPLES = (
    ("Sample", 3, 6),  # (class, required fields, fields)
    ("Exemplar", 2, 3),
    ("NativeHistogram", 5, 10),
    ("BucketSpan", 2, 2),
)


def _call(cls, args, kwargs):
    try:
        return cls(*args, **kwargs)
    except TypeError:
        return TypeError


@given(st.sampled_from(_TUPLES), st.data())
def test_tuples_are_built_as_client_pythons(spec, data):
    name, _, fields = spec
    ours_cls = getattr(pe_samples, name)
    theirs_cls = getattr(pc_samples, name)
    assert ours_cls._fields == theirs_cls._fields
    # Any split of positional and keyword arguments, too few or too many of them included.
    values = data.draw(st.lists(_VALUES, max_size=fields + 1))
    positional = data.draw(st.integers(0, len(values)))
    kwargs = dict(zip(theirs_cls._fields[positional:], values[positional:]))
    args = values[:positional]
    ours = _call(ours_cls, args, kwargs)
    theirs = _call(theirs_cls, args, kwargs)
    if theirs is TypeError:
        assert ours is TypeError
        return
    assert type(ours) is ours_cls
    assert ours == theirs and tuple(ours) == tuple(theirs)
    assert repr(ours) == repr(theirs)
    for field in theirs_cls._fields:
        assert getattr(ours, field) == getattr(theirs, field)
    # _replace, as 0.26's users may call it on CPython.
    field = data.draw(st.sampled_from(theirs_cls._fields))
    new = data.draw(_VALUES)
    assert ours._replace(**{field: new}) == theirs._replace(**{field: new})


def test_tuples_have_client_pythons_defaults():
    for name, required, fields in _TUPLES:
        ours = getattr(pe_samples, name)
        theirs = getattr(pc_samples, name)
        assert ours._field_defaults == theirs._field_defaults, name
        assert len(ours._field_defaults) == fields - required, name


# ---------------------------------------------------------------- native histograms on a page

_COUNTS = st.one_of(st.integers(0, 10**12), st.floats(0, 1e12))
_SPANS = st.lists(st.tuples(st.integers(-5, 5), st.integers(0, 5)), max_size=3)
_DELTAS = st.lists(st.integers(-(10**6), 10**6), max_size=5)
# Exemplars are an error on most samples (all but a histogram's own or its buckets'): rarer.
_SOMETIMES = st.integers(0, 3).map(lambda n: n == 3)  # hypothesis favours 0


@st.composite
def _spans_and_deltas(draw):
    # Both or neither mostly, as a histogram has them; one without the other at times.
    which = draw(st.sampled_from(("both",) * 6 + ("neither",) * 3 + ("spans", "deltas")))
    spans = draw(_SPANS) if which in ("both", "spans") else None
    deltas = draw(_DELTAS) if which in ("both", "deltas") else None
    return spans, deltas


@st.composite
def _native_histograms(draw):
    """A native histogram as plain values, None for each optional field left out."""
    pos_spans, pos_deltas = draw(_spans_and_deltas())
    neg_spans, neg_deltas = draw(_spans_and_deltas())
    return (
        draw(_COUNTS),
        draw(diff.NUMBERS),  # sum
        draw(st.integers(-4, 8)),  # schema
        draw(st.one_of(st.integers(0, 10), st.floats(0, 1))),  # zero_threshold
        draw(_COUNTS),  # zero_count
        pos_spans,
        neg_spans,
        pos_deltas,
        neg_deltas,
        draw(st.lists(diff._exemplars(), max_size=2)) if draw(_SOMETIMES) else None,
    )


@st.composite
def _native_families(draw):
    """[(type, name, doc, classic rows, native samples)]: classic rows as add_metric() takes
    them; native samples as (suffix, labels, value, timestamp, exemplar, native histogram)."""
    families = []
    taken = set()
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(("histogram", "histogram", "gaugehistogram", "gauge")))
        name = draw(diff.NAMES.filter(lambda n: not any(n + s in taken for s in ("", "_bucket"))))
        taken.update(name + s for s in ("", "_bucket", "_count", "_sum", "_gcount", "_gsum"))
        classic = []
        if kind != "gauge" and draw(st.booleans()):
            labelnames = draw(st.lists(diff.NAMES.filter(lambda n: n != "le"), max_size=2))
            labelnames = sorted(set(labelnames))
            for _ in range(draw(st.integers(1, 2))):
                values = [draw(diff.TEXT) for _ in labelnames]
                sum_value = draw(diff.NUMBERS if kind == "gaugehistogram" else st.none())
                classic.append((labelnames, values, draw(diff._buckets(False)), sum_value))
        native = []
        for _ in range(draw(st.integers(1, 3))):
            # The family's own name mostly; a suffix other formats give meaning to at times.
            suffix = draw(st.sampled_from(("", "", "", "_bucket", "_created", "_gsum")))
            labels = draw(st.none() | st.dictionaries(diff.NAMES, diff.TEXT, max_size=2))
            # None at times, as the parser gives it: the 0.0.4 format fails on it.
            value = None if draw(st.integers(0, 9)) == 9 else draw(diff.NUMBERS)
            exemplar = draw(diff._exemplars()) if draw(_SOMETIMES) else None
            native.append(
                (suffix, labels, value, draw(diff.TIMESTAMPS), exemplar, draw(_native_histograms()))
            )
        families.append((kind, name, draw(diff.TEXT), classic, native))
    return families


def _build(core, samples, families):
    """The families with one library's classes."""

    def exemplar(e):
        return None if e is None else samples.Exemplar(e[0], e[1], e[2])

    def spans(rows):
        return None if rows is None else [samples.BucketSpan(*row) for row in rows]

    out = []
    for kind, name, doc, classic, native in families:
        if kind == "histogram":
            f = core.HistogramMetricFamily(name, doc, labels=classic[0][0] if classic else None)
        elif kind == "gaugehistogram":
            f = core.GaugeHistogramMetricFamily(
                name, doc, labels=classic[0][0] if classic else None
            )
        else:
            f = core.Metric(name, doc, kind)
        for _, values, buckets, sum_value in classic:
            f.add_metric(values, buckets, sum_value)
        for suffix, labels, value, timestamp, ex, h in native:
            nh_exemplars = None if h[9] is None else [exemplar(e) for e in h[9]]
            histogram = samples.NativeHistogram(
                *h[:5], spans(h[5]), spans(h[6]), h[7], h[8], nh_exemplars
            )
            f.add_sample(name + suffix, labels, value, timestamp, exemplar(ex), histogram)
        out.append(f)
    return out


def _registries(families):
    theirs = pc.CollectorRegistry()
    ours = pe.CollectorRegistry()
    theirs.register(diff._Collector(lambda: _build(pc_core, pc_samples, families)))
    ours.register(diff._Collector(lambda: _build(pe_core, pe_samples, families)))
    return theirs, ours


def _assert_same_bodies(theirs, ours):
    calls = [("text 0.0.4", lambda: pc.generate_latest(theirs), lambda: pe.generate_latest(ours))]
    for v in VERSIONS:
        calls.append(
            (
                "OpenMetrics version=" + v,
                lambda v=v: pc_om.generate_latest(theirs, version=v),
                lambda v=v: pe_om.generate_latest(ours, version=v),
            )
        )
    for what, client_call, our_call in calls:
        both = diff._both(client_call, our_call, what)
        if both is not None:
            assert both[1] == both[0], what


# Classic buckets and two native histograms: one with every optional field (exemplars with and
# without a timestamp), one with none of them but the sample's own exemplar and timestamp, and
# without labels (None, as the OpenMetrics parser gives them).
EXAMPLE = [
    (
        "histogram",
        "nh",
        "doc",
        [(["a"], ["x"], [("1.0", 2), ("+Inf", 3)], None)],
        [
            (
                "",
                {"a": "x"},
                7,
                None,
                None,
                (
                    24,
                    100.0,
                    0,
                    0.001,
                    4,
                    [(0, 2), (1, 2)],
                    [(0, 2), (1, 2)],
                    [2, 1, -3, 3],
                    [2, 1, -2, 3],
                    [({"trace_id": "KOO5S4vxi0o"}, 0.67, None), ({"id": "z"}, 9.8, 1.5)],
                ),
            ),
            ("", None, 5, 12.5, ({"t": "1"}, 2, None), (1, 1e-05, -4, 0, 1) + (None,) * 5),
        ],
    )
]


@given(_native_families())
@example(EXAMPLE)
def test_native_histograms_render_identically(families):
    theirs, ours = _registries(families)
    _assert_same_bodies(theirs, ours)


def test_the_example_reaches_every_part_of_a_native_histogram_line():
    # Byte-identical pages prove little if neither side writes the lines: the example's do.
    theirs, ours = _registries(EXAMPLE)
    page = pe_om.generate_latest(ours, version="2.0.0")
    assert page == pc_om.generate_latest(theirs, version="2.0.0")
    assert page.decode().splitlines()[4:] == [
        'nh{a="x"} {count:24,sum:100.0,schema:0,zero_threshold:0.001,zero_count:4,'
        "negative_spans:[0:2,1:2],negative_deltas:[2,1,-2,3],"
        "positive_spans:[0:2,1:2],positive_deltas:[2,1,-3,3]}"
        ' # {trace_id="KOO5S4vxi0o"} 0.67 # {id="z"} 9.8 1.5',
        'nh {count:1,sum:1e-05,schema:-4,zero_threshold:0,zero_count:1} 12.5 # {t="1"} 2.0',
        "# EOF",
    ]
    assert b"{count:" not in pe_om.generate_latest(ours)
    assert pe.generate_latest(ours).decode().splitlines()[-2:] == ['nh{a="x"} 7.0', "nh 5.0 12500"]


def test_a_version_that_is_no_number_writes_1_0():
    theirs, ours = _registries(EXAMPLE)
    for version in ("x", "2.x", ""):
        assert pe_om.generate_latest(ours, version=version) == pc_om.generate_latest(theirs)


# ---------------------------------------------------------------- parsed, then written again


@given(st.lists(_native_histograms(), min_size=1, max_size=3))
def test_parsed_native_histograms_equal_client_pythons_and_write_back_alike(histograms):
    # A 2.0 page from client_python's writer, read by both OpenMetrics parsers: the samples
    # are equal tuples (NativeHistogram and BucketSpan fields included); written again by both
    # libraries, the pages are byte-identical.
    native = []
    for i, h in enumerate(histograms):
        # Whole counts and a sum that equals itself (NaN does not); no exemplars, which
        # neither parser reads on these lines.
        # Deltas wherever there are spans, or client_python's writer fails.
        sum_value = 0.0 if h[1] != h[1] else h[1]
        pos_spans, neg_spans, pos_deltas, neg_deltas = h[5:9]
        pos_deltas = pos_deltas or []
        neg_deltas = neg_deltas or []
        h = (int(h[0]), sum_value, h[2], h[3], int(h[4]), pos_spans, neg_spans)
        h += (pos_deltas, neg_deltas, None)
        native.append(("", {"n": str(i)}, None, None, None, h))
    client_registry, _ = _registries([("histogram", "nh", "d", [], native)])
    page = pc_om.generate_latest(client_registry, version="2.0.0").decode()
    both = diff._both(lambda: list(pc_parse_om(page)), lambda: list(pe_parse_om(page)), page)
    if both is None:
        return
    theirs, ours = both
    assert [m.samples for m in ours] == [m.samples for m in theirs]
    for family in ours:
        for sample in family.samples:
            assert type(sample) is pe_samples.Sample
            if sample.native_histogram is not None:
                assert type(sample.native_histogram) is pe_samples.NativeHistogram
    # Written again (an empty "deltas:[]" reads back as None, which neither writes: both fail).
    registries = []
    for lib, families in ((pc, theirs), (pe, ours)):
        registry = lib.CollectorRegistry()
        registry.register(diff._Collector(lambda families=families: families))
        registries.append(registry)
    both = diff._both(
        lambda: pc_om.generate_latest(registries[0], version="2.0.0"),
        lambda: pe_om.generate_latest(registries[1], version="2.0.0"),
        "written again",
    )
    if both is not None:
        assert both[1] == both[0]
