/** Remix classic compiler. ESM output; native and heavy modules stay outside the bundle. */
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // No dependency is bundled into the server build: pdfkit and better-sqlite3 must never be.
  serverDependenciesToBundle: [],
  watchPaths: ["db/schema.ts"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
