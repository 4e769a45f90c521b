"""Samples with one label more than their child: a histogram's le, an Enum's state.

extra_label.sample(out, "_bucket", 3, "le", "0.5")
Loaded by Histogram and Enum only: a board with counters and gauges never holds it.
"""

from .exposition import escape_value


def _around(out, name):
    # The child's rendered labels that sort before name and after it, each with the comma that
    # joins it to the extra label. Kept on out for the child's next sample: every bucket of a
    # child adds the same label name.
    parts = out.parts
    names = out.names
    at = 0
    while at < len(parts) and names[at] < name:
        at += 1
    before = ",".join(parts[:at])
    after = ",".join(parts[at:])
    around = (parts, name, before + "," if before else "", "," + after if after else "")
    out.around = around
    return around


def sample(out, suffix, value, name, label_value, tail=""):
    """Write (or, for collect(), add) one sample of the child being rendered, with the label
    name=label_value at its place among the child's labels, sorted by name."""
    if out.om is None:  # collect(): metrics_core's _Samples takes the label itself
        out.sample(suffix, value, tail, (name, label_value))
        return
    around = getattr(out, "around", None)
    if around is None or around[0] is not out.parts or around[1] != name:
        around = _around(out, name)
    labels = out.labels
    out.labels = '%s%s="%s"%s' % (around[2], name, escape_value(label_value), around[3])
    out.sample(suffix, value, tail)
    out.labels = labels
