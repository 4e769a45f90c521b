"""Plain-text tables and goal lines for the bench.

table(["library", "us"], [["ours", "12.5"]])
"""

KB = 1024


def table(header, rows, indent="  "):
    """Print rows under header, first column left-aligned, the others right-aligned."""
    rows = [[str(c) for c in r] for r in [header] + rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        print(indent + "  ".join(cells).rstrip())


def ratio(a, b):
    return "%.1fx" % (a / b) if a and b else "n/a"


def verdict(ok):
    return "met" if ok else "NOT met"


def notes(*lines):
    for line in lines:
        print("  " + line)
