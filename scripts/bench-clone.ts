/**
 * From a fresh clone to a serving app, run by scripts/bench.ts (`npm run bench`): the stages a developer or an operator
 * goes through, each timed on its own (wall clock):
 *
 * 1. `git clone` of this repository into a temporary folder, at the commit HEAD names here (what is committed: changes
 *    not committed are not in a clone);
 * 2. `npm ci` there (the project's .npmrc points node-gyp at this machine's Node.js headers, for better-sqlite3 built
 *    from source; whether it was compiled is checked and said; npm's cache on this machine is used as npm uses it);
 * 3. `npm run build` (the styles, the Remix build, the service worker);
 * 4. `node server.js` with a new temporary DATABASE_PATH and the demo data on, timed until GET /healthz first answers
 *    200 (polled every 50 ms): migrations, the register, the frameworks and the demo seed all happen in that time.
 *
 * The child processes get this process's environment less npm's own variables (npm_*, set by `npm run bench`) and
 * NODE_ENV, so that npm in the clone reads its configuration as it would from a fresh shell.
 */
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export interface CloneStage {
  name: string;
  ms: number;
  detail: string;
}

export interface CloneBenchResult {
  commit: string;
  npm: string;
  stages: CloneStage[];
  totalMs: number;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === "NODE_ENV" || key === "INIT_CWD") continue;
    env[key] = value;
  }
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

/** Runs a command to the end with its output in `log`; rejects with the end of that output when it fails. */
function run(command: string, args: string[], cwd: string, log: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const file = createWriteStream(log, { flags: "a" });
    let tail = "";
    const keep = (d: Buffer) => {
      file.write(d);
      tail = (tail + d.toString()).slice(-4000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("close", (code) => {
      file.end();
      if (code === 0) resolve(tail);
      else reject(new Error(`${command} ${args.join(" ")} failed (${code}) in ${cwd}:\n${tail}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Clones, installs, builds and starts the app in `tempDir`/fresh-clone; returns each stage's time. */
export async function runClone(root: string, tempDir: string): Promise<CloneBenchResult> {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" });
  if (head.status !== 0) throw new Error(`git rev-parse HEAD failed: ${head.stderr}`);
  const commit = head.stdout.trim();
  const npm = spawnSync("npm", ["--version"], { cwd: tempDir, env: cleanEnv(), encoding: "utf8" }).stdout.trim();
  const dir = path.join(tempDir, "fresh-clone");
  const logDir = path.join(tempDir, "fresh-clone-logs");
  mkdirSync(logDir, { recursive: true });
  const log = (name: string) => path.join(logDir, `${name}.log`);
  const stages: CloneStage[] = [];
  const stage = async (name: string, fn: () => Promise<string>) => {
    const started = performance.now();
    const detail = await fn();
    const ms = performance.now() - started;
    stages.push({ name, ms, detail });
    console.log(`fresh clone: ${name}: ${(ms / 1000).toFixed(1)} s${detail ? ` (${detail})` : ""}`);
  };

  await stage("git clone", async () => {
    await run("git", ["clone", "--quiet", root, dir], tempDir, log("clone"), cleanEnv());
    await run("git", ["checkout", "--quiet", "--detach", commit], dir, log("clone"), cleanEnv());
    return `commit ${commit.slice(0, 7)}`;
  });
  await stage("npm ci", async () => {
    const out = await run("npm", ["ci", "--no-audit", "--no-fund"], dir, log("npm-ci"), cleanEnv());
    const added = /added (\d+) packages?/.exec(out)?.[1];
    // Compiled here, or a prebuilt binary: node-gyp leaves its object files beside the module it built.
    const compiled = existsSync(path.join(dir, "node_modules", "better-sqlite3", "build", "Release", "obj.target"));
    return `${added ? `${added} packages, ` : ""}better-sqlite3 ${compiled ? "compiled from source here" : "from a prebuilt binary"}`;
  });
  await stage("npm run build", async () => {
    await run("npm", ["run", "build"], dir, log("build"), cleanEnv());
    return "styles, Remix build, service worker";
  });
  await stage("node server.js until GET /healthz answers 200", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(dir, "server.js")], {
      cwd: dir,
      env: cleanEnv({ NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), DEMO_DATA: "on", DATABASE_PATH: path.join(tempDir, "fresh-clone-data", "deep-dive.sqlite") }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    let exited: number | null | undefined;
    child.on("exit", (code) => (exited = code));
    try {
      const deadline = performance.now() + 180_000;
      for (;;) {
        if (exited !== undefined) throw new Error(`the cloned app's server exited (${exited}) before it served:\n${output.slice(-4000)}`);
        if (performance.now() > deadline) throw new Error(`the cloned app's server did not answer /healthz 200 within 180 s:\n${output.slice(-4000)}`);
        try {
          const response = await fetch(`http://127.0.0.1:${port}/healthz`);
          await response.arrayBuffer();
          if (response.status === 200) break;
        } catch {
          // Not listening yet.
        }
        await sleep(50);
      }
    } finally {
      const gone = new Promise((resolve) => (exited !== undefined ? resolve(null) : child.once("exit", resolve)));
      child.kill();
      await gone;
    }
    return "a new database: migrations, the register, the frameworks, the demo data";
  });
  // The clone (node_modules and all) goes now, inside the run's time, rather than with the temporary folder after it.
  const removing = performance.now();
  rmSync(dir, { recursive: true, force: true });
  console.log(`fresh clone: removed in ${((performance.now() - removing) / 1000).toFixed(1)} s (not a stage)`);
  return { commit, npm, stages, totalMs: stages.reduce((t, s) => t + s.ms, 0) };
}

/** The "From a fresh clone to a serving app" section of docs/benchmarks.md. */
export function cloneSection(r: CloneBenchResult): string[] {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  return [
    "",
    "## From a fresh clone to a serving app",
    "",
    `\`git clone\` of this repository at commit ${r.commit.slice(0, 7)} (HEAD: what is committed) into a temporary folder, \`npm ci\` (npm ${r.npm}, with`,
    "the project's .npmrc; npm's cache on this machine used as npm uses it), `npm run build`, then `node server.js`",
    "with a new temporary database and the demo data, timed until GET /healthz first answers 200 (polled every 50 ms). Each",
    "stage is wall-clock time, measured once.",
    "",
    "| stage | seconds | |",
    "| --- | ---: | --- |",
    ...r.stages.map((x) => `| ${x.name} | ${s(x.ms)} | ${x.detail} |`),
    `| **from a fresh clone to a serving app** | **${s(r.totalMs)}** | |`,
  ];
}
