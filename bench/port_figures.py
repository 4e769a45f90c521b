"""Figures 2 and 3: the MicroPython unix port, each figure from fresh micropython processes.

    figure_imports(tree_sets); figure_render(tree)

The processes run bench/mp_import.py and bench/mp_render.py with MICROPYPATH set to exactly
one module tree (see trees.py), so .py and .mpy, ours and the peer, never mix. Figure 2's
romfs runs have no package on MICROPYPATH: mp_import.py mounts the romfs image at /rom.
"""

import os
import statistics
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import trees
from report import KB, notes, ratio, table, verdict

BENCH = Path(__file__).resolve().parent
REPEATS = 5  # processes per time figure; the median is kept


# -- MicroPython processes ------------------------------------------------------------------


def micropython(tree, script, args, heap=None):
    """Run a bench/ helper in a fresh micropython whose path is exactly tree (plus bench/)."""
    cmd = [trees.tool("micropython")]
    if heap:
        cmd += ["-X", "heapsize=%d" % heap]
    cmd += [str(BENCH / script)] + [str(a) for a in args]
    env = dict(os.environ, MICROPYPATH=str(tree))
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    lines = (proc.stdout + proc.stderr).splitlines()
    results = [line.split()[1:] for line in lines if line.startswith("RESULT")]
    # The unix port prints an uncaught exception to stdout: keep its last line.
    other = [line for line in lines if line.strip() and not line.startswith("RESULT")]
    return proc.returncode, results, (other or ["exit %d" % proc.returncode])[-1]


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


# -- Figure 2: import cost ------------------------------------------------------------------

KINDS = (".py", ".mpy", "romfs")  # the columns' installs; trees.py says which exist

IMPORT_ROWS = (
    ("import prometheus_express", "ours", "ours_import"),
    ("from prometheus_express import <API>", "ours", "ours_names"),
    ("typical board (Counter, Gauge, 1 scrape)", "ours", "ours_typical"),
    ("everything loaded and used", "ours", "ours_all"),
    ("0.0.4: import prometheus_express", "peer", "peer_import"),
    ("0.0.4: typical board", "peer", "peer_typical"),
    ("0.0.4: everything loaded", "peer", None),
)


def _mp_import(tree, args, heap=None):
    # A romfs image is a file: its folder holds nothing importable, the package comes from /rom.
    if tree.is_file():
        return micropython(tree.parent, "mp_import.py", ["--romfs", tree] + args, heap)
    return micropython(tree, "mp_import.py", args, heap)


# Modules that import a framework the user installs beside the library: left out, not an error.
NEEDS_FRAMEWORK = {"prometheus_express.integrations.httpserver": "adafruit_httpserver"}


def importable(tree, errors):
    """The package's modules that import on their own; the others are reported, not measured."""
    names = []
    for name in trees.modules(tree):
        if name in NEEDS_FRAMEWORK:
            continue
        code, _, err = micropython(tree, "mp_import.py", ["module", -1, name])
        if code == 0:
            names.append(name)
        else:
            errors.append(
                "import %s (%s tree) fails, left out of the scenarios: %s" % (name, tree.name, err)
            )
    return names


def import_cells(pair, scenario, modules, errors):
    """Kept, mem_peak growth, free heap needed and median time of a scenario, per tree."""
    args = [scenario, -1] + modules
    runs = {kind: [] for kind in pair}
    for _ in range(REPEATS):  # .py, .mpy and romfs alternate, so a busy machine slows all alike
        for kind, tree in pair.items():
            runs[kind].append(_mp_import(tree, args))
    return {kind: _cell(tree, scenario, modules, runs[kind], errors) for kind, tree in pair.items()}


def _cell(tree, scenario, modules, runs, errors):
    failed = [r for r in runs if r[0] != 0 or not r[1]]
    if failed:
        errors.append("%s from %s: %s" % (scenario, tree.name, failed[0][2]))
        return None
    kept, peak, known = (int(v) for v in runs[0][1][0][:3])

    def fits(leave):
        args = [scenario, leave] + modules
        code, results, err = _mp_import(tree, args, heap=KB * KB)
        if code != 0 and "MemoryError" not in err:
            raise RuntimeError(err)
        return code == 0 and bool(results)

    try:
        free = bisect(fits, 0, 4 * KB, 64)
    except RuntimeError as e:
        errors.append("%s from %s with ballast: %s" % (scenario, tree.name, e))
        free = None
    return {
        "kept": kept,
        "peak": ("%d" if known else "<=%d") % peak,
        "free": free,
        "time": statistics.median(int(r[1][0][3]) for r in runs),
    }


def figure_imports(tree_sets):
    print("Figure 2: MicroPython unix port (64-bit), import cost, a fresh process per figure")
    errors, cells = [], {}
    modules = {who: importable(ts[".mpy"], errors) for who, ts in tree_sets.items() if ts}
    for label, who, scenario in IMPORT_ROWS:
        pair = tree_sets[who] if scenario else {}
        got = import_cells(pair, scenario, modules.get(who), errors) if pair else {}
        for kind in KINDS:
            cells[label, kind] = got.get(kind)

    def col(label, key, kind):
        cell = cells[label, kind]
        return "n/a" if cell is None or cell[key] is None else cell[key]

    labels = [row[0] for row in IMPORT_ROWS]
    # romfs only when trees.py could build the image (mpremote installed).
    kinds = [kind for kind in KINDS if any(kind in ts for ts in tree_sets.values())]
    keys = ("kept", "peak", "free")
    header = ["bytes"] + ["%s %s" % (key, kind) for key in keys for kind in kinds]
    rows = [[label] + [col(label, key, kind) for key in keys for kind in kinds] for label in labels]
    table(header, rows)
    notes(
        "kept: gc.mem_alloc() growth, after gc.collect().",
        "peak: micropython.mem_peak() growth; this port also counts bytes since swept, so it is",
        "      an upper bound (<=: the script's own compile peak was never passed).",
        "free: the least free heap, in one block, the scenario runs in (ballast fills the rest).",
    )
    if "romfs" in kinds:
        notes(
            "romfs: ours only, the .mpy files in a romfs image mounted at /rom (MicroPython 1.25+,",
            "      `mpremote romfs deploy`): bytecode, qstrs and constants used in place, from",
            "      flash on a board (this port has none: the image is read into RAM before the",
            "      baseline and not counted).",
        )
    print()
    rows = []
    for label in labels:
        times = [col(label, "time", kind) for kind in kinds]
        py, mpy = times[:2]
        rows.append([label] + times + ["n/a" if "n/a" in (py, mpy) else ratio(py, mpy)])
    header = ["time, median of %d" % REPEATS] + ["us " + kind for kind in kinds] + [".py/.mpy"]
    table(header, rows)
    notes("time: the import alone in the first two rows, the whole scenario in the others.")
    for name, framework in sorted(NEEDS_FRAMEWORK.items()):
        notes("everything loaded: not %s, which needs %s installed beside it" % (name, framework))
    for label in labels[1::-1]:
        py, mpy = cells[label, ".py"], cells[label, ".mpy"]
        if py and mpy:
            r = py["time"] / mpy["time"]
            notes("%s: .py/.mpy time %.1fx   goal >= 5x: %s" % (label, r, verdict(r >= 5)))
    typical = cells[labels[2], ".mpy"]
    if typical:
        kept = typical["kept"]
        goal = verdict(kept <= 12 * KB)
        notes("typical board from .mpy keeps %.1f KB   goal <= 12 KB: %s" % (kept / KB, goal))
    typical = cells[labels[2], "romfs"]
    if typical:
        kept = typical["kept"]
        goal = verdict(kept <= 12 * KB)
        notes(
            "typical board from romfs keeps %.1f KB   goal <= 12 KB: %s" % (kept / KB, goal),
            "      (romfs install: MicroPython 1.25+ only; CircuitPython and circup installs load",
            "      .mpy files into RAM, so the .mpy line above is the headline)",
        )
    notes(*["ERROR " + e for e in errors])
    print()


# -- Figure 3: rendering memory ---------------------------------------------------------------

SIZES = (20, 200, 2000)


def _render(tree, args, heap):
    code, results, err = micropython(tree, "mp_render.py", args, heap=heap)
    if code != 0:
        raise RuntimeError("mp_render.py %s: %s" % (" ".join(map(str, args)), err))
    return {name: int(value) for name, value in results}


def _measure_all(tree):
    """mp_render.py's figures per N, then the least free heap for each way to render."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as workers:
        runs = workers.map(lambda n: _render(tree, [n, "measure"], 8 * KB * KB), SIZES)
        measured = dict(zip(SIZES, runs))
        jobs = {}
        for n, m in measured.items():
            # Heaps just big enough: every collection scans the whole heap, ballast included.
            heap = 2 * m["registry_bytes"] + 128 * KB
            jobs[n, "stream"] = workers.submit(_render, tree, [n, "stream", KB, 2 * KB, 64], heap)
            hi = m["page_mem_peak"] * 3 // 2
            args = [n, "page", hi // 2, hi, max(64, hi // 256)]
            jobs[n, "page"] = workers.submit(_render, tree, args, heap + 2 * m["page_mem_peak"])
        for (n, how), job in jobs.items():
            measured[n][how + "_free_needed"] = job.result()["free_needed"]
    return measured


def figure_render(tree):
    print("Figure 3: MicroPython unix port (64-bit), the heap one scrape needs, from .mpy, a fresh")
    print("          process per N: a Gauge with N labelled children, int and float values mixed")
    try:
        measured = _measure_all(tree)
    except RuntimeError as e:
        notes("ERROR %s" % e)
        print()
        return
    print("  write_text(sink), the sink copying into a 512 B buffer and flushing it when full;")
    print("  goal: peak live growth < 2 KB and flat across N")
    rows = []
    for n, m in measured.items():
        per = (m["stream_churn"] / n, m["sink_churn"] / n, m["pieces"] / n)
        rows.append([n, m["stream_peak_live"], m["stream_free_needed"]] + ["%.1f" % v for v in per])
    header = ["N", "peak live", "free needed", "alloc/series", "sink alloc/series", "pieces/series"]
    table(header, rows)
    notes(
        "peak live: max gc.mem_alloc() growth seen at each flush, after a gc.collect() there.",
        "free needed: the least free heap, in one block, a (second) scrape runs in; to 64 B.",
        "alloc/series: bytes allocated over the scrape (gc.disable()), per series, without the",
        "      sink's own memoryview per piece, shown apart (a socket's write would not need it).",
    )
    peaks = [m["stream_peak_live"] for m in measured.values()]
    ok = max(peaks) < 2 * KB and max(peaks) - min(peaks) <= 256
    notes(
        "peak live growth %d..%d B   goal < 2 KB and flat: %s"
        % (min(peaks), max(peaks), verdict(ok))
    )
    print()
    print("  generate_latest(), which builds the page, for contrast")
    rows = []
    for n, m in measured.items():
        keys = ("page_bytes", "page_live_before_join", "page_held", "page_free_needed")
        rows.append([n] + [m[k] for k in keys] + [m["page_mem_peak"]])
    table(["N", "page bytes", "live pre-join", "page held", "free needed", "mem_peak"], rows)
    notes(
        "live pre-join: growth seen when the last collector is asked, just before the join.",
        "page held: growth with the returned page kept. mem_peak: micropython.mem_peak() growth.",
        "free needed: as above, to 1/256 of the search range.",
    )
    first = measured[SIZES[0]]
    times = first["page_free_needed"] / first["stream_free_needed"]
    notes("free heap needed, generate_latest over write_text: %.0fx at N=%d" % (times, SIZES[0]))
    print()
