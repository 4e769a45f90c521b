"""The page as an ASGI app, as client_python's asgi module offers it. CPython only.

app = make_asgi_app()   # mount it in Starlette, FastAPI, any ASGI server
"""

from ._port import BOARD

if BOARD:
    from .errors import cpython_only

    raise cpython_only(__name__, "an ASGI server, gzip")

from urllib.parse import parse_qs

from .registry import REGISTRY
from .web import _bake_output

# ASGI servers expect a coroutine function (uvicorn tells ASGI 3 from ASGI 2 by it), but no
# library file may hold async syntax: the CircuitPython bundles are compiled with MicroPython's
# mpy-cross, whose async bytecode CircuitPython cannot run (build/cp_mpy_cross.py refuses it).
# So CPython compiles the one coroutine from this text, once, at import.
_APP = """
def app_for(answer):
    async def prometheus_app(scope, receive, send):
        start, body = answer(scope)
        message = await receive()
        if message.get("type") == "http.request":  # else the client has gone
            await send(start)
            await send(body)

    return prometheus_app
"""
_namespace = {}
exec(compile(_APP, "<prometheus_express.asgi>", "exec"), _namespace)
_app_for = _namespace.pop("app_for")


def _header(scope, wanted):
    # Repeated headers count as one list, joined as HTTP allows.
    values = []
    for name, value in scope.get("headers"):
        if name.decode("utf8").lower() == wanted:
            values.append(value.decode("utf8"))
    return ",".join(values)


def make_asgi_app(registry=REGISTRY, disable_compression=False):
    """An ASGI app serving the registry on any path and method, as client_python's does."""

    def answer(scope):
        # The two messages of the response, baked before the request is received.
        if scope.get("type") != "http":
            raise ValueError(
                "the metrics app serves HTTP only, not a %r scope: mount it on an HTTP route"
                % (scope.get("type"),)
            )
        status, headers, body = _bake_output(
            registry,
            _header(scope, "accept"),
            _header(scope, "accept-encoding"),
            parse_qs(scope.get("query_string", b"").decode("utf8")),
            disable_compression,
        )
        raw_headers = []
        for name, value in headers:
            raw_headers.append((name.encode("utf8"), value.encode("utf8")))
        start = {
            "type": "http.response.start",
            "status": int(status.split(" ")[0]),
            "headers": raw_headers,
        }
        return start, {"type": "http.response.body", "body": body}

    return _app_for(answer)
