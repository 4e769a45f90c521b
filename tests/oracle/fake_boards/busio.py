"""CircuitPython's busio: an SPI bus that does nothing."""


class SPI:
    def __init__(self, clock, MOSI=None, MISO=None):  # CircuitPython's keyword names
        self.pins = (clock, MOSI, MISO)
