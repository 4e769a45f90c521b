"""CircuitPython bundles (circup, the Community Bundle), made by circuitpython-build-bundles.

    .venv/bin/python build/circuitpython.py [--version X.Y.Z] [--mpy-cross 9.x=PATH]
        [--mpy-cross-dir DIR] [--out dist]
    .venv/bin/python build/circuitpython.py --fetch-compilers CACHE   # the release job's

circuitpython-build-tools does the real work: it stamps __version__, compiles each file with
`-s <path in the library>`, lays out the zips and writes the bundle json. This module feeds it
what it would otherwise fetch or guess:

- its compiler cache, `$XDG_CACHE_HOME/circuitpython-build-tools/mpy-cross-<major>`, in a folder
  of our own, holding for each major CircuitPython's own mpy-cross when one is given (--mpy-cross,
  or --mpy-cross-dir: a folder laid out like that cache; none by default), else cp_mpy_cross.py.
  With a file there it never downloads or builds one; proxies that lead nowhere and git limited to
  local clones make sure of it.
- a staging git repository: the library, its examples and pyproject.toml, committed and tagged
  with the version (the tool reads the version from `git describe`), with origin set to the
  repository of circup.json (the bundle json's "repo" and "pypi_name" come from that remote).
"""

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import project
import version as versioning

ROOT = project.ROOT
TOOL_CACHE = "circuitpython-build-tools"
OFFLINE = "offline: MicroPython's mpy-cross 6.3, header byte C (build/cp_mpy_cross.py)"
_NOWHERE = "http://127.0.0.1:9"  # the discard port: a download attempt fails at once


def _tool(name):
    # Console scripts sit next to this Python (sys.executable is the venv's, unresolved).
    path = Path(sys.executable).parent / name
    if not path.exists():
        sys.exit(
            "circuitpython: %s not found next to %s: run `make setup`" % (name, sys.executable)
        )
    return path


def _clean_env(**extra):
    # No GIT_DIR & co from a calling hook: git must see the staging repository only.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(extra)
    return env


def tool_platforms():
    """The majors circuitpython-build-bundles builds, as it names them ("9.x", ...)."""
    from circuitpython_build_tools import target_versions

    return [v["name"] for v in target_versions.VERSIONS]


def choose_compilers(platforms, given, given_dir):
    """{major: (path or None, where it came from)}; None means the offline stand-in."""
    chosen = {}
    for name in platforms:
        path = given.get(name)
        if path is None and given_dir is not None:
            candidate = Path(given_dir) / ("mpy-cross-" + name)
            if candidate.is_file():
                path = candidate
        if path is None:
            chosen[name] = (None, OFFLINE)
            continue
        path = Path(path).resolve()
        if not (path.is_file() and os.access(path, os.X_OK)):
            sys.exit("circuitpython: mpy-cross for %s: %s is not an executable file" % (name, path))
        proc = subprocess.run([str(path), "--version"], capture_output=True, text=True)
        chosen[name] = (path, "%s (%s)" % (path, proc.stdout.strip() or "no --version"))
    return chosen


def fill_cache(cache, compilers):
    """Lay out the tool's compiler cache under cache/ (used as XDG_CACHE_HOME)."""
    folder = cache / TOOL_CACHE
    shutil.rmtree(cache, ignore_errors=True)
    folder.mkdir(parents=True)
    offline = '#!/bin/sh\nexec %s %s "$@"\n' % (
        shlex.quote(sys.executable),
        shlex.quote(str(ROOT / "build" / "cp_mpy_cross.py")),
    )
    for name, (path, _) in compilers.items():
        target = folder / ("mpy-cross-" + name)
        if path is None:
            target.write_text(offline, encoding="utf-8")
            target.chmod(0o755)
        else:
            target.symlink_to(path)
    return folder


def _git(repo, *args):
    env = _clean_env(
        GIT_AUTHOR_NAME="build",
        GIT_AUTHOR_EMAIL="build@localhost",
        GIT_COMMITTER_NAME="build",
        GIT_COMMITTER_EMAIL="build@localhost",
        GIT_AUTHOR_DATE="2000-01-01T00:00:00Z",
        GIT_COMMITTER_DATE="2000-01-01T00:00:00Z",
    )
    cmd = ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]
    cmd += ["-c", "tag.gpgsign=false", "-c", "core.hooksPath=/dev/null", *args]
    subprocess.run(cmd, cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def _copy_tree(src, dest, suffixes=None):
    for path in sorted(src.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if suffixes is None or path.suffix in suffixes:
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def stage(work, config, version_text):
    """A git repository in work/repo holding the library as the tool expects to find it."""
    repo = work / "repo"
    shutil.rmtree(repo, ignore_errors=True)
    # Named like the repository: the tool files examples under examples/<this folder>/.
    library = repo / config["repository_name"]
    _copy_tree(ROOT / config["package"], library / config["package"], {".py"})
    if (ROOT / "examples").is_dir():
        # Every file, as the tool takes every file of examples/ in a real checkout.
        _copy_tree(ROOT / "examples", library / "examples")
    shutil.copyfile(ROOT / "pyproject.toml", library / "pyproject.toml")
    if config["dependencies"]:
        # requirements/<package>/requirements.txt in the zips: circup installs these first.
        text = "".join(dep + "\n" for dep in config["dependencies"])
        (library / "requirements.txt").write_text(text, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "bundle " + version_text)
    _git(repo, "tag", version_text)
    _git(repo, "remote", "add", "origin", "https://github.com/%s.git" % config["repository"])
    return repo, library


def run_tool(work, repo, library, config, cache):
    """circuitpython-build-bundles on the staged library; its output and log go under work/."""
    out = work / "bundles"
    shutil.rmtree(out, ignore_errors=True)
    env = _clean_env(
        XDG_CACHE_HOME=str(cache),
        HTTP_PROXY=_NOWHERE,
        HTTPS_PROXY=_NOWHERE,
        http_proxy=_NOWHERE,
        https_proxy=_NOWHERE,
        NO_PROXY="",
        no_proxy="",
        GIT_ALLOW_PROTOCOL="file",
    )
    # The tool computes its cache folder on import (platformdirs): check it is ours.
    probe = "from circuitpython_build_tools import build; print(build.mpy_cross_path)"
    seen = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    if Path(seen.stdout.strip()) != cache / TOOL_CACHE:
        sys.exit(
            "circuitpython: circuitpython-build-tools would look for mpy-cross in %r, not in %s "
            "(XDG_CACHE_HOME is not honoured here), and might download one. Stopping."
            % (seen.stdout.strip() or seen.stderr.strip(), cache / TOOL_CACHE)
        )
    cmd = [
        str(_tool("circuitpython-build-bundles")),
        "--filename_prefix",
        config["bundle_prefix"],
        "--library_location",
        str(library),
        "--output_directory",
        str(out),
    ]
    log = work / "build-bundles.log"
    with open(log, "w", encoding="utf-8") as f:
        # cwd: the tool makes its build-<zip>/ folders there and reads the bundle version there.
        proc = subprocess.run(cmd, cwd=repo, env=env, stdout=f, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        print("\n".join(lines[-30:]), file=sys.stderr)
        sys.exit("circuitpython: circuitpython-build-bundles failed (log: %s)" % log)
    return out, log


def add_license(zip_path):
    """LICENSE beside lib/ in a bundle zip: the tool ships only what is in the package folder,
    which circup copies to the board, where the text would take flash for nothing."""
    top = zip_path.name[: -len(".zip")]
    with zipfile.ZipFile(zip_path, "a", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.write(ROOT / "LICENSE", top + "/LICENSE")


def artifact_names(config, version_text):
    """The files circuitpython-build-bundles writes for one library, in circup's naming."""
    prefix = config["bundle_prefix"]
    names = ["%s-py-%s.zip" % (prefix, version_text)]
    names += ["%s-%s-mpy-%s.zip" % (prefix, p, version_text) for p in config["circuitpython"]]
    names += ["%s-examples-%s.zip" % (prefix, version_text), "%s-%s.json" % (prefix, version_text)]
    return names


def build(out, version_text, given=None, given_dir=None, work=None):
    """Build the bundles into out/; return (their paths, {major: compiler description})."""
    config = project.load()
    platforms = tool_platforms()
    if platforms != config["circuitpython"]:
        sys.exit(
            "circuitpython: circuitpython-build-tools builds %s but circup.json lists %s: "
            "pin the tool that builds the majors circup.json names"
            % (platforms, config["circuitpython"])
        )
    work = work or project.SCRATCH / "work" / "circuitpython"
    work.mkdir(parents=True, exist_ok=True)
    compilers = choose_compilers(platforms, given or {}, given_dir)
    cache = work / "cache"
    fill_cache(cache, compilers)
    repo, library = stage(work, config, version_text)
    bundles, _ = run_tool(work, repo, library, config, cache)
    paths = []
    for name in artifact_names(config, version_text):
        if not (bundles / name).is_file():
            sys.exit("circuitpython: the tool did not write %s (log: %s)" % (name, work))
        shutil.copyfile(bundles / name, out / name)
        if name.endswith(".zip"):
            add_license(out / name)
        paths.append(out / name)
    return paths, {name: about for name, (_, about) in compilers.items()}


def fetch_compilers(cache):
    """For the release job only (make never runs this): CircuitPython's own mpy-cross for each
    major, fetched by circuitpython-build-tools as it fetches them for Adafruit's bundles, into
    cache/circuitpython-build-tools/ (the layout --mpy-cross-dir takes). A compiler already
    there is kept. Returns {major: path}."""
    env = _clean_env(XDG_CACHE_HOME=str(cache))
    fetch = (
        "from circuitpython_build_tools import build, target_versions\n"
        "for version in target_versions.VERSIONS:\n"
        "    print(version['name'], build.mpy_cross(version))\n"
    )
    proc = subprocess.run([sys.executable, "-c", fetch], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("circuitpython: fetching mpy-cross failed:\n" + proc.stdout + proc.stderr)
    found = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if line)
    for name, path in found.items():
        if Path(path).parent != Path(cache) / TOOL_CACHE:
            sys.exit("circuitpython: mpy-cross %s landed in %s, not in %s" % (name, path, cache))
    return found


def parse_given(items):
    """{"9.x": "/path"} from ["9.x=/path", ...]; empty paths (unset make variables) skipped."""
    given = {}
    for item in items or ():
        name, _, path = item.partition("=")
        if path:
            given[name] = path
    return given


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", help="x.y.z; default: from the git tag")
    parser.add_argument("--mpy-cross", action="append", metavar="MAJOR=PATH")
    parser.add_argument("--mpy-cross-dir", help="folder with mpy-cross-9.x, ...")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--fetch-compilers",
        type=Path,
        metavar="CACHE",
        help="release job only: fetch CircuitPython's mpy-cross per major into CACHE, then stop",
    )
    args = parser.parse_args()
    if args.fetch_compilers:
        for name, path in fetch_compilers(args.fetch_compilers.resolve()).items():
            print("mpy-cross %s: %s" % (name, path))
        return
    version_text = versioning.check(args.version) if args.version else versioning.version()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    given_dir = args.mpy_cross_dir  # only what is passed: the same command, the same bytes
    paths, compilers = build(out, version_text, parse_given(args.mpy_cross), given_dir)
    for name, about in compilers.items():
        print("mpy-cross %s: %s" % (name, about))
    for path in paths:
        print("wrote %s" % path)


if __name__ == "__main__":
    main()
