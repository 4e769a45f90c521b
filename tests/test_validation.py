"""prometheus_express.validation: metric and label names of the text formats."""

from support import raises

from prometheus_express.validation import validate_labelname, validate_metric_name


def test_valid_metric_names():
    for name in ("a", "A", "_", ":", "temperature_celsius", "job:requests:rate5m", "x9", "_9"):
        validate_metric_name(name)


def test_invalid_metric_names():
    for name in ("", "9lives", "a-b", "a b", "a.b", "a/b", "é", "tempé", "a\n"):
        e = raises(ValueError, validate_metric_name, name)
        assert "Invalid metric name" in str(e), str(e)


def test_metric_name_must_be_a_str():
    raises(ValueError, validate_metric_name, None)
    raises(ValueError, validate_metric_name, 12)


def test_valid_label_names():
    for name in ("a", "A", "_", "sensor", "le2", "_x"):
        validate_labelname(name)


def test_invalid_label_names():
    for name in ("", "9a", "a:b", "a-b", "a.b", "é"):
        e = raises(ValueError, validate_labelname, name)
        assert "Invalid label name" in str(e), str(e)


def test_double_underscore_label_names_are_reserved():
    e = raises(ValueError, validate_labelname, "__name__")
    assert "Reserved" in str(e)
    raises(ValueError, validate_labelname, "__x")
    validate_labelname("_x_")  # one underscore is fine


def test_reserved_names_of_a_metric_type():
    e = raises(ValueError, validate_labelname, "le", ("le",))
    assert "Reserved" in str(e)
    validate_labelname("le")  # only reserved when the type says so
    validate_labelname("quantile", ("le",))
