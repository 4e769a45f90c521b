"""Children of a labelled metric: labels() finds or creates them.

c = Counter("reads", "Sensor reads", ["sensor"])
c.labels("bme280").inc()   # loads this module
"""

from ._port import LOCK
from .utils import newlines


def str_values(values):
    # Label values as a tuple of str, CR and CRLF read as newlines: the formats
    # cannot carry a CR, so "a\r" and "a\n" are one series. No new tuple in the
    # usual case.
    for v in values:
        if not isinstance(v, str) or "\r" in v:
            return tuple(newlines(str(v)) for v in values)
    return values


def parent_labelnames(metric):
    if metric._labelvalues:
        raise ValueError(
            "%s already has labels set %s; can not chain calls to .labels()"
            % (metric, metric._labelvalues)
        )
    if not metric._labelnames:
        raise ValueError("No label names were set when constructing %s" % metric)
    return metric._labelnames


def labels(metric, values, kwargs):
    names = parent_labelnames(metric)
    if values and kwargs:
        raise ValueError("Can't pass both *args and **kwargs")
    if kwargs:
        if sorted(kwargs) != sorted(names):
            raise ValueError(
                "Incorrect label names: expected %s, got %s" % (list(names), sorted(kwargs))
            )
        values = tuple(kwargs[n] for n in names)
    elif len(values) != len(names):
        raise ValueError(
            "Incorrect label count: expected %d values for %s, got %d"
            % (len(names), list(names), len(values))
        )
    values = str_values(values)
    child = metric._metrics.get(values)
    if child is None:
        with LOCK:
            child = metric._metrics.get(values)
            if child is None:
                # A child is the same class, holding only its value and labels.
                child = object.__new__(type(metric))
                child._parent = metric
                child._labelvalues = values
                child._metric_init()
                metric._metrics[values] = child
                metric._children.append(child)
    return child
