"""The CPython wheel: metadata from pyproject.toml, the version stamped, no dependencies."""

import email
import json
import subprocess
import sys
import tarfile
import tomllib
import zipfile


def _wheel(tools, version):
    # Wheel names spell the project name with underscores (PEP 427).
    path = tools.DIST / ("prometheus_express-%s-py3-none-any.whl" % version)
    assert path.is_file(), sorted(p.name for p in tools.DIST.glob("*.whl"))
    return path


def test_metadata(tools, version):
    with zipfile.ZipFile(_wheel(tools, version)) as z:
        text = z.read("prometheus_express-%s.dist-info/METADATA" % version).decode()
    meta = email.message_from_string(text)
    project = tomllib.loads((tools.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["Name"] == project["project"]["name"]
    assert meta["Version"] == version
    assert meta["Summary"] == project["project"]["description"]
    assert meta.get_all("Requires-Dist") is None
    assert meta["License-Expression"] == "MIT"


def test_wheel_carries_the_license(tools, version):
    with zipfile.ZipFile(_wheel(tools, version)) as z:
        shipped = z.read("prometheus_express-%s.dist-info/licenses/LICENSE" % version)
    assert shipped == (tools.ROOT / "LICENSE").read_bytes()
    assert b"MIT License" in shipped and b"Copyright (c) 2019 Sean Sube" in shipped


def _type_files(tools):
    """{"prometheus_express/x.pyi": bytes} of the stubs and the py.typed marker (PEP 561)."""
    package = tools.ROOT / "prometheus_express"
    return {
        p.relative_to(tools.ROOT).as_posix(): p.read_bytes()
        for p in sorted(package.rglob("*"))
        if p.suffix == ".pyi" or p.name == "py.typed"
    }


def test_files_are_the_stamped_sources(tools, version):
    with zipfile.ZipFile(_wheel(tools, version)) as z:
        files = {n: z.read(n) for n in z.namelist() if not n.startswith("prometheus_express-")}
    sources = tools.library_sources()
    types = _type_files(tools)
    assert sorted(files) == sorted({**sources, **types})
    for name, data in types.items():
        assert files.pop(name) == data, name
    placeholder = b'\n__version__ = "0.0.0+auto.0"\n'
    for name, data in files.items():
        stamped = sources[name].replace(placeholder, b'\n__version__ = "%s"\n' % version.encode())
        assert data == stamped, name
    assert placeholder in sources["prometheus_express/__about__.py"]


def test_imports_from_the_wheel(tools, tmp_path, version):
    code = "import sys; sys.path.insert(0, sys.argv[1]); import prometheus_express as p; "
    code += "print(p.__version__, p.__file__)"
    wheel = str(_wheel(tools, version))
    proc = subprocess.run(
        [sys.executable, "-I", "-c", code, wheel], capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.stdout.split() == [version, wheel + "/prometheus_express/__init__.py"], proc.stderr


def test_wheel_carries_type_information(tools, version):
    # PEP 561: type checkers read a package's stubs only when py.typed marks it.
    with zipfile.ZipFile(_wheel(tools, version)) as z:
        names = set(z.namelist())
    assert "prometheus_express/py.typed" in names
    for module in ("__init__", "metrics", "registry", "exposition", "openmetrics/parser"):
        assert "prometheus_express/%s.pyi" % module in names
    assert set(_type_files(tools)) <= names


def test_board_bundles_carry_no_type_information(tools, version):
    # Stubs are for CPython's type checkers: on a board they would only take flash.
    artifacts = sorted(tools.DIST.glob("*-%s.zip" % version))
    assert len(artifacts) >= 5, artifacts  # circup py, 9.x, 10.x, 11.x, MicroPython, examples
    typed = []
    for artifact in artifacts:
        typed += [n for n in tools.zip_files(artifact) if n.endswith((".pyi", "py.typed"))]
    for path in tools.DIST.glob("*-micropython-*-%s.json" % version):  # mip package
        typed += [u[0] for u in json.loads(path.read_text())["urls"] if u[0].endswith(".pyi")]
    loose = tools.ROOT / ".build" / "mpy"  # make compile's tree, and the mip package's assets
    typed += [p.name for p in loose.rglob("*") if p.suffix == ".pyi" or p.name == "py.typed"]
    typed += [p.name for p in tools.DIST.glob("prometheus_express.*") if p.suffix == ".pyi"]
    assert typed == []
    package_json = json.loads((tools.ROOT / "package.json").read_text())  # mip from the repo
    assert [u for u in package_json["urls"] if not u[0].endswith(".py")] == []


def _sdist_files(tools, version):
    path = tools.DIST / ("prometheus_express-%s.tar.gz" % version)
    assert path.is_file(), sorted(p.name for p in tools.DIST.glob("*.tar.gz"))
    top = "prometheus_express-%s/" % version
    with tarfile.open(path) as t:
        return {
            i.name[len(top) :]: t.extractfile(i).read()
            for i in t.getmembers()
            if i.isfile() and i.name.startswith(top)
        }


def test_sdist_holds_the_wheels_files_the_license_and_its_metadata(tools, version):
    # PyPI gets both; pip builds the sdist where no wheel fits.
    files = _sdist_files(tools, version)
    meta = email.message_from_string(files["PKG-INFO"].decode())
    assert meta["Version"] == version and meta["License-Expression"] == "MIT"
    assert files["LICENSE"] == (tools.ROOT / "LICENSE").read_bytes()
    assert files["pyproject.toml"] == (tools.ROOT / "pyproject.toml").read_bytes()
    with zipfile.ZipFile(_wheel(tools, version)) as z:
        wheel = {n: z.read(n) for n in z.namelist() if n.startswith("prometheus_express/")}
    assert {n: files[n] for n in files if n.startswith("prometheus_express/")} == wheel
