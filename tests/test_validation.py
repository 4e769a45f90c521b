"""prometheus_express.validation: legacy names, and UTF-8 names (client_python 0.26's default)."""

import sys

from support import LegacyNames, Unloaded, Utf8Names, raises

from prometheus_express import CollectorRegistry, Counter, Gauge
from prometheus_express.validation import (
    disable_legacy_validation,
    enable_legacy_validation,
    get_legacy_validation,
    validate_labelname,
    validate_metric_name,
)

LEGACY_METRIC_NAMES = ("a", "A", "_", ":", "temperature_celsius", "job:requests:rate5m", "x9", "_9")
LEGACY_LABEL_NAMES = ("a", "A", "_", "sensor", "le2", "_x")
# Names the legacy rules refuse and UTF-8 validation accepts.
UTF8_METRIC_NAMES = ("9lives", "a-b", "a b", "a.b", "a/b", "é", "tempé", "a\n", "温度")
UTF8_LABEL_NAMES = ("9a", "a:b", "a-b", "a.b", "é")


def test_utf8_names_are_the_default():
    assert get_legacy_validation() is False


def test_legacy_names_are_valid_either_way():
    with LegacyNames():
        for name in LEGACY_METRIC_NAMES:
            validate_metric_name(name)
        for name in LEGACY_LABEL_NAMES:
            validate_labelname(name)
    with Utf8Names():
        for name in LEGACY_METRIC_NAMES:
            validate_metric_name(name)
        for name in LEGACY_LABEL_NAMES:
            validate_labelname(name)


def test_legacy_validation_refuses_other_names():
    with LegacyNames():
        assert get_legacy_validation() is True
        for name in UTF8_METRIC_NAMES + ("",):
            e = raises(ValueError, validate_metric_name, name)
            assert "Invalid metric name" in str(e), str(e)
        for name in UTF8_LABEL_NAMES + ("",):
            e = raises(ValueError, validate_labelname, name)
            assert "Invalid label name" in str(e), str(e)
        raises(ValueError, Counter, "9lives", "d", registry=None)
        raises(ValueError, Gauge, "x", "d", namespace="my-ns", registry=None)
        raises(ValueError, Counter, "c", "d", ["a-b"], registry=None)


def test_utf8_validation_accepts_any_other_non_empty_name():
    with Utf8Names():
        for name in UTF8_METRIC_NAMES:
            validate_metric_name(name)
        for name in UTF8_LABEL_NAMES:
            validate_labelname(name)
        Counter("http.requests", "d", ["http.method"], registry=None)


def test_empty_and_non_str_names_are_refused_either_way():
    for legacy in (False, True):
        if legacy:
            enable_legacy_validation()
        try:
            for name in ("", None, 12):
                e = raises(ValueError, validate_metric_name, name)
                assert "Invalid metric name" in str(e), str(e)
                e = raises(ValueError, validate_labelname, name)
                assert "Invalid label name" in str(e), str(e)
        finally:
            disable_legacy_validation()


def test_double_underscore_label_names_are_reserved_either_way():
    for legacy in (False, True):
        if legacy:
            enable_legacy_validation()
        try:
            e = raises(ValueError, validate_labelname, "__name__")
            assert "Reserved" in str(e)
            raises(ValueError, validate_labelname, "__x")
            raises(ValueError, validate_labelname, "__x.y")
            validate_labelname("_x_")  # one underscore is fine
        finally:
            disable_legacy_validation()


def test_reserved_names_of_a_metric_type():
    e = raises(ValueError, validate_labelname, "le", ("le",))
    assert "Reserved" in str(e)
    validate_labelname("le")  # only reserved when the type says so
    validate_labelname("quantile", ("le",))


def test_a_board_keeping_to_legacy_names_never_loads_this_module():
    with Unloaded("prometheus_express.validation"):
        r = CollectorRegistry()
        Counter("boots", "d", ["reason"], registry=r).labels("power").inc()
        Gauge("job:temp", "d", registry=r).set(1)
        assert "prometheus_express.validation" not in sys.modules
        with Utf8Names():
            Gauge("temp.celsius", "d", registry=r)
        assert "prometheus_express.validation" in sys.modules


def test_a_refused_name_leaves_the_pages_as_they_were():
    import prometheus_express.exposition as exposition

    with Utf8Names():
        exposition.utf8_names = False
        raises(ValueError, validate_labelname, "__x.y")  # UTF-8, but reserved
        assert exposition.utf8_names is False
