"""The CPython wheel and sdist (what PyPI gets), with __version__ (and so the package version)
stamped.

`make bundle` calls build(). `pip install .` from the repository works as well, as version
0.0.0+auto.0 (the placeholder); this builds the same package from a stamped copy of the sources,
with the setuptools that `make setup` installed (no build isolation, so nothing is downloaded).
"""

import shutil
import subprocess
import sys

import project
import version as versioning

ROOT = project.ROOT


def is_wheel_file(path):
    """A library source, stub or py.typed marker: the files of the package in the wheel."""
    return path.suffix in (".py", ".pyi") or path.name == "py.typed"


def build(out, version_text, work):
    """Write <name>-<version>-py3-none-any.whl and <name>-<version>.tar.gz into out/; return
    their paths."""
    config = project.load()
    src = work / "wheel-src"
    shutil.rmtree(src, ignore_errors=True)
    package = ROOT / config["package"]
    for path in sorted(package.rglob("*")):
        # The sources, and the type information only the wheel carries: the .pyi stubs and
        # the py.typed marker (the board bundles take .py files only).
        if "__pycache__" in path.parts or not is_wheel_file(path):
            continue
        target = src / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        target.write_text(versioning.stamp(text, version_text), encoding="utf-8")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copyfile(ROOT / name, src / name)
    wheels = work / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    cmd += ["--disable-pip-version-check", "--no-index", "-w", str(wheels), str(src)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    found = sorted(wheels.glob("*.whl"))
    if proc.returncode != 0 or len(found) != 1:
        sys.exit("wheel: pip wheel failed:\n%s%s" % (proc.stdout, proc.stderr))
    target = out / found[0].name
    shutil.copyfile(found[0], target)
    # The sdist from the same stamped copy, by setuptools' own PEP 517 hook.
    hook = "import sys, setuptools.build_meta as b; print(b.build_sdist(sys.argv[1]))"
    sdists = work / "sdists"
    shutil.rmtree(sdists, ignore_errors=True)
    sdists.mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", hook, str(sdists)], cwd=src, capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.exit("sdist: setuptools failed:\n%s%s" % (proc.stdout, proc.stderr))
    sdist = out / proc.stdout.strip().splitlines()[-1]
    shutil.copyfile(sdists / sdist.name, sdist)
    return target, sdist
