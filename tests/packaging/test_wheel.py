"""The CPython wheel: metadata from pyproject.toml, the version stamped, no dependencies."""

import email
import subprocess
import sys
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


def test_files_are_the_stamped_sources(tools, version):
    with zipfile.ZipFile(_wheel(tools, version)) as z:
        files = {n: z.read(n) for n in z.namelist() if not n.startswith("prometheus_express-")}
    sources = tools.library_sources()
    assert sorted(files) == sorted(sources)
    placeholder = b'\n__version__ = "0.0.0+auto.0"\n'
    for name, data in files.items():
        stamped = sources[name].replace(placeholder, b'\n__version__ = "%s"\n' % version.encode())
        assert data == stamped, name
    assert placeholder in sources["prometheus_express/__init__.py"]


def test_imports_from_the_wheel(tools, tmp_path, version):
    code = "import sys; sys.path.insert(0, sys.argv[1]); import prometheus_express as p; "
    code += "print(p.__version__, p.__file__)"
    wheel = str(_wheel(tools, version))
    proc = subprocess.run(
        [sys.executable, "-I", "-c", code, wheel], capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.stdout.split() == [version, wheel + "/prometheus_express/__init__.py"], proc.stderr
