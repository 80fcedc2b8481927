/**
 * `npm run reports:render -- --all --out DIR`: renders every published report version again, each with its own version
 * number and publication time (so each should come out byte for byte as it was published), writes it into DIR under
 * the name the server gives it (RJ1-deep-dive-2026-03-12-v1.pdf), and compares its SHA-256 with the one recorded when
 * it was published. The stored PDFs are never changed (the table refuses it); this only reads the database.
 *
 * A version superseded by a correction is expected to differ (the correction changed its findings); the latest
 * version of a report is expected to match, and a difference there is a failure: something changed a published
 * report's content, or rendering is no longer deterministic.
 *
 * Exit status: 0 every version rendered and written, and every latest version matches; 1 a render or a write failed,
 * or a latest version differs; 2 wrong arguments or no database.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { asc, eq } from "drizzle-orm";
import { inspections, reportVersions, visits } from "../db/schema";
import { getConfig } from "../app/config.server";
import { closeDb, getDb } from "../app/db.server";
import { reportFileName } from "../app/reports/filename";
import { renderReportPdf } from "../app/reports/render.server";

const USAGE = `Usage: npm run reports:render -- --all --out DIR

Renders every published report version again, with its own version number and publication time, into DIR (named
as the server names them, e.g. RJ1-deep-dive-2026-03-12-v1.pdf), and compares each with the SHA-256 recorded when
it was published.

  --all        every published report version (required)
  --out DIR    where to write the PDFs (created if missing; a file of the same name is replaced)
  --help       this text

Exit status: 0 all rendered, and the latest version of every report matches what was published; 1 a render or a
write failed, or a latest version differs; 2 wrong arguments or no database.
`;

class UsageError extends Error {}

function parse() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { all: { type: "boolean" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true as const };
  if (!values.all) throw new UsageError("Say which reports: --all (every published report version)");
  if (!values.out) throw new UsageError("Say where to write them: --out DIR");
  return { help: false as const, out: path.resolve(values.out) };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function main(): Promise<number> {
  let options;
  try {
    options = parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const file = getConfig().DATABASE_PATH;
  if (file !== ":memory:" && !existsSync(file)) {
    process.stderr.write(`No database at ${file}. Set DATABASE_PATH to the database whose reports to render.\n`);
    return 2;
  }
  const db = getDb();
  // The versions to render (not their bytes: only the hash recorded at publication is compared).
  const versions = db
    .select({
      inspectionId: reportVersions.inspectionId,
      version: reportVersions.version,
      sha256: reportVersions.sha256,
      publishedAt: reportVersions.publishedAt,
      trustCode: inspections.trustCode,
      visitDate: visits.visitDate,
    })
    .from(reportVersions)
    .innerJoin(inspections, eq(inspections.id, reportVersions.inspectionId))
    .leftJoin(visits, eq(visits.id, inspections.visitId))
    .orderBy(asc(inspections.trustCode), asc(visits.visitDate), asc(reportVersions.inspectionId), asc(reportVersions.version))
    .all();
  const latest = new Map<string, number>();
  for (const v of versions) latest.set(v.inspectionId, Math.max(latest.get(v.inspectionId) ?? 0, v.version));

  mkdirSync(options.out, { recursive: true });
  console.log(`Rendering ${versions.length} published report ${versions.length === 1 ? "version" : "versions"} from ${file} into ${options.out}`);
  const bar = new cliProgress.SingleBar(
    { format: "  {bar} {value}/{total} {name}", stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(versions.length, 0, { name: "" });
  const lines: string[] = [];
  let matched = 0;
  let supersededDiffers = 0;
  let latestDiffers = 0;
  let failed = 0;
  for (const v of versions) {
    const name = reportFileName({ odsCode: v.trustCode, visitDate: v.visitDate, version: v.version, draft: false });
    bar.update({ name });
    try {
      const pdf = await renderReportPdf(v.inspectionId, { version: v.version, publishedAt: v.publishedAt, draft: false }, db);
      writeFileSync(path.join(options.out, name), pdf);
      const rendered = sha256(pdf);
      if (rendered === v.sha256) {
        matched += 1;
        lines.push(`  ${name}: matches the published SHA-256 ${v.sha256}`);
      } else if (v.version < (latest.get(v.inspectionId) ?? v.version)) {
        supersededDiffers += 1;
        lines.push(`  ${name}: differs from the published version (superseded by version ${latest.get(v.inspectionId)}, whose correction changed its findings): published ${v.sha256}, rendered ${rendered}`);
      } else {
        latestDiffers += 1;
        lines.push(`  ${name}: DIFFERS from the published version: published ${v.sha256}, rendered ${rendered}`);
      }
    } catch (error) {
      failed += 1;
      lines.push(`  ${name}: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    }
    bar.increment();
  }
  bar.stop();
  for (const line of lines) console.log(line);
  console.log(
    `Rendered ${versions.length - failed} of ${versions.length}: ${matched} ${matched === 1 ? "matches" : "match"}, ` +
      `${latestDiffers} latest ${latestDiffers === 1 ? "version differs" : "versions differ"}, ` +
      `${supersededDiffers} superseded ${supersededDiffers === 1 ? "version differs" : "versions differ"} (expected after a correction), ${failed} failed.`,
  );
  return failed > 0 || latestDiffers > 0 ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(error);
} finally {
  closeDb();
}
process.exit(code);
