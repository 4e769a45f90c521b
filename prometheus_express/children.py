"""Children of a labelled metric: labels() finds or creates them.

c = Counter("reads", "Sensor reads", ["sensor"])
c.labels("bme280").inc()   # loads this module
"""

from ._port import LOCK
from .exposition import newlines


def str_values(values):
    # Label values as a tuple of str, CR and CRLF read as newlines: the formats
    # cannot carry a CR, so "a\r" and "a\n" are one series. No new tuple in the
    # usual case. Plain loops: on a board each generator is one more function in RAM.
    for v in values:
        if not isinstance(v, str) or "\r" in v:
            fixed = []
            for value in values:
                fixed.append(newlines(str(value)))
            return tuple(fixed)
    return values


def parent_labelnames(metric):
    if metric._labelvalues or not metric._labelnames:
        from . import errors

        raise errors.not_a_parent(metric)
    return metric._labelnames


def labels(metric, values, kwargs):
    names = parent_labelnames(metric)
    if kwargs and not values and sorted(kwargs) == sorted(names):
        ordered = []
        for name in names:
            ordered.append(kwargs[name])
        values = tuple(ordered)
    elif kwargs or len(values) != len(names):
        from . import errors

        raise errors.wrong_labels(names, values, kwargs)
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
