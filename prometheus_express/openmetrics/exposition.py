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
    """The whole page as OpenMetrics text, as bytes. From version "2.0.0" on, the native
    histograms of custom collectors' samples are written too, as client_python writes them."""
    pieces = []
    write_registry(pieces.append, registry, 2 if _from_2_0_0(version) else True, escaping)
    pieces.append("# EOF\n")
    return "".join(pieces).encode("utf-8")


def _from_2_0_0(version):
    # client_python's parse_version(version) >= (2, 0, 0): "2.0.0", "2.1", "3" are; "2", "2.0"
    # are not. A version it cannot compare ("x") raises there only if a native histogram is
    # written; such a version writes 1.0 here.
    parts = []
    for part in version.split("."):
        try:
            parts.append(int(part))
        except ValueError:
            parts.append(part)
    try:
        return tuple(parts) >= (2, 0, 0)
    except TypeError:
        return False


_ESCAPING_NAMES = (
    "ALLOWUTF8 UNDERSCORES DOTS VALUES ESCAPING_HEADER_TAG escape_metric_name escape_label_name"
)


def __getattr__(name):
    # client_python's escaping names, from escaping.py, which loads only when asked for.
    if name in _ESCAPING_NAMES.split():
        from .. import escaping

        return getattr(escaping, name)
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
