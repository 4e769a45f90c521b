"""prometheus_express.negotiation: the exposition format for an Accept header."""

from prometheus_express import CollectorRegistry, Gauge
from prometheus_express.negotiation import choose_encoder, choose_format

# What Prometheus 3 sends when it scrapes (docs/platforms.md).
PROMETHEUS_ACCEPT = (
    "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
    "application/openmetrics-text;version=0.0.1;q=0.5,"
    "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
    "text/plain;version=0.0.4;q=0.3,"
    "*/*;q=0.2"
)
TEXT_0_0_4 = "text/plain; version=0.0.4; charset=utf-8"


def _registry():
    r = CollectorRegistry()
    Gauge("g", "d", registry=r).set(1)
    return r


def test_prometheus_gets_openmetrics():
    assert choose_format(PROMETHEUS_ACCEPT) == (
        True,
        "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8",
    )


def test_prometheus_encoder_writes_openmetrics():
    encoder, content_type = choose_encoder(PROMETHEUS_ACCEPT)
    assert content_type == (
        "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8"
    )
    assert encoder(_registry()) == b"# HELP g d\n# TYPE g gauge\ng 1.0\n# EOF\n"


def test_no_header_gets_text_0_0_4():
    for header in (None, ""):
        assert choose_format(header) == (False, TEXT_0_0_4)
        encoder, content_type = choose_encoder(header)
        assert content_type == TEXT_0_0_4
        assert encoder(_registry()) == b"# HELP g d\n# TYPE g gauge\ng 1.0\n"


def test_text_plain_1_0_0():
    assert choose_format("text/plain;version=1.0.0") == (
        False,
        "text/plain; version=1.0.0; charset=utf-8; escaping=underscores",
    )
    encoder, content_type = choose_encoder("text/plain;version=1.0.0")
    assert encoder(_registry()) == b"# HELP g d\n# TYPE g gauge\ng 1.0\n"


def test_text_plain_with_allow_utf8():
    assert choose_format("text/plain;version=1.0.0;escaping=allow-utf-8") == (
        False,
        "text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8",
    )


def test_openmetrics_without_version():
    assert choose_format("application/openmetrics-text") == (
        True,
        "application/openmetrics-text; version=1.0.0; charset=utf-8",
    )


def test_openmetrics_with_spaces_and_default_escaping():
    assert choose_format("application/openmetrics-text; version=1.0.0; q=0.9") == (
        True,
        "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores",
    )


def test_old_versions_and_other_types_fall_back_to_text_0_0_4():
    for header in (
        "application/openmetrics-text;version=0.0.1",
        "text/plain",
        "text/plain;version=0.0.4",
        "*/*",
        "application/json",
    ):
        assert choose_format(header) == (False, TEXT_0_0_4), header


def test_first_acceptable_entry_wins():
    header = "text/plain;version=1.0.0,application/openmetrics-text;version=1.0.0"
    assert choose_format(header)[0] is False
    header = "text/plain;version=0.0.4,application/openmetrics-text;version=1.0.0"
    assert choose_format(header)[0] is True


def test_a_version_that_is_not_digits_and_dots_is_skipped_not_echoed():
    # The version goes into the Content-Type header: a control character there makes the
    # answer's head invalid. Such an entry is passed over like any other unusable one.
    for junk in ("1.0.0\x7f", "1.0.0\x00", "1\x01", "1.0.0 x", "2abc"):
        got = choose_format("application/openmetrics-text;version=%s" % junk)
        assert got == (False, TEXT_0_0_4), (junk, got)
        header = "application/openmetrics-text;version=%s,text/plain;version=1.0.0" % junk
        om, content_type = choose_format(header)
        assert (om, content_type.split(";")[0]) == (False, "text/plain"), (junk, content_type)
        assert junk not in content_type
