// Builds the service worker (app/offline/service-worker.ts) into public/service-worker.js, after `remix build`.
//
// The classic Remix compiler has no place for a worker: it must be served from the site's root (so that it may
// control every page) and must not have a hashed name (the browser looks for the same address to find a new
// release). So it is its own esbuild entry, and this step gives it what it cannot find out for itself in the
// browser: a build id, so that each release keeps its caches under new names and drops the old ones, and the list of
// built assets, so that preparing an inspection keeps every script and stylesheet a workspace page may need offline.
// The id is a hash of the built assets' names (content-hashed by Remix) and of the worker's own source.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "app", "offline", "service-worker.ts");
const output = path.join(root, "public", "service-worker.js");
const publicBuild = path.join(root, "public", "build");
// server.js serves GOV.UK Frontend's images and fonts at /assets from here.
const govukAssets = path.join(root, "node_modules", "govuk-frontend", "dist", "govuk", "assets");

if (!readdirSync(publicBuild, { withFileTypes: true }).some((entry) => entry.isFile() && /^manifest-[A-Z0-9]+\.js$/.test(entry.name))) {
  console.error("public/build has no Remix manifest: run `remix build` before building the service worker.");
  process.exit(1);
}

const builtFiles = readdirSync(publicBuild, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => path.relative(publicBuild, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join("/"))
  .sort();

// The GOV.UK assets the built styles and scripts refer to (the crest, the favicon): not all of /assets, which holds
// images the app never shows.
const referencedGovukAssets = new Set();
for (const file of builtFiles.filter((f) => /\.(css|js)$/.test(f))) {
  for (const [reference] of readFileSync(path.join(publicBuild, file), "utf8").matchAll(/\/assets\/[A-Za-z0-9_./-]+/g)) {
    if (existsSync(path.join(govukAssets, reference.slice("/assets/".length)))) referencedGovukAssets.add(reference);
  }
}

const assets = [...builtFiles.map((f) => `/build/${f}`), ...[...referencedGovukAssets].sort()];
const buildId = createHash("sha256")
  .update(JSON.stringify(assets))
  .update(readFileSync(source))
  .digest("hex")
  .slice(0, 12);

await build({
  entryPoints: [source],
  outfile: output,
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  legalComments: "none",
  logLevel: "warning",
  define: { __BUILD_ID__: JSON.stringify(buildId), __BUILD_ASSETS__: JSON.stringify(assets) },
});

console.log(`Service worker built: public/service-worker.js (build ${buildId}, ${assets.length} assets).`);
