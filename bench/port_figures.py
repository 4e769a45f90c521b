"""Figures 2 and 3: the MicroPython unix port, each figure from fresh micropython processes.

    figure_imports(tree_sets); rendered = figure_render(tree)

The processes run bench/mp_import.py (compiled, see board_memory.py) and bench/mp_render.py
with MICROPYPATH set to exactly one module tree (see trees.py), so .py and .mpy, ours and the
peer, never mix. Figure 2's romfs runs have no package on MICROPYPATH: mp_import.py mounts the
romfs image at /rom.
"""

import os
import statistics
import subprocess
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import board_memory
import trees
from report import KB, notes, ratio, table

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


# -- Figure 2: board memory --------------------------------------------------------------------

KINDS = (".py", ".mpy", "romfs")  # the columns' installs; trees.py says which exist

# (label, our scenario, 0.0.4's scenario): the four stages of a board's program.
STAGES = (
    ("import prometheus_express", "ours_import", "peer_import"),
    ("typical board", "ours_typical", "peer_typical"),
    ("exporter board", "ours_exporter", "peer_exporter"),
    ("everything loaded and used", "ours_all", None),
)
# What a 32-bit build of MicroPython keeps of the same program, over the 64-bit port's figure
# (measured: 0.71 for import and the typical board, 0.73 for the exporter board and its least
# heap). Words take 4 bytes there, not 8; bytecode and strings keep their size.
BITS_32 = 0.71

# Modules that import a framework the user installs beside the library: left out, not an error.
NEEDS_FRAMEWORK = {"prometheus_express.integrations.httpserver": "adafruit_httpserver"}


def _run(harness, tree, name, args=(), leave=-1, heap=None):
    mp = trees.tool("micropython")
    # A romfs image is a file: its folder holds nothing importable, the package comes from /rom.
    if tree.is_file():
        return board_memory.scenario(mp, tree.parent, harness, name, leave, args, heap, tree)
    return board_memory.scenario(mp, tree, harness, name, leave, args, heap)


# What a board refuses by design: client_python's CPython helpers say "runs on CPython only";
# start_http_server's thread needs the threading module, which the ports do not have.
REFUSALS = ("runs on CPython only", "no module named 'threading'")
CPYTHON_ONLY = set()  # filled by importable(): left out of "everything", and said so


def importable(harness, tree, errors):
    """The package's modules that import on their own; the others are reported, not measured."""
    names = []
    for name in trees.modules(tree):
        if name in NEEDS_FRAMEWORK:
            continue
        run = _run(harness, tree, "module", [name])
        if run.ok:
            names.append(name)
        elif "ImportError" in run.error and any(r in run.error for r in REFUSALS):
            CPYTHON_ONLY.add(name)
        else:
            errors.append(
                "import %s (%s tree) fails, left out of the scenarios: %s"
                % (name, tree.name, run.error)
            )
    return names


def _cell(harness, tree, name, args, errors):
    """Kept, qstrs, peak, free heap needed and median time of a scenario, or None."""
    runs = [_run(harness, tree, name, args) for _ in range(REPEATS)]
    failed = [r for r in runs if not r.ok]
    if failed:
        errors.append("%s from %s: %s" % (name, tree.name, failed[0].error))
        return None
    first = runs[0]

    def fits(leave):
        return board_memory.completes(_run(harness, tree, name, args, leave, heap=KB * KB))

    try:
        free = board_memory.bisect(fits, 0, 4 * KB, 64)
    except RuntimeError as e:
        errors.append("%s from %s with ballast: %s" % (name, tree.name, e))
        free = None
    return {
        "kept": first.retained,
        "qstrs": first.qstrs,
        "peak": ("%d" if first.peak_known else "<=%d") % first.peak,
        "free": free,
        "time": statistics.median(r.time_us for r in runs),
    }


def figure_imports(tree_sets):
    """Figure 2: what each stage of a board's program keeps, ours beside 0.0.4's."""
    harness = tree_sets["harness"]
    runtime, bits = trees.micropython_runtime()
    print("Figure 2: board memory, %s" % runtime)
    print("          ours against prometheus_express 0.0.4 (2019), a fresh process per figure")
    errors, cells = [], {}
    ours, peer = tree_sets["ours"], tree_sets["peer"]
    everything = importable(harness, ours[".mpy"], errors)
    kinds = [kind for kind in KINDS if kind in ours]
    for label, mine, theirs in STAGES:
        args = everything if mine == "ours_all" else ()
        for kind in kinds:
            cells[label, "ours", kind] = _cell(harness, ours[kind], mine, args, errors)
        for kind in (".py", ".mpy"):
            got = _cell(harness, peer[kind], theirs, (), errors) if theirs and peer else None
            cells[label, "peer", kind] = got

    def col(label, who, kind, key):
        cell = cells.get((label, who, kind))
        return "n/a" if cell is None or cell[key] is None else cell[key]

    def kb(value):
        return value if value == "n/a" else "%.1f" % (value / KB)

    rows = []
    for label, _, _ in STAGES:
        mine, theirs = col(label, "ours", ".mpy", "kept"), col(label, "peer", ".mpy", "kept")
        rows.append(
            [label]
            + [kb(col(label, "ours", kind, "kept")) for kind in kinds]
            + [col(label, "ours", ".mpy", "qstrs")]
            + [kb(col(label, "peer", kind, "kept")) for kind in (".py", ".mpy")]
            + [col(label, "peer", ".mpy", "qstrs")]
            + ["n/a" if "n/a" in (mine, theirs) else ratio(mine, theirs)]
        )
    header = (
        ["KB kept"]
        + ["ours %s" % kind for kind in kinds]
        + ["qstrs"]
        + ["0.0.4 .py", "0.0.4 .mpy", "qstrs", "ours/0.0.4 .mpy"]
    )
    table(header, rows)
    notes(
        "typical board: import, a Counter, a Gauge with one labelled child, generate_latest().",
        "exporter board: the same, then MetricsServer answering one scrape with Prometheus'",
        "      Accept header (OpenMetrics) through poll(); 0.0.4: its Server and Router.",
        "KB kept: gc.mem_alloc() growth after gc.collect(), the scenario's objects still alive.",
        "qstrs: interned names and strings the stage adds (micropython.qstr_info()); the",
        "      interpreter's qstr pools grow by doubling, and the stage that fills one pays for",
        "      the next table (2.3 KB for 320 entries on 32-bit, 3.5 KB here).",
        "0.0.4 loads everything on import: its 'everything' row is its exporter board.",
        "ours/0.0.4 .mpy: what ours keeps over what 0.0.4 keeps; above 1x ours keeps more.",
    )
    if "romfs" in kinds:
        notes(
            "romfs: the .mpy files in a romfs image mounted at /rom (MicroPython 1.25+,",
            "      `mpremote romfs deploy`): bytecode, qstrs and constants used in place, from",
            "      flash on a board (this port has none: the image is read into RAM before the",
            "      baseline and not counted). CircuitPython and circup installs load .mpy files",
            "      into RAM, so the .mpy column is the headline.",
        )
    heaps = {}
    for who in ("ours", "peer"):
        if tree_sets[who]:
            try:
                tree = tree_sets[who][".mpy"]
                mp = trees.tool("micropython")
                heaps[who] = board_memory.smallest_heap(mp, tree, harness, who)
            except RuntimeError as e:
                errors.append("smallest heap of the %s exporter board: %s" % (who, e))
    _board_summary(cells, heaps, bits)
    print()
    rows = []
    for label, _, _ in STAGES:
        free = [col(label, "ours", kind, "free") for kind in kinds]
        peak = [col(label, "ours", kind, "peak") for kind in kinds]
        rows.append([label] + free + peak + [col(label, "peer", ".mpy", "free")])
    header = (
        ["bytes"] + ["free %s" % k for k in kinds] + ["peak %s" % k for k in kinds] + ["0.0.4 free"]
    )
    table(header, rows)
    notes(
        "free: the least free heap, in one block, the stage runs in (ballast fills the rest):",
        "      what a board must have free for it, lower is better.",
        "peak: micropython.mem_peak() growth; this port also counts bytes since swept, so it is",
        "      an upper bound (<=: the harness's own peak was never passed).",
    )
    print()
    rows = []
    for label, _, _ in STAGES:
        times = [col(label, "ours", kind, "time") for kind in kinds]
        py, mpy = times[:2]
        rows.append([label] + times + ["n/a" if "n/a" in (py, mpy) else ratio(py, mpy)])
    header = ["time, median of %d" % REPEATS] + ["us " + kind for kind in kinds] + [".py/.mpy"]
    table(header, rows)
    notes(
        "time: the whole stage, imports included, lower is better. .py/.mpy: the .py time over",
        "      the .mpy time; above 1x the .mpy files are faster (a board compiles a .py file at",
        "      every import, in its heap).",
    )
    for name, framework in sorted(NEEDS_FRAMEWORK.items()):
        short = name.split(".", 1)[1]
        notes("everything loaded: not %s, which needs %s beside it." % (short, framework))
    if CPYTHON_ONLY:
        names = ", ".join(sorted(n.rsplit(".", 1)[-1] for n in CPYTHON_ONLY))
        text = "everything loaded: not the CPython-only modules, which refuse a board: " + names
        notes(*textwrap.wrap(text + ".", 90, subsequent_indent="      "))
    label = STAGES[0][0]
    py, mpy = cells.get((label, "ours", ".py")), cells.get((label, "ours", ".mpy"))
    if py and mpy and py["free"] and mpy["free"]:
        notes(
            "%s from .mpy: %s faster than from .py, in %s less free heap."
            % (label, ratio(py["time"], mpy["time"]), ratio(py["free"], mpy["free"]))
        )
    notes(*["ERROR " + e for e in errors])
    print()


def _board_summary(cells, heaps, bits):
    """What Figure 2 means for a board: the .mpy figures, and about what a 32-bit board needs."""

    def row(label, mine, theirs):
        sizes = [mine] + ([mine * BITS_32] if bits == 64 else []) + [theirs]
        kb = ["n/a" if not size else "%.1f KB" % (size / KB) for size in sizes]
        return [label] + kb + [ratio(mine, theirs)]

    rows = []
    for label in ("typical board", "exporter board"):
        mine, theirs = cells.get((label, "ours", ".mpy")), cells.get((label, "peer", ".mpy"))
        if mine:
            rows.append(row(label + " keeps", mine["kept"], theirs and theirs["kept"]))
    if heaps.get("ours"):
        rows.append(row("exporter board least heap", heaps["ours"], heaps.get("peer")))
    if not rows:
        return
    here = ["%d-bit" % bits] if bits else ["this port"]
    header = ["on a board, from .mpy"] + here + (["32-bit, about"] if bits == 64 else [])
    print()
    table(header + ["0.0.4 " + here[0], "ours/0.0.4"], rows)
    if bits == 64:
        notes(
            "32-bit, about: %.2fx the 64-bit figure, the ratio measured on a 32-bit build of"
            % BITS_32,
            "      MicroPython (words take 4 bytes there, not 8, as on a board).",
        )
    notes(
        "exporter board keeps: after answering its first scrape. least heap: the least",
        "      -X heapsize its whole program (bench/mp_board.py) completes a scrape in, so",
        "      about the free heap a board needs to run it.",
    )


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
    print("Figure 3: the heap one scrape needs, %s" % trees.micropython_runtime()[0])
    print("          from .mpy, a fresh process per N: a Gauge with N labelled children,")
    print("          int and float values mixed")
    try:
        measured = _measure_all(tree)
    except RuntimeError as e:
        notes("ERROR %s" % e)
        print()
        return None
    print("  write_text(sink), streamed as the exporter streams a scrape: the sink copies each")
    print("  piece into a 512 B buffer and flushes it when full")
    rows = []
    for n, m in measured.items():
        per = (m["stream_churn"] / n, m["sink_churn"] / n, m["pieces"] / n)
        rows.append([n, m["stream_peak_live"], m["stream_free_needed"]] + ["%.1f" % v for v in per])
    header = ["N", "peak live", "free needed", "alloc/series", "sink alloc/series", "pieces/series"]
    table(header, rows)
    notes(
        "peak live: max gc.mem_alloc() growth seen at each flush, after a gc.collect() there.",
        "free needed: the least free heap, in one block, a (second) scrape runs in, to 64 B:",
        "      what a board must keep free for its scrapes, lower is better.",
        "alloc/series: bytes allocated over the scrape (gc.disable()), per series, without the",
        "      sink's own memoryview per piece, shown apart (a socket's write would not need it).",
    )
    peaks = [m["stream_peak_live"] for m in measured.values()]
    first, last = measured[SIZES[0]], measured[SIZES[-1]]
    grows = ratio(last["stream_free_needed"], first["stream_free_needed"])
    notes(
        "peak live growth: %d..%d B for N=%d..%d." % (min(peaks), max(peaks), SIZES[0], SIZES[-1]),
        "free needed, N=%d over N=%d: %s (1x: a board's scrape does not grow with its series)."
        % (SIZES[-1], SIZES[0], grows),
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
    notes(
        "free heap needed, generate_latest over write_text: %s at N=%d, %s at N=%d: the whole"
        % (_over(first), SIZES[0], _over(last), SIZES[-1]),
        "      page and the pieces it joins are in RAM at once, so the heap grows with the series.",
    )
    print()
    return measured  # Figure 6 sets a send beside these


def _over(m):
    """generate_latest's free heap needed over write_text's, for one N."""
    return "%.0fx" % (m["page_free_needed"] / m["stream_free_needed"])
