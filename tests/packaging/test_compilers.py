"""The compilers behind the CircuitPython bundles: the offline stand-in, or real ones if given."""

import os
import subprocess
import sys

_ASYNC_SOURCES = (
    "async def f():\n    pass\n",
    "def f(x):\n    return x\nasync def g():\n    await f(1)\n",
    "class A:\n    async def run(self):\n        async with self:\n            pass\n",
    "async def f(it):\n    async for x in it:\n        pass\n",
)


def _offline(tools, *args):
    script = tools.ROOT / "build" / "cp_mpy_cross.py"
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True)


def test_offline_compiler_is_micropython_with_header_c(tools, tmp_path):
    source = b"import time\n\ndef f(x=1.5):\n    return [x, 'a', time.time()]\n"
    (tmp_path / "m.py").write_bytes(source)
    out = tmp_path / "m.mpy"
    proc = _offline(tools, "-o", str(out), "-s", "pkg/m.py", str(tmp_path / "m.py"))
    assert proc.returncode == 0, proc.stderr
    expected = tools.compile_micropython(source, "pkg/m.py", tmp_path)
    assert out.read_bytes() == b"C" + expected[1:]
    assert expected[:2] == b"M\x06"


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
