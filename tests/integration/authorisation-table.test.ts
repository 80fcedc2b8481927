/**
 * The authorisation table: every route module, and what each kind of user gets from it over real HTTP; and, for
 * routes about one trust's or one visit's objects, what the object's own trust (or team) and another get.
 * The table itself is in tests/support/route-table.ts (the security tests walk it too). A new route module fails
 * this suite until it is added there with its answers, and a loader or action that does not begin with a guard
 * fails the static check below.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedIn, type Client } from "../support/http";
import {
  DEMO_EMAIL,
  ROUTE_TABLE as TABLE,
  SCOPED_TABLE,
  SESSION_SCOPED,
  expectAnswer,
  fillUrl,
  prepareRouteFixtures,
  routeFilePath,
  routeFiles as listRouteFiles,
  type RouteFixtures,
  type Who,
} from "../support/route-table";
import { startServer, type RunningServer } from "../support/server";

const routeFiles = listRouteFiles();

describe("every route module is in the authorisation table", () => {
  it("has a row for each route file, and no row for a file that does not exist", () => {
    expect(routeFiles.filter((f) => !(f in TABLE)), "route files missing from the table").toEqual([]);
    expect(Object.keys(TABLE).filter((f) => !routeFiles.includes(f)), "rows for missing files").toEqual([]);
  });

  it.each(routeFiles)("%s: each loader and action begins with a guard (or the route is public)", (file) => {
    const source = readFileSync(routeFilePath(file), "utf8");
    const row = TABLE[file];
    for (const kind of ["loader", "action"] as const) {
      const match = new RegExp(`export (?:async )?function ${kind}\\s*\\([^)]*\\)[^{]*\\{\\s*\\n([^\\n]*)`).exec(source);
      const exported = new RegExp(`export (?:async )?function ${kind}\\b|export const ${kind}\\b`).test(source);
      if (!exported) {
        expect(row?.[kind === "loader" ? "get" : "post"] === undefined || kind === "loader", `${file} ${kind} in table but not exported`).toBe(true);
        continue;
      }
      if (row?.public) continue;
      expect(match, `${file}: ${kind} should be a function declaration`).not.toBeNull();
      expect(match![1], `${file}: the first line of ${kind} must call a guard`).toMatch(/\brequire(User|Role|Staff|TrustUser)\(/);
    }
  });
});

describe("every route about one trust's or one visit's objects is in the own/other table", () => {
  it("has a row for each portal route (or it is scoped by the session alone), and only rows for routes that exist", () => {
    const portal = routeFiles.filter((f) => f.startsWith("portal."));
    expect(portal.filter((f) => !(f in SCOPED_TABLE) && !(SESSION_SCOPED as readonly string[]).includes(f)), "portal routes missing").toEqual([]);
    expect(Object.keys(SCOPED_TABLE).filter((f) => !routeFiles.includes(f)), "rows for missing files").toEqual([]);
  });
});

let server: RunningServer;
let fixtures: RouteFixtures;

beforeAll(async () => {
  server = await startServer();
  fixtures = await prepareRouteFixtures(server);
});
afterAll(async () => {
  await server?.stop();
});

describe("what each kind of user gets", () => {
  const cases = Object.entries(TABLE).flatMap(([file, row]) =>
    (["get", "post"] as const).flatMap((method) =>
      Object.entries(row[method] ?? {}).map(([who, answer]) => ({ file, url: row.url, method, who: who as Who, answer })),
    ),
  );

  it.each(cases)("$method $url as $who → $answer", async ({ file, url, method, who, answer }) => {
    const target = fillUrl(url, fixtures.ids);
    // Signing out ends the session it is sent with, so it gets a session of its own.
    const client = file === "sign-out.tsx" && who !== "anonymous" ? await signedIn(server.url, DEMO_EMAIL[who]) : fixtures.clients[who];
    // An empty POST: enough to reach the guard, never enough to change anything.
    const response = method === "get" ? await client.get(target) : await client.post(target, {});
    await expectAnswer(response, answer, { download: TABLE[file]!.download });
  });
});

describe("what the object's own trust (or team) and another get", () => {
  const cases = Object.entries(SCOPED_TABLE).flatMap(([file, row]) => row.cases.map((c) => ({ file, url: row.url, ...c })));
  const clients = new Map<string, Client>();
  const clientOf = async (email: string) => {
    if (!clients.has(email)) clients.set(email, await signedIn(server.url, email));
    return clients.get(email)!;
  };

  it.each(cases)("$method $url as $as ($email) → $answer", async ({ file, url, email, method, answer }) => {
    const client = await clientOf(email);
    const target = fillUrl(url, fixtures.ids);
    const response = method === "get" ? await client.get(target) : await client.post(target, {});
    await expectAnswer(response, answer, { download: SCOPED_TABLE[file]!.download });
  });
});
