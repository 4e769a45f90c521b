"""What another thread may do while a page renders, replayed at the worst moment.

On CPython the exporter renders in its own thread while the program writes. These tests make
the program's change from inside the renderer's write() (or a sample's), exactly where a
thread switch would put it, so every runtime replays the same interleaving. tests/live/
test_threads.py hammers the same paths with real threads.
"""

from support import lines, raises

from prometheus_express import CollectorRegistry, Counter, Gauge
from prometheus_express._port import LOCK
from prometheus_express.exposition import write_registry
from prometheus_express.histogram import Histogram, Summary


def _render(registry, when, action, om=False):
    # The page, with action() run once, as soon as the page written so far contains `when`.
    pieces = []
    done = []

    def write(piece):
        pieces.append(piece)
        if not done and when in "".join(pieces):
            done.append(True)
            action()

    write_registry(write, registry, om)
    assert done, "the page never wrote %r" % when
    return "".join(pieces)


def _series(page, name):
    found = []
    for line in lines(page):
        if line.startswith(name + "{") or line.startswith(name + " "):
            found.append(line.split(" ")[0])
    return found


def test_removing_a_child_while_it_renders_skips_no_other_child():
    r = CollectorRegistry()
    g = Gauge("g", "d", ["k"], registry=r)
    for k in ("a", "b", "c"):
        g.labels(k).set(1)
    page = _render(r, '"a"', lambda: g.remove("a"))
    # The page began before the removal: it is the page of then, every child on it.
    assert _series(page, "g") == ['g{k="a"}', 'g{k="b"}', 'g{k="c"}'], page
    assert _series(_render(r, "# TYPE", lambda: None), "g") == ['g{k="b"}', 'g{k="c"}']


def test_remove_by_labels_and_clear_while_rendering_skip_no_other_child():
    for remove in (
        lambda g: g.remove_by_labels({"k": "a"}),
        lambda g: g.clear(),
    ):
        r = CollectorRegistry()
        g = Gauge("g", "d", ["k", "j"], registry=r)
        for k in ("a", "b", "c"):
            g.labels(k, "x").set(1)
        page = _render(r, '"a"', lambda g=g, remove=remove: remove(g))
        assert len(_series(page, "g")) == 3, page


def test_unregistering_a_collector_while_it_renders_skips_no_other():
    r = CollectorRegistry()
    first = Gauge("first", "d", registry=r)
    Gauge("second", "d", registry=r)
    Gauge("third", "d", registry=r)
    page = _render(r, "\nfirst ", lambda: r.unregister(first))
    assert _series(page, "second") == ["second"], page
    assert _series(page, "third") == ["third"], page


def test_a_child_added_while_rendering_is_on_this_page_or_the_next():
    r = CollectorRegistry()
    c = Counter("c", "d", ["k"], registry=r)
    c.labels("a").inc()
    page = _render(r, '"a"', lambda: c.labels("b").inc())
    assert 'c_total{k="a"}' in _series(page, "c_total"), page
    assert len(_series(_render(r, "# TYPE", lambda: None), "c_total")) == 2


def test_summary_count_and_sum_are_of_the_same_observations():
    r = CollectorRegistry()
    s = Summary("s", "d", registry=r)
    s.observe(1)
    page = _render(r, "s_count ", lambda: s.observe(5))
    assert "s_count 1.0" in lines(page), page
    assert "s_sum 1.0" in lines(page), page


def test_histogram_buckets_count_and_sum_are_of_the_same_observations():
    r = CollectorRegistry()
    h = Histogram("h", "d", buckets=(1, 2), registry=r)
    h.observe(1)
    page = _render(r, 'le="1.0"} ', lambda: h.observe(1.5))
    for line in ('h_bucket{le="1.0"} 1.0', 'h_bucket{le="2.0"} 1.0', 'h_bucket{le="+Inf"} 1.0'):
        assert line in lines(page), page
    assert "h_count 1.0" in lines(page), page
    assert "h_sum 1.0" in lines(page), page


class _CountingLock:
    # Stands in for the shared lock and counts who takes it.
    def __init__(self, lock):
        self.lock = lock
        self.taken = 0

    def __enter__(self):
        self.taken += 1
        return self.lock.__enter__()

    def __exit__(self, *exc):
        return self.lock.__exit__(*exc)


def test_gauge_set_takes_the_lock_inc_takes():
    # Else a set() that lands between another thread's inc() read and write is lost.
    import prometheus_express.metrics as metrics

    g = Gauge("g", "d", registry=None)
    counting = _CountingLock(LOCK)
    metrics.LOCK = counting
    try:
        g.set(5)
        set_took = counting.taken
        g.inc()
        inc_took = counting.taken - set_took
    finally:
        metrics.LOCK = LOCK
    assert inc_took == 1
    assert set_took == 1
    assert g._value == 6


def test_a_string_amount_changes_nothing():
    r = CollectorRegistry()
    g = Gauge("g", "d", registry=r)
    g.set(2)
    raises(ValueError, g.set, "many")
    assert "g 2.0" in lines(_render(r, "# TYPE", lambda: None))
