"""Writes Metric families from custom collectors, in either text format.

exposition loads this only when a registry holds a custom collector.
"""

from .exposition import _family_header, _header, _label_parts, floatToGoString


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
        text += " %s" % (e.timestamp,)
    return text


def _generic_sample(out, metric, s, om):
    out.name = s.name
    names = sorted(s.labels)
    out.child(names, [s.labels[k] for k in names])
    tail = ""
    if s.timestamp is not None:
        if om:
            tail = " %s" % (s.timestamp,)
        else:  # milliseconds in the 0.0.4 format
            tail = " %d" % int(float(s.timestamp) * 1000)
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
