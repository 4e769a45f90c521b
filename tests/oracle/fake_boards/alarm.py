"""CircuitPython's alarm: deep sleep prints the alarm and ends the program, as a reset would."""

import sys


class _TimeAlarm:
    def __init__(self, *, monotonic_time=None, epoch_time=None):
        if monotonic_time is None and epoch_time is None:
            raise ValueError("monotonic_time or epoch_time")
        self.monotonic_time = monotonic_time


class _Time:
    TimeAlarm = _TimeAlarm


time = _Time()


def exit_and_deep_sleep_until_alarms(*alarms):
    for a in alarms:
        if not isinstance(a, _TimeAlarm):
            raise TypeError("not an alarm: %r" % (a,))
    print("deep sleep until", [a.monotonic_time for a in alarms])
    sys.exit(0)
