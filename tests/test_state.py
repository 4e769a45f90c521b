"""prometheus_express.state: Info and Enum."""

from support import LegacyNames, lines, om_page, raises, text_page

from prometheus_express import CollectorRegistry
from prometheus_express.state import Enum, Info


def _samples(registry):
    return [(s.name, s.labels, s.value) for m in registry.collect() for s in m.samples]


# --- Info -------------------------------------------------------------------------------


def test_info_starts_empty():
    r = CollectorRegistry()
    Info("build", "d", registry=r)
    assert _samples(r) == [("build_info", {}, 1)]


def test_info_sets_label_pairs():
    r = CollectorRegistry()
    i = Info("build", "d", registry=r)
    i.info({"version": "1.2.0", "board": "pico"})
    assert _samples(r) == [("build_info", {"version": "1.2.0", "board": "pico"}, 1)]
    i.info({"version": "1.3.0"})
    assert _samples(r) == [("build_info", {"version": "1.3.0"}, 1)]


def test_info_values_become_strings():
    r = CollectorRegistry()
    Info("build", "d", registry=r).info({"major": 1})
    assert _samples(r) == [("build_info", {"major": "1"}, 1)]


def test_info_refuses_bad_pairs():
    i = Info("build", "d", ["board"], registry=None)
    child = i.labels("pico")
    e = raises(ValueError, child.info, {"board": "x"})
    assert "Overlapping" in str(e)
    raises(ValueError, child.info, {"__x": "x"})
    raises(ValueError, child.info, {"": "x"})
    with LegacyNames():
        raises(ValueError, child.info, {"bad-name": "x"})
    e = raises(ValueError, child.info, {"v": None})
    assert "None" in str(e)
    e = raises(ValueError, i.info, {"v": "1"})
    assert "missing label values" in str(e)


def test_info_with_labels_merges_sorted():
    r = CollectorRegistry()
    i = Info("build", "d", ["zone"], registry=r)
    i.labels("eu").info({"version": "1", "arch": "arm"})
    assert _samples(r) == [("build_info", {"zone": "eu", "version": "1", "arch": "arm"}, 1)]
    assert lines(text_page(r))[2] == 'build_info{arch="arm",version="1",zone="eu"} 1.0'


def test_info_formats():
    r = CollectorRegistry()
    Info("build", "Firmware build.", registry=r).info({"version": "1.2.0"})
    assert lines(text_page(r)) == [
        "# HELP build_info Firmware build.",
        "# TYPE build_info gauge",
        'build_info{version="1.2.0"} 1.0',
    ]
    assert lines(om_page(r)) == [
        "# HELP build Firmware build.",
        "# TYPE build info",
        'build_info{version="1.2.0"} 1.0',
        "# EOF",
    ]


def test_info_has_no_created():
    r = CollectorRegistry()
    Info("build", "d", registry=r)
    assert "_created" not in text_page(r, created=True)


# --- Enum -------------------------------------------------------------------------------


def test_enum_starts_in_the_first_state():
    r = CollectorRegistry()
    Enum("wifi", "d", states=["down", "connecting", "up"], registry=r)
    assert _samples(r) == [
        ("wifi", {"wifi": "down"}, 1),
        ("wifi", {"wifi": "connecting"}, 0),
        ("wifi", {"wifi": "up"}, 0),
    ]


def test_enum_state():
    r = CollectorRegistry()
    e = Enum("wifi", "d", states=["down", "connecting", "up"], registry=r)
    e.state("up")
    assert [s[2] for s in _samples(r)] == [0, 0, 1]
    e.state("down")
    assert [s[2] for s in _samples(r)] == [1, 0, 0]


def test_enum_unknown_state():
    e = Enum("wifi", "d", states=["down", "up"], registry=None)
    err = raises(ValueError, e.state, "sideways")
    assert "sideways" in str(err)


def test_enum_needs_states():
    raises(ValueError, Enum, "wifi", "d", registry=None)
    raises(ValueError, Enum, "wifi", "d", states=[], registry=None)


def test_enum_name_cannot_be_a_label_name():
    e = raises(ValueError, Enum, "wifi", "d", ["wifi"], states=["a"], registry=None)
    assert "Overlapping" in str(e)


def test_enum_with_labels():
    r = CollectorRegistry()
    e = Enum("mode", "d", ["zone", "app"], states=["off", "on"], registry=r)
    e.labels("eu", "pump").state("on")
    assert _samples(r) == [
        ("mode", {"zone": "eu", "app": "pump", "mode": "off"}, 0),
        ("mode", {"zone": "eu", "app": "pump", "mode": "on"}, 1),
    ]
    # The state label sorts among the others.
    assert lines(text_page(r))[2:] == [
        'mode{app="pump",mode="off",zone="eu"} 0.0',
        'mode{app="pump",mode="on",zone="eu"} 1.0',
    ]
    err = raises(ValueError, e.state, "on")
    assert "missing label values" in str(err)


def test_enum_formats():
    r = CollectorRegistry()
    Enum("wifi", "Wi-Fi state.", states=["down", "up"], registry=r).state("up")
    assert lines(text_page(r)) == [
        "# HELP wifi Wi-Fi state.",
        "# TYPE wifi gauge",
        'wifi{wifi="down"} 0.0',
        'wifi{wifi="up"} 1.0',
    ]
    assert lines(om_page(r)) == [
        "# HELP wifi Wi-Fi state.",
        "# TYPE wifi stateset",
        'wifi{wifi="down"} 0.0',
        'wifi{wifi="up"} 1.0',
        "# EOF",
    ]


def test_enum_state_values_are_escaped():
    r = CollectorRegistry()
    Enum("m", "d", states=['say "hi"', "a\\b"], registry=r)
    assert lines(text_page(r))[2:] == ['m{m="say \\"hi\\""} 1.0', 'm{m="a\\\\b"} 0.0']
