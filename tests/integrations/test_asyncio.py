"""The asyncio pattern (a task calling MetricsServer.poll(), examples/prometheus_express_asyncio.py)
under CPython's asyncio and the MicroPython unix port's, with real sockets: the scrapes get the
right page, and the sensor task next to it keeps running, also while a silent client waits."""

import time

import live
import pytest
from integration_support import (
    expected_content_type,
    runtimes,
    scrape,
    subprocess_server,
    twin_page,
)
from prometheus_client.openmetrics.parser import text_string_to_metric_families as om_families
from prometheus_client.parser import text_string_to_metric_families as text_families

from prometheus_express import Gauge

TICKS_HELP = "Times the sensor task ran"  # as aio_serve.py names it
BIG = 32  # 1 KB series: a 35 KB page, many times the server's 1 KB buffer


@pytest.fixture(scope="module", params=runtimes())
def port(request):
    with subprocess_server(request.param, "aio_serve.py", big=BIG) as port:
        yield port


def _ticks_and_check(port, accept):
    response, _raw = scrape(port, accept=accept)
    assert response.status == 200
    content_type = expected_content_type(accept)
    assert response.headers["content-type"] == content_type
    openmetrics = content_type.startswith("application/openmetrics-text")
    text = response.body.decode("utf-8")
    families = om_families(text) if openmetrics else text_families(text)
    ticks = [f.samples[0].value for f in families if f.name == "sensor_ticks"]
    assert len(ticks) == 1, "no sensor_ticks in the page"

    def extra(registry):
        Gauge("sensor_ticks", TICKS_HELP, registry=registry).set(int(ticks[0]))

    assert response.body == twin_page(BIG, openmetrics, extra)
    return ticks[0]


def _ticks_after(port, accept, previous, steps=5, seconds=30):
    """Scrape until sensor_ticks has gone `steps` past `previous`. The task ticks every 10 ms,
    but a loaded machine may run it far less often: a long deadline, not a fixed sleep."""
    deadline = time.monotonic() + seconds
    while True:
        ticks = _ticks_and_check(port, accept)
        if ticks >= previous + steps:
            return ticks
        assert time.monotonic() < deadline, "the sensor task stalled: sensor_ticks %s then %s" % (
            previous,
            ticks,
        )
        time.sleep(0.05)


@pytest.mark.parametrize("accept", [live.ACCEPT, None])
def test_scrapes_answer_and_the_sensor_task_keeps_running(port, accept):
    ticks = _ticks_and_check(port, accept)
    for _ in range(2):
        ticks = _ticks_after(port, accept, ticks)


def test_a_silent_client_holds_neither_the_loop_nor_the_scrapes(port):
    with live.connect(port):  # connected, says nothing
        first = _ticks_and_check(port, live.ACCEPT)
        _ticks_after(port, live.ACCEPT, first)
