"""CircuitPython on an ESP32-S2 or ESP32-S3 over Wi-Fi: http://<board>:8000/metrics

Put the network in settings.toml (CircuitPython 8+ joins it at boot):

    CIRCUITPY_WIFI_SSID = "your-network"
    CIRCUITPY_WIFI_PASSWORD = "your-password"

Reads a BME280 on the board's I2C pins (STEMMA QT) with adafruit_bme280, else fake readings.
"""

import os
import time

import board
import socketpool
import wifi

from prometheus_express import Counter, Gauge, MetricsServer
from prometheus_express.board import BoardCollector

READ_EVERY_NS = 5000000000  # read the sensor every 5 s; scrapes are answered meanwhile

try:
    from adafruit_bme280 import basic as adafruit_bme280

    sensor = adafruit_bme280.Adafruit_BME280_I2C(board.I2C())  # address=0x76 on some breakouts
    SENSOR = "bme280"
except (ImportError, AttributeError, ValueError, OSError, RuntimeError):
    sensor, SENSOR = None, "fake"  # no library, no I2C pins, or nothing at the address


def read():
    """(degrees Celsius, relative humidity from 0 to 1, pascals)"""
    if sensor is None:
        return 21.5, 0.45, 101325.0
    return sensor.temperature, sensor.relative_humidity / 100, sensor.pressure * 100


temperature = Gauge("air_temperature_celsius", "Air temperature", ["sensor"])
humidity = Gauge("air_relative_humidity_ratio", "Relative humidity", ["sensor"])
pressure = Gauge("air_pressure_pascals", "Air pressure", ["sensor"])
errors = Counter("sensor_read_errors", "Sensor reads that failed")
BoardCollector()  # the board itself at each scrape: heap, uptime, CPU, reset reason, Wi-Fi

if not wifi.radio.connected:  # no settings.toml: join here instead
    wifi.radio.connect(os.getenv("CIRCUITPY_WIFI_SSID"), os.getenv("CIRCUITPY_WIFI_PASSWORD"))
# The three lines that matter: a socket pool on the radio, the server, poll() in the loop.
pool = socketpool.SocketPool(wifi.radio)
server = MetricsServer(8000, socket_pool=pool)
print("serving http://%s:8000/metrics" % wifi.radio.ipv4_address)

last_read = None
while True:
    now = time.monotonic_ns()  # an int: time.monotonic() loses precision after hours
    if last_read is None or now - last_read >= READ_EVERY_NS:
        last_read = now
        try:
            celsius, ratio, pascals = read()
        except (OSError, RuntimeError):  # a loose wire: count it and keep serving
            errors.inc()
        else:
            temperature.labels(SENSOR).set(celsius)
            humidity.labels(SENSOR).set(ratio)
            pressure.labels(SENSOR).set(pascals)
    server.poll()  # answers a waiting scrape, or returns at once
    time.sleep(0.01)
