"""Real sockets on loopback against each runtime's exporter: the request Prometheus sends, then
hostile clients, each followed by a scrape that must succeed.

Runtimes: CPython (start_http_server's thread, in this process), the MicroPython unix port from
the .py sources, and from .build/mpy/micropython when it has been compiled (`make test` does).
"""

import live
import pytest

BIG = 32  # 1 KB series: a 35 KB page, far larger than the server's 4 KB send buffer


@pytest.fixture(scope="module", params=live.runtimes())
def server(request):
    with live.running(request.param, read_timeout=1.0, write_timeout=1.0, big=BIG) as s:
        yield s


def test_the_request_prometheus_sends(server):
    response = live.scrape(server)
    assert response.headers["content-type"].startswith("application/openmetrics-text;")
    assert response.headers.get("connection") == "close"
    assert response.rest == b""
    # Larger than the buffer: streamed in chunks, so a cut-short page is never taken as whole.
    assert response.headers.get("transfer-encoding") == "chunked"


@pytest.mark.parametrize("case", sorted(live.CASES))
def test_hostile_client_then_a_scrape(server, case):
    extra = {
        # The server keeps serving while a slowloris trickles, or 32 silent clients wait.
        "slowloris": {"during": lambda: live.scrape(server)},
        "concurrent_idle_32": {"then": lambda: live.scrape(server)},
        "never_reads": {"server": server},
    }
    live.CASES[case](server.port, server.limits, **extra.get(case, {}))
    live.scrape(server)
    server.check_alive()


@pytest.mark.parametrize("runtime", [r for r in live.runtimes() if r != "cpython"])
def test_out_of_sockets(runtime):
    # Seven descriptors: stdin, stdout, stderr, the listener and three clients, so accept()
    # fails (EMFILE) while silent clients hold the rest, as on a board with few sockets
    # (MicroPython on ESP32 raises ENFILE). A scrape must still get through.
    with live.running(runtime, read_timeout=3.0, big=4, nofile=7) as server:
        live.scrape(server)  # imports the lazily loaded modules while files can still open
        live.concurrent_idle(server.port, server.limits, 12, then=lambda: live.scrape(server))
        live.scrape(server)
        count = server.wait_sockets(1, server.limits.read_timeout + 3)
        assert count == 1, "the server still holds %d sockets" % count
        server.check_alive()


def test_every_client_socket_closed_at_the_end(server):
    live.scrape(server)
    if server.name == "cpython":
        server.check_alive()
        return
    # Silent clients go after the read_timeout: then only the listener is left.
    count = server.wait_sockets(1, server.limits.read_timeout + 3)
    assert count == 1, "the server still holds %d sockets" % count
    server.check_alive()
    answered, alloc, peak = server.stop()
    assert answered > 0
