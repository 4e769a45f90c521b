"""Every tool `make setup` installs, and everything each pulls in, is pinned to one version.

requirements-dev.txt pins the tools the build and tests use; constraints.txt pins what they
depend on (platformdirs, packaging, ...). Walked from the installed metadata: a dependency a
new version of a tool adds, or a pin that no longer matches what is installed, fails here.
"""

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _pins(path):
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line).groups()
            pins[canonicalize_name(name)] = version
    return pins


def _closure(names):
    """The installed distributions names need, with their dependencies, markers evaluated."""
    seen = {}
    todo = list(names)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        dist = metadata.distribution(name)
        seen[name] = dist.version
        for text in dist.requires or ():
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def test_every_installed_dependency_is_pinned_to_what_is_installed():
    tools = _pins(ROOT / "requirements-dev.txt")
    constraints = _pins(ROOT / "constraints.txt")
    assert not set(tools) & set(constraints), "pinned twice: %s" % (set(tools) & set(constraints))
    pins = dict(tools, **constraints)
    installed = _closure(tools)
    unpinned = sorted("%s==%s" % (n, v) for n, v in installed.items() if n not in pins)
    assert not unpinned, "add to constraints.txt: %s" % ", ".join(unpinned)
    stale = sorted("%s==%s" % (n, v) for n, v in installed.items() if pins[n] != v)
    assert not stale, "installed, but pinned to another version: %s" % ", ".join(stale)
    unused = sorted(set(constraints) - set(installed))
    assert not unused, "constraints.txt pins what no tool needs: %s" % ", ".join(unused)
