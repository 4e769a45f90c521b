"""The IEEE-754 double a sample value's text means, as its 8 bytes, computed with integers.

double("21.5") == struct.pack("<d", 21.5)
put_double(buf, i, "1e+16")   # into buf[i : i + 8], little-endian

A board's float has 24 bits or fewer, so float(text) would round what a double keeps: a
counter at 16777217 would arrive as 16777216. Loaded only by remote write.
"""

import struct

from ._port import const

_SMALL_MAX = const(0x3FFFFFFF)  # the largest int a 32-bit board holds without allocating

# The bits of the values the text format spells out. NaN is the canonical quiet NaN:
# Prometheus reads 0x7ff0000000000002 as a stale marker, which would end the series.
_SPECIAL = {
    "+Inf": b"\x00\x00\x00\x00\x00\x00\xf0\x7f",
    "-Inf": b"\x00\x00\x00\x00\x00\x00\xf0\xff",
    "NaN": b"\x00\x00\x00\x00\x00\x00\xf8\x7f",
}


try:
    _bit_length = int.bit_length
except AttributeError:  # MicroPython, CircuitPython

    def _bit_length(n):
        # n > 0. Binary steps: no long-int allocation below 2**30, a board's small ints.
        bits = 0
        while n >> 30:
            n >>= 30
            bits += 30
        if n >> 15:
            n >>= 15
            bits += 15
        if n >> 8:
            n >>= 8
            bits += 8
        if n >> 4:
            n >>= 4
            bits += 4
        if n >> 2:
            n >>= 2
            bits += 2
        if n >> 1:
            n >>= 1
            bits += 1
        return bits + n


def _double_bits(numerator, denominator):
    # The IEEE-754 double nearest numerator / denominator (ints > 0), ties to even, as the
    # int of its 64 bits, sign bit clear. Integers only: a board's float has 24 bits or fewer.
    shift = 53 - _bit_length(numerator)
    d = denominator
    if d == 1:  # an integer: exact below 2**53
        if shift >= 0:
            q = numerator << shift
            r = 0
        else:
            d = 1 << -shift
            q = numerator >> -shift
            r = numerator & (d - 1)
    else:
        shift += _bit_length(d)  # the quotient has 53 or 54 bits
        if shift >= 0:
            q, r = divmod(numerator << shift, d)
        else:
            d <<= -shift
            q, r = divmod(numerator, d)
        if q >> 53:  # 54 bits: the lowest joins the remainder
            r += (q & 1) * d
            q >>= 1
            d <<= 1
            shift -= 1
    exponent = 1075 - shift  # biased exponent of q * 2**-shift, q of 53 bits
    if exponent > 0:
        # q's leading bit lands on the exponent's lowest bit: adding it counts one more
        bits = ((exponent - 1) << 52) + q
    else:  # subnormal: a multiple of 2**-1074
        bits, r = divmod(numerator << 1074, denominator)
        d = denominator
    if r:
        r <<= 1
        if r > d or (r == d and bits & 1):
            bits += 1  # a carry out of the mantissa raises the exponent, as it should
    if bits >= _INF:
        return _INF  # beyond the largest double, as float() rounds it
    return bits


_INF = 0x7FF << 52


def _word(m, shift):
    # Bits 0..15 of m << shift (shift < 0: a right shift), without a long int on the way.
    if shift >= 16:
        return 0
    if shift >= 0:
        return (m & (0xFFFF >> shift)) << shift
    return (m >> -shift) & 0xFFFF


def _put_small(buf, i, n, negative):
    # The double of an int 0 <= n <= _SMALL_MAX, as four 16-bit words: a board's small ints
    # alone, as counts and most values are.
    top = 0x8000 if negative else 0
    if not n:
        struct.pack_into("<HHHH", buf, i, 0, 0, 0, top)
        return
    e = _bit_length(n) - 1
    m = n - (1 << e)  # the bits after the leading 1, which the mantissa keeps from bit 52 - e
    shift = 52 - e
    top |= (e + 1023) << 4 | _word(m, shift - 48)
    struct.pack_into(
        "<HHHH", buf, i, _word(m, shift), _word(m, shift - 16), _word(m, shift - 32), top
    )


def put_double(buf, i, text):
    """Write the double the sample value's text means into buf[i : i + 8], little-endian."""
    special = _SPECIAL.get(text)
    if special is not None:
        buf[i : i + 8] = special
        return
    exponent = 0
    e = text.find("e")
    if e >= 0:
        exponent = int(text[e + 1 :])
        text = text[:e]
    dot = text.find(".")
    if dot >= 0:
        exponent -= len(text) - dot - 1
        text = text.replace(".", "")
    n = int(text)
    negative = text[0] == "-"  # not n < 0: "-0.0" is a negative zero
    if negative:
        n = -n
    while exponent < 0 and n and n % 10 == 0:  # "21.50", "1.0": a smaller denominator
        n //= 10
        exponent += 1
    if exponent >= 0 or not n:
        if exponent > 0:
            n *= 10**exponent
        if n <= _SMALL_MAX:
            _put_small(buf, i, n, negative)
            return
        bits = _double_bits(n, 1)
    else:
        bits = _double_bits(n, 10**-exponent)
    if negative:
        bits |= 1 << 63
    struct.pack_into("<Q", buf, i, bits)


def double(text):
    """The 8 little-endian bytes of the double a sample value's text means ("21.5", "1e+10",
    "+Inf", "NaN", "9.007199254740993e+15"): the nearest double, ties to even, so integers
    are exact up to 2**53. Computed with integers alone: a board's 32-bit float rounds
    nothing."""
    buf = bytearray(8)
    put_double(buf, 0, text)
    return bytes(buf)
