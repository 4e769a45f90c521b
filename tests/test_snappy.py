"""prometheus_express.snappy: what SnappyWriter writes decodes to its input, uses copies, stays
in its window and its memory, however the input is cut.

Decoded here by a small reader of the block format written from its description (a varint of
the length, then literals and copies with 1-, 2- or 4-byte offsets); tests/oracle decodes with
cramjam's snappy on CPython too.
"""

import gc

from support import raises
from wire import snappy_decode as decode

from prometheus_express.snappy import SnappyWriter


def compress(data, piece=None, window=None, pieces=None):
    """data compressed, given to the writer in pieces of `piece` bytes (all at once if None);
    pieces, if a list, receives the size of every piece written."""
    out = []

    def write(b):
        if pieces is not None:
            pieces.append(len(b))
        out.append(bytes(b))  # a piece is only valid during the call

    w = SnappyWriter(write, len(data), window)
    if piece is None:
        w.write(data)
    else:
        view = memoryview(data)
        i = 0
        while i < len(data):
            w.write(view[i : i + piece])
            i += piece
    w.finish()
    return b"".join(out)


class _Random:
    # A small linear congruential generator: the same bytes on every runtime.
    def __init__(self, seed):
        self.state = seed

    def byte(self):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return self.state >> 16 & 0xFF

    def bytes(self, n):
        out = bytearray(n)
        i = 0
        while i < n:
            out[i] = self.byte()
            i += 1
        return bytes(out)


def page_like(n):
    """n bytes of what remote write compresses: series much like their neighbours."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out.extend(b"\n\x08__name__\x12\x19board_temperature_celsius\n\x06sensor\x12\x09sensor_")
        out.extend(str(i).encode())
        out.extend(b"\x12\x10\t")
        out.append(i & 0xFF)
        out.extend(b"\x00\x00\x00\x00\x805@\x10\xfb\xbc\xd9\xf2\x9e4")
        i += 1
    return bytes(out[:n])


def test_known_encodings():
    # Worked out by hand from the format: varint(length), then elements.
    assert compress(b"") == b"\x00"
    # One literal of 3 bytes: tag (3 - 1) << 2.
    assert compress(b"abc") == b"\x03\x08abc"
    # "abcd" as a literal, then a copy of 8 bytes from 4 back: 1 | (8 - 4) << 2, offset 4.
    assert compress(b"abcd" * 3) == b"\x0c\x0cabcd\x11\x04"
    # 100 x "a": one literal "a", then copies from 1 back that overlap what they write: a
    # 3-byte copy of 64 (2 | 63 << 2, offset 1 as 2 bytes), then one of 35 (2 | 34 << 2).
    assert compress(b"a" * 100) == b"\x64\x00a\xfe\x01\x00\x8a\x01\x00"


def test_round_trips_whatever_the_input_and_its_pieces():
    rnd = _Random(7)
    inputs = (
        b"",
        b"x",
        b"abc",
        rnd.bytes(5000),  # incompressible: literals only
        b"ab" * 3000,
        b"\x00" * 9000,
        page_like(12000),  # longer than the window: history slides
        rnd.bytes(700) + page_like(3000) + rnd.bytes(300) + page_like(2500),
    )
    for data in inputs:
        whole = compress(data)
        assert decode(whole)[0] == data, len(data)
        for piece in (1, 7, 300, 2048, 5000):
            # The output depends on the stream alone, not on how it was cut.
            assert compress(data, piece) == whole, (len(data), piece)
        for window in (16, 64, 4096):
            assert decode(compress(data, 100, window))[0] == data, (len(data), window)


def test_real_compression_with_copies():
    data = page_like(20000)
    out = compress(data)
    decoded, copies, farthest = decode(out)
    assert decoded == data
    assert copies > 100
    assert len(out) < len(data) // 4, len(out)


def test_incompressible_input_grows_at_most_as_snappy_allows():
    data = _Random(3).bytes(20000)
    out = compress(data, 512)
    assert decode(out)[0] == data
    assert len(out) <= 32 + len(data) + len(data) // 6  # snappy's MaxEncodedLen


def test_copies_stay_within_twice_the_window():
    data = _Random(5).bytes(3000) + page_like(12000)
    for window in (16, 256, 1024):
        decoded, copies, farthest = decode(compress(data, 1000, window))
        assert decoded == data and copies
        assert farthest < 2 * window, (window, farthest)


def test_pieces_written_are_small():
    pieces = []
    compress(_Random(9).bytes(10000) + page_like(10000), 4096, pieces=pieces)
    assert max(pieces) <= 256, max(pieces)
    pieces = []
    compress(_Random(9).bytes(10000), None, 4096, pieces=pieces)  # literals up to 8 KB long
    assert max(pieces) <= 256, max(pieces)


def _held():
    # Bytes held after a collection: gc.mem_alloc on MicroPython, tracemalloc on CPython.
    gc.collect()
    if hasattr(gc, "mem_alloc"):
        return gc.mem_alloc()
    import tracemalloc

    return tracemalloc.get_traced_memory()[0]


def test_memory_does_not_grow_with_the_length():
    tracing = not hasattr(gc, "mem_alloc")
    if tracing:
        import tracemalloc

        tracemalloc.start()
    try:
        length = 80000
        piece = page_like(500)
        w = SnappyWriter(lambda b: None, length)
        w.write(piece * 8)
        before = _held()
        sent = 4000
        while sent < length:
            w.write(piece)
            sent += len(piece)
        after = _held()
        w.finish()
    finally:
        if tracing:
            tracemalloc.stop()
    assert after - before < 512, after - before


def test_the_announced_length_is_enforced():
    w = SnappyWriter(lambda b: None, 5)
    w.write(b"abc")
    e = raises(ValueError, w.write, b"def")
    assert "6 bytes given" in str(e) and "5 announced" in str(e)
    w = SnappyWriter(lambda b: None, 5)
    w.write(b"abc")
    e = raises(ValueError, w.finish)
    assert "3 bytes given, 5 announced" in str(e)


def test_window_limits():
    for window in (8, 65536):
        e = raises(ValueError, SnappyWriter, lambda b: None, 1, window)
        assert "16 to 32768" in str(e)
    out = []
    w = SnappyWriter(out.append, 1, 32768)
    w.write(b"z")
    w.finish()
    assert b"".join(bytes(b) for b in out) == b"\x01\x00z"
