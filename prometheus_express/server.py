"""The HTTP exporter: serves a registry to Prometheus and keeps serving, whatever clients do.

server = start_http_server(8000)   # a board: drive it from the program's loop
while True:
    server.poll()                  # returns at once when no client waits
"""

from . import _sockets
from ._port import LOCK, seconds_since, ticks
from .http import MIN_BUFFER, Reject, Request, Response, Timeout, head_end
from .registry import REGISTRY

# What a board's exporter rarely needs loads on first use: recovery (bind retries, accept
# errors, listener rebuilds, eviction), routes (auth, OPTIONS, 405, favicon, ?name[], request
# bodies) and stats (self_metrics=True). A plain scrape on a healthy network touches none.


class _Client:
    # A connection still sending its request head.
    def __init__(self, sock):
        self.sock = sock
        self.start = ticks()
        self.head = bytearray()
        self.end = -1  # where the head's blank line ends, once it has come


class MetricsServer:
    """An HTTP exporter of one registry: GET or HEAD any path for the metrics page.

    Limits are class attributes: set them on the class or the instance before use.
    """

    read_timeout = 2  # seconds from connect until the request head must be complete
    write_timeout = 5  # seconds to send one response
    max_head = 2048  # bytes of request head; a longer one gets 431
    max_body = 65536  # bytes of request body read (and dropped) before answering
    max_clients = 4  # connections waiting for their heads; see recovery.make_room()
    buffer_size = 1024  # the one response buffer
    backlog = 16  # the listen() queue; the OS may allow fewer (WIZnet: 1)
    max_accept_errors = 5  # accept() failures in a row before the listener is rebuilt
    _looping = False  # serve_forever() is running (blocking.py)
    _woken = False  # its last idle wait woke because a socket polled ready

    def __init__(
        self,
        port,
        addr="0.0.0.0",
        registry=REGISTRY,
        socket_pool=None,
        auth=None,
        self_metrics=False,
    ):
        if port >> 16:  # not 0 to 65535: MicroPython would take 70000 for 4464, -1 for 65535
            from .errors import port_out_of_range

            raise port_out_of_range(port)
        if self.buffer_size < MIN_BUFFER:
            from .errors import buffer_too_small

            raise buffer_too_small(MIN_BUFFER)
        self.registry = registry
        self.port = port
        self.addr = addr
        self._pool = _sockets.default_pool() if socket_pool is None else socket_pool
        self._auth = None
        if auth is not None:
            from .auth import basic_auth

            self._auth = basic_auth(auth)
        self._view = memoryview(bytearray(self.buffer_size))
        self._clients = []
        self._listener = None
        self._failures = 0
        self._paused = None  # (since, seconds) while accept() backs off
        self._closed = False
        self._stats = None
        try:
            self._listener = self._listen()
        except Exception as e:
            from .recovery import listen_again

            self._listener = listen_again(self, e)
        if self_metrics:
            from .stats import Stats

            try:
                self._stats = Stats(registry)
            except Exception:  # already registered (another server's): free the port
                self.close()
                raise

    def _listen(self):
        return _sockets.listen(self._pool, self.addr, self.port, self.backlog)

    def _accept(self):
        if self._paused is not None or self._listener is None:
            from .recovery import resume

            if not resume(self):  # still backing off, or the listener is not back yet
                return
        if len(self._clients) >= self.max_clients:
            from .recovery import make_room

            if not make_room(self):
                return  # the new connection waits in the listen queue
        try:
            sock = _sockets.accept(self._listener)
        except Exception as e:  # OSError, or RuntimeError("Out of sockets") on CircuitPython
            from .recovery import accept_failed

            accept_failed(self, e)
            return
        if sock is None:
            return
        self._failures = 0
        self._clients.append(_Client(sock))

    # -- serving -----------------------------------------------------------------------------

    def poll(self):
        """Answer at most one request; return True if one was answered. Never waits for a client."""
        if self._closed:
            return False
        try:
            self._accept()
        except Exception as e:
            # The fault handling (recovery.py) loads on the first fault, and may find no file
            # descriptor or memory left to load with: the fault is often exactly that. The
            # oldest connection still sending its head goes, which frees both.
            self._count(e)
            if self._clients:
                self._drop(self._clients[0])
        for client in list(self._clients):
            try:
                if self._receive(client):
                    self._answer(client, None)
                    return True
            except Reject as e:
                self._answer(client, e)
                return True
            except Exception as e:  # whatever happens, the next client is served
                self._count(e)
                self._drop(client)
        return False

    def serve_forever(self):
        """Serve until close() or shutdown() (from another thread), then close."""
        from .blocking import serve_forever

        serve_forever(self)

    def shutdown(self):
        """Stop serve_forever() and wait until it has stopped, as client_python's does; call it
        from another thread than the serving one (which would wait forever)."""
        from .blocking import shutdown

        shutdown(self)

    def close(self):
        """Close the listener and every client socket; the server cannot serve again."""
        self._closed = True
        if not self._looping:  # else serve_forever() closes them as it stops
            self._release()

    def _release(self):
        with LOCK:  # a close() from another thread may just be releasing too
            clients = self._clients
            self._clients = []
            listener = self._listener
            self._listener = None
            stats = self._stats
            self._stats = None
        for client in clients:
            _sockets.close(client.sock)
        if listener is not None:
            _sockets.close(listener)
        if stats:
            stats.unregister()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _drop(self, client):
        if client in self._clients:
            self._clients.remove(client)
            _sockets.close(client.sock)

    def _count(self, failure):
        # self_metrics=True: counts a failure, given as its kind or as the exception.
        if self._stats:
            self._stats.count(failure)

    def _receive(self, client):
        # Read all that has come of the head; True once it is complete. All, not one piece:
        # a head left half-read would age while the server answers someone else.
        head = client.head
        while client.end < 0:
            room = self.max_head + 4 - len(head)
            n = _sockets.recv_into(client.sock, self._view[: min(room, self.buffer_size)])
            if n == 0:  # the client left
                self._drop(client)
                return False
            if n is None:
                break
            start = max(len(head) - 3, 0)
            head.extend(self._view[:n])
            first = head[0]  # a method's capital letter, or the CRLF a client may send first
            if not (64 < first < 91 or first == 13 or first == 10):  # TLS, binary garbage
                raise Reject(400)
            client.end = head_end(head, start)
            if client.end < 0 and len(head) > self.max_head:
                raise Reject(431)
        if client.end >= 0:
            return True
        if seconds_since(client.start) > self.read_timeout:
            # A silent connection (browsers preconnect) just goes; a partial head gets 408.
            raise Reject(408) if head else Timeout()
        return False

    def _answer(self, client, rejected):
        self._clients.remove(client)
        sock = client.sock
        response = Response(sock, self._view, self.write_timeout, False, True)
        try:
            try:
                if rejected is not None:
                    raise rejected
                request = Request(client.head[: client.end])
                response.head_only = request.method == "HEAD"
                response.chunked = request.version == "HTTP/1.1"
                if (
                    request.method in ("GET", "HEAD")
                    and not request.length
                    and not request.query
                    and request.path != "/favicon.ico"
                    and self._auth is None
                ):
                    self._metrics(request, response, self.registry)
                else:  # a body, ?name[], the favicon, OPTIONS, another method, or auth
                    from .routes import route

                    route(self, client, request, response)
            except Reject as e:
                status = e.args[0]
                self._count("unauthorized" if status == 401 else "bad_request")
                response.simple(status, e.args[1] if len(e.args) > 1 else "")
            # Pipelined requests, or a body sent after the head: drain what is already here.
            # The answer is out: a failure now is no failed request.
            try:
                budget = self.max_body
                while budget > 0:
                    n = _sockets.recv_into(sock, self._view)
                    if not n:
                        break
                    budget -= n
            except Exception:
                pass
        except Exception as e:  # the client is gone, or too slow: the next one is served
            self._count(e)
        finally:
            _sockets.close(sock)

    def _metrics(self, request, response, registry):
        from .negotiation import choose_format

        om, content_type = choose_format(request.accept)
        from .exposition import write_registry

        response.start("HTTP/1.1 200 OK\r\nContent-Type: %s\r\n" % content_type)
        try:
            # write_openmetrics' page, without loading the openmetrics package for it
            write_registry(response.write, registry, om, content_type)
            if om:
                response.write("# EOF\n")
        except Exception as e:  # a collector raised, MemoryError, or the client left
            if response.broken:
                raise
            # The program's fault: like client_python, show it on the console.
            from .errors import print_traceback

            print_traceback(e)
            self._count("render")
            if not response.sent:
                response.simple(500)
            return  # else the client sees the chunked body cut short
        response.finish()
        if self._stats:
            self._stats.scrapes.inc()


def start_http_server(port, addr="0.0.0.0", registry=REGISTRY, socket_pool=None, **options):
    """Serve the registry on port.

    CPython: serves in a daemon thread and returns (server, thread), as client_python does;
    server.server_port is the bound port (port 0: the one the OS picked).
    MicroPython, CircuitPython: returns the bound server; call its poll() from your loop.
    Options: auth=(user, password), self_metrics=True.
    """
    server = MetricsServer(port, addr, registry, socket_pool, **options)
    try:
        from .threaded import serve_in_thread
    except ImportError:  # no threads: the program's loop polls
        return server
    return serve_in_thread(server)
