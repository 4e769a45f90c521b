"""Run plain `def test_*():` functions on the MicroPython unix port and on CPython.

    MICROPYPATH=.:.frozen micropython tests/mpy_runner.py [--mpy PACKAGE] [test_module ...]

With no module names, runs every tests/test_*.py beside this file. The caller puts the library
on sys.path (MICROPYPATH, PYTHONPATH). `--mpy PACKAGE` also fails the run unless PACKAGE was
imported, and imported from .mpy files (empty .py files, copied by build/compile.py, are allowed).
Every run also checks how failures are printed where neither traceback nor
sys.print_exception exists.
"""

import gc
import os
import sys


def _here():
    # MicroPython has no os.path: split by hand.
    i = __file__.rfind("/")
    return __file__[:i] if i > 0 else "."


def _discover(folder):
    names = []
    for name in os.listdir(folder):
        if name.startswith("test_") and name.endswith(".py"):
            names.append(name[:-3])
    names.sort()
    return names


def _module_name(arg):
    # Accept "test_x", "test_x.py" or "tests/test_x.py".
    i = arg.rfind("/")
    if i >= 0:
        folder = arg[:i] or "/"
        if folder not in sys.path:
            sys.path.insert(0, folder)
        arg = arg[i + 1 :]
    if arg.endswith(".py"):
        arg = arg[:-3]
    return arg


def _print_type_and_args(e, write=print):
    # No traceback to print: the FAIL line above already names the test.
    write("%s: %r" % (type(e).__name__, e.args))


def _exception_printer(system, load):
    """The function that prints an exception here: sys.print_exception (MicroPython),
    traceback's (CPython, most CircuitPython builds), else the exception's type and args
    (some CircuitPython builds have neither)."""
    print_exception = getattr(system, "print_exception", None)
    if print_exception is not None:
        return print_exception
    try:
        traceback = load("traceback")
    except ImportError:
        return _print_type_and_args

    def print_traceback(e):
        traceback.print_exception(type(e), e, getattr(e, "__traceback__", None))

    return print_traceback


_print_exception = _exception_printer(sys, __import__)


class _Bare:
    pass  # a sys without print_exception


def _no_module(name):
    raise ImportError("no module named '%s'" % name)


def _check_fallback():
    """A problem unless failures can still be printed where neither sys.print_exception nor
    traceback exists. Checked on every run: no runtime here lacks both."""
    try:
        printer = _exception_printer(_Bare(), _no_module)
        out = []
        try:
            raise ValueError("boom", 3)
        except ValueError as e:
            printer(e, out.append)
    except Exception as e:
        return ["the fallback exception printer raised %r" % (e,)]
    if out != ["ValueError: ('boom', 3)"]:
        return ["the fallback exception printer wrote %r" % (out,)]
    return []


def _run_module(name):
    passed = failed = 0
    try:
        module = __import__(name)
    except Exception as e:
        print("FAIL %s (import)" % name)
        _print_exception(e)
        return 0, 1
    for attr in sorted(dir(module)):
        func = getattr(module, attr)
        if not attr.startswith("test_") or not callable(func):
            continue
        gc.collect()
        try:
            func()
            passed += 1
        except Exception as e:
            failed += 1
            print("FAIL %s.%s: %r" % (name, attr, e))
            _print_exception(e)
    return passed, failed


def _check_mpy(package):
    """Return a list of problems unless `package` and its submodules came from .mpy files."""
    problems = []
    found = 0
    for name in sorted(sys.modules):
        if name != package and not name.startswith(package + "."):
            continue
        found += 1
        path = getattr(sys.modules[name], "__file__", None)
        if path is None or path.endswith(".mpy"):
            continue
        if path.endswith(".py") and os.stat(path)[6] == 0:
            continue  # empty file, copied instead of compiled
        problems.append("%s was imported from %s, not .mpy" % (name, path))
    if not found:
        problems.append("%s was never imported" % package)
    return problems


def main(argv):
    mpy_package = None
    if len(argv) > 1 and argv[0] == "--mpy":
        mpy_package = argv[1]
        argv = argv[2:]
    names = [_module_name(a) for a in argv] or _discover(_here())
    passed = failed = 0
    for problem in _check_fallback():
        print("FAIL " + problem)
        failed += 1
    for name in names:
        p, f = _run_module(name)
        passed += p
        failed += f
    if mpy_package:
        for problem in _check_mpy(mpy_package):
            print("FAIL " + problem)
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
