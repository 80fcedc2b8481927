// `npm test`: typecheck, lint, build, then every unit, integration and browser test (vitest).
// Ends with one plain line: "N passed, N failed" (", N skipped" only if anything was skipped).
// The typecheck and the lint each count as one check.
import { spawn, spawnSync } from "node:child_process";
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

/** Runs a check with its output held back, so two can run side by side and still print one after the other. */
const runQuietly = (label, command, args) =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { env: { ...process.env, FORCE_COLOR: process.env.CI ? "0" : "1" } });
    const output = [];
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    child.on("close", (status) => {
      console.log(`\n▶ ${label}`);
      process.stdout.write(Buffer.concat(output));
      console.log(`  ${label}: ${status === 0 ? "ok" : "FAILED"} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      resolve(status === 0);
    });
  });

// The typecheck, the lint and the build side by side: each is mostly one core's work, and none writes what another reads.
const [typecheckOk, lintOk, buildOk] = await Promise.all([
  runQuietly("typecheck", bin("tsc"), ["--noEmit"]),
  runQuietly("lint", bin("eslint"), ["--max-warnings=0", "."]),
  runQuietly("build", "npm", ["run", "--silent", "build"]),
]);
for (const ok of [typecheckOk, lintOk]) {
  if (ok) passed += 1;
  else failed += 1;
}
if (!buildOk) {
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
