from .exposition import INF as INF
from .exposition import MINUS_INF as MINUS_INF
from .exposition import NaN as NaN
from .exposition import escape_help as escape_help
from .exposition import escape_value as escape_value
from .exposition import floatToGoString as floatToGoString
from .exposition import newlines as newlines
