"""HTTP basic auth, for the exporter (auth=...) and for push.

basic_auth(("user", "pass")) == "Basic dXNlcjpwYXNz"
"""


def base64(data):
    """Standard base64 of bytes, as str."""
    try:
        import binascii
    except ImportError:
        import ubinascii as binascii  # older MicroPython
    return binascii.b2a_base64(data).decode().strip()


def basic_auth(auth):
    """The Authorization header that (user, password) sends, or None."""
    if auth is None:
        return None
    user, password = auth
    return "Basic " + base64(("%s:%s" % (user, password)).encode("utf-8"))
