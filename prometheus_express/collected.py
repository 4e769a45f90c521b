"""Writes Metric families in either text format: custom collectors' always, and every family
of a page whose names need escaping (a UTF-8 name, or escaping=dots asked for).

exposition loads this only when a registry holds a custom collector or names need escaping.
"""

from . import exposition
from .exposition import _family_header, _header, _label_parts

# Whether this runtime's float is a double. A board's float keeps 22 or 24 bits: near 1.8e9
# its steps are 128-512 s, and near 1.8e12 (the same time in ms) 131-524 s. Parsed at run time
# from text: a compiler would fold 1.0 + 1e-15, and CircuitPython 9's does not.
_DOUBLE = float("1.000000000000001") != 1.0


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


def _exemplar(metric, s, e):
    # e: the sample's exemplar, or one of its native histogram's.
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
    from .exemplars import text

    return text(e)


def _spans(spans, deltas):
    # "0:2,1:2", "2,1,-3,3": a native histogram's spans and deltas, as client_python joins them.
    parts = []
    for span in spans:
        parts.append("%s:%s" % (span[0], span[1]))
    numbers = []
    for delta in deltas:
        numbers.append(str(delta))
    return ",".join(parts), ",".join(numbers)


def _native_histogram(h):
    # The value OpenMetrics 2.0 writes for a native histogram; its numbers as str() gives them.
    text = "{count:%s,sum:%s,schema:%s,zero_threshold:%s,zero_count:%s" % (
        h.count_value,
        h.sum_value,
        h.schema,
        h.zero_threshold,
        h.zero_count,
    )
    if h.neg_spans:
        text += ",negative_spans:[%s],negative_deltas:[%s]" % _spans(h.neg_spans, h.neg_deltas)
    if h.pos_spans:
        text += ",positive_spans:[%s],positive_deltas:[%s]" % _spans(h.pos_spans, h.pos_deltas)
    return text + "}"


def _generic_sample(out, metric, s, om, escaped):
    labels = s.labels  # None in a native histogram's sample from the OpenMetrics parser
    names = sorted(labels) if labels else ()  # sorted as given, then escaped, as client_python
    values = [labels[k] for k in names]
    name = s.name
    inside = ""  # a quoted name (allow-utf-8) opens the labels
    if escaped is not None:
        name, inside = escaped.sample(name)
        names = escaped.labels(names)
    tail = ""
    if s.timestamp is not None:
        if om:
            tail = " " + _seconds(s.timestamp)
        else:  # milliseconds in the 0.0.4 format
            tail = " %d" % _milliseconds(s.timestamp)
    if om and s.exemplar:
        tail += _exemplar(metric, s, s.exemplar)
    h = s.native_histogram
    if om and h:
        # OpenMetrics 1.0 has no native histograms: client_python leaves them out (after the
        # exemplar check above) and writes them from 2.0 on (om == 2). The 0.0.4 format
        # writes such a sample's plain value, as client_python does.
        if om == 2:
            _native_histogram_line(out.write, metric, s, name, inside, names, values, tail)
        return
    out.name = name
    out.child(names, values)
    if inside:
        out.labels = inside + "," + out.labels if out.labels else inside
    out.sample("", s.value, tail=tail)


def _native_histogram_line(write, metric, s, name, inside, names, values, tail):
    h = s.native_histogram
    value = _native_histogram(h)  # before the exemplars: its errors come first in client_python
    if h.nh_exemplars:
        for e in h.nh_exemplars:
            tail += _exemplar(metric, s, e)
    parts = _label_parts(names, values) if names else []
    if inside:
        parts.insert(0, inside)
    write(name)
    if parts:
        write("{" + ",".join(parts) + "}")
    write(" ")
    write(value)
    write(tail)
    write("\n")


def write_family(out, metric, om, escaping="underscores"):
    """Write a Metric in the 0.0.4 format (om false) or OpenMetrics (om true; om == 2 for 2.0,
    which adds native histograms). escaping: how names are written (escaping.py), or the
    Content-Type that names it."""
    write = out.write
    escaped = None  # names written as they are: legacy names, and no dots asked for
    if exposition.utf8_names or escaping.endswith("dots"):
        from .escaping import FamilyNames

        escaped = FamilyNames(metric.name, om, escaping)
    typ = metric.type
    if not om:  # types the 0.0.4 format writes as another (_family_header maps our own)
        if typ == "gaugehistogram":
            typ = "histogram"
        elif typ == "unknown":
            typ = "untyped"
    _family_header(
        write,
        metric.name,
        typ,
        metric.documentation,
        metric.unit,
        om,
        escaped and escaped.metric,
    )
    if om:
        for s in metric.samples:
            _generic_sample(out, metric, s, om, escaped)
        return
    moved = (metric.name + "_created", metric.name + "_gcount", metric.name + "_gsum")
    for s in metric.samples:
        if s.name not in moved:
            _generic_sample(out, metric, s, om, escaped)
    for name in moved:  # OpenMetrics-only samples become gauges, as in client_python
        header = True
        for s in metric.samples:
            if s.name == name:
                if header:
                    _header(
                        write,
                        escaped.metric(name) if escaped else name,
                        "gauge",
                        metric.documentation,
                        "",
                        False,
                    )
                    header = False
                _generic_sample(out, metric, s, om, escaped)
