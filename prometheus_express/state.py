"""Info and Enum: metrics whose value is a set of labels.

e = Enum("wifi_state", "Wi-Fi state", states=["down", "connecting", "up"])
e.state("up")
"""

from ._port import BOARD
from .exposition import newlines
from .extra_label import sample
from .metrics import MetricWrapperBase, _build_full_name, validate_labelname
from .registry import REGISTRY


def _refuse_unit(metric_type, name, namespace, subsystem, unit):
    # OpenMetrics gives info and stateset families no unit. Checked here rather than in
    # metrics, where every board would hold the check: before anything is registered.
    if unit:
        full_name = _build_full_name(metric_type, name, namespace, subsystem, unit)
        from . import errors

        raise errors.unit_not_allowed(full_name)


class Info(MetricWrapperBase):
    """Key-value facts about the board: firmware, build, chip.

    i = Info("firmware", "Firmware build")
    i.info({"version": "1.2.0"})
    """

    _type = "info"

    def __init__(
        self,
        name,
        documentation,
        labelnames=(),
        namespace="",
        subsystem="",
        unit="",
        registry=REGISTRY,
    ):
        _refuse_unit(self._type, name, namespace, subsystem, unit)
        MetricWrapperBase.__init__(
            self, name, documentation, labelnames, namespace, subsystem, unit, registry
        )

    def _metric_init(self):
        self._value = {}

    def info(self, val):
        """Set the key-value pairs."""
        self._raise_if_not_observable()
        names = self._parent._labelnames
        value = {}
        for k in val:
            if k in names:
                raise ValueError(
                    "Overlapping labels for Info metric, metric: %s child: %s" % (names, val)
                )
            validate_labelname(k)
            if val[k] is None:
                raise ValueError("Label value cannot be None")
            value[k] = newlines(str(val[k]))
        self._value = value

    def _emit(self, out):
        # The info pairs join the child's labels, all sorted by name.
        labels = dict(zip(out.names, out.values))
        labels.update(self._value)
        names = sorted(labels)
        out.child(names, [labels[k] for k in names])
        out.sample("_info", 1)


class Enum(MetricWrapperBase):
    """Which one of a set of states is current; the first state is the default.

    e = Enum("wifi_state", "Wi-Fi state", states=["down", "connecting", "up"])
    e.state("up")
    """

    _type = "stateset"

    def __init__(
        self,
        name,
        documentation,
        labelnames=(),
        namespace="",
        subsystem="",
        unit="",
        registry=REGISTRY,
        states=None,
    ):
        _refuse_unit(self._type, name, namespace, subsystem, unit)
        if name in labelnames:
            raise ValueError("Overlapping labels for Enum metric: %s" % name)
        if not states:
            raise ValueError("No states provided for Enum metric: %s" % name)
        # CR read as a newline, as in label values: the formats cannot carry a CR.
        self._states = tuple(newlines(str(s)) for s in states)
        if len(set(self._states)) != len(self._states):
            raise ValueError("Duplicate states for Enum metric %s: %s" % (name, self._states))
        MetricWrapperBase.__init__(
            self, name, documentation, labelnames, namespace, subsystem, unit, None
        )
        # The state label is named after the metric: the name must be a label name too.
        validate_labelname(self._name)
        if registry:
            registry.register(self)

    def _metric_init(self):
        self._value = 0

    def state(self, state):
        """Make state the current one."""
        self._raise_if_not_observable()
        states = self._parent._states
        if isinstance(state, str):
            state = newlines(state)
        if state not in states:
            raise ValueError("Unknown state %r for %s; expected one of %s" % (state, self, states))
        self._value = states.index(state)

    def _emit(self, out):
        name = self._parent._name
        states = self._parent._states
        for i in range(len(states)):
            sample(out, "", 1 if i == self._value else 0, name, states[i])


if not BOARD:  # dir() and help() list every method
    from .methods import attach

    attach(Info)
    attach(Enum)
