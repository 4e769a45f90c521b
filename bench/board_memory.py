"""Board scenarios (bench/mp_import.py) measured in fresh MicroPython unix port processes.

    harness = compile_harness(workdir)                  # mp_import.mpy and mp_heap.mpy
    run = scenario(micropython, tree, harness, "ours_typical")
    run.retained, run.qstrs, run.modules                # bytes kept, qstrs added, modules loaded
    smallest_heap(micropython, tree, harness, "ours")    # least -X heapsize, to 256 B

Shared by `make bench` (Figure 2) and tests/packaging/test_memory_budget.py, so the budget test
checks exactly the figures the bench prints. The harness runs compiled: its own compile would
otherwise be part of the heap a scenario needs. Every path a run sees is relative (see _stage):
paths are qstrs in RAM, and a figure must not depend on where the checkout lives.
"""

import os
import re
import socket
import subprocess
import zlib
from pathlib import Path

BENCH = Path(__file__).resolve().parent
HARNESS = ("mp_import", "mp_heap", "mp_board")
EXPORTERS = ("ours_exporter", "peer_exporter")  # they take a free port


def compile_harness(workdir, mpy_cross="mpy-cross"):
    """bench's scenario scripts compiled to .mpy into workdir/harness; returns that folder."""
    out = Path(workdir) / "harness"
    out.mkdir(parents=True, exist_ok=True)
    for name in HARNESS:
        source = name + ".py"  # -s: the same source name inside, wherever bench/ is
        cmd = [mpy_cross, "-o", str(out / (name + ".mpy")), "-s", source, str(BENCH / source)]
        subprocess.run(cmd, check=True, capture_output=True)
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Run:
    """What one scenario process printed."""

    def __init__(self, code, output, done="RESULT"):
        self.code = code
        self.output = output
        lines = output.splitlines()
        self.ok = code == 0 and any(line.startswith(done) for line in lines)
        results = [line.split()[1:] for line in lines if line.startswith("RESULT")]
        values = [int(v) for v in results[0]] if results else [None] * 4
        self.retained, self.peak, self.peak_known, self.time_us = values
        counts = [int(n) for n in re.findall(r"n_qstr=(\d+)", output)]
        self.qstrs = counts[-1] - counts[0] if len(counts) >= 2 else None
        found = [line.split()[1:] for line in lines if line.startswith("MODULES")]
        self.modules = found[0] if found else []
        # The unix port prints an uncaught exception to stdout: keep its last line.
        other = [
            line
            for line in lines
            if line.strip() and not line.startswith(("RESULT", "MODULES", "qstr pool", "ANSWERED"))
        ]
        self.error = (other or ["exit %d" % code])[-1]


def _stage(tree, harness):
    """A folder holding the harness and the tree's package side by side (links), to run in."""
    # MICROPYPATH's entries, every module's __file__ and the arguments are qstrs: run from
    # here with an empty MICROPYPATH, `-m` finds both in the current folder by short relative
    # paths, as a board finds /lib/..., and the figures do not depend on where the checkout or
    # the temporary folders are.
    tree = Path(tree)
    stage = Path(harness).parent / ("stage-%08x" % zlib.crc32(str(tree.resolve()).encode()))
    if not stage.exists():
        stage.mkdir()
        for f in sorted(Path(harness).iterdir()):
            (stage / f.name).symlink_to(f.resolve())
        package = tree / "prometheus_express"
        if package.is_dir():
            (stage / package.name).symlink_to(package.resolve())
        for image in sorted(tree.glob("*.romfs")):  # a romfs run's package, mounted at /rom
            (stage / image.name).symlink_to(image.resolve())
    return stage


def _micropython(cmd, tree, harness):
    env = dict(os.environ, MICROPYPATH="")
    try:
        proc = subprocess.run(
            cmd, env=env, cwd=str(_stage(tree, harness)), capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired as e:  # never a board's answer: report it as a failure
        return -1, "TIMEOUT after %s s" % e.timeout
    return proc.returncode, proc.stdout + proc.stderr


def scenario(micropython, tree, harness, name, leave=-1, args=(), heap=None, romfs=None):
    """Run one scenario in a fresh process; tree is the folder holding the package."""
    cmd = [str(micropython)]
    if heap:
        cmd += ["-X", "heapsize=%d" % heap]
    cmd += ["-m", "mp_import"]
    if romfs is not None:  # an image in the tree's folder, linked into the stage
        cmd += ["--romfs", Path(romfs).name]
    if name in EXPORTERS and not args:
        args = (free_port(),)
    cmd += [name, str(leave)] + [str(a) for a in args]
    return Run(*_micropython(cmd, tree, harness))


def completes(run):
    """Whether a run completed; False if it ran out of memory, RuntimeError for other failures."""
    # The exporter drops a request it has no memory for (and serves on): the scrape then
    # gets no answer.
    if not run.ok and "MemoryError" not in run.output and "NO ANSWER" not in run.output:
        raise RuntimeError(run.error)
    return run.ok


def completes_in(micropython, tree, harness, who, heap):
    """Whether the exporter board program (bench/mp_board.py, ours or peer) completes its
    scrape with an -X heapsize of heap bytes."""
    cmd = [str(micropython), "-X", "heapsize=%d" % heap, "-m", "mp_board", who]
    cmd.append(str(free_port()))
    return completes(Run(*_micropython(cmd, tree, harness), done="ANSWERED"))


def smallest_heap(micropython, tree, harness, who, step=256):
    """The least -X heapsize, to within step bytes, in which the exporter board program
    completes its scrape. Fragmentation makes this a little uneven: a few hundred bytes more
    can fail where less completed, so the bisection's answer is a figure, not a guarantee."""

    def fits(heap):
        return completes_in(micropython, tree, harness, who, heap)

    return bisect(fits, 4096, 16384, step)


def bisect(fits, lo, hi, step, cap=1 << 24):
    """The least value in (lo, hi] for which fits() holds, to within step; None past cap."""
    while not fits(hi):
        lo, hi = hi, hi * 2
        if hi > cap:
            return None
    while hi - lo > step:
        mid = (lo + hi) // 2
        if fits(mid):
            hi = mid
        else:
            lo = mid
    return hi
