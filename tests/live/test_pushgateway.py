"""push_to_gateway, pushadd_to_gateway and delete_from_gateway against a real Pushgateway.

The test starts Debian's prometheus-pushgateway on a free loopback port (no persistence file)
and pushes from CPython (in this process), from the MicroPython unix port (tests/live/mp_push.py
on the .py sources) and from .build/mpy/micropython when `make compile` has built it. Values are
read back from the gateway's /metrics with client_python's parser, and compared with what
client_python's own push_to_gateway puts there for the same registry.
"""

import json
import os
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import live
import mp_push
import prometheus_client
import pytest
from prometheus_client.parser import text_string_to_metric_families

PUSHGATEWAY = "/usr/bin/prometheus-pushgateway"
MP_PUSH = Path(__file__).resolve().parent / "mp_push.py"
# Samples the gateway adds to every group.
GATEWAY_OWN = ("push_time_seconds", "push_failure_time_seconds")


class Gateway:
    def __init__(self, extra=()):
        live.need(PUSHGATEWAY, "the Pushgateway (Debian package prometheus-pushgateway)")
        self.port = live.free_port()
        self.address = "127.0.0.1:%d" % self.port
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [
                PUSHGATEWAY,
                "--web.listen-address=" + self.address,
                "--persistence.file=",  # the package's default is a file in /var/lib
            ]
            + list(extra),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen("http://%s/-/ready" % self.address, timeout=1).read()
                return
            except urllib.error.HTTPError:  # it answers (401 behind basic auth): it is up
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    output = self.output()
                    self.close()
                    raise AssertionError("the Pushgateway did not start:\n" + output) from None
                time.sleep(0.05)

    def output(self):
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def close(self):
        live.end_process(self.proc)
        self.log.close()

    def group(self, job, auth=None):
        """{(sample name, labels other than job): value} of the job's groups; None if none."""
        request = urllib.request.Request("http://%s/metrics" % self.address)
        if auth:
            request.add_header("Authorization", auth)
        text = urllib.request.urlopen(request, timeout=live.CLIENT_TIMEOUT).read().decode()
        found = {}
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                if s.labels.get("job") != job or s.name in GATEWAY_OWN:
                    continue
                labels = tuple(sorted((k, v) for k, v in s.labels.items() if k != "job"))
                found[(s.name, labels)] = s.value
        return found or None

    def group_after_delete(self, job, expected):
        """The job's groups once they equal expected, or as they stand after 10 s.

        The gateway answers a DELETE with 202 and applies it later, so a read right after it
        can still see the deleted group.
        """
        deadline = time.monotonic() + 10
        while True:
            found = self.group(job)
            if found == expected or time.monotonic() > deadline:
                return found
            time.sleep(0.02)


@pytest.fixture(scope="module")
def gateway():
    g = Gateway()
    yield g
    g.close()


def _runtimes():
    return live.runtimes()


def _do(runtime, action, gateway, job, variant, key, auth=None, timeout=10, pool=None):
    """Run one call in the runtime; "ok" or "error: <message>". pool: see mp_push.run."""
    if runtime == "cpython":
        return mp_push.run(action, gateway, job, variant, key, auth, timeout, pool)
    live.need(live.MICROPYTHON, "the MicroPython unix port (make setup)")
    tree = live.ROOT
    if runtime == "micropython-mpy":
        stale = live.mpy_tree_state()
        if stale:
            if os.environ.get("CI"):
                pytest.fail(stale)
            pytest.skip(stale)
        tree = live.MPY_TREE
    args = [str(live.MICROPYTHON), str(MP_PUSH), action, gateway, job, variant, json.dumps(key)]
    if auth or timeout != 10 or pool:
        args += [":".join(auth) if auth else "", str(timeout)]
    if pool:
        args.append(pool)
    env = dict(os.environ, MICROPYPATH="%s:.frozen:%s" % (tree, MP_PUSH.parent))
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


def _without_created(values):
    return {k: v for k, v in values.items() if not k[0].endswith("_created")}


def _client_python_values(gateway, job, key):
    # The same registry content, pushed by client_python from CPython.
    prometheus_client.push_to_gateway(gateway.address, job, mp_push.build("full"), key)
    return gateway.group(job)


@pytest.mark.parametrize("runtime", _runtimes())
def test_pushed_values_read_back(gateway, runtime):
    key = {"instance": "board/1 \u00e9", "room": "caf\u00e9+1"}  # base64 and percent forms
    job = runtime + "-full"
    assert _do(runtime, "push", gateway.address, job, "full", key) == "ok"
    got = gateway.group(job)
    expected = _client_python_values(gateway, job + "-cp", key)
    assert got is not None, "nothing arrived"
    # Every sample as client_python's push left it, with the same grouping labels.
    assert set(got) == set(expected)
    assert _without_created(got) == _without_created(expected)
    assert got[("board_temperature_celsius", (("instance", key["instance"]),
                ("room", key["room"]), ("sensor", "sensor_199")))] == 69.75  # fmt: skip
    assert len(got) > 200


def test_client_python_pushes_the_same_registry_object_identically(gateway):
    # client_python renders our registry itself: the gateway holds the very same samples.
    registry = mp_push.build("full")
    key = {"instance": "a/b"}
    prometheus_client.push_to_gateway(gateway.address, "same-cp", registry, key)
    from prometheus_express import push_to_gateway

    push_to_gateway(gateway.address, "same-pe", registry, key)
    assert gateway.group("same-pe") == gateway.group("same-cp")


@pytest.mark.parametrize("runtime", _runtimes())
def test_pushadd_keeps_other_metrics_and_push_replaces_them(gateway, runtime):
    job = runtime + "-add"
    key = {"instance": "x"}
    a = ("a_metric", (("instance", "x"),))
    b = ("b_metric", (("instance", "x"),))
    assert _do(runtime, "push", gateway.address, job, "ab", key) == "ok"
    assert gateway.group(job) == {a: 1, b: 2}
    assert _do(runtime, "pushadd", gateway.address, job, "b", key) == "ok"
    assert gateway.group(job) == {a: 1, b: 3}
    assert _do(runtime, "push", gateway.address, job, "b", key) == "ok"
    assert gateway.group(job) == {b: 3}


@pytest.mark.parametrize("runtime", _runtimes())
def test_delete_removes_only_the_group(gateway, runtime):
    job = runtime + "-delete"
    for instance in ("one/1", "two"):
        assert _do(runtime, "push", gateway.address, job, "b", {"instance": instance}) == "ok"
    assert _do(runtime, "delete", gateway.address, job, "", {"instance": "one/1"}) == "ok"
    left = {("b_metric", (("instance", "two"),)): 3}
    assert gateway.group_after_delete(job, left) == left
    assert _do(runtime, "delete", gateway.address, job, "", {"instance": "two"}) == "ok"
    assert gateway.group_after_delete(job, None) is None


@pytest.mark.parametrize("runtime", _runtimes())
def test_the_gateway_s_refusal_is_the_error(gateway, runtime):
    job = runtime + "-refused"
    assert _do(runtime, "push", gateway.address, job, "ab", {"instance": "1"}) == "ok"
    # a_metric as a summary in another group of the job: inconsistent, and the gateway says so.
    message = _do(runtime, "push", gateway.address, job, "a_summary", {"instance": "2"})
    url = "http://%s/metrics/job/%s/instance/2" % (gateway.address, job)
    assert message.startswith("error: push to %s failed: 400 Bad Request: " % url), message
    assert "a_metric" in message
    message = _do(runtime, "push", gateway.address + "/nowhere", job, "b", {})
    assert message.startswith("error: push to http://%s/nowhere/metrics/job/" % gateway.address)
    assert message.endswith("failed: 404 Not Found: 404 page not found"), message


@pytest.mark.parametrize("runtime", _runtimes())
def test_unreachable_gateway(runtime):
    address = "127.0.0.1:%d" % live.free_port()  # nobody listens
    message = _do(runtime, "push", address, "job", "b", {})
    assert message.startswith("error: cannot reach %s: " % address), message


@pytest.mark.parametrize("runtime", _runtimes())
def test_a_name_whose_first_address_refuses(gateway, runtime):
    # "localhost" as a host listing ::1 first resolves it, while the gateway listens on
    # 127.0.0.1 only: the push goes to the second address, as client_python's would.
    job = runtime + "-ipv6-first"
    address = "localhost:%d" % gateway.port
    assert _do(runtime, "push", address, job, "b", {}, pool="ipv6-first") == "ok"
    assert gateway.group(job) == {("b_metric", (("instance", ""),)): 3}
    # Nobody listens at either address: the error names the gateway and says both were tried.
    address = "localhost:%d" % live.free_port()
    message = _do(runtime, "push", address, job, "b", {}, pool="ipv6-first")
    assert message.startswith("error: cannot reach %s (2 addresses tried): " % address), message


@pytest.mark.parametrize("runtime", _runtimes())
def test_a_gateway_that_never_answers_times_out(runtime):
    import socket

    with socket.socket() as silent:  # accepts (the backlog), never reads, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        address = "127.0.0.1:%d" % silent.getsockname()[1]
        start = time.monotonic()
        message = _do(runtime, "push", address, "job", "b", {}, timeout=0.5)
        assert time.monotonic() - start >= 0.5
    assert message == "error: push to http://%s/metrics/job/job failed: no answer within 0.5 s" % (
        address
    ), message


@pytest.fixture(scope="module")
def guarded():
    # A gateway behind basic auth (its web config takes bcrypt hashes; the bcrypt package makes
    # them on every Python, where the crypt module is gone from 3.13 on).
    import bcrypt

    folder = Path(tempfile.mkdtemp(prefix="pushgateway-"))
    config = folder / "web.yml"
    hashed = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode()
    config.write_text("basic_auth_users:\n  pusher: '%s'\n" % hashed)
    g = Gateway(["--web.config.file=%s" % config])
    yield g
    g.close()


@pytest.mark.parametrize("runtime", _runtimes())
def test_basic_auth(guarded, runtime):
    job = runtime + "-auth"
    message = _do(runtime, "push", guarded.address, job, "b", {})
    assert message.endswith("failed: 401 Unauthorized: Unauthorized"), message
    assert _do(runtime, "push", guarded.address, job, "b", {}, auth=("pusher", "s3cret")) == "ok"
    # base64("pusher:s3cret")
    # The gateway adds an empty instance label to a group without one.
    expected = {("b_metric", (("instance", ""),)): 3}
    assert guarded.group(job, "Basic cHVzaGVyOnMzY3JldA==") == expected
