"""python_info, as client_python's: the Python implementation and version that runs the program.

PlatformCollector(registry=CollectorRegistry())
CPython only (a board's BoardCollector gives python_info there). PLATFORM_COLLECTOR is on
REGISTRY from import on.
"""

from ._port import BOARD

if BOARD:  # nothing of this exists on a board, and the default REGISTRY stays empty there
    from .errors import cpython_only

    raise cpython_only(
        __name__,
        "/proc, the platform module, gc statistics",
        "BoardCollector (prometheus_express.board) reads the heap, uptime, CPU and python_info",
    )

import platform as _platform

from .metrics_core import GaugeMetricFamily
from .registry import REGISTRY


class PlatformCollector:
    """One python_info sample labelled with the version; on Jython, the JVM's too.

    platform: an object with the platform module's functions, for tests (None: the module).
    """

    def __init__(self, registry=REGISTRY, platform=None):
        self._platform = _platform if platform is None else platform
        labels = self._python()
        if self._platform.system() == "Java":
            labels.update(self._java())
        # Read once: the interpreter does not change while the program runs.
        info = GaugeMetricFamily("python_info", "Python platform information", labels=list(labels))
        info.add_metric(list(labels.values()), 1)
        self._metrics = [info]
        if registry:
            registry.register(self)

    def collect(self):
        return self._metrics

    def _python(self):
        pf = self._platform
        major, minor, patchlevel = pf.python_version_tuple()
        return {
            "version": pf.python_version(),
            "implementation": pf.python_implementation(),
            "major": major,
            "minor": minor,
            "patchlevel": patchlevel,
        }

    def _java(self):
        version, _, vm, _ = self._platform.java_ver()
        return {
            "jvm_version": version,
            "jvm_release": vm[1],
            "jvm_vendor": vm[2],
            "jvm_name": vm[0],
        }


PLATFORM_COLLECTOR = PlatformCollector()
"""This interpreter, on the default REGISTRY."""
