/**
 * Client JavaScript per route, run by scripts/bench.ts (`npm run bench`) from the build output (public/build, made by
 * `npm run build`): for each route in the Remix manifest the server serves (build/index.js names it; the same file is
 * public/build/manifest-VERSION.js), what a browser downloads to open it: the entry (entry.client and its imports), the
 * root route's module and its imports (every page has the root), the route's parents' and the route's own module and
 * imports, each file once, each gzipped on its own with node:zlib (level 6, as a server compresses it). A page's
 * modulepreload links list exactly these files. Resource routes (no default export: downloads, JSON, /healthz) render
 * no page and load no JavaScript; they are listed apart. The budget is 120 KB gzipped per route (1 KB = 1,024 bytes).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

export const BUDGET_BYTES = 120 * 1024;

interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: string;
  imports?: string[];
}

interface Manifest {
  version: string;
  entry: { module: string; imports?: string[] };
  routes: Record<string, ManifestRoute>;
}

export interface RouteJs {
  route: string;
  /** The address pattern (/inspections/:id). */
  path: string;
  files: number;
  rawBytes: number;
  gzipBytes: number;
  /** Of which the route's own files (beyond the entry and the root, which every page shares). */
  ownGzipBytes: number;
  withinBudget: boolean;
}

export interface ClientJsResult {
  manifest: string;
  /** What every page loads: the entry and the root route. */
  shared: { files: number; rawBytes: number; gzipBytes: number };
  routes: RouteJs[];
  resourceRoutes: string[];
  budgetBytes: number;
  /** The offline service worker (public/service-worker.js), installed once, not per route. */
  serviceWorker: { rawBytes: number; gzipBytes: number } | null;
}

/** The manifest the built server serves (its url in build/index.js), read from public/build. */
function readManifest(root: string): { file: string; manifest: Manifest } {
  const server = readFileSync(path.join(root, "build", "index.js"), "utf8");
  const url = /url:\s*"(\/build\/manifest-[A-Za-z0-9]+\.js)"/.exec(server)?.[1];
  if (!url) throw new Error("build/index.js names no Remix manifest (npm run build)");
  const file = path.join(root, "public", url);
  if (!existsSync(file)) throw new Error(`${url}, named by build/index.js, is not in public/build: the build is incomplete or changed during the run (npm run build)`);
  const text = readFileSync(file, "utf8");
  const json = /^window\.__remixManifest=(\{.*\});?\s*$/s.exec(text)?.[1];
  if (!json) throw new Error(`${url} is not a Remix manifest`);
  return { file: path.relative(root, file), manifest: JSON.parse(json) as Manifest };
}

/** The route's source file in app/routes has a default export (a page), or not (a resource route). */
function isPage(root: string, routeId: string): boolean {
  if (routeId === "root") return true;
  const base = path.join(root, "app", routeId);
  for (const ext of [".tsx", ".ts", ".jsx", ".js"]) {
    const file = `${base}${ext}`;
    if (existsSync(file)) return /export\s+default\b/.test(readFileSync(file, "utf8"));
  }
  throw new Error(`no source file for the route ${routeId} (app/${routeId}.tsx)`);
}

export function runClientJs(root: string): ClientJsResult | null {
  if (!existsSync(path.join(root, "build", "index.js"))) {
    console.log("skipped client JavaScript per route: the app is not built (npm run build)");
    return null;
  }
  const { file, manifest } = readManifest(root);
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const size = (url: string) => {
    let s = sizes.get(url);
    if (!s) {
      const full = path.join(root, "public", url);
      if (!existsSync(full)) throw new Error(`${url}, in ${file}, is not in public/build: the build changed during the run (npm run build)`);
      const bytes = readFileSync(full);
      s = { raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length };
      sizes.set(url, s);
    }
    return s;
  };
  const modulesOf = (route: ManifestRoute) => [route.module, ...(route.imports ?? [])];
  const sharedFiles = new Set([manifest.entry.module, ...(manifest.entry.imports ?? []), ...modulesOf(manifest.routes.root!)]);
  const total = (files: Iterable<string>) => [...files].reduce((t, f) => ({ raw: t.raw + size(f).raw, gzip: t.gzip + size(f).gzip }), { raw: 0, gzip: 0 });
  const shared = total(sharedFiles);

  const routes: RouteJs[] = [];
  const resourceRoutes: string[] = [];
  const fullPath = (route: ManifestRoute): string => {
    const parent = route.parentId && route.parentId !== "root" ? manifest.routes[route.parentId] : undefined;
    const own = route.path ?? "";
    const joined = parent ? `${fullPath(parent).replace(/\/$/, "")}/${own}` : `/${own}`;
    return joined.replace(/\/+/g, "/");
  };
  for (const route of Object.values(manifest.routes)) {
    if (route.id === "root") continue;
    if (!isPage(root, route.id)) {
      resourceRoutes.push(fullPath(route));
      continue;
    }
    const files = new Set(sharedFiles);
    for (let r: ManifestRoute | undefined = route; r && r.id !== "root"; r = r.parentId ? manifest.routes[r.parentId] : undefined) {
      for (const f of modulesOf(r)) files.add(f);
    }
    const all = total(files);
    routes.push({
      route: route.id,
      path: fullPath(route),
      files: files.size,
      rawBytes: all.raw,
      gzipBytes: all.gzip,
      ownGzipBytes: all.gzip - shared.gzip,
      withinBudget: all.gzip <= BUDGET_BYTES,
    });
  }
  routes.sort((a, b) => b.gzipBytes - a.gzipBytes || a.path.localeCompare(b.path));
  resourceRoutes.sort();
  const swFile = path.join(root, "public", "service-worker.js");
  const sw = existsSync(swFile) ? readFileSync(swFile) : null;
  const result: ClientJsResult = {
    manifest: file,
    shared: { files: sharedFiles.size, rawBytes: shared.raw, gzipBytes: shared.gzip },
    routes,
    resourceRoutes,
    budgetBytes: BUDGET_BYTES,
    serviceWorker: sw ? { rawBytes: sw.length, gzipBytes: gzipSync(sw, { level: 6 }).length } : null,
  };
  const over = routes.filter((r) => !r.withinBudget);
  console.log(
    `client JavaScript: ${routes.length} pages, the largest ${kb(routes[0]?.gzipBytes ?? 0)} gzipped (${routes[0]?.path ?? "none"}); ${over.length ? `${over.length} over the ${kb(BUDGET_BYTES)} budget` : `all within ${kb(BUDGET_BYTES)}`}`,
  );
  return result;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The "Client JavaScript per route" section of docs/benchmarks.md. */
export function clientJsSection(r: ClientJsResult): string[] {
  const over = r.routes.filter((x) => !x.withinBudget);
  return [
    "",
    "## Client JavaScript per route",
    "",
    `From the build output (\`${r.manifest}\`, the manifest the built server serves): for each page, the JavaScript a browser`,
    "downloads to open it, which is the files its modulepreload links name: the entry (entry.client and its imports), the root",
    "route and its imports (every page has them), and the route's own module and imports (with its parents'), each file",
    "counted once and gzipped on its own with node:zlib at level 6. 1 KB = 1,024 bytes. The budget is",
    `${kb(r.budgetBytes)} gzipped per route: ${over.length === 0 ? `**met** by all ${r.routes.length} pages` : `**not met** by ${over.length} of ${r.routes.length} pages (${over.map((x) => x.path).join(", ")})`}.`,
    "",
    `Every page shares the entry and the root: ${r.shared.files} files, ${kb(r.shared.rawBytes)}, ${kb(r.shared.gzipBytes)} gzipped.` +
      (r.serviceWorker
        ? ` The offline service worker (public/service-worker.js, installed once by a browser that prepares an inspection, not loaded per page) is ${kb(r.serviceWorker.rawBytes)}, ${kb(r.serviceWorker.gzipBytes)} gzipped.`
        : ""),
    "",
    "| route | files | size | gzipped | of which the route's own | budget |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    ...r.routes.map((x) => `| ${x.path} | ${x.files} | ${kb(x.rawBytes)} | ${kb(x.gzipBytes)} | ${kb(x.ownGzipBytes)} | ${x.withinBudget ? "met" : "NOT MET"} |`),
    "",
    `Resource routes (no page, no JavaScript): ${r.resourceRoutes.map((p) => `\`${p}\``).join(", ")}.`,
  ];
}
