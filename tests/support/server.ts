/**
 * Starts the real HTTP server (node server.js, the production entry) on a free port against a copy of
 * the template database. Needs the app built first (`npm test` builds it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { inject } from "vitest";
import { copyTemplateDatabase } from "./database";
import { rememberDatabase } from "./second-factor";

export interface RunningServer {
  url: string;
  databaseFile: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  if (!inject("serverBuilt")) throw new Error("The app is not built: run `npm run build` (npm test does it).");
  const databaseFile = env.DATABASE_PATH ?? copyTemplateDatabase();
  const child: ChildProcess = spawn(process.execPath, [path.resolve("server.js")], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0", DEMO_DATA: "on", ...env, DATABASE_PATH: databaseFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    child.stdout!.on("data", () => {
      const match = /running at http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  rememberDatabase(`http://127.0.0.1:${port}`, databaseFile);
  return {
    url: `http://127.0.0.1:${port}`,
    databaseFile,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
