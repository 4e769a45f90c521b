"""CircuitPython on a Feather with an Ethernet FeatherWing (WIZnet W5500): http://<board>:8000/metrics

Needs adafruit_wiznet5k (circup install adafruit_wiznet5k). The FeatherWing's chip select is
on D10; the address comes from DHCP. Reads a BME280 with adafruit_bme280, else fake readings.
"""

import time

import board
import busio
import digitalio
from adafruit_wiznet5k import adafruit_wiznet5k_socketpool
from adafruit_wiznet5k.adafruit_wiznet5k import WIZNET5K

from prometheus_express import Counter, Gauge, MetricsServer

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

spi = busio.SPI(board.SCK, MOSI=board.MOSI, MISO=board.MISO)
cs = digitalio.DigitalInOut(board.D10)  # the FeatherWing's CS jumper; change if you moved it
# Give each board its own MAC on a shared network. A fixed address instead of DHCP:
# WIZNET5K(spi, cs, is_dhcp=False), then eth.ifconfig = (ip, netmask, gateway, dns) as bytes.
eth = WIZNET5K(spi, cs, mac="de:ad:be:ef:fe:01")
# The three lines that matter: the chip's socket pool, the server, poll() in the loop.
pool = adafruit_wiznet5k_socketpool.SocketPool(eth)
server = MetricsServer(8000, socket_pool=pool)
print("serving http://%s:8000/metrics" % eth.pretty_ip(eth.ip_address))

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
        eth.maintain_dhcp_lease()  # the driver renews the lease only when asked
    server.poll()  # answers a waiting scrape, or returns at once
    time.sleep(0.01)
