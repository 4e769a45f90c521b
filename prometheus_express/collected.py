"""Writes Metric families from custom collectors, in either text format.

exposition loads this only when a registry holds a custom collector.
"""

from .exposition import _family_header, _header, _label_parts, floatToGoString

# Whether this runtime's float is a double. A board's float keeps 22 or 24 bits: near 1.8e9
# its steps are 128-512 s, and near 1.8e12 (the same time in ms) 131-524 s.
_DOUBLE = 1.0 + 1e-15 != 1.0


def _milliseconds(ts):
    # A sample's timestamp (seconds) in the 0.0.4 format's whole milliseconds.
    if isinstance(ts, int):
        return ts * 1000  # exact, where float(ts) would already be off on a board
    ts = float(ts)
    if _DOUBLE:
        return int(ts * 1000)  # client_python's own rule
    # Board: the float's integer part and fraction are exact; only their product rounds.
    whole = int(ts)
    return whole * 1000 + int((ts - whole) * 1000)


def _seconds(ts):
    # A timestamp in OpenMetrics: str() as in client_python, but every digit of a whole float
    # (as str() gives them on a double): a 30-bit float's repr keeps 7, so 1795878144.0 would
    # read 1795878000.0.
    if isinstance(ts, float) and 0 < ts < 1e16 and ts == int(ts):
        return "%d.0" % int(ts)
    return str(ts)


def _exemplar(metric, s):
    e = s.exemplar
    typ = metric.type
    name = s.name
    if not (
        (typ == "counter" and name.endswith("_total"))
        or (typ == "gaugehistogram" and name.endswith("_bucket"))
        or (typ == "histogram" and (name.endswith("_bucket") or name == metric.name))
    ):
        raise ValueError(
            "Metric %s has exemplars, but is not a histogram bucket or counter" % metric.name
        )
    names = sorted(e.labels)
    text = " # {%s} %s" % (
        ",".join(_label_parts(names, [e.labels[k] for k in names])),
        floatToGoString(e.value),
    )
    if e.timestamp is not None:
        text += " " + _seconds(e.timestamp)
    return text


def _generic_sample(out, metric, s, om):
    out.name = s.name
    names = sorted(s.labels)
    out.child(names, [s.labels[k] for k in names])
    tail = ""
    if s.timestamp is not None:
        if om:
            tail = " " + _seconds(s.timestamp)
        else:  # milliseconds in the 0.0.4 format
            tail = " %d" % _milliseconds(s.timestamp)
    if om and s.exemplar:
        tail += _exemplar(metric, s)
    out.sample("", s.value, tail=tail)


def write_family(out, metric, om):
    """Write a Metric (from a custom collector) in either format."""
    write = out.write
    _family_header(write, metric.name, metric.type, metric.documentation, metric.unit, om)
    if om:
        for s in metric.samples:
            _generic_sample(out, metric, s, om)
        return
    moved = (metric.name + "_created", metric.name + "_gcount", metric.name + "_gsum")
    for s in metric.samples:
        if s.name not in moved:
            _generic_sample(out, metric, s, om)
    for name in moved:  # OpenMetrics-only samples become gauges, as in client_python
        header = True
        for s in metric.samples:
            if s.name == name:
                if header:
                    _header(write, name, "gauge", metric.documentation, "", False)
                    header = False
                _generic_sample(out, metric, s, om)
