// The HTTP server: security headers, cross-site POST refusal, static assets, then Remix.
// Start-up (migrations, reference data, demo seed) runs in the app's boot() before it listens.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import express from "express";
import helmet from "helmet";

const here = path.dirname(fileURLToPath(import.meta.url));
const build = await import(path.join(here, "build", "index.js"));
const { boot, startCalendarJobs } = build.entry.module;

const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);

const startup = await boot();
// Hourly: today's action indicators for the risk model (actions fall overdue with the calendar alone).
startCalendarJobs();

const app = express();
app.disable("x-powered-by");
if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);

app.use((req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
});

app.use(
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", (_req, res) => `'nonce-${res.locals.cspNonce}'`],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        // The offline service worker (public/service-worker.js); said outright rather than left to script-src.
        "worker-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
      },
    },
    // HSTS only means something over HTTPS; it is added below when the request came over TLS.
    strictTransportSecurity: false,
    referrerPolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
  }),
);

app.use((req, res, next) => {
  if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});

// Refuse state-changing requests that a browser says came from another site (ASVS 3.5.1, 3.5.3).
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const origin = req.get("origin");
  const fetchSite = req.get("sec-fetch-site");
  const ownOrigin = `${req.protocol}://${req.get("host")}`;
  const crossSite = origin ? origin !== ownOrigin : fetchSite === "cross-site" || fetchSite === "same-site";
  if (crossSite) {
    res.status(403).type("text/plain").setHeader("Cache-Control", "no-store").send("Cross-site request refused");
    return;
  }
  next();
});

// Request bodies are bounded before anything reads them (ASVS 15.1.3; docs/security.md): forms 1 MB; multipart
// uploads (evidence photos, CSV and framework files, each capped at 20 MB by its own check) 25 MB. Browsers always say
// a form's length, so a body that does not say it is refused (411) rather than read without a known end.
const FORM_BODY_LIMIT = 1_000_000;
const UPLOAD_BODY_LIMIT = 25_000_000;
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const declared = req.get("content-length");
  const refuse = (status, text) => res.status(status).type("text/plain").setHeader("Cache-Control", "no-store").send(text);
  if (declared === undefined) return req.get("transfer-encoding") ? refuse(411, "Length required") : next();
  const limit = (req.get("content-type") ?? "").startsWith("multipart/form-data") ? UPLOAD_BODY_LIMIT : FORM_BODY_LIMIT;
  if (!/^\d+$/.test(declared) || Number(declared) > limit) return refuse(413, "Request too large");
  next();
});

// The service worker (built from app/offline/service-worker.ts): revalidated on every check, so a release reaches
// browsers at their next visit, and allowed to control the whole site from the root.
app.get("/service-worker.js", (req, res, next) => {
  res.sendFile(
    path.join(here, "public", "service-worker.js"),
    { cacheControl: false, headers: { "Cache-Control": "no-cache", "Service-Worker-Allowed": "/" } },
    (error) => error && next(error.code === "ENOENT" ? undefined : error),
  );
});

const immutable = { immutable: true, maxAge: "1y", index: false };
app.use("/build", express.static(path.join(here, "public", "build"), immutable));
app.use(
  "/assets",
  express.static(path.join(here, "node_modules", "govuk-frontend", "dist", "govuk", "assets"), { maxAge: "1d", index: false }),
);
app.use(express.static(path.join(here, "public"), { maxAge: "1h", index: false }));

// Every page may show signed-in data: nothing from the app is stored by browsers or proxies.
app.use((req, res, next) => {
  res.setHeader("Cache-Control", "no-store");
  next();
});

app.all(
  "*",
  createRequestHandler({
    build,
    getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce, clientAddress: req.ip ?? "unknown" }),
  }),
);

// Errors that happen before Remix has the request (an address whose percent-encoding is malformed, say): a generic
// page that keeps the site's headers. Express's own handler would replace the security policy with its own (no
// frame-ancestors, no base-uri) and, outside production, print the stack trace.
app.use((error, req, res, next) => {
  const status = Number(error?.status ?? error?.statusCode);
  const clientError = Number.isInteger(status) && status >= 400 && status < 500;
  if (!clientError) console.error(error);
  if (res.headersSent) return next(error);
  res
    .status(clientError ? status : 500)
    .set("Cache-Control", "no-store")
    .type("html")
    .send(
      clientError
        ? '<!DOCTYPE html><html lang="en-GB"><title>There is a problem with the request – Deep Dive</title><h1>There is a problem with the request</h1><p>Go back and try again.</p></html>'
        : '<!DOCTYPE html><html lang="en-GB"><title>Sorry, there is a problem with the service – Deep Dive</title><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></html>',
    );
});

const server = app.listen(port, host, () => {
  const address = server.address();
  const shownHost = host.includes(":") ? `[${host}]` : host === "127.0.0.1" ? "localhost" : host;
  const url = `http://${shownHost}:${typeof address === "object" && address ? address.port : port}`;
  console.log(`Deep Dive is running at ${url}`);
  for (const line of startup.messages) console.log(line);
});

server.on("error", (error) => {
  if (error.code === "EADDRINUSE") console.error(`Port ${port} on ${host} is already in use. Stop the other server or set PORT.`);
  else console.error(error);
  process.exit(1);
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
