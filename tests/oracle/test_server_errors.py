"""A collector or set_function callback that raises during a scrape, against prometheus_client.

Both answer 500 and print the traceback on the console (stderr on CPython), once per scrape,
so the program's author sees why Prometheus marks the target down.
"""

import http.client
import time

import prometheus_client as pc
import pytest
from live import free_port

import prometheus_express as pe


class _Broken:
    def collect(self):
        raise ValueError("the sensor went away")


def _scrape(port):
    # client_python's server thread may need a moment to bind; ours binds before returning.
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/metrics")
            response = conn.getresponse()
            response.read()
            conn.close()
            return response.status
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _serve(library, registry):
    port = free_port()
    server, thread = library.start_http_server(port, addr="127.0.0.1", registry=registry)
    return port, server, thread


@pytest.mark.parametrize("how", ["collector", "set_function"])
@pytest.mark.parametrize("library", [pc, pe], ids=["client_python", "ours"])
def test_a_failing_collector_answers_500_and_prints_its_traceback(library, how, capfd):
    registry = library.CollectorRegistry()
    if how == "collector":
        registry.register(_Broken())
    else:
        library.Gauge("g", "d", registry=registry).set_function(_Broken().collect)
    port, server, thread = _serve(library, registry)
    try:
        capfd.readouterr()
        statuses = [_scrape(port), _scrape(port)]
        # The server thread may still be printing after the answer went out.
        deadline = time.monotonic() + 30
        while True:
            out, err = capfd.readouterr()
            console = out + err
            if console.count("ValueError: the sensor went away") >= 2:
                break
            assert time.monotonic() < deadline, console
            time.sleep(0.05)
    finally:
        server.shutdown()
        server.server_close() if hasattr(server, "server_close") else server.close()
    assert statuses == [500, 500]
    assert console.count("Traceback (most recent call last)") == 2, console
    assert console.count("ValueError: the sensor went away") == 2, console
    assert "in collect" in console, console
