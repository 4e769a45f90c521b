"""The exceptions raised for API misuse, with messages that say what to fix.

raise errors.invalid_metric_name(name)   # from a check that failed
This module loads only when one is raised: on a board, each long message would otherwise be a
string in RAM from import on.
"""


class DuplicateTimeseries(ValueError):
    """Raised by register() for a time series the registry already has."""


def invalid_metric_name(name):
    return ValueError(
        "Invalid metric name %r: use letters, digits, '_' and ':', not starting with a digit"
        % (name,)
    )


def invalid_label_name(name):
    return ValueError(
        "Invalid label name %r: use letters, digits and '_', not starting with a digit" % (name,)
    )


def reserved_label_name(name, for_this_type):
    if for_this_type:
        return ValueError("Reserved label name %r for this metric type" % (name,))
    return ValueError(
        "Reserved label name %r: names starting with '__' are Prometheus' own" % (name,)
    )


def empty_metric_name():
    return ValueError("Metric name should not be empty")


def unit_not_allowed(full_name):
    return ValueError("Metric name is of a type that cannot have a unit: " + full_name)


def duplicate_label_name(label, metric_name):
    return ValueError("Duplicate label name %r in %s" % (label, metric_name))


def missing_label_values(metric_type):
    return ValueError("%s metric is missing label values: call labels() first" % metric_type)


def negative_increment(amount):
    return ValueError(
        "Counters can only be incremented by non-negative amounts, not %r" % (amount,)
    )


def no_such_attribute(obj, name):
    return AttributeError("'%s' object has no attribute '%s'" % (type(obj).__name__, name))


def not_a_parent(metric):
    # labels() on a child, or on a metric without label names.
    if metric._labelvalues:
        return ValueError(
            "%s already has labels set %s; can not chain calls to .labels()"
            % (metric, metric._labelvalues)
        )
    return ValueError("No label names were set when constructing %s" % metric)


def wrong_labels(names, values, kwargs):
    # labels() given values that do not match the label names.
    if values and kwargs:
        return ValueError("Can't pass both *args and **kwargs")
    if kwargs:
        return ValueError(
            "Incorrect label names: expected %s, got %s" % (list(names), sorted(kwargs))
        )
    return ValueError(
        "Incorrect label count: expected %d values for %s, got %d"
        % (len(names), list(names), len(values))
    )


def duplicate_series(names):
    return DuplicateTimeseries("Duplicated timeseries in CollectorRegistry: %s" % names)


def no_socket_module():
    return ValueError(
        "this port has no socket module: pass socket_pool, for example "
        "socketpool.SocketPool(wifi.radio)"
    )


def buffer_too_small(minimum):
    return ValueError("buffer_size must be at least %d" % minimum)


def labelnames_not_a_list(labelnames):
    return TypeError(
        "label names must be a list or tuple of names, not the string %r; for one label, "
        "write [%r]" % (labelnames, labelnames)
    )


def port_out_of_range(port):
    return ValueError("port must be 0 to 65535, not %r" % (port,))


def cannot_listen(addr, port, error):
    """The bind() or listen() error, naming the address it was for."""
    from ._sockets import error_number

    return OSError(error_number(error), "cannot listen on %s:%s: %s" % (addr, port, error))


def print_traceback(e):
    """Show the exception a scrape failed on, with its traceback where the port has one."""
    import sys

    print("prometheus_express: collecting the metrics failed:")
    show = getattr(sys, "print_exception", None)  # MicroPython
    if show is None:
        try:
            from traceback import print_exception as show  # CPython, CircuitPython
        except ImportError:  # a small build with neither
            print(repr(e))
            return
    show(e)


def cpython_only(module, needs, instead=None):
    """The ImportError of one of client_python's CPython helpers, imported on a board."""
    return ImportError(
        "%s runs on CPython only (it needs %s): on MicroPython and CircuitPython, %s"
        % (
            module,
            needs,
            instead
            or "serve with start_http_server or MetricsServer, or mount metrics_route from "
            "prometheus_express.integrations",
        )
    )
