"""Exemplars on our own metrics: Counter.inc(amount, exemplar=...) and
Histogram.observe(amount, exemplar=...), written in OpenMetrics only, as client_python does.

c.inc(exemplar={"trace_id": "abc123"})
Loaded by the first exemplar given: a board that never sets one never holds this module.
"""

from ._port import LOCK, wall_time
from .exposition import _label_parts, floatToGoString
from .metrics import _add, validate_labelname
from .samples import Exemplar

# OpenMetrics allows at most 128 UTF-8 characters of label names and values together.
MAX_CHARACTERS = 128


def make(labels, amount):
    """The Exemplar of one increment or observation; ValueError or TypeError if labels
    cannot be one. Checked before the metric changes, so a bad exemplar changes nothing."""
    if not isinstance(labels, dict):
        raise TypeError("an exemplar is a dict of {label_name: label_value}, not %r" % (labels,))
    characters = 0
    for name in labels:
        validate_labelname(name)
        value = labels[name]
        if not isinstance(value, str):
            raise TypeError("exemplar label %s: the value must be a str, not %r" % (name, value))
        characters += len(name) + len(value)
    if characters > MAX_CHARACTERS:
        raise ValueError(
            "Exemplar labels have %d UTF-8 characters, exceeding the limit of %d"
            % (characters, MAX_CHARACTERS)
        )
    # The wall clock, as client_python's time.time(); None on a board whose clock is not set,
    # and then the exemplar is written without a timestamp.
    return Exemplar(dict(labels), amount, wall_time())


def text(exemplar):
    """An exemplar as OpenMetrics writes it after the sample's value: # {labels} value ts."""
    labels = exemplar.labels
    names = sorted(labels)
    values = []
    for name in names:
        values.append(labels[name])
    line = " # {%s} %s" % (",".join(_label_parts(names, values)), floatToGoString(exemplar.value))
    if exemplar.timestamp is not None:
        from .collected import _seconds

        line += " " + _seconds(exemplar.timestamp)
    return line


def tail(out, exemplar):
    """What out.sample() takes after a sample's value: the Exemplar itself for collect(), its
    text on an OpenMetrics page, nothing in the 0.0.4 format (which has no exemplars)."""
    if exemplar is None or out.om is False:
        return ""
    if out.om is None:
        return exemplar
    return text(exemplar)


def _counter_emit(counter):
    # Replaces the counter's own _emit once it holds an exemplar (an instance attribute is found
    # before the class's method), so a counter without one writes its line as it always did.
    def emit(out):
        with LOCK:  # the exemplar of the increment the value includes
            value = counter._value
            exemplar = counter._exemplar
        out.sample("_total", value, tail(out, exemplar))

    return emit


def counter_inc(counter, amount, labels):
    """Counter.inc(amount, exemplar=labels), the exemplar checked before anything changes."""
    exemplar = make(labels, amount)
    with LOCK:  # a scrape sees the increment and its exemplar together
        counter._value = _add(counter._value, amount)
        counter._exemplar = exemplar
    counter._emit = _counter_emit(counter)
