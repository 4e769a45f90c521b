"""examples/grafana's dashboard: Grafana's Import asks for its Prometheus, promtool parses every
query in it, and every query finds the series the library really writes (the pages of the
`pages` fixture, in conftest.py): renaming a metric in the library fails these tests.

The queries are found by walking the JSON (panel targets and query variables), never listed
here, and run with Grafana's variables put in as Grafana would (monitoring_support).
"""

import re

import monitoring_support as ms

# The Grafana units the dashboard may use (ids from Grafana's valueFormats/categories.ts).
UNITS = {
    "none",
    "short",
    "s",
    "bytes",
    "percentunit",
    "dBm",
    "celsius",
    "hertz",
    "pressurehpa",
    "cpm",
    "reqps",
}


def _queries(dashboard):
    return [(where, ms.substitute(q), legend) for where, q, legend in ms.grafana_queries(dashboard)]


def _exprs(dashboard):
    """Every query as PromQL: a label_values() variable's selector stands for it."""
    out = []
    for _, query, _ in _queries(dashboard):
        found = ms.label_values(query)
        if found:
            if found[0]:
                out.append(found[0])
        else:
            out.append(query)
    return out


def _walk(node):
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _walk(child)


def _panels(dashboard):
    out = []
    for panel in dashboard["panels"]:
        out.append(panel)
        out.extend(panel.get("panels", []))  # a collapsed row holds its panels
    return out


def test_import_asks_for_a_prometheus_data_source(dashboard):
    inputs = dashboard["__inputs"]
    assert [(i["name"], i["type"], i["pluginId"]) for i in inputs] == [
        ("DS_PROMETHEUS", "datasource", "prometheus")
    ]
    sources = [
        n["datasource"] for n in _walk(dashboard) if isinstance(n, dict) and "datasource" in n
    ]
    assert len(sources) > 20, sources
    for source in sources:
        # Every query goes to the data source chosen on import; the one other source is
        # Grafana's own, for its built-in annotations.
        assert source in (
            {"type": "prometheus", "uid": "${DS_PROMETHEUS}"},
            {"type": "grafana", "uid": "-- Grafana --"},
        ), source
    assert dashboard["id"] is None and dashboard["uid"] and dashboard["title"]
    assert dashboard["schemaVersion"] >= 39  # the panel and variable formats of Grafana 10.3+
    names = [v["name"] for v in dashboard["templating"]["list"]]
    assert names == ["job", "instance"], names


def test_panels_fit_the_grid_without_overlapping(dashboard):
    taken = {}
    ids = set()
    for panel in _panels(dashboard):
        assert panel["id"] not in ids, panel["id"]
        ids.add(panel["id"])
        pos = panel["gridPos"]
        assert pos["x"] >= 0 and pos["w"] > 0 and pos["x"] + pos["w"] <= 24, panel["title"]
        for x in range(pos["x"], pos["x"] + pos["w"]):
            for y in range(pos["y"], pos["y"] + pos["h"]):
                assert (x, y) not in taken, (panel["title"], taken[(x, y)])
                taken[(x, y)] = panel["title"]


def test_every_panel_has_a_query_a_description_and_a_grafana_unit(dashboard):
    for panel in _panels(dashboard):
        if panel["type"] == "row":
            continue
        assert panel["targets"] and panel["description"], panel["title"]
        refs = [t["refId"] for t in panel["targets"]]
        assert len(set(refs)) == len(refs), panel["title"]
        units = [panel["fieldConfig"]["defaults"]["unit"]]
        for override in panel["fieldConfig"]["overrides"]:
            units += [p["value"] for p in override["properties"] if p["id"] == "unit"]
        assert set(units) <= UNITS, (panel["title"], units)


def test_every_selector_is_filtered_by_the_variables(dashboard):
    # A selector without them would show every board whatever the user picks.
    for where, query, _ in ms.grafana_queries(dashboard):
        if where.startswith("variable"):
            continue
        found = ms.selectors(query)
        assert found, (where, query)
        for name, matchers in found:
            assert ("job", "=~", "$job") in matchers, (where, name)
            assert ("instance", "=~", "$instance") in matchers, (where, name)


def test_every_query_parses(dashboard, tmp_path):
    exprs = _exprs(dashboard)
    assert len(exprs) >= 20, exprs
    rules = ms.write_json(tmp_path / "queries.rules.yml", ms.recording_rules(exprs))
    code, output = ms.run_promtool("check", "rules", rules)
    assert code == 0, output
    assert "SUCCESS: %d rules found" % len(exprs) in output, output


def test_every_query_finds_the_series_the_library_writes(dashboard, series, tmp_path):
    code, output = ms.check_queries(tmp_path, _exprs(dashboard), series)
    assert code == 0, output


def test_a_renamed_metric_fails_the_check(dashboard, series, tmp_path):
    # The check above must see a metric renamed in the library: each metric the dashboard reads,
    # renamed in turn on the pages, makes promtool fail and name it.
    exprs = _exprs(dashboard)
    names = sorted({name for expr in exprs for name, _ in ms.selectors(expr)})
    assert "board_wifi_rssi_dbm" in names and "prometheus_express_scrapes_total" in names, names
    runs = []
    for name in names:
        work = tmp_path / name
        work.mkdir()
        runs.append(ms.query_test(work, exprs, ms.renamed(series, name, name + "_renamed")))
    for name, (code, output) in zip(names, ms.run_promtools(runs)):
        assert code != 0, "renaming %s went unnoticed" % name
        assert name in output, output


def test_every_board_and_exporter_metric_is_on_the_dashboard(dashboard, series):
    # A metric BoardCollector or the exporter gains shows up here until it has a panel.
    shown = {name for expr in _exprs(dashboard) for name, _ in ms.selectors(expr)}
    written = set()
    for name, _ in series:
        if name.startswith(("board_", "prometheus_express_")) and not name.endswith("_created"):
            written.add(name)
    assert "board_heap_free_bytes" in written and "board_reset_info" in written, written
    assert written <= shown, sorted(written - shown)


def test_legends_name_labels_the_series_have(dashboard, series):
    for where, query, legend in _queries(dashboard):
        wanted = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", legend))
        have = set()
        for name, matchers in ms.selectors(query):
            for key in ms.matching(series, name, matchers):
                have |= {label for label, _ in key[1]}
        assert wanted <= have, (where, legend, sorted(have))


def test_variables_list_labels_the_series_have(dashboard, series):
    variables = [q for w, q, _ in _queries(dashboard) if w.startswith("variable")]
    assert len(variables) == 2, variables
    for query in variables:
        found = ms.label_values(query)
        assert found and found[0], "not label_values(selector, label): %r" % query
        selector, label = found
        [(name, matchers)] = ms.selectors(selector)
        keys = ms.matching(series, name, matchers)
        assert keys and all(label in dict(key[1]) for key in keys), (query, keys)
