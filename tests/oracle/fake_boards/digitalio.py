"""CircuitPython's digitalio: a pin that does nothing."""


class DigitalInOut:
    def __init__(self, pin):
        self.pin = pin
