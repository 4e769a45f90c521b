"""prometheus_client 0.26's public names, against prometheus_express and the README.

A user moving from client_python imports names from its package and from the modules below.
Each such name must be importable from the module of the same name here, or have a row in the
README's table "client_python's names that are not here" that names it, the module, and why.

Which names count as public API (the rule the listing applies):
- in dir() of the module, without a leading underscore;
- bound by the module's own source at its top level (including inside top-level if/try
  blocks): a def, a class, an assignment, or an import from prometheus_client itself (a
  re-export such as `from .registry import REGISTRY`). Names imported from the standard
  library or typing (`Optional`, `os`, `urlparse`) are the module's tools, not its API;
- and not a module (`values`, `openmetrics`: submodules are not names here, and which of
  them dir() shows depends on what was imported before), not a typing construct (the TypeVars
  `F` and `T`, the `CompressionType` alias), and not None (`snappy` when it is missing).

Names here are looked up with getattr, not dir(): several modules resolve names on first use
through a module __getattr__.
"""

import ast
import importlib
import inspect
import pathlib
import types
import typing
from importlib import metadata

import pytest

MODULES = (
    "",
    "core",
    "exposition",
    "registry",
    "metrics",
    "metrics_core",
    "samples",
    "validation",
    "openmetrics.exposition",
    "parser",
    "openmetrics.parser",
)
TABLE_HEADING = "### client_python's names that are not here"
README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def _module(library, name):
    return importlib.import_module(library + "." + name if name else library)


def _label(module):
    return "prometheus_client." + module if module else "prometheus_client"


def _names_bound_in_source(module):
    """The names the module's source binds at top level by def, class, assignment, or by an
    import from prometheus_client."""
    names = set()

    def visit(statements):
        for statement in statements:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(statement.name)
            elif isinstance(statement, ast.Assign):
                for target in statement.targets:
                    for node in ast.walk(target):
                        if isinstance(node, ast.Name):
                            names.add(node.id)
            elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
                if isinstance(statement.target, ast.Name):
                    names.add(statement.target.id)
            elif isinstance(statement, ast.ImportFrom):
                if statement.level or (statement.module or "").startswith("prometheus_client"):
                    for alias in statement.names:
                        names.add(alias.asname or alias.name)
            elif isinstance(statement, ast.If):
                visit(statement.body)
                visit(statement.orelse)
            elif isinstance(statement, ast.Try):
                visit(statement.body)
                for handler in statement.handlers:
                    visit(handler.body)
                visit(statement.orelse)
                visit(statement.finalbody)

    visit(ast.parse(inspect.getsource(module)).body)
    return names


def _is_api_value(value):
    if value is None or isinstance(value, (types.ModuleType, typing.TypeVar)):
        return False
    # Optional[...], Literal[...] and the like; classes (even Protocols) are API.
    return isinstance(value, type) or type(value).__module__ != "typing"


def client_python_names(module):
    """The public names of prometheus_client's module (the rule in this file's docstring)."""
    theirs = _module("prometheus_client", module)
    bound = _names_bound_in_source(theirs)
    names = []
    for name in sorted(dir(theirs)):
        if not name.startswith("_") and name in bound and _is_api_value(getattr(theirs, name)):
            names.append(name)
    return names


def _backticked(cell):
    return [piece for i, piece in enumerate(cell.split("`")) if i % 2 == 1 and piece.strip()]


def readme_rows():
    """The table under TABLE_HEADING: {(name, module): reason}, module as in MODULES."""
    lines = README.read_text(encoding="utf-8").splitlines()
    rows = {}
    if TABLE_HEADING not in lines:
        return rows  # then every missing name is reported, the heading named in the message
    in_table = False
    for line in lines[lines.index(TABLE_HEADING) + 1 :]:
        if line.startswith("#"):
            break  # the next section
        if not line.startswith("|"):
            if in_table:
                break  # the table has ended
            continue
        in_table = True
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if set(cells[0]) <= set("-: "):
            continue  # the line under the header
        if cells[0] == "name":
            continue  # the header
        assert len(cells) == 3, "README row needs name | module | reason: %r" % line
        names, modules, reason = _backticked(cells[0]), _backticked(cells[1]), cells[2]
        assert names and modules, "README row names no `name` or no `module`: %r" % line
        for name in names:
            for module in modules:
                if module == "prometheus_client":
                    module = ""
                elif module.startswith("prometheus_client."):
                    module = module[len("prometheus_client.") :]
                rows[(name, module)] = reason
    return rows


def _ours_has(module, name):
    return hasattr(_module("prometheus_express", module), name)


def test_client_python_is_the_release_the_table_describes():
    release = metadata.version("prometheus_client")
    assert release.startswith("0.26."), (
        "README.md's table describes prometheus_client 0.26; review it for %s" % release
    )


def test_the_listing_keeps_the_api_and_leaves_out_the_tools():
    # The rule in the module docstring, on names whose status is known.
    top = client_python_names("")
    assert {"Counter", "generate_latest", "CONTENT_TYPE_LATEST", "REGISTRY"} <= set(top)
    assert not {"values", "metrics", "exposition"} & set(top)  # submodules
    exposition = client_python_names("exposition")
    assert {"MetricsHandler", "SNAPPY_AVAILABLE", "Collector", "floatToGoString"} <= set(exposition)
    assert not {"Optional", "os", "urlparse", "CompressionType", "snappy"} & set(exposition)
    metrics = client_python_names("metrics")
    assert "Histogram" in metrics and not {"F", "T", "Lock", "TypeVar"} & set(metrics)
    assert client_python_names("samples") == [
        "BucketSpan",
        "Exemplar",
        "NativeHistogram",
        "Sample",
        "Timestamp",
    ]


def test_every_client_python_name_is_here_or_in_the_readme_table():
    rows = readme_rows()
    missing = []
    for module in MODULES:
        for name in client_python_names(module):
            if not _ours_has(module, name) and not rows.get((name, module)):
                missing.append("%s.%s" % (_label(module), name))
    assert not missing, (
        "%d name(s) of prometheus_client 0.26 are neither importable from the same module of "
        "prometheus_express nor in README.md's table %r (name | module | why): %s"
        % (len(missing), TABLE_HEADING, ", ".join(missing))
    )


def test_every_readme_row_names_a_client_python_name_missing_here():
    # A row for a name that client_python's module lacks, or that this library now has, is
    # a stale row: the table must say what is true today.
    stale = []
    for (name, module), reason in sorted(readme_rows().items()):
        if module not in MODULES:
            stale.append("%s: %s is not a module this table covers" % (name, _label(module)))
        elif name not in client_python_names(module):
            stale.append("%s.%s: not a public name of client_python" % (_label(module), name))
        elif _ours_has(module, name):
            stale.append("%s: prometheus_express.%s has it now" % (name, module or "(package)"))
        elif not reason:
            stale.append("%s.%s: no reason given" % (_label(module), name))
    assert not stale, "README.md's table %r has stale rows: %s" % (
        TABLE_HEADING,
        "; ".join(stale),
    )


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_here(module):
    # The table covers names, not modules: every module of the issue must exist here.
    assert _module("prometheus_express", module).__name__.startswith("prometheus_express")
