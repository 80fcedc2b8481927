/**
 * `npm run users:create -- --email you@example.org --name "Your Name" --role admin [--trust RJ1]`
 *
 * Creates an account, for example the first admin of a new install. The password comes from the environment
 * variable DEEP_DIVE_PASSWORD if it is set, or else is asked for (twice, not shown) when run at a terminal.
 * Exit 0 with the new account's id on standard output; 2 when the input is refused.
 */
import { userInfo } from "node:os";
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import type { Actor } from "../app/audit/audit.server";
import { checkPasswordPolicy } from "../app/auth/password-policy";
import { ROLE_LABELS } from "../app/auth/roles";
import { AccountError, createUser, parseAccountInput } from "../app/auth/users.server";
import { closeDb } from "../app/db.server";

const USAGE = `Usage: npm run users:create -- --email ADDRESS --name "FULL NAME" --role ROLE [--trust ODS_CODE]

  --role    one of: ${Object.keys(ROLE_LABELS).join(", ")}
  --trust   the trust's ODS code (trust users only)

The password is read from DEEP_DIVE_PASSWORD if set, otherwise asked for at the terminal.
`;

class InputError extends Error {}

function parse() {
  try {
    return parseArgs({
      options: {
        email: { type: "string" },
        name: { type: "string" },
        role: { type: "string" },
        trust: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
}

/** Asks for a line at the terminal without echoing what is typed. */
async function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, callback) {
      if (!muted) process.stderr.write(chunk, encoding);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  rl.on("SIGINT", () => {
    rl.close();
    process.stderr.write("\n");
    process.exit(130);
  });
  try {
    const answer = rl.question(question);
    muted = true;
    return await answer;
  } finally {
    muted = false;
    rl.close();
    process.stderr.write("\n");
  }
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.DEEP_DIVE_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new InputError("No password: set DEEP_DIVE_PASSWORD, or run this at a terminal to be asked for one.");
  }
  const first = await askHidden("Password for the new account: ");
  const second = await askHidden("The same password again: ");
  if (first !== second) throw new InputError("The two passwords were not the same.");
  return first;
}

/** Who ran the command, for the audit trail. */
function operatingSystemUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? "unknown";
  }
}

async function main(): Promise<number> {
  const args = parse();
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseAccountInput({ email: args.email ?? "", name: args.name ?? "", role: args.role ?? "", trustCode: args.trust });
  if (!parsed.ok) {
    const flag = { email: "--email", name: "--name", role: "--role", trustCode: "--trust", password: "password", account: "account" };
    throw new InputError(
      Object.entries(parsed.errors)
        .map(([field, message]) => `${flag[field as keyof typeof flag]}: ${message}`)
        .join("\n"),
    );
  }
  const input = parsed.input;
  const password = await readPassword();
  const problem = checkPasswordPolicy(password, { email: input.email });
  if (problem) throw new InputError(`password: ${problem.message}`);
  const actor: Actor = { userId: null, label: `cli:${operatingSystemUser()}`, clientAddress: null };
  const id = await createUser({ ...input, password }, actor);
  process.stderr.write(`Created ${ROLE_LABELS[input.role].toLowerCase()} account for ${input.email}${input.trustCode ? ` (${input.trustCode})` : ""}.\n`);
  process.stdout.write(`${id}\n`);
  return 0;
}

main()
  .catch((error: unknown) => {
    if (error instanceof InputError) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof AccountError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`Could not create the account: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  })
  .then((code) => {
    closeDb();
    process.exitCode = code;
  });
