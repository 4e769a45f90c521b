"""What the package gains on CPython at import: every registry method, and client_python's
default collectors on REGISTRY, their names offered by the package as client_python's.

Imported by registry.py on CPython only, never on a board.
"""

import sys

from ._port import BOARD

if BOARD:
    from .errors import cpython_only

    raise cpython_only(__name__, "the host's /proc, platform and gc modules")

from . import _lazy  # noqa: E402
from .methods import attach  # noqa: E402
from .registry import CollectorRegistry  # noqa: E402

attach(CollectorRegistry)  # dir() and help() list every method

# Names only CPython has, which the package and exposition load on first use: rows of the
# lazy-name table, added here so that a board never loads their bytes.
_lazy._LAZY += (
    ("web", "make_wsgi_app start_wsgi_server MetricsHandler gzip_accepted"),
    ("asgi", "make_asgi_app"),
    ("textfile", "write_to_textfile"),
    ("grouping", "instance_ip_grouping_key"),
)

# The default REGISTRY collects what client_python's does, in its order: GC_COLLECTOR,
# PLATFORM_COLLECTOR, PROCESS_COLLECTOR each join it as their module loads. A board has no
# /proc and no gc statistics, and each collector would cost RAM there.
from . import gc_collector, platform_collector, process_collector  # noqa: E402

# `from prometheus_express import ProcessCollector`, as from prometheus_client. Set here, not
# in the lazy-name table: a board loads that table for its first lazy name (MetricsServer),
# and three more entries made the exporter board need about 1 KB more heap.
_package = sys.modules[__name__[: __name__.rfind(".")]]
for _module, _names in (
    (process_collector, ("ProcessCollector", "PROCESS_COLLECTOR")),
    (platform_collector, ("PlatformCollector", "PLATFORM_COLLECTOR")),
    (gc_collector, ("GCCollector", "GC_COLLECTOR")),
):
    for _name in _names:
        setattr(_package, _name, getattr(_module, _name))
