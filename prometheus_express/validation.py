"""Metric and label names: the legacy rules, or UTF-8 names (Prometheus 3), as client_python 0.26.

disable_legacy_validation()   # the default: any non-empty name, written escaped
Counter("http.requests", "Requests")
enable_legacy_validation()    # only [a-zA-Z_:][a-zA-Z0-9_:]* (label names: no ':')

A legacy name is checked in metrics, without this module. This one loads for the first name
outside the legacy rules (or when imported): a board that keeps to them never holds it.
"""

from . import exposition
from ._port import BOARD
from .metrics import validate_labelname, validate_metric_name  # noqa: F401


def _legacy_from_environment():
    # client_python reads PROMETHEUS_LEGACY_NAME_VALIDATION once, at import. A board has no
    # environment: UTF-8 names, client_python's default.
    if BOARD:
        return False
    import os

    value = os.environ.get("PROMETHEUS_LEGACY_NAME_VALIDATION", "False")
    return value.lower() in ("true", "1", "t")


_legacy_validation = _legacy_from_environment()


def get_legacy_validation():
    """True while only legacy names are accepted."""
    return _legacy_validation


def disable_legacy_validation():
    """Accept UTF-8 metric and label names (the default)."""
    global _legacy_validation
    _legacy_validation = False


def enable_legacy_validation():
    """Accept only legacy names: [a-zA-Z_:][a-zA-Z0-9_:]*, label names without ':'."""
    global _legacy_validation
    _legacy_validation = True


def utf8_name(name, is_metric):
    """Accept name, which the legacy rules refuse, as a UTF-8 metric (or label) name; else
    raise ValueError. From then on every page goes through the writer that escapes names."""
    ok = not _legacy_validation and isinstance(name, str) and name != ""
    if ok:
        try:
            name.encode("utf-8")  # CPython: a lone surrogate cannot be written to a page
        except UnicodeError:
            ok = False
    if not ok:
        from . import errors

        raise errors.invalid_metric_name(name) if is_metric else errors.invalid_label_name(name)
    if not is_metric and name.startswith("__"):
        return  # reserved: refused next, and a refused name changes nothing
    exposition.utf8_names = True
