/**
 * `npm run selection:verify -- ROUND_ID`: re-runs a closed selection round's draw from its stored snapshot and
 * revealed seed (DATABASE_PATH), checks the seed against the commitment, and compares the picks.
 * Exit 0 when everything matches, 1 when anything differs, 2 on bad input, an unknown round or one not closed.
 */
import { existsSync } from "node:fs";
import { getConfig } from "../app/config.server";
import { closeDb, getDb } from "../app/db.server";
import { RoundNotFound, SelectionError, verifyRound, type VerifiedPick } from "../app/selection/rounds.server";

const describe = (pick: VerifiedPick | null) => (pick ? `${pick.trustCode} ${pick.trustName ? `(${pick.trustName}) ` : ""}${pick.kind}` : "nothing");

function main(args: string[]): number {
  if (args.length !== 1 || !args[0] || args[0].startsWith("-")) {
    console.error("Usage: npm run selection:verify -- ROUND_ID");
    return 2;
  }
  const roundId = args[0];
  const file = getConfig().DATABASE_PATH;
  if (file !== ":memory:" && !existsSync(file)) {
    console.error(`No database at ${file}. Set DATABASE_PATH to the database to check.`);
    return 2;
  }
  try {
    const v = verifyRound(roundId, getDb());
    console.log(`Commitment: ${v.commitment}`);
    console.log(`Seed:       ${v.seed}`);
    console.log(v.commitmentMatches ? "The seed matches the commitment." : "The seed does NOT match the commitment.");
    console.log(
      v.snapshotMatchesAudit
        ? "The snapshot is the one recorded in the audit trail when the round was drawn."
        : "The snapshot does NOT match the one recorded in the audit trail when the round was drawn.",
    );
    if (v.snapshotProblem) console.log(`The draw could not be re-run from the snapshot: ${v.snapshotProblem}`);
    else if (v.differences.length === 0) console.log(`The draw reproduces all ${v.expectedPicks} picks`);
    else {
      console.log(`The draw differs from the stored picks in ${v.differences.length} ${v.differences.length === 1 ? "place" : "places"}:`);
      for (const d of v.differences) {
        console.log(`  position ${d.position ?? "none"}: the draw gives ${describe(d.expected)}, stored ${describe(d.actual)}`);
      }
    }
    if (v.overrides.length > 0) {
      console.log(`Overrides after the draw (not differences): ${v.overrides.length}`);
      for (const o of v.overrides) console.log(`  ${o.at} ${o.change} ${o.trustCode} by ${o.by}: ${o.reason}`);
    }
    return v.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof RoundNotFound) {
      console.error(`No selection round ${roundId}.`);
      return 2;
    }
    if (error instanceof SelectionError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    closeDb();
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`Could not verify the round: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
