"""Figures 4 and 5: the HTTP exporter under wrk on loopback, each server in its own process.

    figure_cpython_http(); figure_micropython_http(tree)

bench/mp_serve.py is the server process: ours or prometheus_client's start_http_server on
CPython, ours on the MicroPython unix port, all serving mp_serve.board()'s series. Each
server has a process of its own, so it shares a GIL with neither the other nor the bench;
wrk loads it for DURATION seconds per row.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import mp_serve
import trees
from report import KB, cpython, notes, ratio, table, version

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WRK = "/usr/bin/wrk"
DURATION = 10  # seconds of load per row
LOADS = (("-c1 -t1", 1, 1), ("-c10 -t2", 10, 2))  # label, connections, threads
ERRORS = ("connect", "read", "write", "timeout")


# -- wrk ----------------------------------------------------------------------------------------

_UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def parse_wrk(text):
    """wrk's summary as numbers: requests, rps, latency_ms (avg), latency_max_ms, the four
    socket errors, non2xx.

    wrk prints the "Socket errors" and "Non-2xx or 3xx responses" lines only when they are
    not zero, and no latency figure when nothing was answered: those read as 0 and None.
    """
    out = {"requests": 0, "rps": None, "latency_ms": None, "latency_max_ms": None, "non2xx": 0}
    out.update(dict.fromkeys(ERRORS, 0))
    m = re.search(r"^\s*(\d+) requests in ", text, re.M)
    if m:
        out["requests"] = int(m.group(1))
    m = re.search(r"^Requests/sec:\s*([0-9.]+)", text, re.M)
    if m:
        out["rps"] = float(m.group(1))
    time = r"([0-9.]+)(us|ms|s|m|h)\s+"
    m = re.search(r"^\s*Latency\s+" + time * 3, text, re.M)  # avg, stdev, max
    if m and out["requests"]:  # with no answer wrk prints a latency of 0.00us
        out["latency_ms"] = float(m.group(1)) * _UNITS_MS[m.group(2)]
        out["latency_max_ms"] = float(m.group(5)) * _UNITS_MS[m.group(6)]
    m = re.search(r"Socket errors:\s*(.*)$", text, re.M)
    if m:
        for name, value in re.findall(r"(\w+) (\d+)", m.group(1)):
            if name in out:
                out[name] = int(value)
    m = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    if m:
        out["non2xx"] = int(m.group(1))
    return out


def run_wrk(port, connections, threads, seconds=None):
    seconds = seconds or DURATION
    cmd = [WRK, "-c%d" % connections, "-t%d" % threads, "-d%ds" % seconds]
    cmd.append("http://127.0.0.1:%d/metrics" % port)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    result = parse_wrk(proc.stdout)
    result["failed"] = None
    if proc.returncode != 0 or result["rps"] is None:
        lines = (proc.stderr + proc.stdout).strip().splitlines() or ["exit %d" % proc.returncode]
        result["failed"] = lines[-1]
    return result


def socket_errors(r):
    return sum(r[name] for name in ERRORS)


def _cells(r):
    def ms(key, form):
        return "n/a" if r[key] is None else form % r[key]

    rps = "n/a" if r["rps"] is None else "%.0f" % r["rps"]
    latency = [ms("latency_ms", "%.3f"), ms("latency_max_ms", "%.1f")]
    return [rps] + latency + [r[name] for name in ERRORS] + [r["non2xx"], r["requests"]]


WRK_HEADER = ["req/s", "avg ms", "max ms"] + list(ERRORS) + ["non-2xx/3xx", "requests"]


# -- server processes ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """bench/mp_serve.py in its own process, listening on a free loopback port."""

    def __init__(self, cmd, env, label, leave=None, extra=0):
        self.label = label
        self.port = free_port()
        args = [str(self.port)] + ([] if leave is None else [str(leave), str(extra)])
        self.proc = subprocess.Popen(
            cmd + args,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("READY"):
                self.ready.set()
        self.ready.set()  # it exited: wait no longer

    def wait_ready(self, seconds=30):
        self.ready.wait(seconds)
        if self.proc.poll() is not None or not any(x.startswith("READY") for x in self.lines):
            raise RuntimeError("%s did not start: %s" % (self.label, self.last_line()))

    def last_line(self):
        other = [x for x in self.lines if x.strip() and not x.startswith(("READY", "RESULT"))]
        return (other or ["exit %s" % self.proc.poll()])[-1]

    def results(self):
        return {x.split()[1]: int(x.split()[2]) for x in self.lines if x.startswith("RESULT ")}

    def stop(self):
        """Ask it to go, wait for its last lines; kill it if it does not go."""
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # CPython: its main thread waits for this
            except OSError:
                pass
            if self.ready.is_set():
                try:
                    fetch(self.port, mp_serve.STOP)  # MicroPython: serve_forever() ends
                except (OSError, http.client.HTTPException):  # a page cut short: out of heap
                    pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(5)


def fetch(port, path="/metrics"):
    """Status, Content-Type and body of one plain GET, as Prometheus's text scrape sees them."""
    url = "http://127.0.0.1:%d%s" % (port, path)
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get("Content-Type"), response.read()


def _first_difference(a, b):
    for i, (x, y) in enumerate(zip(a.splitlines(), b.splitlines())):
        if x != y:
            return "line %d: %r vs %r" % (i + 1, x, y)
    return "one body is longer (%d vs %d lines)" % (len(a.splitlines()), len(b.splitlines()))


def _missing_wrk():
    if os.path.exists(WRK) and os.access(WRK, os.X_OK):
        return False
    notes("%s not found (Debian: apt-get install wrk): figure skipped" % WRK)
    print()
    return True


# -- Figure 4: CPython, against prometheus_client -----------------------------------------------


def figure_cpython_http():
    peer = "prometheus_client " + version("prometheus_client")
    print("Figure 4: start_http_server throughput, %s, against %s" % (cpython(), peer))
    print("          wrk on loopback, %d s per row, each server in its own process;" % DURATION)
    print("          mp_serve.board(): 15 series, text 0.0.4")
    if _missing_wrk():
        return
    try:
        import prometheus_client  # noqa: F401
    except ImportError:
        notes("prometheus_client is not installed here: figure skipped")
        print()
        return
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    libs = (("prometheus_client", "client"), ("prometheus_express", "ours"))
    servers = {}
    try:
        for name, which in libs:
            cmd = [sys.executable, "-u", str(BENCH / "mp_serve.py"), which]
            servers[name] = Server(cmd, env, name)
        for server in servers.values():
            server.wait_ready()
        _compare_bodies(servers)
        results = {}
        for load, connections, threads in LOADS:  # client then ours, per load
            for name, _ in libs:
                results[name, load] = run_wrk(servers[name].port, connections, threads)
    except RuntimeError as e:
        notes("ERROR %s" % e)
        print()
        return
    finally:
        for server in servers.values():
            server.stop()
    rows = []
    for load, _, _ in LOADS:
        for name, _ in libs:
            rows.append([name, load] + _cells(results[name, load]))
    table(["server", "wrk"] + WRK_HEADER, rows)
    notes(
        "avg, max ms: wrk's latency, from a request's first byte sent to its answer's last read;",
        "      each request on a new connection (both servers answer Connection: close).",
        "connect..timeout: wrk's socket errors; non-2xx/3xx: its count of status >= 400.",
        "req/s: scrapes answered per second, higher is better; -c1: one scraper at a time,",
        "      -c10: ten at once. Ratio: our req/s over client_python's, above 1x ours answers",
        "      more on the same CPU.",
    )
    for load, _, _ in LOADS:
        ours, theirs = results["prometheus_express", load], results["prometheus_client", load]
        for name, r in (("prometheus_express", ours), ("prometheus_client", theirs)):
            if r["failed"]:
                notes("ERROR wrk %s against %s: %s" % (load, name, r["failed"]))
        speed = "n/a"
        if ours["rps"] is not None and theirs["rps"]:
            speed = "%.2fx" % (ours["rps"] / theirs["rps"])
        notes(
            "%s: req/s ratio %s; socket errors: ours %d, client_python %d"
            % (load, speed, socket_errors(ours), socket_errors(theirs))
        )
    print()


def _compare_bodies(servers):
    got = {name: fetch(server.port) for name, server in servers.items()}
    (a_name, a), (b_name, b) = got.items()
    notes(
        "GET /metrics: %s %d, %d B; %s %d, %d B"
        % (a_name, a[0], len(a[2]), b_name, b[0], len(b[2]))
    )
    if a[2] != b[2]:
        notes(
            "WARNING: the bodies differ, so the comparison is not fair: "
            + _first_difference(a[2], b[2])
        )
    elif a[1] != b[1]:
        notes("WARNING: the Content-Types differ: %r vs %r" % (a[1], b[1]))
    else:
        notes(
            "the same bytes from both (no _created series), and the same Content-Type:",
            "      " + a[1],
        )


# -- Figure 5: the MicroPython unix port --------------------------------------------------------

BOARD_HEAP = 128 * KB  # -X heapsize for the rows with ballast: every collection scans it all
BOARD_FREE = 8 * KB  # free heap left by the ballast in the board row
PROBE = 1  # seconds of wrk -c1 per try when finding the free heap needed
EXTRA_SERIES = (0, 200, 2000)  # labelled series added to the board's 15 for that search


def _mp_serve(tree, connections, threads, leave=None, seconds=None, extra=0):
    """wrk against mp_serve.py on the unix port; (wrk's figures, the RESULT lines, error).
    extra: more labelled series on top of the board's 15 (with leave only)."""
    cmd = [trees.tool("micropython")]
    if leave is not None:  # room for the extra series too: the ballast takes what is left
        cmd += ["-X", "heapsize=%d" % (BOARD_HEAP + extra * KB)]
    cmd += [str(BENCH / "mp_serve.py"), "ours"]
    env = dict(os.environ, MICROPYPATH=str(tree))
    server = Server(cmd, env, "micropython", leave, extra)
    try:
        server.wait_ready()
        r = run_wrk(server.port, connections, threads, seconds)
    except RuntimeError as e:
        return None, {}, str(e)
    finally:
        server.stop()
    heap = server.results()
    if r["failed"]:
        return r, heap, "wrk: " + r["failed"]
    if "alloc_after" not in heap:
        return r, heap, "no heap figures after the load: " + server.last_line()
    return r, heap, None


def _free_needed(tree, extra):
    # The least free heap (one block, ballast around it) in which PROBE s of wrk -c1 are all
    # answered, to 256 B.
    def serves(leave):
        r, _, error = _mp_serve(tree, 1, 1, leave, PROBE, extra)
        return error is None and r["requests"] > 0 and socket_errors(r) + r["non2xx"] == 0

    step = 256
    lo, hi = KB // step, 16 * KB // step
    if serves(lo * step):
        return "<=%d" % (lo * step)
    if not serves(hi * step):
        return ">%d" % (hi * step)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if serves(mid * step):
            hi = mid
        else:
            lo = mid
    return hi * step


def figure_micropython_http(tree):
    print("Figure 5: our start_http_server under wrk, %s" % trees.micropython_runtime()[0])
    print("          from .mpy, %d s per row, a fresh process per row, serve_forever();" % DURATION)
    print("          the same 15 series")
    if _missing_wrk():
        return
    runs = [(load, c, t, None) for load, c, t in LOADS]
    runs.append(("-c10 -t2, %d KB free" % (BOARD_FREE // KB), 10, 2, BOARD_FREE))
    rows, errors = [], []
    for label, connections, threads, leave in runs:
        r, heap, error = _mp_serve(tree, connections, threads, leave)
        if error:
            errors.append("%s: %s" % (label, error))
        if r is None:
            continue
        before, after = heap.get("alloc_before"), heap.get("alloc_after")
        peak = None
        if "peak_after" in heap:
            peak = heap["peak_after"] - heap["peak_before"]
        per_request = (
            "n/a" if peak is None or not r["requests"] else "<=%.0f" % (peak / r["requests"])
        )
        rows.append(
            [label]
            + _cells(r)
            + [
                "n/a" if before is None else before,
                "n/a" if after is None or before is None else after - before,
                "n/a" if peak is None else "<=%d" % peak,
                per_request,
            ]
        )
    header = ["wrk"] + WRK_HEADER + ["heap", "kept", "mem_peak growth", "per request"]
    table(header, rows)
    notes(
        "req/s, avg, max ms: as in Figure 4, on this machine's CPU; a board's is many times",
        "      slower, so they say what the server costs, not what a board sustains.",
        "heap: gc.mem_alloc() after gc.collect(), the server started and one request answered",
        "      (so its lazy imports are in); kept: its growth over the load, after close()",
        "      (a leak would grow with the requests).",
        "mem_peak growth: micropython.mem_peak() over the load; this port also counts bytes",
        "      since swept, so it is an upper bound of what the load allocated; per request:",
        "      that bound over wrk's requests.",
        "%d KB free: -X heapsize=%d and ballast (mp_heap.fill) leave %d B free in one block"
        % (BOARD_FREE // KB, BOARD_HEAP, BOARD_FREE),
        "      after the first request, as on a board whose program holds the rest.",
    )
    free = [_free_needed(tree, n) for n in EXTRA_SERIES]
    series = [15 + n for n in EXTRA_SERIES]
    notes(
        "free heap needed: the least free heap (as in the row above, to 256 B) in which %d s"
        % PROBE,
        "      of wrk -c1 -t1 get every answer, what a board must keep free to serve scrapes:",
        "      " + ", ".join("%s B with %d series" % pair for pair in zip(free, series)) + ".",
    )
    if isinstance(free[0], int) and isinstance(free[-1], int):
        notes(
            "      %d series over %d: %s (1x: serving does not grow with the series)."
            % (series[-1], series[0], ratio(free[-1], free[0]))
        )
    for row in rows:
        notes("%s: %d socket errors, %s non-2xx/3xx" % (row[0], sum(row[4:8]), row[8]))
    notes(*["ERROR " + e for e in errors])
    print()
