// Smoke test: import the compiled .mpy library on the MicroPython WebAssembly port.
//
//   node tests/wasm/smoke.mjs .build/mpy/micropython
//
// Copies <dir>/prometheus_express/**/*.mpy (and empty .py files) into the wasm filesystem
// under /lib (on sys.path there), then runs SNIPPET. This port has no socket module, so
// only the metrics, registry and exposition paths are exercised.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";

const PACKAGE = "prometheus_express";

const SNIPPET = `
import prometheus_express
from prometheus_express import CollectorRegistry, Counter, Gauge, generate_latest

mod = getattr(prometheus_express, "__file__", "")
assert mod.endswith(".mpy"), "prometheus_express came from %r, not .mpy" % mod

registry = CollectorRegistry()
c = Counter("c", "A counter.", ["a"], registry=registry)
g = Gauge("g", "A gauge.", ["b"], registry=registry)
c.labels("x").inc()
c.labels("x").inc()
g.labels("y").set(3.5)
out = generate_latest(registry)
if isinstance(out, bytes):
    out = out.decode()
EXPECTED = (
    "# TYPE c_total counter",
    'c_total{a="x"} 2.0',
    "# TYPE g gauge",
    'g{b="y"} 3.5',
)
for line in EXPECTED:
    assert line in out.split("\\n"), "missing %r in:\\n%s" % (line, out)
print("smoke ok")
`;

function* libraryFiles(dir, rel = "") {
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? rel + "/" + entry.name : entry.name;
    if (entry.isDirectory()) {
      yield* libraryFiles(dir, path);
    } else if (entry.name.endsWith(".mpy") || entry.name.endsWith(".py")) {
      yield path;
    }
  }
}

async function main() {
  const dist = process.argv[2];
  if (!dist) {
    console.error("usage: node smoke.mjs DIST_DIR   (e.g. .build/mpy/micropython)");
    return 2;
  }
  const mp = await loadMicroPython({
    stdout: (line) => console.log(line),
    stderr: (line) => console.error(line),
  });

  const root = join(dist, PACKAGE);
  if (!existsSync(root)) {
    console.error(root + " not found: run `make compile` first");
    console.log("0 passed, 1 failed");
    return 1;
  }
  let count = 0;
  for (const rel of libraryFiles(root)) {
    const target = "/lib/" + PACKAGE + "/" + rel;
    let folder = "";
    for (const part of target.split("/").slice(1, -1)) {
      folder += "/" + part;
      if (!mp.FS.analyzePath(folder).exists) mp.FS.mkdir(folder);
    }
    mp.FS.writeFile(target, new Uint8Array(readFileSync(join(root, rel))));
    count += 1;
  }
  if (!count) {
    console.error("no library files found under " + root);
    console.log("0 passed, 1 failed");
    return 1;
  }

  try {
    mp.runPython(SNIPPET);
  } catch (e) {
    // runPython throws a JS PythonError whose message is the Python traceback.
    console.error(e.message || String(e));
    console.log("0 passed, 1 failed");
    return 1;
  }
  console.log("1 passed, 0 failed");
  return 0;
}

process.exitCode = await main();
