"""CircuitPython's board: pin names only. No I2C(): as on a board without default I2C pins."""

SCK = "SCK"
MOSI = "MOSI"
MISO = "MISO"
D10 = "D10"
