"""examples/prometheus' alerting rules: promtool checks them and runs their unit tests, the unit
tests catch a changed threshold or wait, and every series a rule selects is one the library
really writes (or Prometheus or the Pushgateway adds)."""

import re
import shutil

import monitoring_support as ms

ALERTS = [
    "BoardDown",
    "BoardsAbsent",
    "HeapLow",
    "FrequentResets",
    "WeakWifi",
    "ScrapesFailing",
    "ExporterErrors",
    "ExporterPageFailed",
    "BoardStoppedPushing",
]

# One change per rule that its unit tests must notice: (alert, old text, new text).
MUTATIONS = [
    ("BoardDown", "< 0.5", "< 0.1"),
    ("BoardDown", "for: 5m", "for: 0m"),
    ("BoardsAbsent", "for: 10m", "for: 1m"),
    ("HeapLow", "< 0.10", "< 0.01"),
    ("HeapLow", "max_over_time(board_heap_free_bytes[15m])", "board_heap_free_bytes"),
    ("FrequentResets", ">= 3", ">= 4"),
    ("FrequentResets", "group_left (reason)", "group_left ()"),
    ("WeakWifi", "< -80", "< -90"),
    ("WeakWifi", "avg_over_time(board_wifi_rssi_dbm[5m])", "board_wifi_rssi_dbm"),
    ("ScrapesFailing", "< 90", "< 70"),
    ("ExporterErrors", "> 10", "> 20"),
    ("ExporterPageFailed", "offset 15m", "offset 1m"),
    ("ExporterPageFailed", '"render|memory"', '"render"'),
    ("BoardStoppedPushing", "> 3 * 300", "> 6 * 300"),
]

# What Prometheus' Pushgateway adds to each group a board pushes (job and instance from the
# deep-sleep example), for the rule on boards that push.
PUSHGATEWAY = [("push_time_seconds", {"job": "weather", "instance": "balcony"}, 3300.0)]


def _blocks():
    return ms.rule_blocks(ms.RULES.read_text(encoding="utf-8"))


def test_rules_pass_promtool_check():
    code, output = ms.run_promtool("check", "rules", ms.RULES)
    assert code == 0, output
    assert "SUCCESS: %d rules found" % len(ALERTS) in output, output
    assert sorted(_blocks()) == sorted(ALERTS)


def test_rules_unit_tests_pass():
    code, output = ms.run_promtool("test", "rules", ms.RULES_TEST)
    assert code == 0, output


def test_every_alert_is_tested_firing_and_not_firing():
    text = ms.RULES_TEST.read_text(encoding="utf-8")
    cases = re.findall(r"alertname: (\w+)\n\s+exp_alerts:( \[\])?", text)
    assert len(cases) == text.count("alertname:"), "write exp_alerts right under alertname"
    for alert in ALERTS:
        outcomes = {bool(silent) for name, silent in cases if name == alert}
        assert outcomes == {True, False}, "%s: a case that fires and one that does not" % alert


def test_unit_tests_catch_a_changed_rule(tmp_path):
    original = ms.RULES.read_text(encoding="utf-8")
    blocks = _blocks()
    checks, tests = [], []
    for i, (alert, old, new) in enumerate(MUTATIONS):
        block = "\n".join(blocks[alert])
        assert old in block, (alert, old)
        work = tmp_path / str(i)
        work.mkdir()
        rules = work / ms.RULES.name
        rules.write_text(original.replace(block, block.replace(old, new)), encoding="utf-8")
        shutil.copy(ms.RULES_TEST, work / ms.RULES_TEST.name)
        checks.append(["check", "rules", rules])
        tests.append(["test", "rules", work / ms.RULES_TEST.name])
    results = ms.run_promtools(checks + tests)
    for mutation, (code, output) in zip(MUTATIONS, results):
        assert code == 0, (mutation, output)  # still a valid rule
    for (alert, old, new), (code, output) in zip(MUTATIONS, results[len(checks) :]):
        assert code != 0, "the unit tests pass with %s's %r changed to %r" % (alert, old, new)
        assert "alertname: %s" % alert in output, output


def test_every_alert_waits_names_its_severity_and_explains_itself():
    for alert, lines in _blocks().items():
        block = "\n".join(lines)
        assert re.search(r"\n\s+for: \d+[smh]\n", block), alert
        assert re.search(r"\n\s+severity: (critical|warning)\n", block), alert
        for annotation in ("summary", "description"):
            assert re.search(r"\n\s+%s: " % annotation, block), (alert, annotation)
        if "absent(" in ms.rule_expr(lines):
            # absent() returns no instance, and 1 as its value: it can only name the job.
            assert "$labels.job" in block, alert
        else:
            assert "$labels.instance" in block and "$value" in block, alert


def test_every_rule_selects_series_the_library_writes(series, tmp_path):
    exprs = [ms.rule_expr(lines) for lines in _blocks().values()]
    assert len(exprs) == len(ALERTS)
    selected = [s for expr in exprs for s in ms.selectors(expr)]
    assert {name for name, _ in selected} >= {
        "up",
        "board_heap_free_bytes",
        "board_uptime_seconds",
        "board_reset_info",
        "board_wifi_rssi_dbm",
        "prometheus_express_http_errors_total",
        "push_time_seconds",
    }, selected
    # Each selector, not each rule: a rule's condition selects nothing on a healthy board.
    code, output = ms.check_queries(tmp_path, exprs, ms.with_samples(series, PUSHGATEWAY), False)
    assert code == 0, output
