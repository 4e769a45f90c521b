"""Figure 6: one remote-write send on the MicroPython unix port: its bytes and the heap it needs.

    figure_remote_write(tree, rendered)   # rendered: Figure 3's measures, for contrast, or None

Each N runs bench/mp_remote_write.py in fresh micropython processes (see port_figures.py) that
send to a receiver in this process: a thread that reads each request, chunked body and all,
keeps its sizes and body, and answers 204 as Prometheus does.
"""

import contextlib
import os
import socketserver
import threading
from concurrent.futures import ThreadPoolExecutor

import trees
from port_figures import SIZES, micropython
from report import KB, notes, ratio, table, version

TIMES = 5  # mp_remote_write.py's timed sends


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        head = [self.rfile.readline()]
        while head[-1] not in (b"\r\n", b""):
            head.append(self.rfile.readline())
        wire = sum(len(line) for line in head)
        body = b""
        while True:  # chunks: a hex size line, the data, CRLF; size 0 ends the body
            line = self.rfile.readline()
            size = int(line, 16)  # ValueError on a request cut short: nothing is recorded
            chunk = self.rfile.read(size + 2)
            wire += len(line) + len(chunk)
            if len(chunk) < size + 2:
                return
            body += chunk[:size]
            if size == 0:
                break
        self.server.requests[head[0].split()[1].decode()] = (wire, body)
        self.wfile.write(b"HTTP/1.1 204 No Content\r\n\r\n")


class _Receiver(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # sends that ran out of memory mid-way (the heap search) end requests early


@contextlib.contextmanager
def _receiver():
    server = _Receiver(("127.0.0.1", 0), _Handler)
    server.requests = {}  # path: (bytes of the whole request, the body)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _send(tree, port, n, args, heap):
    code, results, err = micropython(tree, "mp_remote_write.py", [port, n] + args, heap=heap)
    if code != 0:
        raise RuntimeError("mp_remote_write.py %d %s: %s" % (n, " ".join(map(str, args)), err))
    return {name: int(value) for name, value in results}


def _varint(data):
    # Snappy's block starts with the uncompressed length.
    n = shift = 0
    for byte in data:
        n |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return n
    raise ValueError("no snappy preamble")


def _measure(tree, server):
    port = server.server_address[1]
    measured = {}
    for n in SIZES:  # one at a time: they are timed
        measured[n] = m = _send(tree, port, n, ["measure"], 8 * KB * KB)
        m["request_bytes"], body = server.requests["/write/%d" % n]
        m["body_bytes"] = len(body)
        m["protobuf_bytes"] = _varint(body)
        m["body"] = body
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as workers:
        jobs = {}
        for n, m in measured.items():
            heap = 2 * m["registry_bytes"] + 128 * KB  # as Figure 3's
            jobs[n] = workers.submit(_send, tree, port, n, ["free", 4 * KB, 8 * KB, 64], heap)
        for n, job in jobs.items():
            measured[n]["free_needed"] = job.result()["free_needed"]
    return measured


def _cramjam(measured):
    """cramjam's snappy of each body's protobuf bytes, or None when cramjam is not installed."""
    try:
        from cramjam import snappy
    except ImportError:
        return None
    sizes = {}
    for n, m in measured.items():
        protobuf = bytes(snappy.decompress_raw(m["body"]))
        if len(protobuf) != m["protobuf_bytes"]:
            notes(
                "WARNING N=%d: cramjam decodes %d B, the preamble says %d"
                % (n, len(protobuf), m["protobuf_bytes"])
            )
        sizes[n] = len(snappy.compress_raw(protobuf))
    return sizes


def figure_remote_write(tree, rendered=None):
    print("Figure 6: one remote_write() send, %s" % trees.micropython_runtime()[0])
    print("          from .mpy, a fresh process per N, Figure 3's registry (a Gauge with N")
    print("          labelled children, int and float values mixed) and job, instance labels,")
    print("          to a receiver in the bench (a CPython thread that reads it and answers 204)")
    try:
        with _receiver() as server:
            measured = _measure(tree, server)
    except (RuntimeError, KeyError, ValueError) as e:
        notes("ERROR %s" % e)
        print()
        return
    real = _cramjam(measured)
    rows = []
    for n, m in measured.items():
        row = [n, m["page_bytes"], m["protobuf_bytes"], m["body_bytes"], m["request_bytes"]]
        row.append(ratio(m["body_bytes"], m["page_bytes"]))
        if real:
            row += [real[n], ratio(m["body_bytes"], real[n])]
        rows.append(row)
    header = ["N", "page", "protobuf", "body sent", "request", "body/page"]
    table(header + (["cramjam", "ours/cramjam"] if real else []), rows)
    notes(
        "bytes. page: the text page push_to_gateway sends as its body for the same registry.",
        "protobuf: the WriteRequest before compression. body sent: it snappy-compressed, as",
        "      sent. request: what the receiver read, HTTP head and chunk framing included.",
        "body/page: what remote write sends over what a push sends; below 1x it sends less.",
    )
    if real:
        notes(
            "cramjam: the same protobuf bytes through cramjam %s's snappy (compress_raw), held"
            % version("cramjam"),
            "      whole; ours/cramjam: above 1x ours compresses less (it streams them through",
            "      a 2 KB buffer).",
        )
    else:
        notes("cramjam is not installed (make setup): no real snappy to compare with.")
    print()
    rows = []
    for n, m in measured.items():
        scrape = ["n/a", "n/a"]
        if rendered:
            scrape = [rendered[n]["stream_free_needed"], rendered[n]["page_free_needed"]]
        row = [n, m["free_needed"], m["peak_live"]] + scrape
        rows.append(row + ["%.1f" % (m["send_us"] / 1000)])
    header = ["N", "free needed", "peak live", "write_text free", "generate_latest free"]
    table(header + ["ms per send"], rows)
    first, last = measured[SIZES[0]], measured[SIZES[-1]]
    more = last["free_needed"] - first["free_needed"]
    grows = (SIZES[-1], SIZES[0], ratio(last["free_needed"], first["free_needed"]), more)
    notes(
        "free needed: the least free heap, in one block, a send runs in (ballast fills the",
        "      rest), to 64 B: what a board must keep free for remote_write(), lower is better.",
        "free needed, N=%d over N=%d: %s, %+d B (1x: a send does not grow with the series)."
        % grows,
        "peak live: gc.mem_alloc() growth seen at each socket send and receive, after a",
        "      gc.collect() there. At N=%d the body fits one 1 KB chunk, sent after encoding:"
        % SIZES[0],
        "      the encoder and the page reader (about 6 KB) are gone by then, so missed there.",
        "write_text, generate_latest free: Figure 3's, the free heap a scrape of the same",
        "      registry needs, streamed or built.",
        "importing remote_write (and what it loads) keeps %.1f KB more, once."
        % (first["module_bytes"] / KB),
        "ms per send: median of %d, connect to answer, on this machine's CPU." % TIMES,
    )
    print()
