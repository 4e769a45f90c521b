"""mip end to end: the MicroPython unix port installs the library over HTTP, then renders metrics.

`micropython -m mip install --target DIR URL` against a fake GitHub on 127.0.0.1
(e2e_support.FakeGitHub) serving a copy of the tree built as 1.2.3:
- the compiled package: the mip json of the release with its flat .mpy assets next to it, at the
  release-download URL the README gives (host aside);
- the source package: the root package.json and the tree, laid out as GitHub serves raw files.

Then the port imports the library from DIR alone (MICROPYPATH=DIR:.frozen) and writes a page
that must equal what prometheus_client writes for the same metrics on CPython.
"""

import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from tests.packaging import e2e_support as e2e

PACKAGE = "prometheus_express"

# The same metrics through client_python's API: %s is the module, prometheus_express on the
# port, prometheus_client on CPython (the oracle). No f-strings: MicroPython runs it.
RENDER = """
import sys
from %s import (CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics,
                generate_latest)
disable_created_metrics()
registry = CollectorRegistry()
jobs = Counter("jobs", "Jobs done.", ["queue"], registry=registry)
jobs.labels("fast").inc()
jobs.labels(queue="slow").inc(2)
temperature = Gauge("temperature_celsius", "Air temperature.", registry=registry)
temperature.set(21.5)
latency = Histogram("latency_seconds", "Latency.", buckets=(0.1, 1.0), registry=registry)
for seconds in (0.05, 0.5, 3):
    latency.observe(seconds)
sys.stdout.write(generate_latest(registry).decode("utf-8"))
"""

# Every module of the package, imported on the port: "name file" lines, or "name refused: why"
# for a module that refuses a board with an ImportError.
IMPORT_ALL = """
import sys
for name in sys.argv[1:]:
    try:
        __import__(name)
    except ImportError as e:
        print(name, "refused: " + str(e))
        continue
    print(name, sys.modules[name].__file__)
"""
# What a board cannot run, saying so: client_python's host collectors and web helpers.
CPYTHON_ONLY = tuple(
    "prometheus_express." + m
    for m in (
        "_cpython asgi gc_collector grouping platform_collector process_collector textfile web"
    ).split()
)
# start_http_server's thread: it needs the threading module, and its absence tells
# start_http_server to return the server for the program's loop instead.
NEEDS_THREADS = "prometheus_express.threaded"


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    e2e.require(e2e.MICROPYTHON.is_file(), "no MicroPython unix port at %s" % e2e.MICROPYTHON)
    return e2e.release(tmp_path_factory)


@pytest.fixture
def github(build):
    with e2e.FakeGitHub(build) as server:
        yield server


@pytest.fixture(scope="module")
def expected_page():
    """What prometheus_client 0.26 writes for RENDER's metrics."""
    proc = subprocess.run(
        [sys.executable, "-c", RENDER % "prometheus_client"],
        capture_output=True,
        text=True,
        timeout=e2e.SUBPROCESS_TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    page = proc.stdout
    assert 'jobs_total{queue="slow"} 2.0\n' in page
    assert 'latency_seconds_bucket{le="+Inf"} 3.0\n' in page
    return page


def _mip_install(url, target, cwd):
    proc = e2e.run_micropython(["-m", "mip", "install", "--target", str(target), url], cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "Done", proc.stdout
    return proc.stdout


# Modules that import a framework the user installs beside the library (not the unix port).
NEEDS_FRAMEWORK = ("prometheus_express.integrations.httpserver",)


def _framework_module(dest):
    return dest.rsplit(".", 1)[0].replace("/", ".") in NEEDS_FRAMEWORK


def _refused(dest):
    name = dest.rsplit(".", 1)[0].replace("/", ".")
    return name in CPYTHON_ONLY or name == NEEDS_THREADS


def _module_names(dests):
    """prometheus_express/openmetrics/__init__.py -> prometheus_express.openmetrics, ..."""
    names = []
    for dest in sorted(dests):
        stem = dest.rsplit(".", 1)[0].replace("/", ".")
        name = stem[: -len(".__init__")] if stem.endswith(".__init__") else stem
        if name not in NEEDS_FRAMEWORK:
            names.append(name)
    assert len(names) == len(dests) - len(NEEDS_FRAMEWORK), "a module was renamed"
    return names


def _check_runs_from(target, dests, version, expected_page, cwd):
    """The port imports every module from target and renders client_python's page."""
    proc = e2e.run_micropython(["-c", IMPORT_ALL, *_module_names(dests)], cwd, path=target)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    files = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    refused = sorted(name for name in files if files[name].startswith("refused: "))
    assert refused == sorted(CPYTHON_ONLY + (NEEDS_THREADS,)), proc.stdout
    for name in CPYTHON_ONLY:
        assert "CPython only" in files[name], files[name]
    assert "threading" in files[NEEDS_THREADS], files[NEEDS_THREADS]
    imported = [d for d in dests if not _framework_module(d) and not _refused(d)]
    loaded = [files[name] for name in files if name not in refused]
    assert sorted(loaded) == sorted("%s/%s" % (target, dest) for dest in imported)
    probe = "import %s as p; print(p.__version__)" % PACKAGE
    proc = e2e.run_micropython(["-c", probe], cwd, path=target)
    assert proc.stdout.split() == [version], proc.stdout + proc.stderr
    proc = e2e.run_micropython(["-c", RENDER % PACKAGE], cwd, path=target)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == expected_page


def test_compiled_package_from_the_release(build, github, tmp_path, expected_page):
    config = e2e.config()
    json_name = "%s-micropython-%s-mpy-%s.json" % (
        config["bundle_prefix"],
        config["micropython_mpy"],
        build.version,
    )
    download = "/%s/releases/download/%s/" % (config["repository"], build.version)
    target = tmp_path / "lib"
    _mip_install(github.url + download + json_name, target, tmp_path)

    package = json.loads((build.dist / json_name).read_text(encoding="utf-8"))
    installed = e2e.files_under(target)
    assert installed == {dest: (build.dist / src).read_bytes() for dest, src in package["urls"]}
    compiled = [rel for rel in installed if rel.endswith(".mpy")]
    assert len(compiled) > 10
    for rel, data in installed.items():
        # MicroPython 1.20+ load 'M' version 6; an empty package __init__ stays .py.
        if rel.endswith(".mpy"):
            assert data[:2] == b"M\x06", rel
        else:
            assert rel.endswith("/__init__.py") and data == b"", rel
    # The json and each file through GitHub's redirect to its download host; nothing missing.
    asked = [p for p in github.paths(302) if p.startswith(download)]
    assets = [json_name] + [src for _, src in package["urls"]]
    assert sorted(asked) == sorted(download + name for name in assets)
    assert github.paths(404) == []
    _check_runs_from(target, installed, build.version, expected_page, tmp_path)


def _github_url(ref, cwd):
    """The URL mip fetches for `mip install github:OWNER/REPO[@ref]`.

    Offline that install cannot run: mip turns github: into a URL on GitHub's raw-file host,
    and it has no option to point it elsewhere. So mip itself is asked which URL it would
    fetch (its _rewrite_url, read and not patched; mip adds "/package.json" to a repository),
    and the fake GitHub serves that path: the package's relative urls then resolve to the
    same paths mip would fetch from GitHub.
    """
    repo = "github:%s/package.json" % e2e.config()["repository"]
    code = "import mip; print(mip._rewrite_url(%r, %r))" % (repo, ref)
    proc = e2e.run_micropython(["-c", code], cwd)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.mark.parametrize("ref", [None, e2e.VERSION], ids=["default-branch", "tag"])
def test_source_package_from_the_tree(build, github, tmp_path, expected_page, ref):
    """mip install github:ssube/prometheus_express[@1.2.3], with GitHub's host swapped."""
    repository = e2e.config()["repository"]
    url = urlsplit(_github_url(ref, tmp_path))
    base = "/%s/%s/" % (repository, ref or "HEAD")
    assert url.scheme == "https" and url.path == base + "package.json", url
    target = tmp_path / "lib"
    _mip_install(github.url + url.path, target, tmp_path)

    package = json.loads((build.tree / "package.json").read_text(encoding="utf-8"))
    dests = [dest for dest, _ in package["urls"]]
    installed = e2e.files_under(target)
    assert installed == {dest: (build.tree / src).read_bytes() for dest, src in package["urls"]}
    sources = [PACKAGE + "/" + rel for rel in e2e.files_under(build.tree / PACKAGE)]
    assert sorted(dests) == sorted(rel for rel in sources if rel.endswith(".py"))
    assert sorted(github.paths(200)) == sorted([base + "package.json"] + [base + d for d in dests])
    assert github.paths(404) == []
    # Straight from the repository: the placeholder version, which only the builds stamp.
    _check_runs_from(target, installed, "0.0.0+auto.0", expected_page, tmp_path)
