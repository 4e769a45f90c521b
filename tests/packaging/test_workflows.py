"""The CI entry point (.ci/run) and the GitHub workflows prepare and test alike.

A workflow that installs less than .ci/run fails on GitHub under CI=true (the live push tests
need the Pushgateway), and a failed release job publishes nothing. So every one of them installs
the system packages through the one script, .ci/prerequisites, and then runs `make test`; the
release job also keeps its write token out of the checkout, checks the tag's version before it
builds, and builds once.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
PREREQUISITES = "bash .ci/prerequisites"


def _commands(path):
    """The shell commands of a workflow's steps (run: lines, one per command), in order."""
    commands = []
    for line in path.read_text().splitlines():
        match = re.match(r"\s*(?:- )?run:\s*(.*)$", line)
        if match and match.group(1) not in ("|", ">"):
            commands.append(match.group(1).split(" #")[0].strip())
    return commands


def _ci_run_commands():
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    return [line.split(" #")[0].strip() for line in lines if line and not line.startswith("#")]


def test_every_entry_point_installs_the_prerequisites_then_runs_make_test():
    entry_points = {"ci/run": _ci_run_commands()}
    for path in sorted(WORKFLOWS.glob("*.yml")):
        entry_points[path.name] = _commands(path)
    assert set(entry_points) == {"ci/run", "test.yml", "release.yml"}
    for name, commands in entry_points.items():
        assert PREREQUISITES in commands, "%s does not run %s" % (name, PREREQUISITES)
        assert "make test" in commands, "%s does not run make test" % name
        assert commands.index(PREREQUISITES) < commands.index("make test"), name
        installs = [c for c in commands if "apt-get" in c or "pip install" in c]
        assert not installs, "%s installs on its own: %s" % (name, installs)


def test_the_prerequisites_are_what_the_tests_need():
    script = (ROOT / ".ci" / "prerequisites").read_text()
    packages = re.search(r"^packages=\((.*)\)$", script, re.M).group(1).split()
    # promtool (tests/oracle), the Prometheus server and the Pushgateway (tests/live).
    assert {"prometheus", "prometheus-pushgateway"} <= set(packages)
    for needed in ("pushgateway", "prometheus"):
        uses = [p.name for p in (ROOT / "tests" / "live").glob("*.py") if needed in p.read_text()]
        assert uses, "no live test uses %s any more: drop it from the prerequisites" % needed


def test_the_release_job_keeps_its_token_out_checks_the_version_first_and_builds_once():
    text = (WORKFLOWS / "release.yml").read_text()
    assert re.search(
        r"uses: actions/checkout@\S+\n\s+with:\n(\s+\S.*\n)*?\s+persist-credentials: false", text
    )
    commands = _commands(WORKFLOWS / "release.yml")
    version_check = [i for i, c in enumerate(commands) if "build/version.py" in c]
    makes = [i for i, c in enumerate(commands) if c.startswith("make ")]
    assert version_check and version_check[0] < makes[0], commands
    # make test builds every artifact (make bundle) before it tests them: once is enough.
    assert [commands[i] for i in makes if commands[i] != "make setup"] == ["make test"], commands


def test_the_release_is_built_with_circuitpython_s_own_compilers_and_compared():
    """The release's CircuitPython .mpy files come from CircuitPython's own mpy-cross, fetched
    by circuitpython-build-tools; make test then compares them with the offline compiler's
    bytes (test_circuitpython.test_mpy_is_micropython_compile_with_header_c)."""
    text = (WORKFLOWS / "release.yml").read_text()
    commands = _commands(WORKFLOWS / "release.yml")
    fetch = [i for i, c in enumerate(commands) if "--fetch-compilers" in c]
    assert fetch and fetch[0] < commands.index("make test"), commands
    cache = re.search(r'--fetch-compilers "\$RUNNER_TEMP/(\S+)"', commands[fetch[0]]).group(1)
    step = text[: text.index("run: make test")]
    step = step[step.rindex("- name:") :]
    folder = "CIRCUITPY_MPY_CROSS_DIR: ${{ runner.temp }}/%s/circuitpython-build-tools" % cache
    assert folder in step, step
    # make passes the variable from the environment to the build (BUNDLE_ARGS).
    makefile = (ROOT / "Makefile").read_text()
    assert "--mpy-cross-dir $(CIRCUITPY_MPY_CROSS_DIR)" in makefile


def test_the_release_job_publishes_to_pypi_by_trusted_publishing():
    text = (WORKFLOWS / "release.yml").read_text()
    job = text[text.index("\n  pypi:\n") :]
    assert "needs: release" in job and "id-token: write" in job
    assert "uses: pypa/gh-action-pypi-publish@" in job
    # Trusted publishing: no password or token from the repository's secrets.
    assert "secrets." not in text and "password:" not in job
    # Only what PyPI takes: the wheel and the sdist, not the board zips.
    upload = text[text.index("name: pypi\n") :]
    assert "dist/*.whl" in upload and "dist/*.tar.gz" in upload and "dist/*.zip" not in upload
