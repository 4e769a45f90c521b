"""Native histogram samples in OpenMetrics text, read as client_python 0.26 reads them.

native_histogram_sample('nh {count:3,sum:1.5,schema:0,zero_threshold:0,zero_count:0}')

Experimental in client_python too; only the OpenMetrics parser loads this, for histograms.
"""

from ..parser import find_unquoted, parse_labels
from ..samples import BucketSpan, NativeHistogram, Sample

# The names a native histogram's sample must not end with.
_SUFFIXES = ("_count", "_sum", "_bucket", "_created")


def _ends_with_any(name, suffixes):
    for suffix in suffixes:
        if name.endswith(suffix):
            return True
    return False


def native_histogram_sample(text):
    """The sample of a line whose value is {count:..,sum:..,...}; None for other lines."""
    i = find_unquoted(text, " {")
    if i == -1:
        return None
    labels_start = labels_end = -1
    if text[i] == "{":
        labels_start = i
        labels_end = i = find_unquoted(text, "}", i)
        if i == -1:
            raise ValueError("no closing brace: " + text)
    start = find_unquoted(text, "{", i + 1)
    if start == -1:
        return None
    hash_at = find_unquoted(text, "#", i + 1)
    if hash_at != -1 and hash_at < start:
        return None  # that brace opens an exemplar's labels
    if find_unquoted(text, "}", start) == -1:
        raise ValueError("no closing brace: " + text)
    if labels_start == -1:
        name = text[: start - 1]
        labels = None
    else:
        labels = parse_labels(text[labels_start + 1 : labels_end], True)
        name = text[:labels_start]
    if _ends_with_any(name, _SUFFIXES):
        raise ValueError("a native histogram's sample name has no suffix: " + name)
    if labels is not None and not name:
        if "__name__" not in labels:
            raise ValueError("no metric name: " + text)
        name = labels.pop("__name__")
        if not labels:
            labels = None
    value = _native_histogram(text[start:])
    return Sample(name, labels, None, None, None, value)


# -- a native histogram's value: the fields client_python's regular expressions find -----------


def _is_word(c):
    # \w: "_" or a letter or digit of any script (MicroPython's str has no isalnum).
    if c == "_":
        return True
    isalnum = getattr(c, "isalnum", None)
    return isalnum() if isalnum is not None else (c.isalpha() or c.isdigit())


def _is_decimal(c):
    # \d: a decimal digit of any script (ASCII ones only where str has no isdecimal).
    if "0" <= c <= "9":
        return True
    isdecimal = getattr(c, "isdecimal", None)
    return isdecimal is not None and isdecimal()


def _fields(text):
    # Every "key: value" ((\w+):\s*([^,}]+)), left to right; a later key replaces an earlier one.
    found = {}
    i = 0
    end = len(text)
    while i < end:
        if not _is_word(text[i]):
            i += 1
            continue
        key_start = i
        while i < end and _is_word(text[i]):
            i += 1
        if i == end or text[i] != ":":
            continue
        j = k = i + 1
        while k < end and text[k].isspace():
            k += 1
        if k == end or text[k] in ",}":
            if k == j:
                continue  # no value
            k -= 1  # the value is the last blank
        stop = k
        while stop < end and text[stop] not in ",}":
            stop += 1
        found[text[key_start:i]] = text[k:stop]
        i = stop
    return found


def _digits_end(text, i):
    # Index after the run of decimal digits at i (i itself if there is none).
    while i < len(text) and _is_decimal(text[i]):
        i += 1
    return i


def _lists(text, keys, pair):
    # {key: [...]} for every "key:[...]" of keys, a later one replacing an earlier one; each
    # item "a:b" (pair) or "-a" / "a" (not pair), of decimal digits, else no match there.
    found = {}
    i = 0
    while True:
        at = -1
        for key in keys:
            k = text.find(key + ":[", i)
            if k != -1 and (at == -1 or k < at):
                at, name = k, key
        if at == -1:
            return found
        i = at + 1
        j = at + len(name) + 2
        items = []
        while True:
            start = j
            if not pair and j < len(text) and text[j] == "-":
                j += 1
            first = j
            j = _digits_end(text, j)
            if j == first:
                break
            if pair:
                if j == len(text) or text[j] != ":":
                    break
                second = j + 1
                j = _digits_end(text, second)
                if j == second:
                    break
                items.append(BucketSpan(int(text[first : second - 1]), int(text[second:j])))
            else:
                items.append(int(text[start:j]))
            if j < len(text) and text[j] == "]":
                found[name] = tuple(items)
                i = j + 1
                break
            if j == len(text) or text[j] != ",":
                break
            j += 1


def _native_histogram(text):
    fields = _fields(text)
    spans = _lists(text, ("positive_spans", "negative_spans"), True)
    deltas = _lists(text, ("positive_deltas", "negative_deltas"), False)
    return NativeHistogram(
        int(fields["count"]),
        float(fields["sum"]),
        int(fields["schema"]),
        float(fields["zero_threshold"]),
        int(fields["zero_count"]),
        spans.get("positive_spans"),
        spans.get("negative_spans"),
        deltas.get("positive_deltas"),
        deltas.get("negative_deltas"),
        None,
    )
