"""MicroPython packages: the .mpy zip and mip package in dist/, and the root package.json.

    .venv/bin/python build/micropython.py --root-package [--check]   # write (check) package.json

`make bundle` calls build() after build/compile.py has filled .build/mpy/micropython. It writes
- <prefix>-micropython-6.3-mpy-<version>.zip: lib/<package>/... (.mpy) and examples/, laid out
  like the CircuitPython bundles: copy lib/ to the board;
- <prefix>-micropython-6.3-mpy-<version>.json: a mip package whose urls name files next to it
  (<package>.<module>.mpy, one per module), so that, attached to a GitHub release,
  `mip.install("https://github.com/OWNER/REPO/releases/download/TAG/<that json>")` installs the
  compiled library (release assets are one flat folder, hence the dotted names).

The root package.json serves `mip.install("github:OWNER/REPO")` (or `@TAG`): the .py sources,
straight from the repository. It is committed (mip reads it from GitHub), generated from
circup.json and the file list, and a test fails when it is out of date. It names no version: the
same file answers for every tag, and mip does not read one.
"""

import argparse
import json
import sys
import zipfile

import project

ROOT = project.ROOT
ROOT_PACKAGE = ROOT / "package.json"


def _deps(config):
    if config["dependencies"]:
        # circup.json names CircuitPython bundle libraries; their mip names are another matter.
        sys.exit("micropython: circup.json lists dependencies: give them mip names first")
    return []


def _dump(doc):
    """JSON with one url pair a line: readable, and a diff shows the file that came or went."""
    parts = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            inner = ",\n".join("    " + json.dumps(item) for item in value)
            parts.append("  %s: [\n%s\n  ]" % (json.dumps(key), inner))
        else:
            parts.append("  %s: %s" % (json.dumps(key), json.dumps(value)))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def root_package(config):
    """The root package.json as text: every library source, fetched from the repository."""
    package = ROOT / config["package"]
    names = sorted(p.relative_to(ROOT).as_posix() for p in package.rglob("*.py"))
    doc = {"urls": [[name, name] for name in names], "deps": _deps(config)}
    return _dump(doc)


def asset_name(rel):
    """The flat release-asset name of a library file: prometheus_express/a/b.mpy -> p.a.b.mpy."""
    stem, _, suffix = rel.rpartition(".")
    return stem.replace("/", ".") + "." + suffix


def stem(config, version_text):
    return "%s-micropython-%s-mpy-%s" % (
        config["bundle_prefix"],
        config["micropython_mpy"],
        version_text,
    )


def build(out, version_text, tree):
    """Write the zip, the mip package and its files from tree (.build/mpy/micropython)."""
    config = project.load()
    package = tree / config["package"]
    files = sorted(p for p in package.rglob("*") if p.is_file())
    if not files:
        sys.exit("micropython: nothing compiled in %s" % package)
    base = stem(config, version_text)
    zip_path = out / (base + ".zip")
    examples = sorted(
        p for p in (ROOT / "examples").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for path in files:
            bundle.write(path, "%s/lib/%s" % (base, path.relative_to(tree).as_posix()))
        for path in examples:
            rel = path.relative_to(ROOT / "examples").as_posix()
            bundle.write(path, "%s/examples/%s/%s" % (base, config["package"], rel))
        bundle.write(ROOT / "LICENSE", base + "/LICENSE")
    urls = []
    assets = []
    for path in files:
        rel = path.relative_to(tree).as_posix()
        asset = out / asset_name(rel)
        asset.write_bytes(path.read_bytes())
        urls.append([rel, asset.name])
        assets.append(asset)
    doc = {"urls": urls, "deps": _deps(config), "version": version_text}
    json_path = out / (base + ".json")
    json_path.write_text(_dump(doc), encoding="utf-8")
    return zip_path, json_path, assets


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root-package", action="store_true", help="write package.json")
    parser.add_argument("--check", action="store_true", help="only check it is up to date")
    args = parser.parse_args()
    if not args.root_package:
        parser.error("build() is called by build/bundle.py; this command writes package.json")
    text = root_package(project.load())
    current = ROOT_PACKAGE.read_text(encoding="utf-8") if ROOT_PACKAGE.exists() else None
    if args.check:
        if current != text:
            sys.exit("package.json is out of date: run `make package-json`")
        print("package.json is up to date")
    elif current != text:
        ROOT_PACKAGE.write_text(text, encoding="utf-8")
        print("wrote %s" % ROOT_PACKAGE)


if __name__ == "__main__":
    main()
