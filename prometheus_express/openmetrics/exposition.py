"""OpenMetrics 1.0 text, streamed like the 0.0.4 format.

write_openmetrics(writer.write)
"""

from ..exposition import write_registry
from ..registry import REGISTRY

CONTENT_TYPE_LATEST = "application/openmetrics-text; version=1.0.0; charset=utf-8"


def write_openmetrics(write, registry=REGISTRY):
    """Stream the registry as OpenMetrics text, ending with # EOF, to write()."""
    write_registry(write, registry, True)
    write("# EOF\n")


def generate_latest(registry=REGISTRY, escaping="underscores", version="1.0.0"):
    """The whole page as OpenMetrics text, as bytes."""
    pieces = []
    write_openmetrics(pieces.append, registry)
    return "".join(pieces).encode("utf-8")
