"""Count readings of a (pretend) sensor and print the page Prometheus would scrape.

Runs unchanged on CircuitPython, MicroPython and CPython.
"""

import time

from prometheus_express import Counter, Gauge, Histogram, generate_latest

readings = Counter("sensor_readings", "Sensor readings taken", ["sensor"])
temperature = Gauge("temperature_celsius", "Air temperature")
read_time = Histogram("sensor_read_seconds", "Time to read the sensor", buckets=(0.001, 0.01, 0.1))


def read_sensor():
    with read_time.time():
        time.sleep(0.002)
        return 21.5


for _ in range(3):
    temperature.set(read_sensor())
    readings.labels("bme280").inc()

print(generate_latest().decode())
