"""Float constants CircuitPython 9's mpy-cross writes differently: it folds no float arithmetic
(MicroPython's and CircuitPython 10's do) and keeps 16 significant digits, not 17."""

NEGATIVE = -0.5
SUM = 0.1 + 0.2
HALF = 1 / 2
PRECISE = 0.30000000000000004
