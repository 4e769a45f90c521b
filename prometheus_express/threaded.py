"""CPython's exporter thread: start_http_server() serves from it, as client_python does.

server, thread = start_http_server(0)   # server.server_port: the port the OS picked
Importing this module fails where there is no threading module (MicroPython, CircuitPython):
start_http_server() then returns the server for the program's own loop to poll().
"""

import threading


def serve_in_thread(server):
    """Start serve_forever() in a daemon thread; (server, thread), as client_python returns."""
    # client_python returns a wsgiref server: its bound address, and server_close() after
    # shutdown(), are what its users read and call.
    address = server._listener.getsockname()
    server.port = address[1]
    server.server_address = address
    server.server_port = address[1]
    server.server_close = server.close
    thread = threading.Thread(target=server.serve_forever)
    thread.daemon = True
    thread.start()
    return server, thread
