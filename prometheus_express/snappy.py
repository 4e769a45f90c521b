"""Snappy block compression (the raw format remote write sends), streamed in bounded memory.

out = SnappyWriter(sock_write, length)   # length: the uncompressed bytes still to come
out.write(piece); ...; out.finish()
Loaded only by remote_write. Memory: two windows of input, a hash table and a small output
buffer, whatever the length; copies reach back at most 2 * window bytes.
"""

from array import array

from ._port import const

_OUT = const(256)  # output buffer: write() gets pieces of at most this many bytes
_HASH_BITS = const(9)  # the hash table: 512 two-byte entries (more gain little on pages)
_MIN_MATCH = const(4)


def _varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return out


class SnappyWriter:
    """Compress a stream of `length` bytes, given in pieces to write(), into snappy's block
    format; write(piece) receives the compressed bytes as they come (each piece is valid only
    during that call: copy it to keep it). finish() raises ValueError unless exactly `length`
    bytes were given."""

    # Bytes of input always kept for copies to reach back into (they reach up to twice as
    # far); the writer holds 2 * window bytes of input. More compresses a long page a little
    # better: 20 KB of a board's body gives 3.5 KB at 512, 2.8 KB at 1024, 2.6 KB at 2048 (snappy
    # itself, with 64 KB: 2.4 KB).
    window = 1024

    def __init__(self, write, length, window=None):
        if window is not None:
            if not 16 <= window <= 32768:
                raise ValueError("snappy window must be 16 to 32768 bytes, not %r" % (window,))
            self.window = window
        self._write = write
        self._length = length
        self._seen = 0
        w = self.window
        self._buf = bytearray(2 * w)
        self._view = memoryview(self._buf)
        self._end = 0  # bytes held in _buf
        self._done = 0  # where matching goes on
        self._pending = 0  # the start of input not yet written out (a literal to come)
        self._base = 0  # the stream offset of _buf[0]
        # Stream offsets (mod 2**16) of 4-byte sequences seen, by their hash.
        self._table = array("H", bytearray(2 << _HASH_BITS))
        self._out = bytearray(_OUT)
        self._out_view = memoryview(self._out)
        self._o = 0
        write(_varint(length))

    def write(self, data):
        """Take the next piece of the uncompressed stream (bytes, bytearray or memoryview)."""
        n = len(data)
        self._seen += n
        if self._seen > self._length:
            raise ValueError(
                "snappy: %d bytes given, more than the %d announced" % (self._seen, self._length)
            )
        buf = self._buf
        size = len(buf)
        i = 0
        while i < n:
            end = self._end
            take = min(size - end, n - i)
            buf[end : end + take] = data[i : i + take] if i or take < n else data
            self._end = end + take
            i += take
            if self._end == size:
                self._compress(False)
                self._slide()

    def finish(self):
        """Compress what is left and flush; ValueError if fewer bytes came than announced."""
        if self._seen != self._length:
            raise ValueError("snappy: %d bytes given, %d announced" % (self._seen, self._length))
        self._compress(True)
        self._flush()

    def _slide(self):
        # Keep the last window of input as history; the rest of the buffer takes new input.
        w = self.window
        end = self._end
        shift = end - w
        self._buf[0:w] = self._view[shift:end]
        self._base += shift
        self._end = w
        self._done -= shift
        self._pending -= shift

    def _compress(self, final):
        # Greedy matching as snappy's own encoder does: hash the 4 bytes at p, look for an
        # earlier occurrence in the table, verify it, extend it; step faster over data that
        # does not compress.
        buf = self._buf
        view = self._view
        table = self._table
        end = self._end
        p = self._done
        literal = self._pending
        stream = self._base  # stream offset of buf[0]
        last = end - _MIN_MATCH  # the last position a match can start at
        mask = (1 << _HASH_BITS) - 1
        skip = 32
        while p <= last:
            # Products below 2**30, a board's small ints: no long-int allocation.
            h = (buf[p] << 8 | buf[p + 1]) * 0x9E3 ^ (buf[p + 2] << 8 | buf[p + 3]) * 0x7A5
            h = h >> 12 & mask
            back = (stream + p - table[h]) & 0xFFFF
            table[h] = (stream + p) & 0xFFFF
            c = p - back
            if (
                back
                and c >= 0
                and buf[c] == buf[p]
                and buf[c + 1] == buf[p + 1]
                and buf[c + 2] == buf[p + 2]
                and buf[c + 3] == buf[p + 3]
            ):
                if literal < p:
                    self._literal(literal, p)
                m = p + 4
                # 16 bytes at a time while they agree (memoryview slices compare by content,
                # without copying), then byte by byte.
                while m + 16 <= end and view[m : m + 16] == view[m - back : m - back + 16]:
                    m += 16
                while m < end and buf[m] == buf[m - back]:
                    m += 1
                self._copy(back, m - p)
                p = literal = m
                skip = 32
            else:
                p += skip >> 5
                skip += 1
        if final:
            keep = end
        else:
            # The last bytes may start a match once more input comes: they stay pending,
            # unless the slide is about to drop them.
            keep = end - self.window
            p = min(p, end)
        if literal < keep:
            self._literal(literal, keep)
            literal = keep
        self._done = p
        self._pending = literal

    def _literal(self, start, stop):
        n = stop - start
        if self._o > _OUT - 3:
            self._flush()
        out = self._out
        o = self._o
        n1 = n - 1
        if n1 < 60:
            out[o] = n1 << 2
            o += 1
        elif n1 < 256:
            out[o] = 60 << 2
            out[o + 1] = n1
            o += 2
        else:  # a literal is never longer than the buffer: 2 bytes of length
            out[o] = 61 << 2
            out[o + 1] = n1 & 0xFF
            out[o + 2] = n1 >> 8
            o += 3
        view = self._view
        if o + n > _OUT:
            self._o = o
            self._flush()
            o = 0
            while stop - start > _OUT:  # straight from the window, in pieces of _OUT bytes
                self._write(view[start : start + _OUT])
                start += _OUT
            n = stop - start
        out[o : o + n] = view[start:stop]
        self._o = o + n

    def _copy(self, offset, n):
        out = self._out
        while n > 0:
            if self._o > _OUT - 3:
                self._flush()
            o = self._o
            if n < 12 and offset < 2048:  # 4..11 bytes: a 2-byte copy
                out[o] = 1 | (n - 4) << 2 | (offset >> 8) << 5
                out[o + 1] = offset & 0xFF
                self._o = o + 2
                return
            # 1..64 bytes: a 3-byte copy; leave at least 4 for the last one
            k = 64 if n > 67 else (60 if n > 64 else n)
            out[o] = 2 | (k - 1) << 2
            out[o + 1] = offset & 0xFF
            out[o + 2] = offset >> 8
            self._o = o + 3
            n -= k

    def _flush(self):
        if self._o:
            self._write(self._out_view[: self._o])
            self._o = 0
