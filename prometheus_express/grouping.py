"""A Pushgateway grouping key naming this host by its IP address. CPython only.

push_to_gateway("pushgateway:9091", "backup", registry, instance_ip_grouping_key())
"""

from ._port import BOARD

if BOARD:
    from .errors import cpython_only

    raise cpython_only(__name__, "a UDP socket's getsockname")

import socket
import sys


def instance_ip_grouping_key():
    """{"instance": the address this host sends from}, as client_python gives it."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        # Connecting a UDP socket sends nothing; it only picks the source address. On macOS
        # connecting to localhost picks the loopback address, so aim at an outside one there.
        if sys.platform == "darwin":
            s.connect(("10.255.255.255", 1))
        else:
            s.connect(("localhost", 0))
        return {"instance": s.getsockname()[0]}
    finally:
        s.close()
