"""Metric and label name rules of the Prometheus text formats.

validate_metric_name("temperature_celsius")
"""


def _name_ok(name, colon):
    # ASCII letters, "_", digits after the first character, and ":" where colon allows it.
    if not name or not isinstance(name, str):
        return False
    first = True
    for c in name:
        if ord(c) > 127 or not (
            c.isalpha() or c == "_" or (colon and c == ":") or (not first and c.isdigit())
        ):
            return False
        first = False
    return True


def validate_metric_name(name):
    """Raise ValueError unless name matches [a-zA-Z_:][a-zA-Z0-9_:]*."""
    if not _name_ok(name, True):
        from . import errors

        raise errors.invalid_metric_name(name)


def validate_labelname(name, reserved=()):
    """Raise ValueError unless name is a usable label name."""
    if not _name_ok(name, False):
        from . import errors

        raise errors.invalid_label_name(name)
    if name.startswith("__") or name in reserved:
        from . import errors

        raise errors.reserved_label_name(name, name in reserved)
