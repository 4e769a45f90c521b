"""The page as a file for node_exporter's textfile collector, replaced atomically. CPython only.

write_to_textfile("/var/lib/node_exporter/textfile/batch.prom", registry)
"""

from ._port import BOARD

if BOARD:
    from .errors import cpython_only

    raise cpython_only(__name__, "os.replace, threading")

import os
import threading

from .exposition import generate_latest


def write_to_textfile(path, registry, escaping="allow-utf-8", tmpdir=None):
    """Write the registry in text format 0.0.4 to path (which must end in .prom for the
    collector to read it). The page goes to a temporary file first, in tmpdir if given (on
    the same file system as path), then is renamed over path, so a reader never sees half."""
    # Named per process and thread: two writers of one path never share a temporary file.
    suffix = ".%d.%d" % (os.getpid(), threading.current_thread().ident)
    if tmpdir is None:
        tmppath = path + suffix
    else:
        tmppath = os.path.join(tmpdir, os.path.basename(path)) + suffix
    try:
        with open(tmppath, "wb") as f:
            f.write(generate_latest(registry, escaping))
        # os.replace is atomic like rename(2), and also replaces an existing file on Windows.
        os.replace(tmppath, path)
    except Exception:
        if os.path.exists(tmppath):
            os.remove(tmppath)
        raise
