"""Process metrics read from /proc, as client_python's: CPU time, memory, open files, start time.

ProcessCollector(namespace="worker", pid=lambda: open("/run/worker.pid").read())
CPython only. PROCESS_COLLECTOR is on REGISTRY from import on; where /proc is missing (not
Linux) it collects nothing.
"""

from ._port import BOARD

if BOARD:  # nothing of this exists on a board, and the default REGISTRY stays empty there
    from .errors import cpython_only

    raise cpython_only(
        __name__,
        "/proc, the platform module, gc statistics",
        "BoardCollector (prometheus_express.board) reads the heap, uptime, CPU and python_info",
    )

import os

from .metrics_core import CounterMetricFamily, GaugeMetricFamily
from .registry import REGISTRY

try:
    from resource import getpagesize

    _PAGESIZE = getpagesize()
except ImportError:  # not Unix
    _PAGESIZE = 4096

# Fields of /proc/PID/stat counted after the ")" that closes the command name (the name may
# hold spaces and parentheses): proc(5) numbers them from 1 with the pid, so field 14 is 11.
_UTIME = 11
_STIME = 12
_STARTTIME = 19
_VSIZE = 20
_RSS = 21


class ProcessCollector:
    """CPU, memory and file descriptors of a process (this one by default), from proc."""

    def __init__(self, namespace="", pid=lambda: "self", proc="/proc", registry=REGISTRY):
        self._namespace = namespace
        self._pid = pid
        self._proc = proc
        self._prefix = namespace + "_process_" if namespace else "process_"
        self._pagesize = _PAGESIZE
        try:
            self._ticks = os.sysconf("SC_CLK_TCK")
        except (ValueError, TypeError, AttributeError, OSError):
            self._ticks = 100.0
        # The boot time turns the process's start (in ticks since boot) into Unix time. Read
        # once: without it (no /proc) every collect() is empty.
        try:
            self._btime = self._boot_time()
        except OSError:
            self._btime = 0
        if registry:
            registry.register(self)

    def _boot_time(self):
        with open(os.path.join(self._proc, "stat"), "rb") as f:
            for line in f:
                if line.startswith(b"btime "):
                    return float(line.split()[1])
        return None

    def collect(self):
        """The families this process's proc files give; none where they cannot be read."""
        if not self._btime:
            return []
        folder = os.path.join(self._proc, str(self._pid()).strip())
        families = []
        try:
            families.extend(self._stat(folder))
        except OSError:
            pass
        try:
            families.extend(self._fds(folder))
        except OSError:
            pass
        return families

    def _stat(self, folder):
        with open(os.path.join(folder, "stat"), "rb") as f:
            fields = f.read().split(b")")[-1].split()
        p = self._prefix
        cpu = (float(fields[_UTIME]) + float(fields[_STIME])) / self._ticks
        start = float(fields[_STARTTIME]) / self._ticks + self._btime
        return [
            GaugeMetricFamily(
                p + "virtual_memory_bytes",
                "Virtual memory size in bytes.",
                value=float(fields[_VSIZE]),
            ),
            GaugeMetricFamily(
                p + "resident_memory_bytes",
                "Resident memory size in bytes.",
                value=float(fields[_RSS]) * self._pagesize,
            ),
            GaugeMetricFamily(
                p + "start_time_seconds",
                "Start time of the process since unix epoch in seconds.",
                value=start,
            ),
            CounterMetricFamily(
                p + "cpu_seconds_total",
                "Total user and system CPU time spent in seconds.",
                value=cpu,
            ),
        ]

    def _fds(self, folder):
        # Both or neither when the limits file cannot be read, as client_python does.
        limit = None
        with open(os.path.join(folder, "limits"), "rb") as f:
            for line in f:
                if line.startswith(b"Max open file"):
                    limit = float(line.split()[3])  # "Max open files  SOFT  HARD  files"
                    break
        p = self._prefix
        families = [
            GaugeMetricFamily(
                p + "open_fds",
                "Number of open file descriptors.",
                value=len(os.listdir(os.path.join(folder, "fd"))),
            )
        ]
        if limit is not None:
            families.append(
                GaugeMetricFamily(
                    p + "max_fds", "Maximum number of open file descriptors.", value=limit
                )
            )
        return families


PROCESS_COLLECTOR = ProcessCollector()
"""This process, on the default REGISTRY."""
