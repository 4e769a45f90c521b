"""The table `make bundle` ends with: every artifact in dist/, its files, .mpy and .py bytes.

    .venv/bin/python build/artifacts.py [dist]

"files" and the byte counts are the library's own files (uncompressed); examples and
requirements in the zips are left out, except in the examples zip, which holds nothing else.
"""

import json
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAD = ("target", "artifact", "files", ".mpy bytes", ".py bytes", "size")
# Row order: the CircuitPython bundles as circup sees them, then MicroPython, then CPython.
_ORDER = ("CircuitPython .py", "CircuitPython", "examples", "circup", "MicroPython", "CPython")


def _is_mip(name):
    return "-micropython-" in name and name.endswith(".json")


def _target(name):
    # prometheus-express-9.x-mpy-1.2.0.zip -> "CircuitPython 9.x", and so on.
    if name.endswith(".whl"):
        return "CPython (pip)"
    if name.endswith(".tar.gz"):
        return "CPython (sdist)"
    if "-micropython-" in name:
        return "MicroPython (mip)" if name.endswith(".json") else "MicroPython (zip)"
    for part in name.split("-"):
        if part.endswith(".x"):
            return "CircuitPython " + part
    if "-py-" in name:
        return "CircuitPython .py"
    if "-examples-" in name:
        return "examples"
    return "circup bundle json" if name.endswith(".json") else "?"


def _entries(path, dist):
    """[(name inside, bytes)] of a zip, a wheel, an sdist or a mip package's files; None
    otherwise."""
    if path.suffix in (".zip", ".whl"):
        with zipfile.ZipFile(path) as z:
            return [(i.filename, i.file_size) for i in z.infolist() if not i.is_dir()]
    if path.name.endswith(".tar.gz"):
        with tarfile.open(path) as t:
            return [(i.name, i.size) for i in t.getmembers() if i.isfile()]
    if _is_mip(path.name):
        urls = json.loads(path.read_text(encoding="utf-8"))["urls"]
        return [(dest, (dist / src).stat().st_size) for dest, src in urls]
    return None


def row(path, dist):
    """(target, artifact, files, .mpy bytes, .py bytes, size) for one artifact."""
    entries = _entries(path, dist)
    name = path.name
    size = path.stat().st_size
    if entries is None:
        return _target(name), name, 1, 0, 0, size
    if "-examples-" not in name:
        entries = [e for e in entries if "examples/" not in e[0] and "requirements/" not in e[0]]
    entries = [e for e in entries if e[0].endswith((".py", ".mpy"))]
    mpy = sum(s for n, s in entries if n.endswith(".mpy"))
    py = sum(s for n, s in entries if n.endswith(".py"))
    if _is_mip(name):
        # The module files it names sit next to it in dist/ and are counted here.
        size += sum(s for _, s in entries)
        name += " (+%d files)" % len(entries)
    return _target(path.name), name, len(entries), mpy, py, size


def rows(dist):
    """A row for every artifact in dist/; the files a mip package names count in its row."""
    found = sorted(p for p in dist.iterdir() if p.is_file())
    named = set()
    for path in found:
        if _is_mip(path.name):
            urls = json.loads(path.read_text(encoding="utf-8"))["urls"]
            named.update(src for _, src in urls)
    table = [row(p, dist) for p in found if p.name not in named]

    def rank(r):
        first = next(i for i, t in enumerate(_ORDER + ("",)) if r[0].startswith(t))
        major = r[0].split()[-1].split(".")[0]
        return first, int(major) if major.isdigit() else 0, r[1]

    return sorted(table, key=rank)


def print_table(dist):
    table = rows(dist)
    widths = [max(len(str(r[i])) for r in table + [HEAD]) for i in range(len(HEAD))]
    line = "  ".join(("%-*s" if i < 2 else "%*s") for i in range(len(HEAD)))
    print(line % sum(zip(widths, HEAD), ()))
    for r in table:
        print(line % sum(zip(widths, r), ()))
    print("%d artifacts in %s" % (len(table), dist))
    sources = [r for r in table if r[0] == "CircuitPython .py"]
    compiled = [r for r in table if r[0].startswith("MicroPython (zip")]
    if sources and compiled:
        py, mpy = sources[0][4], compiled[0][3]
        print("library: %d bytes of .py, %d bytes of .mpy (%d%%)" % (py, mpy, 100 * mpy // py))


if __name__ == "__main__":
    print_table(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist")
