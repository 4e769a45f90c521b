"""Every release artifact into dist/, then the table of them (`make bundle`).

    .venv/bin/python build/bundle.py [--version X.Y.Z] [--mpy-cross 9.x=PATH ...]
        [--mpy-cross-dir DIR] [--out dist]

One version for all (build/version.py, or --version); in dist/:
- CircuitPython, by circuitpython-build-tools (build/circuitpython.py): <prefix>-py-V.zip,
  <prefix>-{9.x,10.x,11.x}-mpy-V.zip, <prefix>-examples-V.zip, <prefix>-V.json;
- MicroPython (build/compile.py, build/micropython.py): mpy/micropython/, the .mpy zip, the mip
  package json and the module files it names;
- CPython (build/wheel.py): the wheel.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import artifacts
import circuitpython
import compile as compile_mpy
import micropython
import project
import version as versioning
import wheel

ROOT = project.ROOT


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", help="x.y.z; default: from the git tag (build/version.py)")
    parser.add_argument("--mpy-cross", action="append", metavar="MAJOR=PATH", help="repeatable")
    parser.add_argument("--mpy-cross-dir", help="folder with mpy-cross-9.x, ...")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--quiet", action="store_true", help="no tables of files and sizes (make test)"
    )
    args = parser.parse_args()
    try:
        version_text = versioning.check(args.version) if args.version else versioning.version()
    except ValueError as e:
        sys.exit("bundle: %s" % e)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    # Artifacts of an earlier version must not linger next to these ones, nor the scratch folders
    # earlier builds kept here (mpy/, .work/, now in .build/).
    for path in out.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    print("== version %s" % version_text)

    print("== MicroPython .mpy (build/compile.py)")
    config = project.load()
    with tempfile.TemporaryDirectory() as tmp:
        src = ROOT / config["package"]
        compile_mpy.build(
            src, project.SCRATCH / "mpy", ["micropython"], Path(tmp), version_text, not args.quiet
        )

    print("== CircuitPython bundles (circuitpython-build-bundles)")
    # Only the compilers passed: a user's circuitpython-build-tools cache is not looked at, so
    # the same command gives the same artifacts on any machine.
    given_dir = args.mpy_cross_dir
    given = circuitpython.parse_given(args.mpy_cross)
    work = project.SCRATCH / "work"  # the tool's cache and staging repository, the wheel's copy
    cp_work = work / "circuitpython"
    _, compilers = circuitpython.build(out, version_text, given, given_dir, cp_work)
    for name, about in compilers.items():
        print("mpy-cross %s: %s" % (name, about))

    print("== MicroPython zip and mip package")
    micropython.build(out, version_text, project.MPY_TREE)

    print("== CPython wheel and sdist")
    wheel.build(out, version_text, work / "wheel")

    if not args.quiet:
        print("== artifacts (version %s)" % version_text)
        artifacts.print_table(out)


if __name__ == "__main__":
    main()
