"""Reject library code outside the Python subset that MicroPython and CircuitPython both run.

    .venv/bin/python build/check_subset.py [prometheus_express]

The rules are those of docs/platforms.md ("The language subset every runtime runs"). A line that
must break one on purpose can say so with a `# subset: ok` comment.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# CPython-only exception names: MicroPython raises OSError, and these raise NameError there.
_CPYTHON_ONLY_NAMES = {
    "BlockingIOError",
    "BrokenPipeError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "InterruptedError",
    "TimeoutError",
}


def _problems(tree, is_package_init):
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            yield node, "f-string (missing on some MicroPython builds): use % or str.format"
        elif isinstance(node, ast.AnnAssign) or (
            isinstance(node, ast.arg) and node.annotation is not None
        ):
            yield node, "annotation: keep type hints out of library code"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.returns is not None:
                yield node, "return annotation: keep type hints out of library code"
            if node.name == "__del__":
                yield node, "__del__ is never called on MicroPython: close resources in finally"
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            if "typing" in names:
                yield node, "typing import: not available on MicroPython/CircuitPython"
        elif isinstance(node, ast.Match):
            yield node, "match statement: not supported by MicroPython"
        elif isinstance(node, ast.Name) and node.id in _CPYTHON_ONLY_NAMES:
            yield node, "%s is a NameError on MicroPython: catch OSError, check errno" % node.id
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            if node.id == "__slots__":
                yield node, "__slots__ is ignored on MicroPython"
            elif node.id == "__all__" and is_package_init:
                yield node, "__all__ in a package __init__ is not supported everywhere"


def check(path, rel):
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, str(path))
    found = []
    problems = sorted(_problems(tree, path.name == "__init__.py"), key=lambda p: p[0].lineno)
    for node, message in problems:
        line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
        entry = "%s:%d: %s" % (rel, node.lineno, message)
        # A format spec is a nested f-string: report each line and message once.
        if "subset: ok" not in line and entry not in found:
            found.append(entry)
    return found


def main(argv):
    src = Path(argv[0]) if argv else ROOT / "prometheus_express"
    if not src.is_dir():
        sys.exit("check_subset: %s not found" % src)
    found = []
    files = sorted(src.rglob("*.py"))
    for path in files:
        found.extend(check(path, path.relative_to(src.parent).as_posix()))
    for line in found:
        print(line)
    print("check_subset: %d files, %d problems" % (len(files), len(found)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
