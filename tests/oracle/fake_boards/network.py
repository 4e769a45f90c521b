"""MicroPython's network: a WLAN that joins at once, on loopback."""

STA_IF = 0
AP_IF = 1


class WLAN:
    PM_NONE = 0
    PM_PERFORMANCE = 1
    PM_POWERSAVE = 2

    def __init__(self, interface):
        self._active = False
        self._joined = False

    def active(self, on=None):
        if on is not None:
            self._active = on
        return self._active

    def config(self, **settings):
        if not self._active:
            raise OSError("the interface is not active")

    def connect(self, ssid, password):
        if not self._active:
            raise OSError("the interface is not active")
        self._joined = True

    def isconnected(self):
        return self._joined

    def status(self):
        return 3 if self._joined else 0

    def ifconfig(self):
        return ("127.0.0.1", "255.0.0.0", "127.0.0.1", "127.0.0.1")
