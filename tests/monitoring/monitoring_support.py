"""Helpers for the monitoring tests: promtool, the pages the library really writes turned into
promtool's input series, and the PromQL of the Grafana dashboard and of the alerting rules.

    pages = {"exporter:8000": exporter_page(), "pico-w:8000": example_page(tmp, PICO_W, MP)}
    series = input_series(pages)             # as Prometheus stores them, with up and scrape_*
    code, output = check_queries(tmp, exprs, series)   # promtool test rules: each finds them
"""

import concurrent.futures
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import fakeboard
import pytest
from bodies import promtool
from prometheus_client.parser import text_string_to_metric_families

from prometheus_express import CollectorRegistry, start_http_server
from prometheus_express.board import BoardCollector

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DASHBOARD = EXAMPLES / "grafana" / "prometheus_express_boards.json"
RULES = EXAMPLES / "prometheus" / "prometheus_express_rules.yml"
RULES_TEST = EXAMPLES / "prometheus" / "prometheus_express_rules_test.yml"
FAKE_BOARDS = ROOT / "tests" / "oracle" / "fake_boards"  # the board modules the examples import
MICROPYTHON = ROOT / ".venv" / "bin" / "micropython"
PICO_W = "prometheus_express_picow_micropython.py"
SIMPLETEST = "prometheus_express_simpletest.py"

JOB = "boards"  # the job of the README's scrape config, which the alerting rules select
INTERVAL = "15s"  # the README's scrape interval
STEPS = 240  # of INTERVAL: every input series spans EVAL_TIME
EVAL_TIME = "1h"
DEADLINE = 60  # seconds for an example to serve its first readings: a hang, not a speed

# What Grafana puts in place of its variables when the dashboard asks Prometheus: one job, all
# instances (the variables' allValue), and an hour-long view at a 1-minute step.
GRAFANA_VALUES = {
    "job": JOB,
    "instance": ".*",
    "__rate_interval": "1m",  # Grafana: at least 4 scrape intervals
    "__interval": "1m",
    "__interval_ms": "60000",
    "__range": "1h",
    "__range_s": "3600",
    "__range_ms": "3600000",
}

PROMQL_KEYWORDS = {
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "and",
    "or",
    "unless",
    "offset",
    "inf",
    "nan",
    "atan2",
}


# ---------------------------------------------------------------- promtool


def run_promtool(*args):
    """(exit code, stdout and stderr) of promtool with these arguments."""
    run = subprocess.run([promtool()] + [str(a) for a in args], capture_output=True, timeout=300)
    return run.returncode, (run.stdout + run.stderr).decode("utf-8", "replace")


def run_promtools(arg_lists):
    """[(exit code, output)] of one promtool run per argument list, side by side."""
    promtool()  # skip or fail here, not in a worker thread
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        return list(pool.map(lambda args: run_promtool(*args), arg_lists))


def write_json(path, data):
    # JSON is YAML: promtool reads it, and no YAML writer is needed.
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the library's pages


class _Broken:
    """A collector whose collect() raises: the server answers 500 and counts a render error."""

    def collect(self):
        raise RuntimeError("a sensor driver failed (tests/monitoring: on purpose)")


def exporter_page():
    """The page of a CPython exporter with every reading a board offers and its own metrics.

    BoardCollector reads the stand-ins of tests/fakeboard.py (CPU temperature and clock, reset
    reason, Wi-Fi); MetricsServer(self_metrics=True) has refused one request that is not HTTP,
    failed one page (a collector raised) and served one page before this one.
    """
    saved = fakeboard.inject(fakeboard.every_module())
    try:
        registry = CollectorRegistry()
        broken = _Broken()
        registry.register(broken)  # first: it raises before any of the page has gone out
        BoardCollector(registry=registry)
        server, thread = start_http_server(0, "127.0.0.1", registry=registry, self_metrics=True)
        try:
            port = server.server_port
            with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                sock.sendall(b"\x16\x03\x01\x00\x05hello")  # a TLS hello: 400, bad_request
                assert _read_all(sock).startswith(b"HTTP/1.1 400 "), "no 400 for a TLS hello"
            assert _get(port)[0] == 500, "a collector that raises must fail the page"
            registry.unregister(broken)
            _get(port)
            status, page = _get(port)
            assert status == 200, status
            return page
        finally:
            server.shutdown()
            thread.join(30)
    finally:
        fakeboard.restore(saved)


def _read_all(sock):
    data = b""
    while True:
        piece = sock.recv(4096)
        if not piece:
            return data
        data += piece


def _get(port):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=30) as reply:
            return reply.status, reply.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def example_page(work, name, runtime):
    """The page a board example serves, run as tests/oracle/test_examples.py runs it: on the
    stand-in board modules of tests/oracle/fake_boards, on loopback, with fake sensor readings.
    """
    source = (EXAMPLES / name).read_text(encoding="utf-8")
    assert "MetricsServer(8000" in source, name
    port = _free_port()
    script = work / name
    script.write_text(source.replace("MetricsServer(8000", "MetricsServer(%d" % port))
    env = dict(
        os.environ,
        PYTHONPATH="%s%s%s" % (FAKE_BOARDS, os.pathsep, ROOT),
        MICROPYPATH="%s:%s:.frozen" % (FAKE_BOARDS, ROOT),
    )
    proc = subprocess.Popen(
        [str(runtime), str(script)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + DEADLINE
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail("%s ended (%s): %s" % (name, proc.returncode, proc.stderr.read()))
            try:
                status, page = _get(port)
            except (OSError, http.client.HTTPException):  # not listening yet
                status, page = None, ""
            # The loop reads the sensor right after it starts serving.
            if status == 200 and "air_temperature_celsius{" in page:
                return page
            if time.monotonic() > deadline:
                pytest.fail("%s served no sensor readings in %d s: %r" % (name, DEADLINE, page))
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.communicate()


def printed_page(name):
    """The page an example that prints one (the simpletest) writes, on CPython."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


# ---------------------------------------------------------------- promtool input


def page_samples(page):
    """[(name, labels, value)] of every sample of a text-format page."""
    out = []
    for family in text_string_to_metric_families(page):
        for s in family.samples:
            out.append((s.name, dict(s.labels), s.value))
    assert out, "an empty page"
    return out


def input_series(pages):
    """{(name, labels as sorted tuple): value} for promtool: each page's samples as Prometheus
    stores them (job and instance added, instance named by the page's key), and what Prometheus
    adds for each target: up, scrape_duration_seconds, scrape_samples_scraped."""
    out = {}
    for instance in sorted(pages):
        samples = page_samples(pages[instance])
        target = {"job": JOB, "instance": instance}
        added = [
            ("up", {}, 1.0),
            ("scrape_duration_seconds", {}, 0.25),
            ("scrape_samples_scraped", {}, float(len(samples))),
        ]
        for name, labels, value in samples + added:
            assert "job" not in labels and "instance" not in labels, (name, labels)
            key = (name, tuple(sorted(dict(labels, **target).items())))
            assert key not in out, key
            out[key] = value
    return out


def with_samples(series, samples):
    """The series and these (name, labels, value) too, as another program (a Pushgateway)
    adds them."""
    out = dict(series)
    for name, labels, value in samples:
        out[(name, tuple(sorted(labels.items())))] = value
    return out


def renamed(series, old, new):
    """The series with metric old called new, as a library that renamed it would write them."""
    out = {}
    for (name, labels), value in series.items():
        out[(new if name == old else name, labels)] = value
    return out


def series_text(name, labels):
    """promtool's form of a series: name{a="1", b="2"}."""
    parts = []
    for k, v in labels:
        escaped = v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        parts.append('%s="%s"' % (k, escaped))
    return "%s{%s}" % (name, ", ".join(parts))


def input_list(series):
    """promtool's input_series: each value held for the whole test."""
    out = []
    for name, labels in sorted(series):
        value = series[(name, labels)]
        out.append({"series": series_text(name, labels), "values": "%r+0x%d" % (value, STEPS)})
    return out


# ---------------------------------------------------------------- PromQL


def grafana_queries(dashboard):
    """[(where, query, legend)] of every query in the dashboard, found by walking the JSON:
    each panel target's expr, and each query variable's query."""
    out = []

    def walk(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("expr"), str):
                out.append((where, node["expr"], node.get("legendFormat", "")))
            if node.get("type") == "query" and "query" in node:
                query = node["query"]
                if isinstance(query, dict):
                    query = query["query"]
                out.append(("variable %s" % node.get("name"), query, ""))
            title = node.get("title")
            for key in node:
                inner = where
                if title and key in ("targets", "panels"):
                    inner = "%s > %s" % (where, title) if where else title
                walk(node[key], inner)
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(dashboard, "")
    return out


_VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)(?::\w+)?\]\]|\$(\w+)")


def substitute(query, values=GRAFANA_VALUES):
    """The query with Grafana's variables ($x, ${x}, ${x:format}, [[x]]) put in."""

    def value(match):
        name = match.group(1) or match.group(2) or match.group(3)
        if name not in values:
            raise AssertionError("unknown Grafana variable $%s in %r" % (name, query))
        return values[name]

    return _VARIABLE.sub(value, query)


_LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(?:(.*)\s*,\s*)?(\w+)\s*\)\s*$")


def label_values(query):
    """(selector or None, label) of Grafana's label_values([selector,] label), else None."""
    match = _LABEL_VALUES.match(query)
    return match.groups() if match else None


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_BRACES = re.compile(r"\{[^{}]*\}")
_CLAUSE = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")
_RANGE = re.compile(r"\[[^\]]*\]")
_NAME = re.compile(r"(?<![\w.:])([A-Za-z_:][\w:]*)\s*([({])?")
_MATCHER = re.compile(r'\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)')


def _spaces(match):
    return " " * len(match.group())


def selectors(expr):
    """[(metric, [(label, op, value)])] of every vector selector in expr, in order.

    A light reading of PromQL, enough for the queries here (promtool parses them for real):
    a name followed by "(" is a function, any other name, with or without {...}, a selector.
    A selector without a metric name fails, as the tests need the name."""
    # Blank out, keeping every offset: string contents, then label matchers (kept aside),
    # label lists (by, on, ...) and ranges.
    blank = _STRING.sub(lambda m: m.group()[0] + " " * (len(m.group()) - 2) + m.group()[-1], expr)
    groups = {}

    def hide(match):
        groups[match.start()] = expr[match.start() + 1 : match.end() - 1]
        return "{" + " " * (len(match.group()) - 2) + "}"

    blank = _BRACES.sub(hide, blank)
    blank = _CLAUSE.sub(_spaces, blank)
    blank = _RANGE.sub(_spaces, blank)
    found = []
    named = set()
    for match in _NAME.finditer(blank):
        name, follows = match.groups()
        if follows == "(" or name.lower() in PROMQL_KEYWORDS:
            continue
        matchers = []
        if follows == "{":
            named.add(match.end() - 1)
            matchers = parse_matchers(groups[match.end() - 1])
        found.append((name, matchers))
    assert set(groups) == named, "a selector without a metric name in %r" % expr
    return found


def parse_matchers(text):
    out = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _MATCHER.match(text, pos)
        assert match, "cannot read the label matchers %r" % text
        label, op, value = match.groups()
        out.append((label, op, value.encode().decode("unicode_escape")))
        pos = match.end()
    return out


def matching(series, name, matchers):
    """The keys of series that the selector name{matchers} selects."""
    out = []
    for key in sorted(series):
        if key[0] != name:
            continue
        labels = dict(key[1])
        ok = True
        for label, op, value in matchers:
            have = labels.get(label, "")
            if op == "=":
                ok = ok and have == value
            elif op == "!=":
                ok = ok and have != value
            elif op == "=~":
                ok = ok and re.fullmatch(value, have) is not None
            else:
                ok = ok and re.fullmatch(value, have) is None
        if ok:
            out.append(key)
    return out


def recording_rules(exprs):
    """A rules file recording each expression: `promtool check rules` parses them all."""
    rules = []
    for i, expr in enumerate(exprs):
        rules.append({"record": "query:number_%d" % (i + 1), "expr": expr})
    return {"groups": [{"name": "queries", "rules": rules}]}


def expr_tests(exprs, series, whole=True):
    """promql_expr_test cases: each selector in the expressions returns exactly the series and
    values the input holds for it, and (whole) each expression returns something."""
    cases = []
    seen = set()

    def case(expr, samples):
        if expr not in seen:
            seen.add(expr)
            cases.append({"expr": expr, "eval_time": EVAL_TIME, "exp_samples": samples})

    for expr in exprs:
        found = selectors(expr)
        if whole:  # not empty, whatever the expression computes
            case("clamp_max(count(%s), 1)" % expr, [{"labels": "{}", "value": 1}])
        for name, matchers in found:
            keys = matching(series, name, matchers)
            text = name
            if matchers:
                text += "{%s}" % ", ".join('%s%s"%s"' % m for m in matchers)
            wanted = []
            for key in keys:
                wanted.append({"labels": series_text(*key), "value": series[key]})
            # Empty on purpose when the input lacks the series: promtool then says which.
            case(text, wanted or [{"labels": '%s{missing_from_the_pages="true"}' % name}])
    return cases


def promtool_test_file(rule_file, series, cases):
    return {
        "rule_files": [str(rule_file)],
        "evaluation_interval": "1m",
        "tests": [
            {"interval": INTERVAL, "input_series": input_list(series), "promql_expr_test": cases}
        ],
    }


def query_test(work, exprs, series, whole=True):
    """The arguments of `promtool test rules` running expr_tests() on the series, whose files
    it writes into work."""
    rules = write_json(work / "queries.rules.yml", recording_rules(exprs))
    cases = expr_tests(exprs, series, whole)
    test = write_json(work / "queries.test.yml", promtool_test_file(rules, series, cases))
    return ["test", "rules", test]


def check_queries(work, exprs, series, whole=True):
    """(exit code, output) of `promtool test rules` running expr_tests() on the series."""
    return run_promtool(*query_test(work, exprs, series, whole))


# ---------------------------------------------------------------- the rules file, as text


def rule_blocks(text):
    """{rule name: its lines} of a rules file laid out as examples/prometheus' is: a rule runs
    from its `- alert:` (or `- record:`) line to the next rule, group or comment line."""
    blocks = {}
    lines = None
    for line in text.splitlines():
        match = re.match(r"\s*- (?:alert|record): (\S+)\s*$", line)
        if match:
            assert match.group(1) not in blocks, "two rules named %s" % match.group(1)
            lines = blocks[match.group(1)] = []
        elif re.match(r"\s*(- name:|#)", line):
            lines = None
        if lines is not None:
            lines.append(line)
    return blocks


def rule_expr(lines):
    """The expr of one rule's lines: `expr: x`, or the block under `expr: |`."""
    for i, line in enumerate(lines):
        match = re.match(r"(\s*)expr: (.*)$", line)
        if not match:
            continue
        indent, value = len(match.group(1)), match.group(2).strip()
        if value not in ("|", "|-"):
            assert not value.startswith((">", "'", '"')), "write expr plain or as |: %r" % line
            return value
        body = []
        for more in lines[i + 1 :]:
            if more.strip() and len(more) - len(more.lstrip()) <= indent:
                break
            body.append(more.strip())
        return "\n".join(body).strip()
    raise AssertionError("no expr in %r" % lines)
