"""A desktop exporter on CPython: http://localhost:8000/metrics

The shape of client_python's README example: start_http_server() serves from a thread while
the program's own loop measures. Reads a BME280 through a USB-to-I2C adapter (Adafruit Blinka
with an MCP2221: pip install adafruit-blinka adafruit-circuitpython-bme280, then run with
BLINKA_MCP2221=1), else fake readings; and the machine's load and CPU temperature where the
OS shows them, read at each scrape.
"""

import os
import time

from prometheus_express import Counter, Gauge, Summary, start_http_server

READ_EVERY = 5  # seconds

try:
    import board  # Blinka's: the adapter is named in the environment (BLINKA_MCP2221=1)
    from adafruit_bme280 import basic as adafruit_bme280

    sensor = adafruit_bme280.Adafruit_BME280_I2C(board.I2C())
    SENSOR = "bme280"
except (ImportError, AttributeError, ValueError, OSError, RuntimeError):
    sensor, SENSOR = None, "fake"  # no library, no adapter, or nothing at the address

temperature = Gauge("air_temperature_celsius", "Air temperature", ["sensor"])
humidity = Gauge("air_relative_humidity_ratio", "Relative humidity", ["sensor"])
pressure = Gauge("air_pressure_pascals", "Air pressure", ["sensor"])
errors = Counter("sensor_read_errors", "Sensor reads that failed")
read_time = Summary("sensor_read_seconds", "Time to read the sensor")


@read_time.time()
def read():
    """(degrees Celsius, relative humidity from 0 to 1, pascals)"""
    if sensor is None:
        return 21.5, 0.45, 101325.0
    return sensor.temperature, sensor.relative_humidity / 100, sensor.pressure * 100


def read_cpu_temperature():
    # Linux: millidegrees Celsius.
    with open("/sys/class/thermal/thermal_zone0/temp") as f:
        return int(f.read()) / 1000


# Read when scraped: set_function() calls them for each page.
if hasattr(os, "getloadavg"):  # not on Windows
    load = Gauge("load_average", "Runnable processes, averaged", ["minutes"])
    for i, minutes in enumerate(("1", "5", "15")):
        load.labels(minutes).set_function(lambda i=i: os.getloadavg()[i])
try:
    read_cpu_temperature()
    Gauge("cpu_temperature_celsius", "CPU temperature").set_function(read_cpu_temperature)
except (OSError, ValueError):
    pass  # absent on most virtual machines and on other systems


if __name__ == "__main__":
    # The three lines that matter: serve from a thread, then measure in the program's loop.
    start_http_server(8000)  # returns (server, thread), as client_python's does
    print("serving http://localhost:8000/metrics")
    while True:
        try:
            celsius, ratio, pascals = read()
        except (OSError, RuntimeError):  # the adapter unplugged: count it and keep serving
            errors.inc()
        else:
            temperature.labels(SENSOR).set(celsius)
            humidity.labels(SENSOR).set(ratio)
            pressure.labels(SENSOR).set(pascals)
        time.sleep(READ_EVERY)
