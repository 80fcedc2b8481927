/** Remix classic compiler. ESM output; native and heavy modules stay outside the bundle. */
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // Only GOV.UK Frontend is bundled, so its stylesheet gets a hashed URL; pdfkit and better-sqlite3 must never be.
  serverDependenciesToBundle: [/^govuk-frontend/],
  watchPaths: ["db/schema.ts"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
