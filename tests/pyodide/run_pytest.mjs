// Runs the simulator's unit tests (tests/unit) inside real Pyodide under Node.js,
// against the built wheel — proof that the package works in the browser runtime.
// Usage: node tests/pyodide/run_pytest.mjs SIMULATOR_WHEEL WHEEL_DIR [pytest args...]
// Exit status: pytest's own (0 only if tests ran and all passed; 5 = no tests).
//
// With SITE_STDLIB=path/to/python_stdlib.zip (the trimmed standard library the site ships,
// site_build/stdlib.py), every module imported while the simulator's code runs during the
// tests must be in that zip: else the layer fails, naming the modules the browser would miss.

import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const [wheel, wheelDir, ...pytestArgs] = process.argv.slice(2);
if (!wheel || !wheelDir) {
  console.error("usage: node tests/pyodide/run_pytest.mjs SIMULATOR_WHEEL WHEEL_DIR [pytest args...]");
  process.exit(2);
}

// Node would print Pyodide's whole minified source on an uncaught error: report the message only.
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
function fail(error) {
  console.error(`Pyodide test layer failed: ${error && error.message || error}`);
  process.exit(1);
}

const { loadPyodide } = await import(join(root, "node_modules", "pyodide", "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: join(root, "node_modules", "pyodide") + "/" });
const version = pyodide.runPython("import sys; sys.version.split()[0]");
console.log(`Pyodide ${pyodide.version}, Python ${version}`);

// Install wheels by unpacking them into site-packages: no micropip, no network.
const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
const wheels = [resolve(wheel), ...readdirSync(wheelDir).filter((f) => f.endsWith(".whl")).map((f) => resolve(wheelDir, f))];
for (const path of wheels) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(path)), "wheel", { extractDir: sitePackages });
  console.log(`installed ${path.split("/").pop()}`);
}

// The tests (not the package: that comes from the wheel) are mounted read-only in spirit:
// bytecode and pytest's cache are not written back.
pyodide.FS.mkdirTree("/repo");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root }, "/repo");
pyodide.setStdout({ batched: (line) => console.log(line) });
pyodide.setStderr({ batched: (line) => console.error(line) });

pyodide.globals.set("pytest_args", pyodide.toPy(pytestArgs));
pyodide.globals.set("site_stdlib", process.env.SITE_STDLIB || "");
const status = await pyodide.runPythonAsync(`
import os, sys
sys.dont_write_bytecode = True
os.chdir("/repo")
sys.path[:] = [p for p in sys.path if p not in ("", ".", "/repo", "/home/pyodide")]
class ImportsBySimulator:
    """Records the modules first imported while simulator code is on the stack."""
    seen = set()
    def find_spec(self, fullname, path=None, target=None):
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_globals.get("__name__", "").startswith("simulator"):
                ImportsBySimulator.seen.add(fullname)
                break
            frame = frame.f_back
        return None

sys.meta_path.insert(0, ImportsBySimulator())
import simulator
assert "/site-packages/simulator/" in simulator.__file__, f"simulator imported from {simulator.__file__}, not the wheel"
print("simulator", simulator.__version__, "from", simulator.__file__)

import pytest

class PassCounter:
    passed = 0
    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.passed:
            PassCounter.passed += 1

# pythonpath= is emptied so the tests import the wheel's package, not /repo/simulator.
status = int(pytest.main(["tests/unit", "-p", "no:cacheprovider", "-o", "pythonpath=",
                          "-o", "addopts=--strict-markers", "-q", "-rfE", *pytest_args],
                         plugins=[PassCounter()]))
# A run where nothing passed (no test, or all skipped) proves nothing: it fails.
status = status if status or PassCounter.passed else 5
if status in (0, 1) and site_stdlib:
    import zipfile
    shipped = zipfile.ZipFile("/repo/" + site_stdlib).namelist()
    full = set(zipfile.ZipFile(sys.path[next(i for i, p in enumerate(sys.path) if p.endswith(".zip"))]).namelist())
    def in_zip(names, module):
        path = module.replace(".", "/")
        return f"{path}.py" in names or f"{path}/__init__.py" in names
    shipped = set(shipped)
    missing = sorted(m for m in ImportsBySimulator.seen if in_zip(full, m) and not in_zip(shipped, m))
    print(f"{len(ImportsBySimulator.seen)} module(s) imported by the simulator's code; "
          f"the site's standard library ({site_stdlib}) has every one" if not missing else "")
    if missing:
        print("The site's trimmed standard library lacks modules the simulator imports:", ", ".join(missing))
        status = 1
status
`);
if (status === 5) console.error("No test passed inside Pyodide (none collected or all skipped): this layer fails.");
process.exit(status);
