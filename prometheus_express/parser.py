"""Read a text format 0.0.4 page back into metric families, as client_python's parser does.

for family in text_string_to_metric_families(page): print(family.name, family.samples)

Lax like client_python's (a page that parses need not be valid), with its results and its
errors (ValueError) for the same input. Scanned by hand: MicroPython's `re` is too limited.
Never loaded by the library itself.
"""

from .metrics import _name_ok
from .metrics_core import Metric
from .samples import Sample

# What client_python splits comment lines on (Python's string.whitespace).
_WHITESPACE = " \t\n\r\x0b\x0c"
# Label values and OpenMetrics HELP: \\ \n \" ; text format HELP: \\ \n only.
LABEL_ESCAPES = '\\n"'
_HELP_ESCAPES = "\\n"
# The sample names each TYPE line allows, after the family name.
_TYPE_SUFFIXES = {
    "summary": ("_count", "_sum", ""),
    "histogram": ("_count", "_sum", "_bucket"),
}


def text_string_to_metric_families(text):
    """The metric families of a text format 0.0.4 page (a str), as a generator."""
    return text_fd_to_metric_families(lines(text))


def lines(text):
    """The lines of text as io.StringIO yields them: split at "\\n" only, each keeping it."""
    start = 0
    end = len(text)
    while start < end:
        stop = text.find("\n", start)
        if stop == -1:
            yield text[start:]
            return
        yield text[start : stop + 1]
        start = stop + 1


# -- scanning, shared with the OpenMetrics parser ----------------------------------------------


def _escaped(text, i):
    # Whether text[i] follows an odd number of backslashes.
    n = 0
    while i > n and text[i - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


def find_unquoted(text, chars, start=0):
    """Index of the first of chars at or after start, outside double quotes; else -1.
    Quotes are counted from start on."""
    quoted = False
    i = start
    end = len(text)
    while i < end:
        c = text[i]
        if c == '"' and not _escaped(text, i):
            quoted = not quoted
        if not quoted and c in chars:
            return i
        i += 1
    return -1


def rfind_unquoted(text, chars):
    """Index of the last of chars outside double quotes, counted from the end; else -1.
    Like client_python's, it never looks at text[0]."""
    quoted = False
    i = len(text) - 1
    while i > 0:
        c = text[i]
        if c == '"' and not _escaped(text, i):
            quoted = not quoted
        if not quoted and c in chars:
            return i
        i -= 1
    return -1


def split_unquoted(text, separators, maxsplit):
    """text split at separators outside quotes, runs counting as one, into at most
    maxsplit + 1 pieces (the last one keeps the rest, separators and all)."""
    tokens = [""]
    x = 0
    end = len(text)
    while x < end:
        at = find_unquoted(text, separators, x)
        if at == -1:
            tokens[-1] = text[x:]
            break
        if at == x:
            x += 1
            continue
        if len(tokens) > maxsplit:
            tokens[-1] = text[x:]
            break
        tokens[-1] = text[x:at]
        x = at + 1
        tokens.append("")
    return tokens


def unescape(text, escapes):
    """text with each backslash sequence named in escapes replaced; others stay as written."""
    if "\\" not in text:
        return text
    out = []
    i = 0
    end = len(text) - 1
    while i <= end:
        c = text[i]
        if c == "\\" and i < end and text[i + 1] in escapes:
            c = text[i + 1]
            out.append("\n" if c == "n" else c)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def unquote(text):
    """(text without its double quotes and escapes, whether it was quoted)."""
    if not text:
        return text, False
    text = text.strip()
    quoted = text[0] == '"'  # IndexError for blank text, as in client_python
    if quoted:
        if len(text) == 1 or text[-1] != '"':
            raise ValueError("missing close quote: " + text)
        text = text[1:-1]
    return unescape(text, LABEL_ESCAPES), quoted


def legacy_name(name):
    """Whether name matches [a-zA-Z_:][a-zA-Z0-9_:]*, as client_python tests it."""
    # Its regular expression ends in "$", which also matches before a final newline.
    if name.endswith("\n"):
        name = name[:-1]
    return _name_ok(name, True)


def number(text):
    """An int if text is one, else a float; ValueError otherwise."""
    if text != text.strip() or "_" in text:
        raise ValueError("Invalid value: %r" % (text,))
    try:
        return int(text)
    except ValueError:
        return float(text)


def parse_labels(labels_string, openmetrics=False):
    """The labels between a sample's braces, as a dict."""
    labels = {}
    rest = labels_string.strip()
    if openmetrics and rest and rest[0] == ",":
        raise ValueError("leading comma: " + labels_string)
    try:
        while rest:
            name, value, rest = _next_term(rest, openmetrics)
            if not value:
                if openmetrics:
                    raise ValueError("empty term in line: " + labels_string)
                continue  # the text format drops `name=` silently
            name, quoted = unquote(name)
            if not quoted and not legacy_name(name):
                raise ValueError("unquoted UTF-8 label name: " + name)
            if value[0] != '"' or _closing_quote(value) != len(value) - 1:
                raise ValueError("unexpected text after quote: " + labels_string)
            value = unquote(value)[0]
            if name != "__name__" and name.startswith("__"):
                raise ValueError("Reserved label name: " + name)
            if name in labels:
                raise ValueError("duplicate label name: " + labels_string)
            labels[name] = value
        return labels
    except ValueError:
        raise ValueError("Invalid labels: " + labels_string) from None


def _closing_quote(value):
    # Index of the first unescaped quote after value[0] (which is a quote); ValueError if none.
    i = 1
    while i < len(value):
        i = value.index('"', i)
        if not _escaped(value, i):
            break
        i += 1
    return i


def _next_term(text, openmetrics):
    # (label name, value as written, the rest from its comma on); a term without "=" is the
    # metric name, as in {"my.metric", a="b"}.
    if text[0] == ",":
        text = text[1:]
        if not text:
            return "", "", ""
        if text[0] == ",":
            raise ValueError("multiple commas")
    at = find_unquoted(text, "=,}")
    if at >= 0 and text[at] == "=":
        name = text[:at]
        text = text[at + 1 :]
        at = find_unquoted(text, ",}")
    else:
        name = "__name__"
    if at == -1:
        at = len(text)
    term = text[:at]
    if not term and openmetrics:
        raise ValueError("empty term")
    return name, term.strip(), text[at:].strip()


def sample_name(name, labels, text):
    """A sample's name: the one before its braces, or else its __name__ label (how a quoted
    UTF-8 name comes), taken out of labels; never both. text is the line, for the error."""
    if not name:
        if "__name__" not in labels:
            raise ValueError("no metric name: " + text)
        return labels.pop("__name__")
    if "__name__" in labels:
        raise ValueError("metric name specified more than once: " + text)
    return name


def family(name, documentation, typ, unit, samples):
    """A Metric holding samples. Like client_python, any non-empty name is accepted
    (UTF-8 names), though our Metric() itself takes only the classic ones."""
    if _name_ok(name, True):
        metric = Metric(name, documentation, typ, unit)
    elif not name:
        raise ValueError("metric name cannot be empty")
    else:
        metric = Metric("_", documentation, typ)  # checks the type
        metric.name = name
        metric.unit = unit
    metric.samples = samples
    return metric


# -- the text format ---------------------------------------------------------------------------


def _value_and_timestamp(text):
    # "value [timestamp]": extra fields are ignored, the last one is the timestamp (ms).
    text = text.lstrip()
    separator = " " if " " in text else "\t"
    fields = []
    for field in text.split(separator):
        field = field.strip()
        if field:
            fields.append(field)
    if not fields:
        raise ValueError("no value: %r" % (text,))
    timestamp = number(fields[-1]) / 1000 if len(fields) > 1 else None
    return number(fields[0]), timestamp


def _parse_sample(text):
    brace = find_unquoted(text, "{")
    if brace == -1 or " # " in text[:brace]:
        end = find_unquoted(text, " \t")
        name = text[:end].strip()  # end == -1 drops the last character, as client_python does
        if not legacy_name(name):
            raise ValueError("invalid metric name: " + text)
        value, timestamp = _value_and_timestamp(text[end + 1 :])
        return Sample(name, {}, value, timestamp, None)
    name = text[:brace].strip()
    close = find_unquoted(text, "}", brace)
    if close == -1:
        close = brace - 1  # then the value starts with "{" and fails to parse
    labels = parse_labels(text[brace + 1 : close], False)
    name = sample_name(name, labels, text)
    value, timestamp = _value_and_timestamp(text[close + 1 :])
    return Sample(name, labels, value, timestamp, None)


def _text_family(name, documentation, typ, samples):
    # Counters as OpenMetrics names them: family without _total, samples with it.
    if typ == "counter":
        if name.endswith("_total"):
            name = name[:-6]
        else:
            renamed = []
            for s in samples:
                renamed.append(
                    Sample(s.name + "_total", s.labels, s.value, s.timestamp, s.exemplar)
                )
            samples = renamed
    return family(name, documentation, typ, "", samples)


def text_fd_to_metric_families(fd):
    """The metric families of the text format 0.0.4 lines fd yields, as a generator."""
    name = ""
    documentation = ""
    typ = "untyped"
    samples = []
    allowed = []
    for line in fd:
        line = line.strip()
        if line.startswith("#"):
            parts = split_unquoted(line, _WHITESPACE, 3)
            if len(parts) < 2:
                continue
            keyword = parts[1]
            candidate = ""
            if len(parts) > 2:
                if keyword != "TYPE" and keyword != "HELP":
                    continue  # a comment
                candidate, quoted = unquote(parts[2])
                if not quoted and not legacy_name(candidate):
                    raise ValueError("invalid metric name: " + line)
            if keyword == "HELP":
                if candidate != name:
                    if name != "":
                        yield _text_family(name, documentation, typ, samples)
                    name = candidate
                    typ = "untyped"
                    samples = []
                    allowed = [candidate]
                documentation = unescape(parts[3], _HELP_ESCAPES) if len(parts) == 4 else ""
            elif keyword == "TYPE":
                if len(parts) < 4:
                    raise ValueError("TYPE line without a type: " + line)
                if candidate != name:
                    if name != "":
                        yield _text_family(name, documentation, typ, samples)
                    name = candidate
                    documentation = ""
                    samples = []
                typ = parts[3]
                allowed = []
                for suffix in _TYPE_SUFFIXES.get(typ, ("",)):
                    allowed.append(name + suffix)
        elif line:
            sample = _parse_sample(line)
            if sample.name in allowed:
                samples.append(sample)
                continue
            if name != "":
                yield _text_family(name, documentation, typ, samples)
            # A sample no TYPE or HELP announced: a family of its own.
            name = ""
            documentation = ""
            typ = "untyped"
            samples = []
            allowed = []
            yield _text_family(sample.name, "", "untyped", [sample])
    if name != "":
        yield _text_family(name, documentation, typ, samples)
