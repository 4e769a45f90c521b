"""MicroPython on a Raspberry Pi Pico W (or Pico 2 W): http://<board>:8000/metrics

Set SSID and PASSWORD below. Reads a BME280 on I2C0 (SDA GP4, SCL GP5) with robert-hh's
bme280_float driver (copy bme280_float.py to the board), else fake readings.
"""

import time

import machine
import network

from prometheus_express import Counter, Gauge, MetricsServer
from prometheus_express.board import BoardCollector

SSID = "your-network"  # change these
PASSWORD = "your-password"
READ_EVERY_MS = 5000  # read the sensor every 5 s; scrapes are answered meanwhile

try:
    import bme280_float

    sensor = bme280_float.BME280(i2c=machine.I2C(0, sda=machine.Pin(4), scl=machine.Pin(5)))
    SENSOR = "bme280"
except (ImportError, ValueError, OSError):
    sensor, SENSOR = None, "fake"  # no driver, or nothing answers on the bus


def read():
    """(degrees Celsius, relative humidity from 0 to 1, pascals)"""
    if sensor is None:
        return 21.5, 0.45, 101325.0
    celsius, pascals, percent = sensor.read_compensated_data()
    return celsius, percent / 100, pascals


temperature = Gauge("air_temperature_celsius", "Air temperature", ["sensor"])
humidity = Gauge("air_relative_humidity_ratio", "Relative humidity", ["sensor"])
pressure = Gauge("air_pressure_pascals", "Air pressure", ["sensor"])
errors = Counter("sensor_read_errors", "Sensor reads that failed")
BoardCollector()  # the board itself at each scrape: heap, uptime, CPU, reset reason, Wi-Fi

wlan = network.WLAN(network.STA_IF)
wlan.active(True)
wlan.config(pm=wlan.PM_NONE)  # the radio's power saving delays incoming connections
wlan.connect(SSID, PASSWORD)
for _ in range(40):  # up to 20 s
    if wlan.isconnected():
        break
    time.sleep(0.5)
else:
    raise RuntimeError("could not join %s: status %s" % (SSID, wlan.status()))
# The three lines that matter: the socket module by default, the server, poll() in the loop.
server = MetricsServer(8000)
print("serving http://%s:8000/metrics" % wlan.ifconfig()[0])

last_read = None
while True:
    now = time.ticks_ms()
    if last_read is None or time.ticks_diff(now, last_read) >= READ_EVERY_MS:
        last_read = now
        try:
            celsius, ratio, pascals = read()
        except OSError:  # a loose wire: count it and keep serving
            errors.inc()
        else:
            temperature.labels(SENSOR).set(celsius)
            humidity.labels(SENSOR).set(ratio)
            pressure.labels(SENSOR).set(pascals)
    server.poll()  # answers a waiting scrape, or returns at once
    time.sleep_ms(10)
