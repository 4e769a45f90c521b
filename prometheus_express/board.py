"""Board collector: heap, uptime, CPU temperature and clock, reset reason, Wi-Fi and runtime.

from prometheus_express.board import BoardCollector
BoardCollector()   # joins REGISTRY; each scrape reads what this board offers
"""

import gc
import sys
import time

from ._port import BOARD
from .metrics_core import GaugeMetricFamily, InfoMetricFamily, Metric
from .registry import REGISTRY

# A reading that fails with one of these skips its metric, never the scrape.
_SKIP = (OSError, RuntimeError, AttributeError, ValueError)

# The gauges: name, the method that reads it (None where the board has no such reading), HELP.
_GAUGES = (
    ("board_heap_free_bytes", "_heap_free", "Free heap memory in bytes."),
    ("board_heap_used_bytes", "_heap_used", "Allocated heap memory in bytes."),
    ("board_uptime_seconds", "_uptime", "Seconds since the board collector was created."),
    ("board_cpu_temperature_celsius", "_temperature", "CPU temperature in degrees Celsius."),
    ("board_cpu_frequency_hertz", "_frequency", "CPU clock frequency in hertz."),
    ("board_wifi_rssi_dbm", "_rssi", "Signal strength of the Wi-Fi access point in dBm."),
)
_RESET_HELP = "Why the board last started."
_PYTHON_HELP = "Python platform information"  # client_python's PlatformCollector
_PYTHON_LABELS = ("implementation", "major", "minor", "patchlevel", "version")


def _float_ms():
    # Milliseconds of uptime that this runtime's float still holds to the millisecond as
    # seconds: 2**21 on a board with a 22-bit float (35 minutes), 2**23 with 24 bits (2.3
    # hours), 2**52 with a double (143,000 years).
    n = 1.0
    while n + 1.0 != n:
        n *= 2
    return int(n) // 2


_FLOAT_MS = _float_ms()


def _python_info():
    # The label values of python_info on a board, as client_python's PlatformCollector names
    # them: the runtime's own release (1.29.0), not the language level it claims (3.4.0).
    # MicroPython adds a fourth element: "preview", or "" for a release.
    impl = sys.implementation
    v = impl.version
    parts = (str(v[0]), str(v[1]), str(v[2]))
    version = ".".join(parts)
    if len(v) > 3 and v[3]:
        version += "-" + str(v[3])
    name = "CircuitPython" if impl.name == "circuitpython" else "MicroPython"
    return (name,) + parts + (version,)


class BoardCollector:
    """What the board offers, read at each scrape: heap, uptime, CPU, reset reason, Wi-Fi.

    Registers itself with registry (None: with none). namespace prefixes every name.
    """

    def __init__(self, registry=REGISTRY, namespace=""):
        self._prefix = namespace + "_" if namespace else ""
        self._modules = {}  # name -> module, or None where the import failed
        self._reset = None  # read once: it cannot change while the program runs
        self._adc = None
        self._wlan = None
        # On CPython, python_info is PlatformCollector's (PLATFORM_COLLECTOR on REGISTRY), as
        # in client_python: a BoardCollector there (Blinka) leaves it out.
        self._python = _python_info() if BOARD else None
        try:  # CPython, CircuitPython: integer nanoseconds that never wrap
            self._start = time.monotonic_ns()
        except AttributeError:  # MicroPython
            self._start = None
            self._last = time.ticks_ms()
            self._ms = 0
        if registry:
            registry.register(self)

    def describe(self):
        """Every family collect() may yield, without samples."""
        p = self._prefix
        out = []
        for name, _, doc in _GAUGES:
            out.append(Metric(p + name, doc, "gauge"))
        out.append(Metric(p + "board_reset", _RESET_HELP, "info"))
        if self._python:
            out.append(Metric(p + "python_info", _PYTHON_HELP, "gauge"))
        return out

    def collect(self):
        """The readings this board offers; the others are left out."""
        p = self._prefix
        for name, method, doc in _GAUGES:
            value = self._read(method)
            if value is not None:
                yield GaugeMetricFamily(p + name, doc, value=value)
        reason = self._read("_reset_reason")
        if reason is not None:
            yield InfoMetricFamily(p + "board_reset", _RESET_HELP, value={"reason": reason})
        if self._python:
            info = GaugeMetricFamily(p + "python_info", _PYTHON_HELP, labels=_PYTHON_LABELS)
            info.add_metric(self._python, 1)
            yield info

    def _read(self, method):
        try:
            return getattr(self, method)()
        except _SKIP:
            return None

    def _module(self, name):
        # Each board-only module is imported once; a missing one is remembered as None.
        modules = self._modules
        if name not in modules:
            try:
                modules[name] = __import__(name)
            except ImportError:
                modules[name] = None
        return modules[name]

    def _cpu(self):
        # CircuitPython: microcontroller.cpu has temperature, frequency and reset_reason.
        # (Blinka, on a Linux computer, has a microcontroller module without cpu.)
        return getattr(self._module("microcontroller"), "cpu", None)

    def _heap_free(self):
        read = getattr(gc, "mem_free", None)  # MicroPython, CircuitPython; not CPython
        return read() if read else None

    def _heap_used(self):
        read = getattr(gc, "mem_alloc", None)
        return read() if read else None

    def _uptime(self):
        if self._start is not None:
            ns = time.monotonic_ns() - self._start
            ms = ns // 1000000
            if ms < _FLOAT_MS:
                return ns / 1e9
        else:
            # MicroPython: ticks_ms wraps (every 2**30 ms, 12.4 days, on most boards), and one
            # ticks_diff from the start would be wrong after half of that: add up the steps
            # between scrapes instead (right while scrapes come less than 6 days apart).
            now = time.ticks_ms()
            ms = self._ms = self._ms + max(time.ticks_diff(now, self._last), 0)
            self._last = now
            if ms < _FLOAT_MS:
                return ms / 1000
        # Past that, whole seconds as an int: a board's float would round away whole seconds
        # after 24 or 97 days (to 4 s at 100 days), and a 30-bit float's repr shows 7 digits.
        return ms // 1000

    def _temperature(self):
        cpu = self._cpu()
        if cpu:
            return cpu.temperature  # None on a port without a sensor
        esp32 = self._module("esp32")
        if esp32:
            read = getattr(esp32, "mcu_temperature", None)  # ESP32-S2, -S3, -C3, -C6
            if read:
                return read()
            return (esp32.raw_temperature() - 32) / 1.8  # the first ESP32: Fahrenheit
        if self._module("rp2"):
            adc = self._adc
            if adc is None:
                machine = self._module("machine")
                adc = self._adc = machine.ADC(getattr(machine.ADC, "CORE_TEMP", 4))
            # RP2040 datasheet 4.9.5: 0.706 V at 27 C, -1.721 mV per degree; 3.3 V reference.
            return 27 - (adc.read_u16() * 3.3 / 65535 - 0.706) / 0.001721
        return None

    def _frequency(self):
        cpu = self._cpu()
        if cpu:
            return cpu.frequency
        machine = self._module("machine")
        if machine:
            freq = machine.freq()
            # stm32: (sysclk, hclk, pclk1, pclk2); the CPU runs at sysclk.
            return freq[0] if isinstance(freq, tuple) else freq
        return None

    def _reset_reason(self):
        if self._reset is None:
            self._reset = False  # a reading that raises is not tried again
            self._reset = self._read_reset_reason() or False
        return self._reset or None

    def _read_reset_reason(self):
        cpu = self._cpu()
        if cpu:
            # An enum value prints as "microcontroller.ResetReason.POWER_ON".
            reason = str(cpu.reset_reason)
            return reason[reason.rfind(".") + 1 :]
        machine = self._module("machine")
        if machine:
            cause = machine.reset_cause()
            # The port's constants name the causes it knows: PWRON_RESET, WDT_RESET, ...
            for name in sorted(dir(machine)):
                if name.endswith("_RESET") and getattr(machine, name) == cause:
                    return name
            return str(cause)
        return None

    def _rssi(self):
        wifi = self._module("wifi")  # CircuitPython
        if wifi:
            ap = wifi.radio.ap_info  # None while not connected
            return ap.rssi if ap is not None else None
        network = self._module("network")  # MicroPython
        if network:
            wlan = self._wlan
            if wlan is None:
                wlan = self._wlan = network.WLAN(network.STA_IF)
            return wlan.status("rssi") if wlan.isconnected() else None
        return None
