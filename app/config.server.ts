/** Configuration from the environment, validated once. Only this module reads process.env. */
import { z } from "zod";

const envSchema = z.object({
  DATABASE_PATH: z.string().min(1).default("./data/deep-dive.sqlite"),
  /** Where evidence files are stored (outside the database). Default: an "evidence" folder beside the database. */
  EVIDENCE_DIR: z.string().min(1).optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DEMO_DATA: z.enum(["on", "off"]).default("on"),
  /** Minutes without a request after which a session ends. */
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  /** Hours after sign-in after which a session ends whatever the activity. */
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(12),
  /** Set when a TLS-terminating proxy sits in front (Express "trust proxy" value, e.g. "loopback"). */
  TRUST_PROXY: z.string().optional(),
  /**
   * The longest an indicator file check or import on the page may take (in its worker thread, from the worker's
   * start) before it is stopped with nothing changed. Fractions allowed (tests set it very low).
   */
  IMPORT_TIME_LIMIT_SECONDS: z.coerce.number().positive().max(3600).default(60),
});

export type Config = z.infer<typeof envSchema>;

let cached: Config | undefined;

export function getConfig(): Config {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid configuration: ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** For tests and scripts that change the environment after start-up. */
export function resetConfigForTests() {
  cached = undefined;
}
