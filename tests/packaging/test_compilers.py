"""The compilers behind the CircuitPython bundles: the offline stand-in, or real ones if given."""

import os
import subprocess
import sys
from pathlib import Path

_ASYNC_SOURCES = (
    "async def f():\n    pass\n",
    "def f(x):\n    return x\nasync def g():\n    await f(1)\n",
    "class A:\n    async def run(self):\n        async with self:\n            pass\n",
    "async def f(it):\n    async for x in it:\n        pass\n",
)


def _offline(tools, *args):
    script = tools.ROOT / "build" / "cp_mpy_cross.py"
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True)


# NAME.circuitpython-9.2.9 and -10.2.1: what CircuitPython's own mpy-cross of that version wrote
# for NAME.py (`-s NAME.py NAME.py`), beside it: what the offline stand-in must match, or refuse.
SAMPLES = Path(__file__).resolve().parent / "data" / "mpy_cross"
CIRCUITPYTHON = ("9.2.9", "10.2.1")


def _offline_compile(tools, tmp_path, name):
    out = tmp_path / (name + ".mpy")
    proc = _offline(tools, "-o", str(out), "-s", name + ".py", str(SAMPLES / (name + ".py")))
    return proc, out


def test_offline_compiler_writes_what_circuitpython_writes(tools, tmp_path):
    """sample.py holds the constructs the library is written with."""
    proc, out = _offline_compile(tools, tmp_path, "sample")
    assert proc.returncode == 0, proc.stderr
    for version in CIRCUITPYTHON:
        expected = (SAMPLES / ("sample.circuitpython-%s" % version)).read_bytes()
        assert out.read_bytes() == expected, "differs from CircuitPython %s's" % version


def test_offline_compiler_refuses_what_circuitpython_writes_differently(tools, tmp_path):
    # Why it refuses: MicroPython's bytes, header aside, are not CircuitPython's.
    for name, differs in (("sample_float", ("9.2.9",)), ("sample_async", CIRCUITPYTHON)):
        source = (SAMPLES / (name + ".py")).read_bytes()
        micropython = tools.compile_micropython(source, name + ".py", tmp_path)
        for version in differs:
            assert (
                b"C" + micropython[1:]
                != (SAMPLES / ("%s.circuitpython-%s" % (name, version))).read_bytes()
            )
        proc, out = _offline_compile(tools, tmp_path, name)
        assert proc.returncode != 0 and not out.exists(), name
    # Each kind of float constant on its own: a folded sign, folded arithmetic, 17 digits.
    lines = (SAMPLES / "sample_float.py").read_text().splitlines()
    constants = [line for line in lines if " = " in line]
    assert len(constants) == 4
    for i, line in enumerate(constants):
        (tmp_path / ("f%d.py" % i)).write_text(line + "\n")
        out = tmp_path / ("f%d.mpy" % i)
        proc = _offline(tools, "-o", str(out), "-s", "f.py", str(tmp_path / ("f%d.py" % i)))
        assert proc.returncode != 0 and not out.exists(), line
        assert "f%d.py line 1: %s" % (i, line.split(" = ")[1]) in proc.stderr, proc.stderr
    # What every compiler writes alike passes: ints folded, floats written as given or parsed.
    alike = "A = -1\nB = 1 << 40\nC = 3 // 2\nD = 0.1\nE = 1e300\nF = float('-inf')\n"
    (tmp_path / "alike.py").write_text(alike)
    proc = _offline(
        tools, "-o", str(tmp_path / "alike.mpy"), "-s", "a.py", str(tmp_path / "alike.py")
    )
    assert proc.returncode == 0, proc.stderr


def test_offline_compiler_refuses_async(tools, tmp_path):
    for i, source in enumerate(_ASYNC_SOURCES):
        src = tmp_path / ("a%d.py" % i)
        src.write_text(source)
        out = tmp_path / ("a%d.mpy" % i)
        proc = _offline(tools, "-o", str(out), "-s", "pkg/a.py", str(src))
        assert proc.returncode != 0, source
        assert "async" in proc.stderr
        assert not out.exists()


def _fake_compiler(path, marker):
    # Stands for a CircuitPython mpy-cross: answers --version, writes a recognisable .mpy.
    path.write_text(
        "#!%s\n"
        "import sys\n"
        "args = sys.argv[1:]\n"
        "if args == ['--version']:\n"
        "    print('CircuitPython fake %s')\n"
        "    sys.exit(0)\n"
        "out = args[args.index('-o') + 1]\n"
        "name = args[args.index('-s') + 1]\n"
        "open(out, 'wb').write(b'C\\x06%s ' + name.encode())\n" % (sys.executable, marker, marker)
    )
    path.chmod(0o755)


def test_given_compilers_are_used_per_major(tools, config, tmp_path):
    """--mpy-cross 9.x=PATH (make CIRCUITPY_MPY_CROSS_9X=PATH) for 9.x; mpy-cross-10.x from
    --mpy-cross-dir (CIRCUITPY_MPY_CROSS_DIR, the tool's cache layout) for 10.x; the offline
    stand-in for 11.x, which neither supplies."""
    compilers = tmp_path / "compilers"
    compilers.mkdir()
    _fake_compiler(tmp_path / "cp9", "nine")
    _fake_compiler(compilers / "mpy-cross-10.x", "ten")
    out = tmp_path / "out"
    cmd = [sys.executable, str(tools.ROOT / "build" / "circuitpython.py"), "--version", "1.2.3"]
    cmd += ["--mpy-cross", "9.x=%s" % (tmp_path / "cp9"), "--mpy-cross-dir", str(compilers)]
    cmd += ["--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "mpy-cross 9.x: %s (CircuitPython fake nine)" % (tmp_path / "cp9") in proc.stdout
    assert "mpy-cross 11.x: offline" in proc.stdout
    package = config["package"]
    for major, marker in (("9.x", b"nine"), ("10.x", b"ten"), ("11.x", None)):
        top = "%s-%s-mpy-1.2.3" % (config["bundle_prefix"], major)
        files = tools.zip_files(out / (top + ".zip"))
        metrics = files["%s/lib/%s/metrics.mpy" % (top, package)]
        if marker:
            assert metrics == b"C\x06" + marker + b" " + package.encode() + b"/metrics.py"
        else:
            source = (tools.ROOT / package / "metrics.py").read_bytes()
            mpy = tools.compile_micropython(source, package + "/metrics.py", tmp_path)
            assert metrics == b"C" + mpy[1:]


def test_fetch_compilers_keeps_the_ones_already_there(tools, config, tmp_path):
    """--fetch-compilers (the release job's step) asks circuitpython-build-tools for each
    major's compiler in the folder given; one already there is kept, nothing is fetched."""
    folder = tmp_path / "cache" / "circuitpython-build-tools"
    folder.mkdir(parents=True)
    for major in config["circuitpython"]:
        _fake_compiler(folder / ("mpy-cross-" + major), major)
    nowhere = "http://127.0.0.1:9"  # a download attempt would fail at once
    env = dict(os.environ, HTTP_PROXY=nowhere, HTTPS_PROXY=nowhere, GIT_ALLOW_PROTOCOL="file")
    env.update(http_proxy=nowhere, https_proxy=nowhere)
    cmd = [sys.executable, str(tools.ROOT / "build" / "circuitpython.py")]
    cmd += ["--fetch-compilers", str(tmp_path / "cache")]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    expected = [
        "mpy-cross %s: %s" % (m, folder / ("mpy-cross-" + m)) for m in config["circuitpython"]
    ]
    assert proc.stdout.splitlines() == expected
