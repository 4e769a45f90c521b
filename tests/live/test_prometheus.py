"""End to end: a real Prometheus (Debian's `prometheus`) scrapes the exporter on CPython and on
the MicroPython unix port, and its query API returns the values the exporters hold.

Fails (not skips) under CI when /usr/bin/prometheus is missing.
"""

import json
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import live
import pytest

PROMETHEUS = "/usr/bin/prometheus"
DEADLINE = 30  # seconds for both targets to be up with the right values
JOBS = {"cpython": 1234.5, "micropython": -98765.25}  # job -> live_value that runtime serves


def _config(targets):
    # JSON is YAML: no YAML writer needed. scrape_timeout may not exceed scrape_interval.
    return json.dumps(
        {
            "global": {"scrape_interval": "1s", "scrape_timeout": "1s"},
            "scrape_configs": [
                {"job_name": job, "static_configs": [{"targets": ["127.0.0.1:%d" % port]}]}
                for job, port in targets.items()
            ],
        },
        indent=1,
    )


class Prometheus(live.ServerProcess):
    def __init__(self, targets):
        self.dir = Path(tempfile.mkdtemp(prefix="live-prometheus-"))
        config = self.dir / "prometheus.yml"
        config.write_text(_config(targets))
        self.port = live.free_port()
        self.log = open(self.dir / "log", "w+b")  # closed in close()
        self.proc = subprocess.Popen(
            [
                PROMETHEUS,
                "--config.file=%s" % config,
                "--storage.tsdb.path=%s" % (self.dir / "data"),
                "--web.listen-address=127.0.0.1:%d" % self.port,
                "--log.level=warn",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=self.dir,
        )

    def api(self, path, **params):
        """The data of a /api/v1 call, or None while Prometheus is not answering yet."""
        if self.proc.poll() is not None:
            pytest.fail("prometheus exited with %s: %s" % (self.proc.returncode, self.logs()))
        url = "http://127.0.0.1:%d/api/v1/%s?%s" % (self.port, path, urllib.parse.urlencode(params))
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                answer = json.load(reply)
        except OSError:
            return None
        assert answer["status"] == "success", answer
        return answer["data"]

    def query(self, promql):
        """{job: value} for an instant query."""
        data = self.api("query", query=promql)
        if data is None:
            return {}
        return {r["metric"].get("job"): float(r["value"][1]) for r in data["result"]}


def test_prometheus_scrapes_both_runtimes():
    live.need(PROMETHEUS, "Prometheus (Debian's 'prometheus' package)")
    servers = {}
    prometheus = None
    try:
        for job, value in JOBS.items():
            servers[job] = live.start(job, value=value)
        prometheus = Prometheus({job: s.port for job, s in servers.items()})
        wanted = {
            "up": {job: 1.0 for job in JOBS},
            "live_value": dict(JOBS),
            'live_requests_total{method="get",code="200"}': {job: 1027.0 for job in JOBS},
        }
        deadline = time.monotonic() + DEADLINE
        while True:
            got = {promql: prometheus.query(promql) for promql in wanted}
            if got == wanted or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        targets = prometheus.api("targets") or {}
        health = [
            (t["labels"].get("job"), t.get("health"), t.get("lastError"))
            for t in targets.get("activeTargets", [])
        ]
        assert got == wanted, "after %d s Prometheus has %s, not %s; targets: %s; log: %s" % (
            DEADLINE,
            got,
            wanted,
            health,
            prometheus.logs(),
        )
        # The same registry on both runtimes: Prometheus stored as many samples from each.
        samples = prometheus.query("scrape_samples_scraped")
        assert len(samples) == 2 and samples["cpython"] == samples["micropython"], samples
        for server in servers.values():
            server.check_alive()
    finally:
        if prometheus is not None:
            prometheus.close()
        for server in servers.values():
            server.close()
