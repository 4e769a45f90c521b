"""prometheus_express.integrations.microdot on a real microdot app served over loopback, by
CPython and by the MicroPython unix port (microdot's sources copied from site-packages)."""

import live
import pytest
from integration_support import (
    expected_content_type,
    request,
    runtimes,
    scrape,
    subprocess_server,
    twin_page,
)
from prometheus_client.openmetrics.parser import text_string_to_metric_families as om_families
from prometheus_client.parser import text_string_to_metric_families as text_families

BIG = 4  # a 4 KB page: many chunks of _pages.chunk_size


@pytest.fixture(scope="module", params=runtimes())
def port(request):
    with subprocess_server(request.param, "microdot_app.py", big=BIG) as port:
        yield port


@pytest.mark.parametrize("accept", [True, None, "text/plain;version=1.0.0", "*/*"])
def test_format_content_type_and_page(port, accept):
    response, _raw = scrape(port, accept=accept)
    assert response.status == 200
    content_type = expected_content_type(live.ACCEPT if accept is True else accept)
    assert response.headers["content-type"] == content_type
    openmetrics = content_type.startswith("application/openmetrics-text")
    # Framed by Content-Length: microdot answers HTTP/1.0 and never sends chunks.
    assert "transfer-encoding" not in response.headers
    assert int(response.headers["content-length"]) == len(response.body)
    assert response.body == twin_page(BIG, openmetrics)
    text = response.body.decode("utf-8")
    assert list(om_families(text) if openmetrics else text_families(text))
    if openmetrics:
        live.check_page(response.body, BIG)


def test_head_gets_the_length_and_no_body(port):
    raw, _reset = live.exchange(port, request(port, accept=True, method="HEAD"))
    head, _blank, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200 "), raw[:200]
    assert body == b"", "HEAD sent a body: %r" % body[:100]
    length = len(twin_page(BIG, True))
    assert b"\r\nContent-Length: %d\r\n" % length in head + b"\r\n", head


def test_the_apps_own_routes_still_answer(port):
    response, _raw = scrape(port, "/")
    assert response.status == 200 and response.body == b"the app's own page"
    response, _raw = scrape(port, "/nothing")
    assert response.status == 404
