/**
 * The service worker's foundation over real HTTP (issue 7, docs/decisions/0020-offline-browser-storage.md): the
 * worker script is served from the root, revalidated on every check (so a release reaches browsers), allowed to
 * control the whole site, and built with its build id; pages allow a same-origin worker; and signing out, with or
 * without JavaScript, tells the browser to clear its cache and storage (the prepared pages, the outbox and the
 * worker's registration).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("the service worker script", () => {
  it("is JavaScript from the root, never cached without revalidating, allowed the whole site, with its build id filled in", async () => {
    const response = await new Client(server.url).get("/service-worker.js");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^(application|text)\/javascript/);
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("service-worker-allowed")).toBe("/");
    const script = await response.text();
    expect(script).not.toContain("__BUILD_ID__");
    expect(script).toMatch(/deep-dive-assets-[0-9a-f]{12}|"[0-9a-f]{12}"/);
  });

  it("may be registered by the app's pages: their policy allows a same-origin worker", async () => {
    const csp = (await new Client(server.url).get("/sign-in")).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("worker-src 'self'");
  });
});

describe("signing out", () => {
  const CLEAR = '"cache", "storage"';

  it("tells the browser to clear its cache and storage, as a form post (no JavaScript)", async () => {
    const client = await signedIn(server.url, "inspector1@deepdive.test");
    const response = await client.post("/sign-out", {});
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/sign-in?signedOut=1");
    expect(response.headers.get("clear-site-data")).toBe(CLEAR);
  });

  it("and as the app posts it with JavaScript on (Remix's single fetch)", async () => {
    const client = await signedIn(server.url, "inspector2@deepdive.test");
    const response = await client.post("/sign-out.data", {});
    expect(response.status).toBeLessThan(400);
    expect(response.headers.get("clear-site-data")).toBe(CLEAR);
  });

  it("and when nobody is signed in", async () => {
    const response = await new Client(server.url).post("/sign-out", {});
    expect(response.headers.get("clear-site-data")).toBe(CLEAR);
  });
});
