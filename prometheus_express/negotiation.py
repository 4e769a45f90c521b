"""Picks the exposition format for a request's Accept header, as client_python does.

openmetrics, content_type = choose_format(accept)
"""

CONTENT_TYPE_PLAIN_0_0_4 = "text/plain; version=0.0.4; charset=utf-8"
CONTENT_TYPE_PLAIN_1_0_0 = "text/plain; version=1.0.0; charset=utf-8"
CONTENT_TYPE_LATEST = CONTENT_TYPE_PLAIN_1_0_0


def choose_format(accept_header):
    """(openmetrics, content_type) for an Accept header, as client_python chooses."""
    for accepted in (accept_header or "").split(","):
        toks = accepted.split(";")
        mime = toks[0].strip()
        om = mime == "application/openmetrics-text"
        if not om and mime != "text/plain":
            continue
        version = ""
        escaping = "underscores"
        for tok in toks:
            if "=" in tok:
                key, value = tok.strip().split("=", 1)
                if key == "version":
                    version = value
                elif key == "escaping" and value in ("allow-utf-8", "dots", "values"):
                    escaping = value
        if om and not version:
            return True, "application/openmetrics-text; version=1.0.0; charset=utf-8"
        if version.strip("0123456789."):  # echoed into Content-Type: never a control character
            continue
        try:
            major = int(version.split(".")[0])
        except ValueError:  # no version, or not a number
            continue
        if major >= 1:
            if om:
                return True, (
                    "application/openmetrics-text; version=%s; charset=utf-8; escaping=%s"
                    % (version, escaping)
                )
            return False, CONTENT_TYPE_LATEST + "; escaping=" + escaping
    return False, CONTENT_TYPE_PLAIN_0_0_4


def choose_encoder(accept_header):
    """(encoder, content_type): encoder(registry) returns the page as bytes."""
    om, content_type = choose_format(accept_header)
    from .escaping import encoder

    return encoder(om, content_type), content_type
