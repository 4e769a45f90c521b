"""CircuitPython's wifi: a radio already joined (as settings.toml makes it) on loopback."""


class _Radio:
    connected = True
    ipv4_address = "127.0.0.1"  # CircuitPython: an ipaddress.IPv4Address; str() gives this

    def connect(self, ssid, password):
        raise AssertionError("the radio is already connected")


radio = _Radio()
