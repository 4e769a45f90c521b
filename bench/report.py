"""Plain-text tables and the notes under them, for the bench.

table(["library", "us"], [["ours", "12.5"]])
notes("us: time per call, lower is better")
"""

import importlib.metadata
import sys

KB = 1024


def cpython():
    """This interpreter, as a figure's heading names it: "CPython 3.11.7"."""
    return "CPython %d.%d.%d" % sys.version_info[:3]


def version(distribution):
    """An installed distribution's version, or "(not installed)"."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def table(header, rows, indent="  "):
    """Print rows under header, first column left-aligned, the others right-aligned."""
    rows = [[str(c) for c in r] for r in [header] + rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        print(indent + "  ".join(cells).rstrip())


def ratio(a, b):
    return "%.1fx" % (a / b) if a and b else "n/a"


def notes(*lines):
    for line in lines:
        print("  " + line)
