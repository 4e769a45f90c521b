"""The release version: the git tag x.y.z on HEAD, else 0.0.0+dev.<short sha>.

    .venv/bin/python build/version.py          # prints it
    python3 build/version.py --release 1.2.3   # the release job: fails unless HEAD builds 1.2.3

The library carries the placeholder __version__ = "0.0.0+auto.0" (in __about__.py), which
circuitpython-build-tools replaces in every bundle; stamp() does the same for the MicroPython
and CPython packages.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = "0.0.0+auto.0"
RELEASE = re.compile(r"\d+\.\d+\.\d+")
# On PyPI, prometheus-express 0.0.4 and earlier are the 2019 library, with another API: a
# release of this one must come after them.
LAST_OLD_API = (0, 0, 4)


def _git(root, *args):
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


def version(root=ROOT):
    """x.y.z when HEAD carries exactly that tag; otherwise a dev version nobody takes for one."""
    tag = _git(root, "describe", "--tags", "--exact-match")
    if tag and RELEASE.fullmatch(tag):
        return tag
    sha = _git(root, "rev-parse", "--short=7", "HEAD")
    return "0.0.0+dev." + sha if sha else "0.0.0+dev"


def check(text):
    """text, when it is a version the build accepts (x.y.z or 0.0.0+dev...), else ValueError."""
    if RELEASE.fullmatch(text) or re.fullmatch(r"0\.0\.0\+dev(\.[0-9a-z]+)?", text):
        return text
    raise ValueError("version must be x.y.z (or 0.0.0+dev.<sha>), not %r" % text)


def release_problem(tag, root=ROOT):
    """Why tag cannot be released from root's HEAD, or None: it must be the version the build
    stamps (the tag on HEAD) and come after the 2019 versions on PyPI."""
    built = version(root)
    if tag != built:
        return "the build stamps %s, not the tag %s" % (built, tag)
    if tuple(int(part) for part in tag.split(".")) <= LAST_OLD_API:
        return "%s is not above 0.0.4, the last PyPI release of the 2019 API" % tag
    return None


def stamp(source, version_text):
    """source with the placeholder replaced on its __version__ lines (circuitpython-build-tools'
    rule: only lines that start with __version__)."""
    lines = source.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("__version__"):
            lines[i] = line.replace(PLACEHOLDER, version_text)
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--release"]:
        problem = release_problem(sys.argv[2])
        if problem:
            sys.exit("version: cannot release: " + problem)
    else:
        print(version(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT))
