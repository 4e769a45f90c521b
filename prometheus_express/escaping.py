"""How UTF-8 metric and label names are written: the escaping a scrape asks for in its Accept
header (escaping=allow-utf-8, underscores, dots or values), as client_python 0.26 applies it.

escape_metric_name("http.requests", UNDERSCORES)    # 'http_requests'
escape_metric_name("http.requests", ALLOWUTF8)      # '"http.requests"'
Loaded only for a page that needs it: one with a UTF-8 name, or one asked for with dots.
"""

from .exposition import write_registry
from .metrics import _name_ok

ESCAPING_HEADER_TAG = "escaping"
ALLOWUTF8 = "allow-utf-8"  # names as they are, quoted where the legacy rules would refuse them
UNDERSCORES = "underscores"  # every character the legacy rules refuse becomes "_"
DOTS = "dots"  # "_" becomes "__", "." becomes "_dot_", any other such character "__"
VALUES = "values"  # "U__", then "_" as "__" and any other such character as _<hex code>_


def _legacy_character(c, first, colon):
    return (
        ("a" <= c <= "z")
        or ("A" <= c <= "Z")
        or c == "_"
        or (colon and c == ":")
        or (not first and "0" <= c <= "9")
    )


def _escape(s, escaping, colon):
    if escaping == ALLOWUTF8:
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
    if escaping == UNDERSCORES:
        underscore = dot = other = "_"
    elif escaping == DOTS:
        underscore = "__"
        dot = "_dot_"
        other = "__"
    elif escaping == VALUES:
        underscore = "__"
        dot = other = None  # by code
    else:
        return s
    pieces = ["U__"] if escaping == VALUES else []
    first = True
    for c in s:
        if c == "_":
            pieces.append(underscore)
        elif _legacy_character(c, first, colon):
            pieces.append(c)
        elif escaping == VALUES:
            code = ord(c)
            # A lone surrogate (CPython only) has no UTF-8: the replacement character's code.
            pieces.append("_FFFD_" if 0xD800 <= code <= 0xDFFF else "_%x_" % code)
        else:
            pieces.append(dot if c == "." else other)
        first = False
    return "".join(pieces)


def escape_metric_name(s, escaping=UNDERSCORES):
    """A metric name as a page with this escaping writes it."""
    if s and (escaping == DOTS or not _name_ok(s, True)):
        s = _escape(s, escaping, True)
        if escaping == ALLOWUTF8:
            s = '"' + s + '"'
    return s


def escape_label_name(s, escaping=UNDERSCORES):
    """A label name as a page with this escaping writes it."""
    # A name starting with "__" is reserved, so not a legacy name either.
    if s and (escaping == DOTS or not _name_ok(s, False) or s.startswith("__")):
        s = _escape(s, escaping, False)
        if escaping == ALLOWUTF8:
            s = '"' + s + '"'
    return s


def scheme(escaping):
    """The scheme of an escaping value, or of a Content-Type that names one after "escaping=";
    underscores (client_python's default) for one that names none, or an unknown scheme."""
    at = escaping.find("escaping=")
    if at >= 0:
        escaping = escaping[at + 9 :]
    return escaping if escaping in (ALLOWUTF8, DOTS, VALUES) else UNDERSCORES


def encoder(om, content_type):
    """choose_encoder()'s encoder: registry -> the page as bytes, in the format and with the
    escaping of names that choose_format() chose."""

    def encode(registry):
        pieces = []
        write_registry(pieces.append, registry, om, content_type)
        if om:
            pieces.append("# EOF\n")
        return "".join(pieces).encode("utf-8")

    return encode


class FamilyNames:
    """How one page writes the names of one family: its own, its samples', their labels'."""

    def __init__(self, family, om, escaping):
        self.family = family
        self.om = om
        self.scheme = scheme(escaping)

    def metric(self, name):
        """A name on a HELP, TYPE or UNIT line."""
        return escape_metric_name(name, self.scheme)

    def sample(self, name):
        """(before, inside): the sample's name as written before its labels, or "" and the
        quoted name that opens its labels ({"http.requests_total",method="GET"})."""
        family = self.family
        if self.om and self.scheme in (DOTS, VALUES) and name.startswith(family):
            # The family's escaped name and the suffix as it is: escaped whole, the suffix's
            # "_" would be rewritten too and the sample would no longer belong to its family.
            return escape_metric_name(family, self.scheme) + name[len(family) :], ""
        name = escape_metric_name(name, self.scheme)
        if name.startswith('"'):
            return "", name
        return name, ""

    def labels(self, names):
        """The label names, escaped."""
        escaped = []
        for name in names:
            escaped.append(escape_label_name(name, self.scheme))
        return escaped
