"""The exporter's own metrics, in the registry it serves: MetricsServer(self_metrics=True).

stats = Stats(registry); stats.count("evicted"); stats.count(OSError(104)); stats.scrapes.inc()
"""

from .http import Reject, Timeout
from .metrics import Counter


def _kind(failure):
    # The label of prometheus_express_http_errors_total for a failure or its kind.
    if isinstance(failure, str):
        return failure
    if isinstance(failure, Timeout):
        return "timeout"
    if isinstance(failure, Reject):
        return "bad_request"
    if isinstance(failure, MemoryError):
        return "memory"
    return "socket" if isinstance(failure, OSError) else "other"


class Stats:
    """Scrapes served, errors by kind, listener rebuilds; unregister() takes them away."""

    def __init__(self, registry):
        self.registry = registry
        self.scrapes = Counter(
            "prometheus_express_scrapes", "Metrics pages served", registry=registry
        )
        self.errors = Counter(
            "prometheus_express_http_errors",
            "Requests refused and connections lost, by kind",
            ["kind"],
            registry=registry,
        )
        self.rebinds = Counter(
            "prometheus_express_listener_rebuilds",
            "Times the listening socket was closed and bound again",
            registry=registry,
        )

    def count(self, failure):
        """Count a failure, given as its kind or as the exception."""
        self.errors.labels(_kind(failure)).inc()

    def unregister(self):
        for metric in (self.scrapes, self.errors, self.rebinds):
            self.registry.unregister(metric)
