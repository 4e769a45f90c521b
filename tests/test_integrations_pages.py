"""prometheus_express.integrations._pages: the page in bounded chunks, whole or one collector at
a time, for the web framework routes (CPython and MicroPython; the routes are tested over real
sockets in tests/integrations/)."""

from prometheus_express import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_express.integrations import _pages
from prometheus_express.metrics_core import GaugeMetricFamily
from prometheus_express.openmetrics.exposition import generate_latest as om_generate_latest


class _Custom:
    def collect(self):
        family = GaugeMetricFamily("custom_things", "Things", labels=["kind"])
        family.add_metric(["a"], 1)
        yield family


def _registry(series=40):
    registry = CollectorRegistry()
    Gauge("first_value", "First", registry=registry).set(1.5)
    wide = Counter("wide_total", "Many children", ["idx"], registry=registry)
    i = 0
    while i < series:
        wide.labels(str(i)).inc(i)
        i += 1
    registry.register(_Custom())
    Gauge("last_value", "Last", registry=registry).set(-2)
    return registry


def _pages_of(registry):
    return ((False, generate_latest(registry)), (True, om_generate_latest(registry)))


def test_stream_and_whole_give_the_page():
    registry = _registry()
    for om, page in _pages_of(registry):
        assert b"".join(_pages.stream(registry, om)) == page
        chunks, length = _pages.whole(registry, om)
        assert length == len(page)
        assert b"".join(chunks) == page


def test_one_eof_at_the_end_of_an_openmetrics_stream():
    page = b"".join(_pages.stream(_registry(), True))
    assert page.count(b"# EOF\n") == 1
    assert page.endswith(b"# EOF\n")


def test_chunks_are_bounded_and_only_the_last_is_short():
    registry = _registry(200)
    for om in (False, True):
        sizes = []
        for chunk in _pages.stream(registry, om):
            sizes.append(len(chunk))
        assert len(sizes) > 3
        # The pieces of this page are short: at most chunk_size plus one piece of a few bytes.
        assert max(sizes) < _pages.chunk_size + 32
        for size in sizes[:-1]:
            assert size >= _pages.chunk_size


def test_a_registry_without_collectors_list_streams_whole():
    registry = _registry()
    restricted = registry.restricted_registry(["first_value", "custom_things"])
    for om, page in _pages_of(restricted):
        assert b"".join(_pages.stream(restricted, om)) == page


def test_empty_registry():
    registry = CollectorRegistry()
    assert b"".join(_pages.stream(registry, False)) == b""
    assert b"".join(_pages.stream(registry, True)) == b"# EOF\n"
    assert _pages.whole(registry, False) == ([], 0)


def test_drain_lets_each_chunk_go():
    chunks = [b"a", b"b", b"c"]
    out = []
    for chunk in _pages.drain(chunks):
        out.append(chunk)
        assert len(chunks) == 3 - len(out)
    assert out == [b"a", b"b", b"c"]
