"""MicroPython: occupy the heap with ballast so that `leave` bytes stay free in one block.

    chunks = fill(4096)   # the next allocations see a full heap with a 4 KB gap

This is how the bench finds the free heap a step really needs: on this port
micropython.mem_peak() also counts bytes the collector has since swept, so it
is an upper bound, not the peak of live data.
"""

import gc

_FIRST = 32768  # big pieces first, then ever smaller ones into the holes


def fill(leave):
    gc.collect()
    # Preallocated so it never grows while the heap is full.
    chunks = [None] * (gc.mem_free() // 256 + 1024)
    # Reserve the gap first, fill every other hole, then free the gap: the
    # free memory is then one block of `leave` bytes (plus holes too small
    # for a bytearray), not crumbs between ballast chunks.
    gap = bytearray(leave) if leave > 0 else None
    n = 0
    size = _FIRST
    while size >= 16 and n < len(chunks):
        try:
            chunks[n] = bytearray(size)
            n += 1
        except MemoryError:
            size //= 2
    gap = None  # noqa: F841
    gc.collect()
    return chunks
