/** Runs a command-line script as an operator would: scripts/<name>.ts with tsx, DATABASE_PATH set, no terminal. */
import { spawn } from "node:child_process";
import path from "node:path";

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env` adds to (or, with undefined, removes from) this process's environment for the script. */
export function runScript(name: string, databaseFile: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<ScriptRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: databaseFile };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), [path.resolve("scripts", `${name}.ts`), ...args], {
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
