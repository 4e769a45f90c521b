"""pytest only: each test starts with the library's name rules as a fresh import has them.

Accepting a UTF-8 name switches every later page to the writer that escapes names (see
exposition.utf8_names); a test that does so, even through a parser, would otherwise leave the
tests after it checking that writer instead of the streamed one. The portable tests restore
this themselves (support.Utf8Names, support.LegacyNames), as tests/mpy_runner.py has no fixtures.
"""

import pytest

import prometheus_express.exposition as exposition
import prometheus_express.validation as validation


@pytest.fixture(autouse=True)
def _fresh_name_rules():
    utf8_names = exposition.utf8_names
    legacy = validation.get_legacy_validation()
    yield
    exposition.utf8_names = utf8_names
    if legacy:
        validation.enable_legacy_validation()
    else:
        validation.disable_legacy_validation()
