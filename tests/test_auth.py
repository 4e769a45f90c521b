"""prometheus_express.auth: the basic auth header."""

from prometheus_express.auth import basic_auth


def test_basic_auth():
    # base64("user:pass") is dXNlcjpwYXNz (RFC 4648)
    assert basic_auth(("user", "pass")) == "Basic dXNlcjpwYXNz"
    assert basic_auth(None) is None
    # RFC 7617's example
    assert basic_auth(("Aladdin", "open sesame")) == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
