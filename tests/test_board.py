"""prometheus_express.board: BoardCollector's readings, real where the runtime has them, and
from stand-ins (tests/fakeboard.py) for the board-only modules: microcontroller, wifi,
machine, esp32, rp2, network."""

import gc
import sys
import time

from fakeboard import (
    ADC,
    Module,
    every_module,
    inject,
    machine,
    microcontroller,
    network,
    restore,
    returns,
    wifi,
)
from support import raises

from prometheus_express import CollectorRegistry, generate_latest
from prometheus_express.board import BoardCollector

BOARD = sys.implementation.name in ("micropython", "circuitpython")
# Every runtime has these. On CPython python_info is PlatformCollector's (on the default
# REGISTRY from import on, as in client_python), so BoardCollector leaves it out there.
ALWAYS = ["board_uptime_seconds"] + (["python_info"] if BOARD else [])
HEAP = ["board_heap_free_bytes", "board_heap_used_bytes"]

# ---------------------------------------------------------------- helpers


def samples(collector):
    """name -> (labels, value) of every sample one collect() gives."""
    out = {}
    for family in collector.collect():
        for s in family.samples:
            assert s.name not in out, s.name
            out[s.name] = (s.labels, s.value)
    return out


def values(collector):
    out = {}
    s = samples(collector)
    for name in s:
        out[name] = s[name][1]
    return out


def read_with(modules, **kw):
    """One collect() of a new collector that finds exactly these board modules."""
    saved = inject(modules)
    try:
        return values(BoardCollector(registry=None, **kw))
    finally:
        restore(saved)


def expected(*names):
    out = list(ALWAYS) + list(names)
    if hasattr(gc, "mem_free"):
        out += HEAP
    return sorted(out)


def names(found):
    return sorted(found)


def close(a, b, within=0.05):
    return abs(a - b) <= within


# ---------------------------------------------------------------- real readings


def test_only_what_the_runtime_offers():
    # CPython has no heap numbers; the unix port has them; neither has a board module.
    # (The unix port's own machine module has neither freq nor reset_cause: skipped.)
    found = values(BoardCollector(registry=None))
    assert names(found) == expected(), names(found)


def test_python_info_names_the_runtime():
    found = samples(BoardCollector(registry=None))
    described = [f.name for f in BoardCollector(registry=None).describe()]
    if not BOARD:  # PLATFORM_COLLECTOR's, on CPython
        assert "python_info" not in found and "python_info" not in described, described
        return
    labels, value = found["python_info"]
    assert value == 1 and "python_info" in described
    impl = sys.implementation
    v = impl.version
    assert (
        labels["implementation"]
        == {
            "micropython": "MicroPython",
            "circuitpython": "CircuitPython",
        }[impl.name]
    )
    assert labels["major"] == str(v[0]) and labels["minor"] == str(v[1])
    assert labels["patchlevel"] == str(v[2])
    release = "%d.%d.%d" % (v[0], v[1], v[2])
    if len(v) > 3 and v[3]:
        release += "-" + v[3]
    assert labels["version"] == release, labels


def test_uptime_increases():
    c = BoardCollector(registry=None)
    before = time.time()
    first = values(c)["board_uptime_seconds"]
    time.sleep(0.05)
    second = values(c)["board_uptime_seconds"]
    waited = time.time() - before
    assert 0 <= first < second, (first, second)
    assert second >= 0.04, second
    assert second <= waited + 1, (second, waited)  # time.time() may count whole seconds


def test_uptime_keeps_counting_past_half_the_tick_period():
    c = BoardCollector(registry=None)
    if c._start is not None:
        # monotonic_ns: a plain difference, nothing wraps.
        c._start -= 10 * 86400 * 10**9
    else:
        # MicroPython: ticks_ms wraps every 2**30 ms on a board, ticks_diff is right for
        # half of that; ten days already added up must still count.
        c._ms = 10 * 86400 * 1000
    up = values(c)["board_uptime_seconds"]
    assert 864000 <= up < 864000 + 60, up


def _clock_ms():
    # The clock BoardCollector counts uptime with, in milliseconds.
    if hasattr(time, "monotonic_ns"):
        return time.monotonic_ns() // 1000000
    return time.ticks_ms()


def test_uptime_keeps_every_whole_second_after_100_days():
    # 100 days and 1.5 s: a board's float is 4 s coarse there (22 bits) or rounds it to
    # 8640002 (24 bits). An uptime is a float only where the float holds its milliseconds.
    offset = 100 * 86400 * 1000 + 1500  # ms
    before = _clock_ms()
    c = BoardCollector(registry=None)
    if c._start is not None:
        c._start -= offset * 1000000
    else:
        c._ms = offset
    up = values(c)["board_uptime_seconds"]
    after = _clock_ms()
    elapsed = time.ticks_diff(after, before) if hasattr(time, "ticks_diff") else after - before
    most = offset + elapsed + 1  # ms: each clock reading may have dropped most of one
    if isinstance(up, int):
        assert offset // 1000 <= up <= most // 1000, (up, offset, most)
    else:
        assert up + 0.001 != up, up  # this runtime's float holds milliseconds this large
        assert offset / 1000 <= up <= most / 1000, (up, offset, most)


def test_heap_where_gc_reports_it():
    found = values(BoardCollector(registry=None))
    if not hasattr(gc, "mem_free"):
        assert "board_heap_free_bytes" not in found
        return
    total = gc.mem_free() + gc.mem_alloc()  # the heap's size: constant
    free = found["board_heap_free_bytes"]
    used = found["board_heap_used_bytes"]
    assert free > 0 and used > 0, (free, used)
    # Read a moment apart, so a few allocations may lie between them.
    assert abs(free + used - total) <= 4096, (free, used, total)


# ---------------------------------------------------------------- CircuitPython


def test_circuitpython_readings():
    found = read_with({"microcontroller": microcontroller(), "wifi": wifi()})
    assert found["board_cpu_temperature_celsius"] == 41.5
    assert found["board_cpu_frequency_hertz"] == 125000000
    assert found["board_wifi_rssi_dbm"] == -61
    assert found["board_reset_info"] == 1
    saved = inject({"microcontroller": microcontroller(reset_reason="WATCHDOG")})
    try:
        got = samples(BoardCollector(registry=None))
    finally:
        restore(saved)
    assert got["board_reset_info"] == ({"reason": "WATCHDOG"}, 1), got["board_reset_info"]


def test_circuitpython_without_sensor_or_connection():
    mc = microcontroller(temperature=None)
    found = read_with({"microcontroller": mc, "wifi": wifi(connected=False)})
    assert names(found) == expected("board_cpu_frequency_hertz", "board_reset_info"), found


def test_circuitpython_readings_that_raise_skip_only_themselves():
    mc = microcontroller(
        temperature=RuntimeError("sensor"),
        frequency=OSError(5),
        reset_reason=ValueError("enum"),
    )
    found = read_with({"microcontroller": mc, "wifi": Module()})  # no wifi.radio
    assert names(found) == expected(), found
    mc = microcontroller(frequency=AttributeError("frequency"))
    found = read_with({"microcontroller": mc, "wifi": wifi(rssi=OSError(1))})
    want = expected("board_cpu_temperature_celsius", "board_reset_info")
    assert names(found) == want, found


# ---------------------------------------------------------------- MicroPython


def test_micropython_esp32_readings():
    found = read_with(
        {
            "machine": machine(freq=160000000, cause=3),
            "esp32": Module(mcu_temperature=returns(52)),
            "network": network(rssi=-70),
        }
    )
    assert found["board_cpu_temperature_celsius"] == 52
    assert found["board_cpu_frequency_hertz"] == 160000000
    assert found["board_wifi_rssi_dbm"] == -70


def test_micropython_reset_cause_by_constant_name():
    for cause, name in ((1, "PWRON_RESET"), (3, "WDT_RESET"), (5, "SOFT_RESET"), (9, "9")):
        saved = inject({"machine": machine(cause=cause)})
        try:
            got = samples(BoardCollector(registry=None))["board_reset_info"]
        finally:
            restore(saved)
        assert got == ({"reason": name}, 1), (cause, got)


def test_first_esp32_reports_fahrenheit():
    found = read_with({"esp32": Module(raw_temperature=returns(122))})
    assert close(found["board_cpu_temperature_celsius"], 50), found


def test_stm32_frequency_tuple():
    found = read_with({"machine": machine(freq=(168000000, 168000000, 42000000, 84000000))})
    assert found["board_cpu_frequency_hertz"] == 168000000


def test_rp2_temperature_from_adc():
    # RP2040 datasheet: 0.706 V at 27 C, falling 1.721 mV a degree; 3.3 V reference, u16.
    ADC.channels = []
    mods = {"rp2": Module(), "machine": machine(ADC=ADC)}
    ADC.reading = 14020  # 0.7060 V
    saved = inject(mods)
    try:
        c = BoardCollector(registry=None)
        at_27 = values(c)["board_cpu_temperature_celsius"]
        ADC.reading = 13679  # 0.6888 V
        at_37 = values(c)["board_cpu_temperature_celsius"]
    finally:
        restore(saved)
    assert close(at_27, 27, 0.1) and close(at_37, 37, 0.1), (at_27, at_37)
    assert ADC.channels == [4], ADC.channels  # one ADC, made once, on the sensor channel


def test_micropython_wifi_not_connected():
    found = read_with({"network": network(connected=False)})
    assert "board_wifi_rssi_dbm" not in found


def test_micropython_readings_that_raise_skip_only_themselves():
    found = read_with(
        {
            "machine": machine(freq=OSError(1), cause=RuntimeError("no")),
            "esp32": Module(mcu_temperature=returns(OSError(116))),
            "network": Module(WLAN=returns(OSError(1)), STA_IF=0),
        }
    )
    assert names(found) == expected(), found
    found = read_with(
        {
            "esp32": Module(mcu_temperature=returns(ValueError("x"))),
            "network": network(rssi=OSError(5)),
            "rp2": Module(),  # esp32 answers first; its error is not passed to rp2
        }
    )
    assert names(found) == expected(), found


def test_rp2_without_adc_skips_temperature():
    found = read_with({"rp2": Module(), "machine": Module(freq=returns(125000000))})
    assert names(found) == expected("board_cpu_frequency_hertz"), found


# ---------------------------------------------------------------- reading once


def test_modules_are_imported_once():
    made = []
    calls = []
    saved = inject({"machine": machine(calls=calls), "network": network(made=made)})
    try:
        c = BoardCollector(registry=None)
        values(c)
    finally:
        restore(saved)
    # The stand-ins are gone from sys.modules: the collector keeps what it imported.
    found = values(c)
    assert found["board_wifi_rssi_dbm"] == -70
    assert found["board_reset_info"] == 1
    assert made == [0], made  # one WLAN(STA_IF) for every scrape
    assert len(calls) == 1, calls  # the reset cause cannot change: read once


def test_missing_modules_are_remembered():
    c = BoardCollector(registry=None)
    values(c)
    saved = inject({"microcontroller": microcontroller(), "wifi": wifi()})
    try:
        found = values(c)  # looked for before, found missing: not looked for again
    finally:
        restore(saved)
    assert names(found) == expected(), found


# ---------------------------------------------------------------- registry and page


def test_registers_and_describes_what_it_collects():
    r = CollectorRegistry()
    saved = inject(every_module())
    try:
        c = BoardCollector(registry=r)
        collected = [f.name for f in c.collect()]
    finally:
        restore(saved)
    described = [f.name for f in c.describe()]
    for name in collected:
        assert name in described, name
    assert len(described) == (8 if BOARD else 7), described
    e = raises(ValueError, BoardCollector, registry=r)
    assert "board_uptime_seconds" in str(e), str(e)
    BoardCollector(registry=r, namespace="node")  # its own names: no clash
    if BOARD:
        assert r.get_sample_value("node_python_info", samples(c)["python_info"][0]) == 1
    assert r.get_sample_value("node_board_uptime_seconds") >= 0


def test_auto_describe_registry_sees_the_names():
    r = CollectorRegistry(auto_describe=True)
    BoardCollector(registry=r)
    e = raises(ValueError, BoardCollector, registry=r)
    assert "board_uptime_seconds" in str(e), str(e)
    assert ("python_info" in str(e)) is BOARD, str(e)


def _check_line(line):
    # One sample line of text format 0.0.4: name, optional {labels}, a number.
    if line.startswith("# HELP ") or line.startswith("# TYPE "):
        return
    head, _, number = line.rpartition(" ")
    float(number)
    name = head.split("{")[0]
    assert name and name[0].isalpha(), line
    if "{" in head:
        assert head.endswith('"}'), line


def test_page_with_every_reading():
    r = CollectorRegistry()
    saved = inject(every_module())
    try:
        BoardCollector(registry=r)
        page = generate_latest(r).decode()
    finally:
        restore(saved)
    lines = page.split("\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        _check_line(line)
    for want in (
        "board_cpu_temperature_celsius 41.5",
        "board_cpu_frequency_hertz 1.25e+08",
        'board_reset_info{reason="POWER_ON"} 1.0',
        "board_wifi_rssi_dbm -61.0",
        "# TYPE board_reset_info gauge",
    ):
        assert want in lines, (want, page)
