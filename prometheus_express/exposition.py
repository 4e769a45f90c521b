"""Prometheus text format 0.0.4 (and the renderer OpenMetrics shares), streamed: small pieces
go to a write callable; and how both formats write numbers and strings.

write_text(writer.write)   # never builds the page
body = generate_latest()   # or build it, as client_python does
"""

from .registry import REGISTRY

# -- numbers and strings, as both formats write them -------------------------------------------

INF = float("inf")
MINUS_INF = float("-inf")
NaN = float("nan")


def _int_to_go(n):
    # Formats an int the way client_python formats float(n), but from the
    # int's own digits, so counts stay exact where floats have 22-30 bits.
    n = int(n)  # bool -> int
    if 0 <= n < 1000000:  # the usual count: one allocation
        return "%d.0" % n
    s = str(-n if n < 0 else n)
    digits = len(s)
    if digits > 16:  # repr(float) switches to an exponent here
        m = s.rstrip("0")
        mantissa = m[0] + "." + m[1:] if len(m) > 1 else m
    elif n > 0 and digits > 6:  # Go switches to an exponent sooner than Python
        mantissa = (s[0] + "." + s[1:]).rstrip("0").rstrip(".")
    else:
        return ("-" if n < 0 else "") + s + ".0"
    return "%s%se+%02d" % ("-" if n < 0 else "", mantissa, digits - 1)


def floatToGoString(d):
    """A sample value as Prometheus' Go client writes it: 1.0, 1.5e+06, +Inf, NaN."""
    if isinstance(d, int):
        return _int_to_go(d)
    d = float(d)
    if d == INF:
        return "+Inf"
    if d == MINUS_INF:
        return "-Inf"
    if d != d:
        return "NaN"
    s = repr(d)
    dot = s.find(".")
    if d > 0 and dot > 6:
        mantissa = (s[0] + "." + s[1:dot] + s[dot + 1 :]).rstrip("0.")
        return "%se+%02d" % (mantissa, dot - 1)
    return s


def newlines(s):
    """s with CR and CRLF as newlines, as universal-newline reading does.

    A carriage return breaks Python's parser and promtool rejects "\\r".
    """
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return s


def escape_help(s):
    """HELP text for the 0.0.4 text format: backslash and newline escaped."""
    s = newlines(s)
    if "\\" in s:
        s = s.replace("\\", "\\\\")
    if "\n" in s:
        s = s.replace("\n", "\\n")
    return s


def escape_value(s):
    """A label value (and OpenMetrics HELP): backslash, newline and quote escaped."""
    s = escape_help(s)
    if '"' in s:
        s = s.replace('"', '\\"')
    return s


# -- the page ----------------------------------------------------------------------------------


def _label_parts(names, values):
    # A plain loop: on MicroPython a comprehension allocates a function and a range too.
    parts = []
    i = 0
    while i < len(names):
        parts.append('%s="%s"' % (names[i], escape_value(values[i])))
        i += 1
    return parts


class _Lines:
    # Writes the sample lines of the family and child being rendered. A
    # child's labels are rendered once, sorted by name as both formats
    # expect; extra_label.py slots in an extra one (le, a state) at its place.

    def __init__(self, write, om):
        self.write = write
        self.om = om  # an exemplar is written in OpenMetrics only
        self.name = ""

    def child(self, names, values):
        # names and values already sorted by name
        self.names = names
        self.values = values
        self.parts = parts = _label_parts(names, values) if names else ()
        self.labels = parts[0] if len(parts) == 1 else ",".join(parts)

    def sample(self, suffix, value, tail=""):
        w = self.write
        w(self.name)
        w(suffix)
        if self.labels:
            w("{")
            w(self.labels)
            w("} ")
        else:
            w(" ")
        w(floatToGoString(value))
        if tail:
            w(tail)
        w("\n")


def _header(write, name, typ, doc, unit, om):
    write("# HELP ")
    write(name)
    write(" ")
    write(escape_value(doc) if om else escape_help(doc))
    write("\n# TYPE ")
    write(name)
    write(" ")
    write(typ)
    write("\n")
    if om and unit:
        write("# UNIT ")
        write(name)
        write(" ")
        write(unit)
        write("\n")


def _family_header(write, name, typ, doc, unit, om, escape=None):
    # escape: how the page writes a family's name (escaping.py), when not as it is.
    if not om:
        # The 0.0.4 format predates OpenMetrics' counter, info and stateset types.
        unit = ""
        if typ == "counter":
            name += "_total"
        elif typ == "info":
            name += "_info"
            typ = "gauge"
        elif typ == "stateset":
            typ = "gauge"
    _header(write, escape(name) if escape else name, typ, doc, unit, om)


def _child(out, names, order, child):
    values = child._labelvalues
    if order is not None:
        sorted_names = []
        sorted_values = []
        for i in order:
            sorted_names.append(names[i])
            sorted_values.append(values[i])
        names = sorted_names
        values = sorted_values
    out.child(names, values)


def _native(out, metric, om):
    # Our own metrics stream straight from their values: no Metric, no Sample.
    write = out.write
    name = metric._name
    _family_header(write, name, metric._type, metric._documentation, metric._unit, om)
    out.name = name
    kids = metric._children
    if kids is None:
        kids = (metric,)
    created = metric._created_on()
    names = metric._labelnames
    order = None  # both formats sort labels by name; most are given sorted already
    if len(names) > 1 and list(names) != sorted(names):
        order = []
        for name_ in sorted(names):  # label names are unique
            order.append(names.index(name_))
    i = 0
    while i < len(kids):  # by index: another thread may add a child meanwhile
        child = kids[i]
        i += 1
        _child(out, names, order, child)
        child._emit(out)
        if om and created and child._created is not None:
            out.sample("_created", child._created)
    if created and not om:
        # The 0.0.4 format has no _created: client_python exports it as a gauge.
        header = True
        i = 0
        while i < len(kids):
            child = kids[i]
            i += 1
            if child._created is not None:
                if header:
                    _header(write, name + "_created", "gauge", metric._documentation, "", False)
                    header = False
                _child(out, names, order, child)
                out.sample("_created", child._created)


# True once a name outside the legacy rules has been accepted (validation.py): from then on
# every family is written by collected.py, which escapes names.
utf8_names = False


def write_registry(write, registry, om, escaping="underscores"):
    """Stream the registry's families in OpenMetrics (om) or 0.0.4 text; OpenMetrics' closing
    # EOF is the caller's to write (a page may be rendered one collector at a time).

    escaping: how names are escaped (escaping.py), or the Content-Type choose_format() chose,
    which ends with the escaping it names ("...; escaping=dots"), if any.
    """
    out = _Lines(write, om)
    # Legacy names are written as they are, except with dots (where "_" becomes "__").
    streamed = not utf8_names and not escaping.endswith("dots")
    try:
        collectors = registry._collectors
    except AttributeError:  # any object with collect() will do
        collectors = (registry,)
    i = 0
    while i < len(collectors):
        collector = collectors[i]
        i += 1
        if streamed and hasattr(collector, "_emit"):
            _native(out, collector, om)
        else:
            from .collected import write_family

            for metric in collector.collect():
                write_family(out, metric, om, escaping)


def write_text(write, registry=REGISTRY):
    """Stream the registry in text format 0.0.4 as str pieces to write()."""
    write_registry(write, registry, False)


def generate_latest(registry=REGISTRY, escaping="underscores"):
    """The whole page in text format 0.0.4, as bytes, names escaped as escaping says
    (allow-utf-8, underscores, dots or values)."""
    pieces = []
    write_registry(pieces.append, registry, False, escaping)
    return "".join(pieces).encode("utf-8")


def __getattr__(name):
    # client_python's names here (CONTENT_TYPE_LATEST, choose_encoder, start_http_server,
    # push_to_gateway, ...) load only when asked for, through the package's table.
    from ._lazy import load

    return load(globals(), name)
