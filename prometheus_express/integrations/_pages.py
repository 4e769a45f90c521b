"""The metrics page for web frameworks, as bytes chunks of about chunk_size characters.

om, content_type = choose_format(accept)
for chunk in stream(registry, om, content_type): send(chunk)   # one collector's text at a time
chunks, length = whole(registry, om, content_type)  # the page, when a Content-Length must lead

content_type (from choose_format) names the escaping of names the scraper asked for, if any.
"""

from ..exposition import write_registry

# Characters joined into one chunk: fewer, larger writes for the framework, and no block of
# heap larger than this (on a board a large block can fail long before the heap is full).
chunk_size = 512


class _Chunks:
    # Collects write_text's small str pieces and joins them into bytes chunks. At most
    # chunk_size characters plus one piece wait unjoined; finished chunks queue in `ready`.
    def __init__(self):
        self.ready = []
        self.length = 0  # bytes in all the chunks made so far
        self.pending = []
        self.count = 0  # characters pending

    def write(self, piece):
        if self.count >= chunk_size:
            self.flush()
        self.pending.append(piece)
        self.count += len(piece)

    def flush(self):
        if self.pending:
            chunk = "".join(self.pending).encode("utf-8")
            self.ready.append(chunk)
            self.length += len(chunk)
            self.pending = []
            self.count = 0


def whole(registry, om, content_type=""):
    """(chunks, length): the whole page as a list of bytes chunks, and its length in bytes."""
    out = _Chunks()
    write_registry(out.write, registry, om, content_type)
    if om:
        out.write("# EOF\n")
    out.flush()
    return out.ready, out.length


def drain(chunks):
    """Yield the chunks of a list, dropping each from the list as it goes (its memory with it)."""
    while chunks:
        yield chunks.pop(0)


def stream(registry, om, content_type=""):
    """Yield the page as bytes chunks, rendering one collector at a time.

    Memory: one collector's text (a metric with all its labelled children) plus a chunk,
    not the page; the chunks of a collector are handed out before the next one renders.
    """
    collectors = getattr(registry, "_collectors", None)
    if collectors is None:  # any object with collect(): it renders as one piece
        yield from drain(whole(registry, om, content_type)[0])
        return
    out = _Chunks()
    i = 0
    while i < len(collectors):  # by index, like write_text: a collector may join meanwhile
        # One collector renders as a registry of one.
        write_registry(out.write, collectors[i], om, content_type)
        i += 1
        while out.ready:
            yield out.ready.pop(0)
    if om:
        out.write("# EOF\n")
    out.flush()
    yield from drain(out.ready)
