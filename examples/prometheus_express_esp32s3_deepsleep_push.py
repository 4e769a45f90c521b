"""CircuitPython on an ESP32-S2 or ESP32-S3 on a battery: wake, push the readings, deep sleep.

A sleeping board cannot be scraped, so it pushes to a Prometheus Pushgateway, which Prometheus
scrapes (with honor_labels: true). Wi-Fi from settings.toml, as in
prometheus_express_esp32s3_wifi.py. Reads a BME280 with adafruit_bme280, else fake readings.
MicroPython: network.WLAN as in prometheus_express_esp32_micropython.py, no socket_pool, and
machine.deepsleep(SLEEP_SECONDS * 1000) in place of the alarm lines.
"""

import time

import alarm
import board
import socketpool
import wifi

from prometheus_express import CollectorRegistry, Gauge
from prometheus_express.push import push_to_gateway

GATEWAY = "http://192.168.1.10:9091"  # your Pushgateway
JOB = "weather"
INSTANCE = "balcony"  # one group per board: the gateway keeps the last push of each
SLEEP_SECONDS = 300

try:
    from adafruit_bme280 import basic as adafruit_bme280

    sensor = adafruit_bme280.Adafruit_BME280_I2C(board.I2C())  # address=0x76 on some breakouts
    SENSOR = "bme280"
except (ImportError, AttributeError, ValueError, OSError, RuntimeError):
    sensor, SENSOR = None, "fake"  # no library, no I2C pins, or nothing at the address

# Only what this wake measured: a registry of its own, as client_python's push example has.
registry = CollectorRegistry()
labels = ["sensor"]
temperature = Gauge("air_temperature_celsius", "Air temperature", labels, registry=registry)
humidity = Gauge("air_relative_humidity_ratio", "Relative humidity", labels, registry=registry)
pressure = Gauge("air_pressure_pascals", "Air pressure", labels, registry=registry)

try:
    if sensor is None:
        temperature.labels(SENSOR).set(21.5)
        humidity.labels(SENSOR).set(0.45)
        pressure.labels(SENSOR).set(101325.0)
    else:  # the library gives percent and hectopascals
        temperature.labels(SENSOR).set(sensor.temperature)
        humidity.labels(SENSOR).set(sensor.relative_humidity / 100)
        pressure.labels(SENSOR).set(sensor.pressure * 100)
    # The three lines that matter: a socket pool on the radio, the push, then deep sleep.
    pool = socketpool.SocketPool(wifi.radio)
    push_to_gateway(GATEWAY, JOB, registry, {"instance": INSTANCE}, timeout=10, socket_pool=pool)
    print("pushed to", GATEWAY)
except (OSError, RuntimeError) as e:  # no network or no gateway: try again on the next wake
    print("push failed:", e)

# Whatever happened, sleep: a board left awake empties its battery.
wake = alarm.time.TimeAlarm(monotonic_time=time.monotonic() + SLEEP_SECONDS)
alarm.exit_and_deep_sleep_until_alarms(wake)
