"""Hypothesis settings for the CPython-only oracle tests.

The "ci" profile (the default) runs a fixed number of examples from a seed derived from each
test, so every run, in CI or here, checks the same inputs. Pick another profile with
HYPOTHESIS_PROFILE=dev (fewer examples, random) or HYPOTHESIS_PROFILE=thorough.
"""

import os

from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,  # replaying stored failures would make runs differ
    print_blob=True,
    suppress_health_check=_QUIET,
)
settings.register_profile(
    "dev", max_examples=50, deadline=None, print_blob=True, suppress_health_check=_QUIET
)
settings.register_profile(
    "thorough", max_examples=5000, deadline=None, print_blob=True, suppress_health_check=_QUIET
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
