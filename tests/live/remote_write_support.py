"""A real Prometheus receiving remote writes, and a remote-write client that owes nothing to
prometheus_express (Google's protobuf and cramjam's snappy), for test_remote_write.py.

    with Receiver() as prometheus:                  # plain HTTP on a free loopback port
        body = encode([([("__name__", "x"), ("job", "j")], [(21.5, now_ms())])])
        status, reason, text = prometheus.post(body)
        found = prometheus.wait_series('{job="j"}', 1)  # {labels: [(ms, "21.5")]}, polled

    tls = Certificates(folder)                      # a CA and its server certificate (openssl)
    with Receiver(tls=tls, users={"writer": "s3cret"}) as prometheus: ...   # HTTPS + basic auth

Values come back as Prometheus' API renders them ("9007199254740992", "+Inf", "NaN"),
timestamps as integer milliseconds, labels as a frozenset of (name, value) with __name__.
"""

import base64
import contextlib
import http.client
import json
import shutil
import ssl
import struct
import subprocess
import tempfile
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path

import bcrypt
import cramjam
import live
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

PROMETHEUS = "/usr/bin/prometheus"
OPENSSL = "/usr/bin/openssl"
WRITE_PATH = "/api/v1/write"
READY_DEADLINE = 60  # seconds for Prometheus to open its TSDB and answer /-/ready
POLL_DEADLINE = 60  # seconds for written samples to show in the query API
HEADERS = {
    "Content-Encoding": "snappy",
    "Content-Type": "application/x-protobuf",
    "X-Prometheus-Remote-Write-Version": "0.1.0",
}
# Prometheus' staleness marker: a NaN with other bits than the ordinary NaN. Queries skip it,
# so a sender that writes it for NaN sees its samples vanish.
STALE_NAN_BITS = 0x7FF0000000000002


def now_ms():
    return time.time_ns() // 1000000


# -- the independent client ------------------------------------------------------------------


def _message_classes():
    # Remote write 1.0's messages (prometheus/prompb/types.proto, remote.proto), only the fields
    # a sample needs, declared here rather than compiled from a .proto file.
    field = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(
        name="remote_write_test.proto", package="rwtest", syntax="proto3"
    )

    def message(name, *fields):
        declared = proto.message_type.add(name=name)
        for field_name, number, kind, label, type_name in fields:
            one = declared.field.add(name=field_name, number=number, type=kind, label=label)
            if type_name:  # a message's type; an empty one still counts as set
                one.type_name = type_name

    one, many = field.LABEL_OPTIONAL, field.LABEL_REPEATED
    message(
        "Label", ("name", 1, field.TYPE_STRING, one, ""), ("value", 2, field.TYPE_STRING, one, "")
    )
    message(
        "Sample",
        ("value", 1, field.TYPE_DOUBLE, one, ""),
        ("timestamp", 2, field.TYPE_INT64, one, ""),
    )
    message(
        "TimeSeries",
        ("labels", 1, field.TYPE_MESSAGE, many, ".rwtest.Label"),
        ("samples", 2, field.TYPE_MESSAGE, many, ".rwtest.Sample"),
    )
    message("WriteRequest", ("timeseries", 1, field.TYPE_MESSAGE, many, ".rwtest.TimeSeries"))
    return message_factory.GetMessages([proto], pool=descriptor_pool.DescriptorPool())


_CLASSES = []


def write_request_class():
    """The WriteRequest message class (built once)."""
    if not _CLASSES:
        _CLASSES.append(_message_classes()["rwtest.WriteRequest"])
    return _CLASSES[0]


def encode(series):
    """The snappy-compressed WriteRequest of series: [(labels, [(value, timestamp_ms)])].

    labels: (name, value) pairs including ("__name__", ...); sent sorted by name, as remote
    write 1.0 requires. A value may be a float or ("bits", n) for a double's exact bits.
    """
    request = write_request_class()()
    for labels, samples in series:
        one = request.timeseries.add()
        for name, value in sorted(labels):
            one.labels.add(name=name, value=value)
        for value, timestamp in samples:
            if isinstance(value, tuple):  # exact bits: struct gives the double they spell
                value = struct.unpack("<d", struct.pack("<Q", value[1]))[0]
            one.samples.add(value=value, timestamp=timestamp)
    return bytes(cramjam.snappy.compress_raw(request.SerializeToString()))


def decode(body):
    """[(labels, [(value, timestamp_ms)])] of a snappy-compressed WriteRequest body."""
    request = write_request_class()()
    request.ParseFromString(bytes(cramjam.snappy.decompress_raw(body)))
    return [
        (
            [(label.name, label.value) for label in one.labels],
            [(sample.value, sample.timestamp) for sample in one.samples],
        )
        for one in request.timeseries
    ]


def basic(auth):
    """The Authorization header's value for (user, password)."""
    return "Basic " + base64.b64encode(("%s:%s" % auth).encode()).decode()


def http_request(method, url, body=None, headers=None, auth=None, cafile=None):
    """(status, reason, body bytes) of one request, through http.client (no prometheus_express).

    cafile: the CA that must have signed an https:// server's certificate.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        context = ssl.create_default_context(cafile=cafile)
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=live.CLIENT_TIMEOUT, context=context
        )
    else:
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=live.CLIENT_TIMEOUT
        )
    headers = dict(headers or {})
    if auth is not None:
        headers["Authorization"] = basic(auth)
    target = parts.path + ("?" + parts.query if parts.query else "")
    try:
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.reason, response.read()
    finally:
        connection.close()


def post(url, body, auth=None, cafile=None, headers=HEADERS):
    """POST a remote-write body: (status, reason, the answer's text)."""
    status, reason, answer = http_request("POST", url, body, headers, auth, cafile)
    return status, reason, answer.decode("utf-8", "replace")


# -- certificates and the web config ---------------------------------------------------------


class Certificates:
    """A CA, a server certificate it signed for 127.0.0.1 and localhost, and a second CA that
    signed nothing of Prometheus' (for the refused handshake). PEM files, and DER files (the
    MicroPython unix port's mbedTLS takes its CA in DER only)."""

    def __init__(self, folder):
        live.need(OPENSSL, "the openssl command (Debian package openssl)")
        self.folder = Path(folder)
        self.ca, self.ca_key = self._authority("ca", "prometheus_express test CA")
        self.other_ca, _ = self._authority("other-ca", "another test CA")
        self.key = self.folder / "server.key"
        self.cert = self.folder / "server.pem"
        request = self.folder / "server.csr"
        extensions = self.folder / "server.ext"
        extensions.write_text(
            "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
            "basicConstraints=critical,CA:FALSE\n"
            "keyUsage=critical,digitalSignature\n"
            "extendedKeyUsage=serverAuth\n"
            "subjectKeyIdentifier=hash\n"
            "authorityKeyIdentifier=keyid\n"
        )
        self._openssl(
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", self.key, "-out", request, "-subj", "/CN=localhost",
        )  # fmt: skip
        self._openssl(
            "x509", "-req", "-in", request, "-CA", self.ca, "-CAkey", self.ca_key,
            "-set_serial", "2", "-days", "7", "-extfile", extensions, "-out", self.cert,
        )  # fmt: skip
        self.ca_der = self._der(self.ca)
        self.other_ca_der = self._der(self.other_ca)

    def _authority(self, name, common_name):
        key = self.folder / (name + ".key")
        cert = self.folder / (name + ".pem")
        self._openssl(
            "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", key, "-out", cert, "-days", "7", "-subj", "/CN=" + common_name,
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        )  # fmt: skip
        return cert, key

    def _der(self, pem):
        der = pem.with_suffix(".der")
        self._openssl("x509", "-in", pem, "-outform", "DER", "-out", der)
        return der

    def _openssl(self, *args):
        done = subprocess.run(
            [OPENSSL] + [str(a) for a in args], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, "openssl %s failed: %s" % (args[0], done.stderr)


def web_config(path, tls=None, users=None):
    """Write Prometheus' --web.config.file: TLS with tls's certificate, basic auth for users
    ({name: password}, stored as bcrypt hashes). JSON, which is YAML."""
    config = {}
    if tls is not None:
        config["tls_server_config"] = {"cert_file": str(tls.cert), "key_file": str(tls.key)}
    if users:
        config["basic_auth_users"] = {
            name: bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
            for name, password in users.items()
        }
    Path(path).write_text(json.dumps(config, indent=1))


# -- the receiver ----------------------------------------------------------------------------


class Receiver(live.ServerProcess):
    """Prometheus with --web.enable-remote-write-receiver, no scrape targets, a fresh TSDB.

    tls: Certificates to serve HTTPS with; users: {name: password} for basic auth (the first
    is the receiver's own, used by api() and post()). port: a given port, else a free one.
    Ready when constructed: /-/ready answered 200 and one warm-up sample was written (so the
    TSDB head holds "now", and a sample an hour older is out of bounds).
    """

    def __init__(self, tls=None, users=None, port=None):
        live.need(PROMETHEUS, "Prometheus (Debian's 'prometheus' package)")
        self.dir = Path(tempfile.mkdtemp(prefix="live-remote-write-"))
        self.tls = tls
        self.cafile = str(tls.ca) if tls is not None else None
        self.auth = next(iter(users.items())) if users else None
        self.port = port or live.free_port()
        self.scheme = "https" if tls is not None else "http"
        self.base = "%s://127.0.0.1:%d" % (self.scheme, self.port)
        self.write_url = self.base + WRITE_PATH
        config = self.dir / "prometheus.yml"
        config.write_text(json.dumps({"global": {"scrape_interval": "1m"}}))
        args = [
            PROMETHEUS,
            "--config.file=%s" % config,
            "--storage.tsdb.path=%s" % (self.dir / "data"),
            "--web.listen-address=127.0.0.1:%d" % self.port,
            "--web.enable-remote-write-receiver",
            "--log.level=warn",
        ]
        if tls is not None or users:
            web_config(self.dir / "web.yml", tls, users)
            args.append("--web.config.file=%s" % (self.dir / "web.yml"))
        self.log = open(self.dir / "log", "w+b")  # closed in close()
        self.proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.dir
        )
        try:
            self._wait_ready()
            body = encode([([("__name__", "remote_write_harness_ready")], [(1, now_ms())])])
            status, reason, text = self.post(body)
            assert status == 204, "the warm-up write got %d %s: %s" % (status, reason, text)
        except BaseException:
            self.close()
            raise

    def _wait_ready(self):
        deadline = time.monotonic() + READY_DEADLINE
        while True:
            self.check_alive()
            try:
                status, _, _ = self.request("GET", "/-/ready")
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass  # not listening yet
            if time.monotonic() > deadline:
                pytest.fail("Prometheus not ready after %d s: %s" % (READY_DEADLINE, self.logs()))
            time.sleep(0.05)

    def check_alive(self):
        if self.proc.poll() is not None:
            pytest.fail("prometheus exited with %s: %s" % (self.proc.returncode, self.logs()))

    def request(self, method, path, body=None, headers=None):
        """(status, reason, body bytes) of a request with the receiver's own credentials."""
        return http_request(method, self.base + path, body, headers, self.auth, self.cafile)

    def post(self, body, auth="own", headers=HEADERS):
        """POST body to the write endpoint: (status, reason, text). auth: "own", None or a pair."""
        auth = self.auth if auth == "own" else auth
        return post(self.write_url, body, auth, self.cafile, headers)

    def api(self, path, **params):
        """The data of a successful /api/v1 call; None while Prometheus is not answering."""
        self.check_alive()
        try:
            status, reason, body = self.request(
                "GET", "/api/v1/%s?%s" % (path, urllib.parse.urlencode(params))
            )
        except (OSError, http.client.HTTPException):
            return None
        # Decimal keeps "1795908639.123" exact: its milliseconds are the ones written.
        answer = json.loads(body, parse_float=Decimal)
        assert status == 200 and answer.get("status") == "success", "%s: %d %s %s" % (
            path,
            status,
            reason,
            answer,
        )
        return answer["data"]

    def series(self, selector, window="1h", at=None):
        """{labels: [(timestamp_ms, value text)]} of the raw samples the selector matches in
        the window before `at` (default: ten minutes from now, so a sender's clock a little
        ahead is still in). labels: frozenset of (name, value), with __name__."""
        if at is None:
            at = time.time() + 600
        data = self.api("query", query="%s[%s]" % (selector, window), time="%.3f" % at)
        if data is None:
            return None
        assert data["resultType"] == "matrix", data
        found = {}
        for one in data["result"]:
            samples = [(int(Decimal(stamp) * 1000), text) for stamp, text in one["values"]]
            found[frozenset(one["metric"].items())] = samples
        return found

    def wait_series(self, selector, count, samples=None, deadline=POLL_DEADLINE):
        """series(selector) once it holds count series and `samples` samples (default: one a
        series), or what it holds after `deadline` seconds (the caller's assert says what)."""
        wanted = count if samples is None else samples
        end = time.monotonic() + deadline
        while True:
            found = self.series(selector) or {}
            have = sum(len(s) for s in found.values())
            if (len(found) >= count and have >= wanted) or time.monotonic() > end:
                return found
            time.sleep(0.1)


@contextlib.contextmanager
def certificates():
    """Certificates in a temporary folder, removed afterwards."""
    folder = tempfile.mkdtemp(prefix="live-certs-")
    try:
        yield Certificates(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
