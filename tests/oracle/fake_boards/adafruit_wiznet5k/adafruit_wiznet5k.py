"""adafruit_wiznet5k's WIZNET5K: an Ethernet chip with a DHCP lease on loopback."""


class WIZNET5K:
    def __init__(self, spi_bus, cs, reset=None, is_dhcp=True, mac="DE:AD:BE:EF:FE:ED", **kw):
        self.leases_kept = 0

    @property
    def ip_address(self):
        return bytes((127, 0, 0, 1))

    @staticmethod
    def pretty_ip(ipv4):
        return "%d.%d.%d.%d" % tuple(ipv4)

    def maintain_dhcp_lease(self):
        self.leases_kept += 1
