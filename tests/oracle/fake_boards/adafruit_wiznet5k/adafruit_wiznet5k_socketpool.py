"""adafruit_wiznet5k's SocketPool(interface) over the host's socket module."""

import socket


class SocketPool:
    def __init__(self, iface):
        self.iface = iface

    def __getattr__(self, name):  # socket(), getaddrinfo(), AF_INET, SOCK_STREAM, ...
        return getattr(socket, name)
