"""circup.json, the one place the build reads the project's names from.

from project import load
config = load()   # config["package"], config["bundle_prefix"], config["repository"], ...
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "circup.json"
# The build's scratch, beside dist/ (which holds only what a release publishes): the .mpy tree
# make compile writes and `make test` runs the portable tests on, and the tools' working folders.
SCRATCH = ROOT / ".build"
MPY_TREE = SCRATCH / "mpy" / "micropython"
_KEYS = (
    "package",
    "bundle_prefix",
    "repository",
    "circuitpython",
    "micropython_mpy",
    "dependencies",
)


def load(path=CONFIG):
    """The checked contents of circup.json, with "repository_name" (the part after the /) added."""
    config = json.loads(Path(path).read_text(encoding="utf-8"))
    missing = [key for key in _KEYS if key not in config]
    if missing:
        raise ValueError("%s: missing %s" % (path, ", ".join(missing)))
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", config["repository"]):
        raise ValueError("%s: repository must be OWNER/NAME" % path)
    if not re.fullmatch(r"[a-z0-9-]+", config["bundle_prefix"]):
        raise ValueError("%s: bundle_prefix must be lower case with dashes" % path)
    for platform in config["circuitpython"]:
        if not re.fullmatch(r"\d+\.x", platform):
            raise ValueError("%s: CircuitPython platforms look like 9.x, not %r" % (path, platform))
    if not re.fullmatch(r"\d+\.\d+", config["micropython_mpy"]):
        raise ValueError("%s: micropython_mpy looks like 6.3" % path)
    config["repository_name"] = config["repository"].split("/")[1]
    return config
