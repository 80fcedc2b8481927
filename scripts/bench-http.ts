/**
 * HTTP benchmarks, run by scripts/bench.ts (`npm run bench`) when the app is built: the real server (node server.js)
 * on a fresh demo database, driven by autocannon with 50 concurrent connections for a fixed time per page. Each
 * page's throughput is reported as a ratio to a minimal response (/healthz) measured in the same run, because the
 * machines are noisy and the ratio is what compares.
 *
 * Pages: the inspection workspace (the demo's inspection on site, against CAF v3.2 and Cyber Essentials Plus v3.1:
 * the overview with every criterion, one criterion's finding form, and the largest section with a form for each of
 * its criteria), signed in as the visit's lead inspector.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";

export interface HttpResult {
  name: string;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p97_5Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** Throughput as a share of the minimal response's in the same run. */
  ratioToMinimal: number | null;
}

const CONNECTIONS = 50;
const SECONDS = 10;

export async function startServer(root: string, databaseFile: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(root, "server.js")], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0", DEMO_DATA: "on", DATABASE_PATH: databaseFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 120_000);
    child.on("exit", (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
    const onData = (d: Buffer) => {
      output += d;
      const match = /running at http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d: Buffer) => (output += d));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Signs in and returns the session cookie. */
export async function signIn(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/sign-in`, {
    method: "POST",
    headers: { Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: "deep-dive-demo" }),
    redirect: "manual",
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (response.status !== 302 || !cookie) throw new Error(`sign-in as ${email} failed: ${response.status}`);
  return cookie;
}

async function load(name: string, url: string, cookie: string | null): Promise<Omit<HttpResult, "ratioToMinimal">> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: cookie ? { Cookie: cookie } : {} });
  return {
    name,
    connections: CONNECTIONS,
    seconds: SECONDS,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p97_5Ms: result.latency.p97_5,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Runs the HTTP benchmarks, or returns null (with the reason printed) when the app is not built. */
export async function runHttp(root: string, tempDir: string): Promise<HttpResult[] | null> {
  if (!existsSync(path.join(root, "build", "index.js"))) {
    console.log("skipped the HTTP benchmarks: the app is not built (npm run build)");
    return null;
  }
  const databaseFile = path.join(tempDir, "http-bench.sqlite");
  const { url, child } = await startServer(root, databaseFile);
  try {
    // The demo's inspection on site today (both frameworks, some findings recorded by two inspectors) and its lead.
    const db = new Database(databaseFile, { readonly: true });
    const onSite = db
      .prepare(
        `SELECT i.id, u.email FROM inspections i JOIN visit_team_members m ON m.visit_id = i.visit_id AND m.role = 'lead' JOIN users u ON u.id = m.inspector_id
         WHERE i.status = 'on_site' LIMIT 1`,
      )
      .get() as { id: string; email: string } | undefined;
    if (!onSite) throw new Error("the demo has no inspection on site");
    const inspection = onSite.id;
    const criterion = db.prepare("SELECT min(criterion_id) AS id, count(*) AS n FROM findings WHERE inspection_id = ?").get(inspection) as { id: number; n: number };
    // The largest section of CAF: the most forms on one page.
    const section = db
      .prepare(
        `SELECT s.id, s.code, count(*) AS n FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id JOIN framework_sections s ON s.id = c.section_id
         WHERE f.inspection_id = ? GROUP BY s.id ORDER BY n DESC, s.id LIMIT 1`,
      )
      .get(inspection) as { id: number; code: string; n: number };
    db.close();
    const cookie = await signIn(url, onSite.email);

    console.log(`HTTP: ${CONNECTIONS} connections, ${SECONDS} s a page; the workspace has ${criterion.n} criteria`);
    const minimal = await load("minimal response (GET /healthz)", `${url}/healthz`, null);
    const pages = [
      await load(`inspection overview, ${criterion.n} criteria (GET /inspections/:id)`, `${url}/inspections/${inspection}`, cookie),
      await load("one criterion's finding form (GET /inspections/:id/criteria/:id)", `${url}/inspections/${inspection}/criteria/${criterion.id}`, cookie),
      await load(`a section at a time, ${section.code} (${section.n} forms; GET /inspections/:id/sections/:id)`, `${url}/inspections/${inspection}/sections/${section.id}`, cookie),
    ];
    return [minimal, ...pages].map((r) => ({ ...r, ratioToMinimal: minimal.requestsPerSecond > 0 ? r.requestsPerSecond / minimal.requestsPerSecond : null }));
  } finally {
    child.kill();
  }
}
