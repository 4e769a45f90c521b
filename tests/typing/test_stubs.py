"""The .pyi stubs against the package as CPython runs it: every name a stub declares exists,
and each function and method takes the parameters the stub gives it (names, kinds, which have
defaults). mypy (`make lint`) checks the stubs against their users; this checks them against
the code, so a changed signature cannot leave its stub behind.
"""

import ast
import importlib
import inspect
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "prometheus_express"
STUBS = sorted(PACKAGE.rglob("*.pyi"))


def _module_name(stub):
    parts = stub.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stub_params(node):
    # (name, kind, has default) as inspect.Parameter would describe the stub's def.
    a = node.args
    params = []
    positional = a.posonlyargs + a.args
    first_default = len(positional) - len(a.defaults)
    for i, arg in enumerate(positional):
        kind = "POSITIONAL_ONLY" if arg in a.posonlyargs else "POSITIONAL_OR_KEYWORD"
        params.append((arg.arg, kind, i >= first_default))
    if a.vararg:
        params.append((a.vararg.arg, "VAR_POSITIONAL", False))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        params.append((arg.arg, "KEYWORD_ONLY", default is not None))
    if a.kwarg:
        params.append((a.kwarg.arg, "VAR_KEYWORD", False))
    return params


def _runtime_params(func):
    return [
        (p.name, p.kind.name, p.default is not inspect.Parameter.empty)
        for p in inspect.signature(func).parameters.values()
    ]


# Set on the instance, not the class: start_http_server() gives the server client_python's
# wsgiref names (threaded.py).
_INSTANCE_METHODS = ("MetricsServer.server_close",)


def _class_attribute(cls, name):
    """The attribute as the class holds it; a board's seldom-used methods (methods.py) as the
    class gains them on first use, since MetricWrapperBase itself is not given them at import."""
    try:
        return inspect.getattr_static(cls, name)
    except AttributeError:
        from prometheus_express import methods

        return inspect.getattr_static(getattr(methods, cls._methods), name)


def _private(name):
    return name.startswith("_") and not name.startswith("__")


def _check_def(node, runtime, where, problems):
    if isinstance(runtime, classmethod):
        runtime = runtime.__func__
    if not callable(runtime):
        problems.append("%s: not callable at runtime" % where)
        return
    stub = _stub_params(node)
    actual = _runtime_params(runtime)
    if stub != actual:
        problems.append("%s: stub %s, code %s" % (where, stub, actual))


def _check_kwargs_options(node, runtime, where, problems):
    # start_http_server(..., **options): the stub names the options MetricsServer takes.
    stub = _stub_params(node)
    actual = _runtime_params(runtime)
    if actual[-1][1] != "VAR_KEYWORD":
        problems.append("%s: stub %s, code %s" % (where, stub, actual))


@pytest.mark.parametrize("stub", STUBS, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_stub_matches_the_code(stub):
    module = importlib.import_module(_module_name(stub))
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    problems = []
    for node in tree.body:
        names = []
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, ast.AnnAssign):
            names = [node.target.id]
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets]
        elif isinstance(node, ast.ImportFrom):
            names = [a.asname for a in node.names if a.asname]  # re-exports only
        for name in names:
            if not _private(name) and not hasattr(module, name):
                problems.append("%s.%s: not in the module" % (module.__name__, name))
        if isinstance(node, ast.FunctionDef):
            runtime = getattr(module, node.name)
            where = "%s.%s" % (module.__name__, node.name)
            if node.args.kwonlyargs and node.name == "start_http_server":
                _check_kwargs_options(node, runtime, where, problems)
            else:
                _check_def(node, runtime, where, problems)
        elif isinstance(node, ast.ClassDef) and not _private(node.name):
            cls = getattr(module, node.name)
            for item in node.body:
                where = "%s.%s.%s" % (module.__name__, node.name, getattr(item, "name", "?"))
                qualified = "%s.%s" % (node.name, getattr(item, "name", "?"))
                if isinstance(item, ast.FunctionDef) and qualified not in _INSTANCE_METHODS:
                    try:
                        runtime = _class_attribute(cls, item.name)
                    except AttributeError:
                        problems.append("%s: not in the class" % where)
                        continue
                    _check_def(item, runtime, where, problems)
    assert problems == []


def test_package_stub_declares_every_name_the_package_offers():
    import prometheus_express
    from prometheus_express import _lazy

    offered = set()
    for _, names in _lazy._LAZY:  # on CPython, with _cpython.py's rows
        offered.update(names.split())
    for name in vars(prometheus_express):
        value = getattr(prometheus_express, name)
        if not name.startswith("_") and not inspect.ismodule(value):
            offered.add(name)
    tree = ast.parse((PACKAGE / "__init__.pyi").read_text(encoding="utf-8"))
    declared = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            declared.update(a.asname for a in node.names)
        elif isinstance(node, ast.AnnAssign):
            declared.add(node.target.id)
    assert sorted(offered - declared) == []
    assert sorted(declared - offered) == []
    for name in declared:
        getattr(prometheus_express, name)  # each loads


def test_py_typed_marks_the_package():
    assert (PACKAGE / "py.typed").is_file()
