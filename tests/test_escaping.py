"""UTF-8 names on pages: each escaping scheme, in both formats, from the writers and exporter."""

import sys

from support import Unloaded, Utf8Names, lines, module

from prometheus_express import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_express.escaping import escape_label_name, escape_metric_name
from prometheus_express.negotiation import choose_encoder
from prometheus_express.openmetrics.exposition import generate_latest as om_latest

SCHEMES = ("allow-utf-8", "underscores", "dots", "values")


def test_names_under_each_scheme():
    for name, expected in (
        (
            "http.requests",
            ('"http.requests"', "http_requests", "http_dot_requests", "U__http_2e_requests"),
        ),
        ("a_b", ("a_b", "a_b", "a__b", "a_b")),
        ("job:rate", ("job:rate", "job:rate", "job:rate", "job:rate")),
        ("9é", ('"9é"', "__", "____", "U___39__e9_")),
        ('a"\\\n', ('"a\\"\\\\\\n"', "a___", "a______", "U__a_22__5c__a_")),
    ):
        got = tuple(escape_metric_name(name, scheme) for scheme in SCHEMES)
        assert got == expected, (name, got)
    # Label names: no ':', and a name starting with "__" is not a legacy one.
    for name, expected in (
        ("job:rate", ('"job:rate"', "job_rate", "job__rate", "U__job_3a_rate")),
        ("__x", ('"__x"', "__x", "____x", "U______x")),
        ("le", ("le", "le", "le", "le")),
    ):
        got = tuple(escape_label_name(name, scheme) for scheme in SCHEMES)
        assert got == expected, (name, got)
    assert escape_metric_name("") == "" and escape_label_name("") == ""


def _registry():
    r = CollectorRegistry()
    c = Counter("http.requests", "Requests.", ["http.method", "code"], registry=r)
    c.labels("GET", "200").inc(3)
    Gauge("temperature_celsius", "Air.", registry=r).set(21.5)
    return r


def _without_created(page):
    return [line for line in lines(page.decode()) if "created" not in line]


def test_text_pages_under_each_scheme():
    with Utf8Names():
        r = _registry()
        got = {}
        for scheme in SCHEMES:
            got[scheme] = _without_created(generate_latest(r, scheme))
    assert got["allow-utf-8"][:3] == [
        '# HELP "http.requests_total" Requests.',
        '# TYPE "http.requests_total" counter',
        '{"http.requests_total",code="200","http.method"="GET"} 3.0',
    ]
    assert got["underscores"][:3] == [
        "# HELP http_requests_total Requests.",
        "# TYPE http_requests_total counter",
        'http_requests_total{code="200",http_method="GET"} 3.0',
    ]
    assert got["dots"][2] == 'http_dot_requests__total{code="200",http_dot_method="GET"} 3.0'
    assert got["values"][2] == (
        'U__http_2e_requests__total{code="200",U__http_2e_method="GET"} 3.0'
    )
    # A legacy name is as it was, except with dots.
    assert "temperature_celsius 21.5" in got["underscores"]
    assert "temperature_celsius 21.5" in got["values"]
    assert "temperature__celsius 21.5" in got["dots"]


def test_openmetrics_pages_keep_each_sample_in_its_family():
    with Utf8Names():
        r = _registry()
        allow = _without_created(om_latest(r, "allow-utf-8"))
        dots = _without_created(om_latest(r, "dots"))
        values = _without_created(om_latest(r, "values"))
    assert allow[:3] == [
        '# HELP "http.requests" Requests.',
        '# TYPE "http.requests" counter',
        '{"http.requests_total",code="200","http.method"="GET"} 3.0',
    ]
    assert dots[1:3] == [
        "# TYPE http_dot_requests counter",
        'http_dot_requests_total{code="200",http_dot_method="GET"} 3.0',
    ]
    assert values[1:3] == [
        "# TYPE U__http_2e_requests counter",
        'U__http_2e_requests_total{code="200",U__http_2e_method="GET"} 3.0',
    ]
    assert "temperature__celsius 21.5" in dots and "temperature_celsius 21.5" in values


def test_choose_encoder_applies_the_escaping_asked_for():
    with Utf8Names():
        r = _registry()
        for accept, first_sample in (
            ("text/plain;version=1.0.0;escaping=allow-utf-8", '{"http.requests_total",'),
            ("text/plain;version=1.0.0", "http_requests_total{"),
            ("text/plain;version=1.0.0;escaping=dots", "http_dot_requests__total{"),
            ("application/openmetrics-text;version=1.0.0;escaping=values", "U__http_2e_req"),
            ("text/plain", "http_requests_total{"),  # 0.0.4: underscores
        ):
            encoder, content_type = choose_encoder(accept)
            page = lines(encoder(r).decode())
            assert page[2].startswith(first_sample), (accept, page[2])


def test_legacy_names_stream_as_before_and_load_no_escaping():
    r = CollectorRegistry()
    Counter("requests", "d", ["method"], registry=r).labels("GET").inc()
    with Utf8Names(), Unloaded("prometheus_express.escaping"):
        module("prometheus_express.exposition").utf8_names = False  # as if no test made one
        for scheme in ("allow-utf-8", "underscores", "values"):
            assert generate_latest(r, scheme) == generate_latest(r)
            assert om_latest(r, scheme) == om_latest(r)
        assert "prometheus_express.escaping" not in sys.modules
        assert b"requests__total{" in generate_latest(r, "dots")
