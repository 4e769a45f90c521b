"""The blocking ways to run a MetricsServer: serve_forever(), shutdown(), await_http_request().

server.serve_forever()        # CPython's exporter thread; or a board with nothing else to do
A board that drives server.poll() from its own loop never loads this module.
"""

import time

from . import _sockets


def serve_forever(server):
    """Serve until close() or shutdown(), then release the server's sockets."""
    server._looping = True  # close() from now on leaves the sockets to this loop
    try:
        while not server._closed:
            if server.poll():
                server._woken = False
            else:
                idle(server)
    finally:
        server._release()
        server._looping = False  # last: shutdown() returns once the sockets are closed


def shutdown(server):
    """Close the server, then wait until serve_forever() (in another thread) has stopped."""
    server.close()
    while server._looping:  # at most one request and one idle wait (0.5 s)
        time.sleep(0.01)


def await_http_request(server, registry=None):
    """Block until the server has answered one request (the blocking style of 0.0.4)."""
    if registry is not None:
        server.registry = registry
    server._woken = False
    while not server.poll():
        if server._closed:
            raise ValueError("the server is closed")
        idle(server)


def idle(server):
    """Sleep until a socket may be ready, but wake for the nearest deadline.

    Called after poll() answered nothing.
    """
    readers = []
    for client in server._clients:  # a loop: a comprehension is one more function in RAM
        readers.append(client.sock)
    # A full server leaves the listener out: it stays ready, which would be a busy loop. So
    # does a short wait right after one that woke for nothing: CircuitPython on the Pico W polls
    # its listener ready whether or not a client waits. The wait after that watches it again.
    watch = not server._woken
    if watch and server._listener is not None and server._paused is None:
        if len(server._clients) < server.max_clients:
            readers.append(server._listener)
    short = server._clients or server._paused or not watch
    woke = _sockets.wait(readers, (), 0.05 if short else 0.5)
    server._woken = watch and woke
