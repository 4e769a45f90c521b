"""How MetricsServer gets through a failing network; loaded on the first failure.

listener = listen_again(server, error)   # bind() found the port taken: retry with backoff
if resume(server): ...                   # False while backing off or still without a listener
accept_failed(server, error)             # back off, make room, or rebuild the listener
if make_room(server): ...                # the oldest client still sending its head was evicted
address_in_use(e), listener_dead(e), out_of_sockets(e)   # what a bind or accept error means
"""

import time

from . import _sockets
from ._port import BOARD, seconds_since, ticks

_BIND_TRIES = 8  # a board that crashed may still hold the port for a while


# What an error means. errno numbers differ by port: _sockets looks them up on the port's
# errno module, with every platform's numbers for builds that have none.


def address_in_use(e):
    """True when bind() failed because the port is still taken."""
    # CircuitPython before 9 raises ValueError for a failed bind.
    in_use = _sockets.codes("EADDRINUSE", (98, 112, 48))
    return _sockets.error_number(e) in in_use or isinstance(e, ValueError)


def listener_dead(e):
    """True when an accept() error means the listening socket must be rebuilt."""
    # 3, 4 and 7 are the old native WIZnet driver's own codes (socket not initialised,
    # closed, invalid state).
    dead = _sockets.codes("ENOTCONN EBADF EINVAL", (107, 128, 57, 9, 22)) + (3, 4, 7)
    return _sockets.error_number(e) in dead


def out_of_sockets(e):
    """True when accept() failed for want of a free socket."""
    # CircuitPython raises RuntimeError("Out of sockets"); the WIZnet library RuntimeErrors
    # too. MicroPython on ESP32 raises ENFILE, the unix port and CPython EMFILE; lwIP may say
    # ENOBUFS or ENOMEM. MicroPython's errno module has neither ENFILE nor EMFILE, but they
    # are 23 and 24 on Linux, macOS, newlib and lwIP alike.
    full = _sockets.codes("ENOBUFS ENOMEM", (105, 55, 12)) + (23, 24)
    return isinstance(e, RuntimeError) or _sockets.error_number(e) in full


def listen_again(server, error):
    """A listener once bind() succeeds; the first error that is not "address in use" raises."""
    delay = 0.05
    # Only a board retries: a soft reboot leaves its port held for a while. Elsewhere a taken
    # port is another program's, and waiting would only delay the error, as client_python.
    tries = _BIND_TRIES - 1 if BOARD else 0  # the server's own attempt was the first
    while True:
        if tries <= 0 or not address_in_use(error):
            from .errors import cannot_listen

            raise cannot_listen(server.addr, server.port, error)
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
    if server._clients and out_of_sockets(error):
        # Out of sockets (Pico W: 5): the oldest connection still sending its head makes
        # room, as for max_clients. Counting it as a failure would rebuild the listener,
        # which resets the very connection waiting to be accepted.
        if not make_room(server):
            _pause(server, 0.01)
        return
    server._failures += 1
    if server._failures >= server.max_accept_errors or listener_dead(error):
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
