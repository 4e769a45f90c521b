"""Children of a labelled metric: labels(), remove(), remove_by_labels().

c = Counter("reads", "Sensor reads", ["sensor"])
c.labels("bme280").inc()   # loads this module
"""

from .metrics import _LOCK
from .utils import newlines


def _str_values(values):
    # Label values as a tuple of str, CR and CRLF read as newlines: the formats
    # cannot carry a CR, so "a\r" and "a\n" are one series. No new tuple in the
    # usual case.
    for v in values:
        if not isinstance(v, str) or "\r" in v:
            return tuple(newlines(str(v)) for v in values)
    return values


def _parent(metric):
    if metric._labelvalues:
        raise ValueError(
            "%s already has labels set %s; can not chain calls to .labels()"
            % (metric, metric._labelvalues)
        )
    if not metric._labelnames:
        raise ValueError("No label names were set when constructing %s" % metric)
    return metric._labelnames


def labels(metric, values, kwargs):
    names = _parent(metric)
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
    values = _str_values(values)
    child = metric._metrics.get(values)
    if child is None:
        with _LOCK:
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


def remove(metric, values):
    names = _parent(metric)
    if len(values) != len(names):
        raise ValueError("Incorrect label count (expected %d, got %s)" % (len(names), values))
    with _LOCK:
        child = metric._metrics.pop(_str_values(values), None)
        if child is not None:
            metric._children.remove(child)


def remove_by_labels(metric, labels):
    names = _parent(metric)
    if not isinstance(labels, dict):
        raise TypeError("labels must be a dict of {label_name: label_value}")
    for k in labels:
        if k not in names:
            raise ValueError("Unknown label names: %s; expected %s" % (k, list(names)))
    if not labels:
        return
    want = [(names.index(k), str(labels[k])) for k in labels]
    with _LOCK:
        for child in list(metric._children):
            values = child._labelvalues
            if all(values[i] == v for i, v in want):
                del metric._metrics[values]
                metric._children.remove(child)
