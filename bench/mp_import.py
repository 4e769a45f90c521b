"""MicroPython: the memory one board scenario keeps and needs, in a fresh process.

    MICROPYPATH=<tree>:<harness> micropython -m mp_import [--romfs IMAGE] SCENARIO LEAVE [ARG ...]

Run compiled (mp_import.mpy in <harness>), so the figures are the library's, not this
script's compile. Prints "RESULT retained peak_delta peak_known time_us", micropython.qstr_info()'s
line before and after the scenario (the qstrs it adds), and "MODULES" with the package's
modules loaded at the end. LEAVE >= 0 first fills the heap (mp_heap.fill) so that only LEAVE
bytes stay free, in one block; a MemoryError then means the scenario needs more. ARG: the port
of the exporter scenarios, the modules the "all" scenario imports, the module of "module".
--romfs mounts IMAGE (a romfs image, MicroPython 1.25+) at /rom first, and the package must
then load from there. Runs under MicroPython only (portable subset).
"""

import gc
import sys
import time

import micropython
import mp_board
from mp_heap import fill

KEEP = []  # what a scenario keeps alive, as a board's main loop would
ROM = "/rom"


def _mount_romfs(path):
    # On a board the image is flash that `mpremote romfs deploy` wrote, mapped into the address
    # space. The unix port has no flash, so the image sits in RAM here: it is read before the
    # baseline, so its bytes count as flash, not as the scenario's heap. Modules loaded from it
    # use its bytecode, qstrs and constants in place.
    import vfs

    f = open(path, "rb")
    image = f.read()
    f.close()
    vfs.mount(vfs.VfsRom(image), ROM)
    sys.path.insert(0, ROM)
    return image


def _check_romfs():
    # A package found elsewhere on the path would measure the wrong install: fail, never report.
    loaded = [name for name in sys.modules if name.split(".")[0] == "prometheus_express"]
    if not loaded:
        raise SystemExit("mp_import: prometheus_express was not imported")
    for name in loaded:
        where = getattr(sys.modules[name], "__file__", "")
        if not where.startswith(ROM + "/"):
            raise SystemExit("mp_import: %s loaded from %r, not from %s" % (name, where, ROM))


def _discard(piece):
    pass


def ours_import(modules):
    import prometheus_express  # noqa: F401


def ours_typical(modules):
    KEEP.extend(mp_board.ours_typical())


def ours_exporter(modules):
    KEEP.extend(mp_board.ours_exporter(int(modules[0])))


def ours_all(modules):
    import prometheus_express as pe

    for name in modules:
        __import__(name)
    h = pe.Histogram("request_seconds", "Request time")
    h.observe(0.2)
    s = pe.Summary("read_seconds", "Sensor read time")
    s.observe(0.01)
    i = pe.Info("firmware", "Firmware build")
    i.info({"version": "1.2.0"})
    e = pe.Enum("wifi_state", "Wi-Fi state", states=["down", "up"])
    e.state("up")

    class Custom:
        def collect(self):
            yield pe.GaugeMetricFamily("custom_value", "From a custom collector", value=3)

    pe.REGISTRY.register(Custom())
    from prometheus_express.openmetrics.exposition import write_openmetrics

    write_openmetrics(_discard)
    pe.generate_latest()


def peer_import(modules):
    import prometheus_express  # noqa: F401


def peer_typical(modules):
    KEEP.extend(mp_board.peer_typical())


def peer_exporter(modules):
    KEEP.extend(mp_board.peer_exporter(int(modules[0])))


def module(modules):
    # Whether one module imports at all: run.py leaves broken ones out.
    __import__(modules[0])


SCENARIOS = {
    "ours_import": ours_import,
    "ours_typical": ours_typical,
    "ours_exporter": ours_exporter,
    "ours_all": ours_all,
    "peer_import": peer_import,
    "peer_typical": peer_typical,
    "peer_exporter": peer_exporter,
    "module": module,
}


def main():
    args = sys.argv[1:]
    image = None
    if args[0] == "--romfs":
        image = _mount_romfs(args[1])  # kept referenced: the mount uses it in place
        args = args[2:]
    scenario = SCENARIOS[args[0]]
    leave = int(args[1])
    modules = args[2:]
    ballast = fill(leave) if leave >= 0 else None
    gc.collect()
    micropython.qstr_info()
    base = gc.mem_alloc()
    # mem_peak() cannot be reset and counts m_malloc's bytes, so the peak's
    # baseline is the same counter's current value, not gc.mem_alloc().
    peak_before = micropython.mem_peak()
    current = micropython.mem_current()
    t0 = time.ticks_us()
    scenario(modules)
    t1 = time.ticks_us()
    peak = micropython.mem_peak()
    ballast = None  # noqa: F841  (it ran; now there is room to report)
    gc.collect()
    retained = gc.mem_alloc() - base
    # If the old peak (the script's own compile) was never passed, the true
    # growth is at most the figure printed.
    known = 1 if peak > peak_before else 0
    micropython.qstr_info()
    if image is not None:
        _check_romfs()
    print("RESULT", retained, peak - current, known, time.ticks_diff(t1, t0))
    loaded = [name for name in sys.modules if name.split(".")[0] == "prometheus_express"]
    loaded.sort()
    print("MODULES", " ".join(loaded))


if __name__ == "__main__":
    main()
