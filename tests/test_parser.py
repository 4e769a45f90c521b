"""prometheus_express.parser and .openmetrics.parser: pages read back into metric families.

The answers here are those of prometheus_client 0.26's parsers for the same pages
(tests/oracle/test_parsers_ours.py compares the two on many more inputs).
"""

from support import raises

from prometheus_express import parser as text
from prometheus_express.metrics_core import Metric
from prometheus_express.openmetrics import parser as om
from prometheus_express.samples import BucketSpan, Exemplar, NativeHistogram, Sample, Timestamp

INF = float("inf")


def _rows(families):
    # Samples as (name, labels, value, timestamp, exemplar): native_histogram must be None.
    out = []
    for m in families:
        samples = []
        for s in m.samples:
            assert s.native_histogram is None, s
            samples.append(tuple(s)[:5])
        out.append((m.name, m.type, m.documentation, m.unit, samples))
    return out


def _om(page):
    return list(om.text_string_to_metric_families(page))


def _text(page):
    return list(text.text_string_to_metric_families(page))


def test_text_page_with_help_type_labels_and_timestamps():
    page = (
        "# HELP reads_total Sensor reads\n"
        "# TYPE reads_total counter\n"
        'reads_total{sensor="bme280",site="roof"} 3 1500\n'
        "\n"
        "# HELP temp Air temperature\\nin C, a \\\\ and a \\q\n"
        "# TYPE temp gauge\n"
        "temp 21.5\n"
    )
    assert _rows(_text(page)) == [
        (
            "reads",
            "counter",
            "Sensor reads",
            "",
            [("reads_total", {"sensor": "bme280", "site": "roof"}, 3, 1.5, None)],
        ),
        (
            "temp",
            "gauge",
            "Air temperature\nin C, a \\ and a \\q",
            "",
            [("temp", {}, 21.5, None, None)],
        ),
    ]


def test_text_counter_samples_get_total_and_unknown_samples_stand_alone():
    page = '# TYPE boots counter\nboots 2\nloose 1\n# TYPE h histogram\nh_bucket{le="+Inf"} 1\n'
    assert _rows(_text(page)) == [
        ("boots", "counter", "", "", [("boots_total", {}, 2, None, None)]),
        ("loose", "unknown", "", "", [("loose", {}, 1, None, None)]),
        ("h", "histogram", "", "", [("h_bucket", {"le": "+Inf"}, 1, None, None)]),
    ]


def test_text_label_escapes_special_values_and_results_types():
    page = 'a{k="q\\"\\\\\\n",e=""} NaN\nb +Inf\nc -Inf\nd 1e3\n'
    families = _text(page)
    assert isinstance(families[0], Metric) and isinstance(families[0].samples[0], Sample)
    s = families[0].samples[0]
    assert s.labels == {"k": 'q"\\\n', "e": ""}
    assert s.value != s.value  # NaN
    assert [m.samples[0].value for m in families[1:]] == [INF, -INF, 1000.0]
    assert isinstance(families[3].samples[0].value, float)


def test_text_errors_are_value_errors():
    for page in ("a\n", 'a{x="1" 1\n', "a 1_0\n", "9a 1\n", 'a{x="1",x="2"} 1\n', "# TYPE a\n"):
        raises(ValueError, _text, page)
    raises(ValueError, list, text.text_string_to_metric_families("# TYPE a bogus\na 1\n"))


def test_text_fd_reads_lines():
    assert _rows(text.text_fd_to_metric_families(["a 1\n", "b 2"])) == [
        ("a", "unknown", "", "", [("a", {}, 1, None, None)]),
        ("b", "unknown", "", "", [("b", {}, 2, None, None)]),
    ]


def test_openmetrics_page_with_unit_exemplar_and_timestamps():
    page = (
        "# TYPE read_seconds counter\n"
        "# UNIT read_seconds seconds\n"
        '# HELP read_seconds Time spent \\"reading\\"\n'
        'read_seconds_total{s="a"} 1.5 1700000000.25 # {trace="x"} 0.5 12\n'
        'read_seconds_created{s="a"} 1600000000 1700000000.25\n'
        "# EOF\n"
    )
    families = _om(page)
    assert _rows(families) == [
        (
            "read_seconds",
            "counter",
            'Time spent "reading"',
            "seconds",
            [
                (
                    "read_seconds_total",
                    {"s": "a"},
                    1.5,
                    Timestamp(1700000000, 250000000),
                    Exemplar({"trace": "x"}, 0.5, Timestamp(12, 0)),
                ),
                (
                    "read_seconds_created",
                    {"s": "a"},
                    1600000000,
                    Timestamp(1700000000, 250000000),
                    None,
                ),
            ],
        )
    ]
    ts = families[0].samples[0].timestamp
    assert (str(ts), repr(ts)) == ("1700000000.250000000", "Timestamp(1700000000, 250000000)")
    assert ts != 1700000000.25 and ts < Timestamp(1700000001, 0)


def test_openmetrics_histogram_summary_and_untyped():
    page = (
        "# TYPE h histogram\n"
        'h_bucket{le="1.0"} 1\n'
        'h_bucket{le="+Inf"} 2\n'
        "h_count 2\n"
        "h_sum 3.5\n"
        "# TYPE s summary\n"
        's{quantile="0.5"} 4\n'
        "s_count 1\n"
        "s_sum 4\n"
        "loose NaN 1.5e3\n"
        "# EOF"
    )
    assert _rows(_om(page))[:2] == [
        (
            "h",
            "histogram",
            "",
            "",
            [
                ("h_bucket", {"le": "1.0"}, 1, None, None),
                ("h_bucket", {"le": "+Inf"}, 2, None, None),
                ("h_count", {}, 2, None, None),
                ("h_sum", {}, 3.5, None, None),
            ],
        ),
        (
            "s",
            "summary",
            "",
            "",
            [
                ("s", {"quantile": "0.5"}, 4, None, None),
                ("s_count", {}, 1, None, None),
                ("s_sum", {}, 4, None, None),
            ],
        ),
    ]
    loose = _om(page)[2]
    assert (loose.name, loose.type, loose.samples[0].timestamp) == ("loose", "unknown", 1500.0)


def test_openmetrics_native_histogram():
    page = (
        "# TYPE nh histogram\n"
        "nh {count:3,sum:1.5,schema:0,zero_threshold:0.001,zero_count:1,"
        "positive_spans:[0:2],positive_deltas:[1,-1]}\n"
        "# EOF\n"
    )
    s = _om(page)[0].samples[0]
    assert (s.name, s.labels, s.value) == ("nh", None, None)
    assert s.native_histogram == NativeHistogram(
        3, 1.5, 0, 0.001, 1, (BucketSpan(0, 2),), None, (1, -1), None, None
    )


def test_openmetrics_errors_are_value_errors():
    for page in (
        "a 1\n",  # no # EOF
        "a 1\n\n# EOF\n",
        "# EOF\na 1\n",
        "# TYPE a counter\na_total -1\n# EOF\n",
        '# TYPE a gauge\na 1 # {t="1"} 1\n# EOF\n',
        '# TYPE h histogram\nh_bucket{le="1"} 1\n# EOF\n',
        "# HELP a x\n# HELP a y\n# EOF\n",
        "a 1\n# TYPE a gauge\n# EOF\n",
        "# TYPE a untyped\n# EOF\n",
        "# UNIT a s\n# TYPE a gauge\n# EOF\n",
        "a 1 1_0\n# EOF\n",
    ):
        raises(ValueError, _om, page)


def test_openmetrics_yields_families_before_the_error():
    found = []
    try:
        for m in om.text_string_to_metric_families("a 1\nb 2\n"):
            found.append(m.name)
    except ValueError:
        found.append("error")
    assert found == ["a", "b", "error"]


def test_openmetrics_fd_reads_lines():
    got = _rows(om.text_fd_to_metric_families(["a 1 2\n", "# EOF\n"]))
    assert got == [("a", "unknown", "", "", [("a", {}, 1, Timestamp(2, 0), None)])]
