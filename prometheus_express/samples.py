"""Sample and Exemplar: the tuples metric families are made of.

Sample("boots_total", {}, 3, None, None)
"""

from collections import namedtuple

# Every field is positional: MicroPython's namedtuple has no defaults.
Sample = namedtuple("Sample", ("name", "labels", "value", "timestamp", "exemplar"))
Exemplar = namedtuple("Exemplar", ("labels", "value", "timestamp"))
