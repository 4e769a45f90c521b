"""Metric and label name rules of the Prometheus text formats.

validate_metric_name("temperature_celsius")
"""


def _name_ok(name, colon):
    if not name or not isinstance(name, str):
        return False
    first = True
    for c in name:
        if not (
            "a" <= c <= "z"
            or "A" <= c <= "Z"
            or c == "_"
            or (colon and c == ":")
            or (not first and "0" <= c <= "9")
        ):
            return False
        first = False
    return True


def validate_metric_name(name):
    """Raise ValueError unless name matches [a-zA-Z_:][a-zA-Z0-9_:]*."""
    if not _name_ok(name, True):
        raise ValueError(
            "Invalid metric name %r: use letters, digits, '_' and ':', not starting with a digit"
            % (name,)
        )


def validate_labelname(name, reserved=()):
    """Raise ValueError unless name is a usable label name."""
    if not _name_ok(name, False):
        raise ValueError(
            "Invalid label name %r: use letters, digits and '_', not starting with a digit"
            % (name,)
        )
    if name.startswith("__"):
        raise ValueError(
            "Reserved label name %r: names starting with '__' are Prometheus' own" % name
        )
    if name in reserved:
        raise ValueError("Reserved label name %r for this metric type" % name)
