"""Remote write 1.0's WriteRequest (protobuf), one TimeSeries at a time, read from the text page.

each_sample(registry, lambda labels, value, ts: out.write(time_series(labels, value, now_ms)))
Loaded only by remote_write: the page is read as write_text streams it, never held whole.
"""

from ._port import const
from .double import put_double
from .exposition import write_text

_PARTS = const(8)  # pieces of a line kept apart; more are joined as they come


# -- reading the page ---------------------------------------------------------------------------


class _Lines:
    # Takes write_text's str pieces and hands each sample line, whole, to _sample; a comment
    # line (# HELP, # TYPE) is dropped piece by piece, so a long HELP text is never held.
    # The pieces wait in a list of fixed size ("" past the last): no list grows per line.

    def __init__(self, visit):
        self.visit = visit
        self.parts = [""] * _PARTS
        self.count = 0
        self.comment = False

    def write(self, piece):
        n = piece.find("\n")
        if n < 0:  # most pieces: part of a line
            self._part(piece)
            return
        start = 0
        while n >= 0:
            if n > start:
                self._part(piece[start:n])
            self._line()
            start = n + 1
            n = piece.find("\n", start)
        if start < len(piece):
            self._part(piece[start:])

    def _part(self, s):
        if not s or self.comment:
            return
        count = self.count
        parts = self.parts
        if not count and s[0] == "#":
            self.comment = True
            return
        if count == _PARTS:  # a line in many pieces: fold those so far into one
            parts[0] = "".join(parts)
            _clear(parts, 1, _PARTS)
            count = 1
        parts[count] = s
        self.count = count + 1

    def _line(self):
        self.comment = False
        count = self.count
        if count:
            parts = self.parts
            line = parts[0] if count == 1 else "".join(parts)
            _clear(parts, 0, count)
            self.count = 0
            _sample(line, self.visit)


def _clear(parts, i, n):
    while i < n:
        parts[i] = ""
        i += 1


def _unescape(line, j):
    # The label value from index j (after its opening quote) to the closing quote, with
    # \\, \" and \n (all the 0.0.4 format writes) unescaped; returns it and the quote's index.
    chars = []
    while j < len(line):
        c = line[j]
        if c == '"':
            return "".join(chars), j
        if c == "\\":
            j += 1
            c = line[j]
            if c == "n":
                c = "\n"
        chars.append(c)
        j += 1
    return "", -1  # no closing quote: _sample refuses the line


def _sample(line, visit):
    # `name{label="value",...} value [timestamp]`. write_text escapes UTF-8 names with
    # underscores, so no name is quoted and none holds a space, "{", "=" or a quote.
    space = line.find(" ")
    brace = line.find("{", 0, space)
    if brace < 0:
        labels = [("__name__", line[:space])]
        i = space + 1
    else:
        labels = [("__name__", line[:brace])]
        i = brace + 1
        while line[i] != "}":
            equals = line.find("=", i)
            name = line[i:equals]
            i = equals + 2  # past '="'
            quote = line.find('"', i)
            if line.find("\\", i, quote) < 0:
                value = line[i:quote]
            else:
                value, quote = _unescape(line, i)
            if equals < 0 or quote < 0:  # never from write_text; not a loop forever either
                raise ValueError("cannot read this line of the page: %r" % line)
            labels.append((name, value))
            i = quote + 1
            if line[i] == ",":
                i += 1
        i += 2  # past "} "
    space = line.find(" ", i)
    if space < 0:
        visit(labels, line[i:], None)
    else:
        visit(labels, line[i:space], line[space + 1 :])


def each_sample(registry, visit):
    """Stream the registry's text page (format 0.0.4) and call visit(labels, value_text,
    timestamp_text or None) for each sample line; labels are [("__name__", name), (label,
    value), ...] as the page has them, values unescaped."""
    lines = _Lines(visit)
    write_text(lines.write, registry)
    lines._line()  # write_text ends every line; a custom collector's last one too


# -- the TimeSeries -----------------------------------------------------------------------------


try:
    memoryview("")
    _utf8 = memoryview  # MicroPython: a str's UTF-8 bytes where they are, no copy
except TypeError:  # CPython

    def _utf8(s):
        return s.encode("utf-8")


def _varint_size(n):
    size = 1
    while n >= 0x80:
        n >>= 7
        size += 1
    return size


def _put_varint(buf, i, n):
    while n >= 0x80:
        buf[i] = (n & 0x7F) | 0x80
        n >>= 7
        i += 1
    buf[i] = n
    return i + 1


def _label_size(name, value):
    # Label{name = 1; value = 2}, both strings
    return 2 + _varint_size(len(name)) + len(name) + _varint_size(len(value)) + len(value)


def _in_order(labels):
    i = 1
    while i < len(labels):
        if labels[i][0] < labels[i - 1][0]:
            return False
        i += 1
    return True


# The last timestamp and its varint: every series of a send has the same one, and on a board
# each step of a varint of 2**40 would allocate a long int.
_stamp = (0, b"\x00")


def _timestamp(ms):
    global _stamp
    stamp = _stamp
    if stamp[0] != ms:
        n = ms + (1 << 64) if ms < 0 else ms  # int64 as protobuf writes it: ten bytes
        varint = bytearray(_varint_size(n))
        _put_varint(varint, 0, n)
        stamp = _stamp = (ms, varint)
    return stamp[1]


def series_size(labels, timestamp_ms):
    """len(time_series(labels, value_text, timestamp_ms)) whatever the value, without
    encoding it: the double is always 8 bytes."""
    body = 12 + len(_timestamp(timestamp_ms))  # samples: tag, length, Sample
    for label in labels:
        if label[1]:
            size = _label_size(_utf8(label[0]), _utf8(label[1]))
            body += 1 + _varint_size(size) + size
    return 1 + _varint_size(body) + body


def time_series(labels, value_text, timestamp_ms):
    """WriteRequest's field 1 for one sample, as a bytearray: the TimeSeries of labels ((name,
    value) str pairs, "__name__" among them) sorted by name, and Sample{value, timestamp_ms}.

    A label with an empty value is left out, as Prometheus drops it from a scraped series.
    """
    stamp = _timestamp(timestamp_ms)
    if not _in_order(labels):  # each_sample's are, unless "__name__" must go after a capital
        labels = sorted(labels)
    encoded = [None] * (2 * len(labels))
    body = 0
    k = 0
    for label in labels:
        if label[1]:
            name = _utf8(label[0])
            value = _utf8(label[1])
            encoded[k] = name
            encoded[k + 1] = value
            k += 2
            size = _label_size(name, value)
            body += 1 + _varint_size(size) + size
    sample = 10 + len(stamp)  # Sample{double value = 1; int64 timestamp = 2}
    body += 2 + sample
    buf = bytearray(1 + _varint_size(body) + body)
    buf[0] = 0x0A  # WriteRequest.timeseries = 1
    i = _put_varint(buf, 1, body)
    j = 0
    while j < k:
        name = encoded[j]
        value = encoded[j + 1]
        j += 2
        buf[i] = 0x0A  # TimeSeries.labels = 1
        i = _put_varint(buf, i + 1, _label_size(name, value))
        buf[i] = 0x0A
        i = _put_varint(buf, i + 1, len(name))
        buf[i : i + len(name)] = name
        i += len(name)
        buf[i] = 0x12
        i = _put_varint(buf, i + 1, len(value))
        buf[i : i + len(value)] = value
        i += len(value)
    buf[i] = 0x12  # TimeSeries.samples = 2
    buf[i + 1] = sample
    buf[i + 2] = 0x09  # fixed64
    put_double(buf, i + 3, value_text)
    buf[i + 11] = 0x10  # varint
    buf[i + 12 :] = stamp
    return buf
