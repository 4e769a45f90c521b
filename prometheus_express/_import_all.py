"""What `from prometheus_express import *` takes (from .exposition too).

names = public(namespace, "prometheus_express", table)   # the module's __all__
"""

import sys


def public(namespace, package, table):
    """The public names already in namespace and every lazy one of table that this runtime
    can load (not the CPython-only ones on a board); not the submodules, as client_python's
    __all__ lists none."""
    names = []
    for name in namespace:
        if not name.startswith("_") and type(namespace[name]) is not type(sys):
            names.append(name)
    for module, listed in table:
        try:
            __import__(package + "." + module)
        except ImportError:
            continue
        names.extend(listed.split())
    return names
