"""How MetricsServer gets through a failing network; loaded on the first failure.

listener = listen_again(server, error)   # bind() found the port taken: retry with backoff
if resume(server): ...                   # False while backing off or still without a listener
accept_failed(server, error)             # back off, make room, or rebuild the listener
if make_room(server): ...                # the oldest client still sending its head was evicted
"""

import time

from . import _sockets
from ._port import seconds_since, ticks

_BIND_TRIES = 8  # a board that crashed may still hold the port for a while


def listen_again(server, error):
    """A listener once bind() succeeds; the first error that is not "address in use" raises."""
    delay = 0.05
    tries = _BIND_TRIES - 1  # the server's own attempt was the first
    while True:
        if tries <= 0 or not _sockets.address_in_use(error):
            raise error
        time.sleep(delay)
        delay = min(delay * 2, 1.0)
        tries -= 1
        try:
            return server._listen()
        except Exception as e:
            error = e


def _pause(server, seconds):
    server._paused = (ticks(), seconds)


def _rebuild(server):
    _sockets.close(server._listener)
    server._listener = None
    try:
        server._listener = server._listen()
    except Exception:
        _pause(server, 1.0)
        return
    server._failures = 0
    if server._stats:
        server._stats.rebinds.inc()


def resume(server):
    """True once accept() may be called: the backoff is over and the listener is bound."""
    paused = server._paused
    if paused is not None:
        if seconds_since(paused[0]) < paused[1]:
            return False
        server._paused = None
    if server._listener is None:
        _rebuild(server)
    return server._listener is not None


def accept_failed(server, error):
    """Handle an accept() error: OSError, or RuntimeError("Out of sockets") on CircuitPython."""
    server._count("accept")
    if server._clients and _sockets.out_of_sockets(error):
        # Out of sockets (Pico W: 5): the oldest connection still sending its head makes
        # room, as for max_clients. Counting it as a failure would rebuild the listener,
        # which resets the very connection waiting to be accepted.
        if not make_room(server):
            _pause(server, 0.01)
        return
    server._failures += 1
    if server._failures >= server.max_accept_errors or _sockets.listener_dead(error):
        _rebuild(server)
    else:
        _pause(server, min(0.01 * (1 << server._failures), 1.0))


def make_room(server):
    """Evict the oldest waiting connection, once it has had a quarter of read_timeout.

    A client that just connected has its request in flight, and dropping it would answer
    it with a reset.
    """
    oldest = server._clients[0]
    if seconds_since(oldest.start) < server.read_timeout / 4:
        return False
    server._count("evicted")
    server._drop(oldest)
    return True
