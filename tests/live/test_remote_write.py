"""Remote write end to end: a real Prometheus (Debian's, with --web.enable-remote-write-receiver)
receives, and its query API gives back the labels, values and millisecond timestamps sent.

The harness tests (-k harness) prove the receiver and the reading back with a client that owes
nothing to prometheus_express: Google's protobuf, cramjam's snappy and http.client, over plain
HTTP and over HTTPS with basic auth (Prometheus' own TLS web config; a CA and a certificate made
by openssl). The library tests send with prometheus_express.remote_write from CPython (in this
process) and from the MicroPython unix port (tests/live/mp_remote_write.py, on the .py sources,
and on .build/mpy/micropython when `make compile` has built it).

Fails (not skips) under CI when /usr/bin/prometheus or /usr/bin/openssl is missing.
"""

import json
import os
import queue
import ssl
import subprocess
import sys
import threading
from pathlib import Path

import live
import mp_remote_write
import pytest
import remote_write_support as rw
from prometheus_client.parser import text_string_to_metric_families

MP_REMOTE_WRITE = Path(__file__).resolve().parent / "mp_remote_write.py"
RUN_DEADLINE = 120  # seconds a MicroPython program may take for one send (a hung one fails)
USERS = {"writer": "s3cret"}


@pytest.fixture(scope="module")
def tls():
    with rw.certificates() as made:
        yield made


@pytest.fixture(scope="module")
def receiver():
    with rw.Receiver() as prometheus:
        yield prometheus


@pytest.fixture(scope="module")
def secured(tls):
    with rw.Receiver(tls=tls, users=USERS) as prometheus:
        yield prometheus


def _key(labels):
    return frozenset(labels.items())


# -- the harness, proven with an independent client ------------------------------------------


def _harness_round_trip(prometheus, job):
    now = rw.now_ms()
    early, late = now - 1500, now - 250  # milliseconds that are not whole seconds
    awkward = mp_remote_write.AWKWARD
    sent = [
        ({"sensor": awkward}, "harness_temperature_celsius", [(21.5, early), (-3.25, late)]),
        ({"which": "2^53"}, "harness_big", [(2.0**53, early), (2.0**53 + 2, late)]),
        ({"kind": "inf"}, "harness_special", [(float("inf"), late)]),
        ({"kind": "-inf"}, "harness_special", [(float("-inf"), late)]),
        ({"kind": "nan"}, "harness_special", [(float("nan"), late)]),
        ({"kind": "1e10"}, "harness_special", [(1e10, late)]),
        ({"kind": "small"}, "harness_special", [(0.001, late)]),
        ({"kind": "zero"}, "harness_special", [(0.0, late)]),  # proto3 leaves a zero out
        ({"kind": "stale"}, "harness_special", [(("bits", rw.STALE_NAN_BITS), late)]),
    ]
    body = rw.encode(
        [
            ([("__name__", name), ("job", job)] + list(labels.items()), samples)
            for labels, name, samples in sent
        ]
    )
    assert prometheus.post(body) == (204, "No Content", "")

    def key(name, **labels):
        return _key(dict(labels, __name__=name, job=job))

    expected = {
        key("harness_temperature_celsius", sensor=awkward): [(early, "21.5"), (late, "-3.25")],
        key("harness_big", which="2^53"): [(early, "9007199254740992"), (late, "9007199254740994")],
        key("harness_special", kind="inf"): [(late, "+Inf")],
        key("harness_special", kind="-inf"): [(late, "-Inf")],
        key("harness_special", kind="nan"): [(late, "NaN")],
        key("harness_special", kind="1e10"): [(late, "10000000000")],
        key("harness_special", kind="small"): [(late, "0.001")],
        key("harness_special", kind="zero"): [(late, "0")],
        # No "stale": a staleness marker is no value, queries skip it. A sender that encodes
        # NaN with those bits loses the sample, and this check would see it.
    }
    found = prometheus.wait_series('{job="%s"}' % job, len(expected), samples=10)
    assert found == expected, "Prometheus has %s; log: %s" % (found, prometheus.logs())


def test_harness_plain_write_reads_back(receiver):
    _harness_round_trip(receiver, "harness-plain")


def test_harness_tls_basic_auth_write_reads_back(secured):
    assert secured.write_url.startswith("https://127.0.0.1:")
    _harness_round_trip(secured, "harness-tls")


def test_harness_receiver_refusals(receiver):
    import cramjam

    now = rw.now_ms()
    # Not snappy at all.
    assert receiver.post(b"garbage") == (400, "Bad Request", "snappy: corrupt input\n")
    # Snappy, but not a WriteRequest: the protobuf decoder's own words.
    for wrong in (b"\x0a\x05garbage", b"\xff\xff"):
        status, _, text = receiver.post(bytes(cramjam.snappy.compress_raw(wrong)))
        assert status == 400 and text.strip(), (wrong, status, text)
    # A sample from 1970, while the head holds "now" (the receiver's warm-up sample).
    old = [([("__name__", "harness_old"), ("job", "harness-refused")], [(5, 1000)])]
    assert receiver.post(rw.encode(old)) == (400, "Bad Request", "out of bounds\n")
    # Another value at a timestamp the series already has.
    first = [([("__name__", "harness_twice"), ("job", "harness-refused")], [(1, now)])]
    again = [([("__name__", "harness_twice"), ("job", "harness-refused")], [(2, now)])]
    assert receiver.post(rw.encode(first))[0] == 204
    assert receiver.post(rw.encode(again)) == (
        400,
        "Bad Request",
        "duplicate sample for timestamp\n",
    )
    found = receiver.wait_series('{job="harness-refused"}', 1)
    twice = _key({"__name__": "harness_twice", "job": "harness-refused"})
    assert found == {twice: [(now, "1")]}, found


def test_harness_tls_refusals(secured, tls):
    body = rw.encode(
        [([("__name__", "harness_refused"), ("job", "harness-tls-refused")], [(1, 1)])]
    )
    assert secured.post(body, auth=("writer", "wrong")) == (401, "Unauthorized", "Unauthorized\n")
    assert secured.post(body, auth=None) == (401, "Unauthorized", "Unauthorized\n")
    # Plain HTTP to the TLS port: Go's server says so.
    plain = secured.write_url.replace("https://", "http://")
    assert rw.post(plain, body) == (
        400,
        "Bad Request",
        "Client sent an HTTP request to an HTTPS server.\n",
    )
    # The certificate is checked: a CA that did not sign it is refused by the client.
    with pytest.raises(ssl.SSLCertVerificationError):
        rw.post(secured.write_url, body, secured.auth, str(tls.other_ca))
    # ... and the name: "localhost" is in the certificate too.
    localhost = secured.write_url.replace("127.0.0.1", "localhost")
    status, _, text = rw.post(localhost, b"garbage", secured.auth, secured.cafile)
    assert (status, text) == (400, "snappy: corrupt input\n")
    assert secured.series('{job="harness-tls-refused"}') == {}


def test_harness_decodes_what_it_encodes():
    # The independent client's body, read back by the same independent decoders.
    series = [([("__name__", "x"), ("a", "b")], [(2.0**53, 1795000000123), (-0.5, 1795000001000)])]
    assert rw.decode(rw.encode(series)) == series


# -- the library: prometheus_express.remote_write from each runtime ---------------------------


def _tree(runtime):
    live.need(live.MICROPYTHON, "the MicroPython unix port (make setup)")
    if runtime != "micropython-mpy":
        return live.ROOT
    stale = live.mpy_tree_state()
    if stale:
        if os.environ.get("CI"):
            pytest.fail(stale)
        pytest.skip(stale)
    return live.MPY_TREE


def _env(runtime):
    # ".frozen" keeps the port's frozen modules: MICROPYPATH replaces the default path.
    return dict(os.environ, MICROPYPATH="%s:.frozen:%s" % (_tree(runtime), MP_REMOTE_WRITE.parent))


def _write(runtime, options):
    """One remote_write() in the runtime: "ok BEFORE AFTER" or "error: <message>"."""
    if runtime == "cpython":
        return mp_remote_write.run(options)
    args = [str(live.MICROPYTHON), str(MP_REMOTE_WRITE), json.dumps(options)]
    done = subprocess.run(
        args, env=_env(runtime), capture_output=True, text=True, timeout=RUN_DEADLINE
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


class _Session:
    """A RemoteWriter in the runtime: mp_remote_write.Session here, or its stdin loop."""

    def __init__(self, runtime, options):
        self.proc = None
        if runtime == "cpython":
            self.local = mp_remote_write.Session(options)
            return
        args = [str(live.MICROPYTHON), str(MP_REMOTE_WRITE), json.dumps(options), "session"]
        self.proc = subprocess.Popen(
            args,
            env=_env(runtime),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def send(self, value):
        if self.proc is None:
            return self.local.send(value)
        self.proc.stdin.write("send %d\n" % value)
        self.proc.stdin.flush()
        try:
            line = self.lines.get(timeout=RUN_DEADLINE)
        except queue.Empty:
            pytest.fail("no answer to send %d within %d s" % (value, RUN_DEADLINE))
        assert line is not None, "the session ended (%s)" % self.proc.wait()
        if not line.startswith(("ok ", "error: ")):  # a traceback: show it whole
            rest = []
            while line is not None:
                rest.append(line)
                line = self.lines.get(timeout=RUN_DEADLINE)
            pytest.fail("\n".join(rest))
        return line

    def close(self):
        if self.proc is not None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(RUN_DEADLINE)
            except subprocess.TimeoutExpired:
                live.end_process(self.proc)
            self.proc.stdout.close()


def _sent(line):
    """(before, after) in ms of an "ok BEFORE AFTER" line."""
    assert line.startswith("ok "), line
    before, after = line.split()[1:]
    return int(before), int(after)


def _stamped_in(samples, before, after):
    # The library stamps a round with the wall clock: ms on CPython and the unix port, whole
    # seconds on boards, so the stamp may be up to a second before `before`, never after `after`.
    low = before // 1000 * 1000
    wrong = [s for s in samples if not low <= s[0] <= after]
    assert not wrong, "timestamps %s not within the send (%d..%d)" % (wrong, low, after)


def _full_expected(job, instance):
    """{labels: value text} of build("full") as Prometheus renders it, and the _created keys."""
    awkward = mp_remote_write.AWKWARD
    values = {
        ("rw_boots_total", ("reason", "power")): "3",
        ("rw_boots_total", ("reason", "watchdog")): "2",
        ("rw_temperature_celsius", ("sensor", "in")): "21.5",
        ("rw_temperature_celsius", ("sensor", "out")): "-3.25",
        ("rw_temperature_celsius", ("sensor", awkward)): "0.001",
        ("rw_big", ("which", "2^53")): "9007199254740992",
        ("rw_big", ("which", "2^53+2")): "9007199254740994",
        ("rw_big", ("which", "123456789")): "123456789",
        ("rw_big", ("which", "1e10")): "10000000000",
        ("rw_special", ("kind", "inf")): "+Inf",
        ("rw_special", ("kind", "-inf")): "-Inf",
        ("rw_special", ("kind", "nan")): "NaN",
        ("rw_own", ("instance", "own")): "1",  # its own instance label wins
        ("rw_loop_seconds_bucket", ("le", "0.1")): "1",
        ("rw_loop_seconds_bucket", ("le", "0.5")): "2",
        ("rw_loop_seconds_bucket", ("le", "1.0")): "3",
        ("rw_loop_seconds_bucket", ("le", "+Inf")): "4",
        ("rw_loop_seconds_count",): "4",
        ("rw_loop_seconds_sum",): "5.0625",
    }
    created = (
        ("rw_boots_created", ("reason", "power")),
        ("rw_boots_created", ("reason", "watchdog")),
        ("rw_loop_seconds_created",),
    )

    def labels(spec):
        found = {"__name__": spec[0], "job": job, "instance": instance}
        found.update(spec[1:])
        return _key(found)

    return {labels(k): v for k, v in values.items()}, {labels(k) for k in created}


def test_full_expected_is_the_page():
    # The table above names exactly the series of the text page (client_python's parser reads
    # prometheus_express' page of the same registry), so the library tests check every one.
    from prometheus_express import generate_latest

    page = generate_latest(mp_remote_write.build("full")).decode()
    on_page = set()
    for family in text_string_to_metric_families(page):
        for s in family.samples:
            on_page.add(_key(dict({"job": "j", "instance": "i"}, __name__=s.name, **s.labels)))
    values, created = _full_expected("j", "i")
    assert on_page == set(values) | created


@pytest.mark.parametrize("runtime", live.runtimes())
def test_remote_write_reads_back(receiver, runtime):
    job, instance = "rw-full-" + runtime, "board-1"
    options = {"url": receiver.write_url, "variant": "full", "job": job, "instance": instance}
    before, after = _sent(_write(runtime, options))
    values, created = _full_expected(job, instance)
    found = receiver.wait_series('{job="%s"}' % job, len(values) + len(created))
    assert set(found) == set(values) | created, "missing %s; unexpected %s" % (
        (set(values) | created) - set(found),
        set(found) - set(values) - created,
    )
    for labels, samples in found.items():
        assert len(samples) == 1, (labels, samples)
        _stamped_in(samples, before, after)
    got = {labels: samples[0][1] for labels, samples in found.items() if labels in values}
    assert got == values
    for labels in created:  # when the registry was made: just before the send
        when = float(found[labels][0][1])
        assert before / 1000 - 600 < when <= after / 1000, (labels, when, before)


@pytest.mark.parametrize("runtime", live.runtimes())
def test_remote_write_job_only(receiver, runtime):
    job = "rw-job-only-" + runtime
    options = {"url": receiver.write_url, "variant": "b", "job": job}
    before, after = _sent(_write(runtime, options))
    found = receiver.wait_series('{job="%s"}' % job, 1)
    assert list(found) == [_key({"__name__": "rw_b", "job": job})], found  # no instance label
    samples = list(found.values())[0]
    assert [text for _, text in samples] == ["3"]
    _stamped_in(samples, before, after)


@pytest.mark.parametrize("runtime", live.runtimes())
def test_remote_write_https_basic_auth(secured, tls, runtime):
    job = "rw-tls-" + runtime
    ca = {"pem": str(tls.ca), "der": str(tls.ca_der)}
    options = {"url": secured.write_url, "variant": "full", "job": job, "instance": "tls-1"}
    options.update(ca=ca, auth=list(secured.auth))
    before, after = _sent(_write(runtime, options))
    values, created = _full_expected(job, "tls-1")
    found = secured.wait_series('{job="%s"}' % job, len(values) + len(created))
    got = {labels: samples[0][1] for labels, samples in found.items() if labels in values}
    assert got == values
    assert set(found) == set(values) | created
    for samples in found.values():
        _stamped_in(samples, before, after)


@pytest.mark.parametrize("runtime", live.runtimes())
def test_remote_write_https_refusals(secured, tls, runtime):
    job = "rw-tls-refused-" + runtime
    url = secured.write_url
    options = {"url": url, "variant": "b", "job": job}
    options["ca"] = {"pem": str(tls.ca), "der": str(tls.ca_der)}
    unauthorized = "error: remote write to %s failed: 401 Unauthorized: Unauthorized" % url
    assert _write(runtime, dict(options, auth=["writer", "wrong"])).rstrip() == unauthorized
    assert _write(runtime, options).rstrip() == unauthorized  # no credentials at all
    # A CA that did not sign Prometheus' certificate: the handshake fails, as an OSError.
    options.update(
        auth=list(secured.auth), ca={"pem": str(tls.other_ca), "der": str(tls.other_ca_der)}
    )
    message = _write(runtime, options)
    assert message.startswith("error: remote write to %s failed: " % url), message
    assert secured.series('{job="%s"}' % job) == {}


@pytest.mark.parametrize("runtime", live.runtimes())
def test_the_receiver_s_400_is_the_error(receiver, runtime):
    # A sample stamped 1970 (a collector's own timestamp): Prometheus refuses it as out of bounds.
    job = "rw-old-" + runtime
    url = receiver.write_url
    message = _write(runtime, {"url": url, "variant": "old", "job": job})
    expected = "error: remote write to %s failed: 400 Bad Request: out of bounds" % url
    assert message.rstrip() == expected
    assert receiver.series('{job="%s"}' % job) == {}


@pytest.mark.parametrize("runtime", live.runtimes())
def test_connection_refused(runtime):
    port = live.free_port()  # nobody listens
    url = "http://127.0.0.1:%d/api/v1/write" % port
    message = _write(runtime, {"url": url, "variant": "b", "job": "nobody"})
    expected = "error: remote write to %s failed: cannot reach 127.0.0.1:%d: " % (url, port)
    assert message.startswith(expected), message


@pytest.mark.parametrize("runtime", live.runtimes())
def test_remote_writer_keeps_rounds_while_down(runtime):
    # keep=2: of three rounds taken while nobody listens the last two are kept, and sent, oldest
    # first, before the round that finds Prometheus up.
    port = live.free_port()
    url = "http://127.0.0.1:%d/api/v1/write" % port
    job = "rw-keep-" + runtime
    session = _Session(runtime, {"url": url, "job": job, "keep": 2})
    try:
        for value in (1, 2, 3):
            message = session.send(value)
            assert message.startswith("error: remote write to %s failed: cannot reach " % url)
        with rw.Receiver(port=port) as prometheus:
            before, after = _sent(session.send(4))
            found = prometheus.wait_series('{job="%s"}' % job, 1, samples=3)
    finally:
        session.close()
    assert list(found) == [_key({"__name__": "rw_round", "job": job})], found
    samples = list(found.values())[0]
    assert [text for _, text in samples] == ["2", "3", "4"], samples
    assert samples[0][0] < samples[1][0] < before // 1000 * 1000 <= samples[2][0] <= after


# -- the example -------------------------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[2] / "examples"
FAKE_BOARDS = Path(__file__).resolve().parents[1] / "oracle" / "fake_boards"


def _run_example(tmp_path, url):
    # The deep-sleep example on CPython with the stand-in board modules, its URL pointed here.
    name = "prometheus_express_esp32s3_deepsleep_remote_write.py"
    source = (EXAMPLE / name).read_text()
    old = '"http://192.168.1.10:9090/api/v1/write"'
    assert old in source
    (tmp_path / name).write_text(source.replace(old, '"%s"' % url))
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(FAKE_BOARDS), root]))
    return subprocess.run(
        [sys.executable, str(tmp_path / name)],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_DEADLINE,
    )


def test_the_deep_sleep_example_writes_then_sleeps(receiver, tmp_path):
    before = rw.now_ms()
    run = _run_example(tmp_path, receiver.write_url)
    assert run.returncode == 0, run.stderr
    assert run.stdout.index("written to") < run.stdout.index("deep sleep until ["), run.stdout
    found = receiver.wait_series('{job="weather"}', 3)
    readings = {}
    for labels, samples in found.items():
        labels = dict(labels)
        assert labels["instance"] == "balcony" and labels["sensor"] == "fake", labels
        ((stamp, value),) = samples
        assert before - 1000 <= stamp <= rw.now_ms(), (stamp, before)
        readings[labels["__name__"]] = value
    assert readings == {
        "air_temperature_celsius": "21.5",
        "air_relative_humidity_ratio": "0.45",
        "air_pressure_pascals": "101325",
    }


def test_the_deep_sleep_example_sleeps_when_the_write_fails(tmp_path):
    run = _run_example(tmp_path, "http://127.0.0.1:%d/api/v1/write" % live.free_port())
    assert run.returncode == 0, run.stderr
    assert run.stdout.index("remote write failed:") < run.stdout.index("deep sleep until [")
