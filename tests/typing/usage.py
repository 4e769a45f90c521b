"""client_python-style use of the package on CPython, for the type checker (`make lint` runs
mypy on this file and on examples/). Each line is how a CPython user would call the API; the
`# type: ignore[...]` lines are calls the stubs must refuse (warn_unused_ignores checks that
they do).
"""

import threading
from collections.abc import Iterator

from prometheus_express import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    CounterMetricFamily,
    Enum,
    Gauge,
    GaugeMetricFamily,
    Histogram,
    HistogramMetricFamily,
    Info,
    InfoMetricFamily,
    Metric,
    MetricsServer,
    ProcessCollector,
    Sample,
    StateSetMetricFamily,
    Summary,
    SummaryMetricFamily,
    choose_encoder,
    generate_latest,
    make_asgi_app,
    make_wsgi_app,
    push_to_gateway,
    start_http_server,
    write_to_textfile,
)
from prometheus_express.board import BoardCollector
from prometheus_express.core import GaugeHistogramMetricFamily
from prometheus_express.exposition import write_text
from prometheus_express.openmetrics.exposition import ALLOWUTF8, escape_metric_name
from prometheus_express.openmetrics.exposition import generate_latest as om_latest
from prometheus_express.openmetrics.parser import text_string_to_metric_families as om_parse
from prometheus_express.parser import text_string_to_metric_families
from prometheus_express.samples import Exemplar, Timestamp
from prometheus_express.validation import get_legacy_validation

registry = CollectorRegistry()

requests = Counter("requests", "Requests served", ["method", "code"], registry=registry)
requests.labels("get", "200").inc()
requests.labels(method="post", code="500").inc(2)
failures = Counter("failures", "Failures", registry=registry)
failures.inc(0.5)
failures.reset()

temperature = Gauge("temperature_celsius", "Air temperature", registry=registry)
temperature.set(21.5)
temperature.dec()
temperature.set_to_current_time()
temperature.set_function(lambda: 3.0)
rooms = Gauge("room_celsius", "Room temperature", ["room"], registry=registry)
for i, room in enumerate(("hall", "attic")):
    rooms.labels(room).set_function(lambda i=i: 20.0 + i)  # the default-argument idiom

latency = Histogram("latency_seconds", "Latency", buckets=(0.1, 1, "+Inf"), registry=registry)
latency.observe(0.25)
latency.observe(0.5, exemplar={"trace_id": "abc"})
requests.labels("get", "200").inc(exemplar={"trace_id": "abc"})
utf8 = Counter("http.requests", "UTF-8 name", registry=CollectorRegistry())
quoted: str = escape_metric_name("http.requests", ALLOWUTF8)
legacy: bool = get_legacy_validation()
described = CollectorRegistry(target_info={"site": "lab"}, support_collectors_without_names=True)
described.set_target_info(None)
info: dict[str, str] | None = described.get_target_info()
sizes = Summary("payload_bytes", "Payload size", registry=registry)
sizes.observe(512)
build = Info("build", "Build", registry=registry)
build.info({"version": "1.2.0"})
state = Enum("wifi_state", "Wi-Fi state", states=["down", "up"], registry=registry)
state.state("up")


@latency.time()
def handle(path: str) -> int:
    return len(path)


@failures.count_exceptions(ValueError)
def parse(text: str) -> float:
    return float(text)


@temperature.track_inprogress()
def work() -> None:
    pass


length: int = handle("/metrics")  # a decorated function keeps its type
value: float = parse("1.5")

with sizes.time() as timer:
    work()
seconds: float | None = timer.duration

with failures.count_exceptions():
    pass


class Battery:
    """A custom collector, as client_python's docs write one."""

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily("battery_volts", "Battery voltage", value=3.7)
        c = CounterMetricFamily("wakeups", "Wake-ups", labels=["cause"])
        c.add_metric(["timer"], 4, created=1700000000.0)
        yield c
        s = SummaryMetricFamily("reads", "Reads", count_value=2, sum_value=0.5)
        yield s
        h = HistogramMetricFamily("read_seconds", "Read time", labels=["sensor"])
        h.add_metric(["bme280"], [("0.1", 1), ("+Inf", 2, Exemplar({"id": "a"}, 0.2, None))], 0.3)
        yield h
        g = GaugeHistogramMetricFamily("queue", "Queue", buckets=[("+Inf", 3)], gsum_value=1)
        yield g
        yield InfoMetricFamily("chip", "Chip", value={"name": "rp2040"})
        yield StateSetMetricFamily("mode", "Mode", value={"a": True, "b": False})


registry.register(Battery())
BoardCollector(registry=registry)
ProcessCollector(namespace="app", registry=None)

page: bytes = generate_latest(registry)
om_page: bytes = om_latest(registry)
pieces: list[str] = []
write_text(pieces.append, registry)
encoder, content_type = choose_encoder("application/openmetrics-text")
assert encoder(registry) and content_type and CONTENT_TYPE_LATEST
maybe: float | None = registry.get_sample_value("requests_total", {"method": "get", "code": "200"})
registry.unregister(requests)
assert REGISTRY is not registry

for family in text_string_to_metric_families(page.decode()):
    for sample in family.samples:
        assert isinstance(sample, Sample)
        name: str = sample.name
        labels: dict[str, str] = sample.labels
for family in om_parse(om_page.decode()):
    stamp = family.samples[0].timestamp
    if isinstance(stamp, Timestamp):
        seconds = float(stamp)

server, thread = start_http_server(0, registry=registry)
port: int = server.server_port
assert isinstance(thread, threading.Thread)
server.shutdown()
server.server_close()
with MetricsServer(0, "127.0.0.1", registry, auth=("user", "secret")) as polled:
    answered: bool = polled.poll()

push_to_gateway("127.0.0.1:9091", "job", registry, {"instance": "a"}, timeout=10)
write_to_textfile("/tmp/metrics.prom", registry)
wsgi_app = make_wsgi_app(registry)
asgi_app = make_asgi_app(registry)

# What the stubs must refuse.
Counter("bad", "Labels as one string", labelnames=5)  # type: ignore[arg-type]
temperature.set("warm")  # type: ignore[arg-type]
temperature.set_function(lambda: "warm")  # type: ignore[arg-type]
push_to_gateway("g:9091", "job", registry, compression="gzip")  # type: ignore[arg-type]
requests.labels("get", "200").observe(1)  # type: ignore[attr-defined]
