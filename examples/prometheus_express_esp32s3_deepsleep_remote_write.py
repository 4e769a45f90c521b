"""CircuitPython on an ESP32-S2 or ESP32-S3 on a battery: wake, remote-write the readings, sleep.

The samples go straight to Prometheus (started with --web.enable-remote-write-receiver), Mimir
or Grafana Cloud, stamped with the board's clock: no Pushgateway, and no scrape to wait for.
The clock must be set: the first wake sets it by NTP (adafruit_ntp), and the RTC keeps it
through deep sleep. Wi-Fi from settings.toml, as in prometheus_express_esp32s3_wifi.py. Reads
a BME280 with adafruit_bme280, else fake readings.
MicroPython: network.WLAN as in prometheus_express_esp32_micropython.py, ntptime.settime() for
the clock, no socket_pool, and machine.deepsleep(SLEEP_SECONDS * 1000) in place of the alarm lines.
"""

import time

import alarm
import board
import socketpool
import wifi

from prometheus_express import CollectorRegistry, Gauge
from prometheus_express.remote_write import remote_write

# Prometheus. Mimir: "http://mimir.local:8080/api/v1/push". Grafana Cloud: the remote-write
# URL of your stack ("https://prometheus-prod-NN-prod-REGION.grafana.net/api/prom/push"), with
# AUTH = ("<instance id>", "<access policy token>").
URL = "http://192.168.1.10:9090/api/v1/write"
AUTH = None
JOB = "weather"
INSTANCE = "balcony"
SLEEP_SECONDS = 300

try:
    from adafruit_bme280 import basic as adafruit_bme280

    sensor = adafruit_bme280.Adafruit_BME280_I2C(board.I2C())  # address=0x76 on some breakouts
    SENSOR = "bme280"
except (ImportError, AttributeError, ValueError, OSError, RuntimeError):
    sensor, SENSOR = None, "fake"  # no library, no I2C pins, or nothing at the address


def set_clock(pool):
    # Remote write stamps each sample with the wall clock: set it once, on the first wake.
    if time.time() > 1577836800:  # after 2020: set already (deep sleep keeps the RTC)
        return
    import adafruit_ntp
    import rtc

    rtc.RTC().datetime = adafruit_ntp.NTP(pool, tz_offset=0).datetime


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
    pool = socketpool.SocketPool(wifi.radio)
    set_clock(pool)
    context = None
    if URL.startswith("https://"):
        import ssl

        context = ssl.create_default_context()
    remote_write(
        URL,
        registry,
        job=JOB,
        instance=INSTANCE,
        timeout=10,
        auth=AUTH,
        socket_pool=pool,
        ssl_context=context,
    )
    print("written to", URL)
except (OSError, RuntimeError) as e:  # no network, no receiver, no clock: next wake
    print("remote write failed:", e)

# Whatever happened, sleep: a board left awake empties its battery.
wake = alarm.time.TimeAlarm(monotonic_time=time.monotonic() + SLEEP_SECONDS)
alarm.exit_and_deep_sleep_until_alarms(wake)
