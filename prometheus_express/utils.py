"""client_python's prometheus_client.utils: how both formats write numbers and strings.

floatToGoString(1234567) == '1.234567e+06'
They live in exposition, which a board loads anyway: one module less in RAM.
"""

from .exposition import (  # noqa: F401  (this module's names)
    INF,
    MINUS_INF,
    NaN,
    escape_help,
    escape_value,
    floatToGoString,
    newlines,
)
