// `npm test`: typecheck, lint, build, then every unit, integration and browser test (vitest).
// Ends with one plain line: "N passed, N failed" (", N skipped" only if anything was skipped).
// The typecheck and the lint each count as one check.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const bin = (name) => path.join("node_modules", ".bin", name);
const run = (label, command, args) => {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, FORCE_COLOR: process.env.CI ? "0" : "1" } });
  console.log(`  ${label}: ${result.status === 0 ? "ok" : "FAILED"} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result.status === 0;
};

let passed = 0;
let failed = 0;
let skipped = 0;

for (const [label, command, args] of [
  ["typecheck", bin("tsc"), ["--noEmit"]],
  ["lint", bin("eslint"), ["--max-warnings=0", "."]],
]) {
  if (run(label, command, args)) passed += 1;
  else failed += 1;
}

if (!run("build", "npm", ["run", "--silent", "build"])) {
  failed += 1;
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(1);
}

const dir = mkdtempSync(path.join(tmpdir(), "deep-dive-test-report-"));
const report = path.join(dir, "vitest.json");
const vitestOk = run("tests", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)]);
try {
  const results = JSON.parse(readFileSync(report, "utf8"));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + results.numTodoTests;
  // A test file that fails to load has no failed test of its own: count the file.
  const brokenFiles = results.testResults.filter((f) => f.status === "failed" && f.assertionResults.every((a) => a.status !== "failed"));
  failed += brokenFiles.length;
  if (!vitestOk && results.numFailedTests === 0 && brokenFiles.length === 0) failed += 1;
} catch {
  failed += 1;
  console.log("The test run produced no report.");
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 && skipped === 0 ? 0 : 1);
