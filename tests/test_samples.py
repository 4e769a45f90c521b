"""prometheus_express.samples: the Sample, Exemplar and NativeHistogram tuples."""

from support import raises

from prometheus_express.samples import BucketSpan, Exemplar, NativeHistogram, Sample


def test_sample_fields():
    s = Sample("x_total", {"k": "v"}, 3, 1.5, None)
    assert (s.name, s.labels, s.value, s.timestamp, s.exemplar, s.native_histogram) == (
        "x_total",
        {"k": "v"},
        3,
        1.5,
        None,
        None,
    )
    assert s[0] == "x_total"
    assert s[-1] is None
    assert len(s) == 6
    assert s == ("x_total", {"k": "v"}, 3, 1.5, None, None)


def test_sample_fields_after_value_default_to_none():
    s = Sample("x", {}, 1)
    assert s == ("x", {}, 1, None, None, None)
    assert s == Sample("x", {}, 1, None, None, None)
    e = Exemplar({"a": "b"}, 2)
    s = Sample("x", {}, 1, exemplar=e)
    assert (s.timestamp, s.exemplar, s.native_histogram) == (None, e, None)
    s = Sample(name="x", labels={}, value=1, timestamp=5)
    assert s == ("x", {}, 1, 5, None, None)


def test_sample_needs_name_labels_and_value():
    raises(TypeError, Sample, "x", {})
    raises(TypeError, Sample)


def test_sample_is_a_tuple():
    s = Sample("x", {"k": "v"}, 1)
    assert isinstance(s, tuple)
    assert isinstance(s, Sample)
    name, labels, value, timestamp, exemplar, native_histogram = s
    assert (name, labels, value) == ("x", {"k": "v"}, 1)
    assert (timestamp, exemplar, native_histogram) == (None, None, None)
    assert list(s) == ["x", {"k": "v"}, 1, None, None, None]
    assert s[:3] == ("x", {"k": "v"}, 1)
    assert ("x", {"k": "v"}, 1, None, None, None) == s
    assert s != ("x", {"k": "v"}, 1, None, None)
    assert hash(Sample("x", (), 1)) == hash(("x", (), 1, None, None, None))
    assert repr(s) == (
        "Sample(name='x', labels={'k': 'v'}, value=1, timestamp=None, exemplar=None, "
        "native_histogram=None)"
    )


def test_exemplar_fields():
    e = Exemplar({"trace_id": "abc"}, 0.5, None)
    assert (e.labels, e.value, e.timestamp) == ({"trace_id": "abc"}, 0.5, None)
    assert e == Exemplar({"trace_id": "abc"}, 0.5, None)
    assert e != Exemplar({"trace_id": "abd"}, 0.5, None)


def test_exemplar_timestamp_defaults_to_none():
    e = Exemplar({"trace_id": "abc"}, 0.5)
    assert e == ({"trace_id": "abc"}, 0.5, None)
    assert isinstance(e, Exemplar)
    assert Exemplar({}, 1, 2.5).timestamp == 2.5
    raises(TypeError, Exemplar, {})


def test_native_histogram_spans_deltas_and_exemplars_default_to_none():
    h = NativeHistogram(3, 1.5, 0, 0.001, 1)
    assert h == (3, 1.5, 0, 0.001, 1, None, None, None, None, None)
    assert (h.pos_spans, h.neg_spans, h.pos_deltas, h.neg_deltas, h.nh_exemplars) == (
        None,
        None,
        None,
        None,
        None,
    )
    h = NativeHistogram(3, 1.5, 0, 0.001, 1, pos_spans=(BucketSpan(0, 2),), pos_deltas=(1, -1))
    assert h.pos_spans[0] == (0, 2) and h.pos_spans[0].length == 2
    assert h.pos_deltas == (1, -1) and h.neg_spans is None
    raises(TypeError, NativeHistogram, 3, 1.5, 0, 0.001)


def test_sample_with_a_native_histogram():
    h = NativeHistogram(3, 1.5, 0, 0.0, 0)
    s = Sample("nh", {}, None, native_histogram=h)
    assert s.native_histogram is h
    assert s == ("nh", {}, None, None, None, h)
