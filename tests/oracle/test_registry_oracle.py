"""The registry against prometheus_client 0.26: target_info, restricted_registry(), duplicate
series and get_sample_value().

CPython only. The same registrations on a registry of each library; the pages must be
byte-identical, a refused step must be refused by both with a ValueError, and
get_sample_value() must give equal values of the same type.

Deliberate difference: restricted_registry() calls its collectors in registration order, where
client_python's order comes from a set of collectors (arbitrary): families are compared sorted.
"""

import string

import prometheus_client as pc
import prometheus_client.metrics_core as pc_core
import prometheus_client.openmetrics.exposition as pc_om
from bodies import HOSTILE
from hypothesis import given
from hypothesis import strategies as st

import prometheus_express as pe
import prometheus_express.metrics_core as pe_core
import prometheus_express.openmetrics.exposition as pe_om

LIBRARIES = (pc, pe)
CORES = {pc: pc_core, pe: pe_core}

_FIRST = string.ascii_letters + "_"
LABEL_NAMES = st.builds(
    str.__add__, st.sampled_from(_FIRST), st.text(_FIRST + string.digits, max_size=6)
).filter(lambda n: not n.startswith("__"))
# A carriage return is written differently on purpose (see the README); every other text is not.
_no_cr = st.characters(codec="utf-8", exclude_characters="\r")
TEXT = st.one_of(
    st.sampled_from([s for s in HOSTILE if "\r" not in s]), st.text(_no_cr, max_size=8)
)
TARGET_LABELS = st.dictionaries(LABEL_NAMES, TEXT, max_size=4)
# Names that clash with target_info, with each other, or with nothing.
NAMES = ("target_info", "target", "x", "x_total", "y")


class _NoCreated:
    # _created holds the wall clock at creation: it differs between the two libraries.
    def __enter__(self):
        for lib in LIBRARIES:
            lib.disable_created_metrics()

    def __exit__(self, *exc):
        for lib in LIBRARIES:
            lib.enable_created_metrics()
        return False


def _pages(registry, lib):
    om = pc_om if lib is pc else pe_om
    return lib.generate_latest(registry), om.generate_latest(registry)


def _assert_same_pages(theirs, ours):
    with _NoCreated():
        client = _pages(theirs, pc)
        mine = _pages(ours, pe)
    assert mine[0] == client[0], "text 0.0.4 differs"
    assert mine[1] == client[1], "OpenMetrics differs"


def _families(collected):
    return sorted(
        (m.name, m.type, m.documentation, m.unit, [tuple(s)[:4] for s in m.samples])
        for m in collected
    )


def _outcome(call):
    """None if call() succeeded, else the builtin kind of what it raised."""
    try:
        call()
    except ValueError:
        return ValueError
    except Exception as e:  # any other kind is a difference, reported by the caller
        return type(e)
    return None


class _Described:
    """A custom collector of one gauge family, with describe() when `named`; counts its
    collect() calls."""

    def __init__(self, lib, name, value, named=True):
        self.family = CORES[lib].GaugeMetricFamily(name, "custom", value=value)
        self.calls = 0
        if named:
            self.describe = lambda: [self.family]

    def collect(self):
        self.calls += 1
        return [self.family]


# ---------------------------------------------------------------- target_info on the page


@given(TARGET_LABELS, st.booleans(), st.integers(0, 2**53 - 1))
def test_target_info_pages_are_identical(labels, by_constructor, count):
    registries = []
    for lib in LIBRARIES:
        r = lib.CollectorRegistry(target_info=labels) if by_constructor else lib.CollectorRegistry()
        lib.Counter("jobs", "Jobs done.", ["kind"], registry=r).labels("a").inc(count)
        lib.Gauge("temp", "Temperature.", registry=r).set(21.5)
        if not by_constructor:
            r.set_target_info(labels)
        registries.append(r)
    _assert_same_pages(*registries)
    assert registries[1].get_target_info() == registries[0].get_target_info()


def test_target_info_page_and_value_by_hand():
    # The page as client_python 0.26 writes it, spelled out.
    registries = [lib.CollectorRegistry(target_info={"env": "prod", "a": "b"}) for lib in LIBRARIES]
    for r in registries:
        assert r.get_sample_value("target_info", {"env": "prod", "a": "b"}) == 1
    _assert_same_pages(*registries)
    with _NoCreated():
        page = pe_om.generate_latest(registries[1])
    assert page == (
        b"# HELP target Target metadata\n"
        b"# TYPE target info\n"
        b'target_info{a="b",env="prod"} 1.0\n'
        b"# EOF\n"
    )


# ---------------------------------------------------------------- duplicates, step by step

STEPS = st.one_of(
    st.tuples(st.just("set_target_info"), st.none() | st.just({}) | TARGET_LABELS),
    st.tuples(st.just("gauge"), st.sampled_from(NAMES)),
    st.tuples(st.just("counter"), st.sampled_from(NAMES)),
    st.tuples(st.just("info"), st.sampled_from(NAMES)),
    st.tuples(st.just("custom"), st.sampled_from(NAMES)),
    st.tuples(st.just("unregister"), st.integers(0, 5)),
)


def _step(lib, r, made, step):
    what, arg = step
    if what == "set_target_info":
        return lambda: r.set_target_info(arg)
    if what == "unregister":
        return lambda: made and r.unregister(made.pop(arg % len(made)))

    def make():
        if what == "custom":
            c = _Described(lib, arg, 1)
            r.register(c)
        elif what == "info":
            c = lib.Info(arg, "d", registry=r)
        else:
            c = getattr(lib, what.capitalize())(arg, "d", registry=r)
        made.append(c)

    return make


@given(st.booleans(), st.lists(STEPS, max_size=8))
def test_the_same_steps_are_refused_and_written_alike(start_with_target, steps):
    first = {"env": "dev"} if start_with_target else None
    theirs = pc.CollectorRegistry(target_info=first)
    ours = pe.CollectorRegistry(target_info=first)
    made = {pc: [], pe: []}
    for step in steps:
        outcomes = [
            _outcome(_step(lib, r, made[lib], step)) for lib, r in ((pc, theirs), (pe, ours))
        ]
        assert outcomes[1] == outcomes[0], "%r: prometheus_client %r, ours %r" % (step, *outcomes)
        assert ours.get_target_info() == theirs.get_target_info()
        _assert_same_pages(theirs, ours)


def _clashes(lib):
    r = lib.CollectorRegistry(target_info={"env": "dev"})
    assert _outcome(lambda: lib.Gauge("target_info", "d", registry=r)) is ValueError
    assert _outcome(lambda: lib.Info("target", "d", registry=r)) is ValueError
    r2 = lib.CollectorRegistry()
    lib.Gauge("target_info", "d", registry=r2)
    assert _outcome(lambda: r2.set_target_info({"env": "dev"})) is ValueError
    assert r2.get_target_info() is None


def test_target_info_clashes_are_value_errors_both_ways():
    _clashes(pc)  # what this test expects is client_python's behaviour
    _clashes(pe)


# ---------------------------------------------------------------- restricted_registry


@st.composite
def _restricted_cases(draw):
    # Collectors: ("gauge"|"counter"|"histogram", name) or ("custom"|"nameless", name).
    used = set()
    collectors = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(("gauge", "counter", "histogram", "custom", "nameless")))
        name = draw(st.sampled_from(("a", "b", "c", "d", "e")))
        if kind != "nameless":
            if name in used:
                continue
            used.add(name)
        collectors.append((kind, name))
    series = ["a", "a_total", "b_bucket", "b_sum", "c_count", "d", "e", "target_info", "zz"]
    names = draw(st.lists(st.sampled_from(series), max_size=5))
    target = draw(st.none() | TARGET_LABELS)
    return collectors, names, target, draw(st.booleans())


def _restricted_side(lib, collectors, names, target, nameless):
    r = lib.CollectorRegistry(target_info=target, support_collectors_without_names=nameless)
    custom = []
    for kind, name in collectors:
        if kind in ("custom", "nameless"):
            c = _Described(lib, name, len(custom), named=kind == "custom")
            r.register(c)
            custom.append(c)
        elif kind == "histogram":
            lib.Histogram(name, "d", buckets=(1, 2), registry=r).observe(1)
        else:
            getattr(lib, kind.capitalize())(name, "d", registry=r).inc(3)
    view = r.restricted_registry(names)
    with _NoCreated():
        families = _families(view.collect())
        om = pc_om if lib is pc else pe_om
        page = sorted(om.generate_latest(view).split(b"\n"))
    return families, page, [c.calls for c in custom]


@given(_restricted_cases())
def test_restricted_registry_gives_the_same_families_from_the_same_collectors(case):
    theirs = _restricted_side(pc, *case)
    ours = _restricted_side(pe, *case)
    assert ours[0] == theirs[0], "families differ"
    assert ours[1] == theirs[1], "OpenMetrics page lines differ"
    assert ours[2] == theirs[2], "custom collectors called: client %r, ours %r" % (
        theirs[2],
        ours[2],
    )


# ---------------------------------------------------------------- get_sample_value


def _every_metric(lib, r, count):
    lib.Counter("c", "d", ["k"], registry=r).labels("a").inc(count)
    lib.Gauge("g", "d", registry=r).set(count)
    lib.Gauge("g2", "d", registry=r).inc(count)
    h = lib.Histogram("h", "d", buckets=(1, 10), registry=r)
    h.observe(count)
    h.observe(2)
    s = lib.Summary("s", "d", registry=r)
    s.observe(count)
    lib.Info("i", "d", registry=r).info({"v": "1"})
    lib.Enum("e", "d", states=["on", "off"], registry=r).state("off")
    r.register(_Described(lib, "custom", count))


@given(st.integers(0, 2**53 - 1), st.none() | TARGET_LABELS)
def test_get_sample_value_gives_equal_values_of_the_same_type(count, target):
    theirs = pc.CollectorRegistry(target_info=target)
    ours = pe.CollectorRegistry(target_info=target)
    _every_metric(pc, theirs, count)
    _every_metric(pe, ours, count)
    checked = 0
    for family in theirs.collect():
        for s in family.samples:
            client = theirs.get_sample_value(s.name, s.labels)
            mine = ours.get_sample_value(s.name, s.labels)
            assert type(mine) is type(client), (s.name, s.labels, mine, client)
            if not s.name.endswith("_created"):  # the clock at creation: it differs
                assert mine == client, (s.name, s.labels, mine, client)
            checked += 1
    assert checked == 17 + bool(target)  # every sample above, and target_info's if set
    assert ours.get_sample_value("nope") is theirs.get_sample_value("nope") is None


def test_get_sample_value_types_by_hand():
    # What the differential test above compares, spelled out for 0.26.
    r = pe.CollectorRegistry(target_info={"env": "dev"})
    _every_metric(pe, r, 2)
    assert repr(r.get_sample_value("c_total", {"k": "a"})) == "2.0"
    assert repr(r.get_sample_value("h_bucket", {"le": "10.0"})) == "2.0"
    assert repr(r.get_sample_value("h_count")) == "2.0"
    assert repr(r.get_sample_value("i_info", {"v": "1"})) == "1.0"
    assert repr(r.get_sample_value("e", {"e": "off"})) == "1"  # an Enum's states stay ints
    assert repr(r.get_sample_value("custom")) == "2"  # a custom collector's, as given
    assert repr(r.get_sample_value("target_info", {"env": "dev"})) == "1"
    assert type(r.get_sample_value("c_created", {"k": "a"})) is float
    # collect() keeps the exact ints: only get_sample_value() gives client_python's floats.
    counts = [s.value for m in r.collect() for s in m.samples if s.name == "h_count"]
    assert counts == [2] and type(counts[0]) is int
