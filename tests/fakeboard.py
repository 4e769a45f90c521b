"""Stand-ins for the board-only modules BoardCollector reads, put into sys.modules.

saved = inject({"microcontroller": microcontroller(temperature=40.0)})
try: ... finally: restore(saved)

CPython and MicroPython both let a test assign sys.modules entries, and both import what is
there: a plain object serves as a module.
"""

import sys

BOARD_MODULES = ("microcontroller", "wifi", "machine", "esp32", "rp2", "network")


class Module:
    """A stand-in module: the given attributes. A value that is an exception raises on use."""

    def __init__(self, **attrs):
        for k in attrs:
            setattr(self, k, attrs[k])


def returns(value, calls=None):
    """A function returning value (or raising it, if an exception); calls counts the calls."""

    def f(*args):
        if calls is not None:
            calls.append(args)
        if isinstance(value, Exception):
            raise value
        return value

    return f


def _get(obj, name):
    value = obj.values[name]
    if isinstance(value, Exception):
        raise value
    return value


class Cpu:
    """microcontroller.cpu: properties, as CircuitPython has them."""

    def __init__(self, **values):
        self.values = values

    @property
    def temperature(self):
        return _get(self, "temperature")

    @property
    def frequency(self):
        return _get(self, "frequency")

    @property
    def reset_reason(self):
        return _get(self, "reset_reason")


class EnumValue:
    """A CircuitPython enum value: it prints as module.Class.NAME."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text

    def __repr__(self):
        return self.text


class Radio:
    """wifi.radio: ap_info is None while not connected."""

    def __init__(self, ap_info):
        self.values = {"ap_info": ap_info}

    @property
    def ap_info(self):
        return _get(self, "ap_info")


def microcontroller(temperature=41.5, frequency=125000000, reset_reason="POWER_ON"):
    if isinstance(reset_reason, str):
        reset_reason = EnumValue("microcontroller.ResetReason." + reset_reason)
    cpu = Cpu(temperature=temperature, frequency=frequency, reset_reason=reset_reason)
    return Module(cpu=cpu)


class Network:
    """wifi.radio.ap_info: rssi is a property."""

    def __init__(self, rssi):
        self.values = {"rssi": rssi}

    @property
    def rssi(self):
        return _get(self, "rssi")


def wifi(rssi=-61, connected=True):
    return Module(radio=Radio(Network(rssi) if connected else None))


def machine(freq=240000000, cause=3, calls=None, **extra):
    # ESP32's constants (PWRON 1, HARD 2, WDT 3, DEEPSLEEP 4, SOFT 5).
    m = Module(
        freq=returns(freq),
        reset_cause=returns(cause, calls),
        PWRON_RESET=1,
        HARD_RESET=2,
        WDT_RESET=3,
        DEEPSLEEP_RESET=4,
        SOFT_RESET=5,
        WLAN_WAKE=6,  # not a reset cause: no _RESET suffix
    )
    for k in extra:
        setattr(m, k, extra[k])
    return m


class WLAN:
    def __init__(self, interface, connected=True, rssi=-70):
        self.interface = interface
        self.connected = connected
        self.rssi = rssi

    def isconnected(self):
        return self.connected

    def status(self, what):
        if what != "rssi":
            raise ValueError("unknown status param")
        if isinstance(self.rssi, Exception):
            raise self.rssi
        return self.rssi


def network(connected=True, rssi=-70, made=None):
    def wlan(interface):
        if made is not None:
            made.append(interface)
        return WLAN(interface, connected, rssi)

    return Module(WLAN=wlan, STA_IF=0, AP_IF=1)


class ADC:
    CORE_TEMP = 4
    reading = 0
    channels = []

    def __init__(self, channel):
        ADC.channels.append(channel)

    def read_u16(self):
        return ADC.reading


def inject(modules):
    """Put modules (name -> stand-in) into sys.modules, and None for the other board modules
    (an ImportError on CPython, a None module on MicroPython: missing either way, even where
    one is installed, like Blinka's microcontroller); return what restore() needs."""
    saved = {}
    for name in BOARD_MODULES:
        saved[name] = sys.modules.get(name)
        sys.modules[name] = modules.get(name)
    return saved


def restore(saved):
    for name in saved:
        if saved[name] is None:
            if name in sys.modules:
                del sys.modules[name]
        else:
            sys.modules[name] = saved[name]


def every_module():
    """A board with every reading: CircuitPython's modules, and MicroPython's behind them."""
    return {
        "microcontroller": microcontroller(),
        "wifi": wifi(),
        "machine": machine(),
        "esp32": Module(mcu_temperature=returns(40)),
        "network": network(),
    }
