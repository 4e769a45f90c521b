"""CircuitPython's socketpool: SocketPool(radio) over the host's socket module."""

import socket


class SocketPool:
    def __init__(self, radio):
        if not radio.connected:
            raise AssertionError("SocketPool of a radio that is not connected")

    def __getattr__(self, name):  # socket(), getaddrinfo(), AF_INET, SOCK_STREAM, ...
        return getattr(socket, name)
