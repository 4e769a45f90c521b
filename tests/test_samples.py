"""prometheus_express.samples: the Sample and Exemplar tuples."""

from prometheus_express.samples import Exemplar, Sample


def test_sample_fields():
    s = Sample("x_total", {"k": "v"}, 3, 1.5, None)
    assert (s.name, s.labels, s.value, s.timestamp, s.exemplar) == (
        "x_total",
        {"k": "v"},
        3,
        1.5,
        None,
    )
    assert s[0] == "x_total"
    assert s == ("x_total", {"k": "v"}, 3, 1.5, None)


def test_exemplar_fields():
    e = Exemplar({"trace_id": "abc"}, 0.5, None)
    assert (e.labels, e.value, e.timestamp) == ({"trace_id": "abc"}, 0.5, None)
    assert e == Exemplar({"trace_id": "abc"}, 0.5, None)
    assert e != Exemplar({"trace_id": "abd"}, 0.5, None)
