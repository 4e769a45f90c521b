"""Helpers for the live tests: servers on real sockets, a strict HTTP reader, hostile clients.

    with running("micropython", big=32) as server:
        response = scrape(server)           # the request Prometheus sends; checks status and page
        CASES["slowloris"](server.port, server.limits)
        scrape(server)

Every client socket has a timeout, so a server that hangs fails the test instead of blocking it.
"""

import contextlib
import os
import queue
import random
import resource
import select
import shutil
import socket
import ssl
import struct
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import mp_serve
import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]
MICROPYTHON = ROOT / ".venv" / "bin" / "micropython"
MP_SERVE = Path(__file__).resolve().parent / "mp_serve.py"
SOURCES = ROOT / "prometheus_express"
MPY_TREE = ROOT / ".build" / "mpy" / "micropython"
CLIENT_TIMEOUT = 10.0  # seconds any single client operation may take before the test fails

# Prometheus 3's scrape request (docs/platforms.md): Go writes Host and User-Agent first, then
# the other headers sorted, then the transport's Accept-Encoding.
ACCEPT = (
    "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
    "application/openmetrics-text;version=0.0.1;q=0.5,"
    "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
    "text/plain;version=0.0.4;q=0.3,*/*;q=0.2"
)
OPENMETRICS = "application/openmetrics-text; version=1.0.0"


def prometheus_request(port):
    """The request head Prometheus sends to scrape 127.0.0.1:port."""
    return (
        "GET /metrics HTTP/1.1\r\n"
        "Host: 127.0.0.1:%d\r\n"
        "User-Agent: Prometheus/3.0.1\r\n"
        "Accept: %s\r\n"
        "X-Prometheus-Scrape-Timeout-Seconds: 10\r\n"
        "Accept-Encoding: gzip\r\n"
        "\r\n" % (port, ACCEPT)
    ).encode("ascii")


def free_port():
    """A loopback TCP port nobody listens on (there is a small race until the server binds)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def end_process(proc, timeout=10):
    """Terminate proc, and kill it if it has not gone within timeout seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class ServerProcess:
    """A server binary run in its own temporary folder, its output in folder/log. Subclasses
    set self.dir, self.log (open for writing) and self.proc."""

    def logs(self):
        """The last of what the server wrote."""
        self.log.flush()
        return (self.dir / "log").read_text("utf-8", "replace")[-3000:]

    def close(self):
        end_process(self.proc)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def need(path, what):
    """Fail under CI (which installs everything), else skip, when path is missing."""
    if Path(path).exists():
        return
    message = "%s not found at %s" % (what, path)
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must provide it)")
    pytest.skip(message)


def mpy_tree_state():
    """None when .build/mpy/micropython holds an up-to-date .mpy for every source, else why not."""
    for source in SOURCES.rglob("*.py"):
        rel = source.relative_to(ROOT)
        compiled = MPY_TREE / rel.with_suffix(".mpy")
        copied = MPY_TREE / rel  # empty files are copied, not compiled
        target = compiled if compiled.exists() else copied
        if not target.exists():
            return "%s is missing: run `make compile`" % compiled
        if target.stat().st_mtime < source.stat().st_mtime:
            return "%s is older than its source: run `make compile`" % target
    return None


def runtimes():
    """The server runtimes to test: CPython, the unix port from .py, and from .mpy if built.

    Under CI the .mpy runtime is always tested: a missing or stale build then fails.
    """
    names = ["cpython", "micropython"]
    if MPY_TREE.is_dir() or os.environ.get("CI"):
        names.append("micropython-mpy")
    return names


# -- servers ---------------------------------------------------------------------------------


class Limits:
    """The server's timeouts and page, as the hostile cases need them."""

    def __init__(self, read_timeout, write_timeout, big):
        self.read_timeout = read_timeout
        self.write_timeout = write_timeout
        self.big = big


class CPythonServer:
    """start_http_server in this process: the exporter's daemon thread."""

    name = "cpython"

    def __init__(self, read_timeout=1.0, write_timeout=1.0, big=0, value=42.5, sndbuf=4096):
        from prometheus_express import start_http_server

        self.limits = Limits(read_timeout, write_timeout, big)
        self.port = free_port()
        registry = mp_serve.build_registry(big, value)
        pool = mp_serve.Pool(sndbuf) if sndbuf else None
        self.server, self.thread = start_http_server(
            self.port, "127.0.0.1", registry=registry, socket_pool=pool
        )
        # Class attributes, set on the instance: no client has connected yet.
        self.server.read_timeout = read_timeout
        self.server.write_timeout = write_timeout

    def check_alive(self):
        assert self.thread.is_alive(), (
            "the exporter thread died (an exception escaped serve_forever)"
        )

    def close(self):
        self.server.shutdown()
        self.thread.join(5)
        assert not self.thread.is_alive(), "serve_forever did not return after shutdown()"


class MicroPythonServer:
    """tests/live/mp_serve.py on the MicroPython unix port, from .py sources or the .mpy tree."""

    def __init__(
        self,
        name="micropython",
        read_timeout=1.0,
        write_timeout=1.0,
        big=0,
        value=42.5,
        sndbuf=4096,
        report=1000,
        nofile=None,
        preload=0,
    ):
        need(MICROPYTHON, "the MicroPython unix port (make setup)")
        self.name = name
        tree = ROOT
        if name == "micropython-mpy":
            stale = mpy_tree_state()
            if stale:
                if os.environ.get("CI"):
                    pytest.fail(stale)
                pytest.skip(stale)
            tree = MPY_TREE
        self.limits = Limits(read_timeout, write_timeout, big)
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="live-mp-"))
        self.stop_file = self.dir / "stop"
        options = {
            "port": self.port,
            "read_timeout": read_timeout,
            "write_timeout": write_timeout,
            "big": big,
            "value": value,
            "sndbuf": sndbuf,
            "report": report,
            "preload": preload,
            "stop": self.stop_file,
            "lifetime": 900,  # an orphan (the test process killed) still goes away
        }
        args = [str(MICROPYTHON), str(MP_SERVE)] + ["%s=%s" % kv for kv in options.items()]
        # ".frozen" keeps the port's frozen modules: MICROPYPATH replaces the default path.
        env = dict(os.environ, MICROPYPATH="%s:.frozen" % tree)
        self.stderr = open(self.dir / "stderr", "w+b")  # closed in close()
        limit = None
        if nofile:  # a board's few sockets: RLIMIT_NOFILE counts stdin, stdout and stderr too

            def limit():
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=self.dir,
            env=env,
            preexec_fn=limit,
        )
        self.lines = []  # every stdout line, as text
        self._queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        ready = self.next_line(20)
        assert ready.startswith("ready "), "mp_serve.py said %r; stderr: %s" % (
            ready,
            self.errors(),
        )
        self.lib = ready.split("lib=", 1)[1]
        expected = ".mpy" if name == "micropython-mpy" else ".py"
        assert self.lib.endswith(expected), "the server runs %s, not a %s file" % (
            self.lib,
            expected,
        )

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.lines.append(line)
            self._queue.put(line)
        self._queue.put(None)

    def next_line(self, timeout):
        """The next stdout line; fails after timeout seconds or when the process has ended."""
        try:
            line = self._queue.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(
                "mp_serve.py printed nothing for %s s; stderr: %s" % (timeout, self.errors())
            )
        if line is None:
            pytest.fail("mp_serve.py exited (%s); stderr: %s" % (self.proc.wait(), self.errors()))
        return line

    def errors(self):
        """What the server wrote to stderr."""
        self.stderr.flush()
        return (self.dir / "stderr").read_text("utf-8", "replace")

    def check_alive(self):
        assert self.proc.poll() is None, "the server exited with %s; stderr: %s" % (
            self.proc.returncode,
            self.errors(),
        )
        errors = self.errors()
        assert "Traceback" not in errors and not errors.strip(), "server stderr: %s" % errors

    def sockets(self):
        """The server process's open sockets, counted in /proc/<pid>/fd."""
        count = 0
        fd_dir = "/proc/%d/fd" % self.proc.pid
        for fd in os.listdir(fd_dir):
            try:
                if os.readlink(os.path.join(fd_dir, fd)).startswith("socket:"):
                    count += 1
            except FileNotFoundError:  # closed meanwhile
                pass
        return count

    def wait_sockets(self, expected, timeout):
        """Wait until the process holds `expected` sockets; the last count otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            count = self.sockets()
            if count == expected or time.monotonic() > deadline:
                return count
            time.sleep(0.05)

    def heap_reports(self, tag="heap"):
        """[(answered, alloc, peak)] from the server's `heap ...` (or `final ...`) lines."""
        reports = []
        for line in list(self.lines):
            if line.startswith(tag + " "):
                fields = dict(part.split("=") for part in line.split()[1:])
                reports.append((int(fields["answered"]), int(fields["alloc"]), int(fields["peak"])))
        return reports

    def stop(self, timeout=10):
        """Ask the server to stop; its final (answered, alloc, peak) figures."""
        self.stop_file.write_text("stop")
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail("mp_serve.py did not stop within %s s of the stop file" % timeout)
        assert code == 0, "mp_serve.py exited with %s; stderr: %s" % (code, self.errors())
        deadline = time.monotonic() + 5
        while not self.heap_reports("final") and time.monotonic() < deadline:
            time.sleep(0.02)  # the reader thread still has the last lines
        finals = self.heap_reports("final")
        assert finals, "no final heap line; stdout: %s" % self.lines[-5:]
        return finals[-1]

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def start(name, **options):
    """A running server of the given runtime name."""
    if name == "cpython":
        return CPythonServer(**options)
    return MicroPythonServer(name, **options)


@contextlib.contextmanager
def running(name, **options):
    server = start(name, **options)
    try:
        yield server
    finally:
        server.close()


# -- the client side -------------------------------------------------------------------------


def connect(port, timeout=CLIENT_TIMEOUT, rcvbuf=None):
    """A client socket connected to the server, with a timeout on every operation."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:  # before connect(), so the window is small from the start
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(timeout)
    try:
        sock.connect(("127.0.0.1", port))
    except BaseException:
        sock.close()
        raise
    return sock


def read_all(sock):
    """(bytes, reset): everything until the server closes; reset is True for a RST."""
    chunks = []
    try:
        while True:
            try:
                data = sock.recv(65536)
            except socket.timeout:
                got = b"".join(chunks)
                pytest.fail(
                    "the server neither answered nor closed within %s s (got %d bytes: %r)"
                    % (sock.gettimeout(), len(got), got[:120])
                )
            if not data:
                return b"".join(chunks), False
            chunks.append(data)
    except ConnectionResetError:
        return b"".join(chunks), True


def exchange(port, data, timeout=CLIENT_TIMEOUT):
    """Send data, then read until the server closes: (bytes, reset)."""
    with connect(port, timeout) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed early; what it said is still readable
        return read_all(sock)


class Response:
    def __init__(self, version, status, headers, body, rest):
        self.version = version
        self.status = status
        self.headers = headers  # lower-case names
        self.body = body
        self.rest = rest  # bytes after the response


def parse_response(raw):
    """One HTTP response, strictly framed; ValueError if it is incomplete or malformed."""
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        raise ValueError("no complete response head in %r" % raw[:200])
    lines = raw[:end].decode("latin-1").split("\r\n")
    version, status, _reason = (lines[0].split(" ", 2) + [""])[:3]
    if version not in ("HTTP/1.0", "HTTP/1.1") or not status.isdigit():
        raise ValueError("bad status line %r" % lines[0])
    headers = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or name != name.strip():
            raise ValueError("bad header line %r" % line)
        if name.lower() in headers:
            raise ValueError("header %s twice" % name)
        headers[name.lower()] = value.strip()
    rest = raw[end + 4 :]
    if "content-length" in headers:
        if "transfer-encoding" in headers:
            raise ValueError("both Content-Length and Transfer-Encoding")
        length = int(headers["content-length"])
        if len(rest) < length:
            raise ValueError("body cut short: %d of %d bytes" % (len(rest), length))
        body, rest = rest[:length], rest[length:]
    elif headers.get("transfer-encoding") == "chunked":
        body, rest = _dechunk(rest)
    else:
        raise ValueError("an unframed body (no Content-Length, not chunked)")
    return Response(version, int(status), headers, body, rest)


def _dechunk(data):
    body = []
    at = 0
    while True:
        eol = data.find(b"\r\n", at)
        if eol < 0:
            raise ValueError("chunked body cut short after %d bytes" % sum(map(len, body)))
        size = int(data[at:eol], 16)  # ValueError for a malformed size line
        start = eol + 2
        if size == 0:
            if data[start : start + 2] != b"\r\n":
                raise ValueError("no CRLF after the last chunk: %r" % data[start : start + 20])
            return b"".join(body), data[start + 2 :]
        if len(data) < start + size + 2:
            raise ValueError("chunk cut short")
        if data[start + size : start + size + 2] != b"\r\n":
            raise ValueError("no CRLF after a chunk")
        body.append(data[start : start + size])
        at = start + size + 2


def expected_samples(big, value=42.5):
    """{(name, labels as a sorted tuple): value} of every sample but _created, as built."""
    samples = {}
    for method, code, count in mp_serve.REQUESTS:
        samples["live_requests_total", (("code", code), ("method", method))] = float(count)
    for sensor, degrees in mp_serve.TEMPERATURES:
        samples["live_temperature_celsius", (("sensor", sensor),)] = degrees
    samples["live_value", ()] = value
    total = 0.0
    for bound in mp_serve.BUCKETS + (float("inf"),):
        n = sum(1 for x in mp_serve.LATENCIES if x <= bound)
        le = "+Inf" if bound == float("inf") else repr(bound)
        samples["live_latency_seconds_bucket", (("le", le),)] = float(n)
    for x in mp_serve.LATENCIES:
        total += x
    samples["live_latency_seconds_count", ()] = float(len(mp_serve.LATENCIES))
    samples["live_latency_seconds_sum", ()] = total
    samples["live_build_info", tuple(sorted(mp_serve.BUILD.items()))] = 1.0
    for i in range(big):
        samples["live_big", (("idx", str(i)), ("pad", mp_serve.PAD))] = float(i)
    return samples


def check_page(body, big, value=42.5):
    """The page parses with prometheus_client's OpenMetrics parser and holds exactly our samples."""
    text = body.decode("utf-8")
    assert text.endswith("# EOF\n"), "the page does not end with # EOF: %r" % text[-80:]
    assert "\r" not in text, "a CR in the page drops the whole scrape"
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name.endswith("_created"):
                continue
            key = (s.name, tuple(sorted(s.labels.items())))
            assert key not in found, "sample %s twice" % (key,)
            found[key] = s.value
    expected = expected_samples(big, value)
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    assert not missing and not extra, "missing %s, unexpected %s" % (missing[:5], extra[:5])
    wrong = [(k, found[k], v) for k, v in expected.items() if found[k] != v]
    assert not wrong, "wrong values (sample, got, expected): %s" % wrong[:5]


def check_scrape_response(raw, big, value=42.5, more=False):
    """raw holds a complete 200 with the OpenMetrics page (and nothing after it unless more);
    the Response."""
    response = parse_response(raw)
    assert more or not response.rest, "bytes after the response: %r" % response.rest[:100]
    assert response.status == 200, "status %d: %r" % (response.status, response.body[:200])
    content_type = response.headers.get("content-type", "")
    assert content_type.startswith(OPENMETRICS), "Content-Type %r" % content_type
    check_page(response.body, big, value)
    return response


def scrape(server, timeout=CLIENT_TIMEOUT):
    """The request Prometheus sends; asserts a complete, correct answer and a live server."""
    try:
        raw, reset = exchange(server.port, prometheus_request(server.port), timeout)
    except OSError:
        server.check_alive()  # a dead server explains itself (its traceback) first
        raise
    assert raw, "the server closed the connection without answering (reset=%s)" % reset
    response = check_scrape_response(raw, server.limits.big)
    assert not reset, NOT_DRAINED
    server.check_alive()
    return response


# Closing with request bytes unread makes the kernel (Linux, lwIP) send RST instead of FIN, and a
# client that has not read the answer yet may lose it (docs/platforms.md). On loopback the
# answer usually arrives first, so the RST itself is what the tests look for.
NOT_DRAINED = "the server closed with RST: it left request bytes unread"


# -- hostile clients -------------------------------------------------------------------------
# Each takes (port, limits) and asserts what the client must see; the caller then scrapes.


def _status_or_close(raw, statuses, what):
    # A response, if any came, must be complete and carry one of statuses; closing is also fine.
    if not raw:
        return None
    response = parse_response(raw)
    assert response.status in statuses, "%s: status %d, expected %s or a close" % (
        what,
        response.status,
        statuses,
    )
    return response


def one_byte_pieces(port, limits, pause=0.001):
    """The Prometheus request, one byte per send(), each its own TCP segment."""
    with connect(port) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in prometheus_request(port):
            sock.send(bytes((byte,)))
            if pause:
                time.sleep(pause)
        raw, reset = read_all(sock)
    check_scrape_response(raw, limits.big)
    assert not reset, NOT_DRAINED


def slowloris(port, limits, during=None):
    """A head trickled a byte at a time, never finished: 408 or a close by the read_timeout."""
    started = time.monotonic()
    with connect(port) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.send(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        if during is not None:
            during()  # the server serves others meanwhile
        interval = limits.read_timeout / 4
        deadline = started + limits.read_timeout + 5
        while time.monotonic() < deadline:
            if select.select([sock], [], [], interval)[0]:
                break  # an answer, or the close
            try:
                sock.send(b"a")
            except (BrokenPipeError, ConnectionResetError):
                break
        else:
            pytest.fail("a slowloris client kept its connection %.1f s" % (deadline - started))
        raw, _ = read_all(sock)
    _status_or_close(raw, (408,), "slowloris")


def idle_connect(port, limits):
    """Connect and say nothing: the server closes, silently, after its read_timeout."""
    with connect(port, limits.read_timeout + 5) as sock:
        raw, _ = read_all(sock)
    assert raw == b"", "a silent connection got %r" % raw[:100]


def connect_and_close(port, limits):
    """Connect and close at once, with FIN and with RST."""
    for linger in (False, True, False, True):
        sock = connect(port)
        if linger:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


def no_crlf_64k(port, limits):
    """64 KB of head without a line end: 431, or a close; never a hang."""
    raw, _ = exchange(port, b"A" * 65536)
    _status_or_close(raw, (431,), "64 KB without CRLF")


def binary_garbage(port, limits, seed=1):
    """Random bytes: from a byte no method starts with, and after a method-like start."""
    rng = random.Random(seed)
    noise = bytes(rng.getrandbits(8) for _ in range(1500))
    raw, _ = exchange(port, b"\x00\xff\x13\x37" + noise)
    _status_or_close(raw, (400,), "binary garbage")
    raw, _ = exchange(port, b"GET /\xff\xfe\x00" + noise.replace(b"\r\n\r\n", b"") + b"\r\n\r\n")
    _status_or_close(raw, (400, 431), "binary garbage after GET")


_HELLO = []


def client_hello():
    """The first bytes a TLS client sends (a real ClientHello from Python's ssl module)."""
    if not _HELLO:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
        try:
            tls.do_handshake()
        except ssl.SSLWantReadError:
            pass
        hello = outgoing.read()
        assert hello[:1] == b"\x16" and hello[5:6] == b"\x01", "not a ClientHello: %r" % hello[:8]
        _HELLO.append(hello)
    return _HELLO[0]


def tls_client_hello(port, limits):
    """https:// to the plain HTTP port: 400 or a close (400, not 408: refused at once, while
    the client still waits for a ServerHello)."""
    raw, _ = exchange(port, client_hello())
    _status_or_close(raw, (400,), "TLS ClientHello")


MALFORMED = (
    b"GET\r\n\r\n",
    b"GET /metrics\r\n\r\n",
    b"GET /metrics HTTP/2.0\r\n\r\n",
    b"GET /metrics HTTP/1.1 extra\r\n\r\n",
    b"GET  /metrics HTTP/1.1\r\n\r\n",
    b"GET\t/metrics\tHTTP/1.1\r\n\r\n",
    b"get /metrics HTTP/1.1\r\n\r\n",
    b"G\x00T /metrics HTTP/1.1\r\n\r\n",
    b"GET metrics HTTP/1.1\r\n\r\n",
    b"GET /m\xff\xfe HTTP/1.1\r\n\r\n",
    b"GET /metrics?name[]=%ff%fe HTTP/1.1\r\n\r\n",
    b"\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\nHost x\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\n folded: x\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\n: empty name\r\n\r\n",
)


def malformed(port, limits, requests=MALFORMED):
    """Broken request lines and headers: a complete 400 for each."""
    for request in requests:
        raw, reset = exchange(port, request)
        assert raw, "%r: closed without an answer (reset=%s)" % (request, reset)
        response = parse_response(raw)
        assert response.status == 400, "%r: status %d" % (request, response.status)
        assert not reset, "%r: %s" % (request, NOT_DRAINED)


def post_once(port, pieces):
    """POST /metrics with 16 KB, at once or in 1 KB pieces: the whole 405, then a FIN."""
    head = (
        b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Length: 16384\r\n\r\n"
    )
    body = bytes(i & 0xFF for i in range(16384))
    with connect(port) as sock:
        try:
            if pieces:
                sock.sendall(head)
                for at in range(0, len(body), 1024):
                    time.sleep(0.002)
                    sock.sendall(body[at : at + 1024])
            else:
                sock.sendall(head + body)
            sent = "all"
        except (BrokenPipeError, ConnectionResetError) as e:
            sent = "not all (%s)" % e  # what the server said may still be readable
        raw, reset = read_all(sock)
    assert raw, "POST: no answer (body sent: %s; reset=%s)" % (sent, reset)
    try:
        response = parse_response(raw)
    except ValueError as e:
        pytest.fail("POST: the 405 came cut short (body sent: %s; reset=%s): %s" % (sent, reset, e))
    assert response.status == 405, "POST: status %d" % response.status
    assert "GET" in response.headers.get("allow", ""), "405 without Allow: %s" % response.headers
    assert response.body == b"405 Method Not Allowed\n", "405 body %r" % response.body
    assert sent == "all" and not reset, "body sent: %s; %s" % (sent, NOT_DRAINED)


def post_16k(port, limits):
    """POST with a 16 KB body, in one go and in pieces: the whole 405, status and body."""
    post_once(port, False)
    post_once(port, True)


def pipelined(port, limits):
    """Three requests in one send: the first is answered completely."""
    request = prometheus_request(port)
    raw, reset = exchange(port, request * 3)
    response = check_scrape_response(raw, limits.big, more=True)
    assert not reset, NOT_DRAINED
    assert not response.rest or response.rest.startswith(b"HTTP/1."), (
        "bytes after the response: %r" % response.rest[:100]
    )


def rst_mid_response(port, limits):
    """Read a few bytes of a large page, then close with RST (SO_LINGER 0)."""
    sock = connect(port, rcvbuf=1024)
    try:
        sock.sendall(prometheus_request(port))
        first = sock.recv(64)
        assert first.startswith(b"HTTP/1.1 200"), "the large page began %r" % first
    finally:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


def never_reads(port, limits, server):
    """A client that asks for the large page and reads nothing: the server gives up after its
    write_timeout (a scrape meanwhile still succeeds), and the page it got is cut short."""
    with connect(port, rcvbuf=1024) as sock:
        sock.sendall(prometheus_request(port))
        # The server answers one connection at a time, ours first: once the scrape that came
        # after it is answered, it has given up on us, however slow the machine.
        scrape(server, limits.write_timeout + CLIENT_TIMEOUT)
        raw, _ = read_all(sock)
    assert raw.startswith(b"HTTP/1.1 200"), "the large page began %r" % raw[:40]
    with pytest.raises(ValueError):
        parse_response(raw)  # cut short: the server gave up; a whole page = nothing tested


def half_close(port, limits):
    """shutdown(SHUT_WR) after the request: the response still arrives."""
    with connect(port) as sock:
        sock.sendall(prometheus_request(port))
        sock.shutdown(socket.SHUT_WR)
        raw, reset = read_all(sock)
    check_scrape_response(raw, limits.big)
    assert not reset, NOT_DRAINED


def concurrent_idle(port, limits, count=32, then=None):
    """count connections at once, all silent; then() (a scrape) runs while they are open."""
    socks = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.setblocking(False)
            socks.append(sock)
            sock.connect_ex(("127.0.0.1", port))
        # Wait (bounded) for the handshakes: the listen queue is short (backlog 4), so the kernel
        # drops some SYNs and the client sends them again a second later. Stragglers may
        # connect while then() runs, which is fine: more of the same.
        deadline = time.monotonic() + 1.2
        pending = list(socks)
        while pending and time.monotonic() < deadline:
            writable = select.select([], pending, [], 0.1)[1]
            pending = [s for s in pending if s not in writable]
        if then is not None:
            then()
    finally:
        for sock in socks:
            sock.close()


def concurrent_scrapes(port, limits, count=8):
    """Scrapes at the same moment (an HA pair of Prometheus servers, and more): all answered."""
    failures = []

    def one():
        try:
            raw, reset = exchange(port, prometheus_request(port))
            check_scrape_response(raw, limits.big)
            assert not reset, NOT_DRAINED
        except BaseException as e:  # reported below, from the test's own thread
            failures.append(e)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(CLIENT_TIMEOUT + 5)
    assert not failures, "%d of %d concurrent scrapes failed: %r" % (
        len(failures),
        count,
        failures[:3],
    )


def request_then_rst(port, limits):
    """The whole request, then an immediate RST, before the server has answered."""
    for _ in range(4):
        sock = connect(port)
        sock.sendall(prometheus_request(port))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


def http10_and_head(port, limits):
    """HTTP/1.0 gets the page with Content-Length (no chunks); HEAD gets the same headers."""
    request = prometheus_request(port)
    raw, reset = exchange(port, request.replace(b"HTTP/1.1", b"HTTP/1.0", 1))
    response = check_scrape_response(raw, limits.big)
    assert "transfer-encoding" not in response.headers, "chunks for HTTP/1.0: %s" % raw[:300]
    assert not reset, NOT_DRAINED
    raw, reset = exchange(port, request.replace(b"GET", b"HEAD", 1))
    end = raw.find(b"\r\n\r\n") + 4
    assert raw.startswith(b"HTTP/1.1 200 ") and end == len(raw), "HEAD answered %r" % raw[:300]
    assert b"\r\nContent-Length: %d\r\n" % len(response.body) in raw, "HEAD: %r" % raw
    assert not reset, NOT_DRAINED


CASES = {
    "one_byte_pieces": one_byte_pieces,
    "slowloris": slowloris,
    "idle_connect": idle_connect,
    "connect_and_close": connect_and_close,
    "no_crlf_64k": no_crlf_64k,
    "binary_garbage": binary_garbage,
    "tls_client_hello": tls_client_hello,
    "malformed": malformed,
    "post_16k": post_16k,
    "pipelined": pipelined,
    "rst_mid_response": rst_mid_response,
    "never_reads": never_reads,
    "half_close": half_close,
    "concurrent_idle_32": concurrent_idle,
    "concurrent_scrapes": concurrent_scrapes,
    "request_then_rst": request_then_rst,
    "http10_and_head": http10_and_head,
}
