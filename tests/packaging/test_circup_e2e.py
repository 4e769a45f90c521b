"""circup 3.1 end to end: bundle-add, install, freeze, list and update on a fake CIRCUITPY drive.

The release is a copy of the tree built as 1.2.3 (e2e_support.release), served by a fake GitHub
on 127.0.0.1 (e2e_support.FakeGitHub) under the names circup derives from the repository of
circup.json; circup runs unchanged in a subprocess, with requests' https://github.com/ pointed
at that server. Its data folder is a temporary one whose bundle_config.json is `{}`, so the
bundle circup.json names is the only one.
"""

import importlib.util
import json
import zipfile

import pytest

from tests.packaging import e2e_support as e2e

PACKAGE = "prometheus_express"
# The boards of each major circup accepts, as boot_out.txt names them.
BOARDS = {"9.x": "9.2.1", "10.x": "10.0.3", "11.x": "11.0.0-alpha.2"}
# circup asks GitHub for CircuitPython's latest release, to suggest an upgrade: not ours to serve.
NOT_OURS = {"/adafruit/circuitpython/releases/latest"}


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    e2e.require(importlib.util.find_spec("circup"), "circup is not installed: run `make setup`")
    return e2e.release(tmp_path_factory)


@pytest.fixture
def github(build):
    with e2e.FakeGitHub(build) as server:
        yield server


@pytest.fixture
def places(tmp_path):
    """(drive parent, circup home, working directory) for one test.

    circup installs from a folder named like the module in the working directory when there
    is one, and reads pyproject.toml there or one level up: there is neither here.
    """
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    for folder in (cwd, tmp_path):
        assert not (folder / PACKAGE).exists() and not (folder / "pyproject.toml").exists()
    return tmp_path, tmp_path / "home", cwd


def _zip_name(build, platform):
    return "%s-%s-%s.zip" % (e2e.config()["bundle_prefix"], platform, build.version)


def _zip_lib(build, platform):
    """{path under lib/: bytes} of the release's zip for platform ("py", "9.x-mpy", ...)."""
    name = _zip_name(build, platform)
    start = name[: -len(".zip")] + "/lib/"
    with zipfile.ZipFile(build.dist / name) as z:
        return {
            i.filename[len(start) :]: z.read(i)
            for i in z.infolist()
            if i.filename.startswith(start) and not i.is_dir()
        }


def _circup(github, places, *args):
    """circup ARGS against the fake GitHub, from the working directory; its stdout, on success."""
    _, home, cwd = places
    proc = e2e.run_circup(github, home, cwd, "--timeout", "10", *args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout


def _bundle_add(github, places, drive):
    repository = e2e.config()["repository"]
    out = _circup(github, places, "--path", str(drive), "bundle-add", repository)
    assert "Added %s" % repository in out, out
    data = e2e.circup_home(places[1])[1]
    # What circup keeps: the bundle added, and the release tag it took from .../releases/latest.
    local = (data / "bundle_config_local.json").read_text(encoding="utf-8")
    assert json.loads(local) == {repository: repository}
    tags = json.loads((data / "circup.json").read_text(encoding="utf-8"))
    assert tags == {repository: [e2e.VERSION]}


def _downloaded(github):
    """The release assets fetched so far (the file names, each behind GitHub's redirect)."""
    download = "/%s/releases/download/%s/" % (github.repository, github.tag)
    asked = {p[len(download) :] for p in github.paths(302) if p.startswith(download)}
    served = {p.rsplit("/", 1)[1] for p in github.paths(200) if p.startswith("/assets/")}
    assert asked == served
    return served


@pytest.mark.parametrize("platform", sorted(BOARDS, key=lambda p: int(p.split(".")[0])))
def test_install_list_update_on_each_major(build, github, places, tools, platform):
    root, _, _ = places
    cp_version = BOARDS[platform]
    drive = e2e.fake_circuitpy(root / "CIRCUITPY", cp_version)
    lib = drive / "lib"
    _bundle_add(github, places, drive)

    out = _circup(github, places, "--path", str(drive), "install", PACKAGE)
    assert "running CircuitPython %s." % cp_version in out, out
    assert "Installed '%s'." % PACKAGE in out, out
    mpy_zip = "%s-mpy" % platform
    # The source bundle (metadata, versions) and the board's own major: no other.
    assert _downloaded(github) == {_zip_name(build, "py"), _zip_name(build, mpy_zip)}
    expected = _zip_lib(build, mpy_zip)
    installed = e2e.files_under(lib)
    assert installed == expected
    assert sorted({rel.split("/")[0] for rel in installed}) == [PACKAGE]
    compiled = [rel for rel in installed if rel.endswith(".mpy")]
    assert len(compiled) > 10
    for rel, data in installed.items():
        # CircuitPython 9-11 load 'C' version 6; an empty package __init__ stays .py.
        if rel.endswith(".mpy"):
            assert data[:2] == b"C\x06", rel
        else:
            assert rel.endswith("/__init__.py") and data == b"", rel
    seen = tools.circup_installed(lib, root)
    assert seen == {PACKAGE: {"mpy": True, "__version__": e2e.VERSION}}

    out = _circup(github, places, "--path", str(drive), "freeze")
    assert "%s==%s" % (PACKAGE, e2e.VERSION) in out.splitlines(), out
    out = _circup(github, places, "--path", str(drive), "list")
    assert "All modules found on the device are up to date." in out, out

    # An older release on the board: `list` names it, `update --all` brings the bundle's back.
    init = lib / PACKAGE / "__about__.mpy"
    data = init.read_bytes()
    old = b"%s\x00" % e2e.VERSION.encode()
    assert data.count(old) == 1
    init.write_bytes(data.replace(old, b"1.2.2\x00"))
    out = _circup(github, places, "--path", str(drive), "list")
    rows = [line.split() for line in out.splitlines() if line.startswith(PACKAGE)]
    assert rows == [[PACKAGE, "1.2.2", e2e.VERSION, "Minor", "Version"]], out
    out = _circup(github, places, "--path", str(drive), "update", "--all")
    assert "Updated %s" % PACKAGE in out, out
    assert e2e.files_under(lib) == expected
    out = _circup(github, places, "--path", str(drive), "freeze")
    assert "%s==%s" % (PACKAGE, e2e.VERSION) in out.splitlines(), out

    # Everything circup asked of GitHub was there, but CircuitPython's own release.
    assert set(github.paths(404)) <= NOT_OURS, github.requests
    assert "/%s/releases/latest" % github.repository in github.paths(302)


def test_install_py_puts_the_stamped_sources(build, github, places, tools):
    """`circup install --py` takes the .py bundle: the sources with the release's version."""
    root, _, _ = places
    drive = e2e.fake_circuitpy(root / "CIRCUITPY", BOARDS["10.x"])
    _bundle_add(github, places, drive)
    out = _circup(github, places, "--path", str(drive), "install", "--py", PACKAGE)
    assert "Installed '%s'." % PACKAGE in out, out
    assert _downloaded(github) == {_zip_name(build, "py")}
    installed = e2e.files_under(drive / "lib")
    assert installed == _zip_lib(build, "py")
    assert all(rel.endswith(".py") for rel in installed)
    init = installed[PACKAGE + "/__about__.py"].decode()
    assert '\n__version__ = "%s"\n' % e2e.VERSION in init
    seen = tools.circup_installed(drive / "lib", root)
    repo = "https://github.com/%s.git" % e2e.config()["repository"]
    assert seen == {PACKAGE: {"mpy": False, "__version__": e2e.VERSION, "__repo__": repo}}
    out = _circup(github, places, "--path", str(drive), "freeze")
    assert "%s==%s" % (PACKAGE, e2e.VERSION) in out.splitlines(), out
    assert set(github.paths(404)) <= NOT_OURS, github.requests
