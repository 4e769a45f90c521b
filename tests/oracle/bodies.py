"""Independent checks of a page: prometheus_client's two parsers and promtool.

assert_valid_pages(registry)   # our text 0.0.4 and OpenMetrics pages of registry
"""

import os
import shutil
import subprocess

import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_om
from prometheus_client.parser import text_string_to_metric_families as parse_text

import prometheus_express as pe
import prometheus_express.openmetrics.exposition as pe_om

# Strings the escaping rules care about, carriage returns included.
HOSTILE = (
    "",
    '"',
    "\\",
    "\n",
    "\r",
    "\r\n",
    "\n\r",
    "\r\r\n",
    "\\n",
    "\\r",
    '\\"',
    '"\\',
    'a"b\\c\nd',
    "x\r\ny\rz",
    "é",
    "日本",
    "🙂",
    "👩‍💻",
    "\x00",
    "\t",
    " ",
    "{",
    "}",
    ",",
    "=",
    "#",
    "# EOF",
    ' # {a="b"} 1',
    "} 1",
    "\x85",
    "\u2028",
    "\ufeff",
)


def promtool():
    """promtool's path; a skip where it is missing, a failure under CI (which installs it)."""
    path = shutil.which("promtool")
    if path is None:
        message = (
            "promtool not found: run `sudo bash .ci/prerequisites` (Debian's prometheus package)"
        )
        if os.environ.get("CI"):
            pytest.fail(message + "; CI is set, so this must not be skipped")
        pytest.skip(message)
    return path


def promtool_check(text):
    """(exit code, output) of `promtool check metrics` for a text 0.0.4 page."""
    p = subprocess.run(
        [promtool(), "check", "metrics"],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=60,
    )
    return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace")


def assert_valid_pages(registry, openmetrics_checks=True):
    """Both of our pages parse, carry no CR, and promtool finds no error in the text page.

    promtool exits 3 for naming advice (camelCase, a counter without _total): random names
    earn that; it is not an error in the page. The OpenMetrics parser also checks what the
    values mean (timestamps in order, a gauge histogram's sum); openmetrics_checks=False
    leaves it out for custom collectors fed arbitrary values, whose meaning is theirs.
    """
    text = pe.generate_latest(registry).decode("utf-8")
    om = pe_om.generate_latest(registry).decode("utf-8")
    assert "\r" not in text and "\r" not in om
    list(parse_text(text))
    if openmetrics_checks:
        list(parse_om(om))
    code, output = promtool_check(text)
    assert code in (0, 3) and "error" not in output.lower(), output + "\n" + text
