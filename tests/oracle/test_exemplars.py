"""Exemplars against prometheus_client 0.26: Counter.inc and Histogram.observe with exemplar=.

CPython only. Random counters and histograms, with and without labels, get random increments
and observations, some with exemplars (valid or not), each at a random wall-clock time that
both libraries read through time.time(). Both pages must be byte-identical, collect() must
report the same exemplars, and a bad exemplar must fail on both sides with the same kind of
exception. A refused exemplar is a deliberate difference: client_python has counted the
amount by then, this library checks first and changes nothing; the test then repeats the
amount here without the exemplar. A carriage return in an exemplar's label value is left
out: this library writes it as a newline, as it does in every label value
(test_differential covers that difference).
"""

import string
from unittest import mock

import prometheus_client as pc
import prometheus_client.openmetrics.exposition as pc_om
from hypothesis import given, settings
from hypothesis import strategies as st

import prometheus_express as pe
import prometheus_express.openmetrics.exposition as pe_om

_FIRST = string.ascii_letters + "_"
NAMES = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(_FIRST),
    st.text(_FIRST + string.digits, max_size=6),
)
LABEL_VALUES = st.text(st.characters(codec="utf-8", exclude_characters="\r"), max_size=70)
# Mostly valid exemplars, sometimes too long (two values of up to 70 characters), with a
# reserved name, or with a value that is no str: both libraries must refuse those alike.
EXEMPLARS = st.one_of(
    st.none(),
    st.dictionaries(NAMES, LABEL_VALUES, max_size=3),
    st.dictionaries(st.sampled_from(("__trace", "trace_id")), LABEL_VALUES, min_size=1),
    st.fixed_dictionaries({"trace_id": st.integers(0, 9)}),
)
AMOUNTS = st.one_of(st.integers(0, 2**40), st.floats(0, 1e6, allow_nan=False))
CLOCK = st.floats(1.5e9, 2e9, allow_nan=False)


def _outcome(method, amount, exemplar):
    try:
        method(amount, exemplar=exemplar)
    except (TypeError, ValueError) as e:
        return type(e)
    return None


def _exemplars(registry):
    return [
        (s.name, s.labels, tuple(s.exemplar) if s.exemplar else None)
        for family in registry.collect()
        for s in family.samples
    ]


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(("counter", "histogram")),
    labelnames=st.lists(NAMES.filter(lambda n: n != "le"), unique=True, max_size=2),
    operations=st.lists(
        st.tuples(st.sampled_from(("a", "b")), AMOUNTS, EXEMPLARS, CLOCK), max_size=8
    ),
    created=st.floats(1.5e9, 2e9, allow_nan=False),
)
def test_pages_and_samples_match_client_python(kind, labelnames, operations, created):
    registries = (pc.CollectorRegistry(), pe.CollectorRegistry())
    metrics = []
    with mock.patch("time.time", return_value=created):
        for lib, registry in zip((pc, pe), registries):
            if kind == "counter":
                metrics.append(lib.Counter("m", "doc", labelnames, registry=registry))
            else:
                metrics.append(
                    lib.Histogram("m", "doc", labelnames, buckets=(1, 1e3), registry=registry)
                )
    for value, amount, exemplar, now in operations:
        with mock.patch("time.time", return_value=now):  # a new child's _created too
            targets = [m.labels(*[value] * len(labelnames)) if labelnames else m for m in metrics]
            methods = [t.inc if kind == "counter" else t.observe for t in targets]
            page = pe_om.generate_latest(registries[1])
            outcomes = [_outcome(m, amount, exemplar) for m in methods]
            assert outcomes[0] == outcomes[1], (amount, exemplar, outcomes)
            if outcomes[1] is not None:
                assert pe_om.generate_latest(registries[1]) == page  # nothing changed here
                methods[1](amount)  # what client_python counted before it refused the exemplar
    theirs, ours = registries
    assert pe_om.generate_latest(ours) == pc_om.generate_latest(theirs)
    assert pe.generate_latest(ours) == pc.generate_latest(theirs)
    assert _exemplars(ours) == _exemplars(theirs)
