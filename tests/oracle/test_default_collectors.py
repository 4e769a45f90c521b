"""The default collectors (process, platform, GC) against prometheus_client 0.26's, side by side
on this machine, and the default REGISTRY against client_python's. CPython only."""

import os
import subprocess
import sys

import prometheus_client as pc
import pytest
from prometheus_client import gc_collector as pc_gc
from prometheus_client import platform_collector as pc_platform
from prometheus_client import process_collector as pc_process

import prometheus_express as pe
from prometheus_express import gc_collector, platform_collector, process_collector
from prometheus_express.board import BoardCollector

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PID = "26231"
# /proc/PID/stat of a process whose name holds ") (" and spaces, as proc(5) allows.
STAT = (
    "26231 (my ) (process) R 1 26231 26231 0 -1 4194560 12345 0 6 0 1650 317 0 0 20 0 3 0 "
    "1791234 62197760 4810 18446744073709551615 1 1 0 0 0 0 0 16781312 134235650 0 0 0 17 2 "
    "0 0 0 0 0\n"
)
LIMITS = """Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max file size             unlimited            unlimited            bytes
Max open files            2048                 4096                 files
Max locked memory         65536                65536                bytes
"""


def _proc(tmp_path, stat=True, limits=LIMITS, fds=5, btime="btime 1418184099\n"):
    """A /proc tree with one process, PID; each part can be left out."""
    root = tmp_path / "proc"
    root.mkdir(parents=True)
    if btime is not None:
        (root / "stat").write_text("cpu  82 0 31 2961 3 0 0 0 0 0\n" + btime + "processes 26\n")
    process = root / PID
    process.mkdir()
    if stat:
        (process / "stat").write_text(STAT)
    if limits is not None:
        (process / "limits").write_text(limits)
    if fds is not None:
        (process / "fd").mkdir()
        for i in range(fds):
            (process / "fd" / str(i)).write_text("")
    return str(root)


def _pages(**kwargs):
    """(ours, theirs): the text pages of each library's ProcessCollector on its own registry."""
    ours, theirs = pe.CollectorRegistry(), pc.CollectorRegistry()
    process_collector.ProcessCollector(registry=ours, **kwargs)
    pc_process.ProcessCollector(registry=theirs, **kwargs)
    return pe.generate_latest(ours).decode(), pc.generate_latest(theirs).decode()


def _shape(families):
    """What must match whatever the readings: per family its name, type, help, unit, and per
    sample its name and label names."""
    shape = []
    for f in families:
        samples = [(s.name, sorted(s.labels)) for s in f.samples]
        shape.append((f.name, f.type, f.documentation, f.unit, samples))
    return shape


# ---------------------------------------------------------------- a fake /proc, read by both


def test_a_fake_proc_gives_client_pythons_page(tmp_path):
    ours, theirs = _pages(proc=_proc(tmp_path), pid=lambda: PID)
    assert ours == theirs
    for name in ("cpu_seconds_total", "virtual_memory_bytes", "open_fds", "max_fds"):
        assert "\nprocess_%s " % name in ours, (name, ours)
    assert "process_open_fds 5.0\n" in ours and "process_max_fds 2048.0\n" in ours, ours


def test_namespace_and_a_pid_read_from_a_file(tmp_path):
    # client_python strips what the pid function returns: a pid file ends in a newline.
    ours, theirs = _pages(proc=_proc(tmp_path), pid=lambda: PID + "\n", namespace="worker")
    assert ours == theirs
    assert "\nworker_process_start_time_seconds " in ours, ours


def test_an_int_pid(tmp_path):
    ours, theirs = _pages(proc=_proc(tmp_path), pid=lambda: int(PID))
    assert ours == theirs and "process_resident_memory_bytes" in ours


def test_missing_parts_leave_out_what_they_give(tmp_path):
    cases = (
        {"stat": False},  # only the file descriptors
        {"limits": None},  # no file descriptor families
        {"fds": None},
        {"fds": 0},
    )
    for i, case in enumerate(cases):
        ours, theirs = _pages(proc=_proc(tmp_path / str(i), **case), pid=lambda: PID)
        assert ours == theirs, case
    ours, _ = _pages(proc=_proc(tmp_path / "nostat", stat=False), pid=lambda: PID)
    assert "process_open_fds" in ours and "process_cpu_seconds" not in ours, ours


def test_no_proc_or_no_boot_time_collects_nothing(tmp_path):
    for i, proc in enumerate(
        (
            str(tmp_path / "missing"),
            _proc(tmp_path / "a", btime=None),  # no stat file
            _proc(tmp_path / "b", btime=""),  # a stat file without btime
        )
    ):
        ours, theirs = _pages(proc=proc, pid=lambda: PID)
        assert ours == theirs == "", (i, ours, theirs)


def test_a_process_that_is_gone_collects_nothing(tmp_path):
    ours, theirs = _pages(proc=_proc(tmp_path), pid=lambda: "4242")
    assert ours == theirs == ""


def test_limits_without_the_open_files_line_still_counts_open_files(tmp_path):
    # client_python raises UnboundLocalError here; the count of open files does not need it.
    proc = _proc(tmp_path, limits="Limit  Soft Limit  Hard Limit  Units\n")
    r = pe.CollectorRegistry()
    process_collector.ProcessCollector(registry=r, proc=proc, pid=lambda: PID)
    assert r.get_sample_value("process_open_fds") == 5
    assert r.get_sample_value("process_max_fds") is None
    with pytest.raises(UnboundLocalError):
        pc_process.ProcessCollector(registry=None, proc=proc, pid=lambda: PID).collect()


# ---------------------------------------------------------------- this machine, read by both


def test_this_process_gives_client_pythons_families():
    ours = process_collector.ProcessCollector(registry=None).collect()
    theirs = pc_process.ProcessCollector(registry=None).collect()
    assert _shape(ours) == _shape(theirs)
    assert len(ours) == 6, [f.name for f in ours]  # Linux: every family
    by_name = {f.name: f.samples[0].value for f in ours}
    for f in theirs:
        if f.name in ("process_start_time_seconds", "process_max_fds"):
            assert by_name[f.name] == f.samples[0].value, f.name


def test_python_info_is_client_pythons():
    ours = pe.CollectorRegistry()
    platform_collector.PlatformCollector(registry=ours)
    theirs = pc.CollectorRegistry()
    pc_platform.PlatformCollector(registry=theirs)
    assert pe.generate_latest(ours) == pc.generate_latest(theirs)
    assert _shape(ours.collect()) == _shape(theirs.collect())
    sample = list(ours.collect())[0].samples[0]
    expected = list(theirs.collect())[0].samples[0]
    assert (sample.name, sample.labels, sample.value) == (expected.name, expected.labels, 1)
    assert list(sample.labels) == list(expected.labels)  # in client_python's order too


class _Jython:
    """The platform module's functions as Jython answers them."""

    def python_version_tuple(self):
        return ("2", "7", "3rc1")

    def python_version(self):
        return "2.7.3rc1"

    def python_implementation(self):
        return "Jython"

    def system(self):
        return "Java"

    def java_ver(self):
        return (
            "1.8.0_102",
            "Oracle Corporation",
            ("Java HotSpot", "25.102-b14", "Oracle"),
            ("", "", ""),
        )


def test_a_given_platform_such_as_jython_adds_the_jvm():
    ours = pe.CollectorRegistry()
    platform_collector.PlatformCollector(registry=ours, platform=_Jython())
    theirs = pc.CollectorRegistry()
    pc_platform.PlatformCollector(registry=theirs, platform=_Jython())
    page = pe.generate_latest(ours)
    assert page == pc.generate_latest(theirs)
    assert b'jvm_vendor="Oracle"' in page and b'implementation="Jython"' in page, page


def test_gc_families_are_client_pythons():
    ours = pe.CollectorRegistry()
    gc_collector.GCCollector(registry=ours)
    theirs = pc.CollectorRegistry()
    pc_gc.GCCollector(registry=theirs)
    assert _shape(ours.collect()) == _shape(theirs.collect())
    assert [f.name for f in ours.collect()] == [
        "python_gc_objects_collected",
        "python_gc_objects_uncollectable",
        "python_gc_collections",
    ]
    # Both count since this interpreter started: ours, read after theirs, is no lower.
    theirs_first = {
        (s.name, s.labels["generation"]): s.value for f in theirs.collect() for s in f.samples
    }
    for f in ours.collect():
        for s in f.samples:
            assert s.value >= theirs_first[(s.name, s.labels["generation"])], s


def test_gc_collector_registers_only_where_gc_has_statistics(monkeypatch):
    r = pe.CollectorRegistry()
    monkeypatch.setattr(gc_collector.platform, "python_implementation", lambda: "PyPy")
    gc_collector.GCCollector(registry=r)
    assert list(r.collect()) == []
    gc_collector.GCCollector(registry=None)  # registers nowhere, as the other collectors


# ---------------------------------------------------------------- the default REGISTRY


def test_the_defaults_are_importable_from_the_package_and_their_modules():
    from prometheus_express import (
        GC_COLLECTOR,
        PLATFORM_COLLECTOR,
        PROCESS_COLLECTOR,
        GCCollector,
        PlatformCollector,
        ProcessCollector,
    )

    assert isinstance(PROCESS_COLLECTOR, ProcessCollector)
    assert PROCESS_COLLECTOR is process_collector.PROCESS_COLLECTOR
    assert isinstance(PLATFORM_COLLECTOR, PlatformCollector)
    assert PLATFORM_COLLECTOR is platform_collector.PLATFORM_COLLECTOR
    assert isinstance(GC_COLLECTOR, GCCollector)
    assert GC_COLLECTOR is gc_collector.GC_COLLECTOR
    for c in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
        assert c in pe.REGISTRY._collectors, c


@pytest.fixture
def default_registry():
    """The default REGISTRY, put back as it was (collectors in their order) after the test."""
    r = pe.REGISTRY
    saved = (list(r._collectors), dict(r._names))
    yield r
    r._collectors, r._names = saved


def test_unregistering_a_default_collector(default_registry):
    r = default_registry
    for collector, family in (
        (pe.PROCESS_COLLECTOR, "process_cpu_seconds"),
        (pe.PLATFORM_COLLECTOR, "python_info"),
        (pe.GC_COLLECTOR, "python_gc_objects_collected"),
    ):
        assert family in [f.name for f in r.collect()], family
        r.unregister(collector)
        assert family not in [f.name for f in r.collect()], family
        with pytest.raises(KeyError):
            r.unregister(collector)
    r.register(pe.PROCESS_COLLECTOR)  # and back, as client_python allows
    assert r.get_sample_value("process_max_fds") > 0


def test_a_board_collector_joins_the_default_registry(default_registry):
    # On CPython (Blinka) python_info is PLATFORM_COLLECTOR's: BoardCollector leaves it out
    # rather than clash with it.
    BoardCollector()
    names = [f.name for f in default_registry.collect()]
    assert names.count("python_info") == 1 and "board_uptime_seconds" in names, names


# Family names, types and HELP, and sample names with their labels, of a fresh process's
# default registry: the same for both libraries whatever the readings.
_SHAPE = """
import sys
if sys.argv[1] == "ours":
    from prometheus_express import REGISTRY, generate_latest
else:
    from prometheus_client import REGISTRY, generate_latest
print([f.name for f in REGISTRY.collect()])
for line in generate_latest(REGISTRY).decode().splitlines():
    print(line if line.startswith("#") else line.rsplit(" ", 1)[0])
"""


def test_the_default_registry_is_client_pythons():
    pages = {}
    for which in ("ours", "theirs"):
        cmd = [sys.executable, "-c", _SHAPE, which]
        run = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
        pages[which] = run.stdout
    assert pages["ours"] == pages["theirs"], pages
    assert "process_max_fds" in pages["ours"] and "python_info{" in pages["ours"], pages
