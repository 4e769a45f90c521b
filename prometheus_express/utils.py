"""Number and string formatting shared by both exposition formats.

floatToGoString(1234567) == '1.234567e+06'
"""

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
