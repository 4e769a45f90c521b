"""Read an OpenMetrics 1.0 page back into metric families, as client_python's parser does.

for family in text_string_to_metric_families(page): print(family.name, family.samples)

Checks what client_python's checks (# EOF, grouping, histogram buckets, ...) and raises
ValueError where it does. Timestamps come back as Timestamp (or a float for "1.5e9").
Never loaded by the library itself.
"""

import math

from ..metrics_core import Metric  # noqa: F401  (client_python offers it here)
from ..parser import (
    LABEL_ESCAPES,
    family,
    find_unquoted,
    legacy_name,
    lines,
    number,
    parse_labels,
    rfind_unquoted,
    sample_name,
    split_unquoted,
    unescape,
    unquote,
)
from ..samples import BucketSpan, Exemplar, NativeHistogram, Sample, Timestamp  # noqa: F401
from ._native_histogram import native_histogram_sample

_INF = float("inf")
# Sample names each type allows, after the family name.
_TYPE_SUFFIXES = {
    "counter": ("_total", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
    "histogram": ("_count", "_sum", "_bucket", "_created"),
    "gaugehistogram": ("_gcount", "_gsum", "_bucket"),
    "info": ("_info",),
}
_NOT_NAN = ("_total", "_sum", "_count", "_bucket", "_gcount", "_gsum")
_NOT_NEGATIVE = ("_total", "_sum", "_count", "_bucket", "_gcount")
_EXEMPLAR_LABELS_MAX = 128  # characters of names and values together


def text_string_to_metric_families(text):
    """The metric families of an OpenMetrics page (a str), as a generator."""
    return text_fd_to_metric_families(lines(text))


# -- one sample line ---------------------------------------------------------------------------


def _timestamp(text):
    # "123" and "123.456" (to the nanosecond) as Timestamp; other numbers as a float.
    if not text:
        return None
    if text != text.strip() or "_" in text:
        raise ValueError("Invalid timestamp: %r" % (text,))
    try:
        return Timestamp(int(text), 0)
    except ValueError:
        pass
    try:
        parts = text.split(".", 1)  # has a "." once the int above failed and this int works
        seconds = int(parts[0])
        digits = parts[1][:9]
        return Timestamp(seconds, int(digits + "0" * (9 - len(digits))))
    except ValueError:
        pass
    value = float(text)
    if math.isnan(value) or math.isinf(value):
        raise ValueError("Invalid timestamp: %r" % (text,))
    return value


# States of the scan after a sample's value.
_TS, _HASH, _SPACE, _OPEN, _LABELS, _VALUE_SPACE, _VALUE, _EXEMPLAR_TS = range(8)


def _value_timestamp_exemplar(text):
    # "value[ timestamp][ # {labels} value[ timestamp]]", spaced exactly so.
    fields = text.split(" ", 1)
    value = number(fields[0])
    if len(fields) == 1:
        return value, None, None
    text = fields[1]
    timestamp = []
    exemplar_value = []
    exemplar_timestamp = []
    exemplar_labels = None
    state = _TS
    quoted = False
    for c in text:
        # Every quote counts here, escaped or not (client_python's scan does the same).
        if c == '"':
            quoted = not quoted
        if quoted:
            continue
        if state == _TS:
            if c == "#" and not timestamp:
                state = _SPACE
            elif c == " ":
                state = _HASH
            else:
                timestamp.append(c)
        elif state == _HASH:
            if c != "#":
                raise ValueError("Invalid line: " + text)
            state = _SPACE
        elif state == _SPACE:
            if c != " ":
                raise ValueError("Invalid line: " + text)
            state = _OPEN
        elif state == _OPEN:
            if c != "{":
                raise ValueError("Invalid line: " + text)
            start = find_unquoted(text, "{")
            exemplar_labels = parse_labels(text[start + 1 : rfind_unquoted(text, "}")], True)
            state = _LABELS
        elif state == _LABELS:
            if c == "}":
                state = _VALUE_SPACE
        elif state == _VALUE_SPACE:
            if c != " ":
                raise ValueError("Invalid line: " + text)
            state = _VALUE
        elif state == _VALUE:
            if c != " ":
                exemplar_value.append(c)
            elif not exemplar_value:
                raise ValueError("Invalid line: " + text)
            else:
                state = _EXEMPLAR_TS
        else:
            exemplar_timestamp.append(c)
    if (
        (state == _TS and not timestamp)
        or (state == _EXEMPLAR_TS and not exemplar_timestamp)
        or state in (_HASH, _SPACE, _OPEN, _LABELS)
    ):
        raise ValueError("Invalid line: " + text)  # trailing space, or an exemplar cut short
    timestamp = _timestamp("".join(timestamp))
    if exemplar_labels is None:
        return value, timestamp, None
    size = 0
    for k in exemplar_labels:
        size += len(k) + len(exemplar_labels[k])
    if size > _EXEMPLAR_LABELS_MAX:
        raise ValueError("Exemplar labels are too long: " + text)
    exemplar = Exemplar(
        exemplar_labels, number("".join(exemplar_value)), _timestamp("".join(exemplar_timestamp))
    )
    return value, timestamp, exemplar


def _parse_sample(text):
    brace = find_unquoted(text, "{")
    if brace == -1 or " # " in text[:brace]:
        end = find_unquoted(text, " ")
        name = text[:end]  # end == -1 drops the last character, as client_python does
        if not legacy_name(name):
            raise ValueError("invalid metric name: " + text)
        value, timestamp, exemplar = _value_timestamp_exemplar(text[end + 1 :])
        return Sample(name, {}, value, timestamp, exemplar)
    name = text[:brace]
    close = find_unquoted(text, "}")
    labels = parse_labels(text[brace + 1 : close], True)
    name = sample_name(name, labels, text)
    value, timestamp, exemplar = _value_timestamp_exemplar(text[close + 2 :])
    return Sample(name, labels, value, timestamp, exemplar)


# -- families ----------------------------------------------------------------------------------


def _is_integer(value):
    # float.is_integer(), which MicroPython lacks; None (a native histogram) raises
    # AttributeError, as in client_python.
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value - value == 0 and value == int(value)
    return value.is_integer()


def _uncanonical(text):
    # Only +Inf has one spelling that counts ("inf", "Inf" ... do not).
    return float(text) == _INF and text != "+Inf"


def _group_of(sample, name, typ):
    # The labels that tell one group (one histogram, one summary, ...) of a family from another.
    labels = sample.labels
    if typ == "info":
        return {}
    drop = None
    if typ == "summary" and sample.name == name:
        drop = "quantile"
    elif typ == "stateset":
        drop = name
    elif (typ == "histogram" or typ == "gaugehistogram") and sample.name == name + "_bucket":
        drop = "le"
    if drop is None:
        return labels
    labels = labels.copy()
    del labels[drop]
    return labels


class _HistogramGroup:
    # What one group of a histogram's samples showed, checked once the group ends.
    def __init__(self):
        self.count = None
        self.bucket = None
        self.negative_buckets = False
        self.has_sum = False
        self.has_gsum = False
        self.negative_gsum = False
        self.value = 0

    def check(self, name):
        if self.bucket != _INF:
            raise ValueError("+Inf bucket missing: " + name)
        if self.count is not None and self.value != self.count:
            raise ValueError("Count does not match +Inf value: " + name)
        if self.has_sum and self.count is None:
            raise ValueError("_count must be present if _sum is present: " + name)
        if self.has_gsum and self.count is None:
            raise ValueError("_gcount must be present if _gsum is present: " + name)
        if not (self.has_sum or self.has_gsum) and self.count is not None:
            raise ValueError("_sum/_gsum must be present if _count is present: " + name)
        if self.negative_buckets and self.has_sum:
            raise ValueError("Cannot have _sum with negative buckets: " + name)
        if not self.negative_buckets and self.negative_gsum:
            raise ValueError("Cannot have negative _gsum with non-negative buckets: " + name)


def _check_histogram(samples, name):
    group = None
    timestamp = None
    state = None
    for s in samples:
        suffix = s.name[len(name) :]
        g = _group_of(s, name, "histogram")
        if not suffix:
            continue
        if g != group or s.timestamp != timestamp:
            if group is not None:
                state.check(name)
            state = _HistogramGroup()
        group = g
        timestamp = s.timestamp
        if suffix == "_bucket":
            bound = float(s.labels["le"])
            if bound < 0:
                state.negative_buckets = True
            if state.bucket is not None and bound <= state.bucket:
                raise ValueError("Buckets out of order: " + name)
            if s.value < state.value:
                raise ValueError("Bucket values out of order: " + name)
            state.bucket = bound
            state.value = s.value
        elif suffix == "_count" or suffix == "_gcount":
            state.count = s.value
        elif suffix == "_sum":
            state.has_sum = True
        elif suffix == "_gsum":
            state.has_gsum = True
            if s.value < 0:
                state.negative_gsum = True
    if group is not None:
        state.check(name)


def _sorted_items(labels):
    items = list(labels.items())
    items.sort()
    return tuple(items)


class _Families:
    # The family being read, and every name the page has used so far.
    def __init__(self):
        self.seen = set()
        self.start(None, None)

    def start(self, name, typ):
        self.name = name
        self.typ = typ
        self.unit = None
        self.documentation = None
        self.samples = []
        self.group = None
        self.seen_groups = set()
        self.group_timestamp = None
        self.group_series = set()

    def build(self):
        name = self.name
        typ = self.typ or "unknown"
        names = [""]
        for suffix in _TYPE_SUFFIXES.get(typ, ()):
            if suffix not in names:
                names.append(suffix)
        for suffix in names:
            if name + suffix in self.seen:
                raise ValueError("Clashing name: " + name + suffix)
            self.seen.add(name + suffix)
        unit = self.unit or ""
        if unit and not name.endswith("_" + unit):
            raise ValueError("Unit does not match metric name: " + name)
        if unit and typ in ("info", "stateset"):
            raise ValueError("Units not allowed for this metric type: " + name)
        if typ in ("histogram", "gaugehistogram"):
            _check_histogram(self.samples, name)
        return family(name, self.documentation or "", typ, unit, self.samples)

    def add(self, sample, line):
        # Group rules: a group's samples are together, all timestamped or none, in time order;
        # a series repeated at the same time is dropped.
        name = self.name
        g = _sorted_items(_group_of(sample, name, self.typ))
        if self.group is not None and g != self.group and g in self.seen_groups:
            raise ValueError("Invalid metric grouping: " + line)
        if self.group is not None and g == self.group:
            if (sample.timestamp is None) != (self.group_timestamp is None):
                raise ValueError("Mix of timestamp presence within a group: " + line)
            if (
                self.group_timestamp is not None
                and self.group_timestamp > sample.timestamp
                and self.typ != "info"
            ):
                raise ValueError("Timestamps went backwards within a group: " + line)
        else:
            self.group_series = set()
        series = (sample.name, _sorted_items(sample.labels))
        if sample.timestamp != self.group_timestamp or series not in self.group_series:
            self.samples.append(sample)
        self.group_series.add(series)
        self.group = g
        self.group_timestamp = sample.timestamp
        self.seen_groups.add(g)


def _check_sample(sample, name, typ, line):
    # What a sample's labels and value must be, given its family.
    labels = sample.labels
    suffix = sample.name[len(name) :]
    value = sample.value
    if typ == "stateset" and name not in labels:
        raise ValueError("Stateset missing label: " + line)
    if sample.name == name + "_bucket":
        if labels.get("le", "NaN") == "NaN" or _uncanonical(labels["le"]):
            raise ValueError("Invalid le label: " + line)
        if not _is_integer(value):
            raise ValueError("Bucket value must be an integer: " + line)
    if (sample.name == name + "_count" or sample.name == name + "_gcount") and not _is_integer(
        value
    ):
        raise ValueError("Count value must be an integer: " + line)
    if typ == "summary" and sample.name == name:
        quantile = float(labels.get("quantile", -1))
        if not 0 <= quantile <= 1 or _uncanonical(labels["quantile"]):
            raise ValueError("Invalid quantile label: " + line)
    return suffix


def _check_value(sample, name, typ, suffix, line):
    value = sample.value
    if typ == "stateset" and value not in (0, 1):
        raise ValueError("Stateset samples can only have values zero and one: " + line)
    if typ == "info" and value != 1:
        raise ValueError("Info samples can only have value one: " + line)
    if typ == "summary" and name == sample.name and value < 0:
        raise ValueError("Quantile values cannot be negative: " + line)
    if suffix in _NOT_NAN and math.isnan(value):
        raise ValueError("Counter-like samples cannot be NaN: " + line)
    if suffix in _NOT_NEGATIVE and value < 0:
        raise ValueError("Counter-like samples cannot be negative: " + line)
    if sample.exemplar and not (
        (typ in ("histogram", "gaugehistogram") and sample.name.endswith("_bucket"))
        or (typ == "counter" and sample.name.endswith("_total"))
    ):
        raise ValueError("Only histogram buckets and counters can have exemplars: " + line)


def text_fd_to_metric_families(fd):
    """The metric families of the OpenMetrics lines fd yields, as a generator."""
    f = _Families()
    allowed = []
    eof = False
    for line in fd:
        if line[-1] == "\n":
            line = line[:-1]
        if eof:
            raise ValueError("Received line after # EOF: " + line)
        if not line:
            raise ValueError("Received blank line")
        if line == "# EOF":
            eof = True
        elif line[0] == "#":
            parts = split_unquoted(line, " ", 3)
            if len(parts) < 4:
                raise ValueError("Invalid line: " + line)
            candidate, quoted = unquote(parts[2])
            if not quoted and not legacy_name(candidate):
                raise ValueError("invalid metric name: " + line)
            if candidate == f.name and f.samples:
                raise ValueError("Received metadata after samples: " + line)
            if candidate != f.name:
                if f.name is not None:
                    yield f.build()
                f.start(candidate, None)
                allowed = [candidate]
            keyword = parts[1]
            if keyword == "HELP":
                if f.documentation is not None:
                    raise ValueError("More than one HELP for metric: " + line)
                f.documentation = unescape(parts[3], LABEL_ESCAPES)
            elif keyword == "TYPE":
                if f.typ is not None:
                    raise ValueError("More than one TYPE for metric: " + line)
                f.typ = parts[3]
                if f.typ == "untyped":
                    raise ValueError("Invalid TYPE for metric: " + line)
                allowed = []
                for suffix in _TYPE_SUFFIXES.get(f.typ, ("",)):
                    allowed.append(f.name + suffix)
            elif keyword == "UNIT":
                if f.unit is not None:
                    raise ValueError("More than one UNIT for metric: " + line)
                f.unit = parts[3]
            else:
                raise ValueError("Invalid line: " + line)
        else:
            sample = None
            if f.typ == "histogram":
                sample = native_histogram_sample(line)
            if sample is not None:
                # Kept in the family it follows, whatever its name.
                suffix = _check_sample(sample, f.name, f.typ, line)
                f.samples.append(sample)
            else:
                sample = _parse_sample(line)
                if sample.name not in allowed:
                    if f.name is not None:
                        yield f.build()
                    # A sample no metadata announced: an unknown family of its own.
                    candidate, quoted = unquote(sample.name)
                    if not quoted and not legacy_name(candidate):
                        raise ValueError("invalid metric name: " + line)
                    f.start(candidate, "unknown")
                    allowed = [sample.name]
                suffix = _check_sample(sample, f.name, f.typ, line)
                f.add(sample, line)
            _check_value(sample, f.name, f.typ, suffix, line)
    if f.name is not None:
        yield f.build()
    if not eof:
        raise ValueError("Missing # EOF at end")
