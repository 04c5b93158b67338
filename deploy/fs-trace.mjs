// Test instrumentation for the deployment runs (deploy/run.ts), loaded with `node --import`:
// appends every path this process writes to or creates ({from, path}, one JSON line) to
// FS_TRACE_FILE, so the tests can check that each is on a volume the manifests mount
// (the images' root filesystems are read-only). Plain JS so it loads before tsx. Records
// paths only, never contents. Chromium's own writes are not seen (another process).

// Test instrumentation for the deployment runs (deploy/run.ts), loaded with `node --import`:
// appends every path this process writes to or creates ({from, path}, one JSON line) to
// FS_TRACE_FILE, so the tests can check that each is on a volume the manifests mount
// (the images' root filesystems are read-only). Plain JS so it loads before tsx. Records
// paths only, never contents. Chromium's own writes are not seen (another process).
import fs, { appendFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { resolve } from "node:path";

const file = process.env.FS_TRACE_FILE;
const from = process.env.FS_TRACE_FROM;
const WRITE_FLAGS = /[wa+]/;

function record(path) {
  if (typeof path !== "string" && !(path instanceof URL) && !Buffer.isBuffer(path)) return;
  const absolute = resolve(path instanceof URL ? path.pathname : String(path));
  // The traces themselves are the test's, not the app's.
  if (absolute === file || absolute === process.env.NET_TRACE_FILE) return;
  appendFileSync(file, `${JSON.stringify({ from, path: absolute })}\n`);
}

/** Wraps `target[name]` so that `pick(args)` (the written paths) are recorded first. */
function wrap(target, name, pick) {
  const original = target[name];
  if (typeof original !== "function") return;
  target[name] = function (...args) {
    for (const path of pick(args)) record(path);
    return original.apply(this, args);
  };
}

if (file && from) {
  const first = (args) => [args[0]];
  const second = (args) => [args[1]];
  const opened = (args) => {
    const flags = typeof args[1] === "string" || typeof args[1] === "number" ? args[1] : "r";
    return typeof flags === "number"
      ? flags & 3
        ? [args[0]]
        : []
      : WRITE_FLAGS.test(flags)
        ? [args[0]]
        : [];
  };
  const stream = (args) => {
    const flags = typeof args[1] === "object" && args[1]?.flags ? args[1].flags : "w";
    return WRITE_FLAGS.test(flags) ? [args[0]] : [];
  };
  // mkdtemp's prefix names the directory it creates in.
  for (const api of [fs, fs.promises]) {
    for (const name of ["writeFile", "appendFile", "mkdir", "mkdtemp", "truncate", "symlink"])
      wrap(api, name, first);
    for (const name of ["rename", "copyFile", "link", "cp"]) wrap(api, name, second);
    wrap(api, "open", opened);
  }
  for (const name of [
    "writeFileSync",
    "appendFileSync",
    "mkdirSync",
    "mkdtempSync",
    "truncateSync",
    "symlinkSync",
  ])
    wrap(fs, name, first);
  for (const name of ["renameSync", "copyFileSync", "linkSync", "cpSync"]) wrap(fs, name, second);
  wrap(fs, "openSync", opened);
  wrap(fs, "createWriteStream", stream);
  // `import { writeFile } from "node:fs/promises"` sees the wrapped functions too.
  syncBuiltinESMExports();
}
