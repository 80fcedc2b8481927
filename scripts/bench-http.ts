/**
 * HTTP benchmarks, run by scripts/bench.ts (`npm run bench`) when the app is built: the real server (node server.js)
 * on a fresh demo database, driven by autocannon with 50 concurrent connections for a fixed time per page. Each
 * page's throughput is reported as a ratio to a minimal response (GET /healthz) measured in the same run, before the
 * pages and again after them, because the machines are noisy and the ratio is what compares.
 *
 * Pages (the busiest, issue 8), each as the person who uses it:
 * - the risk ranking (/risk) and the schedule of the drawn round with the most visits (/selection/:id/schedule, the
 *   table a programme lead plans from), as the programme lead;
 * - the inspection workspace (the demo's inspection on site, against CAF v3.2 and Cyber Essentials Plus v3.1: the
 *   overview with every criterion, one criterion's finding form, and the largest section with a form for each of its
 *   criteria), as the visit's lead inspector;
 * - the portal home (/portal) and the download of RJ1's latest published report (the stored PDF), as RJ1's trust user.
 *
 * Every page is fetched once before it is loaded and must answer 200 (the PDF with application/pdf): a benchmark that
 * measured refusals or redirects would be worthless, so anything else stops the run. The latency percentiles are
 * computed here from every response's own time (autocannon's per-response "response" event, in milliseconds from
 * process.hrtime), nearest-rank over the sorted list: autocannon's summary has no p95.
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
  /** Who the page was loaded as ("" for no one). */
  as: string;
  /** The responses received (all statuses) and their latency percentiles, nearest-rank. */
  responses: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** Throughput as a share of the minimal response's in the same run (the mean of its two measurements). */
  ratioToMinimal: number | null;
  /** True for the minimal response itself. */
  minimal: boolean;
}

/** The demo database the server seeds, in the bench's temporary folder (the report benchmarks read it afterwards). */
export const HTTP_DATABASE = "http-bench.sqlite";
const CONNECTIONS = 50;
/** Seconds a page; BENCH_HTTP_SECONDS changes it for a quick look (docs/benchmarks.md says what a run used). */
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS) > 0 ? Number(process.env.BENCH_HTTP_SECONDS) : 8;

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
  const post = (pathname: string, fields: Record<string, string>, cookie?: string) =>
    fetch(`${url}${pathname}`, {
      method: "POST",
      headers: { Origin: url, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
      body: new URLSearchParams(fields),
      redirect: "manual",
    });
  const cookieNamed = (response: Response, name: string) =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .find((pair) => pair.startsWith(`${name}=`) && !pair.endsWith("="));
  const response = await post("/sign-in", { email, password: "deep-dive-demo" });
  const session = cookieNamed(response, "deep-dive-session");
  if (response.status === 302 && session) return session;
  const challenge = cookieNamed(response, "deep-dive-sign-in");
  if (response.status !== 302 || response.headers.get("location") !== "/sign-in/code" || !challenge) {
    throw new Error(`sign-in as ${email} failed: ${response.status}`);
  }
  // Staff: the second step as a person trying the demo does it, with the code the demo's sign-in page shows. Each code
  // is accepted once, so an account signed in again within the same 30 seconds waits for the next one.
  for (let attempt = 0; attempt < 4; attempt++) {
    const page = await (await fetch(`${url}/sign-in/code`, { headers: { Cookie: challenge } })).text();
    const code = /class="app-demo-code">(\d{6})</.exec(page)?.[1];
    if (!code) throw new Error(`sign-in as ${email}: no demo code shown (is the server in demo mode?)`);
    const answer = await post("/sign-in/code", { code }, challenge);
    const signedIn = cookieNamed(answer, "deep-dive-session");
    if (answer.status === 302 && signedIn) return signedIn;
    if (answer.status !== 400) break;
    await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 100));
  }
  throw new Error(`sign-in as ${email} failed at the second step`);
}

/** The value at quantile `q` of ascending `sorted` (nearest-rank), or 0 when there is none. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

interface Page {
  name: string;
  path: string;
  /** Who loads it, and their session cookie (none for the minimal response). */
  as: string;
  cookie: string | null;
  /** The content type the page must answer with (its start). */
  type: string;
}

/** Fetches the page once as its user: anything but a 200 of the expected type stops the benchmarks. */
async function check(url: string, page: Page): Promise<void> {
  const response = await fetch(`${url}${page.path}`, { headers: page.cookie ? { Cookie: page.cookie } : {}, redirect: "manual" });
  await response.arrayBuffer();
  const type = response.headers.get("content-type") ?? "";
  if (response.status !== 200 || !type.startsWith(page.type)) {
    const location = response.headers.get("location");
    throw new Error(
      `${page.name}: GET ${page.path}${page.as ? ` as ${page.as}` : ""} answered ${response.status} (${location ? `to ${location}` : type || "no content type"}), not 200 ${page.type}; ` +
        `the load benchmark would measure that answer instead of the page, so it stops here` +
        (location?.startsWith("/sign-in") ? " (the session from signIn() is not signed in)" : ""),
    );
  }
}

/**
 * Waits until the server has worked through what the last load left in flight: when autocannon stops, up to 50
 * requests are still queued in the server, and they would otherwise be served inside the next page's time. Done when
 * a GET /healthz is answered within 50 ms (at most 60 s).
 */
async function settle(url: string): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    const started = performance.now();
    await (await fetch(`${url}/healthz`)).arrayBuffer();
    if (performance.now() - started < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function load(url: string, page: Page): Promise<Omit<HttpResult, "ratioToMinimal" | "minimal">> {
  await settle(url);
  await check(url, page);
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: `${url}${page.path}`, connections: CONNECTIONS, duration: SECONDS, headers: page.cookie ? { Cookie: page.cookie } : {} },
      (error: unknown, res: autocannon.Result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(res)),
    );
    // Every response's own latency (ms, from process.hrtime). autocannon emits (client, status, bytes, ms); its type
    // declarations leave out the client, hence the plain EventEmitter.
    (instance as NodeJS.EventEmitter).on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
  await settle(url);
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    name: page.name,
    as: page.as,
    connections: CONNECTIONS,
    seconds: SECONDS,
    requestsPerSecond: result.requests.average,
    responses: latencies.length,
    p50Ms: round(percentile(latencies, 0.5)),
    p95Ms: round(percentile(latencies, 0.95)),
    p99Ms: round(percentile(latencies, 0.99)),
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
  const databaseFile = path.join(tempDir, HTTP_DATABASE);
  const { url, child } = await startServer(root, databaseFile);
  try {
    const db = new Database(databaseFile, { readonly: true });
    const one = <T>(what: string, sql: string, ...params: unknown[]): T => {
      const row = db.prepare(sql).get(...params) as T | undefined;
      if (!row) throw new Error(`the demo database has no ${what}`);
      return row;
    };
    // The demo's inspection on site today (both frameworks, some findings recorded by two inspectors) and its lead.
    const onSite = one<{ id: string; email: string }>(
      "inspection on site",
      `SELECT i.id, u.email FROM inspections i JOIN visit_team_members m ON m.visit_id = i.visit_id AND m.role = 'lead' JOIN users u ON u.id = m.inspector_id
        WHERE i.status = 'on_site' LIMIT 1`,
    );
    const inspection = onSite.id;
    const criterion = one<{ id: number; n: number }>("finding", "SELECT min(criterion_id) AS id, count(*) AS n FROM findings WHERE inspection_id = ?", inspection);
    // The largest section of CAF: the most forms on one page.
    const section = one<{ id: number; code: string; n: number }>(
      "section",
      `SELECT s.id, s.code, count(*) AS n FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id JOIN framework_sections s ON s.id = c.section_id
        WHERE f.inspection_id = ? GROUP BY s.id ORDER BY n DESC, s.id LIMIT 1`,
      inspection,
    );
    const lead = one<{ email: string }>("programme lead", "SELECT email FROM users WHERE role = 'programme_lead' AND disabled_at IS NULL ORDER BY email LIMIT 1");
    // The schedule a programme lead works on: the drawn (not yet closed) round with the most visits.
    const round = one<{ id: string; name: string; n: number }>(
      "drawn round with visits",
      `SELECT r.id, r.name, count(v.id) AS n FROM selection_rounds r JOIN visits v ON v.round_id = r.id WHERE r.status = 'drawn' GROUP BY r.id ORDER BY n DESC, r.id LIMIT 1`,
    );
    // RJ1's trust user and its latest published report (the demo publishes two for RJ1).
    const trustUser = one<{ email: string }>("trust user for RJ1", "SELECT email FROM users WHERE role = 'trust_user' AND trust_code = 'RJ1' AND disabled_at IS NULL ORDER BY email LIMIT 1");
    const report = one<{ id: string; version: number; bytes: number }>(
      "published report for RJ1",
      `SELECT r.inspection_id AS id, r.version, length(r.pdf) AS bytes FROM report_versions r JOIN inspections i ON i.id = r.inspection_id
        WHERE i.trust_code = 'RJ1' ORDER BY r.published_at DESC, r.version DESC LIMIT 1`,
    );
    db.close();

    const leadCookie = await signIn(url, lead.email);
    const inspectorCookie = await signIn(url, onSite.email);
    const trustCookie = await signIn(url, trustUser.email);
    const html = "text/html";
    const minimal: Page = { name: "minimal response (GET /healthz)", path: "/healthz", as: "", cookie: null, type: "application/json" };
    const pages: Page[] = [
      { name: "risk ranking, every open trust (GET /risk)", path: "/risk", as: "programme lead", cookie: leadCookie, type: html },
      {
        name: `schedule of the round with the most visits, ${round.n} visits (GET /selection/:id/schedule)`,
        path: `/selection/${round.id}/schedule`,
        as: "programme lead",
        cookie: leadCookie,
        type: html,
      },
      { name: `inspection overview, ${criterion.n} criteria (GET /inspections/:id)`, path: `/inspections/${inspection}`, as: "inspector", cookie: inspectorCookie, type: html },
      {
        name: "one criterion's finding form (GET /inspections/:id/criteria/:id)",
        path: `/inspections/${inspection}/criteria/${criterion.id}`,
        as: "inspector",
        cookie: inspectorCookie,
        type: html,
      },
      {
        name: `a section at a time, ${section.code} (${section.n} forms; GET /inspections/:id/sections/:id)`,
        path: `/inspections/${inspection}/sections/${section.id}`,
        as: "inspector",
        cookie: inspectorCookie,
        type: html,
      },
      { name: "portal home (GET /portal)", path: "/portal", as: "trust user", cookie: trustCookie, type: html },
      {
        name: `published report download, ${Math.round(report.bytes / 1024)} KB PDF (GET /portal/reports/:id/v/:version.pdf)`,
        path: `/portal/reports/${report.id}/v/${report.version}.pdf`,
        as: "trust user",
        cookie: trustCookie,
        type: "application/pdf",
      },
    ];
    // Every page answers 200 before anything is loaded, so a refusal stops the run at once rather than after minutes.
    for (const page of [minimal, ...pages]) await check(url, page);

    console.log(`HTTP: ${CONNECTIONS} connections, ${SECONDS} s a page, ${pages.length} pages and the minimal response twice`);
    const results: Omit<HttpResult, "ratioToMinimal" | "minimal">[] = [];
    const before = await load(url, { ...minimal, name: `${minimal.name}, before the pages` });
    console.log(`${before.name}: ${Math.round(before.requestsPerSecond)} requests/s, p95 ${before.p95Ms} ms`);
    for (const page of pages) {
      const r = await load(url, page);
      console.log(`${r.name}: ${Math.round(r.requestsPerSecond)} requests/s, p95 ${r.p95Ms} ms`);
      results.push(r);
    }
    const after = await load(url, { ...minimal, name: `${minimal.name}, after the pages` });
    console.log(`${after.name}: ${Math.round(after.requestsPerSecond)} requests/s, p95 ${after.p95Ms} ms`);
    const base = (before.requestsPerSecond + after.requestsPerSecond) / 2;
    const ratio = (rps: number) => (base > 0 ? rps / base : null);
    return [
      { ...before, minimal: true, ratioToMinimal: ratio(before.requestsPerSecond) },
      ...results.map((r) => ({ ...r, minimal: false, ratioToMinimal: ratio(r.requestsPerSecond) })),
      { ...after, minimal: true, ratioToMinimal: ratio(after.requestsPerSecond) },
    ];
  } finally {
    // Stopped and gone before anything else runs (or opens its database).
    const gone = new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve)));
    child.kill();
    await gone;
  }
}
