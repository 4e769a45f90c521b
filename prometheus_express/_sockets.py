"""Every difference between the ports' socket layers, behind a few calls.

listener = listen(pool, "0.0.0.0", 8000, backlog)
sock = accept(listener)      # None when nobody waits
sock = connect(pool, pool.getaddrinfo("192.0.2.5", 9091)[0], 30)  # push's, to one address
n = recv_into(sock, view)    # None: nothing yet; 0: the peer closed
n = send(sock, view)         # 0: the send buffer is full, try later
close(sock)                  # never raises
"""

# The platform facts behind this module are in docs/platforms.md.
import time

from ._port import const

try:
    import errno
except ImportError:
    try:
        import uerrno as errno  # older MicroPython
    except ImportError:  # small CircuitPython builds
        errno = None

try:
    import select
except ImportError:  # CircuitPython: socketpool sockets cannot be polled anyway
    select = None


def codes(names, fallback):
    """The errno numbers of names on this port; fallback on a build without errno."""
    if errno is None:
        return fallback
    found = []
    for name in names.split():
        if hasattr(errno, name):
            found.append(getattr(errno, name))
    return tuple(found)


# errno numbers differ by port (Linux, newlib, macOS): look them up, never compare literals.
# The fallbacks serve builds without an errno module and list every platform's number. The
# numbers of rarer failures (bind, accept) are looked up by recovery.py when they happen.
_AGAIN = codes("EAGAIN EWOULDBLOCK ETIMEDOUT", (11, 35, 110, 116, 60))


_RECV_PIECE = const(256)


def error_number(e):
    """The errno of an exception, from its errno attribute or its first argument; or None."""
    code = getattr(e, "errno", None)
    if code is None and e.args and isinstance(e.args[0], int):
        code = e.args[0]
    return code


def would_block(e):
    """True for "not now" errors: EAGAIN, or a timeout on a socket with one."""
    # CPython's socket.timeout (TimeoutError) has no errno; the WIZnet library's
    # timeout classes name themselves.
    return error_number(e) in _AGAIN or "timed out" in str(e) or "imeout" in type(e).__name__


def default_pool():
    """The socket module where the port has one (CPython, MicroPython)."""
    try:
        import socket
    except ImportError:
        from .errors import no_socket_module

        raise no_socket_module() from None
    return socket


def listen(pool, addr, port, backlog):
    """A non-blocking listening socket bound to (addr, port)."""
    info = pool.getaddrinfo(addr, port)[0]
    sock = pool.socket(info[0], pool.SOCK_STREAM)
    try:
        if hasattr(pool, "SO_REUSEADDR"):  # CircuitPython 9 needs it set explicitly
            sock.setsockopt(pool.SOL_SOCKET, pool.SO_REUSEADDR, 1)
        sock.bind(info[-1])  # MicroPython binds only to getaddrinfo's address
        sock.listen(backlog)
        sock.settimeout(0)
    except BaseException:
        close(sock)
        raise
    return sock


def connect(pool, info, timeout):
    """A non-blocking socket connected to info, one entry of pool.getaddrinfo(); connect()
    waits up to timeout seconds."""
    sock = pool.socket(info[0], pool.SOCK_STREAM)
    try:
        # A non-blocking connect() cannot be finished the same way on every port: wait in it.
        # MicroPython unix: the timeout is SO_SNDTIMEO, and running out says EINPROGRESS.
        sock.settimeout(timeout)
        sock.connect(info[-1])  # MicroPython connects only to getaddrinfo's address
        sock.settimeout(0)
    except BaseException:
        close(sock)
        raise
    return sock


def accept(listener):
    """A connected non-blocking socket, or None when no client waits."""
    try:
        sock = listener.accept()[0]
    except OSError as e:
        if would_block(e):
            return None
        raise
    try:
        # CircuitPython: an accepted socket may inherit the listener's timeout or be blocking.
        sock.settimeout(0)
    except BaseException:
        close(sock)
        raise
    return sock


def recv_into(sock, view):
    """Bytes read into view; None when none are there yet, 0 when the peer closed."""
    try:
        if hasattr(sock, "recv_into"):  # CPython, CircuitPython, WIZnet
            return sock.recv_into(view)
        # MicroPython: no recv_into, and readinto drops partial data on a timeout. recv(n)
        # allocates n bytes before it reads: small pieces, so a full heap still serves.
        data = sock.recv(min(len(view), _RECV_PIECE))
    except OSError as e:
        if would_block(e):
            return None
        raise
    view[: len(data)] = data
    return len(data)


def send(sock, view):
    """Bytes sent from view, maybe fewer than asked; 0 when the send buffer is full."""
    try:
        # Partial sends everywhere: the WIZnet socketpool takes at most 2048 bytes a call.
        return sock.send(view) or 0  # MicroPython: None for EAGAIN
    except OSError as e:
        if would_block(e):
            return 0
        raise


def close(sock):
    """Close once and never raise (the WIZnet socketpool raises on a second close)."""
    try:
        sock.close()
    except Exception:
        pass


_pollable = select is not None and hasattr(select, "poll")


def wait(readers, writers, seconds):
    """Sleep until a socket may be ready or `seconds` pass; True if one polled ready."""
    global _pollable
    if _pollable:
        try:
            poller = select.poll()
            for sock in readers:
                poller.register(sock, select.POLLIN)
            for sock in writers:
                poller.register(sock, select.POLLOUT)
            return bool(poller.poll(int(seconds * 1000)))
        except (TypeError, AttributeError):  # these sockets cannot be polled: sleep from now on
            _pollable = False
        except Exception:  # a socket closed meanwhile: sleep this once
            pass
    time.sleep(min(seconds, 0.005))
    return False
