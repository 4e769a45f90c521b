"""A test-side reader of what remote write sends: snappy's block format and protobuf's wire
format, written from their descriptions (tests/oracle decodes with cramjam and Google's
protobuf on CPython too). Portable: the tests that use it run on MicroPython as well.
"""

import struct


def _varint(data, i):
    n = shift = 0
    while True:
        b = data[i]
        i += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, i


def snappy_decode(data):
    """The bytes a snappy block decodes to, and what it held: (bytes, copies, largest offset)."""
    length, i = _varint(data, 0)
    out = bytearray()
    copies = 0
    farthest = 0
    while i < len(data):
        tag = data[i]
        kind = tag & 3
        if kind == 0:  # literal: length - 1 in the tag, or in the 1-4 bytes after it
            n = tag >> 2
            i += 1
            if n >= 60:
                extra = n - 59
                n = 0
                k = 0
                while k < extra:
                    n |= data[i + k] << (8 * k)
                    k += 1
                i += extra
            n += 1
            if i + n > len(data):
                raise ValueError("literal runs past the end")
            out.extend(data[i : i + n])
            i += n
            continue
        if kind == 1:  # 4..11 bytes, 11-bit offset
            n = 4 + (tag >> 2 & 7)
            offset = (tag >> 5) << 8 | data[i + 1]
            i += 2
        elif kind == 2:  # 1..64 bytes, 16-bit offset
            n = 1 + (tag >> 2)
            offset = data[i + 1] | data[i + 2] << 8
            i += 3
        else:
            n = 1 + (tag >> 2)
            offset = data[i + 1] | data[i + 2] << 8 | data[i + 3] << 16 | data[i + 4] << 24
            i += 5
        if not 0 < offset <= len(out):
            raise ValueError("copy offset %d with %d bytes out" % (offset, len(out)))
        copies += 1
        farthest = max(farthest, offset)
        k = 0
        while k < n:  # byte by byte: a copy may overlap what it writes
            out.append(out[len(out) - offset])
            k += 1
    if len(out) != length:
        raise ValueError("decoded %d bytes, the preamble says %d" % (len(out), length))
    return bytes(out), copies, farthest


def fields(data):
    """[(field number, value)]: an int for varint and fixed64, bytes for length-delimited."""
    out = []
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        kind = key & 7
        if kind == 0:
            value, i = _varint(data, i)
        elif kind == 1:
            value = struct.unpack("<Q", bytes(data[i : i + 8]))[0]
            i += 8
        elif kind == 2:
            n, i = _varint(data, i)
            value = bytes(data[i : i + n])
            i += n
            if len(value) != n:
                raise ValueError("field %d runs past the end" % (key >> 3))
        else:
            raise ValueError("wire type %d" % kind)
        out.append((key >> 3, value))
    return out


def series(request):
    """The WriteRequest's TimeSeries as (labels [(name, value)], value bits, timestamp)."""
    out = []
    for number, ts in fields(request):
        assert number == 1, number
        labels = []
        samples = []
        for n, value in fields(ts):
            if n == 1:
                label = dict(fields(value))
                labels.append((label[1].decode("utf-8"), label[2].decode("utf-8")))
            else:
                assert n == 2, n
                samples.append(dict(fields(value)))
        assert len(samples) == 1, samples
        out.append((labels, samples[0][1], samples[0][2]))
    return out
