"""The MicroPython zip and mip packages: layout, .mpy 6.3 'M' files, urls, and a run on the port."""

import json
import os
import subprocess
import sys
from pathlib import Path

MICROPYTHON = Path(sys.executable).parent / "micropython"
# The core of the portable tests, run from the zip's .mpy files on the unix port.
CORE_TESTS = ("test_init", "test_metrics", "test_histogram", "test_state", "test_registry")
CORE_TESTS += ("test_exposition", "test_openmetrics")


def _stem(config, version):
    return "%s-micropython-%s-mpy-%s" % (
        config["bundle_prefix"],
        config["micropython_mpy"],
        version,
    )


def _zip_lib(tools, config, version):
    top = _stem(config, version)
    files = tools.zip_files(tools.DIST / (top + ".zip"))
    start = top + "/lib/"
    return {n[len(start) :]: d for n, d in files.items() if n.startswith(start)}


def _stamped_sources(tools, config, version):
    # The sources as circuitpython-build-tools stamped them, from its .py bundle.
    top = "%s-py-%s" % (config["bundle_prefix"], version)
    start = top + "/lib/"
    files = tools.zip_files(tools.DIST / (top + ".zip"))
    return {n[len(start) :]: d for n, d in files.items() if n.startswith(start)}


def test_zip_layout(tools, config, version):
    top = _stem(config, version)
    files = tools.zip_files(tools.DIST / (top + ".zip"))
    expected = set()
    for rel, source in tools.library_sources().items():
        expected.add("%s/lib/%s" % (top, rel[:-3] + ".mpy" if source else rel))
    for rel in tools.example_files():
        expected.add("%s/examples/%s/%s" % (top, config["package"], rel))
    expected.add(top + "/LICENSE")
    assert set(files) == expected
    assert files[top + "/LICENSE"] == (tools.ROOT / "LICENSE").read_bytes()


def test_mpy_is_micropython_6_3_compile_of_the_stamped_sources(tools, config, tmp_path, version):
    lib = _zip_lib(tools, config, version)
    sources = _stamped_sources(tools, config, version)
    compiled = 0
    for rel, source in sources.items():
        if not source:
            assert lib[rel] == b""
            continue
        mpy = lib[rel[:-3] + ".mpy"]
        assert mpy[:2] == b"M\x06", rel
        assert mpy == tools.compile_micropython(source, rel, tmp_path), rel
        compiled += 1
    assert compiled == len(lib) - 1
    # .build/mpy/micropython, which `make test` runs the portable tests from, is the same build.
    tree = tools.ROOT / ".build" / "mpy" / "micropython"
    on_disk = {
        p.relative_to(tree).as_posix(): p.read_bytes() for p in tree.rglob("*") if p.is_file()
    }
    assert on_disk == lib


def test_mip_package_installs_the_zip_files(tools, config, version):
    path = tools.DIST / (_stem(config, version) + ".json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == version
    assert doc["deps"] == []
    lib = _zip_lib(tools, config, version)
    assert sorted(dest for dest, _ in doc["urls"]) == sorted(lib)
    for dest, src in doc["urls"]:
        # A release's assets form one flat folder: the url is a file name next to the json.
        assert "/" not in src and ":" not in src, src
        assert (path.parent / src).read_bytes() == lib[dest], dest


def test_root_package_json_is_up_to_date(tools, config):
    """mip.install("github:OWNER/REPO") reads it: every library source, and nothing else.
    Regenerate with `make package-json`."""
    doc = json.loads((tools.ROOT / "package.json").read_text(encoding="utf-8"))
    names = sorted(tools.library_sources())
    assert doc == {"urls": [[n, n] for n in names], "deps": []}
    for name in names:
        assert (tools.ROOT / name).is_file()


def test_zip_imports_and_passes_the_core_tests_on_micropython(tools, config, tmp_path, version):
    top = _stem(config, version)
    files = tools.zip_files(tools.DIST / (top + ".zip"))
    for name, data in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    lib = tmp_path / top / "lib"
    env = dict(os.environ, MICROPYPATH="%s:.frozen" % lib)
    probe = "import prometheus_express as p; print(p.__version__); print(p.__file__)"
    proc = subprocess.run(
        [str(MICROPYTHON), "-c", probe], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.stdout.split() == [version, "%s/prometheus_express/__init__.mpy" % lib]
    runner = tools.ROOT / "tests" / "mpy_runner.py"
    cmd = [str(MICROPYTHON), str(runner), "--mpy", config["package"], *CORE_TESTS]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = proc.stdout.strip().splitlines()[-1]
    passed = int(summary.split()[0])
    assert summary == "%d passed, 0 failed" % passed and passed > 100, summary
