"""A release build: a copy of the tree, committed and tagged 1.2.3, through `build/bundle.py`.

Every artifact carries the tag's version, under the names circup and mip fetch, and circup
reads the version back from the .mpy files (it cannot from a dev version: see
test_circuitpython.py).
"""

import email
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.packaging.e2e_support import BUILD_READS as _TREE

_GIT_ID = ["-c", "user.name=t", "-c", "user.email=t@localhost", "-c", "commit.gpgsign=false"]


def _checkout(tools, dest):
    for name in _TREE:
        src = tools.ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(src, dest / name)
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
    subprocess.run(["git", *_GIT_ID, "commit", "-q", "-m", "release"], cwd=dest, check=True)


@pytest.fixture(scope="module")
def release(tools, tmp_path_factory):
    """dist/ of a build of the current tree tagged 1.2.3, made with the offline compilers.

    The user's circuitpython-build-tools cache (XDG_CACHE_HOME) holds an mpy-cross for each
    major that fails when run: the build must not pick them up, as none was passed."""
    repo = tmp_path_factory.mktemp("release") / "prometheus_express"
    repo.mkdir()
    _checkout(tools, repo)
    subprocess.run(["git", "tag", "1.2.3"], cwd=repo, check=True)
    cache = tmp_path_factory.mktemp("user-cache")
    (cache / "circuitpython-build-tools").mkdir()
    for major in ("9.x", "10.x", "11.x"):
        planted = cache / "circuitpython-build-tools" / ("mpy-cross-" + major)
        planted.write_text("#!/bin/sh\necho planted; exit 1\n")
        planted.chmod(0o755)
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    cmd = [sys.executable, "build/bundle.py"]
    proc = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return repo / "dist", proc.stdout, repo


def test_the_build_takes_no_compiler_it_was_not_given(release):
    out = release[1]
    for major in ("9.x", "10.x", "11.x"):
        assert "mpy-cross %s: offline:" % major in out, out
    assert "planted" not in out


def test_version_rule(tools, tmp_path):
    """build/version.py: an x.y.z tag on HEAD, else 0.0.0+dev.<short sha>, else 0.0.0+dev."""
    script = str(tools.ROOT / "build" / "version.py")

    def version_of(folder):
        out = subprocess.run([sys.executable, script, str(folder)], capture_output=True, text=True)
        return out.stdout.strip()

    assert version_of(tmp_path) == "0.0.0+dev"  # not a git repository
    (tmp_path / "a").write_text("a")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "a"], cwd=tmp_path, check=True)
    subprocess.run(["git", *_GIT_ID, "commit", "-q", "-m", "a"], cwd=tmp_path, check=True)
    sha = tools.git("rev-parse", "--short=7", "HEAD", cwd=tmp_path)
    assert version_of(tmp_path) == "0.0.0+dev." + sha
    subprocess.run(["git", "tag", "v2.0.0"], cwd=tmp_path, check=True)
    assert version_of(tmp_path) == "0.0.0+dev." + sha  # not x.y.z
    subprocess.run(["git", "tag", "2.0.0"], cwd=tmp_path, check=True)
    assert version_of(tmp_path) == "2.0.0"


def test_the_release_job_releases_only_the_tag_on_head_above_the_2019_versions(release, tmp_path):
    # .github/workflows/release.yml runs `build/version.py --release $tag` before it builds.
    def release_check(repo, tag):
        cmd = [sys.executable, "build/version.py", "--release", tag]
        return subprocess.run(cmd, cwd=repo, capture_output=True, text=True)

    repo = release[2]
    assert release_check(repo, "1.2.3").returncode == 0
    refused = release_check(repo, "1.2.4")
    assert refused.returncode != 0 and "stamps 1.2.3, not the tag 1.2.4" in refused.stderr
    old = tmp_path / "old"
    shutil.copytree(repo / "build", old / "build", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(["git", "init", "-q"], cwd=old, check=True)
    subprocess.run(["git", "add", "-A"], cwd=old, check=True)
    subprocess.run(["git", *_GIT_ID, "commit", "-q", "-m", "old"], cwd=old, check=True)
    subprocess.run(["git", "tag", "0.0.4"], cwd=old, check=True)
    refused = release_check(old, "0.0.4")
    assert refused.returncode != 0 and "not above 0.0.4" in refused.stderr


def test_every_artifact_carries_the_tag(tools, config, release, tmp_path):
    dist = release[0]
    names = tools.circup_names(config, "1.2.3", tmp_path)
    prefix = config["bundle_prefix"]
    mip_json = "%s-micropython-6.3-mpy-1.2.3.json" % prefix
    urls = json.loads((dist / mip_json).read_text(encoding="utf-8"))["urls"]
    expected = set(names["zips"].values())
    expected |= {"%s-examples-1.2.3.zip" % prefix, "%s-1.2.3.json" % prefix}
    expected |= {"%s-micropython-6.3-mpy-1.2.3.zip" % prefix, mip_json}
    expected |= {src for _, src in urls}
    expected.add("prometheus_express-1.2.3-py3-none-any.whl")
    expected.add("prometheus_express-1.2.3.tar.gz")
    # Only what a release publishes: no scratch folders (they are in .build/).
    assert {p.name for p in dist.iterdir()} == expected
    assert json.loads((dist / mip_json).read_text(encoding="utf-8"))["version"] == "1.2.3"
    bundle_json = json.loads((dist / ("%s-1.2.3.json" % prefix)).read_text(encoding="utf-8"))
    assert bundle_json[config["package"]]["version"] == "1.2.3"
    with zipfile.ZipFile(dist / "prometheus_express-1.2.3-py3-none-any.whl") as z:
        meta = email.message_from_bytes(z.read("prometheus_express-1.2.3.dist-info/METADATA"))
    assert meta["Version"] == "1.2.3"


def test_circup_reads_the_version_from_each_bundle(tools, config, release, tmp_path):
    dist = release[0]
    for platform, zip_name in tools.circup_names(config, "1.2.3", tmp_path)["zips"].items():
        top = zip_name[: -len(".zip")] + "/lib/"
        folder = tmp_path / platform
        for name, data in tools.zip_files(dist / zip_name).items():
            if name.startswith(top):
                (folder / name[len(top) :]).parent.mkdir(parents=True, exist_ok=True)
                (folder / name[len(top) :]).write_bytes(data)
        found = tools.circup_installed(folder, tmp_path)
        expected = {"mpy": platform != "py", "__version__": "1.2.3"}
        if platform == "py":  # circup reads the repository from a source only
            expected["__repo__"] = "https://github.com/%s.git" % config["repository"]
        assert found == {config["package"]: expected}


def test_bundle_ends_with_the_table(tools, release):
    dist, out, repo = release
    lines = out[out.index("== artifacts (version 1.2.3)") :].splitlines()[1:]
    head = re.split(r"\s{2,}", lines[0].strip())
    assert head == ["target", "artifact", "files", ".mpy bytes", ".py bytes", "size"]
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines[1:] if "1.2.3" in line]
    assert len(rows) == 10
    sources = tools.library_sources(repo)  # the tree as copied (others may be editing this one)
    source_bytes = sum(len(s) for s in sources.values())
    for target, artifact, files, mpy, py, size in rows:
        if " (+" not in artifact:
            assert int(size) == (dist / artifact).stat().st_size, artifact
        if target.startswith("CircuitPython 1") or target.startswith("CircuitPython 9"):
            assert int(files) == len(sources) and int(mpy) > 0 and int(py) == 0, artifact
        if target == "CircuitPython .py":
            # Stamping 1.2.3 over 0.0.0+auto.0 makes the sources 7 bytes shorter.
            assert (int(files), int(mpy), int(py)) == (len(sources), 0, source_bytes - 7)
    assert lines[-2].startswith("10 artifacts in ")
    assert lines[-1].startswith("library: ")


def test_no_file_points_outside_the_repository_for_platform_facts(tools):
    # The published repository holds its own platform notes (docs/platforms.md).
    outside = "shared " + "PLATFORMS"
    found = []
    root = tools.ROOT
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if not path.is_file() or parts[0] in (".git", ".venv", "dist") or "node_modules" in parts:
            continue
        if path.suffix not in (".py", ".md", ".toml", ".json", ".txt", ".yml", ".mjs", ""):
            continue
        text = path.read_text(errors="replace")
        if outside in text or "../" + "shared" in text:
            found.append(str(path.relative_to(root)))
    assert found == []
    assert (root / "docs" / "platforms.md").is_file()
